// SPDX-License-Identifier: MIT
/*
 * tests/host/bench_malloc_peers.c - one workload of the host malloc
 * comparison, run once. Linked against the C library's malloc and started
 * once per allocator, round and workload by scripts/bench-host.py with
 * LD_PRELOAD (`make bench-host`): glibc (none preloaded), pagoda
 * (build/host/libpagoda-malloc.so), jemalloc, mimalloc and tcmalloc. One
 * process per measurement, so each peak RSS is that workload's alone.
 *
 * An operation is one call: malloc, free or realloc. The workloads (the
 * same source for every allocator; sizes and seeds fixed):
 *   pairs    malloc(64) then free, over and over (the fast paths)
 *   churn    a live set of 20,000 blocks of 8 B..2 KiB (1 in 64 up to
 *            256 KiB), one random slot freed and refilled per step
 *   realloc  a block grown by realloc from 16 B to 1 MiB, 16 B at a time
 *   larson   larson-like: each thread replaces random slots of an array
 *            of 2,000 blocks of 16..1024 B; after every 10,000 steps the
 *            threads pass their arrays on (thread t takes array t+1), so
 *            blocks are freed by a thread other than the one that
 *            allocated them
 *   xmalloc  xmalloc-test-like: each thread allocates a batch of 256
 *            blocks of 8..512 B, hands it to the next thread's mailbox,
 *            and frees the batch its own mailbox holds (producer and
 *            consumer in one; with one thread it frees its own batch)
 *   frag     a footprint workload: 100,000 blocks of 16..256 B, every
 *            block but one in eight freed, then 25,000 blocks of
 *            1..4 KiB that the holes cannot hold, then everything freed;
 *            VmRSS sampled 64 times along the way
 *
 *     bench_malloc_peers ALLOC WORKLOAD THREADS OPS
 *
 * OPS is the number of operations to aim for (a whole number of steps,
 * rounds or batches is run: "ops" in the output is the count done).
 * Prints one JSON line,
 *   {"suite":"host","alloc":A,"workload":W,"threads":T,"ops":N,
 *    "ns":WALL,"ns_per_op":F,"peak_rss":BYTES}
 * and for frag a second one, {"suite":"host",...,"series":"footprint",
 * "points":[[OPS_DONE,RSS_BYTES],...]}. Numbers, not a test: a non-zero
 * exit means the run broke.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16

static const char *alloc_name;
static const char *workload;
static int nthreads;
static long target_ops;

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* A "VmXXX:   N kB" field of /proc/self/status, in bytes (0 if absent). */
static long status_bytes(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb * 1024;
}

/* The resident set now, in bytes, from /proc/self/statm (cheaper). */
static long rss_bytes(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

static void *checked(void *p)
{
	if (!p) {
		fprintf(stderr, "bench_malloc_peers: out of memory\n");
		exit(1);
	}
	return p;
}

static void *volatile sink;

/* ---- single-threaded workloads ---------------------------------------- */

static long pairs(void)
{
	long n = target_ops / 2;

	for (long i = 0; i < n; i++) {
		sink = malloc(64);
		free(sink);
	}
	return 2 * n;
}

#define CHURN_SLOTS 20000

static char *churn_slot[CHURN_SLOTS];

static size_t churn_size(uint64_t r)
{
	return (r >> 20) % 64 ? 8 + (r >> 32) % 2040
			      : 8 + (r >> 32) % (256 * 1024);
}

/* The live set is made before the clock starts (churn_fill). */
static void churn_fill(void)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;

	for (size_t k = 0; k < CHURN_SLOTS; k++) {
		churn_slot[k] = checked(malloc(churn_size(next_random(&s))));
		churn_slot[k][0] = 1;
	}
}

static long churn(void)
{
	uint64_t s = 0x2545f4914f6cdd1dULL;
	long n = target_ops / 2;

	for (long i = 0; i < n; i++) {
		uint64_t r = next_random(&s);
		size_t k = r % CHURN_SLOTS;

		free(churn_slot[k]);
		churn_slot[k] = checked(malloc(churn_size(r)));
		churn_slot[k][0] = (char)i;
	}
	return 2 * n;
}

static void churn_empty(void)
{
	for (size_t k = 0; k < CHURN_SLOTS; k++)
		free(churn_slot[k]);
}

static long grow(void)
{
	const size_t steps = 1024 * 1024 / 16;
	long rounds = target_ops / (long)(steps + 1), ops = 0;

	if (rounds < 1)
		rounds = 1;
	for (long r = 0; r < rounds; r++) {
		char *p = NULL;

		for (size_t size = 16; size <= 1024 * 1024; size += 16, ops++) {
			p = checked(realloc(p, size));
			p[size - 1] = 1;
		}
		free(p);
		ops++;
	}
	return ops;
}

/* The footprint over time: FRAG_POINTS samples of VmRSS. */
#define FRAG_SMALL  100000
#define FRAG_LARGE  25000
#define FRAG_POINTS 64

static long frag_points[FRAG_POINTS + 2][2];
static int frag_npoints;

