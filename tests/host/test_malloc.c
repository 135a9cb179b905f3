// SPDX-License-Identifier: MIT
/*
 * tests/host/test_malloc.c - the app's malloc (alloc/malloc/) as the malloc
 * of this very program (it replaces glibc's by symbol interposition): every
 * entry point against glibc's documented semantics (malloc, free, calloc,
 * realloc in place and by mremap, reallocarray, memalign, aligned_alloc,
 * posix_memalign, valloc, pvalloc, malloc_usable_size, mallinfo2,
 * malloc_trim, malloc_stats, mallopt and the adaptive mmap threshold);
 * ENOMEM without damage; the checks that abort (double free, invalid
 * pointer, heap overflow, use after free) with their messages; safe-linking
 * of the pages' lists; memory really given back to the system (RSS and
 * the break); real programs run under LD_PRELOAD of libpagoda-malloc.so
 * (when MALLOC_SO names it); threads; and random operations with every
 * block's contents checked and malloc_check() every 100 operations.
 *
 * State is process-wide: each test starts from the tunables malloc began
 * with (setup() puts them back), and tests that call mallopt() or must
 * crash run in a forked child whose status (and standard error, through a
 * pipe) the parent checks. A child reports a failed check on its standard
 * error and exits 1.
 *
 * The random test's seed is fixed and printed; PAGODA_SEED=<n> runs another
 * one, PAGODA_STRESS_OPS=<n> changes the length.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* cmocka needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "alloc/malloc/internal.h"

#define DEFAULT_SEED 0x3a11bcf00dULL
#define DEFAULT_OPS  20000

#define KiB ((size_t)1 << 10)
#define MiB ((size_t)1 << 20)
#define TiB ((size_t)1 << 40)

/* Surely mapped, and too big to move the adaptive threshold when freed. */
#define HUGE_BLOCK (40 * MiB)

/* ---- helpers ---- */

/*
 * The compiler may not reason about p: it knows malloc, and could drop an
 * allocation only compared with NULL, or a read of freed memory.
 */
static void *opaque(void *p)
{
	__asm__ volatile("" : "+r"(p) : : "memory");
	return p;
}

/*
 * The compiler knows the allocation calls: it drops a block that is only
 * freed, folds free(realloc(p, n)) into free(p), takes a result compared
 * with NULL for non-NULL, a fresh block for unequal to any other pointer.
 * Every call below goes through opaque().
 */
#define malloc(n)	      opaque(malloc(n))
#define calloc(n, s)	      opaque(calloc(n, s))
#define realloc(p, n)	      opaque(realloc(p, n))
#define reallocarray(p, n, s) opaque(reallocarray(p, n, s))
#define memalign(a, n)	      opaque(memalign(a, n))
#define aligned_alloc(a, n)   opaque(aligned_alloc(a, n))
#define valloc(n)	      opaque(valloc(n))
#define pvalloc(n)	      opaque(pvalloc(n))

/* The same for a number: a bad alignment the compiler would refuse. */
static size_t hidden(size_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* p's chunk, out of the compiler's sight (UBSan's object-size check). */
static struct chunk *hdr(void *p)
{
	return mem_chunk(opaque(p));
}

static bool is_mmapped(void *p)
{
	return is_mapped(hdr(p));
}

static bool in_heap(void *p)
{
	return (char *)p >= malloc_state.heap_start &&
	       (char *)p < malloc_state.heap_end;
}

static uint8_t pattern(uint64_t tag, size_t i)
{
	return (uint8_t)(tag + i + (i >> 8) * 131 + (tag >> 8));
}

static void fill(void *p, size_t n, uint64_t tag)
{
	uint8_t *b = opaque(p);

	for (size_t i = 0; i < n; i++)
		b[i] = pattern(tag, i);
}

/* The first byte of p[from, n) that is not tag's pattern, or n. */
static size_t bad_byte(const void *p, size_t from, size_t n, uint64_t tag)
{
	const uint8_t *b = opaque((void *)p);

	for (size_t i = from; i < n; i++)
		if (b[i] != pattern(tag, i))
			return i;
	return n;
}

static bool intact(const void *p, size_t n, uint64_t tag)
{
	return bad_byte(p, 0, n, tag) == n;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = opaque((void *)p);

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static bool aligned_to(const void *p, size_t a)
{
	return !((uintptr_t)p & (a - 1));
}

/*
 * A block of n bytes carved from the top chunk as malloc carves it (heap.c),
 * so that the test knows what follows it (the top, or the next block taken
 * this way) and its chunk is exactly request_size(n) (malloc may hand out a
 * binned chunk up to MIN_CHUNK - 16 bytes larger). NULL if the heap cannot
 * grow.
 */
static void *carve(size_t n)
{
	size_t nb = request_size(n);
	struct chunk *c;

	malloc_sys_lock();
	c = malloc_top_take(nb);
	if (!c && malloc_top_grow(nb))
		c = malloc_top_take(nb);
	malloc_sys_unlock();
	return c ? chunk_mem(c) : NULL;
}

static void *from_top(size_t n)
{
	void *p = carve(n);

	assert_non_null(p);
	assert_int_equal(chunk_size(hdr(p)), request_size(n));
	assert_ptr_equal(chunk_at(hdr(p), chunk_size(hdr(p))),
			 malloc_state.top);
	return p;
}

/* Grow the top chunk, if it must, to hold at least bytes. */
static void ensure_top(size_t bytes)
{
	bool ok = true;

	malloc_sys_lock();
	if (malloc_state.top_size < bytes)
		ok = malloc_top_grow(bytes);
	malloc_sys_unlock();
	assert_true(ok);
	assert_true(malloc_state.top_size >= bytes);
}

static size_t chunk_of(void *p)
{
	return chunk_size(hdr(p));
}

/* Resident bytes of this process. */
static size_t rss(void)
{
	char buf[128];
	unsigned long size = 0, resident = 0;
	int fd = open("/proc/self/statm", O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = 0;
	assert_int_equal(sscanf(buf, "%lu %lu", &size, &resident), 2);
	return resident * page_size();
}

static uint64_t xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

/* ---- tunables: every test starts with malloc's own ---- */
static struct malloc_tunables defaults;

static void save_defaults(void)
{
	free(opaque(malloc(1))); /* malloc_init() */
	defaults = malloc_state.tune;
}

static int setup(void **state)
{
	malloc_state.tune = defaults;
	return 0;
}

static int teardown(void **state)
{
	malloc_check();
	return 0;
}

/* ---- forked children ---- */
struct child {
	int status;
	char err[8192]; /* its standard error, NUL-terminated */
};

static void say(const char *s)
{
	malloc_sys_print(s, strlen(s)); /* standard error, without allocating */
}

static _Noreturn void child_fail(int line, const char *what)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "test_malloc.c:%d: in child: %s\n", line,
		 what);
	say(buf);
	_exit(1);
}

/* A check in a child: cmocka's asserts would run the next tests there. */
#define CHECK(cond)                                  \
	do {                                         \
		if (!(cond))                         \
			child_fail(__LINE__, #cond); \
	} while (0)

static void drain(int fd, char *buf, size_t size)
{
	size_t len = 0;
	char sink[512];
	ssize_t n;

	for (;;) {
		if (len < size - 1)
			n = read(fd, buf + len, size - 1 - len);
		else
			n = read(fd, sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < size - 1)
			len += (size_t)n;
	}
	buf[len] = 0;
}

/*
 * Run body(arg) in a child with its standard error going to ch->err; the
 * child exits 0 if body returns. No core files, and the default action for
 * the signals cmocka catches, so a crash ends the child.
 */
static void run_child(void (*body)(void *), void *arg, struct child *ch)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	int fds[2];
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		close(fds[0]);
		dup2(fds[1], 2);
		close(fds[1]);
		body(arg);
		_exit(0);
	}
	close(fds[1]);
	drain(fds[0], ch->err, sizeof(ch->err));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &ch->status, 0), pid);
}

