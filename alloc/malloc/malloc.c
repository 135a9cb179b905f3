/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/malloc.c - malloc, free, calloc, realloc: the entry points
 * and their fast paths.
 *
 * malloc of up to PAGE_REQ_MAX bytes pops the free list of its class's
 * current page; free of a block in a page pushes it on its page's local
 * list. Neither searches, and neither touches any state but the page's
 * header, its map byte and the block: everything else (a page's lists
 * exhausted, an empty page, bins, top, mmap, the checks that cost a walk)
 * is the slow path.
 *
 * Context: the fast paths touch only the calling thread's heap (in the
 * image, the one heap) and take no lock; the slow paths take the malloc
 * lock (sys.h) where they touch what threads share: the chunks, the
 * region, the pool of pages. The lock nests.
 */
#include <errno.h>
#include <string.h>

#include "alloc/malloc/internal.h"

/*
 * Small data: gp-relative in the image (apps/runtime/app.ld). The secrets
 * the fast paths read, each in a section of its own, are one load from gp
 * each; the image's one heap is there too (at 3 KiB, too large for ld to
 * reach from gp: its address costs two instructions). Until malloc_init()
 * every free takes the slow path, which refuses pointers outside the heap
 * (there is none yet).
 */
#define SMALL_DATA(name) __attribute__((section(".sdata.malloc_" name)))

#ifndef MALLOC_THREADS
SMALL_DATA("heap")
struct heap malloc_main_heap = { HEAP_NO_PAGES, .live = true };
#endif
SMALL_DATA("cookie") uint64_t malloc_cookie;
SMALL_DATA("region") uintptr_t malloc_region = ~(uintptr_t)0;
struct malloc_state malloc_state;
struct malloc_bins malloc_bins;

#define DEFAULT_MMAP_THRESHOLD (128 * 1024)
#define DEFAULT_TRIM_THRESHOLD (128 * 1024)
#define DEFAULT_TOP_PAD	       (128 * 1024)
#define DEFAULT_MMAP_MAX       65536

/* Context: the malloc lock held. */
void malloc_init(void)
{
	uint64_t r[2];

	malloc_sys_random(r);
	/* a zero header must fail the check: the cookie's low bits are not 0 */
	malloc_cookie = r[0] | (1u << 23) | 1;
	for (unsigned i = 0; i < NBINS; i++)
		malloc_bins.bins[i].fd = malloc_bins.bins[i].bk =
			&malloc_bins.bins[i];
	malloc_state.tune.mmap_threshold = DEFAULT_MMAP_THRESHOLD;
	malloc_state.tune.trim_threshold = DEFAULT_TRIM_THRESHOLD;
	malloc_state.tune.top_pad = DEFAULT_TOP_PAD;
	malloc_state.tune.mmap_max = DEFAULT_MMAP_MAX;
	malloc_state.tune.dynamic = true;
	malloc_pages_init();
	__atomic_store_n(&malloc_state.ready, true, __ATOMIC_RELEASE);
}

/* malloc_init, once (any thread, any entry point). */
void malloc_ready(void)
{
	if (unlikely(!__atomic_load_n(&malloc_state.ready, __ATOMIC_ACQUIRE))) {
		malloc_sys_lock();
		if (!malloc_state.ready)
			malloc_init();
		malloc_sys_unlock();
	}
}

/*
 * A chunk of nb bytes, in use, from wherever it can come: a mapping of its
 * own above the threshold, a bin, the top chunk, a grown heap, and a
 * mapping when the break cannot move. Context: the malloc lock held.
 */
struct chunk *malloc_chunk(size_t nb)
{
	struct chunk *c;

	if (nb >= malloc_state.tune.mmap_threshold &&
	    malloc_state.mmapped_count < malloc_state.tune.mmap_max) {
		c = malloc_mapped_alloc(nb, 0);
		if (c)
			return c;
	}
	c = malloc_bin_take(nb);
	if (!c)
		c = malloc_top_take(nb);
	if (!c && malloc_top_grow(nb))
		c = malloc_top_take(nb);
	if (!c && malloc_state.mmapped_count < malloc_state.tune.mmap_max)
		c = malloc_mapped_alloc(nb, 0);
	return c;
}

