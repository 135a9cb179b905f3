/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/pages.c - small blocks in size-class pages (internal.h
 * draws a page and keeps its invariants).
 *
 * Requests of up to PAGE_REQ_MAX bytes are blocks of one of NCLASSES
 * classes: 16..128 in steps of 16, then 8 classes per power of two up to
 * 1024 (a step of at most 1/8 of the class: above 128 bytes a block wastes
 * less than 12.5 % of itself; below, the 16-byte alignment rules).
 *
 * Each heap (a thread's) has, per class, a current page, which the fast
 * path pops, a list of pages with free blocks (avail) and a list of pages
 * whose blocks were all in use when they stopped being current (full).
 * When the current page's free list runs out, malloc_page_alloc takes its
 * local list over (the owner's frees since), then its thread list (other
 * threads' frees), or carves more blocks from its unused end (up to 4 KiB
 * at a time, so untouched memory stays untouched); failing that, the page
 * goes to the full list and the next of the avail list, or a page some
 * exited thread abandoned, or a new page becomes current. No step walks
 * the class's pages, but the one that gathers other threads' frees from
 * the full pages of a class, which runs only once such a free happened.
 *
 * A free on the owner's thread counts the page's used down (malloc.c);
 * reaching 0 is an event: a full page goes back to the avail list; any
 * other page but the current one is empty, and goes to the pool of free
 * pages there and then, so the memory of a phase of small blocks is free
 * for any class once the phase is over. The pool keeps some free pages
 * with their memory (dirty_limit()); past that, the oldest give it back
 * to the system (malloc_sys_release), runs of adjacent pages at once.
 *
 * Pages come from one region of address space reserved at start
 * (malloc_sys_reserve: committed page by page as touched), 2^REGION_SHIFT
 * bytes aligned to its size, so that free tells a block in a page from a
 * chunk with one shift and compare, and reads no header before the block.
 * Without a region (the reservation refused), or with the region full,
 * small requests are chunks as larger ones are.
 *
 * Context: a heap's pages are its owner's, touched by no other thread but
 * through thread_free and remote[]; the region, the pool and the abandoned
 * pages are under the malloc lock, which the functions here take where
 * they need it (it nests).
 */
#include <string.h>

#include "alloc/malloc/internal.h"

/*
 * Carve this many bytes of blocks at a time, at least CARVE_MIN blocks (a
 * block of 4 KiB malloc'd and freed in turn would otherwise take the slow
 * path each time) and at most CARVE_MAX (the malloc that carves 16-byte
 * blocks stays near 1,000 instructions).
 */
#define CARVE_BYTES 4096
#define CARVE_MIN   4
#define CARVE_MAX   128

/* The page the direct table names while a class has none: never a block. */
struct page malloc_no_page;

static const uint16_t class_size[NCLASSES] = {
	16,   32,   48,	  64,	80,   96,   112,  128,	/* steps of 16 */
	144,  160,  176,  192,	208,  224,  240,  256,	/* 16 */
	288,  320,  352,  384,	416,  448,  480,  512,	/* 32 */
	576,  640,  704,  768,	832,  896,  960,  1024, /* 64 */
	1152, 1280, 1408, 1536, 1664, 1792, 1920, 2048, /* 128 */
	2304, 2560, 2816, 3072, 3328, 3584, 3840, 4096, /* 256 */
	4608, 5120, 5632, 6144, 6656, 7168, 7680, 8192	/* 512 */
};

#define NPAGES ((size_t)1 << (REGION_SHIFT - PAGE_SHIFT))

/*
 * Under the malloc lock, but granule_class and first_granule (set once).
 * The pool is kept outside the pages, so that a page given back is not
 * touched again until it is taken: all of it leaves the resident set. Its
 * dirty pages (memory still held) are a ring, the newest taken first, the
 * oldest given back first; its clean pages (given back) a stack.
 */
static struct {
	uint8_t granule_class[NGRANULES];    /* (n + 15) / 16 -> class */
	uint8_t first_granule[NCLASSES + 1]; /* class -> its first granule */
	uint8_t first_medium[NCLASSES + 1]; /* class -> its first medium slot */
	char *base, *top, *end; /* the region; pages carved below top */
	uint16_t dirty[NPAGES]; /* ring: [head - ndirty, head) mod NPAGES */
	size_t dirty_head, ndirty;
	uint16_t clean[NPAGES]; /* stack */
	size_t nclean;
	struct page *abandoned[NCLASSES]; /* pages without an owner */
} pages;

/* The class of a request of n <= PAGE_REQ_MAX bytes. */
static unsigned class_of(size_t n)
{
	size_t s = n - 1;
	unsigned e;

	if (n <= DIRECT_MAX)
		return pages.granule_class[(n + 15) >> 4];
	e = 63 - (unsigned)__builtin_clzl(s); /* 10..12 */
	return 32 + 8 * (e - 10) + (unsigned)((s >> (e - 3)) & 7);
}

static size_t page_number(const struct page *pg)
{
	return (size_t)((const char *)pg - pages.base) >> PAGE_SHIFT;
}

static struct page *page_at(size_t i)
{
	return (struct page *)(pages.base + (i << PAGE_SHIFT));
}

static bool page_ok(const struct page *pg)
{
	return pg->check == ((uintptr_t)pg ^ malloc_cookie);
}

/* A mixing function (a bijection of 64-bit words) for the pages' keys. */
static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 31)) * 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 29)) * 0xbf58476d1ce4e5b9u;
	return x ^ (x >> 32);
}