static void expect_exit0(const struct child *ch)
{
	if (!WIFEXITED(ch->status) || WEXITSTATUS(ch->status))
		print_message("# child status 0x%x, stderr:\n%s", ch->status,
			      ch->err);
	assert_true(WIFEXITED(ch->status));
	assert_int_equal(WEXITSTATUS(ch->status), 0);
}

static void expect_signal(const struct child *ch, int sig)
{
	if (!WIFSIGNALED(ch->status) || WTERMSIG(ch->status) != sig)
		print_message("# child status 0x%x (expected signal %d), "
			      "stderr:\n%s",
			      ch->status, sig, ch->err);
	assert_true(WIFSIGNALED(ch->status));
	assert_int_equal(WTERMSIG(ch->status), sig);
}

/* Killed by SIGABRT (134 to a shell) saying "malloc: <what> <p>". */
static void expect_abort(const struct child *ch, const char *what,
			 const void *p)
{
	char msg[128];

	expect_signal(ch, SIGABRT);
	if (p)
		snprintf(msg, sizeof(msg), "malloc: %s %p\n", what, p);
	else
		snprintf(msg, sizeof(msg), "malloc: %s", what);
	if (!strstr(ch->err, msg))
		print_message("# expected \"%s\", got \"%s\"\n", msg, ch->err);
	assert_non_null(strstr(ch->err, msg));
}

/* ---- malloc, free, malloc_usable_size ---- */
static void malloc_basics(void **state)
{
	static const size_t big[] = {
		1009,	4095,	4096, 65536,   131071,
		131072, 131073, MiB,  MiB + 1, HUGE_BLOCK
	};
	void *held[64];
	void *p, *q;

	/* malloc(0): unique, non-NULL, usable */
	p = malloc(0);
	q = malloc(0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	assert_true(aligned_to(p, 16) && aligned_to(q, 16));
	memset(opaque(p), 0x5a, malloc_usable_size(p));
	free(p);
	free(q);

	/* every size up to 2100 bytes, 64 live at a time */
	for (size_t n = 0; n <= 2100; n++) {
		size_t i = n % 64;

		if (n >= 64) {
			assert_true(intact(held[i], n - 64, n - 64));
			free(held[i]);
		}
		held[i] = malloc(n);
		assert_non_null(held[i]);
		assert_true(aligned_to(held[i], 16));
		assert_true(malloc_usable_size(held[i]) >= n);
		fill(held[i], n, n);
	}
	for (size_t i = 0; i < 64; i++)
		free(held[i]);
	malloc_check();

	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		p = malloc(big[i]);
		assert_non_null(p);
		assert_true(aligned_to(p, 16));
		assert_true(malloc_usable_size(p) >= big[i]);
		/* the whole usable size is the caller's */
		memset(opaque(p), 0xa5, malloc_usable_size(p));
		malloc_check();
		free(p);
	}

	/* free(NULL) does nothing */
	{
		struct mallinfo2 a = mallinfo2(), b;

		free(NULL);
		b = mallinfo2();
		assert_int_equal(a.uordblks, b.uordblks);
		assert_int_equal(a.fordblks, b.fordblks);
		assert_int_equal(a.smblks, b.smblks);
	}
}

static void usable_size(void **state)
{
	void *p;

	assert_int_equal(malloc_usable_size(NULL), 0);
	for (size_t n = 1; n < 300 * KiB; n = n * 3 + 1) {
		size_t u;

		p = malloc(n);
		u = malloc_usable_size(p);
		assert_true(u >= n);
		/* writing all of it damages nothing */
		memset(opaque(p), 0xff, u);
		malloc_check();
		free(p);
	}
	/* a small block's slack is under 16 bytes: no size class wasted */
	p = malloc(100);
	assert_true(malloc_usable_size(p) < 100 + 16);
	free(p);
}

/*
 * A freed small block is handed out again once its page's free list has
 * run out (free pushes on the page's local list, which malloc then takes
 * over), before any new block of its page is carved.
 */
static void free_reuses(void **state)
{
	void *p = malloc(40), *q[PAGE_SIZE / 48];
	size_t i, n = 0;

	assert_true(in_pages(p));
	free(p);
	for (i = 0; i < PAGE_SIZE / 48; i++) {
		q[i] = malloc(40);
		n = i + 1;
		if (q[i] == p)
			break;
	}
	assert_ptr_equal(q[n - 1], p);
	while (n)
		free(q[--n]);
	malloc_check();
}

/*
 * The size rule (request_size(), internal.h) at its edges, and shared by
 * the fast paths: for every small request, the block free puts on its list
 * is the one the next malloc of that size takes.
 */
static void size_rule(void **state)
{
	assert_int_equal(request_size(0), MIN_CHUNK);
	assert_int_equal(request_size(MIN_CHUNK - CHUNK_OVERHEAD), MIN_CHUNK);
	assert_int_equal(request_size(MIN_CHUNK - CHUNK_OVERHEAD + 1),
			 MIN_CHUNK + ALIGNMENT);
	assert_int_equal(request_size(1000), 1008);
	assert_int_equal(request_size(1001), 1008 + ALIGNMENT);
	assert_int_equal(request_size(MAX_REQUEST) % ALIGNMENT, 0);
	/* a page's blocks: at most 12.5 % over the request above 128 B */
	for (size_t n = 0; n <= PAGE_REQ_MAX; n++) {
		void *p = malloc(n);
		size_t u = malloc_usable_size(p);

		assert_true(in_pages(p) && !((uintptr_t)p & 15));
		assert_true(u >= n && u >= 16 && u % 16 == 0);
		assert_true(u <= 128 || (u - n) * 8 <= u);
		assert_true(n > 128 || n == 0 || u < n + 16);
		free(p);
	}
	malloc_check();
}

/* ---- calloc ---- */
static void calloc_zeroes(void **state)
{
	static const size_t sizes[] = { 1,    16,   24,	  100,	 1000,	1008,
					1009, 4000, 5000, 20000, 200000 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	void *p[N];

	/* dirty blocks of every kind, freed, then calloc'ed again */
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < N; i++) {
			p[i] = malloc(sizes[i]);
			memset(opaque(p[i]), 0xcc, malloc_usable_size(p[i]));
		}
		for (size_t i = 0; i < N; i++)
			free(p[i]);
		for (size_t i = 0; i < N; i++) {
			p[i] = calloc(1, sizes[i]);
			assert_non_null(p[i]);
			assert_true(all_zero(p[i], sizes[i]));
			memset(opaque(p[i]), 0xdd, sizes[i]);
		}
		for (size_t i = N; i-- > 0;)
			free(p[i]);
	}

	/* freed small blocks come back zeroed: the very same ones */
	for (size_t i = 0; i < N; i++) {
		p[i] = malloc(200);
		memset(opaque(p[i]), 0xee, 200);
	}
	for (size_t i = 0; i < N; i++)
		free(p[i]);
	for (size_t i = 0; i < N; i++) {
		p[i] = calloc(10, 20);
		assert_true(all_zero(p[i], 200));
	}
	for (size_t i = 0; i < N; i++)
		free(p[i]);

	/* a mapped one */
	p[0] = calloc(HUGE_BLOCK / 64, 64);
	assert_non_null(p[0]);
	assert_true(is_mmapped(p[0]));
	assert_true(all_zero(p[0], HUGE_BLOCK));
	free(p[0]);

	/* calloc(0, n) is malloc(0) */
	p[0] = calloc(0, 10);
	p[1] = calloc(10, 0);
	assert_non_null(p[0]);
	assert_non_null(p[1]);
	assert_ptr_not_equal(p[0], p[1]);
	free(p[0]);
	free(p[1]);
}

