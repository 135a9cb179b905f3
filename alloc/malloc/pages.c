/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/pages.c - small blocks in size-class pages (internal.h
 * draws a page).
 *
 * Requests of up to PAGE_REQ_MAX bytes are blocks of one of NCLASSES
 * classes: 16..128 in steps of 16, then 8 classes per power of two up to
 * 1024 (a step of at most 1/8 of the class: above 128 bytes a block wastes
 * less than 12.5 % of itself; below, the 16-byte alignment rules). Every
 * page of a class is on the class's list; one of them is current, the one
 * the fast path pops. When its free list runs out, malloc_page_alloc takes
 * its local list over (the blocks freed since), carves more blocks from
 * its unused end (up to 4 KiB at a time, so untouched memory stays
 * untouched), or moves on to another page of the class with free blocks,
 * or to a new page.
 *
 * Pages come from one region of address space reserved at start
 * (malloc_sys_reserve: committed page by page as touched), 2^REGION_SHIFT
 * bytes aligned to its size, so that free tells a block in a page from a
 * chunk with one shift and compare, and reads no header before the block.
 * A page whose blocks are all free (and that is not current) goes to the
 * pool of free pages, for any class; past trim_threshold bytes of free
 * pages, a page going to the pool gives its memory to the system
 * (malloc_sys_release). Without a region (the reservation refused), or
 * with the region full, small requests are chunks as larger ones are.
 *
 * Context: the malloc lock held.
 */
#include <string.h>

#include "alloc/malloc/internal.h"

/* Carve at most this many bytes of blocks at a time. */
#define CARVE_BYTES 4096

/* The page the direct table names while a class has none: never a block. */
struct page malloc_no_page;

static const uint16_t class_size[NCLASSES] = {
	16,  32,  48,  64,  80,	 96,  112, 128, /* steps of 16 */
	144, 160, 176, 192, 208, 224, 240, 256, /* 16 */
	288, 320, 352, 384, 416, 448, 480, 512, /* 32 */
	576, 640, 704, 768, 832, 896, 960, 1024 /* 64 */
};

struct page_class {
	struct page *current; /* NULL, or on the list */
	struct page *pages;   /* every page of the class, doubly linked */
};

static struct {
	struct page_class classes[NCLASSES];
	uint8_t granule_class[NGRANULES]; /* (n + 15) / 16 -> class */
	char *base, *top, *end; /* the region; pages carved below top */
	struct page *pool;	/* free pages, linked by next */
	size_t pool_dirty;	/* pool pages not released */
} pages;

static bool page_ok(const struct page *pg)
{
	return pg->check == ((uintptr_t)pg ^ malloc_state.cookie);
}

static void set_current(unsigned c, struct page *pg)
{
	pages.classes[c].current = pg;
	for (unsigned g = 0; g < NGRANULES; g++)
		if (pages.granule_class[g] == c)
			malloc_state.direct[g].page = pg ? pg : &malloc_no_page;
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
	}
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
	malloc_state.region = (uintptr_t)a >> REGION_SHIFT;
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
}

/* A page for class c, from the pool or the region; NULL if none. */
static struct page *page_new(unsigned c)
{
	struct page *pg = pages.pool;

	if (pg) {
		pages.pool = pg->next;
		if (!pg->released)
			pages.pool_dirty--;
	} else {
		if (pages.top == pages.end)
			return NULL;
		pg = (struct page *)pages.top;
		pages.top += PAGE_SIZE;
	}
	/* the map of a page in the pool is all zero */
	pg->free = pg->local_free = pg->counted_head = NULL;
	pg->ncounted = pg->carved = 0;
	pg->size = class_size[c];
	pg->capacity = (uint32_t)((PAGE_SIZE - PAGE_FIRST) / pg->size);
	pg->cls = c;
	pg->released = false;
	pg->check = (uintptr_t)pg ^ malloc_state.cookie;
	list_add(&pages.classes[c].pages, pg);
	return pg;
}

