// SPDX-License-Identifier: MIT
/*
 * apps/linux-threads - POSIX threads on pagoda, as a static glibc program:
 * each step prints what it checked, and the output must be what Linux
 * (qemu-riscv64) prints, line for line.
 *
 *   mutex      N threads add to a counter under a mutex, M times each
 *   condvar    a producer and a consumer hand values through a one-slot
 *              buffer with two condition variables
 *   join       every thread's return value comes back through join
 *   preempt    a thread spins on a flag that only another thread sets:
 *              without a preempting tick it would spin for ever
 *   fp         threads keep doubles in registers across switches; each
 *              sum must be exact
 *   timedwait  pthread_cond_timedwait with nobody to signal: ETIMEDOUT
 *   sleep      threads sleeping 300, 100 and 200 ms wake in deadline order
 *   status     /proc/self/status's Threads: grows by 2 while 2 threads
 *              live (by differences: qemu-user has threads of its own)
 *   task       /proc/self/task lists each thread (by differences too),
 *              and task/TID/status says Pid: TID
 *   tls        a __thread variable is each thread's own
 *   detach     a detached thread's work is seen after a barrier
 *   exit       the main thread leaves by pthread_exit; the last thread's
 *              exit ends the app with status 0 (the first thread's)
 * Arguments pick steps; none runs all. Two steps differ from Linux on
 * purpose and run only when named: `deadlock` makes two threads wait on
 * each other's mutex (pagoda reports it; Linux would hang), `fork` shows
 * fork() failing with ENOSYS (pagoda runs one process); `bench` prints
 * the instructions a switch costs (rdinstret counts the kernel's too).
 */
#define _GNU_SOURCE /* gettid */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4
#define ROUNDS	 20000

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("linux-threads: FAILED: %s\n", what);
		exit(1);
	}
}

static void start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	int err = pthread_create(t, NULL, fn, arg);

	check(err == 0, strerror(err));
}

/* ---- mutex ---- */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		long v = counter;
		if (i % 1000 == 0)
			sched_yield(); /* switch with the lock held */
		counter = v + 1;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void step_mutex(void)
{
	pthread_t t[NTHREADS];
	void *ret;

	for (long i = 0; i < NTHREADS; i++)
		start(&t[i], add, (void *)i);
	for (long i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		check(ret == (void *)i, "join returns the thread's value");
	}
	printf("mutex: %d threads x %d = %ld\n", NTHREADS, ROUNDS, counter);
	check(counter == (long)NTHREADS * ROUNDS, "every increment counted");
}

/* ---- condvar ---- */
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t nonfull = PTHREAD_COND_INITIALIZER;
static int slot, full;

