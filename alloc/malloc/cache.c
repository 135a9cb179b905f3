/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/cache.c - freed chunks kept whole for the next malloc of
 * their size.
 *
 * A chunk of the heap of up to CACHE_MAX bytes that is freed goes, as it
 * is, into one of NCACHED slots, marked H_CACHED; a malloc whose chunk
 * size is the same takes it back, with no coalescing, no bin and no split
 * on either side. For the heap a cached chunk is in use: its neighbours do
 * not coalesce with it and its next chunk keeps H_PREV_INUSE. The slots
 * are filled in turn: the chunk a new one displaces is freed as any other
 * (coalesced, binned), so the cache holds the last NCACHED frees at most,
 * NCACHED * CACHE_MAX bytes. malloc_trim and mallinfo2 count them free;
 * malloc_trim gives them to the bins first. glibc's tcache does this for
 * its small sizes; here the pages hold those, and the cache serves the
 * sizes between them and the mmap threshold.
 *
 * Context: the malloc lock held.
 */
#include "alloc/malloc/internal.h"

#define NCACHED	  8
#define CACHE_MAX ((size_t)256 * 1024)

static struct {
	struct chunk *slot[NCACHED];
	unsigned next; /* the slot the next chunk goes to */
} cache;

/* Keep c, a heap chunk in use being freed: true if it was kept. */
bool malloc_cache_put(struct chunk *c)
{
	struct chunk *old;

	if (chunk_size(c) > CACHE_MAX)
		return false;
	old = cache.slot[cache.next];
	set_flags(c, H_CACHED, 0);
	cache.slot[cache.next] = c;
	cache.next = (cache.next + 1) % NCACHED;
	if (old) {
		set_flags(old, 0, H_CACHED);
		malloc_free_coalesce(old);
	}
	return true;
}

/* A cached chunk of exactly nb bytes, now in use, or NULL. */
struct chunk *malloc_cache_take(size_t nb)
{
	if (nb > CACHE_MAX)
		return NULL;
	for (unsigned i = 0; i < NCACHED; i++) {
		struct chunk *c = cache.slot[i];

		if (c && chunk_size(c) == nb) {
			cache.slot[i] = NULL;
			set_flags(c, 0, H_CACHED);
			return c;
		}
	}
	return NULL;
}

/* Every cached chunk freed as any other (malloc_trim). */
void malloc_cache_flush(void)
{
	for (unsigned i = 0; i < NCACHED; i++) {
		struct chunk *c = cache.slot[i];

		if (c) {
			cache.slot[i] = NULL;
			set_flags(c, 0, H_CACHED);
			malloc_free_coalesce(c);
		}
	}
}

/* mallinfo2: the cached chunks and their bytes. */
size_t malloc_cache_bytes(size_t *count)
{
	size_t bytes = 0;

	for (unsigned i = 0; i < NCACHED; i++)
		if (cache.slot[i]) {
			(*count)++;
			bytes += chunk_size(cache.slot[i]);
		}
	return bytes;
}

/* malloc_check: every slot holds a sealed, marked chunk of the heap. */
void malloc_cache_check(void)
{
	for (unsigned i = 0; i < NCACHED; i++) {
		struct chunk *c = cache.slot[i];

		if (c && (!head_ok(c->head) || !(c->head & H_CACHED) ||
			  (c->head & (H_FREE | H_MMAPPED)) ||
			  (char *)c < malloc_state.heap_start ||
			  (char *)c >= (char *)malloc_state.top))
			malloc_fatal("check: bad cached chunk at",
				     chunk_mem(c));
	}
}
