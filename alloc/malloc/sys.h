/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/sys.h - the contract between malloc and the system beneath it.
 *
 * malloc asks for memory through these calls and nothing else. sys.c
 * implements them for both builds over the same POSIX and Linux calls: the
 * app runtime's system calls in the image (U-mode), the C library's on the
 * host (the LD_PRELOAD library, the host tests, the fuzzer).
 *
 * Every call may fail; none may be called with the malloc lock unheld, and
 * none calls back into malloc.
 */
#ifndef PAGODA_ALLOC_MALLOC_SYS_H
#define PAGODA_ALLOC_MALLOC_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* malloc's own names, hidden like internal.h's */
#pragma GCC visibility push(hidden)

/*
 * Move the break by incr bytes (a multiple of malloc_sys_page_size(), may
 * be negative or 0). Returns the break before the move, or NULL when it
 * cannot move (the break is then unchanged). Memory gained reads as zeros.
 */
void *malloc_sys_sbrk(intptr_t incr);

/*
 * A private anonymous read-write mapping of len bytes (a multiple of the
 * page size), zero-filled, or NULL. malloc_sys_unmap returns one exactly;
 * 0 or -1.
 */
void *malloc_sys_map(size_t len);
int malloc_sys_unmap(void *addr, size_t len);

/*
 * Like malloc_sys_map, for address space reserved ahead of use: the
 * system commits no memory for it until a page is touched (MAP_NORESERVE
 * where there is one).
 */
void *malloc_sys_reserve(size_t len);

/*
 * Grow or shrink a mapping, moving it if it must: the new address or NULL
 * (the old mapping is then untouched). Lengths are page multiples.
 */
void *malloc_sys_remap(void *addr, size_t old_len, size_t new_len);

/*
 * The pages of [addr, addr + len) are not needed now: the system may take
 * them back and hand out zero-filled pages on the next touch. Page aligned.
 */
void malloc_sys_release(void *addr, size_t len);

/* 4096 in the image; the host's page size on the host. */
size_t malloc_sys_page_size(void);

/* Sixteen unpredictable bytes (the process's AT_RANDOM when it has them). */
void malloc_sys_random(uint64_t out[2]);

/* Write a message to standard error, without allocating. */
void malloc_sys_print(const char *s, size_t len);

/* End the process as abort() does: SIGABRT, status 134. */
_Noreturn void malloc_sys_abort(void);

/*
 * The malloc lock: one lock over what threads share (the chunks, the
 * region of pages, the pool); each thread's heap is its own. It nests: the
 * thread that holds it may take it again, and lets it go at the last
 * unlock. The image's apps have one thread: it compiles away. The host and
 * Linux builds: a spinlock, safe across fork() (sys_thread.c).
 */
#ifdef MALLOC_THREADS
void malloc_sys_lock(void);
void malloc_sys_unlock(void);

/*
 * Call fn(arg) when the calling thread exits (not when the process does);
 * fn is the same on every call. False if it cannot be arranged. Called
 * with the malloc lock held.
 */
bool malloc_sys_at_thread_exit(void (*fn)(void *), void *arg);
#else
static inline void malloc_sys_lock(void)
{
}
static inline void malloc_sys_unlock(void)
{
}
#endif

#pragma GCC visibility pop

#endif
