// SPDX-License-Identifier: MIT
/*
 * apps/memtour/process.c - steps 4, 5 and 7, the app's side: where
 * malloc's memory comes from, pages that exist only once touched, and
 * memory given back.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memtour.h"

#define SMALL	10000	  /* a heap block (up to 8 kB: a page's) */
#define LARGE	(4 * MB)  /* a block with a mapping of its own */
#define LAZY	(16 * MB) /* step 5's mapping */
#define NBLOCKS 528	  /* step 7's heap blocks (chunks: above 8 kB) ... */
#define BLOCK	16000	  /* ... of this size */
#define BIG	(8 * MB)  /* and its mapped block */

/* A maps line's size in kB, and whether it names nothing (anonymous). */
static long line_kb(const char *line)
{
	char *dash;
	unsigned long lo = strtoul(line, &dash, 16);
	unsigned long hi = strtoul(dash + 1, NULL, 16);

	return (long)(hi - lo) / KB;
}

static const char *line_name(const char *line)
{
	/* address perms offset dev inode [name] */
	const char *s = line;

	for (int field = 0; field < 5 && s; field++) {
		s = strchr(s, ' ');
		if (s)
			s += strspn(s, " ");
	}
	return s && *s ? s : "(anonymous)";
}

void step_malloc(void)
{
	char *brk0 = sbrk(0), *small, *large;
	uintptr_t where;
	const char *line;

	step_begin(
		4, "malloc: the heap and mmap",
		"malloc gets memory from the kernel in two ways. Blocks "
		"come from the heap, one range whose end, the break, moves "
		"with brk() (up to 1 kB, from pages of a range of their "
		"own); a block of 128 kB or more (glibc's "
		"M_MMAP_THRESHOLD) gets an mmap of its own, which free() "
		"hands straight back with munmap. /proc/self/maps lists the "
		"app's mappings: start-end, permissions, and a name: [heap], "
		"[stack], the app's file, or none for anonymous memory.");
	if (!enough_memory(2 * LARGE / KB))
		return;
	small = malloc(SMALL);
	memset(small, 1, SMALL);
	line = maps_line((uintptr_t)small);
	printf("  malloc(%d) = %p, the break moved %+ld kB, in:\n", SMALL,
	       (void *)small, ((char *)sbrk(0) - brk0) / KB);
	printf("    %s\n", line ? line : "(no mapping)");
	printf("    -> %s\n", line ? line_name(line) : "nothing");
	large = malloc(LARGE);
	memset(large, 1, LARGE);
	line = maps_line((uintptr_t)large);
	printf("  malloc(%ld MiB) = %p, in:\n", LARGE / MB, (void *)large);
	printf("    %s\n", line ? line : "(no mapping)");
	if (line)
		printf("    -> %s, %ld kB\n", line_name(line), line_kb(line));
	where = (uintptr_t)large;
	free(large);
	line = maps_line(where);
	printf("  free() of it: %s\n",
	       line ? line : "no mapping holds its address now (munmap)");
	free(small);
}

