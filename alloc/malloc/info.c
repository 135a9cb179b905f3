/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/info.c - mallinfo2, malloc_stats, mallopt, malloc_trim.
 *
 * The counts are made when asked, by walking the pages, their lists and
 * the bins: the fast paths keep no statistics. In the struct, the pages'
 * free blocks are smblks and fsmblks; arena counts the pages in use.
 */
#include <stdio.h>

#include "alloc/malloc/internal.h"

struct mallinfo2 mallinfo2(void)
{
	struct mallinfo2 mi = { 0 };
	size_t pages = 0, pages_used = 0;

	malloc_ready();
	malloc_sys_lock();
	malloc_pages_info(&pages, &pages_used, &mi.smblks, &mi.fsmblks);
	for (unsigned i = 0; i < NBINS; i++) {
		struct free_link *b = &malloc_bins.bins[i];

		for (struct free_link *l = b->fd; l != b; l = l->fd) {
			mi.ordblks++;
			mi.fordblks += chunk_size(mem_chunk(l));
		}
	}
	if (malloc_state.top) {
		mi.ordblks++;
		mi.fordblks += malloc_state.top_size;
		mi.keepcost = malloc_state.top_size;
	}
	mi.arena = (size_t)(malloc_state.heap_end - malloc_state.heap_start);
	mi.uordblks = mi.arena - mi.fordblks;
	/* pages: their blocks in use, and the rest of them free */
	mi.arena += pages;
	mi.uordblks += pages_used;
	mi.fordblks += pages - pages_used;
	mi.hblks = malloc_state.mmapped_count;
	mi.hblkhd = malloc_state.mmapped_bytes;
	malloc_sys_unlock();
	return mi;
}

void malloc_stats(void)
{
	struct mallinfo2 mi = mallinfo2();
	char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "Arena 0:\n"
		     "system bytes     = %10zu\n"
		     "in use bytes     = %10zu\n"
		     "Total (incl. mmap):\n"
		     "system bytes     = %10zu\n"
		     "in use bytes     = %10zu\n"
		     "max mmap regions = %10zu\n"
		     "max mmap bytes   = %10zu\n",
		     mi.arena, mi.uordblks, mi.arena + mi.hblkhd,
		     mi.uordblks + mi.hblkhd, malloc_state.max_mmapped_count,
		     malloc_state.max_mmapped_bytes);
	if (n > 0 && (size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (n > 0)
		malloc_sys_print(buf, (size_t)n);
}

/* glibc's answers: 1 if the parameter is known and the value taken, else 0. */
int mallopt(int param, int value)
{
	int ok = 1;

	malloc_ready();
	malloc_sys_lock();
	switch (param) {
	case M_TRIM_THRESHOLD:
		malloc_state.tune.trim_threshold = (size_t)(long)value;
		break;
	case M_TOP_PAD:
		malloc_state.tune.top_pad = (size_t)(long)value;
		break;
	case M_MMAP_THRESHOLD:
		/* glibc's ceiling: half of its largest heap (32 MiB) */
		if (value < 0 || value > 32 * 1024 * 1024)
			ok = 0;
		else
			malloc_state.tune.mmap_threshold = (size_t)value;
		break;
	case M_MMAP_MAX:
		if (value < 0)
			ok = 0;
		else
			malloc_state.tune.mmap_max = (size_t)value;
		break;
	default:
		ok = 0;
	}
	if (ok)
		malloc_state.tune.dynamic = false;
	malloc_sys_unlock();
	return ok;
}

/*
 * Give back what can be given back: the pool's free pages, the break
 * lowered to leave pad bytes at the top, and every whole free page inside
 * the heap released. 1 if any memory went back, else 0.
 */
int malloc_trim(size_t pad)
{
	bool any;

	malloc_ready();
	malloc_sys_lock();
	any = malloc_pages_trim() > 0;
	any |= malloc_top_trim(pad);
	any |= malloc_release_bins() > 0;
	malloc_sys_unlock();
	return any;
}
