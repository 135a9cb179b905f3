// SPDX-License-Identifier: MIT
/*
 * apps/mallocbench - the app's malloc (alloc/malloc/, "pagoda") against
 * picolibc's ("nano", nano-malloc), on the same workloads in the same run,
 * in instructions retired (rdinstret from U-mode; exact under QEMU's
 * -icount shift=0, which `make bench BENCH=malloc` uses).
 *
 * nano-malloc is linked in beside ours with every symbol renamed
 * (scripts/nano-malloc.sh: nano_malloc, nano_free, nano_realloc...). It
 * grows its heap with nano_sbrk, defined here over a private region from
 * mmap, so the two allocators never share the break: ours owns brk, nano
 * owns the region. Nano's peak heap is the region's high-water mark; ours
 * is the break's highest point above where it stood when main started.
 *
 * Every call is measured on its own: rdinstret, jalr to the allocator,
 * rdinstret, all in one asm statement, so nothing of the harness is
 * counted. From the delta come off the measured cost of an empty
 * rdinstret pair (the first rdinstret itself, 1) and of the call site (the
 * jalr, 1: a call to a lone `ret` costs pair + 2). What is left is every
 * instruction the function retires, its `ret` included, and whatever the
 * kernel retires on its behalf (a brk system call, a page fault on memory
 * it touches first: minstret counts every mode).
 *
 * Output, one line per measurement:
 *   bench: malloc_overhead rdinstret_pair=N call=N
 *   bench: malloc_fast_{malloc,free} alloc=A size=S instructions=MEDIAN
 *          min=N samples=N    one call on the fast path (the size's list
 *                             holds a chunk: a malloc and free before)
 *   bench: malloc_clock timebase_hz=N   the time CSR's rate (device tree)
 *   bench: malloc_pair workload=W alloc=A instructions_per_op=N ops=N
 *          peak_bytes=N live_peak_bytes=N cycles_per_op=N ns_per_op=N
 *                             a workload: all its calls (malloc, free,
 *                             realloc: one op each) over their number;
 *                             peak heap and peak requested bytes live;
 *                             cycles (rdcycle) and wall time (rdtime)
 *                             of the whole workload over its ops, so
 *                             these two include the harness (the counter
 *                             reads, the bookkeeping, the workload's own
 *                             loop), which instructions_per_op does not
 *   bench: malloc_ratio workload=W nano_over_pagoda=X.XX  (instructions)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "apps/runtime/runtime.h"

#define ROUNDS 256

/* ---- picolibc's allocator, renamed; its break ---- */
void *nano_malloc(size_t n);
void nano_free(void *p);
void *nano_realloc(void *p, size_t n);
void *nano_sbrk(ptrdiff_t incr);

#define NANO_REGION (64 << 20) /* faulted in as nano touches it */

static char *nano_base, *nano_brk;

void *nano_sbrk(ptrdiff_t incr)
{
	char *old = nano_brk;

	if (incr > nano_base + NANO_REGION - nano_brk ||
	    incr < nano_base - nano_brk) {
		errno = ENOMEM;
		return (void *)-1;
	}
	nano_brk += incr;
	return old;
}

/* ---- the allocators under test ---- */
struct allocator {
	const char *name;
	void *(*malloc)(size_t);
	void (*free)(void *);
	void *(*realloc)(void *, size_t);
	size_t (*heap)(void); /* bytes of heap now */
};

static char *brk_start;

static size_t pagoda_heap(void)
{
	return (size_t)((char *)sbrk(0) - brk_start);
}

static size_t nano_heap(void)
{
	return (size_t)(nano_brk - nano_base);
}

static const struct allocator allocs[2] = {
	{ "pagoda", malloc, free, realloc, pagoda_heap },
	{ "nano", nano_malloc, nano_free, nano_realloc, nano_heap },
};

/* ---- measuring ---- */
#define CALL_CLOBBERS                                                     \
	"ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a2", "a3", "a4", \
		"a5", "a6", "a7", "memory"

/* Instructions from the first rdinstret to the second, around fn(a, b). */
static inline uint64_t call2(const void *fn, uintptr_t a, uintptr_t b,
			     uintptr_t *ret)
{
	register uintptr_t a0 __asm__("a0") = a;
	register uintptr_t a1 __asm__("a1") = b;
	uint64_t t0, t1;

	__asm__ volatile("rdinstret %2\n\t"
			 "jalr %4\n\t"
			 "rdinstret %3"
			 : "+r"(a0), "+r"(a1), "=&r"(t0), "=&r"(t1)
			 : "r"(fn)
			 : CALL_CLOBBERS);
	*ret = a0;
	return t1 - t0;
}

