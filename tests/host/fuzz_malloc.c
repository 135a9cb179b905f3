// SPDX-License-Identifier: MIT
/*
 * tests/host/fuzz_malloc.c - the libFuzzer target of `make test-fuzz-malloc`:
 * the app's malloc (alloc/malloc/) driven by random API sequences.
 *
 * An input is a program over NSLOTS slots: each step is an opcode byte, a
 * slot byte and the bytes of its sizes (missing bytes read as 0). The steps
 * are malloc, calloc, realloc (grow, shrink, to 0, of NULL), reallocarray,
 * memalign (also with alignments that are not powers of two),
 * aligned_alloc, posix_memalign, valloc, pvalloc, free, malloc_usable_size,
 * malloc_trim, mallinfo2, mallopt (all four parameters; malloc_stats
 * only prints, it is left out) and requests that must fail. Only valid
 * sequences: an allocation into a full slot frees its block first. Sizes
 * are mostly small (the size-class pages), some medium (the exact and
 * ranged bins and the top), a few large (mappings of their own).
 *
 * Every block's usable bytes are filled with a pattern of its own (some
 * with its page's mask in word 1, the mark of a free block in a page, which
 * user data may happen to hold) and checked before it is freed or reallocated (and
 * the preserved prefix after), its edges after every step, all of it after
 * malloc_trim. Each step is followed by malloc_check() and by mallinfo2()
 * held against what the blocks add up to. The end of an input frees
 * everything, trims, and expects a heap of one top chunk; it then puts
 * back the tunables the first input found (mallopt's and the adaptive mmap
 * threshold's), so an input means the same whatever ran before it. Any
 * broken check prints what and aborts, which libFuzzer reports as a crash.
 *
 * The build renames the API to pg_malloc, pg_free... (MALLOC_RENAME): the
 * calls below are the allocator under test, libFuzzer's and ASan's own
 * allocations stay ASan's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>

#include "alloc/malloc/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSLOTS	 64
#define KIB	 ((size_t)1024)
#define MIB	 (1024 * KIB)
#define LIVE_MAX (64 * MIB) /* live bytes beyond this make requests small */
#define EDGE	 32	    /* bytes checked at each end after every step */

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: fuzz_malloc: %s: ", __FILE__, \
				__LINE__, #cond);                             \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			abort();                                              \
		}                                                             \
	} while (0)

struct block {
	unsigned char *p; /* NULL: the slot is empty */
	size_t n;	  /* bytes asked for */
	size_t usable;	  /* malloc_usable_size(), all of it patterned */
	uint64_t seed;	  /* the pattern's */
	bool keyed;	  /* word 1 is its page's mask, if it is in a page */
};

/*
 * Through pointers: called by name, <malloc.h>'s alloc_align would let the
 * compiler assume the alignment the checks are there to test.
 */
static void *(*const memalign_fn)(size_t, size_t) = memalign;
static void *(*const aligned_alloc_fn)(size_t, size_t) = aligned_alloc;

static struct block slots[NSLOTS];
static uint64_t counter;
static size_t live_bytes;

/* The tunables the first input found, put back after each. */
static struct malloc_tunables tunables;
static bool tunables_saved;

