/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/heaps.c - whose pages a block comes from: one heap per
 * thread.
 *
 * The image's apps have one thread and one heap, malloc_main_heap, in
 * small data (gp reaches its direct table in one instruction). The host
 * and Linux builds (MALLOC_THREADS) give each thread a heap of its own on
 * its first small request that misses: malloc_thread_heap, a thread-local
 * pointer, names it, and until then names malloc_no_heap, whose direct
 * table is all malloc_no_page, so the fast paths need no test for it. A
 * heap is a page of memory mapped for it; at the thread's exit its pages
 * are abandoned (pages.c) and the heap waits on the list of heaps for the
 * next thread. Heaps are never unmapped: a thread freeing a block of a
 * page may still read the page's owner after the owner has exited.
 */
#include "alloc/malloc/internal.h"

#ifdef MALLOC_THREADS
static struct heap malloc_no_heap = { HEAP_NO_PAGES };
__thread struct heap *malloc_thread_heap = &malloc_no_heap;
static __thread bool exited;
struct heap *malloc_heaps; /* every heap made; the malloc lock */

/* The thread's exit (its last destructor may still allocate: chunks). */
static void heap_exit(void *arg)
{
	struct heap *h = arg;

	malloc_sys_lock();
	malloc_heap_abandon(h);
	h->live = false;
	malloc_thread_heap = &malloc_no_heap;
	exited = true;
	malloc_sys_unlock();
}

/* The calling thread's heap, made on first use; NULL once it exited. */
struct heap *malloc_heap_get(void)
{
	struct heap *h = malloc_thread_heap;

	if (h != &malloc_no_heap || exited)
		return h != &malloc_no_heap ? h : NULL;
	malloc_sys_lock();
	for (h = malloc_heaps; h && h->live; h = h->next)
		;
	if (!h) {
		h = malloc_sys_map(
			round_up(sizeof(*h), malloc_sys_page_size()));
		if (h) {
			h->next = malloc_heaps;
			malloc_heaps = h;
		}
	}
	if (h) {
		struct heap *next = h->next;

		*h = (struct heap){ HEAP_NO_PAGES, .next = next, .live = true };
		malloc_thread_heap = h;
		malloc_sys_at_thread_exit(heap_exit, h);
	}
	malloc_sys_unlock();
	return h;
}
#else
/* malloc_main_heap is in malloc.c, in small data beside the secrets */
struct heap *malloc_heaps = &malloc_main_heap;

struct heap *malloc_heap_get(void)
{
	return &malloc_main_heap;
}
#endif