static void set_current(struct heap *h, unsigned c, struct page *pg)
{
	h->classes[c].current = pg;
	for (unsigned g = pages.first_granule[c];
	     g < pages.first_granule[c + 1]; g++)
		h->direct[g].page = pg ? pg : &malloc_no_page;
	for (unsigned m = pages.first_medium[c]; m < pages.first_medium[c + 1];
	     m++)
		h->medium[m] = pg ? pg : &malloc_no_page;
}

void malloc_pages_init(void)
{
	size_t len = (size_t)1 << REGION_SHIFT;
	unsigned c = 0;
	char *m, *a;

	for (unsigned g = 0; g < NGRANULES; g++) {
		while (class_size[c] < (g ? g * 16 : 16))
			c++;
		pages.granule_class[g] = (uint8_t)c;
		if (g == 0 || pages.granule_class[g - 1] != c)
			pages.first_granule[c] = (uint8_t)g;
	}
	/* the classes above DIRECT_MAX: medium entries, no direct ones */
	for (unsigned k = 0; k < NCLASSES; k++) {
		bool small = class_size[k] <= DIRECT_MAX;

		if (!small)
			pages.first_granule[k] = NGRANULES;
		pages.first_medium[k] =
			(uint8_t)((small ? DIRECT_MAX : class_size[k - 1]) /
					  MEDIUM_STEP +
				  1);
	}
	pages.first_granule[NCLASSES] = NGRANULES;
	pages.first_medium[NCLASSES] = NMEDIUM;
	m = malloc_sys_reserve(2 * len);
	if (!m)
		return;
	a = (char *)round_up((uintptr_t)m, len);
	if (a > m)
		malloc_sys_unmap(m, (size_t)(a - m));
	if (a + len < m + 2 * len)
		malloc_sys_unmap(a + len, (size_t)(m + 2 * len - (a + len)));
	pages.base = pages.top = a;
	pages.end = a + len;
	malloc_region = (uintptr_t)a >> REGION_SHIFT;
}

static void list_add(struct page **head, struct page *pg)
{
	pg->prev = NULL;
	pg->next = *head;
	if (*head)
		(*head)->prev = pg;
	*head = pg;
}

static void list_remove(struct page **head, struct page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		*head = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->prev = pg->next = NULL;
}

static char *block(const struct page *pg, uint32_t i)
{
	return (char *)pg + pg->first + (size_t)i * pg->size;
}

/*
 * Where the blocks of size bytes start: PAGE_FIRST, rounded up to the
 * largest power of two that divides size (up to PAGE_ALIGN_MAX). The
 * rounding costs no block: it is less than what the page's end wastes.
 */
static size_t first_block(size_t size)
{
	size_t a = size & -size;

	return round_up(PAGE_FIRST, a < PAGE_ALIGN_MAX ? a : PAGE_ALIGN_MAX);
}

/* A link read from a page's list: aborts unless it decodes to a block. */
static void *next_of(struct page *pg, void *q, const char *what)
{
	void *next = page_link(pg, *(void **)q);

	if ((uintptr_t)next & (ALIGNMENT - 1))
		malloc_fatal(what, q);
	return next;
}