static void calloc_overflow(void **state)
{
	errno = 0;
	assert_null(opaque(calloc(SIZE_MAX / 2 + 1, 2)));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(opaque(calloc((size_t)1 << 33, (size_t)1 << 31)));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(opaque(calloc(3, SIZE_MAX / 2)));
	assert_int_equal(errno, ENOMEM);
}

/* ---- realloc ---- */
static void realloc_keeps_contents(void **state)
{
	static const size_t sizes[] = { 1,	 10,	   100,	    1000,
					1008,	 1009,	   10000,   100000,
					2 * MiB, 50 * MiB, 3 * MiB, 300,
					7,	 5000,	   2 * MiB, 24 };
	size_t old = 0;
	void *p = realloc(NULL, 0);

	/* realloc(NULL, n) is malloc(n) */
	assert_non_null(p);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i], keep = old < n ? old : n;

		p = realloc(p, n);
		assert_non_null(p);
		assert_true(aligned_to(p, 16));
		assert_true(malloc_usable_size(p) >= n);
		assert_true(intact(p, keep, 77));
		/* the rest gets the pattern too */
		fill(p, n, 77);
		old = n;
		malloc_check();
	}
	free(p);
}

/* realloc(p, 0) frees p and returns NULL. */
static void realloc_zero_frees(void **state)
{
	void *p = from_top(40), *q;
	struct mallinfo2 a, b;
	size_t size;

	assert_null(opaque(realloc(p, 0)));
	q = malloc(40);
	assert_true(malloc_usable_size(q) >= 40);
	free(q);
	malloc_check();

	p = malloc(50000);
	size = chunk_of(p);
	a = mallinfo2();
	assert_null(opaque(realloc(p, 0)));
	b = mallinfo2();
	assert_int_equal(b.uordblks + size, a.uordblks);

	p = malloc(HUGE_BLOCK);
	a = mallinfo2();
	assert_null(opaque(realloc(p, 0)));
	b = mallinfo2();
	assert_int_equal(b.hblks + 1, a.hblks);
}

/* The last block before the top grows and shrinks where it stands. */
static void realloc_in_place_top(void **state)
{
	size_t sizes[] = { 6000, 100000, 100, 3000, 50 };
	size_t old = 2000;
	void *p;

	ensure_top(256 * KiB);
	p = from_top(2000);
	fill(p, 2000, 5);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		assert_ptr_equal(realloc(p, n), p);
		assert_true(malloc_usable_size(p) >= n);
		assert_true(intact(p, old < n ? old : n, 5));
		fill(p, n, 5);
		old = n;
		malloc_check();
	}
	free(p);
}

/* A block followed by a freed one grows into it. */
static void realloc_in_place_next_free(void **state)
{
	void *a = from_top(2000), *b = from_top(20000), *guard = from_top(64);

	fill(a, 2000, 9);
	free(b);
	assert_true(hdr(b)->head & H_FREE);
	assert_ptr_equal(realloc(a, 15000), a);
	assert_true(malloc_usable_size(a) >= 15000);
	assert_true(intact(a, 2000, 9));
	fill(a, 15000, 9);
	malloc_check();
	/* the whole of it, and not a byte past it: guard stays in use */
	assert_ptr_equal(realloc(a, 2000 + 20000), a);
	assert_true(intact(a, 15000, 9));
	assert_ptr_equal(chunk_at(hdr(a), chunk_of(a)), hdr(guard));
	assert_true(hdr(guard)->head & H_PREV_INUSE);
	malloc_check();
	/* shrinking is in place too, and frees the tail */
	assert_ptr_equal(realloc(a, 1500), a);
	assert_true(intact(a, 1500, 9));
	assert_true(chunk_at(hdr(a), chunk_of(a))->head & H_FREE);
	assert_false(hdr(guard)->head & H_PREV_INUSE);
	malloc_check();
	free(guard);
	free(a);
}

/* Mapped blocks are resized with mremap: contents kept, still mapped. */
static void realloc_mapped(void **state)
{
	void *p = malloc(2 * MiB), *q;

	assert_true(is_mmapped(p));
	fill(p, 2 * MiB, 21);
	q = realloc(p, HUGE_BLOCK + 3 * MiB);
	assert_non_null(q);
	assert_true(is_mmapped(q));
	assert_true(malloc_usable_size(q) >= HUGE_BLOCK + 3 * MiB);
	assert_true(intact(q, 2 * MiB, 21));
	memset((char *)opaque(q) + 2 * MiB, 1, HUGE_BLOCK + MiB);
	q = realloc(q, MiB + 12345);
	assert_true(is_mmapped(q));
	assert_true(malloc_usable_size(q) >= MiB + 12345);
	assert_true(intact(q, MiB + 12345, 21));
	/* a few pages less: the same mapping, shrunk */
	p = q;
	q = realloc(q, MiB);
	assert_ptr_equal(p, q);
	assert_true(intact(q, MiB, 21));
	free(q);
}

static void reallocarray_checks(void **state)
{
	void *p = reallocarray(NULL, 10, 10);

	assert_non_null(p);
	assert_true(malloc_usable_size(p) >= 100);
	fill(p, 100, 3);
	errno = 0;
	assert_null(opaque(reallocarray(p, SIZE_MAX / 2, 3)));
	assert_int_equal(errno, ENOMEM);
	/* p is untouched and still p's */
	assert_true(intact(p, 100, 3));
	assert_true(malloc_usable_size(p) >= 100);
	p = reallocarray(p, 100, 40);
	assert_non_null(p);
	assert_true(malloc_usable_size(p) >= 4000);
	assert_true(intact(p, 100, 3));
	free(p);
}

/* ---- ENOMEM ---- */
static void enomem(void **state)
{
	static const size_t huge[] = { SIZE_MAX, SIZE_MAX - 4096, TiB,
				       MAX_REQUEST + 1, SIZE_MAX / 2 };
	void *p = malloc(300), *m = malloc(HUGE_BLOCK), *q;

	fill(p, 300, 11);
	fill(m, 4096, 12);
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		errno = 0;
		assert_null(opaque(malloc(huge[i])));
		assert_int_equal(errno, ENOMEM);

		errno = 0;
		q = opaque(realloc(p, huge[i]));
		assert_null(q);
		assert_int_equal(errno, ENOMEM);
		assert_true(intact(p, 300, 11));
		assert_true(malloc_usable_size(p) >= 300);

		errno = 0;
		q = opaque(realloc(m, huge[i]));
		assert_null(q);
		assert_int_equal(errno, ENOMEM);
		assert_true(is_mmapped(m));
		assert_true(intact(m, 4096, 12));

		errno = 0;
		assert_null(opaque(memalign(64, huge[i])));
		assert_int_equal(errno, ENOMEM);
		errno = 0;
		assert_null(opaque(calloc(1, huge[i])));
		assert_int_equal(errno, ENOMEM);
	}
	errno = 0;
	assert_null(opaque(pvalloc(SIZE_MAX - 10)));
	assert_int_equal(errno, ENOMEM);
	malloc_check();
	/* both still work */
	p = realloc(p, 600);
	assert_true(intact(p, 300, 11));
	free(p);
	free(m);
}

