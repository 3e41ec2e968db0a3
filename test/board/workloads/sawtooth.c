/*
 * sawtooth: allocates and frees in cycles (ground truth for `trend`: must be `sawtooth`).
 *   sawtooth [INTERVAL_SECONDS [CYCLE_TICKS]]   (default 1 s, 3 ticks)
 * Every tick it maps 384 KiB more anonymous memory; every CYCLE_TICKS ticks it unmaps all
 * of it, so the process grows and gives it back, again and again. Not 512 KiB: two such
 * blocks make an exactly-1 MiB line, which on a 1 MiB boundary is what a full glibc arena of
 * a 32-bit process looks like in maps (test/analyze/sawtooth-workload.test.ts).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BLOCK (384 * 1024)
#define MAX 64

int main(int argc, char **argv)
{
	unsigned interval = argc > 1 && atoi(argv[1]) > 0 ? (unsigned)atoi(argv[1]) : 1;
	int cycle = argc > 2 && atoi(argv[2]) > 0 ? atoi(argv[2]) : 3;
	void *blocks[MAX];
	int n = 0;

	for (unsigned long tick = 1;; tick++) {
		if (n < MAX) {
			void *m = mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m != MAP_FAILED) {
				memset(m, 0x5a, BLOCK);
				blocks[n++] = m;
			}
		}
		if (tick % (unsigned long)cycle == 0) {
			while (n > 0)
				munmap(blocks[--n], BLOCK);
		}
		sleep(interval);
	}
}
