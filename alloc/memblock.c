// SPDX-License-Identifier: MIT
/*
 * alloc/memblock.c - the boot-time allocator.
 *
 * Two sorted tables of physical ranges: memory (what the device tree says
 * is RAM, per node) and reserved (firmware, the image, the tree, the initrd
 * and everything allocated here). Free memory is memory minus reserved.
 * Allocation is top-down, first fit, and simply reserves what it returns.
 * Serves the struct page arrays and early page tables, then zones_init()
 * hands every free range to the buddy allocator and memblock retires.
 * Boot hart only, before interrupts: no locking.
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"

struct memblock memblock;

static uint64_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

static void remove_at(struct memblock_type *t, unsigned int i)
{
	memmove(&t->regions[i], &t->regions[i + 1],
		(t->cnt - i - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

/*
 * Insert [base, base + size) and merge it with every region it overlaps or
 * touches on the same node (for reserved ranges the node is always 0).
 */
static int add_range(struct memblock_type *t, phys_addr_t base, uint64_t size,
		     uint32_t node)
{
	unsigned int i = 0, j;

	if (!size)
		return 0;
	if (base + size < base)
		return -EINVAL;
	/* skip what ends before base, or touches it from another node */
	while (i < t->cnt && (region_end(&t->regions[i]) < base ||
			      (region_end(&t->regions[i]) == base &&
			       t->regions[i].node != node)))
		i++;
	/* merge with regions i..j-1: they overlap or touch, on the same node */
	for (j = i; j < t->cnt && t->regions[j].base <= base + size &&
		    t->regions[j].node == node;
	     j++) {
		const struct memblock_region *r = &t->regions[j];
		uint64_t end = base + size > region_end(r) ? base + size
							   : region_end(r);

		base = base < r->base ? base : r->base;
		size = end - base;
	}
	if (j < t->cnt && t->regions[j].base < base + size)
		return -EEXIST; /* overlaps memory of another node: unchanged */
	while (j-- > i)
		remove_at(t, i);
	if (t->cnt == MEMBLOCK_MAX_REGIONS)
		return -E2BIG;
	memmove(&t->regions[i + 1], &t->regions[i],
		(t->cnt - i) * sizeof(t->regions[0]));
	t->regions[i] = (struct memblock_region){ base, size, node };
	t->cnt++;
	return 0;
}

int memblock_add(struct memblock *mb, phys_addr_t base, uint64_t size,
		 uint32_t node)
{
	return add_range(&mb->memory, base, size, node);
}

int memblock_reserve(struct memblock *mb, phys_addr_t base, uint64_t size)
{
	return add_range(&mb->reserved, base, size, 0);
}

uint64_t memblock_total(const struct memblock_type *t)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

void memblock_cap(struct memblock *mb, uint64_t limit)
{
	struct memblock_type *t = &mb->memory;
	uint64_t seen = 0;

	for (unsigned int i = 0; i < t->cnt;) {
		struct memblock_region *r = &t->regions[i];

		if (seen >= limit) {
			remove_at(t, i);
			continue;
		}
		if (r->size > limit - seen)
			r->size = limit - seen;
		seen += r->size;
		i++;
	}
}

/* The first reserved region overlapping [base, end), or NULL. */
static const struct memblock_region *
first_reserved(const struct memblock *mb, phys_addr_t base, phys_addr_t end)
{
	for (unsigned int i = 0; i < mb->reserved.cnt; i++) {
		const struct memblock_region *r = &mb->reserved.regions[i];

		if (r->base < end && region_end(r) > base)
			return r;
	}
	return NULL;
}

bool memblock_next_free(const struct memblock *mb, uint64_t *cursor,
			phys_addr_t *base, uint64_t *size, uint32_t *node)
{
	for (unsigned int i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *m = &mb->memory.regions[i];
		phys_addr_t start = m->base > *cursor ? m->base : *cursor;

		while (start < region_end(m)) {
			const struct memblock_region *r =
				first_reserved(mb, start, region_end(m));

			if (r && r->base <= start) {
				start = region_end(
					r); /* skip the reservation */
				continue;
			}
			*base = start;
			*size = (r ? r->base : region_end(m)) - start;
			*node = m->node;
			*cursor = start + *size;
			return true;
		}
	}
	return false;
}

static phys_addr_t alloc_in(struct memblock *mb, uint64_t size, uint64_t align,
			    int node)
{
	for (unsigned int i = mb->memory.cnt; i-- > 0;) {
		const struct memblock_region *m = &mb->memory.regions[i];
		phys_addr_t end = region_end(m);

		if (node >= 0 && m->node != (uint32_t)node)
			continue;
		while (end - m->base >= size) {
			phys_addr_t base = (end - size) & ~(align - 1);
			const struct memblock_region *r;

			if (base < m->base)
				break;
			r = first_reserved(mb, base, base + size);
			if (!r) {
				if (memblock_reserve(mb, base, size))
					return 0;
				return base;
			}
			end = r->base; /* try below the reservation */
			if (end < m->base + size)
				break;
		}
	}
	return 0;
}

phys_addr_t memblock_alloc(struct memblock *mb, uint64_t size, uint64_t align,
			   int node)
{
	phys_addr_t pa;

	if (mb->retired || !size || (align & (align - 1)))
		return 0;
	if (align < 8)
		align = 8;
	pa = alloc_in(mb, size, align, node);
	if (!pa && node >= 0)
		pa = alloc_in(mb, size, align, -1);
	return pa;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* Reserve whole pages covering [base, base + size). */
static int reserve_pages(struct memblock *mb, phys_addr_t base, uint64_t size)
{
	phys_addr_t start = align_down(base, PAGE_SIZE);

	return memblock_reserve(mb, start,
				align_up(base + size, PAGE_SIZE) - start);
}

int memblock_init(struct memblock *mb, const struct mem_range *memory,
		  unsigned int nr_memory, const struct mem_range *reserved,
		  unsigned int nr_reserved, uint64_t mem_limit)
{
	int err;

	memset(mb, 0, sizeof(*mb));
	for (unsigned int i = 0; i < nr_memory; i++) {
		const struct mem_range *m = &memory[i];
		uint64_t base = align_up(m->base, PAGE_SIZE);
		uint64_t end = align_down(m->base + m->size, PAGE_SIZE);

		if (end > DIRECT_MAP_SIZE) {
			pr_warn("memblock: memory above %llu GiB is not used\n",
				(unsigned long long)(DIRECT_MAP_SIZE >> 30));
			end = DIRECT_MAP_SIZE;
		}
		if (end <= base)
			continue;
		if ((err = memblock_add(mb, base, end - base, m->node)))
			return err;
	}
	if (mem_limit)
		memblock_cap(mb, mem_limit);
	for (unsigned int i = 0; i < nr_reserved; i++)
		if (reserved[i].size &&
		    (err = reserve_pages(mb, reserved[i].base,
					 reserved[i].size)))
			return err;
	return mb->memory.cnt ? 0 : -ENOMEM;
}
