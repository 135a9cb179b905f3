// SPDX-License-Identifier: MIT
/*
 * apps/membench/workloads.c - the small-object workloads: the shapes of
 * mimalloc-bench's and glibc's single-threaded benchmarks, written for
 * membench (membench.h says how they are measured). Sizes and orders come
 * from mb_rand() with a fixed seed per workload: every allocator sees the
 * same calls.
 *
 *   hot-pair-S           malloc(S) and free, again and again (S 16 B .. 32 KiB)
 *   glibc-simple-N-O     N blocks made, then freed first-in first-out (fifo)
 *                        or last-in first-out (lifo), again and again
 *                        (glibc's bench-malloc-simple)
 *   cfrac                a bignum kernel: each step makes a few short-lived
 *                        numbers of 2..40 words and frees its operands
 *   reverse-free         1000 blocks of 8..1000 B made, freed in the reverse
 *                        order (sh6bench)
 *   alloc-test           2000 slots, each step frees or fills one; sizes
 *                        Pareto-distributed, 16 B .. 1 KiB
 *   random-replace-L-D   L live blocks, each step frees a random one and
 *                        makes another (D: small, 8..512 B; log64k, octaves
 *                        of 8 B .. 64 KiB equally likely)
 *   mstress              small blocks in a pool, 1 in 100 a hundred times
 *                        larger, 1 in 10000 a thousand times; 1 in 8 steps
 *                        grows a block by realloc (mimalloc's stress test)
 */
#include <stdio.h>
#include <string.h>

#include "membench.h"

void mb_pairs(const char *prefix, const size_t *sizes, size_t nsizes,
	      uint64_t pairs)
{
	for (size_t s = 0; s < nsizes; s++) {
		struct mb_run r;
		char name[40];

		snprintf(name, sizeof(name), "%s-%zu", prefix, sizes[s]);
		mb_begin(&r, name, 2 * pairs);
		for (uint64_t i = 0; i < pairs && !r.error; i++) {
			void *p = mb_malloc(&r, sizes[s]);

			if (p)
				mb_free(&r, p, sizes[s]);
		}
		mb_end(&r);
	}
}

void wl_hot_pair(void)
{
	static const size_t sizes[] = {
		16, 64, 256, 1 * KIB, 4 * KIB, 32 * KIB
	};

	mb_pairs("hot-pair", sizes, sizeof(sizes) / sizeof(sizes[0]),
		 MB_SCALE(20000, 2000));
}

/* glibc's bench-malloc-simple: the sizes cycle through 16..256 B */
void wl_glibc_simple(void)
{
	static const unsigned counts[] = { 25, 100, 400, 1600 };
	static const size_t sizes[] = { 16, 32, 64, 128, 256 };
	uint64_t blocks = MB_SCALE(160000, 16000);

	for (int lifo = 0; lifo < 2; lifo++) {
		for (size_t c = 0; c < 4; c++) {
			unsigned n = counts[c];
			uint64_t rounds = blocks / n;
			struct mb_run r;
			char name[40];

			snprintf(name, sizeof(name), "glibc-simple-%u-%s", n,
				 lifo ? "lifo" : "fifo");
			mb_begin(&r, name, 2 * rounds * n);
			for (uint64_t k = 0; k < rounds && !r.error; k++) {
				for (unsigned i = 0; i < n; i++) {
					mb_len[i] = sizes[i % 5];
					mb_ptr[i] = mb_malloc(&r, mb_len[i]);
				}
				for (unsigned i = 0; i < n; i++) {
					unsigned j = lifo ? n - 1 - i : i;

					if (mb_ptr[j])
						mb_free(&r, mb_ptr[j],
							mb_len[j]);
					mb_ptr[j] = NULL;
				}
			}
			mb_end(&r);
		}
	}
}

/* ---- cfrac: numbers of 32-bit words, each result a new block ---- */
struct bn {
	size_t n; /* words */
	uint32_t w[];
};

static struct bn *bn_new(struct mb_run *r, size_t n)
{
	struct bn *b = mb_malloc(r, sizeof(*b) + n * sizeof(uint32_t));