static char *block(struct page *pg, uint32_t i)
{
	return (char *)pg + PAGE_FIRST + (size_t)i * pg->size;
}

/* Carve up to CARVE_BYTES of new blocks onto the (empty) free list. */
static void carve(struct page *pg)
{
	uint32_t k = CARVE_BYTES / pg->size, i;
	void *next = NULL;

	if (!k)
		k = 1;
	if (k > pg->capacity - pg->carved)
		k = pg->capacity - pg->carved;
	for (i = pg->carved + k; i-- > pg->carved;) {
		char *b = block(pg, i);

		*page_map(pg, b) = 1;
		*(void **)b = mangle(b, next);
		((uint64_t *)b)[1] = malloc_state.key;
		next = b;
	}
	pg->free = next;
	pg->carved += k;
}

/* Give pg's free list blocks, if it has any to give. */
static bool refill(struct page *pg)
{
	if (pg->local_free) {
		pg->free = pg->local_free;
		pg->local_free = pg->counted_head = NULL;
		pg->ncounted = 0;
		return true;
	}
	if (pg->carved < pg->capacity) {
		carve(pg);
		return true;
	}
	return false;
}

/* The length of pg's local list, counting only what was pushed since. */
static uint32_t local_count(struct page *pg)
{
	uint32_t n = 0;

	for (void *q = pg->local_free; q != pg->counted_head; n++) {
		if (!q || n > pg->carved)
			malloc_fatal("corrupted page local list at", pg);
		q = demangle(q, *(void **)q);
		if ((uintptr_t)q & (ALIGNMENT - 1))
			malloc_fatal("corrupted page local list at", pg);
	}
	pg->counted_head = pg->local_free;
	pg->ncounted += n;
	return pg->ncounted;
}

/*
 * Every block of pg (not current) is on its local list: the page goes to
 * the pool, its map cleared; past trim_threshold bytes of free pages, its
 * memory goes back to the system (all but its first system page, which
 * holds the pool's link).
 */
static void page_empty(struct page *pg)
{
	struct page_class *pc = &pages.classes[pg->cls];
	size_t sys = malloc_sys_page_size();

	list_remove(&pc->pages, pg);
	memset((char *)pg + PAGE_MAP, 0,
	       (size_t)(block(pg, pg->carved) - (char *)pg) >> 4);
	pg->check = 0;
	pg->released = false;
	if ((pages.pool_dirty + 1) * PAGE_SIZE >
		    malloc_state.tune.trim_threshold &&
	    sys < PAGE_SIZE) {
		malloc_sys_release((char *)pg + sys, PAGE_SIZE - sys);
		pg->released = true;
	} else {
		pages.pool_dirty++;
	}
	pg->next = pages.pool;
	pages.pool = pg;
}

/*
 * The pages of pc but its current one: the empty ones go to the pool; the
 * first with free blocks (on its local list, or yet to carve) is returned.
 */
static struct page *scan(struct page_class *pc)
{
	struct page *pg, *next, *found = NULL;

	for (pg = pc->pages; pg; pg = next) {
		next = pg->next;
		if (pg == pc->current)
			continue;
		if (pg->local_free && local_count(pg) == pg->carved)
			page_empty(pg);
		else if (!found &&
			 (pg->local_free || pg->carved < pg->capacity))
			found = pg;
	}
	return found;
}

static size_t list_length(struct page *pg, void *head);

/* malloc_trim's pass: every empty page to the pool, current ones too. */
static void scan_all(void)
{
	for (unsigned c = 0; c < NCLASSES; c++) {
		struct page_class *pc = &pages.classes[c];
		struct page *pg = pc->current;

		scan(pc);
		if (pg &&
		    local_count(pg) + list_length(pg, pg->free) == pg->carved) {
			set_current(c, NULL);
			page_empty(pg);
		}
	}
}

