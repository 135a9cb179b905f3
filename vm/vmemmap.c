// SPDX-License-Identifier: MIT
/*
 * vm/vmemmap.c - backing the struct page array with memory.
 *
 * The vmemmap is one virtual array of struct page indexed by pfn
 * (VMEMMAP_START in vm/vm.h); only the spans alloc/memmap.c names get
 * memory, from memblock on the span's node, mapped with 2 MiB leaves where
 * a whole aligned 2 MiB of the array is needed and 4 KiB pages elsewhere.
 * Boot hart, before the buddy allocator exists.
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

static phys_addr_t pt_page_from_memblock(void *ctx)
{
	phys_addr_t pa = memblock_alloc(ctx, PAGE_SIZE, PAGE_SIZE, -1);

	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

int vmemmap_populate(struct memblock *mb)
{
	const struct pt_ops ops = { .alloc_table = pt_page_from_memblock,
				    .ctx = mb };
	unsigned int cursor = 0;
	uint64_t start, end;
	uint32_t node;
	int err;

	while (memmap_next_span(mb, &cursor, &start, &end, &node)) {
		uintptr_t va = (uintptr_t)pfn_to_page(start);
		uintptr_t va_end = (uintptr_t)pfn_to_page(end);

		while (va < va_end) {
			uint64_t chunk =
				!(va & (MEGAPAGE_SIZE - 1)) &&
						va_end - va >= MEGAPAGE_SIZE
					? MEGAPAGE_SIZE
					: PAGE_SIZE;
			phys_addr_t pa =
				memblock_alloc(mb, chunk, chunk, (int)node);

			if (!pa)
				return -ENOMEM;
			err = pt_map(kernel_root, va, pa, chunk, PROT_KERN_RW,
				     1, &ops);
			if (err)
				return err;
			va += chunk;
		}
	}
	sfence_vma_all();
	return 0;
}
