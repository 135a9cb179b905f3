/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/sys.c - the malloc contract (sys.h) over POSIX and Linux
 * calls, the same source for both builds: in the image they are the app
 * runtime's system calls (apps/runtime/syscalls.c), on the host the C
 * library's. The host's lock is sys_thread.c. With musl the heap's break
 * is a reservation of its own (below).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "alloc/malloc/sys.h"

#if defined(__linux__) && !defined(__GLIBC__)
/*
 * musl: the break is not the program's. musl's own internal allocator
 * grows it (its sbrk refuses anything but sbrk(0)), so the heap gets a
 * break of its own instead: HEAP_RESERVE bytes of address space reserved
 * PROT_NONE, made readable and writable as the break rises and given
 * back (mapped PROT_NONE afresh, which drops the pages) as it falls.
 * Beyond it, the heap's growth fails and chunks are mapped (heap.c).
 */
#define HEAP_RESERVE (1UL << 30)

static char *reserve, *reserve_brk;

void *malloc_sys_sbrk(intptr_t incr)
{
	char *old;

	if (!reserve) {
		void *p = mmap(NULL, HEAP_RESERVE, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);

		if (p == MAP_FAILED)
			return NULL;
		reserve = reserve_brk = p;
	}
	old = reserve_brk;
	if (incr > 0) {
		if ((size_t)incr > HEAP_RESERVE - (size_t)(old - reserve) ||
		    mprotect(old, (size_t)incr, PROT_READ | PROT_WRITE))
			return NULL;
	} else if (incr < 0) {
		if ((size_t)-incr > (size_t)(old - reserve) ||
		    mmap(old + incr, (size_t)-incr, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				 MAP_FIXED,
			 -1, 0) == MAP_FAILED)
			return NULL;
	}
	reserve_brk = old + incr;
	return old;
}
#else
void *malloc_sys_sbrk(intptr_t incr)
{
	void *old = sbrk(incr);

	return old == (void *)-1 ? NULL : old;
}
#endif

void *malloc_sys_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *malloc_sys_reserve(size_t len)
{
#ifdef MAP_NORESERVE
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
#else
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#endif
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int malloc_sys_unmap(void *addr, size_t len)
{
	return munmap(addr, len);
}

void *malloc_sys_remap(void *addr, size_t old_len, size_t new_len)
{
	void *p = mremap(addr, old_len, new_len, MREMAP_MAYMOVE);

	return p == MAP_FAILED ? NULL : p;
}

void malloc_sys_release(void *addr, size_t len)
{
	madvise(addr, len, MADV_DONTNEED);
}

size_t malloc_sys_page_size(void)
{
	static size_t page;

	if (!page)
		page = getauxval(AT_PAGESZ) ? getauxval(AT_PAGESZ) : 4096;
	return page;
}

void malloc_sys_random(uint64_t out[2])
{
	const uint64_t *r;

	if (getrandom(out, 2 * sizeof(uint64_t), GRND_NONBLOCK) ==
	    2 * sizeof(uint64_t))
		return;
	r = (const uint64_t *)getauxval(AT_RANDOM);
	out[0] = r ? r[0] : (uintptr_t)&r;
	out[1] = r ? r[1] : (uintptr_t)out;
}

void malloc_sys_print(const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(2, s, len);

		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

_Noreturn void malloc_sys_abort(void)
{
	abort();
}