/* ---- the aligned calls ---- */
static void memalign_powers(void **state)
{
	static const size_t sizes[] = { 1, 100, 5000, 200000 };

	for (size_t a = 32; a <= MiB; a *= 2) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			void *p = memalign(a, sizes[i]), *q;

			assert_non_null(p);
			assert_true(aligned_to(p, a));
			assert_true(malloc_usable_size(p) >= sizes[i]);
			fill(p, sizes[i], a + i);
			/* a neighbour is not disturbed */
			q = malloc(64);
			fill(q, 64, 1);
			malloc_check();
			assert_true(intact(p, sizes[i], a + i));
			free(q);
			free(p);
		}
	}
	malloc_check();
}

static void *(*volatile memalign_fn)(size_t, size_t) = memalign;

/* An alignment that is not a power of two is rounded up to the next one. */
static void memalign_rounds_up(void **state)
{
	static const struct {
		size_t align, to;
	} cases[] = { { 48, 64 },
		      { 96, 128 },
		      { 3000, 4096 },
		      { 5000, 8192 },
		      { 65537, 131072 } };
	void *p[24];

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (size_t i = 0; i < 24; i++) {
			p[i] = memalign(hidden(cases[c].align), 10 + i * 50);
			assert_non_null(p[i]);
			assert_true(aligned_to(p[i], cases[c].to));
		}
		for (size_t i = 0; i < 24; i++)
			free(p[i]);
	}
	/* 0 and 1: malloc's own alignment (not through glibc's declaration,
	 * whose alloc_align makes UBSan check an alignment of 0) */
	p[0] = memalign_fn(0, 10);
	p[1] = memalign_fn(1, 10);
	assert_true(p[0] && aligned_to(p[0], 16));
	assert_true(p[1] && aligned_to(p[1], 16));
	free(p[0]);
	free(p[1]);
	/* past the largest power of two: EINVAL */
	errno = 0;
	assert_null(opaque(memalign(hidden(SIZE_MAX / 2 + 2), 10)));
	assert_int_equal(errno, EINVAL);
}

static void aligned_alloc_checks(void **state)
{
	static const size_t bad[] = { 0, 3, 24, 48, 1000, SIZE_MAX };
	void *p = aligned_alloc(64, 100);

	assert_non_null(p);
	assert_true(aligned_to(p, 64));
	free(p);
	p = aligned_alloc(4096, 4096);
	assert_true(p && aligned_to(p, 4096));
	free(p);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		assert_null(opaque(aligned_alloc(hidden(bad[i]), 100)));
		assert_int_equal(errno, EINVAL);
	}
}

static void posix_memalign_checks(void **state)
{
	static const size_t bad[] = { 0, 3, 4, 12, 24, 100 };
	void *sentinel = (void *)0x1234, *p = sentinel;

	assert_int_equal(posix_memalign(&p, 256, 1000), 0);
	assert_true(p != sentinel && aligned_to(p, 256));
	assert_true(malloc_usable_size(p) >= 1000);
	free(p);
	assert_int_equal(posix_memalign(&p, sizeof(void *), 10), 0);
	free(p);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = sentinel;
		errno = EDOM;
		assert_int_equal(posix_memalign(&p, hidden(bad[i]), 100),
				 EINVAL);
		assert_ptr_equal(p, sentinel);
		assert_int_equal(errno, EDOM);
	}
	/* too big: ENOMEM returned, errno and *p left alone */
	p = sentinel;
	errno = EDOM;
	assert_int_equal(posix_memalign(&p, 64, SIZE_MAX - 100), ENOMEM);
	assert_ptr_equal(p, sentinel);
	assert_int_equal(errno, EDOM);
	assert_int_equal(posix_memalign(&p, 64, TiB), ENOMEM);
	assert_ptr_equal(p, sentinel);
	assert_int_equal(errno, EDOM);
}

static void valloc_pvalloc(void **state)
{
	size_t page = page_size();
	void *p;

	p = valloc(100);
	assert_true(p && aligned_to(p, page));
	assert_true(malloc_usable_size(p) >= 100);
	free(p);
	p = valloc(3 * page + 1);
	assert_true(p && aligned_to(p, page));
	free(p);

	p = pvalloc(100);
	assert_true(p && aligned_to(p, page));
	assert_true(malloc_usable_size(p) >= page);
	memset(opaque(p), 1, page);
	free(p);
	p = pvalloc(0);
	assert_true(p && aligned_to(p, page));
	assert_true(malloc_usable_size(p) >= page);
	free(p);
	p = pvalloc(page + 1);
	assert_true(p && aligned_to(p, page));
	assert_true(malloc_usable_size(p) >= 2 * page);
	memset(opaque(p), 1, 2 * page);
	malloc_check();
	free(p);
}

/* ---- mallinfo2, malloc_trim, malloc_stats ---- */
static void check_mallinfo(struct mallinfo2 mi)
{
	/* the heap, and the pages in use */
	assert_true(mi.arena >=
		    (size_t)(malloc_state.heap_end - malloc_state.heap_start));
	assert_int_equal((mi.arena - (size_t)(malloc_state.heap_end -
					      malloc_state.heap_start)) %
				 PAGE_SIZE,
			 0);
	assert_int_equal(mi.arena, mi.uordblks + mi.fordblks);
	assert_int_equal(mi.keepcost, malloc_state.top_size);
	assert_int_equal(mi.hblks, malloc_state.mmapped_count);
	assert_true(mi.fsmblks <= mi.fordblks);
	assert_true(mi.ordblks >= 1); /* the top */
}

static void mallinfo2_moves(void **state)
{
	struct mallinfo2 a, b, c;
	size_t size;
	void *p;

	/* a heap block: in use grows by its chunk, and back */
	a = mallinfo2();
	check_mallinfo(a);
	p = malloc(10000);
	b = mallinfo2();
	check_mallinfo(b);
	assert_int_equal(b.uordblks, a.uordblks + chunk_of(p));
	assert_int_equal(b.hblks, a.hblks);
	free(p);
	c = mallinfo2();
	check_mallinfo(c);
	assert_int_equal(c.uordblks, a.uordblks);

	/* a small one: freed, it is counted in its page's free blocks */
	p = malloc(100);
	a = mallinfo2();
	size = malloc_usable_size(p);
	free(p);
	b = mallinfo2();
	assert_int_equal(b.smblks, a.smblks + 1);
	assert_int_equal(b.fsmblks, a.fsmblks + size);
	assert_int_equal(b.uordblks + size, a.uordblks);

	/* a mapped one: hblks and hblkhd, not the arena */
	a = mallinfo2();
	p = malloc(MiB);
	assert_true(is_mmapped(p));
	b = mallinfo2();
	check_mallinfo(b);
	assert_int_equal(b.hblks, a.hblks + 1);
	assert_true(b.hblkhd >= a.hblkhd + MiB);
	assert_int_equal(b.arena, a.arena);
	assert_int_equal(b.uordblks, a.uordblks);
	free(p);
	c = mallinfo2();
	assert_int_equal(c.hblks, a.hblks);
	assert_int_equal(c.hblkhd, a.hblkhd);

	/* keepcost is what malloc_trim(0) gives back from the top */
	p = malloc(100000);
	free(p);
	a = mallinfo2();
	malloc_trim(0);
	b = mallinfo2();
	check_mallinfo(b);
	assert_true(b.keepcost < page_size() + MIN_CHUNK);
	/* at least that much (the size-class lists merge into the top first) */
	assert_true(a.arena - b.arena >= a.keepcost - b.keepcost);
}

