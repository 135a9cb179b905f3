// SPDX-License-Identifier: MIT
/*
 * tests/linux/threadmalloc.c - malloc with threads: four threads allocate
 * blocks of 16 B..8 KiB and pass every other one to the next thread,
 * which checks its contents and frees it (a free from a thread other than
 * the one that allocated); the threads exit with blocks still in their
 * inboxes, which main checks and frees (blocks of threads that are gone),
 * then main allocates again. Every count printed follows from the seeds
 * alone, whatever the order the threads ran in. Built with the C
 * library's malloc and with pagoda's (tests/linux/progs.mk, NAME-pagoda).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define OPS	20000
#define RING	64

/* A block passed on: its link and tag, then its pattern. */
struct msg {
	struct msg *next;
	uint32_t size, tag;
};

struct inbox {
	pthread_mutex_t lock;
	struct msg *head;
};

static struct inbox inbox[THREADS];
static long passed[THREADS], checked[THREADS], bad[THREADS];
static unsigned long long bytes[THREADS];

static uint32_t next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static unsigned char byte_of(uint32_t tag, size_t i)
{
	return (unsigned char)(tag * 31 + i * 7);
}

static void fill(struct msg *m)
{
	unsigned char *p = (unsigned char *)(m + 1);

	for (size_t i = 0; i < m->size - sizeof(*m); i++)
		p[i] = byte_of(m->tag, i);
}

static int intact(const struct msg *m)
{
	const unsigned char *p = (const unsigned char *)(m + 1);

	for (size_t i = 0; i < m->size - sizeof(*m); i++)
		if (p[i] != byte_of(m->tag, i))
			return 0;
	return 1;
}

static void post(int to, struct msg *m)
{
	pthread_mutex_lock(&inbox[to].lock);
	m->next = inbox[to].head;
	inbox[to].head = m;
	pthread_mutex_unlock(&inbox[to].lock);
}

static struct msg *take(int me)
{
	struct msg *m;

	pthread_mutex_lock(&inbox[me].lock);
	m = inbox[me].head;
	if (m)
		inbox[me].head = m->next;
	pthread_mutex_unlock(&inbox[me].lock);
	return m;
}

static void check_and_free(int me, struct msg *m)
{
	checked[me]++;
	bad[me] += !intact(m);
	free(m);
}

static void *worker(void *arg)
{
	int me = (int)(intptr_t)arg;
	uint32_t s = 0x9e3779b9u * (uint32_t)(me + 1);
	struct msg *ring[RING] = { 0 };

	for (int i = 0; i < OPS; i++) {
		uint32_t r = next_random(&s);
		size_t size = sizeof(struct msg) + (16u << (r % 10)) % 8192;
		struct msg *m = malloc(size), *in;
		int k = (int)((r >> 8) % RING);

		if (!m)
			return (void *)1;
		m->size = (uint32_t)size;
		m->tag = r;
		fill(m);
		bytes[me] += size;
		if (i % 2) {
			post((me + 1) % THREADS, m);
			passed[me]++;
		} else {
			if (ring[k])
				check_and_free(me, ring[k]);
			ring[k] = m;
		}
		in = take(me);
		if (in)
			check_and_free(me, in);
	}
	for (int k = 0; k < RING; k++)
		if (ring[k])
			check_and_free(me, ring[k]);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	long total_passed = 0, total_checked = 0, total_bad = 0, again = 0;
	unsigned long long total_bytes = 0;
	struct msg *m;

	for (int i = 0; i < THREADS; i++) {
		pthread_mutex_init(&inbox[i].lock, NULL);
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	}
	for (int i = 0; i < THREADS; i++) {
		void *r;

		pthread_join(t[i], &r);
		if (r) {
			printf("threadmalloc: thread %d ran out of memory\n",
			       i);
			return 1;
		}
	}
	/* what the exited threads left in the inboxes: main frees it */
	for (int i = 0; i < THREADS; i++)
		while ((m = take(i)))
			check_and_free(i, m);
	for (int i = 0; i < THREADS; i++) {
		total_passed += passed[i];
		total_checked += checked[i];
		total_bad += bad[i];
		total_bytes += bytes[i];
	}
	/* and allocates again, where the exited threads' blocks were */
	for (int i = 0; i < 1000; i++) {
		void *p = malloc(16 + (size_t)i * 8 % 4096);

		again += p != NULL;
		free(p);
	}
	printf("threadmalloc: %d threads, %d blocks each, %llu bytes\n",
	       THREADS, OPS, total_bytes);
	printf("threadmalloc: %ld passed to another thread, %ld freed with "
	       "their contents checked, %ld damaged\n",
	       total_passed, total_checked, total_bad);
	printf("threadmalloc: %ld of 1000 allocated again after the threads "
	       "exited\n",
	       again);
	return total_bad || total_checked != (long)THREADS * OPS ||
	       again != 1000;
}