/* A page of h for class c, from the pool or the region; NULL if none. */
static struct page *page_new(struct heap *h, unsigned c)
{
	struct page *pg;

	malloc_sys_lock();
	pg = NULL;
	if (pages.ndirty) {
		pages.dirty_head = (pages.dirty_head - 1) % NPAGES;
		pages.ndirty--;
		pg = page_at(pages.dirty[pages.dirty_head]);
	} else if (pages.nclean) {
		pg = page_at(pages.clean[--pages.nclean]);
	} else if (pages.top < pages.end) {
		pg = (struct page *)pages.top;
		pages.top += PAGE_SIZE;
	}
	malloc_sys_unlock();
	if (!pg)
		return NULL;
	/* the map of a page in the pool is all zero */
	pg->free = pg->local_free = NULL;
	pg->prev = pg->next = NULL;
	pg->used = pg->carved = 0;
	pg->size = class_size[c];
	pg->first = (uint16_t)first_block(pg->size);
	pg->capacity = (uint32_t)((PAGE_SIZE - pg->first) / pg->size);
	pg->mask = ((uintptr_t)mix((uintptr_t)pg ^ malloc_cookie) &
		    ~(uintptr_t)(ALIGNMENT - 1)) |
		   ALIGNMENT;
	__atomic_store_n(&pg->thread_free, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&pg->heap, h, __ATOMIC_RELAXED);
	pg->cls = (uint8_t)c;
	pg->state = PAGE_CURRENT;
	pg->check = (uintptr_t)pg ^ malloc_cookie;
	return pg;
}

/*
 * The scale of how many bytes of free pages the pool keeps dirty:
 * trim_threshold, and a sixteenth of the pages in use. Past twice this,
 * the pool gives back down to half of it: a program whose pages empty and
 * fill in turn does not give back and fault in the same memory over and
 * over, one that frees a phase's pages keeps little of them, and the calls
 * are few.
 */
static size_t dirty_limit(void)
{
	size_t all = (size_t)(pages.top - pages.base) >> PAGE_SHIFT;
	size_t in_use = all - pages.ndirty - pages.nclean;

	return malloc_state.tune.trim_threshold + in_use * (PAGE_SIZE / 16);
}

/*
 * The pool's n oldest dirty pages give their memory back, each run of
 * them next to each other in the region in one call (found with a bitmap
 * of the region's pages, so whatever order they emptied in). Bytes given
 * back.
 */
static size_t release_oldest(size_t n)
{
	uint64_t run[NPAGES / 64] = { 0 };

	for (size_t k = 0; k < n; k++) {
		size_t i =
			pages.dirty[(pages.dirty_head - pages.ndirty) % NPAGES];

		pages.ndirty--;
		pages.clean[pages.nclean++] = (uint16_t)i;
		run[i / 64] |= (uint64_t)1 << (i % 64);
	}
	for (size_t i = 0; i < NPAGES;) {
		size_t lo;

		if (!(run[i / 64] >> (i % 64))) {
			i = (i / 64 + 1) * 64;
			continue;
		}
		if (!(run[i / 64] & ((uint64_t)1 << (i % 64)))) {
			i++;
			continue;
		}
		for (lo = i;
		     i < NPAGES && (run[i / 64] & ((uint64_t)1 << (i % 64)));
		     i++)
			;
		malloc_sys_release(page_at(lo), (i - lo) * PAGE_SIZE);
	}
	return n * PAGE_SIZE;
}

/*
 * pg, every block of it free and on no list of a heap, goes to the pool,
 * its map cleared (a page given back reads as zeros: check 0, PAGE_POOL,
 * no map); past twice dirty_limit() bytes of dirty pages, the oldest go
 * back to the system until half the limit is left, so that the calls are
 * few and each gives back runs of pages.
 */
static void page_to_pool(struct page *pg)
{
	memset((char *)pg + PAGE_MAP, 0,
	       (size_t)(block(pg, pg->carved) - (char *)pg) >> 4);
	__atomic_store_n(&pg->heap, NULL, __ATOMIC_RELAXED);
	pg->check = 0;
	pg->state = PAGE_POOL;
	malloc_sys_lock();
	pages.dirty[pages.dirty_head] = (uint16_t)page_number(pg);
	pages.dirty_head = (pages.dirty_head + 1) % NPAGES;
	pages.ndirty++;
	if (pages.ndirty * PAGE_SIZE > 2 * dirty_limit())
		release_oldest(pages.ndirty - dirty_limit() / 2 / PAGE_SIZE);
	malloc_sys_unlock();
}