/*
 * All but a page hit. A small request takes a block of the thread's heap;
 * without a page (the region full, or none to be had) it is a chunk as any
 * other, under the lock.
 */
static SLOW_PATH void *malloc_slow(size_t n)
{
	struct chunk *c = NULL;
	struct heap *h;
	void *p;

	malloc_ready();
	if (n <= PAGE_REQ_MAX && (h = malloc_heap_get())) {
		p = malloc_page_alloc(h, n);
		if (p)
			return p;
	}
	if (n <= MAX_REQUEST) {
		malloc_sys_lock();
		c = malloc_chunk(request_size(n));
		malloc_sys_unlock();
	}
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	return chunk_mem(c);
}

/*
 * Pop the free list of the thread's current page of the class of n: up
 * to DIRECT_MAX, found in the direct table, above in the medium table.
 */
static inline void *malloc_inline(size_t n)
{
	struct heap *h = malloc_heap();
	struct page *pg;
	void *p, *next;

	if (likely(n <= DIRECT_MAX)) {
		/* direct[(n + 15) / 16], its entries 16 bytes apart */
		pg = *(struct page **)((char *)h->direct +
				       ((n + 15) & ~(size_t)15));
	} else if (n <= PAGE_REQ_MAX) {
		pg = h->medium[(n + MEDIUM_STEP - 1) / MEDIUM_STEP];
	} else {
		return malloc_slow(n);
	}
	p = pg->free;
	if (likely(p)) {
		next = page_link(pg, *(void **)p);
		if (unlikely((uintptr_t)next & (ALIGNMENT - 1)))
			malloc_fatal("corrupted page free list at", p);
		pg->free = next;
		((uint64_t *)p)[1] = 0;
		return p;
	}
	return malloc_slow(n);
}

FAST_PATH void *malloc(size_t n)
{
	return malloc_inline(n);
}

/* ---- free ---- */
/*
 * The chunk of p, which the caller (free, realloc, malloc_usable_size)
 * claims malloc handed out and has not freed, p not in a page; anything
 * else aborts with what it is: not a block malloc made, a block freed
 * already, or a block whose header, or whose neighbour's, an overflow has
 * damaged.
 */
struct chunk *malloc_checked_chunk(void *p, const char *op)
{
	struct chunk *c = mem_chunk(p), *next;
	size_t size;

	if (((uintptr_t)p & (ALIGNMENT - 1)) || !head_ok(c->head))
		malloc_bad_pointer(p, op);
	size = chunk_size(c);
	if (is_mapped(c))
		return c;
	/* a freed chunk's header keeps H_FREE even once merged away */
	if (c->head & H_FREE)
		malloc_fatal(op[0] == 'f' ? "double free of"
					  : "use after free of",
			     p);
	if ((char *)c < malloc_state.heap_start ||
	    (char *)c >= (char *)malloc_state.top)
		malloc_bad_pointer(p, op);
	next = chunk_at(c, size);
	if (!head_ok(next->head) || !(next->head & H_PREV_INUSE))
		malloc_fatal("heap overflow past the block at", p);
	return c;
}

static SLOW_PATH void free_slow(void *p)
{
	struct chunk *c;

	if (!p)
		return;
	if (in_pages(p)) {
		malloc_page_free(p);
		return;
	}
	malloc_sys_lock();
	c = malloc_checked_chunk(p, "free");
	if (is_mapped(c))
		malloc_mapped_free(c);
	else if (malloc_free_coalesce(c) >= TRIM_CHECK_MIN &&
		 malloc_state.top_size >= malloc_state.tune.trim_threshold &&
		 malloc_state.top_size >= malloc_state.tune.top_pad +
						  MIN_CHUNK +
						  malloc_sys_page_size())
		malloc_top_trim(malloc_state.tune.top_pad); /* a page or more */
	malloc_sys_unlock();
}

/* The page is the thread's own: the threads build asks, the image knows. */
#ifdef MALLOC_THREADS
#define own_page(pg) \
	(__atomic_load_n(&(pg)->heap, __ATOMIC_RELAXED) == malloc_thread_heap)