/* ---- the input ---- */
struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t u8(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static uint32_t u16(struct input *in)
{
	uint32_t v = u8(in);

	return v | (uint32_t)u8(in) << 8;
}

static uint32_t u32(struct input *in)
{
	uint32_t v = u16(in);

	return v | u16(in) << 16;
}

/* Sizes where a path or a class changes, to be hit exactly. */
static const size_t edges[] = {
	0,
	1,
	8,
	24,
	25,
	40,
	128,
	129,
	1000,
	1001,
	1008,
	1016,
	1024,
	1025,
	4096 - 8,
	4096,
	64 * KIB - 8,
	128 * KIB - 24,
	128 * KIB - 8,
	128 * KIB,
	128 * KIB + 1,
	4 * MIB,
	4 * MIB - 4096,
};

/* A request: mostly small, some medium, a few large. */
static size_t get_size(struct input *in)
{
	uint8_t k = u8(in);

	switch (k & 15) {
	case 11:
	case 12:
	case 13:
		return u32(in) % (200 * KIB + 1);
	case 14:
		return u32(in) % (4 * MIB + 1);
	case 15:
		return edges[(k >> 4) % (sizeof(edges) / sizeof(edges[0]))] +
		       (u8(in) & 7);
	default:
		return u16(in) % 1101;
	}
}

/* Powers of two 1..1 MiB, mostly 16..64 KiB; odd is for memalign only. */
static size_t get_align(struct input *in, bool odd)
{
	uint8_t k = u8(in);

	if (odd && (k & 0x80))
		return u16(in) + 1;
	k &= 0x7f;
	if (k < 8)
		return (size_t)1 << (k & 3);
	if (k < 120)
		return (size_t)16 << (k % 13);
	return MIB >> (k & 3);
}

/* ---- patterns ---- */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * Word i of a block's pattern. A keyed block of a page holds the page's
 * mask in word 1, what a free block of the page holds there: user data may.
 */
static uint64_t pattern(const struct block *b, size_t i)
{
	if (i == 1 && b->keyed && in_pages(b->p))
		return page_of(b->p)->mask;
	return mix(b->seed + i);
}

static void fill(const struct block *b)
{
	size_t i = 0;

	for (; i + 8 <= b->usable; i += 8) {
		uint64_t w = pattern(b, i / 8);

		memcpy(b->p + i, &w, 8);
	}
	for (; i < b->usable; i++)
		b->p[i] = (uint8_t)(pattern(b, i / 8) >> (8 * (i % 8)));
}

/* b's pattern over [from, to) of p; abort on the first difference. */
static void expect_pattern(int slot, const unsigned char *p, size_t from,
			   size_t to, const struct block *b, const char *when)
{
	for (size_t i = from; i < to; i++) {
		uint64_t w;

		if (!(i & 7) && i + 8 <= to) {
			memcpy(&w, p + i, 8);
			if (w == pattern(b, i / 8)) {
				i += 7;
				continue;
			}
		}
		CHECK(p[i] == (uint8_t)(pattern(b, i / 8) >> (8 * (i % 8))),
		      "%s: slot %d block %p byte %zu of %zu is %#x", when, slot,
		      (void *)p, i, to, p[i]);
	}
}

/* The whole block: its size as malloc sees it, and every byte. */
static void verify(int slot, const char *when)
{
	struct block *b = &slots[slot];
	size_t u = malloc_usable_size(b->p);

	CHECK(u == b->usable, "%s: slot %d block %p usable %zu, was %zu", when,
	      slot, (void *)b->p, u, b->usable);
	expect_pattern(slot, b->p, 0, b->usable, b, when);
}

static void verify_all(const char *when)
{
	for (int i = 0; i < NSLOTS; i++)
		if (slots[i].p)
			verify(i, when);
}

/* ---- blocks ---- */
static bool mapped(const void *p)
{
	return !in_pages(p) && is_mapped(mem_chunk(p));
}

/*
 * True if a request of n bytes must come from a mapping of its own: at the
 * threshold, below the count, and past the pages (a block of a page is
 * handed out whatever the threshold) unless aligned beyond 16.
 */
static bool must_map(size_t n, size_t align)
{
	return (n > PAGE_REQ_MAX || align > ALIGNMENT) &&
	       request_size(n) >= malloc_state.tune.mmap_threshold &&
	       malloc_state.mmapped_count < malloc_state.tune.mmap_max;
}

/* Drop the slot's block after its last check (free, realloc). */
static void forget(int slot)
{
	live_bytes -= slots[slot].usable;
	slots[slot].p = NULL;
}

/*
 * A block just returned for a request of n bytes aligned to align: where it
 * is, how big, and that it overlaps no other; then its pattern.
 */
static void adopt(int slot, void *p, size_t n, size_t align, bool map)
{
	struct block *b = &slots[slot];
	unsigned char *q = p;
	size_t u;

	CHECK(p, "slot %d: no block for %zu bytes (errno %d)", slot, n, errno);
	if (align < ALIGNMENT)
		align = ALIGNMENT;
	CHECK(!((uintptr_t)p & (align - 1)), "slot %d: %p not %zu-aligned",
	      slot, p, align);
	u = malloc_usable_size(p);
	CHECK(u >= n, "slot %d: %p usable %zu < %zu", slot, p, u, n);
	CHECK(!map || mapped(p), "slot %d: %p of %zu bytes not mapped", slot, p,
	      n);
	for (int i = 0; i < NSLOTS; i++) {
		const struct block *o = &slots[i];

		if (i == slot || !o->p)
			continue;
		CHECK(q + u <= o->p || o->p + o->usable <= q,
		      "slot %d: %p+%zu overlaps slot %d %p+%zu", slot, p, u, i,
		      (void *)o->p, o->usable);
	}
	b->p = p;
	b->n = n;
	b->usable = u;
	b->seed = mix(++counter ^ (uint64_t)slot << 56);
	b->keyed = false;
	fill(b);
	live_bytes += u;
}

static void release(int slot)
{
	if (!slots[slot].p)
		return;
	verify(slot, "free");
	free(slots[slot].p);
	forget(slot);
}

/* Keep the live total bounded: a request past it becomes a small one. */
static size_t bounded(size_t n)
{
	return live_bytes + n > LIVE_MAX ? n % 1101 : n;
}

/* ---- the heap against what the blocks add up to ---- */
static void check_info(void)
{
	struct mallinfo2 mi = mallinfo2();
	size_t heap = 0, nmapped = 0, mapped_bytes = 0;

	for (int i = 0; i < NSLOTS; i++) {
		const struct block *b = &slots[i];
		struct chunk *c;

		if (!b->p)
			continue;
		c = mem_chunk(b->p);
		if (in_pages(b->p)) {
			heap += malloc_usable_size(b->p);
		} else if (is_mapped(c)) {
			nmapped++;
			mapped_bytes += chunk_size(c) + c->prev_size;
		} else {
			heap += chunk_size(c);
		}
		/* the edges, where headers and footers are */
		expect_pattern(i, b->p, 0, b->usable < EDGE ? b->usable : EDGE,
			       b, "step");
		expect_pattern(i, b->p, b->usable > EDGE ? b->usable - EDGE : 0,
			       b->usable, b, "step");
	}
	/* the heap, and the pages in use */
	CHECK(mi.arena >= (size_t)(malloc_state.heap_end -
				   malloc_state.heap_start) &&
		      (mi.arena - (size_t)(malloc_state.heap_end -
					   malloc_state.heap_start)) %
				      PAGE_SIZE ==
			      0,
	      "arena %zu", mi.arena);
	CHECK(mi.fordblks <= mi.arena && mi.uordblks + mi.fordblks == mi.arena,
	      "uordblks %zu + fordblks %zu != arena %zu", mi.uordblks,
	      mi.fordblks, mi.arena);
	CHECK(mi.uordblks == heap, "uordblks %zu, the blocks hold %zu",
	      mi.uordblks, heap);
	CHECK(mi.hblks == nmapped && mi.hblkhd == mapped_bytes,
	      "hblks %zu hblkhd %zu, the blocks: %zu mapped, %zu bytes",
	      mi.hblks, mi.hblkhd, nmapped, mapped_bytes);
	CHECK(mi.fsmblks <= mi.fordblks && mi.smblks * 16 <= mi.fsmblks &&
		      mi.fsmblks <= mi.smblks * PAGE_REQ_MAX,
	      "smblks %zu fsmblks %zu fordblks %zu", mi.smblks, mi.fsmblks,
	      mi.fordblks);
	CHECK(mi.keepcost == (malloc_state.top ? malloc_state.top_size : 0) &&
		      mi.keepcost <= mi.fordblks,
	      "keepcost %zu", mi.keepcost);
	CHECK(!malloc_state.top || mi.ordblks >= 1, "ordblks %zu with a top",
	      mi.ordblks);
	CHECK(mi.usmblks == 0, "usmblks %zu", mi.usmblks);
}

/* The break is still malloc's: what trimming promises then holds. */
static bool brk_ours(void)
{
	return malloc_state.top && !malloc_state.brk_lost &&
	       (char *)malloc_sys_sbrk(0) == malloc_state.heap_end;
}

static void trim(size_t pad)
{
	size_t page = malloc_sys_page_size();

	malloc_trim(pad);
	malloc_check();
	if (brk_ours())
		CHECK(malloc_state.top_size < pad + MIN_CHUNK + page,
		      "top %zu after malloc_trim(%zu)", malloc_state.top_size,
		      pad);
	verify_all("after malloc_trim");
}

/* ---- the steps ---- */
static void do_malloc(int slot, struct input *in)
{
	size_t n = bounded(get_size(in));
	bool map;
	void *p;

	release(slot);
	map = must_map(n, 0);
	p = malloc(n);
	adopt(slot, p, n, 0, map);
}

static void do_calloc(int slot, struct input *in)
{
	size_t n = bounded(get_size(in)), nmemb = u8(in) % 8 + 1, each;
	unsigned char *p;
	bool map;

	release(slot);
	each = n / nmemb;
	map = must_map(nmemb * each, 0);
	p = calloc(nmemb, each);
	CHECK(p, "calloc(%zu, %zu) failed", nmemb, each);
	for (size_t i = 0; i < nmemb * each; i++)
		CHECK(!p[i], "calloc(%zu, %zu) = %p: byte %zu is %#x", nmemb,
		      each, (void *)p, i, p[i]);
	adopt(slot, p, nmemb * each, 0, map);
}

/* realloc, or reallocarray(p, nmemb, n / nmemb) when nmemb */
static void do_realloc(int slot, size_t n, size_t nmemb)
{
	struct block old = slots[slot];
	unsigned char *q;
	size_t keep;

	if (nmemb)
		n = n / nmemb * nmemb;
	if (!old.p) {
		bool map = must_map(n, 0);

		q = nmemb ? reallocarray(NULL, nmemb, n / nmemb)
			  : realloc(NULL, n);
		adopt(slot, q, n, 0, map);
		return;
	}
	verify(slot, "realloc");
	errno = 0;
	q = nmemb ? reallocarray(old.p, nmemb, n / nmemb) : realloc(old.p, n);
	if (!n) {
		/* glibc's realloc(p, 0): p freed, NULL back */
		CHECK(!q, "realloc(%p, 0) = %p", (void *)old.p, (void *)q);
		forget(slot);
		return;
	}
	CHECK(q, "realloc(%p, %zu) failed (errno %d)", (void *)old.p, n, errno);
	forget(slot);
	keep = old.usable < n ? old.usable : n;
	expect_pattern(slot, q, 0, keep, &old, "after realloc");
	adopt(slot, q, n, 0, false);
}

static void do_aligned(int slot, int how, struct input *in)
{
	size_t align = get_align(in, how == 0), n = bounded(get_size(in));
	size_t page = malloc_sys_page_size(), real = align;
	void *p = NULL;
	bool map;
	int rc;

	release(slot);
	if (how == 0 && (align & (align - 1)))
		real = (size_t)1 << (64 - __builtin_clzl(align));
	if (how == 3 || how == 4)
		real = page;
	if (how == 4)
		n = n ? (n + page - 1) & ~(page - 1) : page;
	map = must_map(n, real);
	errno = 0;
	switch (how) {
	case 0:
		p = memalign_fn(align, n);
		break;
	case 1:
		p = aligned_alloc_fn(align, n);
		break;
	case 2:
		rc = posix_memalign(&p, align, n);
		if (align < sizeof(void *)) {
			CHECK(rc == EINVAL && !p, "posix_memalign(%zu): %d, %p",
			      align, rc, p);
			return;
		}
		CHECK(rc == 0 && errno == 0, "posix_memalign(%zu, %zu): %d",
		      align, n, rc);
		break;
	case 3:
		p = valloc(n);
		break;
	default:
		p = pvalloc(n);
		break;
	}
	adopt(slot, p, n, real, map);
}

static void do_mallopt(struct input *in)
{
	uint8_t k = u8(in);
	int v;

	switch (k % 5) {
	case 0:
		v = (int)(u32(in) % (1024 * 1024));
		CHECK(mallopt(M_TRIM_THRESHOLD, v) == 1, "M_TRIM_THRESHOLD %d",
		      v);
		CHECK(malloc_state.tune.trim_threshold == (size_t)v,
		      "trim_threshold");
		break;
	case 1:
		v = (int)(u32(in) % (1024 * 1024));
		CHECK(mallopt(M_TOP_PAD, v) == 1, "M_TOP_PAD %d", v);
		CHECK(malloc_state.tune.top_pad == (size_t)v, "top_pad");
		break;
	case 2:
		v = (int)(k & 0x80 ? u32(in) % (32 * MIB + 1)
				   : u32(in) % (512 * KIB));
		CHECK(mallopt(M_MMAP_THRESHOLD, v) == 1, "M_MMAP_THRESHOLD %d",
		      v);
		CHECK(malloc_state.tune.mmap_threshold == (size_t)v,
		      "mmap_threshold");
		break;
	case 3:
		v = u8(in) % 8;
		CHECK(mallopt(M_MMAP_MAX, v) == 1, "M_MMAP_MAX %d", v);
		CHECK(malloc_state.tune.mmap_max == (size_t)v, "mmap_max");
		break;
	default: {
		size_t thr = malloc_state.tune.mmap_threshold,
		       max = malloc_state.tune.mmap_max;
		bool dyn = malloc_state.tune.dynamic;

		CHECK(mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024 + 1) == 0 &&
			      mallopt(M_MMAP_THRESHOLD, -1) == 0 &&
			      mallopt(M_MMAP_MAX, -1) == 0 &&
			      mallopt(12345, 1) == 0,
		      "mallopt took a bad value");
		CHECK(malloc_state.tune.mmap_threshold == thr &&
			      malloc_state.tune.mmap_max == max &&
			      malloc_state.tune.dynamic == dyn,
		      "a refused mallopt changed the state");
		return;
	}
	}
	CHECK(!malloc_state.tune.dynamic,
	      "mallopt left the threshold adaptive");
}

