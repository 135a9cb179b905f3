/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/heap.c - the top chunk and the break beneath it.
 *
 * The heap is [heap_start, heap_end), heap_end being the break as malloc
 * last moved it; the top chunk is its free tail. Chunks are carved from the
 * top; when it is short the break grows by what is missing plus top_pad,
 * in whole pages. When a free leaves more than trim_threshold at the top,
 * the break comes back down to top_pad. A free chunk inside the heap that
 * coalesces past trim_threshold gives back the whole pages of what was
 * just freed into it with malloc_sys_release (madvise MADV_DONTNEED), if
 * they are RELEASE_MIN bytes or more: the same threshold as the top's, so
 * a program that cycles blocks of one size (which raises the threshold,
 * see mapped.c) does not pay a system call and faults for each.
 *
 * If anyone else moves the break, the heap stops growing there and larger
 * needs are mapped instead (malloc_chunk's last resort).
 *
 * Context: the malloc lock held.
 */
#include "alloc/malloc/internal.h"

/* Smallest run of whole free pages worth a system call to give back. */
#define RELEASE_MIN (64 * 1024)

struct chunk *malloc_top_take(size_t nb)
{
	struct chunk *c = malloc_state.top;

	if (!c || malloc_state.top_size < nb + MIN_CHUNK)
		return NULL;
	malloc_state.top = chunk_at(c, nb);
	malloc_state.top_size -= nb;
	set_head(malloc_state.top, malloc_state.top_size,
		 H_FREE | H_PREV_INUSE);
	set_head(c, nb, H_PREV_INUSE);
	return c;
}

/* Grow the break so the top chunk can give nb bytes. */
bool malloc_top_grow(size_t nb)
{
	size_t page = malloc_sys_page_size();
	size_t have = malloc_state.top ? malloc_state.top_size : 0;
	size_t incr, lead = 0;
	char *old;

	if (malloc_state.brk_lost)
		return false;
	if (!malloc_state.heap_start) {
		char *b = malloc_sys_sbrk(0);

		if (!b) {
			malloc_state.brk_lost = true;
			return false;
		}
		lead = round_up((uintptr_t)b, page) - (uintptr_t)b;
		malloc_state.heap_start = malloc_state.heap_end = b + lead;
	}
	if (nb + MIN_CHUNK + malloc_state.tune.top_pad < nb)
		return false;
	incr = round_up(nb + MIN_CHUNK - have + malloc_state.tune.top_pad,
			page);
	if ((intptr_t)(incr + lead) < 0)
		return false;
	old = malloc_sys_sbrk((intptr_t)(incr + lead));
	if (!old) {
		if (!malloc_state.top) /* ask for the break afresh next time */
			malloc_state.heap_start = malloc_state.heap_end = NULL;
		return false;
	}
	if (old + lead != malloc_state.heap_end) {
		/* the break moved under us: give this back, map from now on */
		malloc_sys_sbrk(-(intptr_t)(incr + lead));
		malloc_state.brk_lost = true;
		return false;
	}
	if (!malloc_state.top)
		malloc_state.top = (struct chunk *)malloc_state.heap_end;
	malloc_state.heap_end += incr;
	malloc_state.top_size += incr;
	set_head(malloc_state.top, malloc_state.top_size,
		 H_FREE | H_PREV_INUSE);
	return true;
}

/* Lower the break to leave pad bytes (and a minimal chunk) in the top. */
bool malloc_top_trim(size_t pad)
{
	size_t page = malloc_sys_page_size(), extra;

	if (!malloc_state.top || malloc_state.brk_lost ||
	    malloc_state.top_size <= pad + MIN_CHUNK || pad + MIN_CHUNK < pad)
		return false;
	extra = round_down(malloc_state.top_size - pad - MIN_CHUNK, page);
	if (!extra || malloc_sys_sbrk(0) != malloc_state.heap_end)
		return false;
	if (!malloc_sys_sbrk(-(intptr_t)extra))
		return false;
	malloc_state.heap_end -= extra;
	malloc_state.top_size -= extra;
	set_head(malloc_state.top, malloc_state.top_size,
		 H_FREE | H_PREV_INUSE);
	return true;
}

/* The whole pages of binned chunk c, beyond its links. */
static void inner_pages(struct chunk *c, size_t size, uintptr_t *lo,
			uintptr_t *hi)
{
	size_t page = malloc_sys_page_size();

	*lo = round_up((uintptr_t)c + MIN_CHUNK, page);
	*hi = round_down((uintptr_t)c + size, page);
}

/*
 * Binned chunk c of size bytes has just taken in the freed bytes
 * [lo, hi): if c is over the trim threshold, give back its whole pages
 * that overlap them, if they are many.
 */
void malloc_release_inside(struct chunk *c, size_t size, char *lo, char *hi)
{
	size_t page = malloc_sys_page_size();
	uintptr_t a, b;

	if (size < malloc_state.tune.trim_threshold || size < RELEASE_MIN)
		return;
	inner_pages(c, size, &a, &b);
	if (a < round_down((uintptr_t)lo, page))
		a = round_down((uintptr_t)lo, page);
	if (b > round_up((uintptr_t)hi, page))
		b = round_up((uintptr_t)hi, page);
	if (b > a && b - a >= RELEASE_MIN)
		malloc_sys_release((void *)a, b - a);
}

/*
 * malloc_trim's pass over the bins: every whole free page of a chunk not
 * given back already (H_RELEASED, which binning the chunk anew clears).
 * Bytes given.
 */
size_t malloc_release_bins(void)
{
	size_t total = 0;

	for (unsigned i = 0; i < NBINS; i++) {
		struct free_link *b = &malloc_bins.bins[i];

		for (struct free_link *l = b->fd; l != b; l = l->fd) {
			struct chunk *c = mem_chunk(l);
			uintptr_t a, e;

			if (c->head & H_RELEASED)
				continue; /* given back by an earlier trim */
			inner_pages(c, chunk_size(c), &a, &e);
			if (e > a) {
				malloc_sys_release((void *)a, e - a);
				set_flags(c, H_RELEASED, 0);
				total += e - a;
			}
		}
	}
	return total;
}
