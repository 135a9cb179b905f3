/* SPDX-License-Identifier: MIT */
/*
 * apps/malloctorture/main.c - a randomized torture test of the app's malloc
 * (alloc/malloc/), in the image and on the host.
 *
 *     make run APP=malloctorture MEM=512M [ARGS="SEED [OPS]"]
 *     make build/host/malloc_torture && build/host/malloc_torture [SEED [OPS]]
 *
 * The same file is the app and the host program tests/host/host.mk builds
 * (UBSan, with our malloc as the program's malloc). It keeps up to NSLOTS
 * blocks live and, OPS times, picks a slot at random: an empty one gets a
 * block from malloc, calloc, realloc(NULL), memalign, aligned_alloc or
 * posix_memalign (alignments 16 B..1 MiB); a full one is freed, reallocated
 * once, or through a chain of growing and shrinking reallocs. Sizes run
 * from 1 B to 64 MiB, mostly small, with a tail of medium and a few huge
 * ones; the live bytes stay under LIVE_MAX.
 *
 * Every block is filled with its own pattern (a function of its tag and the
 * offset) up to its usable size, and checked before it is freed or
 * reallocated and at the end: all of it up to FULL_MAX bytes, beyond that
 * its first and last HEAD bytes and one word every STRIDE bytes. calloc's
 * bytes must read as zero, realloc must keep the old bytes, the usable size
 * must cover the request and the alignment must hold. malloc_check()
 * verifies the whole heap every CHECK_EVERY operations; every VERIFY_EVERY
 * all live blocks are checked and mallinfo2 must account for them. At the
 * end everything is freed, malloc_trim(0) gives memory back, and mallinfo2
 * must show no more heap in use than before the first block (0 bytes in
 * the image; the host's stdio buffer) and no mapped block.
 *
 * Output is TAP: the plan, a "# malloc_torture: seed=S ops=N peak=B bytes"
 * comment, then one result per property, a failure followed by its first
 * diagnostics. Exit status 0 when everything holds, else 1.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/malloc/internal.h"

#define NSLOTS	     2048
#define LIVE_MAX     ((size_t)128 << 20) /* requested bytes live at once */
#define FULL_MAX     ((size_t)256 << 10) /* blocks filled and checked whole */
#define HEAD	     ((size_t)64 << 10)	 /* else the first and last bytes */
#define STRIDE	     256		 /* and one word every STRIDE */
#define CHECK_EVERY  97
#define VERIFY_EVERY 4096
#define TRIM_EVERY   3001

#define DEFAULT_SEED 1
#define DEFAULT_OPS  60000

/* ---- results ---- */
enum {
	T_PATTERN,  /* a block's bytes changed under it */
	T_USABLE,   /* malloc_usable_size >= the request */
	T_ALIGN,    /* alignment honoured */
	T_CALLOC,   /* calloc's bytes are zero */
	T_REALLOC,  /* realloc kept the old bytes */
	T_NOMEM,    /* no allocation failed (all fit in memory) */
	T_ACCOUNT,  /* mallinfo2 covers the live blocks */
	T_CHECK,    /* malloc_check passed (it aborts otherwise) */
	T_FINAL,    /* every block intact at the end */
	T_EMPTY,    /* no heap in use once all is freed and trimmed */
	T_UNMAPPED, /* no mapped block left */
	T_TRIMMED,  /* the break came down */
	NTESTS
};

static const char *const test_name[NTESTS] = {
	[T_PATTERN] = "block contents survive other operations",
	[T_USABLE] = "usable size covers the request",
	[T_ALIGN] = "alignment honoured",
	[T_CALLOC] = "calloc memory is zero",
	[T_REALLOC] = "realloc keeps the contents",
	[T_NOMEM] = "no allocation failed",
	[T_ACCOUNT] = "mallinfo2 accounts for the live blocks",
	[T_CHECK] = "malloc_check passes throughout",
	[T_FINAL] = "every block intact at the end",
	[T_EMPTY] = "no heap in use after free all and malloc_trim",
	[T_UNMAPPED] = "no mapped block left",
	[T_TRIMMED] = "malloc_trim lowered the break",
};

#define NDIAG 3

static struct {
	unsigned long fails;
	char diag[NDIAG][160];
} results[NTESTS];