static void frag_sample(long ops, long every)
{
	if (ops % every == 0 && frag_npoints < FRAG_POINTS + 1) {
		frag_points[frag_npoints][0] = ops;
		frag_points[frag_npoints][1] = rss_bytes();
		frag_npoints++;
	}
}

/*
 * Scaled by OPS: the counts above are for OPS = 2 * (FRAG_SMALL +
 * FRAG_LARGE); a smaller OPS shrinks both in proportion.
 */
static long frag(void)
{
	double scale = (double)target_ops / (2.0 * (FRAG_SMALL + FRAG_LARGE));
	long nsmall = (long)(FRAG_SMALL * scale),
	     nlarge = (long)(FRAG_LARGE * scale);
	long total, every, ops = 0;
	char **small, **large;
	uint64_t s = 0x5eed0003ULL;

	if (nsmall < 8)
		nsmall = 8;
	if (nlarge < 8)
		nlarge = 8;
	total = 2 * (nsmall + nlarge);
	every = total / FRAG_POINTS > 0 ? total / FRAG_POINTS : 1;
	small = checked(calloc(nsmall, sizeof(*small)));
	large = checked(calloc(nlarge, sizeof(*large)));
	frag_points[0][0] = 0;
	frag_points[0][1] = rss_bytes();
	frag_npoints = 1;
	for (long i = 0; i < nsmall; i++) {
		small[i] = checked(malloc(16 + next_random(&s) % 241));
		small[i][0] = 1;
		frag_sample(++ops, every);
	}
	for (long i = 0; i < nsmall; i++)
		if (i % 8) {
			free(small[i]);
			small[i] = NULL;
			frag_sample(++ops, every);
		}
	for (long i = 0; i < nlarge; i++) {
		large[i] = checked(malloc(1024 + next_random(&s) % 3073));
		large[i][0] = 1;
		frag_sample(++ops, every);
	}
	for (long i = 0; i < nlarge; i++) {
		free(large[i]);
		frag_sample(++ops, every);
	}
	for (long i = 0; i < nsmall; i++)
		if (small[i]) {
			free(small[i]);
			frag_sample(++ops, every);
		}
	frag_points[frag_npoints][0] = ops;
	frag_points[frag_npoints][1] = rss_bytes();
	frag_npoints++;
	free(small);
	free(large);
	return ops;
}

/* ---- threaded workloads ------------------------------------------------ */

static pthread_barrier_t barrier;

/*
 * Each thread's own clock readings, taken after the starting barrier and
 * at its end: the wall time is the last end less the first start (the
 * main thread may be scheduled long after the workers began).
 */
static double thread_start[MAX_THREADS], thread_end[MAX_THREADS];

#define LARSON_SLOTS 2000
#define LARSON_EPOCH 10000

static char **larson_arrays[MAX_THREADS];
static long larson_epochs;

static void *larson_thread(void *arg)
{
	long t = (long)arg;
	uint64_t s = 0x1234567ULL * (uint64_t)(t + 1);

	pthread_barrier_wait(&barrier);
	thread_start[t] = now_ns();
	for (long e = 0; e < larson_epochs; e++) {
		char **slot = larson_arrays[(t + e) % nthreads];

		for (long i = 0; i < LARSON_EPOCH; i++) {
			uint64_t r = next_random(&s);
			size_t k = r % LARSON_SLOTS;

			free(slot[k]);
			slot[k] = checked(malloc(16 + (r >> 32) % 1009));
			slot[k][0] = (char)i;
		}
		pthread_barrier_wait(&barrier);
	}
	thread_end[t] = now_ns();
	return NULL;
}

static void larson_fill(void)
{
	long per_thread = target_ops / 2 / nthreads;

	larson_epochs =
		per_thread / LARSON_EPOCH > 0 ? per_thread / LARSON_EPOCH : 1;
	for (int t = 0; t < nthreads; t++) {
		uint64_t s = 0xabcdefULL * (uint64_t)(t + 1);

		larson_arrays[t] =
			checked(calloc(LARSON_SLOTS, sizeof(char *)));
		for (size_t k = 0; k < LARSON_SLOTS; k++)
			larson_arrays[t][k] =
				checked(malloc(16 + next_random(&s) % 1009));
	}
}

static void larson_empty(void)
{
	for (int t = 0; t < nthreads; t++) {
		for (size_t k = 0; k < LARSON_SLOTS; k++)
			free(larson_arrays[t][k]);
		free(larson_arrays[t]);
	}
}

#define XM_BATCH 256
#define XM_QUEUE 4

struct mailbox {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char **batch[XM_QUEUE];
	int head, count;
};

static struct mailbox mailbox[MAX_THREADS];
static long xm_rounds;

