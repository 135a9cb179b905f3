// SPDX-License-Identifier: MIT
/*
 * alloc/kmalloc.c - general-purpose allocation by size.
 *
 * Sizes up to 128 KiB go to one of the size-class caches below (the
 * smallest that fits); larger requests take whole pages from the buddy
 * allocator, and kfree tells the two apart by the page: a slab page has
 * PG_slab and its cache as owner. Context: as kmem_cache_alloc.
 */
#include <string.h>

#include "alloc/internal.h"

/* 8 B .. 256 B in Linux's steps (with 96 and 192), then powers of two. */
static const unsigned int class_size[] = {
	8,    16,   32,	  64,	96,    128,   192,   256,    512,
	1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072,
};
#define NR_CLASSES (sizeof(class_size) / sizeof(class_size[0]))

static const char *const class_name[NR_CLASSES] = {
	"kmalloc-8",	"kmalloc-16",  "kmalloc-32",  "kmalloc-64",
	"kmalloc-96",	"kmalloc-128", "kmalloc-192", "kmalloc-256",
	"kmalloc-512",	"kmalloc-1k",  "kmalloc-2k",  "kmalloc-4k",
	"kmalloc-8k",	"kmalloc-16k", "kmalloc-32k", "kmalloc-64k",
	"kmalloc-128k",
};

static struct kmem_cache *classes[NR_CLASSES];
/* the cache for sizes 1..192 by (size - 1) / 8: one load, no search */
static struct kmem_cache *small_class[24];

void kmalloc_init(void)
{
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		classes[i] = kmem_cache_create(class_name[i], class_size[i], 0,
					       0, NULL);
		if (!classes[i])
			panic("kmalloc_init: cannot create %s", class_name[i]);
	}
	for (unsigned int s = 0, i = 0; s < 24; s++) {
		while (class_size[i] < (s + 1) * 8)
			i++;
		small_class[s] = classes[i];
	}
}

static inline __attribute__((always_inline)) struct kmem_cache *
class_for(size_t size)
{
	unsigned int i = 8; /* 512 */

	if (size <= 192)
		return small_class[(size - 1) / 8];
	if (size <= 256)
		return classes[7];
	while (class_size[i] < size)
		i++;
	return classes[i];
}

/* Above the size classes: whole pages from the buddy allocator. */
static __attribute__((noinline)) void *kmalloc_large(size_t size, gfp_t gfp)
{
	struct page *page;

	if (size > PAGE_SIZE << MAX_ORDER)
		return NULL;
	page = alloc_pages(gfp, get_order(size));
	return page ? page_address(page) : NULL;
}

/*
 * Every allocation by size, on behalf of caller (what the debug tracks
 * record: the caller of kmalloc, not kmalloc).
 */
static inline __attribute__((always_inline)) void *
__kmalloc(size_t size, gfp_t gfp, uintptr_t caller)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return kmem_cache_alloc_caller(class_for(size), gfp, caller);
	return kmalloc_large(size, gfp);
}

FAST_PATH void *kmalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp, LEAF_RET_IP());
}

FAST_PATH void *kzalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp | __GFP_ZERO, LEAF_RET_IP());
}

FAST_PATH void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __kmalloc(bytes, gfp, LEAF_RET_IP());
}

FAST_PATH void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __kmalloc(bytes, gfp | __GFP_ZERO, LEAF_RET_IP());
}

size_t ksize(const void *p)
{
	const struct page *page;

	if (!p || p == ZERO_SIZE_PTR)
		return 0;
	page = virt_to_page(p);
	if (page->flags & PG_slab)
		return ((const struct kmem_cache *)page->owner)->object_size;
	return PAGE_SIZE << page->order;
}

/* Not a slab object: the first page of a kmalloc_large() block. */
static __attribute__((noinline)) void kfree_large(const void *p,
						  struct page *page)
{
	if (p != page_address(page)) {
		pr_err("kfree: 0x%lx is neither a slab object nor the start of pages\n",
		       (unsigned long)(uintptr_t)p);
		slab_errors++;
		return;
	}
	free_pages(page, page->order); /* free_pages checks the rest */
}

static inline __attribute__((always_inline)) void __kfree(const void *p,
							  uintptr_t caller)
{
	struct page *page;

	if (!p || p == ZERO_SIZE_PTR)
		return;
	page = virt_to_page(p);
	if (page->flags & PG_slab)
		kmem_cache_free_caller((struct kmem_cache *)page->owner,
				       (void *)p, caller);
	else
		kfree_large(p, page);
}

FAST_PATH void kfree(const void *p)
{
	__kfree(p, LEAF_RET_IP());
}

void *krealloc(void *p, size_t size, gfp_t gfp)
{
	uintptr_t caller = _RET_IP_;
	size_t old = ksize(p);
	void *q;

	if (!size) {
		__kfree(p, caller);
		return ZERO_SIZE_PTR;
	}
	if (p && p != ZERO_SIZE_PTR && size <= old)
		return p;
	q = __kmalloc(size, gfp, caller);
	if (q && old)
		memcpy(q, p, old < size ? old : size);
	if (q)
		__kfree(p, caller);
	return q;
}
