// SPDX-License-Identifier: MIT
/*
 * apps/membench - allocator workloads in the shapes of mimalloc-bench's and
 * glibc's malloc benchmarks (single-threaded), measured in instructions
 * retired: rdinstret from U-mode, exact under QEMU's -icount shift=0 (two
 * runs print the same numbers). The same source is built against every
 * allocator `make bench-membench` compares (docs/membench.md).
 *
 *   membench [quick] [WORKLOAD-PREFIX...] [-WORKLOAD-PREFIX...]
 *
 * quick runs smaller counts; a prefix ("hot-pair", "malloc-large") runs the
 * workloads whose names start with it, "-prefix" all but those. One JSON object a line on stdout:
 *
 *   {"suite":"membench","alloc":A,"libc":L,"workload":W,"ops":N,
 *    "instr_per_op":F,"max_op_instr":N,"peak_live":B,"peak_footprint":B,
 *    "faults":N,"start_footprint":B,"end_footprint":B,"scale":S}
 *
 *   ops             calls of malloc, free, realloc, calloc and memalign
 *   instr_per_op    the instructions they retired, over ops (two decimals);
 *                   the kernel's work on their behalf included (a system
 *                   call, a fault on memory the allocator touches)
 *   max_op_instr    the slowest single call
 *   peak_live       the most bytes requested and not yet freed
 *   peak_footprint  the largest resident set seen (VmRSS, sampled between
 *                   calls, never inside a count), less the resident set when
 *                   main started: bytes
 *   start_footprint, end_footprint  the same when the workload began and
 *                   after it freed everything: what earlier workloads left
 *                   behind, and what this one gives back
 *   faults          page faults during the workload (/proc/vmstat pgfault)
 *   total_instr     lua-gc only: the instructions of its whole bare run
 *                   (luagc.c), interpreter and allocator
 *   scale           "full" or "quick"
 *
 * A workload the allocator failed (NULL) adds "error":"..." and stops.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "membench.h"

/* The names in the output; the build says which allocator it linked. */
#ifndef MEMBENCH_ALLOC
#ifdef __PICOLIBC__
#define MEMBENCH_ALLOC "pagoda"
#elif defined(__GLIBC__)
#define MEMBENCH_ALLOC "glibc"
#else
#define MEMBENCH_ALLOC "musl"
#endif
#endif

#ifdef __PICOLIBC__
#define MEMBENCH_LIBC "picolibc"
#elif defined(__GLIBC__)
#define MEMBENCH_LIBC "glibc"
#else
#define MEMBENCH_LIBC "musl"
#endif

#define PAGE 4096

int mb_quick;
void *mb_ptr[MB_SLOTS];
size_t mb_len[MB_SLOTS];

/* ---- counting ---- */
/*
 * A function that only returns, called as the allocator is: the count of
 * mb_instret(); call; mb_instret() around it, less its own ret, is what every
 * measured call carries besides the allocator's instructions.
 */
void *mb_null(size_t n);
__asm__(".text\n"
	".globl mb_null\n"
	".type mb_null, @function\n"
	"mb_null:\n"
	"\tret\n"
	".size mb_null, . - mb_null\n");

static uint64_t overhead;

#define COUNT(r, call)                       \
	do {                                 \
		uint64_t t0_ = mb_instret(); \
		call;                        \
		uint64_t t1_ = mb_instret(); \
		count((r), t1_ - t0_);       \
	} while (0)

static void count(struct mb_run *r, uint64_t n)
{
	n = n > overhead ? n - overhead : 0;
	r->ops++;
	r->instr += n;
	if (n > r->max_op)
		r->max_op = n;
}

/* ---- /proc: the resident set and the page faults ---- */
static char procbuf[16384];