static void *producer(void *arg)
{
	(void)arg;
	for (int v = 1; v <= 1000; v++) {
		pthread_mutex_lock(&lock);
		while (full)
			pthread_cond_wait(&nonfull, &lock);
		slot = v;
		full = 1;
		pthread_cond_signal(&nonempty);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void step_condvar(void)
{
	pthread_t p;
	long sum = 0;

	start(&p, producer, NULL);
	for (int n = 0; n < 1000; n++) {
		pthread_mutex_lock(&lock);
		while (!full)
			pthread_cond_wait(&nonempty, &lock);
		sum += slot;
		full = 0;
		pthread_cond_signal(&nonfull);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(p, NULL);
	printf("condvar: 1000 values handed over, sum %ld\n", sum);
	check(sum == 500500, "the consumer saw every value once");
}

/* ---- preempt ---- */
static atomic_int flag;

static void *spinner(void *arg)
{
	(void)arg;
	while (!atomic_load(&flag))
		; /* no system call: only a tick takes the hart away */
	return (void *)1;
}

static void *setter(void *arg)
{
	(void)arg;
	atomic_store(&flag, 1);
	return NULL;
}

static void step_preempt(void)
{
	pthread_t s, t;
	void *ret;

	start(&s, spinner, NULL);
	start(&t, setter, NULL);
	pthread_join(s, &ret);
	pthread_join(t, NULL);
	printf("preempt: the spinning thread saw the other's store\n");
	check(ret == (void *)1, "spinner returned");
}

/* ---- fp ---- */
static void *fp_sum(void *arg)
{
	double k = (double)(long)arg, sum = 0;

	/* long enough for ticks to preempt it mid-loop (no system call) */
	for (int i = 1; i <= 2000000; i++)
		sum += k * 0.5; /* exact in binary */
	return (void *)(long)(sum / 10000);
}

static void step_fp(void)
{
	pthread_t t[NTHREADS];
	void *ret;

	for (long i = 0; i < NTHREADS; i++)
		start(&t[i], fp_sum, (void *)(i + 1));
	for (long i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		printf("fp: thread %ld sum/10000 = %ld\n", i + 1, (long)ret);
		check((long)ret == (i + 1) * 100,
		      "the thread's doubles are its own");
	}
}

/* ---- timedwait ---- */
static void step_timedwait(void)
{
	struct timespec ts, t0, t1;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&lock);
	err = pthread_cond_timedwait(&nonempty, &lock, &ts);
	pthread_mutex_unlock(&lock);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("timedwait: %s\n",
	       err == ETIMEDOUT ? "ETIMEDOUT" : strerror(err));
	check(err == ETIMEDOUT, "nobody signals");
	check((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec >=
		      19000000,
	      "it waited its 20 ms");
}

/* ---- sleep ---- */
static int order[3], norder;

static void *sleeper(void *arg)
{
	long ms = (long)arg;

	usleep(ms * 1000);
	pthread_mutex_lock(&lock);
	order[norder++] = (int)ms;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void step_sleep(void)
{
	pthread_t t[3];
	/* 100 ms apart: a host under load may stall either system for some
	 * ms, never for that long */
	long ms[3] = { 300, 100, 200 };

	for (int i = 0; i < 3; i++)
		start(&t[i], sleeper, (void *)ms[i]);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("sleep: woke in order %d %d %d\n", order[0], order[1], order[2]);
	check(order[0] == 100 && order[1] == 200 && order[2] == 300,
	      "deadline order");
}

/* ---- status ---- */
static pthread_barrier_t barrier;

static void *wait_barrier(void *arg)
{
	pthread_barrier_wait(&barrier);
	return arg;
}

static int threads_line(void)
{
	char line[256];
	int n = -1;
	FILE *f = fopen("/proc/self/status", "r");

	check(f != NULL, "/proc/self/status opens");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * The count once it holds still: a thread an earlier step joined may not
 * have left it yet (Linux wakes the joiner first; on a loaded host,
 * qemu-user's thread can take a while to go). Read it until two reads 5 ms
 * apart agree.
 */
static int settled_threads(void)
{
	const struct timespec pause = { 0, 5 * 1000 * 1000 };
	int n = threads_line(), m;

	for (int i = 0; i < 200; i++, n = m) {
		nanosleep(&pause, NULL);
		m = threads_line();
		if (m == n)
			break;
	}
	return n;
}

static void step_status(void)
{
	pthread_t t[2];
	int before = settled_threads(), during;

	pthread_barrier_init(&barrier, NULL, 3);
	for (int i = 0; i < 2; i++)
		start(&t[i], wait_barrier, NULL);
	during = threads_line();
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	/*
	 * qemu-user's process has threads of its own: compare differences.
	 * Not after the joins: Linux wakes the joiner (CLONE_CHILD_CLEARTID)
	 * before the exiting thread leaves the count.
	 */
	printf("status: Threads: %+d while two more live\n", during - before);
	check(before >= 1 && during == before + 2, "Threads: counts them");
}

/* ---- task ---- */
static int task_entries(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	check(d != NULL, "/proc/self/task opens");
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Pid: of /proc/self/task/TID/status, for the calling thread's tid */
static void *own_status(void *arg)
{
	(void)arg;
	char path[64], line[256];
	long pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", gettid());
	f = fopen(path, "r");
	check(f != NULL, "task/TID/status opens");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %ld", &pid) == 1)
			break;
	fclose(f);
	pthread_barrier_wait(&barrier);
	return (void *)(long)(pid == gettid());
}

static void step_task(void)
{
	pthread_t t[2];
	int before = task_entries(), during;
	void *ret;

	pthread_barrier_init(&barrier, NULL, 3);
	for (int i = 0; i < 2; i++)
		start(&t[i], own_status, NULL);
	during = task_entries();
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], &ret);
		check(ret == (void *)1, "task/TID/status's Pid: is the tid");
	}
	pthread_barrier_destroy(&barrier);
	printf("task: /proc/self/task has %+d entries while two more live; each thread's status has its tid\n",
	       during - before);
	check(during == before + 2, "a directory per thread");
}

/* ---- tls ---- */
static __thread long mine = 7;

static void *tls_thread(void *arg)
{
	mine = (long)arg;
	sched_yield();
	return (void *)mine;
}

static void step_tls(void)
{
	pthread_t t[NTHREADS];
	void *ret;

	for (long i = 0; i < NTHREADS; i++)
		start(&t[i], tls_thread, (void *)(100 + i));
	for (long i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		check((long)ret == 100 + i, "each thread's own __thread");
	}
	printf("tls: main's is still %ld, each thread kept its own\n", mine);
	check(mine == 7, "main's __thread untouched");
}

/* ---- detach ---- */
static atomic_int detached_done;

static void *detached(void *arg)
{
	(void)arg;
	atomic_store(&detached_done, 1);
	pthread_barrier_wait(&barrier);
	return NULL;
}

static void step_detach(void)
{
	pthread_t t;
	pthread_attr_t attr;

	pthread_barrier_init(&barrier, NULL, 2);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	check(pthread_create(&t, &attr, detached, NULL) == 0, "detached");
	pthread_barrier_wait(&barrier);
	printf("detach: the detached thread ran: %d\n",
	       atomic_load(&detached_done));
	check(atomic_load(&detached_done) == 1, "it ran before the barrier");
}

/* ---- deadlock (pagoda only) ---- */
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

static void *take_b_then_a(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&b);
	pthread_barrier_wait(&barrier);
	pthread_mutex_lock(&a);
	return NULL;
}

static void step_deadlock(void)
{
	pthread_t t;

	pthread_barrier_init(&barrier, NULL, 2);
	start(&t, take_b_then_a, NULL);
	pthread_mutex_lock(&a);
	pthread_barrier_wait(&barrier);
	printf("deadlock: each thread holds one mutex and wants the other's\n");
	fflush(stdout);
	pthread_mutex_lock(&b);
	printf("deadlock: still here\n");
}

/* ---- fork (pagoda only) ---- */
static void step_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	printf("fork: %d %s\n", (int)pid, pid < 0 ? strerror(errno) : "");
}

/* ---- bench (pagoda only: instructions of the whole hart) ---- */
static inline unsigned long instret(void)
{
	unsigned long v;

	__asm__ volatile("rdinstret %0" : "=r"(v)::"memory");
	return v;
}

#define BENCH_ROUNDS 2000

static atomic_int turn;

static void *yielder(void *arg)
{
	(void)arg;
	for (int i = 0; i < BENCH_ROUNDS; i++)
		sched_yield();
	return NULL;
}

static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < BENCH_ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		while (turn != 1)
			pthread_cond_wait(&nonempty, &lock);
		turn = 0;
		pthread_cond_signal(&nonfull);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

/*
 * Instructions per switch: two threads yielding to each other (each
 * sched_yield is a system call and a switch), and a condition-variable
 * ping-pong (each round two futex waits and two wakes, two switches).
 */
static void step_bench(void)
{
	pthread_t t;
	unsigned long t0, n;

	start(&t, yielder, NULL);
	t0 = instret();
	for (int i = 0; i < BENCH_ROUNDS; i++)
		sched_yield();
	n = instret() - t0;
	pthread_join(t, NULL);
	printf("bench: sched_yield between two threads: %lu instructions per switch\n",
	       n / (2 * BENCH_ROUNDS));
	start(&t, ponger, NULL);
	t0 = instret();
	for (int i = 0; i < BENCH_ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		turn = 1;
		pthread_cond_signal(&nonempty);
		while (turn != 0)
			pthread_cond_wait(&nonfull, &lock);
		pthread_mutex_unlock(&lock);
	}
	n = instret() - t0;
	pthread_join(t, NULL);
	printf("bench: condition-variable ping-pong: %lu instructions per round trip\n",
	       n / BENCH_ROUNDS);
}

/* ---- exit ---- */
static void *last(void *arg)
{
	(void)arg;
	usleep(5000);
	printf("exit: the last thread ends the app\n");
	fflush(stdout);
	return NULL;
}

static void step_exit(void)
{
	pthread_t t;

	start(&t, last, NULL);
	printf("exit: main calls pthread_exit\n");
	fflush(stdout);
	pthread_exit(NULL);
}

static const struct {
	const char *name;
	void (*fn)(void);
} steps[] = {
	{ "mutex", step_mutex },
	{ "condvar", step_condvar },
	{ "preempt", step_preempt },
	{ "fp", step_fp },
	{ "timedwait", step_timedwait },
	{ "sleep", step_sleep },
	{ "status", step_status },
	{ "task", step_task },
	{ "tls", step_tls },
	{ "detach", step_detach },
	{ "exit", step_exit },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int wanted = argc < 2;

		for (int j = 1; j < argc; j++)
			wanted |= !strcmp(argv[j], steps[i].name);
		if (wanted)
			steps[i].fn();
	}
	for (int j = 1; j < argc; j++) {
		if (!strcmp(argv[j], "fork"))
			step_fork();
		if (!strcmp(argv[j], "bench"))
			step_bench();
		if (!strcmp(argv[j], "deadlock"))
			step_deadlock();
	}
	printf("linux-threads: done\n");
	return 0;
}
