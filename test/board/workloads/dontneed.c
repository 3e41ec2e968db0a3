/*
 * dontneed: resident memory that rises and falls while its maps never change (ground truth
 * for `trend`: not a leak, on either measure).
 *   dontneed [INTERVAL_SECONDS [CYCLE_TICKS]]   (default 1 s, 4 ticks)
 * Maps one 8 MiB anonymous pool at start; every tick touches 512 KiB more of it; every
 * CYCLE_TICKS ticks drops every page with madvise(MADV_DONTNEED), so its Rss goes back to
 * where it started (mm/madvise.c zaps the pages; the VMA stays as it was).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define POOL (8 * 1024 * 1024)
#define STEP (512 * 1024)

int main(int argc, char **argv)
{
	unsigned interval = argc > 1 && atoi(argv[1]) > 0 ? (unsigned)atoi(argv[1]) : 1;
	int cycle = argc > 2 && atoi(argv[2]) > 0 ? atoi(argv[2]) : 4;
	char *pool = mmap(NULL, POOL, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t used = 0;

	if (pool == MAP_FAILED)
		return 1;
	for (unsigned long tick = 1;; tick++) {
		if (used + STEP <= POOL) {
			memset(pool + used, 0x5a, STEP);
			used += STEP;
		}
		if (tick % (unsigned long)cycle == 0) {
			madvise(pool, POOL, MADV_DONTNEED);
			used = 0;
		}
		sleep(interval);
	}
}
