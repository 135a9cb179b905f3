/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/sys_lock.c - the malloc lock of the host build
 * (MALLOC_THREADS): host programs have threads. A spinlock that yields
 * while it waits, taken around fork() so the child inherits it free, and
 * skipped while the process has one thread. The image has one thread and
 * no lock (sys.h).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

#include "alloc/malloc/sys.h"

#ifdef MALLOC_THREADS
static int lock_word;

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
	if (single_threaded())
		return;
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED))
			sched_yield();
}

void malloc_sys_unlock(void)
{
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void lock_across_fork(void)
{
	pthread_atfork(malloc_sys_lock, malloc_sys_unlock, malloc_sys_unlock);
}
#endif
