/* SPDX-License-Identifier: MIT */
/*
 * apps/mallocrss/main.c - the app's malloc really gives memory back: the
 * resident set (VmRSS of /proc/self/status) and the break (sbrk(0)) are
 * read around three patterns.
 *
 *   heap     ~32 MiB of small blocks and chunks, touched, freed in two
 *            passes, then malloc_trim(0): the resident set drops by most of
 *            what the blocks added, and the break comes back down.
 *   inside   4 MiB in 64 KiB blocks, then a small block after them that
 *            stays: the top cannot shrink past it, yet freeing the 4 MiB
 *            drops the resident set at once (free spans inside the heap are
 *            given back with madvise(MADV_DONTNEED)), and malloc_trim(0)
 *            gives back what was left.
 *   mapped   one 8 MiB block, which gets a mapping of its own: freeing it
 *            (munmap) drops the resident set.
 *   small    ~24 MiB of blocks of 16..1024 bytes (size-class pages), freed
 *            with no malloc_trim: free alone gives the pages back as each
 *            one empties, and the resident set drops by most of what the
 *            blocks added.
 *
 *     make run APP=mallocrss
 *
 * Output: "ok N - ..." or "not ok N - ..." per property after a "1..N"
 * plan, and "mallocrss: <pattern>: ..." lines with the numbers (kB, and
 * the break's distance from where it started). Exit status 0 when every
 * property holds, else 1.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KB	1024L
#define MB	(1024 * KB)
#define NBLOCKS 16384
#define NTESTS	12

static char *blocks[NBLOCKS];
static char *small_blocks[NBLOCKS * 4];
static int tests, failures;

/* VmRSS in kB, or -1. */
static long rss_kb(void)
{
	static char buf[4096];
	ssize_t n, len = 0;
	char *line;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	line = strstr(buf, "\nVmRSS:");
	return line ? strtol(line + 7, NULL, 10) : -1;
}

/* The break, as a distance (kB) from where it was at the start. */
static char *brk0;

static long brk_kb(void)
{
	return ((char *)sbrk(0) - brk0) / KB;
}

static void result(int ok, const char *what)
{
	tests++;
	failures += !ok;
	printf("%sok %d - %s\n", ok ? "" : "not ", tests, what);
}

/*
 * Write every byte of [p, p + n), through a pointer the compiler cannot see
 * through: a block written and freed unread is otherwise a dead store.
 */
static void *(*volatile fill)(void *, int, size_t) = memset;

static void touch(char *p, size_t n)
{
	fill(p, 0xa5, n);
}

static uint32_t rng = 12345;

static uint32_t rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* ~32 MiB of small and medium blocks: freed and trimmed, all goes back. */
static void heap(void)
{
	long rss0 = rss_kb(), rss1, rss2, rss3, brk1, brk3;
	size_t total = 0, medium = 0;
	int n = 0;

	while (total < 32 * MB && n < NBLOCKS) {
		size_t size = n % 4 ? 16 + rnd() % 1000 : 8193 + rnd() % 60000;

		blocks[n] = malloc(size);
		if (!blocks[n])
			break;
		touch(blocks[n], size);
		total += size;
		medium += n % 4 ? 0 : size;
		n++;
	}
	rss1 = rss_kb();
	brk1 = brk_kb();
	/* every other block first, then the rest: holes, then coalescing */
	for (int i = 0; i < n; i += 2)
		free(blocks[i]);
	for (int i = 1; i < n; i += 2)
		free(blocks[i]);
	rss2 = rss_kb();
	malloc_trim(0);
	rss3 = rss_kb();
	brk3 = brk_kb();
	printf("mallocrss: heap: %d blocks, %zu kB; rss %ld -> %ld kB live, "
	       "%ld after free, %ld after trim; break +%ld kB live, +%ld after "
	       "trim\n",
	       n, total / KB, rss0, rss1, rss2, rss3, brk1, brk3);
	result(total >= 32 * MB && rss1 - rss0 >= (long)(total / KB) * 9 / 10 &&
		       brk1 >= (long)(medium / KB),
	       "heap: 32 MiB of small and medium blocks are resident, the medium ones in the heap");
	result(rss1 - rss3 >= (rss1 - rss0) * 9 / 10,
	       "heap: free and malloc_trim(0) give back 90% of the resident set");
	result(brk3 <= 64, "heap: the break comes back down");
}

