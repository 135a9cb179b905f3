/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/malloc.h - the app's malloc: the C and glibc allocation API.
 *
 * Every app links alloc/malloc/ in place of picolibc's allocator; apps reach
 * this header as <malloc.h> (apps/runtime/include/malloc.h). The standard
 * calls (malloc, free, calloc, realloc, reallocarray, aligned_alloc,
 * posix_memalign, valloc) are declared by <stdlib.h>. The same sources build
 * for the host as libpagoda-malloc.so, where glibc's <malloc.h> declares the
 * same names with the same values.
 *
 * Semantics are glibc's (see docs/malloc.md): malloc(0) returns a unique
 * pointer; realloc(p, 0) frees p and returns NULL; free(NULL) does nothing;
 * a failed call sets errno to ENOMEM; memalign rounds an alignment that is
 * not a power of two up to one; aligned_alloc and posix_memalign refuse it
 * with EINVAL.
 */
#ifndef PAGODA_ALLOC_MALLOC_H
#define PAGODA_ALLOC_MALLOC_H

#include <stddef.h>
#include <stdlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#else
/* mallopt() parameters, with glibc's values */
#define M_TRIM_THRESHOLD -1 /* free top beyond this is given back (bytes) */
#define M_TOP_PAD	 -2 /* extra bytes asked of brk each time */
#define M_MMAP_THRESHOLD -3 /* requests from here on get their own mmap */
#define M_MMAP_MAX	 -4 /* at most this many mmapped blocks */

/* What mallinfo2() reports, in bytes or blocks; glibc's layout. */
struct mallinfo2 {
	size_t arena;	 /* bytes of the heap (brk) and of the pages in use */
	size_t ordblks;	 /* free chunks in bins, and the top chunk */
	size_t smblks;	 /* free blocks in the size-class pages */
	size_t hblks;	 /* blocks with their own mmap */
	size_t hblkhd;	 /* bytes of those mappings */
	size_t usmblks;	 /* 0 (glibc's too) */
	size_t fsmblks;	 /* bytes of those blocks */
	size_t uordblks; /* bytes of the heap in use */
	size_t fordblks; /* bytes of the heap free */
	size_t keepcost; /* bytes malloc_trim(0) could give back from the top */
};

void *memalign(size_t alignment, size_t size);
void *pvalloc(size_t size);
size_t malloc_usable_size(void *ptr);
struct mallinfo2 mallinfo2(void);
int malloc_trim(size_t pad);
void malloc_stats(void);
int mallopt(int param, int value);
#endif

#endif