/* A block of a page for a request of n <= PAGE_REQ_MAX bytes, or NULL. */
void *malloc_page_alloc(size_t n)
{
	unsigned c = pages.granule_class[(n + 15) >> 4];
	struct page_class *pc = &pages.classes[c];
	struct page *pg = pc->current;
	void *p, *next;

	if (!pg || !pg->free) {
		if (!pg || !refill(pg)) {
			pg = scan(pc);
			if (pg)
				refill(pg);
			else {
				pg = page_new(c);
				if (!pg)
					return NULL;
				carve(pg);
			}
			set_current(c, pg);
		}
	}
	p = pg->free;
	next = demangle(p, *(void **)p);
	if ((uintptr_t)next & (ALIGNMENT - 1))
		malloc_fatal("corrupted page free list at", p);
	pg->free = next;
	((uint64_t *)p)[1] = 0;
	return p;
}

/*
 * A block aligned to align <= PAGE_ALIGN_MAX for a request of n <=
 * PAGE_REQ_MAX: of the smallest class that is a multiple of align, whose
 * every block is aligned (PAGE_FIRST is). NULL if no page.
 */
void *malloc_page_alloc_aligned(size_t n, size_t align)
{
	for (unsigned c = 0; c < NCLASSES; c++)
		if (class_size[c] >= n && !(class_size[c] & (align - 1)))
			return malloc_page_alloc(class_size[c]);
	return NULL;
}

static bool on_list(void *head, void *p)
{
	for (void *q = head; q; q = demangle(q, *(void **)q))
		if (q == p)
			return true;
	return false;
}

/*
 * The page of p, in the region, which the caller (free, realloc,
 * malloc_usable_size) claims is a block in use; anything else aborts.
 */
struct page *malloc_checked_page(void *p, const char *op)
{
	struct page *pg = page_of(p);

	if ((char *)pg < pages.base || (char *)pg >= pages.top)
		malloc_bad_pointer(p, op);
	if (!page_ok(pg)) {
		/* a page given back: its blocks were all freed */
		if (!pg->check && ((uintptr_t)p & (ALIGNMENT - 1)) == 0 &&
		    (char *)p >= (char *)pg + PAGE_FIRST)
			malloc_fatal(op[0] == 'f' ? "double free of"
						  : "use after free of",
				     p);
		malloc_bad_pointer(p, op);
	}
	if (((uintptr_t)p & (ALIGNMENT - 1)) || !*page_map(pg, p))
		malloc_bad_pointer(p, op);
	if (((uint64_t *)p)[1] == malloc_state.key &&
	    (on_list(pg->free, p) || on_list(pg->local_free, p)))
		malloc_fatal(op[0] == 'f' ? "double free of"
					  : "use after free of",
			     p);
	return pg;
}

/* free's slow path for p in the region. */
void malloc_page_free(void *p)
{
	struct page *pg = malloc_checked_page(p, "free");

	*(void **)p = mangle(p, pg->local_free);
	((uint64_t *)p)[1] = malloc_state.key;
	pg->local_free = p;
}
/* malloc_trim: release every free page of the pool. Bytes given back. */
size_t malloc_pages_trim(void)
{
	size_t sys = malloc_sys_page_size(), total = 0;

	scan_all();
	if (sys >= PAGE_SIZE)
		return 0;
	for (struct page *pg = pages.pool; pg; pg = pg->next)
		if (!pg->released) {
			malloc_sys_release((char *)pg + sys, PAGE_SIZE - sys);
			pg->released = true;
			total += PAGE_SIZE - sys;
		}
	pages.pool_dirty = 0;
	return total;
}

static size_t list_length(struct page *pg, void *head)
{
	/* a page's lists: every entry a carved block, marked free */
	size_t n = 0;

	for (void *q = head, *next; q; q = next, n++) {
		next = demangle(q, *(void **)q);
		if (((uintptr_t)next & (ALIGNMENT - 1)) ||
		    (char *)q < (char *)pg + PAGE_FIRST ||
		    (char *)q >= block(pg, pg->carved) ||
		    ((size_t)((char *)q - block(pg, 0)) % pg->size) ||
		    ((uint64_t *)q)[1] != malloc_state.key || n > pg->carved)
			malloc_fatal("check: bad page list entry at", q);
	}
	return n;
}

