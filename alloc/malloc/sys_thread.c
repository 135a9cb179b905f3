/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/sys_thread.c - the threads part of the contract (sys.h) for
 * the host and Linux builds (MALLOC_THREADS): the malloc lock and the
 * hook at a thread's exit. The image's apps have one thread: neither.
 *
 * The lock is a spinlock that yields while it waits, taken around fork()
 * so the child inherits it free, and skipped while the process has one
 * thread. It nests: a thread that holds it may take it again (a slow path
 * under it calls malloc or free, whose own slow paths take it).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>

#include "alloc/malloc/sys.h"

#ifdef MALLOC_THREADS
#define TLS __thread __attribute__((tls_model("initial-exec")))

static int lock_word;
static TLS unsigned depth; /* times this thread took the lock */
static TLS bool holding;   /* this thread holds lock_word */

#ifdef __GLIBC__
/*
 * glibc clears __libc_single_threaded when a second thread is created,
 * always from the one thread there is: no malloc can run beside the
 * change, and until then the lock is not needed. (musl keeps its count
 * to itself: there the lock is always taken, one uncontended atomic.)
 */
extern char __libc_single_threaded;
#define single_threaded() __libc_single_threaded
#else
#define single_threaded() 0
#endif

void malloc_sys_lock(void)
{
	if (depth++ || single_threaded())
		return;
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED))
			sched_yield();
	holding = true;
}

void malloc_sys_unlock(void)
{
	if (--depth || !holding)
		return;
	holding = false;
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void lock_across_fork(void)
{
	pthread_atfork(malloc_sys_lock, malloc_sys_unlock, malloc_sys_unlock);
}

bool malloc_sys_at_thread_exit(void (*fn)(void *), void *arg)
{
	static pthread_key_t key;
	static bool made;

	if (!made && pthread_key_create(&key, fn))
		return false;
	made = true;
	return !pthread_setspecific(key, arg);
}
#endif
