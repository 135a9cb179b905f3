// SPDX-License-Identifier: MIT
/*
 * tests/host/test_malloc_names.c - libpagoda-malloc.so keeps its names to
 * itself: a program with a split() and a consolidate() of its own (other
 * signatures, other results) runs on the library with both working.
 *
 * The program is linked with -rdynamic, as python3 is, so its functions
 * are in its dynamic symbol table, first in the lookup order: a library
 * that called split() or consolidate() through its own exported names
 * would call these instead (before the malloc_ prefix and hidden
 * visibility, it did, and broke). Run with LD_PRELOAD naming the library
 * (host.mk); without it every check fails. Checks: malloc is the
 * library's; the library defines neither name; the names resolve to the
 * program's functions, which give their own results and are called only
 * by the program; malloc, free, realloc, memalign and malloc_trim over
 * many sizes, through every path of the library that splits or
 * consolidates chunks, keep every block's contents. TAP.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the program's own split() and consolidate() ---- */
size_t split(const char *s, char sep, size_t *lens, size_t max);
long consolidate(long a, long b);

static unsigned long split_calls, consolidate_calls;

/* The lengths of the fields of s between seps (at most max); their count. */
size_t split(const char *s, char sep, size_t *lens, size_t max)
{
	size_t n = 0, len = 0;

	split_calls++;
	for (;; s++) {
		if (*s && *s != sep) {
			len++;
			continue;
		}
		if (n < max)
			lens[n] = len;
		n++;
		len = 0;
		if (!*s)
			return n;
	}
}

#define MARKER 0x5eed0000L

/* A marker no allocator would return: a * 1000 + b + MARKER. */
long consolidate(long a, long b)
{
	consolidate_calls++;
	return a * 1000 + b + MARKER;
}

/* ---- TAP ---- */
static int test_no, failed;

static void check(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++test_no, what);
	if (!ok)
		failed = 1;
	fflush(stdout);
}

/* ---- blocks with known contents ---- */
/* Out of the compiler's sight: it knows malloc and may elide a block. */
static void *opaque(void *p)
{
	__asm__ volatile("" : "+r"(p) : : "memory");
	return p;
}

static uint8_t pattern(uint64_t tag, size_t i)
{
	return (uint8_t)(tag * 7 + i + (i >> 8) * 131);
}

static void fill(void *p, size_t n, uint64_t tag)
{
	uint8_t *b = opaque(p);

	for (size_t i = 0; i < n; i++)
		b[i] = pattern(tag, i);
}

