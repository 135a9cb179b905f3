// SPDX-License-Identifier: MIT
/*
 * tests/kernel/bench.c - the helpers of the in-image benchmarks (bench.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "kernel/kernel.h"
#include "tests/kernel/bench.h"
#include "tests/kernel/ktest.h"

#define OVERHEAD_ITERS 2048

uint64_t bench_overhead;
bool bench_exact_counts;

void bench_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktest_vprint(fmt, ap);
	va_end(ap);
}

static void sort(uint32_t *v, size_t n)
{
	/* shell sort: a few thousand samples, no allocation */
	for (size_t gap = n / 2; gap; gap /= 2)
		for (size_t i = gap; i < n; i++) {
			uint32_t x = v[i];
			size_t j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

struct bench_stats bench_summarize(uint32_t *v, size_t n)
{
	struct bench_stats s = { 0 };
	uint64_t sum = 0;

	sort(v, n);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s.median = v[n / 2];
	s.mean = (sum + n / 2) / n;
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

void bench_measure_overhead(void)
{
	static uint32_t samples[OVERHEAD_ITERS];
	struct bench_stats s;
	uint64_t t0, t1;

	for (size_t i = 0; i < OVERHEAD_ITERS; i++) {
		t0 = bench_now();
		t1 = bench_now();
		samples[i] = (uint32_t)(t1 - t0);
	}
	s = bench_summarize(samples, OVERHEAD_ITERS);
	bench_overhead = s.median;
	/*
	 * Exact counting: two reads with nothing between them always differ
	 * by the same small number. Host cycles wobble.
	 */
	bench_exact_counts = s.min == s.max && s.median < 8;
}
