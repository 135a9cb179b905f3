// SPDX-License-Identifier: MIT
/*
 * alloc/mempool.c - reserves for allocations that must not fail.
 *
 * A pool holds min_nr elements taken at creation. mempool_alloc asks the
 * underlying allocator first (without warnings) and falls back to the
 * reserve; mempool_free refills the reserve before returning anything to
 * the allocator. So up to min_nr elements are always available to the
 * pool's users, whatever the memory pressure: the swap-out path uses this
 * for its I/O requests. No sleeping exists here, so when both the
 * allocator and the reserve are empty the answer is NULL, which callers
 * avoid by never holding more than min_nr at once.
 */
#include "alloc/internal.h"

struct mempool *mempool_create(int min_nr, mempool_alloc_t alloc,
			       mempool_free_t free, void *data)
{
	struct mempool *pool;

	if (min_nr < 1 || !alloc || !free)
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->min_nr = min_nr;
	pool->alloc = alloc;
	pool->free = free;
	pool->data = data;
	pool->reserve = kcalloc((size_t)min_nr, sizeof(void *), GFP_KERNEL);
	if (!pool->reserve)
		goto fail;
	while (pool->nr < min_nr) {
		void *e = alloc(GFP_KERNEL, data);

		if (!e)
			goto fail;
		pool->reserve[pool->nr++] = e;
	}
	return pool;

fail:
	mempool_destroy(pool);
	return NULL;
}

void *mempool_alloc(struct mempool *pool, gfp_t gfp)
{
	void *e = pool->alloc(gfp | __GFP_NOWARN, pool->data);

	if (e)
		return e;
	return pool->nr ? pool->reserve[--pool->nr] : NULL;
}

void mempool_free(void *element, struct mempool *pool)
{
	if (!element)
		return;
	if (pool->nr < pool->min_nr)
		pool->reserve[pool->nr++] = element;
	else
		pool->free(element, pool->data);
}

void mempool_destroy(struct mempool *pool)
{
	if (!pool)
		return;
	while (pool->nr)
		pool->free(pool->reserve[--pool->nr], pool->data);
	kfree(pool->reserve);
	kfree(pool);
}

/* ---- ready-made pools ---- */

static void *slab_alloc(gfp_t gfp, void *cache)
{
	return kmem_cache_alloc(cache, gfp);
}

static void slab_free(void *e, void *cache)
{
	kmem_cache_free(cache, e);
}

struct mempool *mempool_create_slab_pool(int min_nr, struct kmem_cache *c)
{
	return mempool_create(min_nr, slab_alloc, slab_free, c);
}

static void *kmalloc_alloc(gfp_t gfp, void *size)
{
	return kmalloc((size_t)(uintptr_t)size, gfp);
}

static void kmalloc_free(void *e, void *size)
{
	(void)size;
	kfree(e);
}

struct mempool *mempool_create_kmalloc_pool(int min_nr, size_t size)
{
	return mempool_create(min_nr, kmalloc_alloc, kmalloc_free,
			      (void *)(uintptr_t)size);
}