/* Carve CARVE_BYTES of new blocks onto the (empty) free list. */
static void carve(struct page *pg)
{
	uint32_t k = CARVE_BYTES / pg->size, i;
	void *next = NULL;

	if (k < CARVE_MIN)
		k = CARVE_MIN;
	if (k > CARVE_MAX)
		k = CARVE_MAX;
	if (k > pg->capacity - pg->carved)
		k = pg->capacity - pg->carved;
	for (i = pg->carved + k; i-- > pg->carved;) {
		char *b = block(pg, i);

		*page_map(pg, b) = 1;
		*(void **)b = page_link(pg, next);
		((uint64_t *)b)[1] = pg->mask;
		next = b;
	}
	pg->free = next;
	pg->carved += k;
	pg->used += k;
}

/*
 * The owner takes pg's thread list whole onto its local list: the number
 * of blocks it held, which the caller takes off used.
 */
static uint32_t collect(struct page *pg)
{
	void *t = __atomic_exchange_n(&pg->thread_free, NULL, __ATOMIC_ACQUIRE);
	void *q = t, *next;
	uint32_t n = 0;

	if (!t)
		return 0;
	for (;; q = next) {
		if (++n > pg->carved)
			malloc_fatal("corrupted page thread list at", pg);
		next = next_of(pg, q, "corrupted page thread list at");
		if (!next)
			break;
	}
	*(void **)q = page_link(pg, pg->local_free);
	pg->local_free = t;
	return n;
}

/*
 * Give the current page pg's free list blocks, if it has any to give: its
 * local list (all of it counted free now), else its thread list, taken
 * whole with no walk (its blocks were counted in use, as blocks on the
 * free list are), else new blocks.
 */
static bool refill(struct page *pg)
{
	if (pg->local_free) {
		pg->free = pg->local_free;
		pg->local_free = NULL;
		pg->used = pg->carved;
		return true;
	}
	if (__atomic_load_n(&pg->thread_free, __ATOMIC_RELAXED)) {
		pg->free = __atomic_exchange_n(&pg->thread_free, NULL,
					       __ATOMIC_ACQUIRE);
		return true;
	}
	if (pg->carved < pg->capacity) {
		carve(pg);
		return true;
	}
	return false;
}

static bool has_free(struct page *pg)
{
	return pg->local_free || pg->carved < pg->capacity ||
	       __atomic_load_n(&pg->thread_free, __ATOMIC_RELAXED);
}

/* pg, not current, now has the state its counts say, and its list. */
static void file_page(struct heap *h, struct page *pg)
{
	struct page_class *pc = &h->classes[pg->cls];

	if (!pg->used) {
		page_to_pool(pg);
	} else if (has_free(pg)) {
		pg->state = PAGE_AVAIL;
		list_add(&pc->avail, pg);
	} else {
		pg->state = PAGE_FULL;
		pg->used = 1;
		list_add(&pc->full, pg);
	}
}

/*
 * Other threads freed blocks of h's pages of class c: each full page with
 * a thread list goes back to the avail list (its local list is empty: used
 * is carved), where the list is taken when the page is current again.
 */
static void gather(struct heap *h, unsigned c)
{
	struct page_class *pc = &h->classes[c];
	struct page *pg, *next;

	for (pg = pc->full; pg; pg = next) {
		next = pg->next;
		if (!__atomic_load_n(&pg->thread_free, __ATOMIC_RELAXED))
			continue;
		list_remove(&pc->full, pg);
		pg->used = pg->carved;
		file_page(h, pg);
	}
}

/* A page abandoned with blocks of class c, now h's; NULL if none. */
static struct page *reclaim(struct heap *h, unsigned c)
{
	struct page *pg;

	malloc_sys_lock();
	pg = pages.abandoned[c];
	if (pg)
		list_remove(&pages.abandoned[c], pg);
	malloc_sys_unlock();
	if (pg) {
		__atomic_store_n(&pg->heap, h, __ATOMIC_RELAXED);
		pg->state = PAGE_CURRENT;
	}
	return pg;
}

