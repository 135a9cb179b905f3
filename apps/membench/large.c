// SPDX-License-Identifier: MIT
/*
 * apps/membench/large.c - the workloads of large blocks, the API's costlier
 * calls, and fragmentation (membench.h says how they are measured):
 *
 *   mmap-sweep-S        malloc(S) and free, again and again, for S from
 *                       64 KiB to 4 MiB: both sides of a 128 KiB mmap
 *                       threshold (and of glibc's moving one)
 *   api-realloc-double  one block grown by realloc from 16 B to 16 MiB,
 *                       doubling, then freed; again and again
 *   api-memalign-A      200 blocks of 48..144 B at alignment A (16..4096),
 *                       then freed; again and again
 *   api-calloc-1m       calloc of 1 MiB and free: what clearing costs
 *   fragmentation       8192 blocks of 16 B .. 1 KiB, one in eight of
 *                       4..16 KiB; all but one in sixteen freed; then 2048
 *                       blocks of 2..8 KiB, which the holes left cannot
 *                       hold; peak_footprint against peak_live is the
 *                       fragmentation
 *   malloc-large        20 slots, each step replaces a random one with a
 *                       block of 5..25 MiB (mimalloc-bench's malloc-large):
 *                       at most 500 MiB live, within the 1 GiB that
 *                       `make bench-membench` gives QEMU
 */
#include <stdio.h>

#include "membench.h"

void wl_sweep(void)
{
	static const size_t sizes[] = { 64 * KIB,	96 * KIB,
					128 * KIB - 64, 128 * KIB + 64,
					192 * KIB,	256 * KIB,
					1 * MIB,	4 * MIB };

	mb_pairs("mmap-sweep", sizes, sizeof(sizes) / sizeof(sizes[0]),
		 MB_SCALE(200, 40));
}

void wl_realloc_double(void)
{
	uint64_t rounds = MB_SCALE(20, 4);
	struct mb_run r;

	mb_begin(&r, "api-realloc-double", rounds * 22);
	for (uint64_t k = 0; k < rounds && !r.error; k++) {
		size_t n = 16;
		void *p = mb_malloc(&r, n);

		while (p && n < 16 * MIB) {
			void *q = mb_realloc(&r, p, n, 2 * n);

			if (!q)
				break;
			p = q;
			n *= 2;
		}
		if (p)
			mb_free(&r, p, n);
	}
	mb_end(&r);
}

void wl_memalign(void)
{
	uint64_t rounds = MB_SCALE(100, 10);

	for (size_t a = 16; a <= 4096; a *= 4) {
		struct mb_run r;
		char name[40];

		snprintf(name, sizeof(name), "api-memalign-%zu", a);
		mb_begin(&r, name, rounds * 400);
		for (uint64_t k = 0; k < rounds && !r.error; k++) {
			for (unsigned i = 0; i < 200; i++) {
				mb_len[i] = 48 + (i % 4) * 32;
				mb_ptr[i] = mb_memalign(&r, a, mb_len[i]);
			}
			mb_free_all(&r, 200);
		}
		mb_end(&r);
	}
}

void wl_calloc(void)
{
	uint64_t pairs = MB_SCALE(100, 20);
	struct mb_run r;

	mb_begin(&r, "api-calloc-1m", 2 * pairs);
	for (uint64_t i = 0; i < pairs && !r.error; i++) {
		void *p = mb_calloc(&r, MIB);

		if (p)
			mb_free(&r, p, MIB);
	}
	mb_end(&r);
}

void wl_fragment(void)
{
	uint64_t seed = 0xf4a9;
	unsigned small = MB_SCALE(8192, 2048), big = small / 4;
	struct mb_run r;

	mb_begin(&r, "fragmentation", 2 * (small + big));
	for (unsigned i = 0; i < small && !r.error; i++) {
		uint64_t x = mb_rand(&seed);

		mb_len[i] = i % 8 == 7 ? 4 * KIB + (size_t)(x % (12 * KIB))
				       : 16 + (size_t)(x % 1009);
		mb_ptr[i] = mb_malloc(&r, mb_len[i]);
	}
	mb_sample(&r);
	for (unsigned i = 0; i < small; i++) {
		if (i % 16 != 0 && mb_ptr[i]) {
			mb_free(&r, mb_ptr[i], mb_len[i]);
			mb_ptr[i] = NULL;
		}
	}
	mb_sample(&r);
	for (unsigned i = small; i < small + big && !r.error; i++) {
		mb_len[i] = 2 * KIB + (size_t)(mb_rand(&seed) % (6 * KIB));
		mb_ptr[i] = mb_malloc(&r, mb_len[i]);
	}
	mb_sample(&r);
	mb_free_all(&r, small + big);
	mb_end(&r);
}

void wl_large(void)
{
	uint64_t steps = MB_SCALE(60, 12), seed = 0x1a49e;
	const unsigned slots = 20;
	struct mb_run r;

	mb_begin(&r, "malloc-large", 2 * steps);
	for (uint64_t k = 0; k < steps && !r.error; k++) {
		unsigned i = (unsigned)(mb_rand(&seed) % slots);

		if (mb_ptr[i])
			mb_free(&r, mb_ptr[i], mb_len[i]);
		mb_len[i] = 5 * MIB + (size_t)(mb_rand(&seed) % (20 * MIB));
		mb_ptr[i] = mb_malloc(&r, mb_len[i]);
	}
	mb_sample(&r);
	mb_free_all(&r, slots);
	mb_end(&r);
}