static void fail(int t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(int t, const char *fmt, ...)
{
	va_list ap;

	if (results[t].fails < NDIAG) {
		va_start(ap, fmt);
		vsnprintf(results[t].diag[results[t].fails],
			  sizeof(results[t].diag[0]), fmt, ap);
		va_end(ap);
	}
	results[t].fails++;
}

/* ---- random numbers: xorshift64*, seeded through splitmix64 ---- */
static uint64_t rng;

static void seed_rng(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rng = (z ^ (z >> 31)) | 1;
}

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [lo, hi]. */
static size_t between(size_t lo, size_t hi)
{
	return lo + (size_t)(rnd() % (hi - lo + 1));
}

/* Log-uniform in [lo, hi]: as many sizes near lo as near hi. */
static size_t log_between(size_t lo, size_t hi)
{
	unsigned lb = 63 - (unsigned)__builtin_clzll(lo);
	unsigned hb = 63 - (unsigned)__builtin_clzll(hi);
	unsigned b = (unsigned)between(lb, hb);
	size_t base = (size_t)1 << b;
	size_t n = base + (size_t)(rnd() % base);

	return n < lo ? lo : n > hi ? hi : n;
}

/* Mostly small, a tail of medium, a few up to 64 MiB. */
static size_t pick_size(void)
{
	unsigned r = (unsigned)(rnd() % 1000);

	if (r < 600)
		return between(1, 128);
	if (r < 800)
		return between(129, 1024);
	if (r < 940)
		return log_between(1025, 32 << 10);
	if (r < 985)
		return log_between(32 << 10, 256 << 10);
	if (r < 997)
		return log_between(256 << 10, 4 << 20);
	return log_between(4 << 20, 64 << 20);
}

/* Mostly malloc's own range, some pages, a few up to 1 MiB. */
static size_t pick_align(void)
{
	unsigned r = (unsigned)(rnd() % 100);

	if (r < 70)
		return (size_t)16 << between(0, 4); /* 16..256 */
	if (r < 95)
		return (size_t)16 << between(5, 12); /* 512..64 KiB */
	return (size_t)16 << between(13, 16);	     /* 128 KiB..1 MiB */
}

/* ---- block contents ---- */
struct block {
	unsigned char *p;
	size_t n;     /* requested */
	size_t u;     /* usable when filled: the pattern runs this far */
	size_t align; /* asked for (16: malloc's own) */
	uint64_t tag;
};

static struct block slots[NSLOTS];
static size_t live, peak; /* requested bytes */
static size_t live_usable;

static uint64_t pattern_word(uint64_t tag, size_t off)
{
	uint64_t x = tag ^ ((uint64_t)(off >> 3) * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 32);
}

static unsigned char pattern_byte(uint64_t tag, size_t off)
{
	uint64_t w = pattern_word(tag, off & ~(size_t)7);
	unsigned char b[8];

	memcpy(b, &w, sizeof(b));
	return b[off & 7];
}

enum walk_mode { FILL, CHECK, ZERO };

/*
 * Fill, check or check zero the bytes [from, to) of the block: whole words
 * where they fit, bytes at the edges. Returns the first offset that is
 * wrong, or SIZE_MAX.
 */
static size_t walk_range(unsigned char *p, uint64_t tag, size_t from, size_t to,
			 enum walk_mode mode)
{
	size_t i = from;

	for (; i < to && (i & 7); i++) {
		unsigned char want = mode == ZERO ? 0 : pattern_byte(tag, i);

		if (mode == FILL)
			p[i] = want;
		else if (p[i] != want)
			return i;
	}
	for (; i + 8 <= to; i += 8) {
		uint64_t want = mode == ZERO ? 0 : pattern_word(tag, i), got;

		if (mode == FILL) {
			memcpy(p + i, &want, 8);
		} else {
			memcpy(&got, p + i, 8);
			if (got != want)
				break; /* the byte loop finds which */
		}
	}
	for (; i < to; i++) {
		unsigned char want = mode == ZERO ? 0 : pattern_byte(tag, i);

		if (mode == FILL)
			p[i] = want;
		else if (p[i] != want)
			return i;
	}
	return SIZE_MAX;
}

/*
 * The bytes of a block of u usable bytes that hold its pattern, below
 * limit: all of them for a block up to FULL_MAX, else the first and last
 * HEAD bytes and one word every STRIDE between.
 */
static size_t walk(unsigned char *p, size_t u, size_t limit, uint64_t tag,
		   enum walk_mode mode)
{
	size_t bad, end = limit < u ? limit : u;

	if (u <= FULL_MAX)
		return walk_range(p, tag, 0, end, mode);
	bad = walk_range(p, tag, 0, end < HEAD ? end : HEAD, mode);
	for (size_t off = HEAD;
	     bad == SIZE_MAX && off + 8 <= u - HEAD && off + 8 <= end;
	     off += STRIDE)
		bad = walk_range(p, tag, off, off + 8, mode);
	if (bad == SIZE_MAX && end > u - HEAD)
		bad = walk_range(p, tag, u - HEAD, end, mode);
	return bad;
}

static void fill(struct block *b)
{
	walk(b->p, b->u, b->u, b->tag, FILL);
}

/* Check the pattern below limit; a failure goes to test t. */
static bool verify(int t, const struct block *b, size_t limit, const char *when)
{
	size_t bad = walk(b->p, b->u, limit, b->tag, CHECK);

	if (bad == SIZE_MAX)
		return true;
	fail(t,
	     "%s: block %p (%zu bytes, tag %016" PRIx64
	     "): byte %zu is 0x%02x, not 0x%02x",
	     when, (void *)b->p, b->n, b->tag, bad, b->p[bad],
	     pattern_byte(b->tag, bad));
	return false;
}

/* ---- operations ---- */
static unsigned long nops, nallocs, nfrees, nreallocs, nfailed;
static uint64_t next_tag;

/* The request fits under LIVE_MAX with n_old given back; else a small one. */
static size_t bounded(size_t n, size_t n_old)
{
	if (live - n_old + n > LIVE_MAX)
		return between(1, 1024);
	return n;
}

/* A block just returned for n bytes at alignment align: check and fill. */
static void take(struct block *b, unsigned char *p, size_t n, size_t align,
		 bool zeroed)
{
	size_t u = malloc_usable_size(p);

	b->p = p;
	b->n = n;
	b->u = u;
	b->align = align;
	b->tag = rnd() ^ next_tag++;
	if (u < n) {
		fail(T_USABLE, "%p: usable size %zu for a request of %zu",
		     (void *)p, u, n);
		b->u = u = n < u ? n : u;
	}
	if ((uintptr_t)p % align)
		fail(T_ALIGN, "%p: not aligned to %zu (request %zu)", (void *)p,
		     align, n);
	if (zeroed) {
		size_t bad = walk(p, u, n, 0, ZERO);

		if (bad != SIZE_MAX)
			fail(T_CALLOC, "calloc(%zu) at %p: byte %zu is 0x%02x",
			     n, (void *)p, bad, p[bad]);
	}
	fill(b);
	live += n;
	live_usable += u;
	if (live > peak)
		peak = live;
	nallocs++;
}

static void allocate(struct block *b)
{
	size_t n = bounded(pick_size(), 0), align = 16;
	unsigned r = (unsigned)(rnd() % 100);
	bool zeroed = false;
	void *p;
	int err;

	if (r < 50) {
		p = malloc(n);
	} else if (r < 65) {
		size_t size = between(1, 16), nmemb = n / size ? n / size : 1;

		n = nmemb * size;
		p = calloc(nmemb, size);
		zeroed = true;
	} else if (r < 74) {
		p = realloc(NULL, n);
	} else if (r < 83) {
		align = pick_align();
		p = memalign(align, n);
	} else if (r < 91) {
		/* C11 wants a multiple of the alignment */
		align = pick_align();
		n = (n + align - 1) & ~(align - 1);
		if (live + n > LIVE_MAX) {
			align = 16;
			n = between(1, 64) * 16;
		}
		p = aligned_alloc(align, n);
	} else {
		align = pick_align();
		err = posix_memalign(&p, align, n);
		if (err)
			p = NULL;
	}
	if (!p) {
		fail(T_NOMEM,
		     "op %lu: allocation of %zu bytes (align %zu) failed", nops,
		     n, align);
		nfailed++;
		return;
	}
	take(b, p, n, align, zeroed);
}

static void release(struct block *b)
{
	verify(T_PATTERN, b, b->u, "before free");
	free(b->p);
	live -= b->n;
	live_usable -= b->u;
	b->p = NULL;
	nfrees++;
}

/* One realloc of b to n bytes: the kept bytes checked, then refilled. */
static void resize(struct block *b, size_t n)
{
	struct block old = *b;
	unsigned char *p;
	size_t kept;

	n = bounded(n, b->n);
	verify(T_PATTERN, b, b->u, "before realloc");
	p = realloc(b->p, n);
	nreallocs++;
	if (!p) {
		fail(T_NOMEM, "op %lu: realloc of %zu to %zu bytes failed",
		     nops, b->n, n);
		nfailed++;
		return; /* the old block stays */
	}
	live -= b->n;
	live_usable -= b->u;
	nallocs--; /* take() counts it again */
	b->p = p;
	b->u = malloc_usable_size(p);
	kept = n < old.u ? n : old.u;
	old.p = p;
	verify(T_REALLOC, &old, kept, "after realloc");
	take(b, p, n, 16, false);
}

static size_t new_size(const struct block *b)
{
	if (rnd() & 1) {
		/* relative: an eighth to eight times */
		size_t n = b->n * between(1, 64) / 8;

		return n ? n : 1;
	}
	return pick_size();
}

static void operate(struct block *b)
{
	unsigned r = (unsigned)(rnd() % 100), steps;

	if (!b->p) {
		allocate(b);
		return;
	}
	if (r < 55) {
		release(b);
	} else if (r < 85) {
		resize(b, new_size(b));
	} else if (r < 95) {
		/* a chain: grow and shrink several times */
		steps = (unsigned)between(3, 6);
		for (unsigned i = 0; i < steps && b->p; i++)
			resize(b, new_size(b));
	} else {
		verify(T_PATTERN, b, b->u, "checked");
		if (malloc_usable_size(b->p) < b->u)
			fail(T_USABLE, "%p: usable size went from %zu to %zu",
			     (void *)b->p, b->u, malloc_usable_size(b->p));
		free(NULL);
	}
}

static void verify_all(int t, const char *when)
{
	struct mallinfo2 mi;

	for (unsigned i = 0; i < NSLOTS; i++)
		if (slots[i].p)
			verify(t, &slots[i], slots[i].u, when);
	mi = mallinfo2();
	if (mi.uordblks + mi.hblkhd < live_usable)
		fail(T_ACCOUNT,
		     "op %lu: mallinfo2 in use %zu + mapped %zu < %zu bytes live",
		     nops, mi.uordblks, mi.hblkhd, live_usable);
}

static void report(void)
{
	for (int t = 0; t < NTESTS; t++) {
		unsigned long f = results[t].fails;

		printf("%sok %d - %s\n", f ? "not " : "", t + 1, test_name[t]);
		for (unsigned long i = 0; i < f && i < NDIAG; i++)
			printf("# %s\n", results[t].diag[i]);
		if (f > NDIAG)
			printf("# ... %lu failures in all\n", f);
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : DEFAULT_SEED;
	unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 0) : DEFAULT_OPS;
	struct mallinfo2 before, after;
	unsigned long checks = 0;
	int failed = 0;

	printf("1..%d\n", NTESTS);
	fflush(stdout);
	seed_rng(seed);
	before = mallinfo2();

	for (nops = 0; nops < ops; nops++) {
		operate(&slots[rnd() % NSLOTS]);
		if (nops % CHECK_EVERY == 0) {
			malloc_check();
			checks++;
		}
		if (nops % VERIFY_EVERY == VERIFY_EVERY - 1)
			verify_all(T_PATTERN, "periodic check");
		if (nops % TRIM_EVERY == TRIM_EVERY - 1)
			malloc_trim(rnd() % (1 << 20));
	}
	malloc_check();
	checks++;
	verify_all(T_FINAL, "at the end");

	for (unsigned i = 0; i < NSLOTS; i++)
		if (slots[i].p)
			release(&slots[i]);
	malloc_check();
	malloc_trim(0);
	malloc_check();
	checks += 2;
	after = mallinfo2();
	if (after.uordblks > before.uordblks)
		fail(T_EMPTY,
		     "%zu heap bytes in use, %zu before the first block",
		     after.uordblks, before.uordblks);
	if (after.hblks != before.hblks)
		fail(T_UNMAPPED, "%zu mapped blocks (%zu bytes), %zu before",
		     after.hblks, after.hblkhd, before.hblks);
	if (after.arena > after.uordblks + (64 << 10))
		fail(T_TRIMMED, "the heap is still %zu bytes, %zu in use",
		     after.arena, after.uordblks);

	printf("# malloc_torture: seed=%" PRIu64 " ops=%lu peak=%zu bytes\n",
	       seed, ops, peak);
	printf("# malloc_torture: %lu allocations, %lu reallocs, %lu frees, "
	       "%lu failed, %lu heap checks; heap %zu bytes, %zu in use at the "
	       "end (%zu before)\n",
	       nallocs, nreallocs, nfrees, nfailed, checks, after.arena,
	       after.uordblks, before.uordblks);
	report();
	for (int t = 0; t < NTESTS; t++)
		failed |= results[t].fails != 0;
	return failed;
}