/*
 * The next current page of h's class c, with free blocks: from the avail
 * list, the full pages' thread lists, the abandoned pages, the pool or the
 * region. NULL if none.
 */
static struct page *next_page(struct heap *h, unsigned c)
{
	struct page_class *pc = &h->classes[c];
	struct page *pg;

	if (!pc->avail && __atomic_load_n(&h->remote[c], __ATOMIC_RELAXED)) {
		__atomic_store_n(&h->remote[c], 0, __ATOMIC_RELAXED);
		gather(h, c);
	}
	pg = pc->avail;
	if (pg) {
		list_remove(&pc->avail, pg);
		pg->state = PAGE_CURRENT;
		refill(pg);
		return pg;
	}
	while ((pg = reclaim(h, c))) {
		if (refill(pg))
			return pg;
		file_page(h, pg); /* full */
	}
	pg = page_new(h, c);
	if (pg)
		carve(pg);
	return pg;
}

/*
 * malloc's slow path for a request of n <= PAGE_REQ_MAX bytes: a block of
 * h's current page of its class, after it is given blocks or another page
 * takes its place. NULL if no page can be had.
 */
void *malloc_page_alloc(struct heap *h, size_t n)
{
	unsigned c = class_of(n);
	struct page_class *pc = &h->classes[c];
	struct page *pg = pc->current;
	void *p;

	if (!pg || (!pg->free && !refill(pg))) {
		if (pg)
			file_page(h, pg); /* full */
		pg = next_page(h, c);
		set_current(h, c, pg);
		if (!pg)
			return NULL;
	}
	p = pg->free;
	pg->free = next_of(pg, p, "corrupted page free list at");
	((uint64_t *)p)[1] = 0;
	return p;
}

/*
 * The size of the smallest class that holds n <= PAGE_REQ_MAX bytes and
 * is a multiple of align <= PAGE_ALIGN_MAX, whose every block is aligned
 * to it (first_block()): malloc of that size is memalign(align, n). 0 if
 * none. Context: after malloc_init.
 */
size_t malloc_page_aligned_size(size_t n, size_t align)
{
	for (unsigned c = class_of(n ? n : 1); c < NCLASSES; c++)
		if (!(class_size[c] & (align - 1)))
			return class_size[c];
	return 0;
}

static bool on_list(struct page *pg, void *head, void *p)
{
	for (void *q = head; q; q = page_link(pg, *(void **)q))
		if (q == p)
			return true;
	return false;
}

/*
 * The page of p, in the region, which the caller (free, realloc,
 * malloc_usable_size) claims is a block in use; anything else aborts. A
 * block marked free (the page's mask in word 1) is looked for on its
 * page's lists
 * when the page is the caller's, and taken for freed when it is another
 * thread's (whose lists are its own): a block in use holds the mask only if
 * the program read it from freed memory.
 */
struct page *malloc_checked_page(void *p, const char *op)
{
	struct page *pg = page_of(p);
	const char *freed =
		op[0] == 'f' ? "double free of" : "use after free of";

	if ((char *)pg < pages.base || (char *)pg >= pages.top)
		malloc_bad_pointer(p, op);
	if (!page_ok(pg)) {
		/* a page given back: its blocks were all freed */
		if (!pg->check && ((uintptr_t)p & (ALIGNMENT - 1)) == 0 &&
		    (char *)p >= (char *)pg + PAGE_FIRST)
			malloc_fatal(freed, p);
		malloc_bad_pointer(p, op);
	}
	if (((uintptr_t)p & (ALIGNMENT - 1)) || !*page_map(pg, p))
		malloc_bad_pointer(p, op);
	if (((uint64_t *)p)[1] == pg->mask &&
	    (__atomic_load_n(&pg->heap, __ATOMIC_RELAXED) != malloc_heap() ||
	     on_list(pg, pg->free, p) || on_list(pg, pg->local_free, p) ||
	     on_list(pg, __atomic_load_n(&pg->thread_free, __ATOMIC_ACQUIRE),
		     p)))
		malloc_fatal(freed, p);
	return pg;
}

/*
 * A free's count reached 0 on h's page pg: a full page has a free block
 * again; any other but the current page is empty.
 */