#else
#define own_page(pg) true
#endif

/*
 * In a page of the thread's, a block's start, not freed already: push it
 * on the local list, and count the page's used down. free(NULL) is not in
 * the region: the slow path returns.
 */
FAST_PATH UNALIGNED_OK void free(void *p)
{
	struct page *pg = page_of(p);

	if (likely(in_pages(p) && !((uintptr_t)p & (ALIGNMENT - 1)) &&
		   *page_map(pg, p) && ((uint64_t *)p)[1] != pg->mask &&
		   own_page(pg))) {
		*(void **)p = page_link(pg, pg->local_free);
		((uint64_t *)p)[1] = pg->mask;
		pg->local_free = p;
		if (unlikely(!--pg->used))
			malloc_page_event(pg);
		return;
	}
	free_slow(p);
}

/* ---- calloc, realloc ---- */
void *calloc(size_t nmemb, size_t size)
{
	size_t n;
	void *p;

	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc_inline(n);
	/* a fresh mapping is zero already */
	if (p && (in_pages(p) || !is_mapped(mem_chunk(p))))
		memset(p, 0, n);
	return p;
}

static size_t usable(struct chunk *c)
{
	return chunk_size(c) - (is_mapped(c) ? CHUNK_HDR : CHUNK_OVERHEAD);
}

/*
 * Grow or shrink a heap chunk where it stands: true if it could. Context:
 * the malloc lock held.
 */
static bool resize_in_place(struct chunk *c, size_t nb)
{
	size_t size = chunk_size(c);
	struct chunk *next = chunk_at(c, size);

	if (nb <= size) {
		malloc_split(c, size, nb);
		return true;
	}
	if (next == malloc_state.top) {
		if (size + malloc_state.top_size < nb + MIN_CHUNK)
			return false;
		malloc_state.top_size -= nb - size;
		malloc_state.top = chunk_at(c, nb);
		set_head(malloc_state.top, malloc_state.top_size,
			 H_FREE | H_PREV_INUSE);
		set_head(c, nb, c->head & H_PREV_INUSE);
		return true;
	}
	if (!(next->head & H_FREE) || size + chunk_size(next) < nb)
		return false;
	size += chunk_size(next);
	malloc_bin_remove(next);
	set_head(c, size, c->head & H_PREV_INUSE);
	malloc_split(c, size, nb);
	return true;
}

/* realloc of a block in a page: in place while it fits, else moved. */
static void *realloc_page(void *p, size_t n)
{
	size_t old = malloc_checked_page(p, "realloc")->size;
	void *q;

	if (n <= old)
		return p;
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	free(p);
	return q;
}

/* realloc of a chunk. Context: the malloc lock held (it nests). */
static void *realloc_chunk(void *p, size_t n)
{
	struct chunk *c, *nc;
	size_t nb, old;
	void *q;

	c = malloc_checked_chunk(p, "realloc");
	if (n > MAX_REQUEST) {
		errno = ENOMEM;
		return NULL;
	}
	nb = request_size(n);
	old = usable(c);
	if (is_mapped(c)) {
		nc = malloc_mapped_resize(c, nb);
		if (nc)
			return chunk_mem(nc);
		if (n <= old)
			return p;
	} else if (resize_in_place(c, nb)) {
		return p;
	}
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, n < old ? n : old);
	free(p);
	return q;
}

void *realloc(void *p, size_t n)
{
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	if (in_pages(p))
		return realloc_page(p, n);
	malloc_sys_lock();
	q = realloc_chunk(p, n);
	malloc_sys_unlock();
	return q;
}

void *reallocarray(void *p, size_t nmemb, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n);
}

size_t malloc_usable_size(void *p)
{
	size_t n;

	if (!p)
		return 0;
	if (in_pages(p))
		return malloc_checked_page(p, "malloc_usable_size")->size;
	malloc_sys_lock();
	n = usable(malloc_checked_chunk(p, "malloc_usable_size"));
	malloc_sys_unlock();
	return n;
}