static void trim_gives_back(void **state)
{
	enum { N = 1000, SIZE = 12000 }; /* chunks: above PAGE_REQ_MAX */
	static void *blocks[N];
	size_t rss0, rss1, rss2;
	char *brk0, *brk1;

	rss0 = rss();
	for (int i = 0; i < N; i++) {
		blocks[i] = malloc(SIZE);
		memset(opaque(blocks[i]), 0x77, SIZE);
	}
	brk0 = sbrk(0);
	rss1 = rss();
	assert_true(rss1 >= rss0 + 8 * MiB);
	for (int i = 0; i < N; i++)
		free(blocks[i]);
	assert_int_equal(malloc_trim(0), 1);
	brk1 = sbrk(0);
	rss2 = rss();
	assert_ptr_equal(brk1, malloc_state.heap_end);
	assert_true(brk1 + 8 * MiB <= brk0);
	assert_true(rss2 + 8 * MiB <= rss1);
	assert_true(malloc_state.top_size < page_size() + MIN_CHUNK);

	/* nothing more to give: 0 */
	assert_int_equal(malloc_trim(0), 0);

	/* with a block past them the break cannot move: pages are released */
	for (int i = 0; i < N; i++) {
		blocks[i] = malloc(SIZE);
		memset(opaque(blocks[i]), 0x77, SIZE);
	}
	{
		void *guard = malloc(SIZE);

		rss1 = rss();
		brk0 = sbrk(0);
		for (int i = 0; i < N; i++)
			free(blocks[i]);
		assert_int_equal(malloc_trim(0), 1);
		rss2 = rss();
		assert_true(rss2 + 8 * MiB <= rss1);
		/* the binned chunk's pages went back once: not counted again */
		assert_int_equal(malloc_trim(0), 0);
		free(guard);
	}
	malloc_check();
}

static void stats_line(const char *text, const char *label, int nth,
		       size_t *value)
{
	const char *s = text;

	for (int i = 0; i <= nth; i++) {
		s = strstr(s, label);
		assert_non_null(s);
		s += strlen(label);
	}
	assert_int_equal(sscanf(s, " = %zu", value), 1);
}

static void stats_prints(void **state)
{
	char out[2048];
	size_t sys0, use0, sys1, use1;
	struct mallinfo2 mi;
	int fds[2], saved;
	void *heap = malloc(5000), *mapped = malloc(MiB);

	assert_true(is_mmapped(mapped));
	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fds[1], 2);
	mi = mallinfo2();
	malloc_stats();
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	drain(fds[0], out, sizeof(out));
	close(fds[0]);

	stats_line(out, "system bytes", 0, &sys0);
	stats_line(out, "in use bytes", 0, &use0);
	stats_line(out, "system bytes", 1, &sys1);
	stats_line(out, "in use bytes", 1, &use1);
	assert_int_equal(sys0, mi.arena);
	assert_int_equal(use0, mi.uordblks);
	assert_int_equal(sys1, mi.arena + mi.hblkhd);
	assert_int_equal(use1, mi.uordblks + mi.hblkhd);
	assert_true(sys1 >= sys0 + MiB);
	assert_non_null(strstr(out, "max mmap regions"));
	free(heap);
	free(mapped);
}

/* ---- mallopt and the adaptive threshold (in children) ---- */
static void mallopt_mmap_threshold_body(void *arg)
{
	struct mallinfo2 a, b;
	void *above, *below;

	CHECK(mallopt(M_MMAP_THRESHOLD, 64 * 1024) == 1);
	CHECK(malloc_state.tune.mmap_threshold == 64 * 1024);
	a = mallinfo2();
	above = malloc(64 * 1024 + 64);
	b = mallinfo2();
	CHECK(b.hblks == a.hblks + 1);
	CHECK(is_mmapped(above));
	below = malloc(64 * 1024 - 256);
	CHECK(mallinfo2().hblks == b.hblks);
	CHECK(!is_mmapped(below) && in_heap(below));
	/* mallopt stopped the adaptation: the free leaves it */
	free(above);
	CHECK(malloc_state.tune.mmap_threshold == 64 * 1024);
	free(below);

	/* refused values change nothing */
	CHECK(mallopt(M_MMAP_THRESHOLD, -1) == 0);
	CHECK(mallopt(M_MMAP_THRESHOLD, 64 << 20) == 0);
	CHECK(malloc_state.tune.mmap_threshold == 64 * 1024);
	CHECK(mallopt(M_MMAP_MAX, -1) == 0);
	CHECK(malloc_state.tune.mmap_max == defaults.mmap_max);
	/* unknown parameters */
	CHECK(mallopt(12345, 1) == 0);
	CHECK(mallopt(0, 1) == 0);
	CHECK(mallopt(-100, 1) == 0);
	/* the largest accepted: 32 MiB */
	CHECK(mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1);
	above = malloc(16 * MiB);
	CHECK(!is_mmapped(above));
	free(above);
	malloc_check();
}

static void mallopt_mmap_threshold(void **state)
{
	struct child ch;

	run_child(mallopt_mmap_threshold_body, NULL, &ch);
	expect_exit0(&ch);
}

static void mallopt_mmap_max_body(void *arg)
{
	size_t before = malloc_state.mmapped_count;
	void *p, *q;

	CHECK(mallopt(M_MMAP_MAX, 0) == 1);
	p = malloc(8 * MiB);
	q = malloc(HUGE_BLOCK);
	CHECK(p && q);
	CHECK(!is_mmapped(p) && in_heap(p));
	CHECK(!is_mmapped(q) && in_heap(q));
	CHECK(malloc_state.mmapped_count == before);
	CHECK(mallinfo2().hblks == before);
	memset(opaque(q), 1, HUGE_BLOCK);
	free(p);
	free(q);
	malloc_check();
}

static void mallopt_mmap_max(void **state)
{
	struct child ch;

	run_child(mallopt_mmap_max_body, NULL, &ch);
	expect_exit0(&ch);
}

static void mallopt_trim_threshold_body(void *arg)
{
	char *end;
	void *p;

	CHECK(mallopt(M_MMAP_MAX, 0) == 1);
	CHECK(mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1);
	CHECK(malloc_state.tune.trim_threshold == 256 * MiB);
	p = malloc(8 * MiB);
	CHECK(chunk_at(hdr(p), chunk_size(hdr(p))) == malloc_state.top);
	end = malloc_state.heap_end;
	free(p);
	/* under the threshold: the break stays */
	CHECK(malloc_state.heap_end == end && sbrk(0) == end);
	CHECK(malloc_state.top_size >= 8 * MiB);

	CHECK(mallopt(M_TRIM_THRESHOLD, 1 << 20) == 1);
	p = malloc(8 * MiB);
	CHECK(malloc_state.heap_end == end);
	free(p);
	/* over it: down to the top pad */
	CHECK(malloc_state.heap_end + 7 * MiB <= end);
	CHECK((char *)sbrk(0) == malloc_state.heap_end);
	CHECK(malloc_state.top_size <
	      malloc_state.tune.top_pad + page_size() + MIN_CHUNK);
	malloc_check();
}

static void mallopt_trim_threshold(void **state)
{
	struct child ch;

	run_child(mallopt_trim_threshold_body, NULL, &ch);
	expect_exit0(&ch);
}

