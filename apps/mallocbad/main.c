/* SPDX-License-Identifier: MIT */
/*
 * apps/mallocbad/main.c - misuses the app's malloc on purpose, so tests can
 * check that malloc (alloc/malloc/) catches each one, says what it is and
 * where ("malloc: <what> 0x<address>"), and aborts: the runtime reports
 * SIGABRT and the app ends with status 134.
 *
 *     make run APP=mallocbad ARGS=double-free             free twice, small
 *     make run APP=mallocbad ARGS=double-free-medium      free twice, 5000 B
 *     make run APP=mallocbad ARGS=invalid                 free a stack address
 *     make run APP=mallocbad ARGS=interior                free p + 32
 *     make run APP=mallocbad ARGS=overflow                write over the next
 *                                                         block's header, free
 *                                                         that block
 *     make run APP=mallocbad ARGS=overflow-past           the same, free the
 *                                                         block overflowed
 *     make run APP=mallocbad ARGS=use-after-free-realloc  realloc a freed block
 *
 * Before the misuse the app prints "mallocbad: <case> 0x<address>", the
 * address malloc's message must name. Surviving the misuse is a bug: the
 * app then says so and exits 1.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *what;

/*
 * Keeps the compiler from seeing through a pointer (and from warning about
 * the misuse, which is the point).
 */
static void *volatile laundry;

static void *opaque(void *p)
{
	laundry = p;
	return laundry;
}

static void announce(const void *p)
{
	printf("mallocbad: %s %p\n", what, p);
}

static void double_free(size_t n)
{
	char *before = malloc(n), *p = malloc(n), *after = malloc(n);

	char *q = opaque(p);

	memset(p, 0x5a, n);
	announce(p);
	free(p);
	free(q);
	free(before);
	free(after);
}

static void invalid(void)
{
	_Alignas(16) char buf[64] = { 0 };
	char *p = opaque(buf + 16);

	announce(p);
	free(p);
}

static void interior(void)
{
	char *a = malloc(256), *b = malloc(256);
	char *p = opaque(a + 32);

	announce(p);
	free(p);
	free(b);
}

/*
 * Fill a past its usable size by 8 bytes: the next chunk's head word
 * (internal.h: a chunk's last usable word is the next one's prev_size, its
 * head follows). Then free the next block (its header is damaged), or a
 * itself (the block past it is).
 */
static void overflow(size_t n, int free_first)
{
	/* chunks: the blocks of up to 8 kB, in pages, have no header */
	char *a = malloc(n), *b = malloc(10000), *c = malloc(10000);
	size_t usable = malloc_usable_size(a);

	memset(opaque(a), 'A', usable + 8);
	announce(free_first ? a : b);
	free(free_first ? a : b);
	free(c);
}

static void use_after_free_realloc(void)
{
	char *p = malloc(100), *guard = malloc(100), *q = opaque(p);

	announce(p);
	free(p);
	q = realloc(q, 200);
	free(q);
	free(guard);
}

int main(int argc, char **argv)
{
	what = argc > 1 ? argv[1] : "";
	if (!strcmp(what, "double-free"))
		double_free(24);
	else if (!strcmp(what, "double-free-medium"))
		double_free(10000);
	else if (!strcmp(what, "invalid"))
		invalid();
	else if (!strcmp(what, "interior"))
		interior();
	else if (!strcmp(what, "overflow"))
		overflow(10000, 0);
	else if (!strcmp(what, "overflow-past"))
		overflow(12000, 1);
	else if (!strcmp(what, "use-after-free-realloc"))
		use_after_free_realloc();
	else {
		fprintf(stderr,
			"usage: mallocbad double-free|double-free-medium|"
			"invalid|interior|overflow|overflow-past|"
			"use-after-free-realloc\n");
		return 2;
	}
	printf("mallocbad: survived '%s', which is wrong\n", what);
	return 1;
}