	if (b)
		b->n = n;
	return b;
}

static void bn_free(struct mb_run *r, struct bn *b)
{
	if (b)
		mb_free(r, b, sizeof(*b) + b->n * sizeof(uint32_t));
}

static struct bn *bn_mul(struct mb_run *r, const struct bn *a,
			 const struct bn *b)
{
	struct bn *c = bn_new(r, a->n + b->n);

	if (!c)
		return NULL;
	memset(c->w, 0, c->n * sizeof(uint32_t));
	for (size_t i = 0; i < a->n; i++) {
		uint64_t carry = 0;

		for (size_t j = 0; j < b->n; j++) {
			uint64_t t = (uint64_t)a->w[i] * b->w[j] + c->w[i + j] +
				     carry;

			c->w[i + j] = (uint32_t)t;
			carry = t >> 32;
		}
		c->w[i + b->n] = (uint32_t)carry;
	}
	return c;
}

/* a + k, one word longer; then the low n words of it (a new number) */
static struct bn *bn_add_trunc(struct mb_run *r, const struct bn *a, uint32_t k,
			       size_t n)
{
	struct bn *s = bn_new(r, a->n + 1), *t;
	uint64_t carry = k;

	if (!s)
		return NULL;
	for (size_t i = 0; i < a->n; i++) {
		uint64_t v = (uint64_t)a->w[i] + carry;

		s->w[i] = (uint32_t)v;
		carry = v >> 32;
	}
	s->w[a->n] = (uint32_t)carry;
	if (n > s->n)
		n = s->n;
	t = bn_new(r, n);
	if (t)
		memcpy(t->w, s->w, n * sizeof(uint32_t));
	bn_free(r, s);
	return t;
}

/*
 * x -> x * x + c, kept to 2..20 words (the length cycles), as a factoring
 * loop squares and reduces; one number in eight is kept a while longer.
 */
void wl_cfrac(void)
{
	uint64_t steps = MB_SCALE(40000, 4000), seed = 0xcf4ac;
	struct bn *keep[8] = { 0 };
	struct bn *x;
	struct mb_run r;

	mb_begin(&r, "cfrac", steps * 4);
	x = bn_new(&r, 4);
	for (size_t i = 0; x && i < 4; i++)
		x->w[i] = (uint32_t)mb_rand(&seed) | 1;
	for (uint64_t s = 0; s < steps && x && !r.error; s++) {
		struct bn *sq = bn_mul(&r, x, x), *y;
		size_t len = 2 + (size_t)(mb_rand(&seed) % 19);

		if (!sq)
			break;
		y = bn_add_trunc(&r, sq, (uint32_t)s | 1, len);
		bn_free(&r, sq);
		if (s % 8 == 0) {
			bn_free(&r, keep[s / 8 % 8]);
			keep[s / 8 % 8] = x;
		} else {
			bn_free(&r, x);
		}
		x = y;
	}
	bn_free(&r, x);
	for (int i = 0; i < 8; i++)
		bn_free(&r, keep[i]);
	mb_end(&r);
}

/* sh6bench's shape: made in one order, freed in the other */
void wl_reverse(void)
{
	uint64_t rounds = MB_SCALE(100, 10), seed = 0x56b;
	struct mb_run r;
	const unsigned n = 1000;

	mb_begin(&r, "reverse-free", rounds * 2 * n);
	for (uint64_t k = 0; k < rounds && !r.error; k++) {
		for (unsigned i = 0; i < n; i++) {
			mb_len[i] = 8 + (size_t)(mb_rand(&seed) % 993);
			mb_ptr[i] = mb_malloc(&r, mb_len[i]);
		}
		for (unsigned i = n; i-- > 0;) {
			if (mb_ptr[i])
				mb_free(&r, mb_ptr[i], mb_len[i]);
			mb_ptr[i] = NULL;
		}
	}
	mb_end(&r);
}

/* Pareto (alpha 1: P(size > x) = 16 / x), 16 B .. 1 KiB */
static size_t pareto(uint64_t *seed)
{
	for (;;) {
		uint64_t u = (mb_rand(seed) >> 32) + 1; /* 1 .. 2^32 */
		uint64_t s = ((uint64_t)16 << 32) / u;

		if (s <= 1024)
			return (size_t)s;
	}
}