static void mallopt_top_pad_body(void *arg)
{
	char *end = malloc_state.heap_end;
	size_t n = (size_t)(malloc_state.heap_end - malloc_state.heap_start) +
		   64 * KiB;
	void *p;

	CHECK(mallopt(M_MMAP_MAX, 0) == 1);
	CHECK(mallopt(M_TOP_PAD, 4 << 20) == 1);
	CHECK(malloc_state.tune.top_pad == 4 * MiB);
	/* bigger than the whole heap: the break must move */
	p = malloc(n);
	CHECK(p && in_heap(p));
	CHECK(malloc_state.heap_end > end);
	CHECK(malloc_state.top_size >= 4 * MiB);
	CHECK(malloc_state.top_size < 4 * MiB + page_size() + MIN_CHUNK);
	free(p);
	malloc_check();
}

static void mallopt_top_pad(void **state)
{
	struct child ch;

	run_child(mallopt_top_pad_body, NULL, &ch);
	expect_exit0(&ch);
}

/*
 * Freeing a mapped 1 MiB block raises the mmap threshold to its size and
 * the trim threshold to twice that; the next such block is a heap block.
 */
static void adaptive_threshold_body(void *arg)
{
	size_t page = page_size(), size;
	void *p;

	CHECK(malloc_state.tune.dynamic);
	CHECK(malloc_state.tune.mmap_threshold == 128 * KiB);
	CHECK(malloc_state.tune.trim_threshold == 128 * KiB);
	p = malloc(MiB);
	CHECK(is_mmapped(p));
	size = chunk_size(hdr(p));
	free(p);
	CHECK(malloc_state.tune.mmap_threshold == size);
	CHECK(malloc_state.tune.mmap_threshold >= MiB);
	CHECK(malloc_state.tune.mmap_threshold <= MiB + 2 * page);
	CHECK(malloc_state.tune.trim_threshold ==
	      2 * malloc_state.tune.mmap_threshold);
	p = malloc(MiB);
	CHECK(!is_mmapped(p) && in_heap(p));
	free(p);
	/* beyond 32 MiB the threshold does not follow */
	p = malloc(HUGE_BLOCK);
	CHECK(is_mmapped(p));
	free(p);
	CHECK(malloc_state.tune.mmap_threshold == size);
	/* a larger one raises it again */
	p = malloc(3 * MiB);
	CHECK(is_mmapped(p));
	size = chunk_size(hdr(p));
	free(p);
	CHECK(malloc_state.tune.mmap_threshold == size);
	CHECK(malloc_state.tune.trim_threshold == 2 * size);
	malloc_check();
}

static void adaptive_threshold(void **state)
{
	struct child ch;

	run_child(adaptive_threshold_body, NULL, &ch);
	expect_exit0(&ch);
}

/* ---- what aborts ---- */
static void *bad_ptr; /* the child's argument, the parent's expectation */

static void double_free_body(void *p)
{
	free(p);
	free(opaque(p));
}

static void double_free_small(void **state)
{
	struct child ch;
	void *p = malloc(40);

	run_child(double_free_body, p, &ch);
	expect_abort(&ch, "double free of", p);
	free(p);
}

/* A medium block between two in use: binned when freed. */
static void double_free_medium(void **state)
{
	struct child ch;
	void *before = from_top(100), *p = from_top(4000);
	void *after = from_top(100);

	run_child(double_free_body, p, &ch);
	expect_abort(&ch, "double free of", p);
	free(p);
	free(before);
	free(after);
}

/* A medium block just before the top: the free merges it into the top. */
static void double_free_before_top(void **state)
{
	struct child ch;
	void *p = from_top(4000);

	run_child(double_free_body, p, &ch);
	expect_abort(&ch, "double free of", p);
	free(p);
}

/* A medium block after a free one: the free merges it backwards. */
static void double_free_merged_body(void *p)
{
	free(bad_ptr);
	free(p);
	free(opaque(p));
}

static void double_free_merged(void **state)
{
	struct child ch;
	void *prev = from_top(4000), *p = from_top(4000);
	void *after = from_top(100);

	bad_ptr = prev;
	run_child(double_free_merged_body, p, &ch);
	expect_abort(&ch, "double free of", p);
	free(prev);
	free(p);
	free(after);
}

/* A small block consolidated into the bins by malloc_trim. */
static void double_free_consolidated_body(void *p)
{
	free(p);
	malloc_trim(0);
	free(opaque(p));
}

static void double_free_consolidated(void **state)
{
	struct child ch;
	void *before = from_top(100), *p = from_top(100);
	void *after = from_top(100);

	run_child(double_free_consolidated_body, p, &ch);
	expect_abort(&ch, "double free of", p);
	free(p);
	free(before);
	free(after);
}

/*
 * A mapped block is unmapped by the first free: the second reads a header
 * that is gone. glibc crashes here too; what this malloc does is asserted
 * (a SIGSEGV, or an abort that names the pointer).
 */
static void double_free_mmapped(void **state)
{
	struct child ch;
	void *p = malloc(HUGE_BLOCK);

	assert_true(is_mmapped(p));
	run_child(double_free_body, p, &ch);
	assert_true(WIFSIGNALED(ch.status));
	if (WTERMSIG(ch.status) == SIGSEGV) {
		print_message("# double free of a mapped block: SIGSEGV, "
			      "not diagnosed\n");
	} else {
		expect_signal(&ch, SIGABRT);
		assert_true(strstr(ch.err, "double free of") ||
			    strstr(ch.err, "invalid pointer"));
	}
	free(p);
}

static void free_body(void *p)
{
	free(opaque(p));
}

static _Alignas(16) char global_buf[64];

static void free_invalid(void **state)
{
	_Alignas(16) char stack_buf[64] = { 0 };
	struct child ch;
	char *p = calloc(1, 256), *m = malloc(MiB);

	run_child(free_body, stack_buf + 32, &ch);
	expect_abort(&ch, "free of invalid pointer", stack_buf + 32);
	run_child(free_body, global_buf + 32, &ch);
	expect_abort(&ch, "free of invalid pointer", global_buf + 32);
	/* inside a block (zeroed: no header there) */
	run_child(free_body, p + 16, &ch);
	expect_abort(&ch, "free of invalid pointer", p + 16);
	run_child(free_body, p + 128, &ch);
	expect_abort(&ch, "free of invalid pointer", p + 128);
	/* inside a mapped block */
	run_child(free_body, m + 4096, &ch);
	expect_abort(&ch, "free of invalid pointer", m + 4096);
	free(p);
	free(m);
}

/* Not 16-aligned: refused before anything is read at it. */
static void free_misaligned(void **state)
{
	struct child ch;
	char *p = calloc(1, 256);

	for (size_t off = 1; off < 16; off += 7) {
		run_child(free_body, p + off, &ch);
		expect_abort(&ch, "free of invalid pointer", p + off);
	}
	free(p);
}

struct overflow {
	void *a, *b, *victim;
};

static void overflow_body(void *arg)
{
	struct overflow *o = arg;

	/* 8 bytes past the end: the next chunk's header */
	memset(opaque(o->a), 0x41, malloc_usable_size(o->a) + 8);
	free(o->victim);
}