static inline uint64_t empty_pair(void)
{
	uint64_t t0, t1;

	__asm__ volatile("rdinstret %0\n\t"
			 "rdinstret %1"
			 : "=&r"(t0), "=&r"(t1)::"memory");
	return t1 - t0;
}

/* A function that only returns: the cost of the call site. */
void bench_null(void);
__asm__(".text\n"
	".globl bench_null\n"
	".type bench_null, @function\n"
	"bench_null:\n"
	"\tret\n"
	".size bench_null, . - bench_null\n");

static uint64_t pair_cost, call_cost; /* call: the jalr, without the ret */

/* The instructions fn retires for fn(a, b), its ret included. */
static inline uint64_t measure(const void *fn, uintptr_t a, uintptr_t b,
			       uintptr_t *ret)
{
	return call2(fn, a, b, ret) - pair_cost - call_cost;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *s, int n)
{
	qsort(s, (size_t)n, sizeof(*s), cmp);
	return s[n / 2];
}

static int failed(const char *what, const struct allocator *a, size_t n)
{
	printf("bench: malloc_error %s alloc=%s size=%zu returned NULL\n", what,
	       a->name, n);
	return 1;
}

/* ---- the fast paths ---- */
static int fast_paths(const struct allocator *a)
{
	static const size_t sizes[] = { 16, 64, 256, 1000 };
	static uint64_t sm[ROUNDS], sf[ROUNDS];
	uintptr_t p, r;

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		/* the warm-up: the size's list now holds a chunk */
		p = (uintptr_t)a->malloc(n);
		if (!p)
			return failed("fast", a, n);
		a->free((void *)p);
		for (int k = 0; k < ROUNDS; k++) {
			sm[k] = measure((const void *)a->malloc, n, 0, &p);
			if (!p)
				return failed("fast", a, n);
			sf[k] = measure((const void *)a->free, p, 0, &r);
		}
		median(sm, ROUNDS);
		median(sf, ROUNDS);
		printf("bench: malloc_fast_malloc alloc=%s size=%zu instructions=%llu min=%llu samples=%d\n",
		       a->name, n, (unsigned long long)sm[ROUNDS / 2],
		       (unsigned long long)sm[0], ROUNDS);
		printf("bench: malloc_fast_free alloc=%s size=%zu instructions=%llu min=%llu samples=%d\n",
		       a->name, n, (unsigned long long)sf[ROUNDS / 2],
		       (unsigned long long)sf[0], ROUNDS);
	}
	return 0;
}

/* ---- the workloads ---- */
/* xorshift64*: the same sequence for both allocators */
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

struct run {
	const struct allocator *a;
	uint64_t instructions, ops;
	size_t peak, live, live_peak;
};

static void account(struct run *r, uint64_t n)
{
	size_t h = r->a->heap();

	r->instructions += n;
	r->ops++;
	if (h > r->peak)
		r->peak = h;
}

static void *op_malloc(struct run *r, size_t n)
{
	uintptr_t p;

	account(r, measure((const void *)r->a->malloc, n, 0, &p));
	if (p) {
		r->live += n;
		if (r->live > r->live_peak)
			r->live_peak = r->live;
	}
	return (void *)p;
}

static void op_free(struct run *r, void *p, size_t n)
{
	uintptr_t ret;

	account(r, measure((const void *)r->a->free, (uintptr_t)p, 0, &ret));
	r->live -= n;
}

static void *op_realloc(struct run *r, void *p, size_t old, size_t n)
{
	uintptr_t q;

	account(r, measure((const void *)r->a->realloc, (uintptr_t)p, n, &q));
	if (q) {
		r->live += n - old;
		if (r->live > r->live_peak)
			r->live_peak = r->live;
	}
	return (void *)q;
}

#define REPEAT	 1000
#define LIVE	 1000
#define SLOTS	 1024
#define MIXED	 20000
#define SEED	 0x9e3779b97f4a7c15ULL
#define CHAIN	 (64 << 10)
#define CHAIN_BY 64

static void *ptrs[SLOTS];
static size_t lens[SLOTS];
static unsigned order[LIVE];

/* (a) malloc and free of one size, REPEAT times */
static int repeat(struct run *r, size_t n)
{
	for (int i = 0; i < REPEAT; i++) {
		void *p = op_malloc(r, n);

		if (!p)
			return failed("repeat", r->a, n);
		op_free(r, p, n);
	}
	return 0;
}

