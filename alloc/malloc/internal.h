/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/internal.h - chunks, size-class pages, bins and the one state.
 *
 * Requests of up to PAGE_REQ_MAX bytes are blocks in size-class pages, with
 * no header (below). The heap is one run of chunks from heap_start to the
 * top chunk, grown and shrunk with the break. Requests from the mmap
 * threshold up get a mapping of their own. A chunk, in the heap or mapped,
 * at address c:
 *
 *     c + 0   prev_size  the size of the chunk before, when that one is free
 *                        (its footer); else the last word of its user data.
 *                        Mapped chunks: the offset of c into the mapping.
 *     c + 8   head       size | flags, sealed with a check (below)
 *     c + 16  user data  ... up to c + size + 8: the chunk's usable size is
 *                        size - 8, its last word the next chunk's prev_size
 *
 * Invariants:
 *   - every chunk is 16-aligned, size a multiple of 16, size >= MIN_CHUNK
 *     (mapped chunks: a page multiple minus their offset);
 *   - a chunk is in exactly one state: in use; binned (H_FREE set, in the
 *     bin of its size, footer written, next chunk's H_PREV_INUSE clear); or
 *     the top chunk (H_FREE);
 *   - no two binned chunks, nor a binned chunk and top, are adjacent
 *     (freeing coalesces);
 *   - the top chunk ends at heap_end (the break malloc owns) and holds at
 *     least MIN_CHUNK bytes once the heap exists;
 *   - head's bits 40..63 equal bits 0..23 of (head ^ cookie): a header
 *     overwritten by an overflow, or read from memory malloc never handed
 *     out, fails the check with probability 1 - 2^-24.
 */
#ifndef PAGODA_ALLOC_MALLOC_INTERNAL_H
#define PAGODA_ALLOC_MALLOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc/malloc/malloc.h"
#include "alloc/malloc/sys.h"
#include "lib/compiler.h"

/*
 * free's fast path reads the header before it knows the pointer is
 * aligned: a misaligned pointer fails the header check and the slow path
 * names it. The load itself works on x86 and RISC-V (QEMU, and OpenSBI
 * emulating it on boards), so UBSan is told not to object.
 */
#ifdef __clang__
#define UNALIGNED_OK __attribute__((no_sanitize("alignment")))
#else
#define UNALIGNED_OK
#endif

/*
 * Every name below with external linkage is malloc's own: prefixed
 * malloc_, and hidden, so that libpagoda-malloc.so exports the allocation
 * API and nothing else (a program's own split() is not malloc's, nor the
 * other way round). In the image's static link hidden changes nothing; the
 * prefix keeps the app's names apart there.
 */
#pragma GCC visibility push(hidden)

/* ---- chunks ---- */
/* clang-format off */
#define ALIGNMENT     16
#define CHUNK_HDR     16        /* chunk to user data (bytes) */
#define MIN_CHUNK     32        /* header + two list links */
#define CHUNK_OVERHEAD 8        /* heap chunk in use: bytes beyond its data */
#define MAX_REQUEST   (((size_t)1 << 40) - (1 << 20)) /* fits the size field */

#define H_PREV_INUSE  0x1       /* the chunk before is not binned: no footer */
#define H_FREE        0x2       /* binned, or the top chunk */
#define H_MMAPPED     0x4       /* a mapping of its own; prev_size = offset */
#define H_RELEASED    0x8       /* binned: its whole pages given back (heap.c) */
#define H_FIELD       (((uint64_t)1 << 40) - 1) /* size | flags */
#define H_SIZE        (H_FIELD & ~(uint64_t)15)
#define H_CHECK_SHIFT 40        /* bits 40..63: the check */
/* clang-format on */

struct chunk {
	size_t prev_size;
	uint64_t head;
};

/* A binned chunk's list links, in its user data. */
struct free_link {
	struct free_link *fd, *bk;
};

/* x rounded up or down to a multiple of a, a power of two. */
static inline uintptr_t round_up(uintptr_t x, size_t a)
{
	return (x + a - 1) & ~(uintptr_t)(a - 1);
}

static inline uintptr_t round_down(uintptr_t x, size_t a)
{
	return x & ~(uintptr_t)(a - 1);
}

static inline void *chunk_mem(struct chunk *c)
{
	return (char *)c + CHUNK_HDR;
}

static inline struct chunk *mem_chunk(const void *p)
{
	return (struct chunk *)((char *)p - CHUNK_HDR);
}

static inline struct chunk *chunk_at(struct chunk *c, size_t off)
{
	return (struct chunk *)((char *)c + off);
}

static inline struct chunk *chunk_before(struct chunk *c, size_t off)
{
	return (struct chunk *)((char *)c - off);
}

/*
 * The size rule, its one definition: the chunk for a request of n <=
 * MAX_REQUEST bytes holds n and the chunk's head word (CHUNK_OVERHEAD),
 * rounded up to ALIGNMENT, and is MIN_CHUNK bytes at least. Every path that
 * sizes a chunk for a request calls it, malloc's fast path too: inline, it
 * costs what writing it out would.
 */
static inline size_t request_size(size_t n)
{
	size_t s =
		(n + CHUNK_OVERHEAD + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);

	return likely(s >= MIN_CHUNK) ? s : MIN_CHUNK;
}

/* ---- small blocks: size-class pages ---- */
/*
 * Requests of up to PAGE_REQ_MAX bytes are blocks in pages (pages.c): a
 * page is PAGE_SIZE bytes, PAGE_SIZE-aligned, inside one reserved region of
 * 2^REGION_SHIFT bytes aligned to its size, and holds blocks of one size
 * class with no header. A page at address pg:
 *
 *     pg + 0          struct page: the lists, the count, the class, owner
 *     pg + PAGE_MAP   the block map: one byte per 16-byte granule of the
 *                     page, 1 where a carved block starts, else 0
 *     pg + first      the blocks, size bytes each, capacity of them; the
 *                     first carved blocks from the start, the rest unused;
 *                     first is PAGE_FIRST rounded up to the largest power
 *                     of two (up to PAGE_ALIGN_MAX) that divides size, so
 *                     that every block of a class is aligned to it
 *
 * A block is, by address, in the region iff (p >> REGION_SHIFT) ==
 * malloc_region; its page is p & ~(PAGE_SIZE - 1); it is a block iff its
 * map byte is 1. Every page in use belongs to one heap (below), its owner,
 * or to none (abandoned by a thread that exited). Invariants of a page in
 * use:
 *   - every carved block is in exactly one state: in use (word 1 is not
 *     the page's mask, except by chance), or on one of the free list, the
 *     local list or the thread list (word 1 is the mask on all three);
 *   - only the owner touches free and local_free, without a lock; other
 *     threads only push on thread_free (atomically), which the owner takes
 *     whole with an exchange;
 *   - the free list is empty unless the page is its class's current page
 *     in its heap (the one the fast path pops);
 *   - used counts the carved blocks not on the local list (in use, on the
 *     free list or on the thread list), so free's decrement reaching 0 on
 *     a page that is not current means every block is back: the page goes
 *     to the pool there and then. Exception, state PAGE_FULL (every block
 *     in use when the page stopped being current): used is 1, so the first
 *     local free is the event that moves the page back to its class's
 *     pages with free blocks (and sets used right);
 *   - check == pg ^ cookie; the links of the three lists are stored XORed
 *     with mask, the page's own secret key (multiple of 16, so that a link
 *     that decodes to an unaligned pointer is caught).
 */
/* clang-format off */
#define PAGE_SHIFT    16
#define PAGE_SIZE     ((size_t)1 << PAGE_SHIFT)
#define REGION_SHIFT  28        /* the region: 256 MiB, 4096 pages */
#define PAGE_MAP      128       /* the block map's offset in its page */
#define PAGE_FIRST    (PAGE_MAP + (PAGE_SIZE >> 4)) /* the first block */
#define PAGE_REQ_MAX  8192      /* largest request in a page */
#define DIRECT_MAX    1024      /* largest in the direct table: the fast path */
#define NGRANULES     (DIRECT_MAX / 16 + 1)
#define NCLASSES      56
#define PAGE_ALIGN_MAX 4096     /* memalign's largest alignment in pages */
#define MEDIUM_STEP   128       /* the medium table: one entry per 128 bytes */
#define NMEDIUM       (PAGE_REQ_MAX / MEDIUM_STEP + 1)
/* clang-format on */

_Static_assert(PAGE_FIRST % 128 == 0, "classes of up to 128 bytes align");

/* Where a page is: the list it is on, if any. */
enum page_state {
	PAGE_POOL,    /* free, for any class (0: a page given back reads so) */
	PAGE_CURRENT, /* its class's current page in its heap */
	PAGE_AVAIL,   /* on its class's avail list: has free blocks */
	PAGE_FULL,    /* on its class's full list (used is 1, above) */
	PAGE_ABANDONED, /* no owner: on the abandoned list of its class */
};

struct heap;

struct page {
	void *free;	   /* malloc pops here (the current page only) */
	void *local_free;  /* the owner's frees push here */
	uint32_t used;	   /* carved blocks not on the local list */
	uint32_t size;	   /* of a block, bytes */
	uintptr_t mask;	   /* the page's key for its list links */
	struct heap *heap; /* the owner; NULL once abandoned */
	void *thread_free; /* other threads' frees (atomic) */
	uint32_t carved;   /* blocks carved from the first */
	uint32_t capacity;
	struct page *prev, *next; /* the list of its state */
	uint64_t check;		  /* pg ^ cookie while in use, else 0 */
	uint16_t first;		  /* the first block's offset */
	uint8_t cls;
	uint8_t state; /* enum page_state */
};

_Static_assert(sizeof(struct page) <= PAGE_MAP, "the page header fits");

/* The direct table: one entry per 16 bytes of request, 16 bytes apart. */
struct direct_entry {
	struct page *page; /* the current page of the class of n, or none */
	uintptr_t unused;
};

/* A heap's pages of one class (the current one is on no list). */
struct page_class {
	struct page *current; /* NULL, or state PAGE_CURRENT */
	struct page *avail;   /* PAGE_AVAIL pages, doubly linked */
	struct page *full;    /* PAGE_FULL pages, doubly linked */
};

/*
 * A heap: the pages of one thread (one heap in all in the image, whose app
 * has one thread). Only its owner thread touches it, without a lock, but
 * for remote: another thread that frees a block of one of its pages to the
 * thread list sets remote[class] (relaxed), so the owner knows which full
 * pages to look at for blocks. direct comes first: malloc's fast path
 * reads the heap's direct[(n + 15) / 16] at byte offset (n + 15) & ~15;
 * above DIRECT_MAX, medium[(n + 127) / 128] (every class above is a
 * multiple of 128).
 */
struct heap {
	struct direct_entry direct[NGRANULES];
	struct page *medium[NMEDIUM];
	struct page_class classes[NCLASSES];
	uint8_t remote[NCLASSES];
	struct heap *next; /* every heap (heaps.c) */
	bool live;	   /* its thread has not exited */
};

/* A heap's tables before it has pages: every entry names the empty page. */
#define HEAP_NO_PAGES                                                 \
	.direct = { [0 ... NGRANULES - 1] = { &malloc_no_page, 0 } }, \
	.medium = { [0 ... NMEDIUM - 1] = &malloc_no_page }

/* This thread's heap: the one heap, or the thread's (heaps.c). */
#ifdef MALLOC_THREADS
extern __thread struct heap *malloc_thread_heap
	__attribute__((tls_model("initial-exec")));
#define malloc_heap() malloc_thread_heap
#else
extern struct heap malloc_main_heap;
#define malloc_heap() (&malloc_main_heap)
#endif

/* A free that leaves a free chunk this large looks at trimming (glibc's
 * FASTBIN_CONSOLIDATION_THRESHOLD). */
#define TRIM_CHECK_MIN (64 * 1024)

/* ---- bins: coalesced free chunks ---- */
/*
 * Bin i < 64 holds chunks of exactly i * 16 bytes (32..1008). From 1024
 * up, four bins per power of two: size in [2^e + k 2^(e-2), 2^e +
 * (k+1) 2^(e-2)) goes to bin 64 + 4 (e - 10) + k. Each bin is a circular
 * doubly linked list through its sentinel; binmap bit i is set iff bin i
 * is not empty. Any chunk of a bin above bin_index(s) is at least s bytes.
 */
/* clang-format off */
#define NBINS        184
#define BINMAP_WORDS ((NBINS + 63) / 64)
/* clang-format on */

static inline unsigned bin_index(size_t size)
{
	unsigned e;

	if (size < 1024)
		return (unsigned)(size >> 4);
	e = 63 - (unsigned)__builtin_clzl(size);
	return 64 + 4 * (e - 10) + (unsigned)((size >> (e - 2)) & 3);
}

/* ---- the state ---- */
/* What mallopt sets (bytes; mmap_max in blocks). */
struct malloc_tunables {
	size_t mmap_threshold;
	size_t trim_threshold;
	size_t top_pad;
	size_t mmap_max;
	bool dynamic; /* the mmap threshold still adapts (mapped.c) */
};

/*
 * One per process: the chunks and the tunables, all under the malloc lock.
 * The secrets the fast paths read are globals of their own (below), in
 * small data in the image, where gp reaches each in one instruction. Sizes
 * in bytes.
 */
struct malloc_state {
	struct chunk *top; /* the top chunk, NULL before the heap exists */
	size_t top_size;
	char *heap_start; /* the first chunk */
	char *heap_end;	  /* the break malloc owns: top + top_size */
	bool brk_lost;	  /* someone else moved the break: mmap only */
	bool ready;

	struct malloc_tunables tune;

	/* statistics */
	size_t mmapped_count, mmapped_bytes;
	size_t max_mmapped_count, max_mmapped_bytes;
};

/* The bins: apart from the state, which must stay small for gp. */
struct malloc_bins {
	struct free_link bins[NBINS];
	uint64_t binmap[BINMAP_WORDS];
};

extern struct malloc_state malloc_state;
extern struct malloc_bins malloc_bins;
extern uint64_t malloc_cookie;	/* seals headers; keys the pages' links */
extern uintptr_t malloc_region; /* region address >> REGION_SHIFT, or ~0 */

/* ---- headers ---- */
static inline uint64_t seal(uint64_t field)
{
	return field | ((field ^ malloc_cookie) << H_CHECK_SHIFT);
}

static inline bool head_ok(uint64_t head)
{
	return !((((head ^ malloc_cookie) << H_CHECK_SHIFT) ^ head) >>
		 H_CHECK_SHIFT);
}

static inline size_t head_size(uint64_t head)
{
	return (size_t)(head & H_SIZE);
}

static inline size_t chunk_size(const struct chunk *c)
{
	return head_size(c->head);
}

static inline void set_head(struct chunk *c, size_t size, uint64_t flags)
{
	c->head = seal(size | flags);
}

static inline void set_flags(struct chunk *c, uint64_t set, uint64_t clear)
{
	c->head = seal(((c->head & H_FIELD) | set) & ~clear);
}

static inline bool is_mapped(const struct chunk *c)
{
	return c->head & H_MMAPPED;
}

/* ---- page list links ---- */
/*
 * A link of a page's lists is stored as next ^ mask, mask the page's own
 * key (pages.c draws it from the cookie and the page's address with a
 * mixing function, so one page's key tells nothing of another's). One
 * load from the page's header, which the fast paths read anyway. A
 * multiple of 16, never 0: a damaged link is caught when it decodes to an
 * unaligned pointer. The mask is also the mark of a free block (its word
 * 1): a block is carved in sequence, so its link gives the mask away to a
 * reader of freed memory who guesses the next block's address; writing
 * the mask out as well tells such a reader nothing more, and free's fast
 * path loads one secret, not two.
 */
static inline void *page_link(const struct page *pg, void *ptr)
{
	return (void *)((uintptr_t)ptr ^ pg->mask);
}

static inline bool in_pages(const void *p)
{
	return ((uintptr_t)p >> REGION_SHIFT) == malloc_region;
}

static inline struct page *page_of(const void *p)
{
	return (struct page *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
}

/* The map byte of the granule at p: 1 iff a carved block starts there. */
static inline unsigned char *page_map(struct page *pg, const void *p)
{
	return (unsigned char *)pg + PAGE_MAP +
	       (((uintptr_t)p - (uintptr_t)pg) >> 4);
}

/* ---- between the files ---- */
/* malloc.c */
void malloc_init(void);
void malloc_ready(void);
struct chunk *malloc_chunk(size_t nb);
struct chunk *malloc_checked_chunk(void *p, const char *op);

/* bins.c */
void malloc_bin_insert(struct chunk *c, size_t size);
void malloc_bin_remove(struct chunk *c);
struct chunk *malloc_bin_take(size_t nb);
void malloc_split(struct chunk *c, size_t size, size_t nb);
size_t malloc_free_coalesce(struct chunk *c);

/* pages.c */
extern struct page malloc_no_page;
void malloc_pages_init(void);
void *malloc_page_alloc(struct heap *h, size_t n);
size_t malloc_page_aligned_size(size_t n, size_t align);
struct page *malloc_checked_page(void *p, const char *op);
void malloc_page_free(void *p);
void malloc_page_event(struct page *pg);
void malloc_heap_abandon(struct heap *h);
void malloc_pages_info(size_t *arena, size_t *in_use, size_t *nfree,
		       size_t *free_bytes);
size_t malloc_pages_trim(void);
void malloc_pages_check(void);

/* heaps.c */
extern struct heap *malloc_heaps;
struct heap *malloc_heap_get(void);

/* heap.c */
struct chunk *malloc_top_take(size_t nb);
bool malloc_top_grow(size_t nb);
bool malloc_top_trim(size_t pad);
void malloc_release_inside(struct chunk *c, size_t size, char *lo, char *hi);
size_t malloc_release_bins(void);

/* mapped.c */
struct chunk *malloc_mapped_alloc(size_t nb, size_t align);
void malloc_mapped_free(struct chunk *c);
struct chunk *malloc_mapped_resize(struct chunk *c, size_t nb);

/* check.c */
_Noreturn void malloc_fatal(const char *what, const void *where);
_Noreturn void malloc_bad_pointer(void *p, const char *op);
void malloc_check(void);
void malloc_expect(bool ok, const char *what, const void *where);

#pragma GCC visibility pop

#endif