void malloc_page_event(struct page *pg)
{
	struct heap *h = malloc_heap();
	struct page_class *pc = &h->classes[pg->cls];

	if (pg->state == PAGE_FULL) {
		list_remove(&pc->full, pg);
		pg->used = pg->carved - 1;
		file_page(h, pg);
	} else if (pg->state == PAGE_AVAIL) {
		list_remove(&pc->avail, pg);
		page_to_pool(pg);
	}
}

/*
 * free's slow path for p in the region: on the owner's thread, the local
 * list; on another's, the page's thread list, without a lock, and a mark
 * in the owner's heap (it may have exited: heaps are never unmapped).
 */
void malloc_page_free(void *p)
{
	struct page *pg = malloc_checked_page(p, "free");
	struct heap *h = __atomic_load_n(&pg->heap, __ATOMIC_RELAXED);
	void *old;

	((uint64_t *)p)[1] = pg->mask;
	if (h == malloc_heap()) {
		*(void **)p = page_link(pg, pg->local_free);
		pg->local_free = p;
		if (!--pg->used)
			malloc_page_event(pg);
		return;
	}
	old = __atomic_load_n(&pg->thread_free, __ATOMIC_RELAXED);
	do
		*(void **)p = page_link(pg, old);
	while (!__atomic_compare_exchange_n(&pg->thread_free, &old, p, true,
					    __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED));
	if (h)
		__atomic_store_n(&h->remote[pg->cls], 1, __ATOMIC_RELAXED);
}

/* The length of a page's list: every entry a carved block, marked free. */
static uint32_t list_length(struct page *pg, void *head)
{
	uint32_t n = 0;

	for (void *q = head, *next; q; q = next, n++) {
		next = page_link(pg, *(void **)q);
		if (((uintptr_t)next & (ALIGNMENT - 1)) ||
		    (char *)q < block(pg, 0) ||
		    (char *)q >= block(pg, pg->carved) ||
		    ((size_t)((char *)q - block(pg, 0)) % pg->size) ||
		    ((uint64_t *)q)[1] != pg->mask || n > pg->carved)
			malloc_fatal("check: bad page list entry at", q);
	}
	return n;
}

/* The current page's free list goes on its local list, used with it. */
static void fold_free(struct page *pg)
{
	void *q = pg->free;

	if (!q)
		return;
	pg->used -= list_length(pg, q);
	while (page_link(pg, *(void **)q))
		q = page_link(pg, *(void **)q);
	*(void **)q = page_link(pg, pg->local_free);
	pg->local_free = pg->free;
	pg->free = NULL;
}

/* A page of a heap whose thread exits: to the pool if empty, else abandoned. */
static void abandon(struct page *pg)
{
	if (pg->state == PAGE_FULL)
		pg->used = pg->carved; /* its local list is empty */
	pg->used -= collect(pg);
	if (!pg->used) {
		page_to_pool(pg);
		return;
	}
	__atomic_store_n(&pg->heap, NULL, __ATOMIC_RELAXED);
	pg->state = PAGE_ABANDONED;
	list_add(&pages.abandoned[pg->cls], pg);
}

/*
 * h's thread exits: every page of it takes its thread list in and goes to
 * the pool if empty, else to the abandoned pages of its class, for the
 * next heap that needs one. Context: the malloc lock held.
 */
void malloc_heap_abandon(struct heap *h)
{
	for (unsigned c = 0; c < NCLASSES; c++) {
		struct page_class *pc = &h->classes[c];
		struct page *pg = pc->current, *next;

		if (pg) {
			set_current(h, c, NULL);
			fold_free(pg);
			abandon(pg);
		}
		for (pg = pc->avail; pg; pg = next) {
			next = pg->next;
			abandon(pg);
		}
		for (pg = pc->full; pg; pg = next) {
			next = pg->next;
			abandon(pg);
		}
		pc->avail = pc->full = NULL;
		h->remote[c] = 0;
	}
}

/*
 * malloc_trim's pass (the malloc lock held): every empty page of the
 * caller's heap, its current ones too, and of the abandoned pages goes to
 * the pool, and the pool's pages give their memory back. Other threads'
 * heaps are theirs. Bytes given back.
 */
