/* SPDX-License-Identifier: MIT */
/*
 * tests/host/test_malloc_threads.c - the app's malloc with threads (the
 * host build, MALLOC_THREADS): a heap per thread, frees from another
 * thread handed back to the owner, the pages of an exited thread taken
 * over, and the resident set following live memory without malloc_trim.
 * The allocator is this program's own malloc (cmocka, UBSan).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "alloc/malloc/internal.h"

#define N 20000

/* Keep the compiler from pairing a malloc with its free. */
static void *opaque(void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

static void run(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, fn, arg), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
}

static struct heap *owner(void *p)
{
	assert_true(in_pages(p));
	return page_of(p)->heap;
}

/* The pages a set of blocks lies in: a sorted list, its length returned. */
static size_t pages_of(void **b, size_t n, uintptr_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uintptr_t pg = (uintptr_t)page_of(b[i]);
		size_t j = 0;

		while (j < k && out[j] != pg)
			j++;
		if (j == k)
			out[k++] = pg;
	}
	return k;
}

static bool in_set(uintptr_t pg, const uintptr_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == pg)
			return true;
	return false;
}

/* ---- a heap per thread ---- */
static void *alloc_one(void *arg)
{
	void **out = arg;

	out[0] = malloc(64);
	out[1] = malloc_heap();
	return NULL;
}

static void heap_per_thread(void **state)
{
	void *mine = opaque(malloc(64)), *theirs[2];

	(void)state;
	run(alloc_one, theirs);
	assert_ptr_equal(owner(mine), malloc_heap());
	assert_ptr_not_equal(owner(mine), NULL);
	/* the thread exited: its page is abandoned, the block still live */
	assert_ptr_not_equal(theirs[1], malloc_heap());
	assert_ptr_equal(owner(theirs[0]), NULL);
	free(theirs[0]);
	free(mine);
	malloc_trim(0);
	malloc_check();
}

/* ---- another thread's frees come back to the owner ---- */
struct worker {
	pthread_barrier_t go;
	void **blocks;
	uintptr_t first[N / 8], second[N / 8];
	size_t nfirst, nsecond;
	struct heap *heap;
};

static void *producer(void *arg)
{
	struct worker *w = arg;

	for (size_t i = 0; i < N; i++)
		w->blocks[i] = malloc(48);
	w->heap = malloc_heap();
	w->nfirst = pages_of(w->blocks, N, w->first);
	pthread_barrier_wait(&w->go); /* the main thread frees them all */
	pthread_barrier_wait(&w->go);
	for (size_t i = 0; i < N; i++)
		w->blocks[i] = malloc(48);
	w->nsecond = pages_of(w->blocks, N, w->second);
	for (size_t i = 0; i < N; i++)
		free(w->blocks[i]);
	return NULL;
}

static void remote_free_returns(void **state)
{
	static struct worker w;
	pthread_t t;

	(void)state;
	w.blocks = calloc(N, sizeof(void *));
	assert_non_null(w.blocks);
	pthread_barrier_init(&w.go, NULL, 2);
	assert_int_equal(pthread_create(&t, NULL, producer, &w), 0);
	pthread_barrier_wait(&w.go);
	for (size_t i = 0; i < N; i++) {
		assert_ptr_equal(owner(w.blocks[i]), w.heap);
		free(w.blocks[i]); /* to the page's thread list */
	}
	pthread_barrier_wait(&w.go);
	assert_int_equal(pthread_join(t, NULL), 0);
	print_message("# %zu pages, then %zu\n", w.nfirst, w.nsecond);
	/* the second N blocks reuse the first N's pages: no page more */
	assert_true(w.nsecond <= w.nfirst);
	for (size_t i = 0; i < w.nsecond; i++)
		assert_true(in_set(w.second[i], w.first, w.nfirst));
	free(w.blocks);
	pthread_barrier_destroy(&w.go);
	malloc_trim(0);
	malloc_check();
}

/* ---- an exited thread's pages go to the next thread that needs them ---- */
struct handoff {
	void **blocks;
	size_t n;
};

static void *fill(void *arg)
{
	struct handoff *h = arg;

	for (size_t i = 0; i < h->n; i++)
		h->blocks[i] = malloc(80);
	return NULL;
}

static void abandoned_reclaimed(void **state)
{
	static uintptr_t before[N / 8], after[N / 8];
	struct handoff a = { calloc(N, sizeof(void *)), N };
	struct handoff b = { calloc(N / 2, sizeof(void *)), N / 2 };
	size_t nbefore, nafter;

	(void)state;
	assert_true(a.blocks && b.blocks);
	run(fill, &a);
	nbefore = pages_of(a.blocks, N, before);
	for (size_t i = 0; i < N; i += 2) {
		assert_ptr_equal(owner(a.blocks[i]), NULL); /* abandoned */
		free(a.blocks[i]);
	}
	malloc_check();
	/* a new thread's first blocks of that class: the abandoned pages */
	run(fill, &b);
	nafter = pages_of(b.blocks, N / 2, after);
	for (size_t i = 0; i < nafter; i++)
		assert_true(in_set(after[i], before, nbefore));
	for (size_t i = 1; i < N; i += 2)
		free(a.blocks[i]);
	for (size_t i = 0; i < N / 2; i++)
		free(b.blocks[i]);
	free(a.blocks);
	free(b.blocks);
	malloc_trim(0);
	malloc_check();
}

