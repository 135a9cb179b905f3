/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/info.c - mallinfo2, malloc_stats, mallopt, malloc_trim.
 *
 * The counts are made when asked, by walking the lists and bins: the fast
 * paths keep no statistics.
 */
#include <stdio.h>

#include "alloc/malloc/internal.h"

struct mallinfo2 mallinfo2(void)
{
	struct mallinfo2 mi = { 0 };

	malloc_sys_lock();
	if (!malloc_state.ready)
		malloc_init();
	for (unsigned i = MIN_CHUNK / 16; i < NSMALL; i++)
		for (void *p = malloc_state.lists[i].head; p;
		     p = demangle(p, *(void **)p)) {
			mi.smblks++;
			mi.fsmblks += i * 16;
		}
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
	mi.fordblks += mi.fsmblks;
	mi.arena = (size_t)(malloc_state.heap_end - malloc_state.heap_start);
	mi.uordblks = mi.arena - mi.fordblks;
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

	malloc_sys_lock();
	if (!malloc_state.ready)
		malloc_init();
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
 * Give back what can be given back: the size-class lists coalesced, the
 * break lowered to leave pad bytes at the top, and every whole free page
 * inside the heap released. 1 if any memory went back, else 0.
 */
int malloc_trim(size_t pad)
{
	bool any;

	malloc_sys_lock();
	if (!malloc_state.ready)
		malloc_init();
	malloc_consolidate();
	any = malloc_top_trim(pad);
	any |= malloc_release_bins() > 0;
	malloc_sys_unlock();
	return any;
}