/* (b) LIVE blocks of 1..1024 bytes, then freed in a random order */
static int live(struct run *r, size_t unused)
{
	(void)unused;
	rng = SEED;
	for (unsigned i = 0; i < LIVE; i++) {
		lens[i] = 1 + rnd() % 1024;
		ptrs[i] = op_malloc(r, lens[i]);
		if (!ptrs[i])
			return failed("live", r->a, lens[i]);
		order[i] = i;
	}
	for (unsigned i = LIVE - 1; i > 0; i--) {
		unsigned j = (unsigned)(rnd() % (i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned i = 0; i < LIVE; i++)
		op_free(r, ptrs[order[i]], lens[order[i]]);
	return 0;
}

/* (c) one block grown by realloc from 1 byte to 64 KiB, CHAIN_BY at a time */
static int chain(struct run *r, size_t unused)
{
	void *p = NULL;
	size_t old = 0;

	(void)unused;
	for (size_t n = 1; n <= CHAIN; n = n == 1 ? CHAIN_BY : n + CHAIN_BY) {
		p = op_realloc(r, p, old, n);
		if (!p)
			return failed("chain", r->a, n);
		old = n;
	}
	op_free(r, p, old);
	return 0;
}

/*
 * (d) MIXED steps over SLOTS slots: a random slot is freed if it holds a
 * block, else gets one of 1..8192 bytes (half the steps free, once the
 * slots are half full); then every block left is freed.
 */
static int mixed(struct run *r, size_t unused)
{
	(void)unused;
	rng = SEED;
	for (unsigned s = 0; s < SLOTS; s++)
		ptrs[s] = NULL;
	for (int i = 0; i < MIXED; i++) {
		unsigned s = (unsigned)(rnd() % SLOTS);

		if (ptrs[s]) {
			op_free(r, ptrs[s], lens[s]);
			ptrs[s] = NULL;
			continue;
		}
		lens[s] = 1 + rnd() % 8192;
		ptrs[s] = op_malloc(r, lens[s]);
		if (!ptrs[s])
			return failed("mixed", r->a, lens[s]);
	}
	for (unsigned s = 0; s < SLOTS; s++) {
		if (ptrs[s])
			op_free(r, ptrs[s], lens[s]);
		ptrs[s] = NULL;
	}
	return 0;
}

static int workload(const char *name, int (*fn)(struct run *, size_t),
		    size_t arg)
{
	struct run runs[2] = { { .a = &allocs[0] }, { .a = &allocs[1] } };

	for (int i = 0; i < 2; i++) {
		struct run *r = &runs[i];
		struct bench_counters c0, c1;

		bench_read(&c0);
		if (fn(r, arg))
			return 1;
		bench_read(&c1);
		printf("bench: malloc_pair workload=%s alloc=%s instructions_per_op=%llu ops=%llu peak_bytes=%zu live_peak_bytes=%zu cycles_per_op=%llu ns_per_op=%llu\n",
		       name, r->a->name,
		       (unsigned long long)((r->instructions + r->ops / 2) /
					    r->ops),
		       (unsigned long long)r->ops, r->peak, r->live_peak,
		       (unsigned long long)((c1.cycles - c0.cycles) / r->ops),
		       (unsigned long long)(bench_ticks_to_ns(c1.ticks -
							      c0.ticks) /
					    r->ops));
	}
	/* in hundredths, rounded */
	uint64_t x =
		(runs[1].instructions * 200 / runs[0].instructions + 1) / 2;
	printf("bench: malloc_ratio workload=%s nano_over_pagoda=%llu.%02llu\n",
	       name, (unsigned long long)(x / 100),
	       (unsigned long long)(x % 100));
	return 0;
}

int main(void)
{
	static uint64_t s[ROUNDS];
	uintptr_t ret;

	printf("bench: malloc_clock timebase_hz=%llu\n",
	       (unsigned long long)bench_timebase_hz());
	brk_start = sbrk(0);
	nano_base = mmap(NULL, NANO_REGION, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (nano_base == MAP_FAILED) {
		printf("bench: malloc_error mmap of nano's region failed\n");
		return 1;
	}
	nano_brk = nano_base;

	for (int i = 0; i < ROUNDS; i++)
		s[i] = empty_pair();
	pair_cost = median(s, ROUNDS);
	for (int i = 0; i < ROUNDS; i++)
		s[i] = call2((const void *)bench_null, 0, 0, &ret);
	call_cost = median(s, ROUNDS) - pair_cost - 1; /* less its ret */
	printf("bench: malloc_overhead rdinstret_pair=%llu call=%llu\n",
	       (unsigned long long)pair_cost, (unsigned long long)call_cost);

	for (int i = 0; i < 2; i++)
		if (fast_paths(&allocs[i]))
			return 1;
	if (workload("repeat16", repeat, 16) ||
	    workload("repeat64", repeat, 64) ||
	    workload("repeat256", repeat, 256) ||
	    workload("repeat4096", repeat, 4096) ||
	    workload("live1000", live, 0) ||
	    workload("realloc_chain", chain, 0) || workload("mixed", mixed, 0))
		return 1;
	return 0;
}
