/* SPDX-License-Identifier: MIT */
/*
 * tests/host/linux_malloc_prog.c - a static riscv64 Linux program that
 * test_linux_malloc.sh links twice, with glibc's malloc and with
 * libpagoda-malloc.a, and runs under qemu-riscv64. What it prints depends
 * on the results of the calls alone, never on addresses or on the
 * allocator's own figures, so both links must print the same lines.
 *
 *   work     sizes from 1 B to 8 MiB with their contents checked, realloc
 *            growth and shrinking, the memalign family, frees in a random
 *            order, calloc's zeros, malloc_trim, mallinfo and mallinfo2
 *   threads  four threads of malloc, realloc and free at once
 *   info     malloc_info(0, stdout): the allocator's name is in its XML
 *            (glibc; built against musl, which has none of glibc's
 *            extensions, work leaves out pvalloc and the counters)
 *   double   frees one block twice: the allocator must abort
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* the byte pattern of block `id` at offset i */
static unsigned char pat(size_t id, size_t i)
{
	return (unsigned char)(id * 131 + i * 7 + (i >> 8));
}

static void fill(unsigned char *p, size_t n, size_t id)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pat(id, i);
}

static int holds(const unsigned char *p, size_t n, size_t id)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pat(id, i))
			return 0;
	return 1;
}

static void sizes(void)
{
	static const size_t n[] = { 1,	    2,	    7,	     8,	      15,
				    16,	    17,	    24,	     25,      31,
				    32,	    100,    1000,    1008,    1024,
				    4095,   4096,   4097,    65536,   131071,
				    131072, 262144, 1 << 20, 3 << 20, 8 << 20 };
	enum { N = sizeof(n) / sizeof(n[0]) };
	unsigned char *p[N];

	for (size_t i = 0; i < N; i++) {
		p[i] = malloc(n[i]);
		CHECK(p[i] && ((uintptr_t)p[i] & 15) == 0);
		CHECK(malloc_usable_size(p[i]) >= n[i]);
		fill(p[i], n[i], i);
	}
	for (size_t i = 0; i < N; i++) {
		CHECK(holds(p[i], n[i], i));
		free(p[i]);
	}
	printf("sizes: %d blocks of 1 B..8 MiB\n", (int)N);
}

static void growth(void)
{
	unsigned char *p = NULL;
	size_t n = 0;

	/* up to 4 MiB, then back down, keeping what fits */
	for (size_t m = 1; m <= ((size_t)4 << 20); m = m * 3 / 2 + 1) {
		unsigned char *q = realloc(p, m);

		CHECK(q);
		CHECK(holds(q, n, 7));
		fill(q, m, 7);
		p = q;
		n = m;
	}
	for (size_t m = n; m > 16; m /= 3) {
		p = realloc(p, m);
		CHECK(p && holds(p, m, 7));
	}
#ifdef __GLIBC__
	CHECK(realloc(p, 0) == NULL); /* glibc frees; musl returns a block */
#else
	free(p);
#endif
	printf("realloc: grew to %zu B and back\n", n);
}

static void aligned(void)
{
	for (size_t a = 16; a <= ((size_t)1 << 20); a <<= 2) {
		void *m = memalign(a, 100);
		void *al = aligned_alloc(a, 3 * a);
		void *pm = NULL;

		CHECK(m && (uintptr_t)m % a == 0);
		CHECK(al && (uintptr_t)al % a == 0);
		CHECK(posix_memalign(&pm, a, a + 1) == 0 &&
		      (uintptr_t)pm % a == 0);
		memset(m, 1, 100);
		memset(al, 2, 3 * a);
		memset(pm, 3, a + 1);
		free(m);
		free(al);
		free(pm);
	}
	void *v = valloc(5000), *bad = &bad;

	CHECK(v && (uintptr_t)v % 4096 == 0);
	CHECK(posix_memalign(&bad, 24, 10) == EINVAL);
	free(v);
#ifdef __GLIBC__ /* musl has no pvalloc */
	void *pv = pvalloc(5000);

	CHECK(pv && (uintptr_t)pv % 4096 == 0 &&
	      malloc_usable_size(pv) >= 8192);
	free(pv);
	printf("memalign: 16 B..1 MiB, valloc, pvalloc\n");
#else
	printf("memalign: 16 B..1 MiB, valloc\n");
#endif
}

