/* SPDX-License-Identifier: MIT */
/*
 * apps/membench/membench.h - the harness the workloads call (main.c) and
 * the workloads main.c runs (workloads.c, large.c).
 *
 * One source, built against picolibc (the app's malloc, nano-malloc,
 * newlib's) and as a static Linux program (glibc, musl, mimalloc, pagoda's
 * libraries): it calls only malloc, free, realloc, calloc and memalign, and
 * reads /proc/self/status and /proc/vmstat, which pagoda and Linux both give.
 *
 * A workload is a struct mb_run from mb_begin() to mb_end(). Every call of
 * the allocator goes through mb_malloc() and friends, which count the
 * instructions it retires (rdinstret just before and after) and keep the
 * bytes live; then, outside the count, they write one byte in every page of
 * the block, so the resident set follows what the program holds.
 */
#ifndef MEMBENCH_H
#define MEMBENCH_H

#include <stddef.h>
#include <stdint.h>

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)

/*
 * Invariants: live is the sum of the requested sizes of the blocks the
 * workload holds (bytes), peak_live its maximum; instr is the sum of the
 * ops' counts (the measuring overhead taken off each), max_op the largest.
 */
struct mb_run {
	const char *workload;
	uint64_t ops;
	uint64_t instr;		      /* instructions, all ops */
	uint64_t max_op;	      /* instructions, the slowest op */
	size_t live, peak_live;	      /* bytes requested */
	size_t start_rss, peak_rss;   /* bytes resident */
	uint64_t faults0;	      /* pgfault at the start */
	uint64_t period, next_sample; /* ops between samples */
	size_t sampled_peak;	      /* the most live at any sample */
	uint64_t total_instr;	      /* lua-gc: its whole run, or 0 */
	const char *error;	      /* why it stopped, or NULL */
	char name[48];
};

/* Instructions retired so far (U-mode reads it: the kernel allows it). */
static inline uint64_t mb_instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v)::"memory");
	return v;
}

extern int mb_quick; /* the "quick" argument: smaller counts */

#define MB_SCALE(full, quick) (mb_quick ? (quick) : (full))

void mb_begin(struct mb_run *r, const char *name, uint64_t expected_ops);
void mb_end(struct mb_run *r);

/* Each returns NULL (and marks the run failed) when the allocator does. */
void *mb_malloc(struct mb_run *r, size_t n);
void *mb_calloc(struct mb_run *r, size_t n);
void *mb_memalign(struct mb_run *r, size_t align, size_t n);
void *mb_realloc(struct mb_run *r, void *p, size_t old, size_t n);
void mb_free(struct mb_run *r, void *p, size_t n);
/* A sample of the resident set now (the ops take one now and then). */
void mb_sample(struct mb_run *r);

/*
 * The blocks a workload holds and their sizes: shared, written through once
 * before the resident set's base is taken (the harness's pages stay out of
 * every workload's footprint and faults).
 */
#define MB_SLOTS 16384
extern void *mb_ptr[MB_SLOTS];
extern size_t mb_len[MB_SLOTS];

/* Frees every block of mb_ptr[0..n) and clears its slot. */
void mb_free_all(struct mb_run *r, size_t n);
/* A run "PREFIX-SIZE" of pairs malloc(SIZE) + free for each size. */
void mb_pairs(const char *prefix, const size_t *sizes, size_t nsizes,
	      uint64_t pairs);

/* xorshift64*: the workloads' only randomness, seeded by each */
uint64_t mb_rand(uint64_t *state);

/* The workloads: each runs one or more struct mb_run and prints their lines. */
void wl_hot_pair(void);
void wl_glibc_simple(void);
void wl_random_replace(int big);
void wl_alloc_test(void);
void wl_mstress(void);
void wl_cfrac(void);
void wl_reverse(void);
void wl_large(void);
void wl_sweep(void);
void wl_realloc_double(void);
void wl_memalign(void);
void wl_calloc(void);
void wl_fragment(void);
void wl_lua_gc(void);

#endif
