/*
 * plateau: grows, then stops (ground truth for `trend`: must be `plateau`, not `leak`).
 *   plateau [INTERVAL_SECONDS [GROW_TICKS]]   (default 1 s, 6 ticks)
 * For GROW_TICKS ticks: malloc + touch 64 KiB in 1 KiB chunks ([heap] grows) and mmap
 * 256 KiB (anonymous). Then it only sleeps, keeping everything.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void *volatile sink;

int main(int argc, char **argv)
{
	unsigned interval = argc > 1 && atoi(argv[1]) > 0 ? (unsigned)atoi(argv[1]) : 1;
	int ticks = argc > 2 && atoi(argv[2]) > 0 ? atoi(argv[2]) : 6;

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
