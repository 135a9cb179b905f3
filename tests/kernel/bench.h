/* SPDX-License-Identifier: MIT */
/*
 * tests/kernel/bench.h - what the in-image benchmarks share: reading
 * instret, the cost of reading it, medians, and printing "bench: " lines.
 *
 * Run under QEMU's -icount shift=0, where the instret counter is exact: the
 * numbers are then the same on every run and every host. Without -icount,
 * QEMU's instret follows the host's cycle counter and only the order of
 * magnitude means anything (bench_exact_counts says which one it was).
 *
 * An operation is timed alone, between two reads of instret, and the cost
 * of the two reads themselves (bench_overhead, measured once by
 * bench_measure_overhead()) is subtracted: bench_less_overhead(t0, t1).
 */
#ifndef PAGODA_TESTS_KERNEL_BENCH_H
#define PAGODA_TESTS_KERNEL_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_stats {
	uint64_t median, mean, min, max;
};

extern uint64_t bench_overhead; /* the two instret reads around nothing */
extern bool bench_exact_counts; /* instret steps by instructions (-icount) */

/* A line straight to the console (no log prefix), printf-style. */
__attribute__((format(printf, 1, 2))) void bench_line(const char *fmt, ...);

/* instret, ordered against the memory accesses around it */
static inline uint64_t bench_now(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, instret" : "=r"(v) : : "memory");
	return v;
}

/* t1 - t0 less the cost of the reads, never below 0. */
static inline uint32_t bench_less_overhead(uint64_t t0, uint64_t t1)
{
	uint64_t d = t1 - t0;

	return (uint32_t)(d > bench_overhead ? d - bench_overhead : 0);
}

/* Sorts v (n > 0) and returns its median, mean, min and max. */
struct bench_stats bench_summarize(uint32_t *v, size_t n);

/* Sets bench_overhead and bench_exact_counts; call first. */
void bench_measure_overhead(void);

#endif /* PAGODA_TESTS_KERNEL_BENCH_H */