/* mallinfo2: bytes of pages in use, of their blocks in use; free blocks. */
void malloc_pages_info(size_t *arena, size_t *in_use, size_t *nfree,
		       size_t *free_bytes)
{
	for (unsigned c = 0; c < NCLASSES; c++)
		for (struct page *pg = pages.classes[c].pages; pg;
		     pg = pg->next) {
			size_t f = list_length(pg, pg->free) +
				   list_length(pg, pg->local_free);

			*arena += PAGE_SIZE;
			*in_use += (pg->carved - f) * pg->size;
			*nfree += f;
			*free_bytes += f * pg->size;
		}
}

static void expect(bool ok, const char *what, const void *where)
{
	if (!ok)
		malloc_fatal(what, where);
}

/* malloc_check's part: every page, in use or in the pool. */
void malloc_pages_check(void)
{
	size_t in_classes = 0, in_pool = 0, dirty = 0;

	for (unsigned g = 0; g < NGRANULES; g++) {
		struct page *cur =
			pages.classes[pages.granule_class[g]].current;

		expect(malloc_state.direct[g].page ==
			       (cur ? cur : &malloc_no_page),
		       "check: direct table disagrees at",
		       &malloc_state.direct[g]);
	}
	expect(!malloc_no_page.free, "check: the empty page has blocks",
	       &malloc_no_page);
	for (unsigned c = 0; c < NCLASSES; c++) {
		struct page_class *pc = &pages.classes[c];
		bool current_seen = false;

		for (struct page *pg = pc->pages; pg; pg = pg->next) {
			size_t nf, nl, mapped = 0;

			in_classes++;
			expect((char *)pg >= pages.base &&
				       (char *)pg < pages.top && page_ok(pg) &&
				       pg->cls == c &&
				       pg->size == class_size[c] &&
				       pg->carved <= pg->capacity &&
				       pg->capacity ==
					       (PAGE_SIZE - PAGE_FIRST) /
						       pg->size &&
				       (!pg->next || pg->next->prev == pg),
			       "check: bad page at", pg);
			nf = list_length(pg, pg->free);
			nl = list_length(pg, pg->local_free);
			expect(pg == pc->current || !nf,
			       "check: free list on a page not current at", pg);
			expect(nl >= pg->ncounted &&
				       (!pg->counted_head ||
					on_list(pg->local_free,
						pg->counted_head)),
			       "check: page's local count wrong at", pg);
			for (size_t g = 0; g < (PAGE_SIZE >> 4); g++) {
				unsigned char m =
					((unsigned char *)pg + PAGE_MAP)[g];
				size_t off = g << 4;
				bool start =
					off >= PAGE_FIRST &&
					(off - PAGE_FIRST) % pg->size == 0 &&
					(off - PAGE_FIRST) / pg->size <
						pg->carved;

				expect(m == start, "check: bad page map at",
				       (char *)pg + off);
				mapped += m;
			}
			expect(mapped == pg->carved, "check: page map count at",
			       pg);
			current_seen |= pg == pc->current;
		}
		expect(!pc->current || current_seen,
		       "check: current page not on its list", pc->current);
	}
	for (struct page *pg = pages.pool; pg; pg = pg->next) {
		in_pool++;
		dirty += !pg->released;
		expect((char *)pg >= pages.base && (char *)pg < pages.top &&
			       !pg->check &&
			       in_pool <= 1 + (size_t)(pages.top - pages.base) /
							  PAGE_SIZE,
		       "check: bad page in the pool at", pg);
		for (size_t g = 0; g < (PAGE_SIZE >> 4); g++)
			expect(!((unsigned char *)pg + PAGE_MAP)[g],
			       "check: pool page with a map at", pg);
	}
	expect(dirty == pages.pool_dirty, "check: pool count wrong",
	       pages.pool);
	expect((in_classes + in_pool) * PAGE_SIZE ==
		       (size_t)(pages.top - pages.base),
	       "check: pages lost", pages.base);
}