void step_lazy(void)
{
	long rss0, rss1, rss2, rss3, vsz0, vsz1, f0, f1, f2;
	char *p;

	step_begin(
		5, "Lazy allocation",
		"mmap and malloc promise memory; they hand out no pages. A "
		"page is allocated when the app first touches it, in the "
		"page fault that touch causes. A first read maps the shared "
		"zero page (nothing allocated, the page reads as zeros); the "
		"first write gets the page a frame of its own. VmRSS in "
		"/proc/self/status counts the frames the app holds, VmSize "
		"what it has mapped; pgfault in /proc/vmstat counts faults.");
	if (!enough_memory(2 * LAZY / KB))
		return;
	rss0 = status("VmRSS");
	vsz0 = status("VmSize");
	p = mmap(NULL, LAZY, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("  mmap of %ld MiB failed\n", LAZY / MB);
		return;
	}
	rss1 = status("VmRSS");
	vsz1 = status("VmSize");
	f0 = vmstat("pgfault");
	printf("  before:              VmRSS %6ld kB, VmSize %6ld kB\n", rss0,
	       vsz0);
	printf("  mmap %ld MiB:         VmRSS %6ld kB, VmSize %6ld kB "
	       "(%+ld kB)\n",
	       LAZY / MB, rss1, vsz1, vsz1 - vsz0);
	(void)read_pages(p, LAZY);
	rss2 = status("VmRSS");
	f1 = vmstat("pgfault");
	printf("  read every page:     VmRSS %6ld kB (%+ld kB), pgfault "
	       "%+ld\n",
	       rss2, rss2 - rss1, f1 - f0);
	touch_pages(p, LAZY);
	rss3 = status("VmRSS");
	f2 = vmstat("pgfault");
	printf("  write every page:    VmRSS %6ld kB (%+ld kB), pgfault "
	       "%+ld\n",
	       rss3, rss3 - rss2, f2 - f1);
	printf("  %ld pages of 4 kB: written, each page got its own frame\n",
	       LAZY / PAGE_SIZE);
	munmap(p, LAZY);
}

void step_trim(void)
{
	static char *blocks[NBLOCKS];
	char *brk0 = sbrk(0), *big;
	long rss[6];
	int trimmed;

	step_begin(7, "Giving memory back",
		   "free() puts a block back on malloc's lists; whether the "
		   "kernel gets the memory back depends on where it came from. "
		   "A block with its own mapping is unmapped at once. Heap "
		   "memory goes back when the top of the heap is free (the "
		   "break moves down) or, for free spans inside the heap, "
		   "through madvise(MADV_DONTNEED); malloc_trim(0) gives back "
		   "all it can, now.");
	if (!enough_memory(4 * BIG / KB))
		return;
	rss[0] = status("VmRSS");
	for (int i = 0; i < NBLOCKS; i++) {
		blocks[i] = malloc(BLOCK);
		if (blocks[i])
			memset(blocks[i], 2, BLOCK);
	}
	rss[1] = status("VmRSS");
	big = malloc(BIG);
	if (big)
		memset(big, 3, BIG);
	rss[2] = status("VmRSS");
	printf("  start:                   VmRSS %6ld kB\n", rss[0]);
	printf("  %d blocks of %d B:   VmRSS %6ld kB (%+ld), break "
	       "%+ld kB\n",
	       NBLOCKS, BLOCK, rss[1], rss[1] - rss[0],
	       ((char *)sbrk(0) - brk0) / KB);
	printf("  one block of %ld MiB:      VmRSS %6ld kB (%+ld), mmap\n",
	       BIG / MB, rss[2], rss[2] - rss[1]);
	free(big);
	rss[3] = status("VmRSS");
	printf("  free() the %ld MiB block:  VmRSS %6ld kB (%+ld), "
	       "munmap\n",
	       BIG / MB, rss[3], rss[3] - rss[2]);
	for (int i = 0; i < NBLOCKS; i++)
		free(blocks[i]);
	rss[4] = status("VmRSS");
	printf("  free() the %d blocks:  VmRSS %6ld kB (%+ld), break "
	       "%+ld kB\n",
	       NBLOCKS, rss[4], rss[4] - rss[3], ((char *)sbrk(0) - brk0) / KB);
	if (rss[4] > rss[3] - 64)
		printf("    (nothing went back: freeing the %ld MiB mapped block "
		       "raised malloc's trim\n    threshold to %ld MiB, as "
		       "glibc's does, and the heap's free top is smaller)\n",
		       BIG / MB, 2 * BIG / MB);
	trimmed = malloc_trim(0);
	rss[5] = status("VmRSS");
	printf("  malloc_trim(0) = %d:      VmRSS %6ld kB (%+ld), break "
	       "%+ld kB\n",
	       trimmed, rss[5], rss[5] - rss[4], ((char *)sbrk(0) - brk0) / KB);
	printf("  given back in all: %ld of the %ld kB the blocks took\n",
	       rss[2] - rss[5], rss[2] - rss[0]);
}