static void send_batch(struct mailbox *m, char **b)
{
	pthread_mutex_lock(&m->lock);
	while (m->count == XM_QUEUE)
		pthread_cond_wait(&m->cond, &m->lock);
	m->batch[(m->head + m->count) % XM_QUEUE] = b;
	m->count++;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

static char **receive_batch(struct mailbox *m)
{
	char **b;

	pthread_mutex_lock(&m->lock);
	while (m->count == 0)
		pthread_cond_wait(&m->cond, &m->lock);
	b = m->batch[m->head];
	m->head = (m->head + 1) % XM_QUEUE;
	m->count--;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	return b;
}

/*
 * Batches of pointers are arrays of XM_BATCH, themselves malloc'd: the
 * array travels with its blocks and is freed by the receiver too.
 */
static void *xmalloc_thread(void *arg)
{
	long t = (long)arg;
	uint64_t s = 0x7654321ULL * (uint64_t)(t + 1);

	pthread_barrier_wait(&barrier);
	thread_start[t] = now_ns();
	for (long r = 0; r < xm_rounds; r++) {
		char **b = checked(malloc(XM_BATCH * sizeof(char *)));

		for (int i = 0; i < XM_BATCH; i++) {
			b[i] = checked(malloc(8 + next_random(&s) % 505));
			b[i][0] = (char)i;
		}
		send_batch(&mailbox[(t + 1) % nthreads], b);
		b = receive_batch(&mailbox[t]);
		for (int i = 0; i < XM_BATCH; i++)
			free(b[i]);
		free(b);
	}
	thread_end[t] = now_ns();
	return NULL;
}

static double run_threads(void *(*fn)(void *))
{
	pthread_t tid[MAX_THREADS];
	double first, last;

	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads + 1);
	for (long t = 0; t < nthreads; t++)
		if (pthread_create(&tid[t], NULL, fn, (void *)t)) {
			fprintf(stderr, "bench_malloc_peers: pthread_create\n");
			exit(1);
		}
	pthread_barrier_wait(&barrier);
	if (fn == larson_thread)
		for (long e = 0; e < larson_epochs; e++)
			pthread_barrier_wait(&barrier);
	for (int t = 0; t < nthreads; t++)
		pthread_join(tid[t], NULL);
	pthread_barrier_destroy(&barrier);
	first = thread_start[0];
	last = thread_end[0];
	for (int t = 1; t < nthreads; t++) {
		first = thread_start[t] < first ? thread_start[t] : first;
		last = thread_end[t] > last ? thread_end[t] : last;
	}
	return last - first;
}

/* ---- the command line -------------------------------------------------- */

static __attribute__((noreturn)) void usage(void)
{
	fprintf(stderr,
		"usage: bench_malloc_peers ALLOC pairs|churn|realloc|larson|xmalloc|frag THREADS OPS\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double t0, ns;
	long ops;
	bool threaded;

	if (argc != 5)
		usage();
	alloc_name = argv[1];
	workload = argv[2];
	nthreads = atoi(argv[3]);
	target_ops = atol(argv[4]);
	threaded = !strcmp(workload, "larson") || !strcmp(workload, "xmalloc");
	if (nthreads < 1 || nthreads > MAX_THREADS || target_ops < 2 ||
	    (!threaded && nthreads != 1))
		usage();

	if (!strcmp(workload, "pairs")) {
		t0 = now_ns();
		ops = pairs();
		ns = now_ns() - t0;
	} else if (!strcmp(workload, "churn")) {
		churn_fill();
		t0 = now_ns();
		ops = churn();
		ns = now_ns() - t0;
		churn_empty();
	} else if (!strcmp(workload, "realloc")) {
		t0 = now_ns();
		ops = grow();
		ns = now_ns() - t0;
	} else if (!strcmp(workload, "frag")) {
		t0 = now_ns();
		ops = frag();
		ns = now_ns() - t0;
	} else if (!strcmp(workload, "larson")) {
		larson_fill();
		ns = run_threads(larson_thread);
		ops = 2 * larson_epochs * LARSON_EPOCH * nthreads;
		larson_empty();
	} else if (!strcmp(workload, "xmalloc")) {
		/* per round and thread: XM_BATCH + 1 mallocs and as many frees */
		xm_rounds = target_ops / nthreads / (2 * (XM_BATCH + 1));
		if (xm_rounds < 1)
			xm_rounds = 1;
		for (int t = 0; t < nthreads; t++) {
			pthread_mutex_init(&mailbox[t].lock, NULL);
			pthread_cond_init(&mailbox[t].cond, NULL);
		}
		ns = run_threads(xmalloc_thread);
		ops = 2 * (XM_BATCH + 1) * xm_rounds * nthreads;
	} else {
		usage();
	}

	printf("{\"suite\":\"host\",\"alloc\":\"%s\",\"workload\":\"%s\",\"threads\":%d,"
	       "\"ops\":%ld,\"ns\":%.0f,\"ns_per_op\":%.3f,\"peak_rss\":%ld}\n",
	       alloc_name, workload, nthreads, ops, ns, ns / (double)ops,
	       status_bytes("VmHWM"));
	if (!strcmp(workload, "frag")) {
		printf("{\"suite\":\"host\",\"alloc\":\"%s\",\"workload\":\"frag\",\"threads\":1,"
		       "\"series\":\"footprint\",\"points\":[",
		       alloc_name);
		for (int i = 0; i < frag_npoints; i++)
			printf("%s[%ld,%ld]", i ? "," : "", frag_points[i][0],
			       frag_points[i][1]);
		printf("]}\n");
	}
	return 0;
}
