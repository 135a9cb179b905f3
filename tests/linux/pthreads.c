// SPDX-License-Identifier: MIT
/*
 * tests/linux/pthreads.c - POSIX threads: four threads adding to one
 * counter under a mutex (the total is exact), a producer and a consumer
 * passing 1000 numbers through a one-slot buffer with two condition
 * variables (the sum is exact), pthread_once, thread-local storage, and
 * the values threads return to pthread_join. Only main prints.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define ADDS	20000
#define ITEMS	1000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t filled = PTHREAD_COND_INITIALIZER;
static pthread_cond_t emptied = PTHREAD_COND_INITIALIZER;
static int slot, slot_full;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static __thread int mine;

static void init_once(void)
{
	once_runs++;
}

static void *adder(void *arg)
{
	intptr_t id = (intptr_t)arg;

	pthread_once(&once, init_once);
	mine = (int)id * 100;
	for (int i = 0; i < ADDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(intptr_t)(mine + 1); /* this thread's own copy */
}

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&slot_lock);
		while (slot_full)
			pthread_cond_wait(&emptied, &slot_lock);
		slot = i;
		slot_full = 1;
		pthread_cond_signal(&filled);
		pthread_mutex_unlock(&slot_lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long sum = 0;

	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&slot_lock);
		while (!slot_full)
			pthread_cond_wait(&filled, &slot_lock);
		sum += slot;
		slot_full = 0;
		pthread_cond_signal(&emptied);
		pthread_mutex_unlock(&slot_lock);
	}
	return (void *)sum;
}

int main(void)
{
	pthread_t t[THREADS], p, c;
	void *ret;
	int bad = 0;

	mine = -1;
	for (intptr_t i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, adder, (void *)i)) {
			printf("pthreads: pthread_create failed\n");
			return 2;
		}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], &ret);
		printf("pthreads: thread %d returned %ld\n", i,
		       (long)(intptr_t)ret);
		bad |= (intptr_t)ret != i * 100 + 1;
	}
	printf("pthreads: counter %ld (expected %d)\n", counter,
	       THREADS * ADDS);
	printf("pthreads: pthread_once ran %d time(s); main's thread-local still %d\n",
	       once_runs, mine);
	bad |= counter != THREADS * ADDS || once_runs != 1 || mine != -1;

	if (pthread_create(&c, NULL, consumer, NULL) ||
	    pthread_create(&p, NULL, producer, NULL)) {
		printf("pthreads: pthread_create failed\n");
		return 2;
	}
	pthread_join(p, NULL);
	pthread_join(c, &ret);
	printf("pthreads: consumer summed %ld (expected %d)\n",
	       (long)(intptr_t)ret, ITEMS * (ITEMS + 1) / 2);
	bad |= (intptr_t)ret != ITEMS * (ITEMS + 1) / 2;
	return bad;
}
