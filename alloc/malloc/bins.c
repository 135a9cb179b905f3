/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/bins.c - free chunks: coalescing, the bins, the bitmap.
 *
 * A chunk freed (every block that is not in a page: pages.c holds the
 * small ones) merges with a free neighbour on each side and goes to the
 * bin of its size (internal.h draws the bins). Taking a chunk of nb bytes
 * looks at nb's own bin (exact below 1 KiB; a short first-fit scan above),
 * then the first non-empty bin above it in the bitmap, whose every chunk
 * fits: a few word operations, never a walk over the bins. The rest of the
 * chunk taken goes back as a free chunk.
 *
 * Context: the malloc lock held.
 */
#include "alloc/malloc/internal.h"

/* How far into its own bin a request looks for a fit (bins >= 1 KiB). */
#define BIN_SCAN 16

static struct chunk *link_chunk(struct free_link *l)
{
	return mem_chunk(l);
}

/*
 * Link free chunk c (head has its size and PREV_INUSE) into its bin and
 * write its footer; the next chunk's PREV_INUSE is the caller's.
 */
static void bin_link(struct chunk *c, size_t size)
{
	unsigned i = bin_index(size);
	struct free_link *b = &malloc_bins.bins[i], *l = chunk_mem(c);

	set_head(c, size, H_FREE | (c->head & H_PREV_INUSE));
	chunk_at(c, size)->prev_size = size;
	l->fd = b->fd;
	l->bk = b;
	b->fd->bk = l;
	b->fd = l;
	malloc_bins.binmap[i / 64] |= 1ULL << (i % 64);
}

/* Put free chunk c (head has its size and PREV_INUSE) into its bin. */
void malloc_bin_insert(struct chunk *c, size_t size)
{
	bin_link(c, size);
	set_flags(chunk_at(c, size), 0, H_PREV_INUSE);
}

/* Unlink binned chunk c from its bin; the caller gives it a new state. */
void malloc_bin_remove(struct chunk *c)
{
	struct free_link *l = chunk_mem(c);
	unsigned i = bin_index(chunk_size(c));

	if (l->fd->bk != l || l->bk->fd != l)
		malloc_fatal("corrupted free list at", l);
	l->fd->bk = l->bk;
	l->bk->fd = l->fd;
	if (malloc_bins.bins[i].fd == &malloc_bins.bins[i])
		malloc_bins.binmap[i / 64] &= ~(1ULL << (i % 64));
}

/*
 * Chunk c (size bytes, in no list) becomes an in-use chunk of nb <= size
 * bytes; a tail of at least MIN_CHUNK is freed again. If c was binned, its
 * neighbours are in use and the tail goes straight to a bin (no need to
 * read the next chunk); else it is freed with coalescing.
 */
void malloc_split(struct chunk *c, size_t size, size_t nb)
{
	bool was_free = c->head & H_FREE;
	struct chunk *rest;

	if (size - nb < MIN_CHUNK) {
		set_head(c, size, c->head & H_PREV_INUSE);
		set_flags(chunk_at(c, size), H_PREV_INUSE, 0);
		return;
	}
	set_head(c, nb, c->head & H_PREV_INUSE);
	rest = chunk_at(c, nb);
	set_head(rest, size - nb, H_PREV_INUSE);
	if (was_free)
		bin_link(rest, size - nb);
	else
		malloc_free_coalesce(rest);
}

/* The lowest non-empty bin from i up, or NBINS. */
static unsigned next_bin(unsigned i)
{
	unsigned w = i / 64;
	uint64_t bits;

	if (i >= NBINS)
		return NBINS;
	bits = malloc_bins.binmap[w] & (~0ULL << (i % 64));
	while (!bits) {
		if (++w == BINMAP_WORDS)
			return NBINS;
		bits = malloc_bins.binmap[w];
	}
	return w * 64 + (unsigned)__builtin_ctzll(bits);
}

struct chunk *malloc_bin_take(size_t nb)
{
	unsigned i = bin_index(nb), j = next_bin(i);
	struct free_link *b = &malloc_bins.bins[i], *l;
	struct chunk *c = NULL;
	int scanned = 0;

	if (j == NBINS) /* no free chunk as large: the bitmap alone says so */
		return NULL;
	if (j == i && i < 64) {
		c = link_chunk(b->fd);
	} else if (j == i) {
		for (l = b->fd; l != b && scanned < BIN_SCAN;
		     l = l->fd, scanned++)
			if (chunk_size(link_chunk(l)) >= nb) {
				c = link_chunk(l);
				break;
			}
	}
	if (!c) {
		j = j == i ? next_bin(i + 1) : j;
		if (j == NBINS)
			return NULL;
		c = link_chunk(malloc_bins.bins[j].fd);
	}
	if (!head_ok(c->head) || !(c->head & H_FREE))
		malloc_fatal("corrupted free chunk at", chunk_mem(c));
	malloc_bin_remove(c);
	malloc_split(c, chunk_size(c), nb);
	return c;
}

/*
 * Free chunk c (head: its size, PREV_INUSE; in no list): merge it with
 * the free chunks around it, then bin it or make it part of the top.
 * Returns the size of the free chunk it became part of.
 */
size_t malloc_free_coalesce(struct chunk *c)
{
	size_t size = chunk_size(c), psize;
	struct chunk *next = chunk_at(c, size), *prev;
	char *lo = (char *)c, *hi = (char *)next;

	/* marked free first: if it merges away, a second free still says so */
	set_flags(c, H_FREE, 0);
	if (!(c->head & H_PREV_INUSE)) {
		psize = c->prev_size;
		prev = chunk_before(c, psize);
		if (psize > (size_t)((char *)c - malloc_state.heap_start) ||
		    !head_ok(prev->head) || !(prev->head & H_FREE) ||
		    chunk_size(prev) != psize)
			malloc_fatal("corrupted footer before", chunk_mem(c));
		malloc_bin_remove(prev);
		c = prev;
		size += psize;
	}
	if (next == malloc_state.top) {
		malloc_state.top = c;
		malloc_state.top_size += size;
		set_head(c, malloc_state.top_size, H_FREE | H_PREV_INUSE);
		return malloc_state.top_size;
	}
	if (!head_ok(next->head))
		malloc_fatal("heap overflow past the block at", chunk_mem(c));
	if (next->head & H_FREE) {
		malloc_bin_remove(next);
		size += chunk_size(next);
	}
	set_head(c, size, H_PREV_INUSE);
	malloc_bin_insert(c, size);
	malloc_release_inside(c, size, lo, hi);
	return size;
}