/* ---- many threads, blocks handed between them ---- */
#define THREADS 4
#define SLOTS	256
#define OPS	200000

static void *slots[SLOTS];

static uint64_t pattern(const void *p)
{
	return (uintptr_t)p * 0x9e3779b97f4a7c15u;
}

static void stamp(void *p, size_t n)
{
	uint64_t v = pattern(p);

	memcpy(p, &v, n < 8 ? n : 8);
	memcpy((char *)p + n - (n < 8 ? n : 8), &v, n < 8 ? n : 8);
}

static bool stamped(const void *p, size_t n)
{
	uint64_t v = pattern(p), a = 0, b = 0;

	memcpy(&a, p, n < 8 ? n : 8);
	memcpy(&b, (const char *)p + n - (n < 8 ? n : 8), n < 8 ? n : 8);
	return !memcmp(&a, &v, n < 8 ? n : 8) && !memcmp(&b, &v, n < 8 ? n : 8);
}

/* A block of n bytes is stored with its size in its first word's slot. */
struct tagged {
	void *p;
	size_t n;
};

static void *churn(void *arg)
{
	uint64_t x = (uintptr_t)arg * 2654435761u + 1;
	size_t bad = 0;

	for (int i = 0; i < OPS; i++) {
		size_t n, k;
		struct tagged *t, *old;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = 16 + x % 2000;
		k = (x >> 20) % SLOTS;
		t = malloc(sizeof(*t));
		if (!t)
			return (void *)1;
		t->n = n;
		t->p = malloc(n);
		if (!t->p)
			return (void *)1;
		stamp(t->p, n);
		old = __atomic_exchange_n(&slots[k], t, __ATOMIC_ACQ_REL);
		if (old) {
			bad += !stamped(old->p, old->n);
			free(old->p);
			free(old);
		}
	}
	return (void *)bad;
}

static void threads_hand_blocks_over(void **state)
{
	pthread_t t[THREADS];
	size_t bad = 0;

	(void)state;
	for (uintptr_t i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, churn, (void *)i),
				 0);
	for (int i = 0; i < THREADS; i++) {
		void *r;

		assert_int_equal(pthread_join(t[i], &r), 0);
		bad += (size_t)r;
	}
	assert_int_equal(bad, 0);
	for (int k = 0; k < SLOTS; k++) {
		struct tagged *s = slots[k];

		if (s) {
			assert_true(stamped(s->p, s->n));
			free(s->p);
			free(s);
			slots[k] = NULL;
		}
	}
	malloc_trim(0);
	malloc_check();
}

/* ---- malloc_check reads every page, another thread's too ---- */
struct holder {
	pthread_barrier_t go;
	void *block;
};

static void *hold(void *arg)
{
	struct holder *h = arg;

	h->block = malloc(200);
	pthread_barrier_wait(&h->go); /* the main thread checks */
	pthread_barrier_wait(&h->go);
	free(h->block);
	return NULL;
}

static void check_sees_other_heaps(void **state)
{
	static struct holder h;
	pthread_t t;
	int status, fds[2];
	char msg[256] = { 0 };
	pid_t pid;

	(void)state;
	pthread_barrier_init(&h.go, NULL, 2);
	assert_int_equal(pthread_create(&t, NULL, hold, &h), 0);
	pthread_barrier_wait(&h.go);
	malloc_check(); /* the holder's page, read, not walked: fine */
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		/* the child: damage the holder's page header, then check */
		dup2(fds[1], 2);
		page_of(h.block)->size += 16;
		malloc_check();
		_exit(0);
	}
	close(fds[1]);
	assert_true(read(fds[0], msg, sizeof(msg) - 1) > 0);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	assert_non_null(strstr(msg, "malloc: check: bad page header at"));
	pthread_barrier_wait(&h.go);
	assert_int_equal(pthread_join(t, NULL), 0);
	pthread_barrier_destroy(&h.go);
}

/* ---- the resident set follows live memory, without malloc_trim ---- */
static long rss_kb(void)
{
	long pages = -1, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = -1;
		fclose(f);
	}
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void rss_follows_small_blocks(void **state)
{
	enum { BLOCKS = 400000 };
	void **b = calloc(BLOCKS, sizeof(void *));
	long rss0, rss1, rss2;
	uint64_t x = 7;

	(void)state;
	assert_non_null(b);
	rss0 = rss_kb();
	for (int i = 0; i < BLOCKS; i++) {
		size_t n;

		x = x * 6364136223846793005u + 1442695040888963407u;
		n = 16 + (x >> 33) % 1009;
		b[i] = malloc(n);
		assert_non_null(b[i]);
		memset(b[i], 0x5a, n);
	}
	rss1 = rss_kb();
	for (int i = 0; i < BLOCKS; i++)
		free(b[i]);
	rss2 = rss_kb();
	print_message("# rss %ld kB, %ld with 400000 blocks, %ld freed\n", rss0,
		      rss1, rss2);
	assert_true(rss1 - rss0 > 100 * 1024);
	/* 90 % of what the blocks took is given back by free alone */
	assert_true(rss1 - rss2 >= (rss1 - rss0) * 9 / 10);
	free(b);
	malloc_check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(heap_per_thread),
		cmocka_unit_test(remote_free_returns),
		cmocka_unit_test(abandoned_reclaimed),
		cmocka_unit_test(threads_hand_blocks_over),
		cmocka_unit_test(check_sees_other_heaps),
		cmocka_unit_test(rss_follows_small_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