/* Requests that must fail, and what they must leave alone. */
static void do_bad(int slot, struct input *in)
{
	const size_t huge = MAX_REQUEST + 1 + (u8(in) & 63);
	struct block *b = &slots[slot];
	void *p = (void *)1;
	int rc;

#define FAILS(call, err)                                             \
	do {                                                         \
		errno = 0;                                           \
		CHECK(!(call) && errno == (err), "errno %d", errno); \
	} while (0)

	switch (u8(in) % 12) {
	case 0:
		FAILS(malloc(huge), ENOMEM);
		break;
	case 1:
		FAILS(malloc(SIZE_MAX - (u8(in) & 63)), ENOMEM);
		break;
	case 2:
		FAILS(calloc(SIZE_MAX / 2, 3), ENOMEM);
		break;
	case 3:
		FAILS(calloc((size_t)1 << 33, (size_t)1 << 31 | 1), ENOMEM);
		break;
	case 4:
		if (b->p) {
			FAILS(realloc(b->p, huge), ENOMEM);
			verify(slot, "after a failed realloc");
		}
		break;
	case 5:
		if (b->p) {
			FAILS(reallocarray(b->p, SIZE_MAX / 2, 3), ENOMEM);
			verify(slot, "after a failed reallocarray");
		}
		break;
	case 6:
		FAILS(aligned_alloc_fn(48 + 32 * (u8(in) & 7), 10), EINVAL);
		break;
	case 7:
		rc = posix_memalign(&p, u8(in) & 1 ? 24 : 4, 10);
		CHECK(rc == EINVAL && p == (void *)1, "posix_memalign: %d", rc);
		rc = posix_memalign(&p, 64, huge);
		CHECK(rc == ENOMEM && p == (void *)1, "posix_memalign: %d", rc);
		break;
	case 8:
		FAILS(memalign_fn(SIZE_MAX / 2 + 2, 10), EINVAL);
		FAILS(memalign_fn((size_t)1 << 62, 10), ENOMEM);
		break;
	case 9:
		FAILS(pvalloc(SIZE_MAX), ENOMEM);
		FAILS(valloc(huge), ENOMEM);
		break;
	case 10:
		FAILS(memalign_fn(4096, huge), ENOMEM);
		break;
	default:
		CHECK(malloc_usable_size(NULL) == 0, "usable size of NULL");
		free(NULL);
		break;
	}
#undef FAILS
}