static void overflow_detected(void **state)
{
	struct child ch;
	struct overflow o;

	/* small blocks: freeing the damaged one */
	o.a = from_top(24);
	o.b = from_top(24);
	o.victim = o.b;
	run_child(overflow_body, &o, &ch);
	expect_abort(&ch, "heap overflow damaged the header of", o.b);
	free(o.a);
	free(o.b);

	/* medium blocks: the damaged one, or the one that overflowed */
	o.a = from_top(4000);
	o.b = from_top(4000);
	o.victim = o.b;
	run_child(overflow_body, &o, &ch);
	expect_abort(&ch, "heap overflow damaged the header of", o.b);
	o.victim = o.a;
	run_child(overflow_body, &o, &ch);
	expect_abort(&ch, "heap overflow past the block at", o.a);
	free(o.a);
	free(o.b);
}

static void realloc_body(void *p)
{
	free(p);
	free(realloc(p, 200));
}

static void realloc_after_free(void **state)
{
	struct child ch;
	void *p = malloc(40), *before = from_top(100), *q = from_top(4000);
	void *after = from_top(100);

	run_child(realloc_body, p, &ch);
	expect_abort(&ch, "use after free of", p);
	run_child(realloc_body, q, &ch);
	expect_abort(&ch, "use after free of", q);
	free(p);
	free(q);
	free(before);
	free(after);
}

/* ---- safe-linking ---- */
static void safe_linking_plain(void **state)
{
	void *a = malloc(56), *b = malloc(56);

	free(b);
	free(a);
	/* a heads its page's local list, b its successor: not stored as it is */
	assert_ptr_not_equal(*(void **)opaque(a), b);
	assert_ptr_not_equal(*(void **)opaque(a), NULL);
	assert_ptr_equal(page_link(page_of(a), *(void **)opaque(a)), b);
	malloc_check();
}

static _Alignas(64) char target[256];

/*
 * A stray write aims a freed block's link at target: plainly (mode 0) or
 * mangled as if the cookie were 0 (mode 1). extra blocks first move a.
 */
struct stray {
	int mode, extra;
};

static void stray_body(void *arg)
{
	const struct stray *st = arg;
	void *a, *b, *q1, *q2;

	for (int i = 0; i < st->extra; i++)
		(void)opaque(malloc(72));
	a = malloc(72);
	b = malloc(72);
	CHECK(a && b);
	free(b);
	free(a);
	*(uintptr_t *)opaque(a) =
		(uintptr_t)target ^ (st->mode ? (uintptr_t)a >> 12 : 0);
	/* the page's local list is taken over once its free list runs out */
	for (size_t i = 0; i < PAGE_SIZE / 80 + 2; i++) {
		q1 = malloc(72);
		q2 = malloc(72);
		CHECK(q1 != (void *)target && q2 != (void *)target);
	}
}

static void safe_linking_stray_write(void **state)
{
	unsigned aborted = 0, runs = 0;

	for (int mode = 0; mode < 2; mode++) {
		for (int extra = 0; extra < 8; extra += 2) {
			struct stray st = { mode, extra };
			struct child ch;

			run_child(stray_body, &st, &ch);
			runs++;
			if (WIFEXITED(ch.status)) {
				expect_exit0(&ch); /* never the target */
				continue;
			}
			assert_true(WIFSIGNALED(ch.status));
			if (WTERMSIG(ch.status) == SIGABRT) {
				assert_non_null(strstr(
					ch.err, "corrupted page free list"));
				aborted++;
			} else {
				/* a demangled garbage pointer, dereferenced */
				assert_true(WTERMSIG(ch.status) == SIGSEGV ||
					    WTERMSIG(ch.status) == SIGBUS);
			}
		}
	}
	print_message("# stray writes: %u of %u aborted\n", aborted, runs);
}

/* ---- memory goes back ---- */
static void mapped_rss(void **state)
{
	size_t size = 2 * HUGE_BLOCK, r0, r1, r2;
	void *p;

	r0 = rss();
	p = malloc(size);
	assert_true(is_mmapped(p));
	memset(opaque(p), 0x31, size);
	r1 = rss();
	assert_true(r1 >= r0 + size - MiB);
	free(p);
	r2 = rss();
	assert_true(r2 + size - MiB <= r1);
}

/* ---- LD_PRELOAD ---- */
static const char *malloc_so(void)
{
	const char *so = getenv("MALLOC_SO");

	if (!so || !*so) {
		print_message(
			"# MALLOC_SO not set: LD_PRELOAD tests skipped\n");
		return NULL;
	}
	if (access(so, R_OK)) {
		print_message("# MALLOC_SO=%s: not readable\n", so);
		fail();
	}
	return so;
}

static const char *so_path;

static void preload_body(void *cmd)
{
	setenv("LD_PRELOAD", so_path, 1);
	execl("/bin/sh", "sh", "-c", (const char *)cmd, (char *)NULL);
	_exit(127);
}

/* Run cmd under sh with LD_PRELOAD: its stdout, which must end in want. */
static void run_preloaded(const char *cmd, const char *want)
{
	char out[4096];
	int fds[2], status;
	pid_t pid;

	fflush(stdout);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		preload_body((void *)cmd);
	}
	close(fds[1]);
	drain(fds[0], out, sizeof(out));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) || strcmp(out, want))
		print_message("# %s: status 0x%x, output \"%s\", want \"%s\"\n",
			      cmd, status, out, want);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, want);
}

static void preload_programs(void **state)
{
	so_path = malloc_so();
	if (!so_path)
		skip();
	/* the library is in the programs' maps: loaded, not ignored */
	run_preloaded("grep -c libpagoda-malloc /proc/self/maps >/dev/null "
		      "&& echo loaded",
		      "loaded\n");
	run_preloaded("seq 1 200000 | sort -n | tail -1", "200000\n");
	run_preloaded("seq 1 100000 | sort -r | sort -n | uniq | wc -l",
		      "100000\n");
}

static void preload_python(void **state)
{
	static const char *const python = "/usr/bin/python3";
	char cmd[1024], want[64];
	unsigned long sum = 0;

	so_path = malloc_so();
	if (!so_path)
		skip();
	if (access(python, X_OK)) {
		print_message("# no %s: skipped\n", python);
		skip();
	}
	/* dict and bytes churn: the last value of each key survives */
	for (unsigned long k = 0; k < 5000; k++)
		sum += (195000 + k) % 3000;
	snprintf(
		cmd, sizeof(cmd),
		"%s -c 'import sys\n"
		"assert any(\"libpagoda-malloc\" in l for l in open(\"/proc/self/maps\"))\n"
		"d = {}\n"
		"for i in range(200000):\n"
		"    d[i %% 5000] = bytes(i %% 3000)\n"
		"    if i %% 7 == 0: d[-i - 1] = list(range(i %% 50)); d.pop(-i - 1)\n"
		"print(sum(len(v) for v in d.values()))'",
		python);
	snprintf(want, sizeof(want), "%lu\n", sum);
	run_preloaded(cmd, want);

	/* threads allocating at once: each keeps the odd ones */
	sum = 0;
	for (unsigned long i = 1; i < 30000; i += 2)
		sum += i % 700;
	snprintf(
		cmd, sizeof(cmd),
		"%s -c 'import threading, sys\n"
		"sys.setswitchinterval(1e-5)\n"
		"out = [0] * 8\n"
		"def work(k):\n"
		"    l = [bytes(i %% 700) + b\"\" for i in range(30000)]\n"
		"    del l[::2]\n"
		"    out[k] = sum(map(len, l))\n"
		"ts = [threading.Thread(target=work, args=(k,)) for k in range(8)]\n"
		"[t.start() for t in ts]\n"
		"[t.join() for t in ts]\n"
		"assert len(set(out)) == 1, out\n"
		"print(out[0])'",
		python);
	snprintf(want, sizeof(want), "%lu\n", sum);
	run_preloaded(cmd, want);
}

