// SPDX-License-Identifier: MIT
/*
 * tests/linux/malloc.c - malloc under load: 20000 rounds of malloc, realloc
 * and free on 512 slots, sizes 1 B to 256 KiB from a fixed generator, every
 * block filled with a pattern of its own and checked before it changes;
 * calloc's zeroes; blocks past the mmap threshold; aligned_alloc. Then
 * glibc's mallinfo2 and malloc_trim (musl has neither: the same lines,
 * said so). The numbers that depend on where the break starts are marked.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS  512
#define ROUNDS 20000

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)seed;
}

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static struct slot slots[SLOTS];

static size_t pick_size(void)
{
	uint32_t r = next();

	switch (r % 8) {
	case 0:
		return 1 + (r >> 8) % 262144; /* up to 256 KiB */
	case 1:
	case 2:
		return 1 + (r >> 8) % 4096;
	default:
		return 1 + (r >> 8) % 256;
	}
}

static int intact(const struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] != (unsigned char)(s->tag + i))
			return 0;
	return 1;
}

static void fill(struct slot *s, size_t from)
{
	for (size_t i = from; i < s->n; i++)
		s->p[i] = (unsigned char)(s->tag + i);
}

int main(void)
{
	unsigned long mallocs = 0, reallocs = 0, frees = 0, bad = 0;
	size_t peak = 0, live = 0;
	static char out[4096];

	/* stdout's buffer out of the heap: glibc sizes its own by the
	 * terminal's st_blksize, which is not this test's business */
	setvbuf(stdout, out, _IOLBF, sizeof(out));

	for (int r = 0; r < ROUNDS; r++) {
		struct slot *s = &slots[next() % SLOTS];

		if (s->p && !intact(s))
			bad++;
		if (!s->p) {
			s->n = pick_size();
			s->p = malloc(s->n);
			s->tag = (unsigned char)next();
			if (!s->p)
				return 2;
			fill(s, 0);
			live += s->n;
			mallocs++;
		} else if (next() % 3 == 0) {
			size_t n = pick_size();
			unsigned char *p = realloc(s->p, n);

			if (!p)
				return 2;
			live = live - s->n + n;
			s->p = p;
			if (n < s->n)
				s->n = n;
			else {
				size_t old = s->n;
				s->n = n;
				fill(s, old);
			}
			s->n = n;
			reallocs++;
		} else {
			free(s->p);
			live -= s->n;
			s->p = NULL;
			frees++;
		}
		if (live > peak)
			peak = live;
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].p && !intact(&slots[i]))
			bad++;
		free(slots[i].p);
		slots[i].p = NULL;
	}
	printf("malloc: %lu mallocs, %lu reallocs, %lu frees, peak %zu bytes live\n",
	       mallocs, reallocs, frees, peak);
	printf("malloc: blocks damaged: %lu\n", bad);

	unsigned char *z = calloc(100000, 3);
	size_t nonzero = 0;
	if (!z)
		return 2;
	for (size_t i = 0; i < 300000; i++)
		nonzero += z[i] != 0;
	printf("malloc: calloc(100000, 3) non-zero bytes: %zu\n", nonzero);

	char *big[4];
	for (int i = 0; i < 4; i++) {
		big[i] = malloc((size_t)(i + 1) << 20);
		if (!big[i])
			return 2;
		memset(big[i], 'a' + i, (size_t)(i + 1) << 20);
	}
	int big_ok = 1;
	for (int i = 0; i < 4; i++)
		big_ok &= big[i][((size_t)(i + 1) << 20) - 1] == 'a' + i &&
			  big[i][0] == 'a' + i;
	printf("malloc: 1..4 MiB blocks intact: %s\n", big_ok ? "yes" : "NO");

	void *al = aligned_alloc(4096, 10000);
	printf("malloc: aligned_alloc(4096, 10000) aligned: %s\n",
	       al && ((uintptr_t)al & 4095) == 0 ? "yes" : "NO");
	printf("~ malloc: a 1 MiB block at: %p\n", (void *)big[0]);

#ifdef __GLIBC__
	/* The heap's own numbers are marked: under qemu-riscv64 they move
	 * with the program's layout (its mremap), not with the kernel's
	 * answers. What must hold anywhere is checked. */
	struct mallinfo2 mi = mallinfo2();
	size_t live_now = 300000 + (10 << 20) + 10000;
	printf("mallinfo2: %zu mmapped blocks of %zu bytes\n", mi.hblks,
	       mi.hblkhd);
	printf("mallinfo2: in use (heap + mmapped) covers the %zu live bytes: %s\n",
	       live_now, mi.uordblks + mi.hblkhd >= live_now ? "yes" : "NO");
	printf("~ mallinfo2: in use %zu, arena %zu, free %zu, top %zu\n",
	       mi.uordblks, mi.arena, mi.fordblks, mi.keepcost);
#else
	printf("mallinfo2: none in this libc\n");
	printf("mallinfo2: none in this libc\n");
	printf("~ mallinfo2: none\n");
#endif
	for (int i = 0; i < 4; i++)
		free(big[i]);
	free(al);
	free(z);
	/* 100000 bytes freed below a block still held: malloc_trim gives
	 * their pages back (glibc's madvise inside the heap) */
	char *top = malloc(100000);
	char *hold = malloc(16);
	memset(top, 1, 100000);
	free(top);
	(void)hold;
#ifdef __GLIBC__
	printf("malloc_trim(0): %d\n", malloc_trim(0));
	mi = mallinfo2();
	printf("mallinfo2 after: %zu mmapped blocks\n", mi.hblks);
	printf("~ mallinfo2 after: in use %zu bytes\n", mi.uordblks);
#else
	printf("malloc_trim(0): none in this libc\n");
	printf("mallinfo2 after: none in this libc\n");
	printf("~ mallinfo2 after: none\n");
#endif
	free(hold);
	return bad ? 1 : 0;
}
