/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/sys_host.c - the malloc contract (sys.h) on the host, over
 * Linux's own system calls: the same brk, mmap, mremap and madvise the
 * image's runtime emulates. Built into libpagoda-malloc.so (LD_PRELOAD),
 * the host tests and the fuzzer.
 *
 * Host programs have threads: the malloc lock is a spinlock that yields
 * while it waits, taken around fork() so the child inherits it free, and
 * skipped while the process has one thread.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "alloc/malloc/sys.h"

void *sys_sbrk(intptr_t incr)
{
	void *old = sbrk(incr);

	return old == (void *)-1 ? NULL : old;
}

void *sys_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int sys_unmap(void *addr, size_t len)
{
	return munmap(addr, len);
}

void *sys_remap(void *addr, size_t old_len, size_t new_len)
{
	void *p = mremap(addr, old_len, new_len, MREMAP_MAYMOVE);

	return p == MAP_FAILED ? NULL : p;
}

void sys_release(void *addr, size_t len)
{
	madvise(addr, len, MADV_DONTNEED);
}

size_t sys_page_size(void)
{
	static size_t page;

	if (!page)
		page = (size_t)sysconf(_SC_PAGESIZE);
	return page;
}

void sys_random(uint64_t out[2])
{
	const uint64_t *r;

	if (getrandom(out, 2 * sizeof(uint64_t), GRND_NONBLOCK) ==
	    2 * sizeof(uint64_t))
		return;
	r = (const uint64_t *)getauxval(AT_RANDOM);
	out[0] = r ? r[0] : (uintptr_t)&r;
	out[1] = r ? r[1] : (uintptr_t)out;
}

void sys_print(const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(2, s, len);

		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

_Noreturn void sys_abort(void)
{
	abort();
}

#ifdef MALLOC_THREADS
static int lock_word;

/*
 * glibc clears __libc_single_threaded when a second thread is created,
 * always from the one thread there is: no malloc can run beside the
 * change, and until then the lock is not needed.
 */
extern char __libc_single_threaded;

void sys_lock(void)
{
	if (__libc_single_threaded)
		return;
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED))
			sched_yield();
}

void sys_unlock(void)
{
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void lock_across_fork(void)
{
	pthread_atfork(sys_lock, sys_unlock, sys_unlock);
}
#endif