static void shuffle(void)
{
	enum { N = 4000 };
	static unsigned char *p[N];
	static size_t n[N];
	static size_t order[N];

	for (size_t i = 0; i < N; i++) {
		/* mostly small, some up to 64 KiB, one in 64 up to 512 KiB */
		n[i] = rnd() % 64 ? 1 + rnd() % 2048 : 1 + rnd() % (512 << 10);
		if (i % 16 == 0)
			n[i] = 1 + rnd() % (64 << 10);
		p[i] = i % 5 ? malloc(n[i]) : calloc(1, n[i]);
		CHECK(p[i]);
		if (i % 5 == 0)
			for (size_t j = 0; j < n[i]; j++)
				if (p[i][j]) {
					CHECK(!"calloc gave non-zero bytes");
					break;
				}
		fill(p[i], n[i], i);
		order[i] = i;
	}
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	/* free half in random order, reallocate, then check and free all */
	for (size_t k = 0; k < N / 2; k++) {
		size_t i = order[k];

		CHECK(holds(p[i], n[i], i));
		free(p[i]);
		n[i] = 1 + rnd() % 4096;
		p[i] = malloc(n[i]);
		CHECK(p[i]);
		fill(p[i], n[i], i);
	}
	for (size_t k = N; k-- > 0;) {
		size_t i = order[k];

		CHECK(holds(p[i], n[i], i));
		free(p[i]);
	}
	printf("random order: %d blocks, calloc zeroed\n", N);
}

/* glibc's extensions; musl has none of them */
static void counters(void)
{
#ifdef __GLIBC__
	struct mallinfo2 m2;
	struct mallinfo m;
	void *p = malloc(1000);

	m2 = mallinfo2();
	m = mallinfo();
	CHECK(m2.uordblks >= 1000);
	CHECK(m.uordblks >= 1000);
	CHECK(m2.arena >= m2.uordblks);
	free(p);
	CHECK(malloc_trim(0) >= 0);
	CHECK(mallopt(M_MMAP_THRESHOLD, 256 << 10) == 1);
	p = malloc(200 << 10);
	CHECK(p && mallinfo2().hblks == 0);
	free(p);
	malloc_trim(0);
	printf("mallinfo, mallinfo2, mallopt, malloc_trim\n");
#endif
}

static void *worker(void *arg)
{
	uint64_t s = (uintptr_t)arg * 7919 + 1;
	unsigned char *p[64] = { 0 };
	size_t n[64] = { 0 };
	long bad = 0;

	for (int k = 0; k < 20000; k++) {
		unsigned i;

		s = s * 6364136223846793005ull + 1442695040888963407ull;
		i = (unsigned)(s >> 58);
		if (p[i] && !holds(p[i], n[i], i + (uintptr_t)arg))
			bad++;
		if ((s >> 40) & 1) {
			free(p[i]);
			p[i] = NULL;
			n[i] = 0;
			continue;
		}
		n[i] = 1 + (s >> 20) % ((s >> 50) & 1 ? 200000 : 2000);
		p[i] = realloc(p[i], n[i]);
		if (!p[i])
			return (void *)-1;
		fill(p[i], n[i], i + (uintptr_t)arg);
	}
	for (int i = 0; i < 64; i++)
		free(p[i]);
	return (void *)bad;
}

static void threads(void)
{
	pthread_t t[4];

	for (uintptr_t i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
	for (int i = 0; i < 4; i++) {
		void *r;

		CHECK(pthread_join(t[i], &r) == 0 && r == NULL);
	}
	printf("threads: 4 x 20000 operations\n");
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "work";

	if (!strcmp(what, "work")) {
		sizes();
		growth();
		aligned();
		shuffle();
		counters();
	} else if (!strcmp(what, "threads")) {
		threads();
#ifdef __GLIBC__
	} else if (!strcmp(what, "info")) {
		return malloc_info(0, stdout) ? 1 : 0;
#endif
	} else if (!strcmp(what, "double")) {
		/* a neighbour keeps the heap's memory mapped: with musl, whose
		 * brk is not the program's, the heap is mmapped segments */
		char *volatile keep = malloc(32), *volatile p = malloc(32);

		free(p);
		free(p);
		free(keep);
		printf("double free survived\n");
		return 0;
	} else {
		fprintf(stderr, "usage: %s work|threads|info|double\n",
			argv[0]);
		return 2;
	}
	printf("%s: %s\n", what, failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