size_t malloc_pages_trim(void)
{
	struct heap *h = malloc_heap();
	size_t total = 0;
	struct page *pg, *next;

	for (unsigned c = 0; h->live && c < NCLASSES; c++) {
		struct page_class *pc = &h->classes[c];

		pg = pc->current;
		if (pg) {
			pg->used -= collect(pg);
			if (pg->used == list_length(pg, pg->free)) {
				set_current(h, c, NULL);
				pg->free = NULL;
				page_to_pool(pg);
			}
		}
		for (pg = pc->avail; pg; pg = next) {
			next = pg->next;
			pg->used -= collect(pg);
			if (!pg->used) {
				list_remove(&pc->avail, pg);
				page_to_pool(pg);
			}
		}
		__atomic_store_n(&h->remote[c], 0, __ATOMIC_RELAXED);
		gather(h, c);
	}
	for (unsigned c = 0; c < NCLASSES; c++)
		for (pg = pages.abandoned[c]; pg; pg = next) {
			next = pg->next;
			pg->used -= collect(pg);
			if (!pg->used) {
				list_remove(&pages.abandoned[c], pg);
				page_to_pool(pg);
			}
		}
	return total + release_oldest(pages.ndirty);
}

/* The blocks of pg in use: not on its free or local list (owner only). */
static size_t blocks_in_use(struct page *pg)
{
	return pg->carved - list_length(pg, pg->free) -
	       list_length(pg, pg->local_free);
}

static void page_info(struct page *pg, size_t *arena, size_t *in_use,
		      size_t *nfree, size_t *free_bytes)
{
	size_t used = blocks_in_use(pg);

	*arena += PAGE_SIZE;
	*in_use += used * pg->size;
	*nfree += pg->carved - used;
	*free_bytes += (pg->carved - used) * pg->size;
}

/*
 * mallinfo2's part (the malloc lock held): bytes of pages in use and of
 * their blocks in use; free blocks and their bytes. Exact for the caller's
 * heap and the abandoned pages (blocks on thread lists count as in use);
 * another thread's pages count whole, in use: their lists are its own.
 */
void malloc_pages_info(size_t *arena, size_t *in_use, size_t *nfree,
		       size_t *free_bytes)
{
	struct heap *self = malloc_heap();
	size_t all = (size_t)(pages.top - pages.base),
	       pool = (pages.ndirty + pages.nclean) * PAGE_SIZE, mine = 0;

	for (unsigned c = 0; c < NCLASSES; c++) {
		struct page_class *pc = &self->classes[c];
		struct page *lists[] = { pc->current, pc->avail, pc->full,
					 pages.abandoned[c] };

		for (unsigned i = 0; i < 4; i++)
			for (struct page *pg = lists[i]; pg;
			     pg = i ? pg->next : NULL) {
				page_info(pg, arena, in_use, nfree, free_bytes);
				mine += PAGE_SIZE;
			}
	}
	*arena += all - pool - mine;
	*in_use += all - pool - mine;
}

/* One page in use, of class c, in state state, of heap h. */
static void check_page(struct page *pg, struct heap *h, unsigned c,
		       unsigned state)
{
	size_t nf, nl, mapped = 0;

	malloc_expect(
		(char *)pg >= pages.base && (char *)pg < pages.top &&
			page_ok(pg) && pg->cls == c &&
			pg->size == class_size[c] && pg->state == state &&
			__atomic_load_n(&pg->heap, __ATOMIC_RELAXED) == h &&
			pg->carved <= pg->capacity &&
			pg->first == first_block(pg->size) &&
			pg->capacity == (PAGE_SIZE - pg->first) / pg->size &&
			(state == PAGE_CURRENT
				 ? !pg->next && !pg->prev
				 : !pg->next || pg->next->prev == pg),
		"check: bad page at", pg);
	nf = list_length(pg, pg->free);
	nl = list_length(pg, pg->local_free);
	list_length(pg, __atomic_load_n(&pg->thread_free, __ATOMIC_ACQUIRE));
	malloc_expect(state == PAGE_CURRENT || !nf,
		      "check: free list on a page not current at", pg);
	if (state == PAGE_FULL)
		malloc_expect(pg->used == 1 && !nl &&
				      pg->carved == pg->capacity,
			      "check: full page with free blocks at", pg);
	else
		malloc_expect(pg->used == pg->carved - nl &&
				      (state == PAGE_CURRENT || pg->used),
			      "check: page's used count wrong at", pg);
	malloc_expect(state != PAGE_AVAIL || has_free(pg),
		      "check: avail page without free blocks at", pg);
	for (size_t g = 0; g < (PAGE_SIZE >> 4); g++) {
		unsigned char m = ((unsigned char *)pg + PAGE_MAP)[g];
		size_t off = g << 4;
		bool start = off >= pg->first &&
			     (off - pg->first) % pg->size == 0 &&
			     (off - pg->first) / pg->size < pg->carved;

		malloc_expect(m == start, "check: bad page map at",
			      (char *)pg + off);
		mapped += m;
	}
	malloc_expect(mapped == pg->carved, "check: page map count at", pg);
}