static void step(struct input *in)
{
	uint8_t op = u8(in);
	int slot = u8(in) % NSLOTS;

	switch (op % 32) {
	case 0 ... 6:
		do_malloc(slot, in);
		break;
	case 7 ... 8:
		do_calloc(slot, in);
		break;
	case 9 ... 11:
		do_realloc(slot, bounded(get_size(in)), 0);
		break;
	case 12:
		do_realloc(slot, bounded(get_size(in)), u8(in) % 4 + 1);
		break;
	case 13 ... 17:
		do_aligned(slot, op % 32 - 13, in);
		break;
	case 18 ... 24:
		release(slot);
		break;
	case 25:
		if (!slots[slot].p)
			break;
		verify(slot, "malloc_usable_size");
		slots[slot].keyed = u8(in) & 1;
		fill(&slots[slot]);
		break;
	case 26:
		trim(u8(in) & 1 ? 0 : u32(in) % (512 * KIB));
		break;
	case 27:
		verify_all("mallinfo2");
		break;
	case 28:
		do_mallopt(in);
		break;
	case 29:
		do_bad(slot, in);
		break;
	case 30:
		do_realloc(slot, 0, u8(in) & 1);
		break;
	default:
		for (int i = 0; i < NSLOTS; i++)
			release(i);
		break;
	}
	malloc_check();
	check_info();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct mallinfo2 mi;

	if (!tunables_saved) {
		mallinfo2(); /* sets the allocator up */
		tunables = malloc_state.tune;
		tunables_saved = true;
	}
	while (in.left)
		step(&in);

	for (int i = 0; i < NSLOTS; i++)
		release(i);
	malloc_check();
	trim(0);
	mi = mallinfo2();
	CHECK(mi.uordblks == 0 && mi.hblks == 0 && mi.hblkhd == 0 &&
		      live_bytes == 0,
	      "left in use: %zu heap bytes, %zu mappings", mi.uordblks,
	      mi.hblks);
	CHECK(!malloc_state.top ||
		      (char *)malloc_state.top == malloc_state.heap_start,
	      "all free, yet the heap is not one top chunk");

	malloc_state.tune = tunables;
	return 0;
}