static bool intact(const void *p, size_t n, uint64_t tag)
{
	const uint8_t *b = opaque((void *)p);

	for (size_t i = 0; i < n; i++)
		if (b[i] != pattern(tag, i))
			return false;
	return true;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Mostly small (the size-class lists), some to 64 KiB (the bins), a few
 * past the mmap threshold; never 0 (realloc(p, 0) frees p). */
static size_t random_size(void)
{
	uint64_t r = next_random();

	switch (r % 16) {
	case 0:
		return 128 * 1024 + (r >> 8) % (256 * 1024);
	case 1:
	case 2:
	case 3:
	case 4:
		return 1009 + (r >> 8) % (64 * 1024);
	default:
		return 1 + (r >> 8) % 1008;
	}
}

enum { NBLOCKS = 1500, ROUNDS = 20000 };

static struct block {
	void *p;
	size_t n;
	uint64_t tag;
} blocks[NBLOCKS];

static bool new_block(struct block *b, size_t n, uint64_t tag)
{
	b->p = opaque(malloc(n));
	b->n = n;
	b->tag = tag;
	if (!b->p)
		return false;
	fill(b->p, n, tag);
	return true;
}

/* Every block allocated, then each round frees, reallocates or replaces
 * one (the lists, the bins, splits, coalescing, growth). */
static bool churn(void)
{
	bool ok = true;

	for (size_t i = 0; i < NBLOCKS; i++)
		ok &= new_block(&blocks[i], random_size(), i);
	for (uint64_t r = 0; r < ROUNDS && ok; r++) {
		struct block *b = &blocks[next_random() % NBLOCKS];
		size_t n = random_size(), keep = n < b->n ? n : b->n;

		ok &= intact(b->p, b->n, b->tag);
		if (r % 3) {
			void *q = opaque(realloc(b->p, n));

			ok &= q && intact(q, keep, b->tag);
			if (!q)
				break;
			b->p = q;
			b->n = n;
			fill(q, n, b->tag);
		} else {
			free(b->p);
			ok &= new_block(b, n, NBLOCKS + r);
		}
	}
	for (size_t i = 0; i < NBLOCKS; i++)
		ok &= intact(blocks[i].p, blocks[i].n, blocks[i].tag);
	return ok;
}

/* Blocks shrunk in place and aligned ones: both split their chunks. */
static bool shrink_and_align(void)
{
	bool ok = true;

	for (size_t i = 0; i < NBLOCKS; i++) {
		struct block *b = &blocks[i];
		size_t n = b->n / 3;
		void *q = opaque(realloc(b->p, n + 1));

		ok &= q && intact(q, n + 1, b->tag);
		if (q) {
			b->p = q;
			b->n = n + 1;
		}
	}
	for (size_t a = 32; a <= 64 * 1024; a *= 2) {
		void *p = opaque(memalign(a, a * 3 + 5));

		ok &= p && !((uintptr_t)p & (a - 1));
		if (p) {
			fill(p, a * 3 + 5, a);
			ok &= intact(p, a * 3 + 5, a);
		}
		free(p);
	}
	return ok;
}

/* Small blocks cached, then one the cached ones must make room for (the
 * heap grows after a consolidation), then malloc_trim (another). */
static bool cached_then_large(void)
{
	enum { SMALL = 4000 };
	static void *small[SMALL];
	bool ok = true;
	void *big;

	for (size_t i = 0; i < SMALL; i++) {
		small[i] = opaque(malloc(16 + i % 900));
		ok &= small[i] != NULL;
		if (small[i])
			fill(small[i], 16 + i % 900, i);
	}
	for (size_t i = 0; i < SMALL; i++) {
		ok &= !small[i] || intact(small[i], 16 + i % 900, i);
		free(small[i]);
	}
	big = opaque(malloc(100 * 1024));
	ok &= big != NULL;
	if (big) {
		fill(big, 100 * 1024, 7);
		ok &= intact(big, 100 * 1024, 7);
	}
	free(big);
	malloc_trim(0);
	for (size_t i = 0; i < NBLOCKS; i++) {
		ok &= intact(blocks[i].p, blocks[i].n, blocks[i].tag);
		free(blocks[i].p);
	}
	return ok;
}

static bool in_library(void *fn, const char *lib)
{
	Dl_info info;

	return dladdr(fn, &info) && info.dli_fname &&
	       strstr(info.dli_fname, lib);
}

int main(void)
{
	const char *so = getenv("LD_PRELOAD");
	void *lib = so ? dlopen(so, RTLD_NOW | RTLD_NOLOAD) : NULL;
	size_t lens[4];
	size_t (*split_fn)(const char *, char, size_t *, size_t);
	long (*consolidate_fn)(long, long);

	printf("1..9\n");
	check(lib && in_library((void *)malloc, "libpagoda-malloc") &&
		      in_library((void *)free, "libpagoda-malloc"),
	      "malloc and free are libpagoda-malloc.so's (LD_PRELOAD)");
	check(lib && dlsym(lib, "malloc") && !dlsym(lib, "split") &&
		      !dlsym(lib, "consolidate"),
	      "the library defines neither split nor consolidate");
	*(void **)&split_fn = dlsym(RTLD_DEFAULT, "split");
	*(void **)&consolidate_fn = dlsym(RTLD_DEFAULT, "consolidate");
	check(split_fn == split && consolidate_fn == consolidate,
	      "split and consolidate resolve to the program's");
	check(split_fn && split_fn("ab,,cde,f", ',', lens, 4) == 4 &&
		      lens[0] == 2 && lens[1] == 0 && lens[2] == 3 &&
		      lens[3] == 1,
	      "the program's split() gives its own result");
	check(consolidate_fn && consolidate_fn(3, 4) == 3004 + MARKER,
	      "the program's consolidate() gives its own result");
	check(churn(), "malloc, realloc, free of many sizes: contents intact");
	check(shrink_and_align(),
	      "realloc shrinking in place, memalign: contents intact");
	check(cached_then_large(),
	      "cached blocks consolidated, malloc_trim: contents intact");
	check(split_calls == 1 && consolidate_calls == 1 &&
		      split("x", ',', lens, 4) == 1 &&
		      consolidate(1, 2) == 1002 + MARKER && split_calls == 2 &&
		      consolidate_calls == 2,
	      "the program's functions were called by the program alone");
	return failed;
}
