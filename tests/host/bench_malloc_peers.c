// SPDX-License-Identifier: MIT
/*
 * tests/host/bench_malloc_peers.c - the app's malloc beside the host's
 * allocators. Linked against the C library's malloc and run once per
 * allocator with LD_PRELOAD (`make bench-host`): glibc (none preloaded),
 * pagoda (build/host/libpagoda-malloc.so), and jemalloc, mimalloc and
 * tcmalloc where their Debian packages are installed.
 *
 * Three single-threaded workloads, wall-clock time per operation and the
 * peak RSS; numbers, not a test:
 *   pairs   malloc(64) then free, over and over (the fast paths)
 *   churn   a live set of 20,000 blocks of 8 B..2 KiB (1 in 64 up to
 *           256 KiB), one random slot replaced per step
 *   realloc a block grown by realloc from 16 B to 1 MiB, 16 B at a time
 *
 *     bench_malloc_peers NAME
 * prints "bench: malloc_host alloc=NAME workload=W ns_per_op=N maxrss_kb=N".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define SLOTS 20000

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void report(const char *name, const char *workload, double ns, long ops)
{
	printf("bench: malloc_host alloc=%s workload=%s ns_per_op=%.1f maxrss_kb=%ld\n",
	       name, workload, ns / (double)ops, maxrss_kb());
}

static void *volatile sink;

static void pairs(const char *name)
{
	const long n = 20 * 1000 * 1000;
	double t = now_ns();

	for (long i = 0; i < n; i++) {
		sink = malloc(64);
		free(sink);
	}
	report(name, "pairs", now_ns() - t, n);
}

static void churn(const char *name)
{
	static char *slot[SLOTS];
	const long n = 5 * 1000 * 1000;
	double t = now_ns();

	for (long i = 0; i < n; i++) {
		uint64_t r = next_random();
		size_t k = r % SLOTS;
		size_t size = (r >> 20) % 64 ? 8 + (r >> 32) % 2040
					     : 8 + (r >> 32) % (256 * 1024);

		free(slot[k]);
		slot[k] = malloc(size);
		slot[k][0] = (char)i;
	}
	for (size_t k = 0; k < SLOTS; k++)
		free(slot[k]);
	report(name, "churn", now_ns() - t, n);
}

static void grow(const char *name)
{
	const long rounds = 20;
	long ops = 0;
	double t = now_ns();

	for (long r = 0; r < rounds; r++) {
		char *p = NULL;

		for (size_t size = 16; size <= 1024 * 1024; size += 16, ops++) {
			p = realloc(p, size);
			p[size - 1] = 1;
		}
		free(p);
	}
	report(name, "realloc", now_ns() - t, ops);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "libc";

	pairs(name);
	churn(name);
	grow(name);
	return 0;
}