void wl_alloc_test(void)
{
	uint64_t steps = MB_SCALE(200000, 20000), seed = 0xa110c;
	const unsigned slots = 2000;
	struct mb_run r;

	mb_begin(&r, "alloc-test", steps);
	for (uint64_t k = 0; k < steps && !r.error; k++) {
		unsigned i = (unsigned)(mb_rand(&seed) % slots);

		if (mb_ptr[i]) {
			mb_free(&r, mb_ptr[i], mb_len[i]);
			mb_ptr[i] = NULL;
			if (mb_rand(&seed) & 1)
				continue;
		}
		mb_len[i] = pareto(&seed);
		mb_ptr[i] = mb_malloc(&r, mb_len[i]);
	}
	mb_free_all(&r, slots);
	mb_end(&r);
}

static size_t log64k(uint64_t *seed)
{
	unsigned e = 3 + (unsigned)(mb_rand(seed) % 13); /* 8 .. 32 KiB */

	return ((size_t)1 << e) + (size_t)(mb_rand(seed) % ((size_t)1 << e));
}

void wl_random_replace(int big)
{
	static const unsigned lives[] = { 400, 10000 };
	uint64_t steps = MB_SCALE(100000, 10000);

	for (size_t l = 0; l < 2; l++) {
		unsigned live = lives[l];
		uint64_t seed = 0x4e91ace + live;
		struct mb_run r;
		char name[48];

		snprintf(name, sizeof(name), "random-replace-%s-%s",
			 live == 400 ? "400" : "10k", big ? "log64k" : "small");
		mb_begin(&r, name, steps * 2 + live * 2);
		for (unsigned i = 0; i < live && !r.error; i++) {
			mb_len[i] = big ? log64k(&seed)
					: 8 + (size_t)(mb_rand(&seed) % 505);
			mb_ptr[i] = mb_malloc(&r, mb_len[i]);
		}
		for (uint64_t k = 0; k < steps && !r.error; k++) {
			unsigned i = (unsigned)(mb_rand(&seed) % live);

			if (mb_ptr[i])
				mb_free(&r, mb_ptr[i], mb_len[i]);
			mb_len[i] = big ? log64k(&seed)
					: 8 + (size_t)(mb_rand(&seed) % 505);
			mb_ptr[i] = mb_malloc(&r, mb_len[i]);
		}
		mb_free_all(&r, live);
		mb_end(&r);
	}
}

void wl_mstress(void)
{
	uint64_t steps = MB_SCALE(100000, 10000), seed = 0x357e55;
	const unsigned slots = 1000;
	struct mb_run r;

	mb_begin(&r, "mstress", steps * 3);
	for (uint64_t k = 0; k < steps && !r.error; k++) {
		uint64_t x = mb_rand(&seed);
		size_t n = ((x & 7) + 1) * 8;
		unsigned i = (unsigned)((x >> 8) % slots);
		void *tmp;

		if (x % 10000 == 17)
			n *= 1000;
		else if (x % 100 == 3)
			n *= 100;
		/* a short-lived block, then one kept in the pool */
		tmp = mb_malloc(&r, n / 2 + 1);
		if (tmp)
			mb_free(&r, tmp, n / 2 + 1);
		if (mb_ptr[i])
			mb_free(&r, mb_ptr[i], mb_len[i]);
		mb_len[i] = n;
		mb_ptr[i] = mb_malloc(&r, n);
		/* one in eight: a random pool block doubles, up to 1 MiB */
		if ((x >> 40) % 8 == 0) {
			unsigned j = (unsigned)((x >> 20) % slots);
			size_t m = mb_len[j] * 2;

			if (mb_ptr[j] && m <= MIB) {
				void *q =
					mb_realloc(&r, mb_ptr[j], mb_len[j], m);

				if (q) {
					mb_ptr[j] = q;
					mb_len[j] = m;
				}
			}
		}
	}
	mb_free_all(&r, slots);
	mb_end(&r);
}
