/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/align.c - memalign, aligned_alloc, posix_memalign, valloc,
 * pvalloc.
 *
 * An alignment up to 16 is malloc's own. Up to PAGE_ALIGN_MAX (4 KiB), a
 * request of up to PAGE_REQ_MAX takes a block of the smallest class that
 * is a multiple of the alignment (every block of such a class is aligned
 * to it: pages.c's first_block()). Beyond, the chunk is asked for with
 * room for the alignment and a leading free chunk: the aligned chunk
 * starts at the first aligned address at least MIN_CHUNK in, the lead goes
 * back to the bins and the tail is split off. A mapped chunk moves its
 * start instead (prev_size grows by the lead; the mapping is unchanged).
 *
 * The alignment rules are glibc's: memalign rounds an alignment that is not
 * a power of two up to one; aligned_alloc and posix_memalign refuse it.
 */
#include <errno.h>

#include "alloc/malloc/internal.h"

static bool power_of_two(size_t a)
{
	return a && !(a & (a - 1));
}

static void *aligned_locked(size_t align, size_t n)
{
	struct chunk *c, *ac;
	size_t nb, size, lead;
	uintptr_t mem;

	if (n > MAX_REQUEST || align > MAX_REQUEST / 2) {
		errno = ENOMEM;
		return NULL;
	}
	nb = request_size(n);
	c = NULL;
	if (nb >= malloc_state.tune.mmap_threshold &&
	    malloc_state.mmapped_count < malloc_state.tune.mmap_max)
		c = malloc_mapped_alloc(nb, align);
	if (!c)
		c = malloc_chunk(nb + align + MIN_CHUNK);
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	mem = (uintptr_t)chunk_mem(c);
	if (!(mem & (align - 1))) {
		if (!is_mapped(c))
			malloc_split(c, chunk_size(c), nb);
		return chunk_mem(c);
	}
	mem = round_up(mem, align);
	ac = mem_chunk((void *)mem);
	if ((char *)ac - (char *)c < MIN_CHUNK)
		ac = chunk_at(ac, align);
	lead = (size_t)((char *)ac - (char *)c);
	size = chunk_size(c) - lead;
	if (is_mapped(c)) {
		ac->prev_size = c->prev_size + lead;
		set_head(ac, size, H_MMAPPED);
		return chunk_mem(ac);
	}
	set_head(ac, size, H_PREV_INUSE);
	set_head(c, lead, c->head & H_PREV_INUSE);
	malloc_free_coalesce(c);
	malloc_split(ac, size, nb);
	return chunk_mem(ac);
}

static void *aligned(size_t align, size_t n)
{
	size_t size;
	void *p;

	if (align <= ALIGNMENT)
		return malloc(n);
	/* a block of a class that is a multiple of align: malloc's fast path */
	malloc_ready();
	if (align <= PAGE_ALIGN_MAX && n <= PAGE_REQ_MAX &&
	    (size = malloc_page_aligned_size(n, align))) {
		p = malloc(size);
		if (!p || in_pages(p))
			return p;
		free(p); /* a chunk: the pages are out of room */
	}
	malloc_sys_lock();
	p = aligned_locked(align, n);
	malloc_sys_unlock();
	return p;
}

void *memalign(size_t align, size_t n)
{
	if (align > SIZE_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	if (!power_of_two(align))
		align = align <= 1 ? 1
				   : (size_t)1 << (64 - __builtin_clzl(align));
	return aligned(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	if (!power_of_two(align)) {
		errno = EINVAL;
		return NULL;
	}
	return aligned(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	int saved = errno;
	void *p;

	if (!power_of_two(align) || align % sizeof(void *))
		return EINVAL;
	p = aligned(align, n);
	errno = saved;
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t n)
{
	return aligned(malloc_sys_page_size(), n);
}

void *pvalloc(size_t n)
{
	size_t page = malloc_sys_page_size();

	if (n > SIZE_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return aligned(page, n ? round_up(n, page) : page);
}
