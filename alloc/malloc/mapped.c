/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/mapped.c - chunks with a mapping of their own.
 *
 * A request of mmap_threshold bytes or more (and any request the heap
 * cannot grow for) gets its own anonymous mapping, given back with munmap
 * on free and resized with mremap by realloc. The chunk sits at offset
 * prev_size into its mapping (0, or more for a large alignment) and runs
 * to its end; it has no neighbours and never coalesces.
 *
 * The threshold adapts as glibc's does: freeing a mapped chunk larger than
 * it (up to MMAP_THRESHOLD_MAX) raises it to that size, and the trim
 * threshold to twice that, so a program that keeps allocating and freeing
 * blocks of one large size soon gets them from the heap without a system
 * call each time. mallopt of any of the four parameters stops this.
 *
 * Context: the malloc lock held.
 */
#include "alloc/malloc/internal.h"

#define MMAP_THRESHOLD_MAX (32 * 1024 * 1024)

/*
 * A mapped chunk's data ends where its mapping does, with no next chunk's
 * prev_size to lend it: it needs this much more than a heap chunk of the
 * same usable size.
 */
#define MAPPED_EXTRA (CHUNK_HDR - CHUNK_OVERHEAD)

static size_t page_round(size_t n)
{
	return round_up(n, malloc_sys_page_size());
}

static void count(long blocks, long bytes)
{
	malloc_state.mmapped_count += blocks;
	malloc_state.mmapped_bytes += bytes;
	if (malloc_state.mmapped_count > malloc_state.max_mmapped_count)
		malloc_state.max_mmapped_count = malloc_state.mmapped_count;
	if (malloc_state.mmapped_bytes > malloc_state.max_mmapped_bytes)
		malloc_state.max_mmapped_bytes = malloc_state.mmapped_bytes;
}

/* A mapped chunk as usable as a heap chunk of nb bytes, user data
 * aligned to align (a power of two, or 0 for the natural 16). */
struct chunk *malloc_mapped_alloc(size_t nb, size_t align)
{
	size_t slack = align > ALIGNMENT ? align : 0, len, off = 0;
	struct chunk *c;
	char *m;

	if (nb + MAPPED_EXTRA + slack < nb)
		return NULL;
	len = page_round(nb + MAPPED_EXTRA + slack);
	if (len < nb || len > MAX_REQUEST)
		return NULL;
	m = malloc_sys_map(len);
	if (!m)
		return NULL;
	if (slack)
		off = (-(uintptr_t)(m + CHUNK_HDR)) & (align - 1);
	c = (struct chunk *)(m + off);
	c->prev_size = off;
	set_head(c, len - off, H_MMAPPED);
	count(1, (long)len);
	return c;
}

static bool mapping(struct chunk *c, char **start, size_t *len)
{
	*start = (char *)c - c->prev_size;
	*len = chunk_size(c) + c->prev_size;
	return !((uintptr_t)*start & (malloc_sys_page_size() - 1)) &&
	       !(*len & (malloc_sys_page_size() - 1));
}

void malloc_mapped_free(struct chunk *c)
{
	size_t size = chunk_size(c), len;
	char *start;

	if (!mapping(c, &start, &len))
		malloc_bad_pointer(chunk_mem(c), "free");
	if (malloc_state.tune.dynamic &&
	    size > malloc_state.tune.mmap_threshold &&
	    size <= MMAP_THRESHOLD_MAX) {
		malloc_state.tune.mmap_threshold = size;
		malloc_state.tune.trim_threshold = 2 * size;
	}
	count(-1, -(long)len);
	if (malloc_sys_unmap(start, len))
		malloc_fatal("munmap failed for the block at", chunk_mem(c));
}

/* Resize with mremap: the chunk, perhaps moved, or NULL (c unchanged). */
struct chunk *malloc_mapped_resize(struct chunk *c, size_t nb)
{
	size_t off = c->prev_size, len, new_len;
	char *start, *m;

	if (!mapping(c, &start, &len))
		malloc_bad_pointer(chunk_mem(c), "realloc");
	if (nb + MAPPED_EXTRA + off < nb)
		return NULL;
	new_len = page_round(nb + MAPPED_EXTRA + off);
	if (new_len > MAX_REQUEST)
		return NULL;
	if (new_len == len)
		return c;
	m = malloc_sys_remap(start, len, new_len);
	if (!m)
		return NULL;
	c = (struct chunk *)(m + off);
	set_head(c, new_len - off, H_MMAPPED);
	count(0, (long)new_len - (long)len);
	return c;
}