/* 4 MiB freed below a block that stays: released without a trim. */
static void inside(void)
{
	long rss0 = rss_kb(), rss1, rss2, rss3, rss4, brk1, brk2, brk3;
	const int pieces = 64;
	char *pin;

	for (int i = 0; i < pieces; i++) {
		blocks[i] = malloc(64 * KB);
		if (!blocks[i]) {
			result(0, "inside: 64 KiB blocks allocated");
			return;
		}
		touch(blocks[i], 64 * KB);
	}
	pin = malloc(12 * KB); /* a chunk: blocks of up to 8 kB are in pages */
	if (!pin) {
		result(0, "inside: the pinning block allocated");
		return;
	}
	touch(pin, 12 * KB);
	rss1 = rss_kb();
	brk1 = brk_kb();
	for (int i = 0; i < pieces; i++)
		free(blocks[i]);
	rss2 = rss_kb();
	brk2 = brk_kb();
	malloc_trim(0);
	rss3 = rss_kb();
	free(pin);
	malloc_trim(0);
	rss4 = rss_kb();
	brk3 = brk_kb();
	printf("mallocrss: inside: 4096 kB below a pinned block; rss %ld -> %ld "
	       "kB live, %ld after free, %ld after trim, %ld unpinned; break +%ld "
	       "kB live, +%ld after free, +%ld at the end\n",
	       rss0, rss1, rss2, rss3, rss4, brk1, brk2, brk3);
	result(rss1 - rss0 >= 4096 * 9 / 10, "inside: the 4 MiB are resident");
	result(brk2 == brk1, "inside: the pinned block holds the break up");
	result(rss1 - rss2 >= 4096 * 3 / 4,
	       "inside: free gives back 75% of the span without malloc_trim");
	result(rss1 - rss3 >= 4096 * 9 / 10,
	       "inside: malloc_trim(0) gives back 90% of the span");
	result(brk3 <= 64, "inside: the break comes down once unpinned");
}

/* One 8 MiB block: its own mapping, unmapped on free. */
static void mapped(void)
{
	long rss0 = rss_kb(), rss1, rss2;
	size_t n = 8 * MB;
	struct mallinfo2 mi;
	char *p = malloc(n);

	if (!p) {
		result(0, "mapped: 8 MiB allocated");
		return;
	}
	touch(p, n);
	rss1 = rss_kb();
	mi = mallinfo2();
	free(p);
	rss2 = rss_kb();
	printf("mallocrss: mapped: 8192 kB, %zu mapped block(s); rss %ld -> %ld "
	       "kB live, %ld after free\n",
	       mi.hblks, rss0, rss1, rss2);
	result(mi.hblks == 1 && rss1 - rss0 >= 8192 * 9 / 10,
	       "mapped: the 8 MiB block is mapped and resident");
	result(rss1 - rss2 >= 8192 * 9 / 10,
	       "mapped: free gives back 90% of it");
}

/* ~24 MiB of small blocks, freed: the pages go back without a trim. */
static void small(void)
{
	long rss0 = rss_kb(), rss1, rss2;
	size_t total = 0;
	int n = 0;

	while (total < 24 * MB && n < NBLOCKS * 4) {
		size_t size = 16 + rnd() % 1009;

		small_blocks[n] = malloc(size);
		if (!small_blocks[n])
			break;
		touch(small_blocks[n], size);
		total += size;
		n++;
	}
	rss1 = rss_kb();
	for (int i = 0; i < n; i++)
		free(small_blocks[i]);
	rss2 = rss_kb();
	printf("mallocrss: small: %d blocks, %zu kB; rss %ld -> %ld kB live, "
	       "%ld after free\n",
	       n, total / KB, rss0, rss1, rss2);
	result(total >= 24 * MB && rss1 - rss0 >= (long)(total / KB) * 9 / 10,
	       "small: 24 MiB of blocks of up to 1 KiB are resident");
	result(rss1 - rss2 >= (rss1 - rss0) * 9 / 10,
	       "small: free alone gives back 90% of the resident set");
}

int main(void)
{
	brk0 = sbrk(0);
	printf("1..%d\n", NTESTS);
	if (rss_kb() < 0) {
		printf("mallocrss: no VmRSS in /proc/self/status\n");
		return 1;
	}
	small(); /* first: the pages' memory, not yet mixed with chunks */
	heap();
	inside();
	mapped(); /* last: freeing it raises the mmap threshold */
	printf("mallocrss: %d of %d hold\n", tests - failures, tests);
	return failures || tests != NTESTS;
}
