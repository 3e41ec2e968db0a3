/*
 * plateau: grows, then stops (ground truth for `trend`: must be `plateau`, not `leak`).
 *   plateau [INTERVAL_SECONDS [GROW_TICKS]]   (default 1 s, 6 ticks)
 * Waits for SIGUSR1 (it creates /tmp/plateau.ready once it can take it), so that the test
 * starts the growth inside its series, never before it. Then for GROW_TICKS ticks: malloc +
 * touch 64 KiB in 1 KiB chunks ([heap] grows) and mmap 256 KiB (anonymous). Then it only
 * sleeps, keeping everything.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void *volatile sink;
static volatile sig_atomic_t go;

static void start(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	unsigned interval = argc > 1 && atoi(argv[1]) > 0 ? (unsigned)atoi(argv[1]) : 1;
	int ticks = argc > 2 && atoi(argv[2]) > 0 ? atoi(argv[2]) : 6;
	sigset_t usr1, old;

	/* SIGUSR1 blocked except inside sigsuspend: a signal sent at any moment is never lost */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	signal(SIGUSR1, start);
	close(open("/tmp/plateau.ready", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	while (!go)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);

	for (int t = 0; t < ticks; t++) {
		for (int i = 0; i < 64; i++) {
			char *p = malloc(1024);
			if (p) {
				memset(p, 0xa5, 1024);
				sink = p;
			}
		}
		void *m = mmap(NULL, 256 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED) {
			memset(m, 0x5a, 256 * 1024);
			sink = m;
		}
		sleep(interval);
	}
	for (;;)
		pause();
}