static const char *proc_read(const char *path)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	procbuf[0] = 0;
	if (fd < 0)
		return procbuf;
	while (len < (ssize_t)sizeof(procbuf) - 1 &&
	       (n = read(fd, procbuf + len,
			 sizeof(procbuf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	procbuf[len] = 0;
	return procbuf;
}

/* The number after "\nKEY" (KEY at the start of the text too), or 0. */
static uint64_t proc_field(const char *text, const char *key)
{
	size_t k = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, k))
			return strtoull(p + k, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static size_t base_rss;

static size_t rss(void)
{
	return (size_t)proc_field(proc_read("/proc/self/status"), "VmRSS:") *
	       1024;
}

static uint64_t pgfaults(void)
{
	return proc_field(proc_read("/proc/vmstat"), "pgfault ");
}

static size_t footprint(void)
{
	size_t now = rss();

	return now > base_rss ? now - base_rss : 0;
}

void mb_sample(struct mb_run *r)
{
	size_t f = footprint();

	if (f > r->peak_rss)
		r->peak_rss = f;
	if (r->live > r->sampled_peak)
		r->sampled_peak = r->live;
	r->next_sample = r->ops + r->period;
}

/* ---- the calls ---- */
/* One byte in every page of [p, p + n), through a pointer gcc keeps. */
static void touch(void *p, size_t from, size_t n)
{
	volatile char *c = p;

	for (size_t i = from; i < n; i += PAGE)
		c[i] = 1;
	if (n > from)
		c[n - 1] = 1;
}

static void *done(struct mb_run *r, void *p, size_t n, const char *what)
{
	if (!p) {
		if (!r->error)
			r->error = what;
		return NULL;
	}
	r->live += n;
	if (r->live > r->peak_live)
		r->peak_live = r->live;
	/* a sample when the next is due, or at a new peak of live (by 1/64) */
	if (r->ops >= r->next_sample ||
	    r->live > r->sampled_peak + r->sampled_peak / 64 + 64 * KIB)
		mb_sample(r);
	return p;
}

void *mb_malloc(struct mb_run *r, size_t n)
{
	void *p;

	COUNT(r, p = malloc(n));
	if (p)
		touch(p, 0, n);
	return done(r, p, n, "malloc returned NULL");
}

void *mb_calloc(struct mb_run *r, size_t n)
{
	void *p;

	COUNT(r, p = calloc(1, n));
	if (p)
		touch(p, 0, n);
	return done(r, p, n, "calloc returned NULL");
}

void *mb_memalign(struct mb_run *r, size_t align, size_t n)
{
	void *p;

	COUNT(r, p = memalign(align, n));
	if (p && ((uintptr_t)p & (align - 1)))
		r->error = "memalign returned a misaligned block";
	if (p)
		touch(p, 0, n);
	return done(r, p, n, "memalign returned NULL");
}

void *mb_realloc(struct mb_run *r, void *p, size_t old, size_t n)
{
	void *q;

	COUNT(r, q = realloc(p, n));
	if (!q)
		return done(r, q, 0, "realloc returned NULL");
	touch(q, old, n);
	r->live -= old;
	return done(r, q, n, NULL);
}

void mb_free(struct mb_run *r, void *p, size_t n)
{
	COUNT(r, free(p));
	r->live -= p ? n : 0;
	if (r->ops >= r->next_sample)
		mb_sample(r);
}

void mb_free_all(struct mb_run *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (mb_ptr[i])
			mb_free(r, mb_ptr[i], mb_len[i]);
		mb_ptr[i] = NULL;
	}
}

uint64_t mb_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* ---- a workload's line ---- */
void mb_begin(struct mb_run *r, const char *name, uint64_t expected_ops)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->workload = r->name;
	/* some 64 samples a workload, at most one every 32 calls */
	r->period = expected_ops / 64 > 32 ? expected_ops / 64 : 32;
	r->start_rss = footprint();
	r->faults0 = pgfaults();
	mb_sample(r);
	r->peak_rss = r->start_rss;
}

static void out(const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(1, s, n);

		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

void mb_end(struct mb_run *r)
{
	static char line[512];
	uint64_t faults = pgfaults() - r->faults0;
	size_t end = footprint();
	/* hundredths, rounded */
	uint64_t x = r->ops ? (r->instr * 200 / r->ops + 1) / 2 : 0;
	char total[40] = "";
	int n;

	if (r->total_instr)
		snprintf(total, sizeof(total), "\"total_instr\":%llu,",
			 (unsigned long long)r->total_instr);

	n = snprintf(
		line, sizeof(line),
		"{\"suite\":\"membench\",\"alloc\":\"%s\",\"libc\":\"%s\","
		"\"workload\":\"%s\",\"ops\":%llu,\"instr_per_op\":%llu.%02llu,"
		"\"max_op_instr\":%llu,\"peak_live\":%llu,"
		"\"peak_footprint\":%llu,\"faults\":%llu,"
		"\"start_footprint\":%llu,\"end_footprint\":%llu,"
		"%s\"scale\":\"%s\"%s%s%s}\n",
		MEMBENCH_ALLOC, MEMBENCH_LIBC, r->workload,
		(unsigned long long)r->ops, (unsigned long long)(x / 100),
		(unsigned long long)(x % 100), (unsigned long long)r->max_op,
		(unsigned long long)r->peak_live,
		(unsigned long long)r->peak_rss, (unsigned long long)faults,
		(unsigned long long)r->start_rss, (unsigned long long)end,
		total, mb_quick ? "quick" : "full",
		r->error ? ",\"error\":\"" : "", r->error ? r->error : "",
		r->error ? "\"" : "");
	if (n > 0)
		out(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line));
}

/* ---- main ---- */
static void random_small(void)
{
	wl_random_replace(0);
}

static void random_big(void)
{
	wl_random_replace(1);
}

/*
 * In this order: what leaves the most behind (the big random replacement,
 * fragmentation, malloc-large) comes last.
 */
static const struct {
	const char *prefix; /* every name the function runs starts with it */
	void (*fn)(void);
} workloads[] = {
	{ "hot-pair-", wl_hot_pair },
	{ "glibc-simple-", wl_glibc_simple },
	{ "cfrac", wl_cfrac },
	{ "reverse-free", wl_reverse },
	{ "alloc-test", wl_alloc_test },
	{ "random-replace-", random_small },
	{ "mstress", wl_mstress },
	{ "lua-gc", wl_lua_gc },
	{ "mmap-sweep-", wl_sweep },
	{ "api-realloc-double", wl_realloc_double },
	{ "api-memalign-", wl_memalign },
	{ "api-calloc-1m", wl_calloc },
	{ "random-replace-", random_big },
	{ "fragmentation", wl_fragment },
	{ "malloc-large", wl_large },
};

/*
 * A word of argv selects the workload if either is a prefix of the other;
 * a word "-PREFIX" leaves out the workloads PREFIX selects.
 */
static int matches(const char *word, const char *prefix)
{
	size_t a = strlen(word), b = strlen(prefix);

	return !strncmp(word, prefix, a < b ? a : b);
}

static int selected(const char *prefix, int argc, char **argv)
{
	int any = 0, in = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "quick"))
			continue;
		if (argv[i][0] == '-') {
			if (matches(argv[i] + 1, prefix))
				return 0;
			continue;
		}
		any = 1;
		in |= matches(argv[i], prefix);
	}
	return in || !any;
}

int main(int argc, char **argv)
{
	uint64_t best = ~0ULL;
	void *p;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "quick"))
			mb_quick = 1;

	/* the smallest of 64: the count never varies under -icount */
	for (int i = 0; i < 64; i++) {
		uint64_t t0 = mb_instret();
		p = mb_null(16);
		uint64_t t1 = mb_instret();

		if (t1 - t0 < best)
			best = t1 - t0;
	}
	(void)p;
	overhead = best - 1; /* mb_null's ret is the callee's */

	/* the harness's own pages are resident before the base is taken */
	memset(mb_ptr, 0, sizeof(mb_ptr));
	memset(mb_len, 0, sizeof(mb_len));
	proc_read("/proc/vmstat");
	base_rss = rss();

	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		if (selected(workloads[i].prefix, argc, argv))
			workloads[i].fn();
	}
	return 0;
}