static size_t check_list(struct page *head, struct heap *h, unsigned c,
			 unsigned state)
{
	size_t n = 0;

	for (struct page *pg = head; pg; pg = pg->next, n++)
		check_page(pg, h, c, state);
	return n;
}

/*
 * Every page of the region in use, its header's fixed fields: a page of
 * another thread's heap is read, not walked (its lists are its owner's).
 * The pool's pages are checked from the pool.
 */
static void check_region(void)
{
	size_t n = (size_t)(pages.top - pages.base) >> PAGE_SHIFT;
	uint64_t clean[NPAGES / 64] = { 0 };

	for (size_t k = 0; k < pages.nclean; k++)
		clean[pages.clean[k] / 64] |= (uint64_t)1
					      << (pages.clean[k] % 64);
	for (size_t i = 0; i < n; i++) {
		struct page *pg = page_at(i);

		if ((clean[i / 64] >> (i % 64)) & 1 || !pg->check)
			continue; /* given back (not touched), or free */
		malloc_expect(page_ok(pg) && pg->cls < NCLASSES &&
				      pg->size == class_size[pg->cls] &&
				      pg->first == first_block(pg->size) &&
				      pg->capacity == (PAGE_SIZE - pg->first) /
							      pg->size &&
				      pg->state != PAGE_POOL,
			      "check: bad page header at", pg);
	}
}

/*
 * malloc_check's part (the malloc lock held): every page's header in the
 * region; the caller's heap, the abandoned pages and the pool, their
 * lists walked; and, when no other thread has a heap, that every page of
 * the region is in one of them.
 */
void malloc_pages_check(void)
{
	struct heap *self = malloc_heap();
	size_t in_use = 0, in_pool = 0;
	bool alone = true;

	for (struct heap *h = malloc_heaps; h; h = h->next)
		alone &= h == self || !h->live;
	check_region();
	for (unsigned g = 0; g < NGRANULES; g++) {
		struct page *cur =
			self->classes[pages.granule_class[g]].current;

		malloc_expect(
			self->direct[g].page == (cur ? cur : &malloc_no_page),
			"check: direct table disagrees at", &self->direct[g]);
	}
	malloc_expect(!malloc_no_page.free, "check: the empty page has blocks",
		      &malloc_no_page);
	for (unsigned c = 0; c < NCLASSES; c++) {
		struct page_class *pc = &self->classes[c];

		if (pc->current) {
			check_page(pc->current, self, c, PAGE_CURRENT);
			in_use++;
		}
		in_use += check_list(pc->avail, self, c, PAGE_AVAIL);
		in_use += check_list(pc->full, self, c, PAGE_FULL);
		in_use +=
			check_list(pages.abandoned[c], NULL, c, PAGE_ABANDONED);
	}
	for (size_t k = 0; k < pages.ndirty; k++) {
		struct page *pg = page_at(
			pages.dirty[(pages.dirty_head - 1 - k) % NPAGES]);

		in_pool++;
		malloc_expect((char *)pg < pages.top && !pg->check &&
				      pg->state == PAGE_POOL,
			      "check: bad page in the pool at", pg);
		for (size_t g = 0; g < (PAGE_SIZE >> 4); g++)
			malloc_expect(!((unsigned char *)pg + PAGE_MAP)[g],
				      "check: pool page with a map at", pg);
	}
	/* the clean pages are not touched: they stay given back */
	for (size_t k = 0; k < pages.nclean; k++, in_pool++)
		malloc_expect((char *)page_at(pages.clean[k]) < pages.top,
			      "check: bad page in the pool at",
			      page_at(pages.clean[k]));
	malloc_expect(!alone || (in_use + in_pool) * PAGE_SIZE ==
					(size_t)(pages.top - pages.base),
		      "check: pages lost", pages.base);
}