/* ---- threads in this process ---- */
enum { THREADS = 4, THREAD_SLOTS = 64, THREAD_OPS = 20000 };

static void *thread_churn(void *arg)
{
	uint64_t rng = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL + 1;
	void *slot[THREAD_SLOTS] = { 0 };
	size_t size[THREAD_SLOTS] = { 0 };
	uint64_t tag[THREAD_SLOTS] = { 0 };
	long bad = 0;

	for (int op = 0; op < THREAD_OPS; op++) {
		unsigned s = xorshift64s(&rng) % THREAD_SLOTS;
		uint64_t r = xorshift64s(&rng);
		size_t n = r % 100 < 95 ? r % 2048 : r % (200 * KiB);

		if (slot[s]) {
			if (!intact(slot[s], size[s], tag[s]))
				bad++;
			if (r & (1 << 20)) {
				free(slot[s]);
				slot[s] = NULL;
				continue;
			}
			slot[s] = realloc(slot[s], n + 1);
			if (!slot[s] ||
			    !intact(slot[s], n + 1 < size[s] ? n + 1 : size[s],
				    tag[s]))
				bad++;
		} else {
			slot[s] = malloc(n + 1);
			if (!slot[s])
				bad++;
			tag[s] = r;
		}
		size[s] = n + 1;
		fill(slot[s], size[s], tag[s]);
	}
	for (int s = 0; s < THREAD_SLOTS; s++) {
		if (slot[s] && !intact(slot[s], size[s], tag[s]))
			bad++;
		free(slot[s]);
	}
	return (void *)bad;
}

static void threads(void **state)
{
	pthread_t t[THREADS];

	for (uintptr_t i = 0; i < THREADS; i++)
		assert_int_equal(
			pthread_create(&t[i], NULL, thread_churn, (void *)i),
			0);
	for (int i = 0; i < THREADS; i++) {
		void *bad;

		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_int_equal((uintptr_t)bad, 0);
	}
	malloc_check();
}

/* ---- random operations ---- */
enum { SLOTS = 500 };

struct slot {
	void *p;
	size_t n;
	uint64_t tag;
};

static size_t random_size(uint64_t *rng)
{
	uint64_t r = xorshift64s(rng);

	if (r % 100 < 70)
		return (r >> 8) % 1025;
	if (r % 100 < 95)
		return (r >> 8) % (16 * KiB);
	return (r >> 8) % (300 * KiB + 1);
}

static void check_slot(const struct slot *s, unsigned i, unsigned long op)
{
	size_t at = bad_byte(s->p, 0, s->n, s->tag);

	if (at != s->n)
		fail_msg("op %lu: slot %u (%p, %zu bytes): byte %zu damaged",
			 op, i, s->p, s->n, at);
}

/*
 * Each operation picks a slot: an empty one gets a block (malloc, calloc,
 * memalign, aligned_alloc or posix_memalign); a full one is checked, then
 * freed or reallocated. Every block holds its own pattern; the allocator's
 * in-use bytes come back exactly once everything is freed.
 */
static void random_ops(void **state)
{
	const uint64_t seed = env_u64("PAGODA_SEED", DEFAULT_SEED);
	const unsigned long ops = env_u64("PAGODA_STRESS_OPS", DEFAULT_OPS);
	static struct slot slots[SLOTS];
	uint64_t rng = seed ? seed : 1;
	unsigned long counts[8] = { 0 };
	struct mallinfo2 mi0, mi1;

	print_message("# random: seed 0x%llx, %lu operations\n",
		      (unsigned long long)seed, ops);
	mi0 = mallinfo2();
	for (unsigned long op = 0; op < ops; op++) {
		unsigned i = xorshift64s(&rng) % SLOTS, kind;
		struct slot *s = &slots[i];
		size_t n = random_size(&rng), align = 0;
		uint64_t r = xorshift64s(&rng);

		if (s->p) {
			check_slot(s, i, op);
			if (r % 2) {
				free(s->p);
				s->p = NULL;
				counts[0]++;
			} else {
				void *q = opaque(realloc(s->p, n));

				counts[1]++;
				if (!n) {
					assert_null(q);
					s->p = NULL;
				} else {
					size_t keep = n < s->n ? n : s->n;
					size_t at =
						bad_byte(q, 0, keep, s->tag);

					assert_non_null(q);
					if (at != keep)
						fail_msg(
							"op %lu: realloc of slot %u "
							"lost byte %zu",
							op, i, at);
					s->p = q;
					s->n = n;
					fill(q, n, s->tag);
				}
			}
		} else {
			kind = r % 10;
			s->tag = xorshift64s(&rng);
			if (kind < 6) {
				s->p = malloc(n);
			} else if (kind < 8) {
				s->p = calloc(1, n);
				assert_non_null(s->p);
				assert_true(all_zero(s->p, n));
			} else {
				align = (size_t)32 << (r >> 8) % 9;
				if (kind == 8)
					s->p = memalign(align, n);
				else
					assert_int_equal(
						posix_memalign(&s->p, align, n),
						0);
				assert_non_null(s->p);
				assert_true(aligned_to(s->p, align));
			}
			counts[2 + (kind < 6 ? 0 : kind < 8 ? 1 : 2)]++;
			assert_non_null(s->p);
			assert_true(aligned_to(s->p, 16));
			assert_true(malloc_usable_size(s->p) >= n);
			s->n = n;
			fill(s->p, n, s->tag);
		}
		if (op % 100 == 99)
			malloc_check();
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		if (slots[i].p) {
			check_slot(&slots[i], i, ops);
			free(slots[i].p);
			slots[i].p = NULL;
		}
	}
	malloc_check();
	mi1 = mallinfo2();
	assert_int_equal(mi1.uordblks, mi0.uordblks);
	assert_int_equal(mi1.hblks, mi0.hblks);
	assert_int_equal(mi1.hblkhd, mi0.hblkhd);
	print_message("# random: %lu frees, %lu reallocs, %lu mallocs, "
		      "%lu callocs, %lu aligned\n",
		      counts[0], counts[1], counts[2], counts[3], counts[4]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(malloc_basics),
		T(usable_size),
		T(free_reuses),
		T(size_rule),
		T(calloc_zeroes),
		T(calloc_overflow),
		T(realloc_keeps_contents),
		T(realloc_zero_frees),
		T(realloc_in_place_top),
		T(realloc_in_place_next_free),
		T(realloc_mapped),
		T(reallocarray_checks),
		T(enomem),
		T(memalign_powers),
		T(memalign_rounds_up),
		T(aligned_alloc_checks),
		T(posix_memalign_checks),
		T(valloc_pvalloc),
		T(mallinfo2_moves),
		T(trim_gives_back),
		T(stats_prints),
		T(mallopt_mmap_threshold),
		T(mallopt_mmap_max),
		T(mallopt_trim_threshold),
		T(mallopt_top_pad),
		T(adaptive_threshold),
		T(double_free_small),
		T(double_free_medium),
		T(double_free_before_top),
		T(double_free_merged),
		T(double_free_consolidated),
		T(double_free_mmapped),
		T(free_invalid),
		T(free_misaligned),
		T(overflow_detected),
		T(realloc_after_free),
		T(safe_linking_plain),
		T(safe_linking_stray_write),
		T(mapped_rss),
		T(preload_programs),
		T(preload_python),
		T(threads),
		T(random_ops),
	};

	save_defaults();
	return cmocka_run_group_tests_name("malloc", tests, NULL, NULL);
}
