/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/sys_runtime.c - the malloc contract (sys.h) in the image:
 * the app runtime's Linux system calls, in U-mode.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc/malloc/sys.h"
#include "apps/runtime/runtime.h"

#define AT_RANDOM 25

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
	return 4096;
}

void sys_random(uint64_t out[2])
{
	const uint64_t *r = (const uint64_t *)getauxval(AT_RANDOM);

	if (r) {
		out[0] = r[0];
		out[1] = r[1];
	} else {
		out[0] = 0x9e3779b97f4a7c15ULL ^ (uintptr_t)&r;
		out[1] = 0xbf58476d1ce4e5b9ULL ^ (uintptr_t)out;
	}
}

void sys_print(const char *s, size_t len)
{
	write(2, s, len);
}

_Noreturn void sys_abort(void)
{
	abort();
}
