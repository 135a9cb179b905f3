// SPDX-License-Identifier: MIT
/*
 * vm/kmap.c - the final kernel map, built once the buddy allocator runs.
 *
 * The boot table (vm/early.c) maps the image read-write-execute and the
 * whole first 128 GiB of physical space. kmap_init() replaces it with a
 * table from the buddy allocator holding only what the kernel may touch:
 *
 *   direct map   every memory range of the device tree except no-map
 *                regions (firmware's), with the largest leaves that fit
 *   image        text R-X, rodata R, data and BSS RW (W^X): a stray write
 *                into code or constants faults instead of corrupting
 *   vmemmap      the tables vmemmap_populate() built, shared
 *
 * Devices then live in the ioremap window (vm/vmalloc.c). Every address
 * space copies the upper half of kernel_pgd (kmap_copy_kernel_half).
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

pte_t *kernel_pgd = kernel_root;

extern char _start[], _srodata[], _sdata[], _end[];

static phys_addr_t kernel_alloc_table(void *ctx)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	(void)ctx;
	return page ? page_to_phys(page) : 0;
}

static void kernel_free_table(phys_addr_t pa, void *ctx)
{
	(void)ctx;
	free_pages(phys_to_page(pa), 0);
}

const struct pt_ops kernel_pt_ops = {
	.alloc_table = kernel_alloc_table,
	.free_table = kernel_free_table,
};

/* Map [base, end) of RAM into the direct map, minus no-map regions. */
static int map_ram(pte_t *root, const struct mem_range *nomap,
		   unsigned int nr_nomap, uint64_t base, uint64_t end)
{
	while (base < end) {
		uint64_t stop = end, resume = end;

		/* the first no-map region that cuts [base, end) */
		for (unsigned int i = 0; i < nr_nomap; i++) {
			const struct mem_range *r = &nomap[i];
			uint64_t rb = r->base & ~(PAGE_SIZE - 1);
			uint64_t re = (r->base + r->size + PAGE_SIZE - 1) &
				      ~(PAGE_SIZE - 1);

			if (rb < stop && re > base) {
				stop = rb > base ? rb : base;
				resume = re;
			}
		}
		if (stop > base) {
			int err = pt_map(root, DIRECT_MAP_BASE + base, base,
					 stop - base, PROT_KERN_RW, 2,
					 &kernel_pt_ops);
			if (err)
				return err;
		}
		base = resume;
	}
	return 0;
}

static int map_image(pte_t *root, char *start, char *end, uint64_t prot)
{
	return pt_map(root, (uintptr_t)start, virt_to_phys(start),
		      (uint64_t)(end - start), prot, 0, &kernel_pt_ops);
}

int kmap_init(const struct mem_range *memory, unsigned int nr_memory,
	      const struct mem_range *nomap, unsigned int nr_nomap)
{
	pte_t *root;
	phys_addr_t root_pa = kernel_alloc_table(NULL);
	int err = 0;

	if (!root_pa)
		return -ENOMEM;
	root = phys_to_virt(root_pa);
	for (unsigned int i = 0; i < nr_memory && !err; i++) {
		uint64_t base = memory[i].base & ~(PAGE_SIZE - 1);
		uint64_t end = memory[i].base + memory[i].size;

		end &= ~(PAGE_SIZE - 1);
		if (end > DIRECT_MAP_SIZE)
			end = DIRECT_MAP_SIZE;
		if (base < end)
			err = map_ram(root, nomap, nr_nomap, base, end);
	}
	if (!err)
		err = map_image(root, _start, _srodata, PROT_KERN_RX);
	if (!err)
		err = map_image(root, _srodata, _sdata, PROT_KERN_RO);
	if (!err)
		err = map_image(root, _sdata, _end, PROT_KERN_RW);
	if (err)
		return err; /* the partial table leaks: boot fails anyway */
	for (uintptr_t va = VMEMMAP_START; va < VMEMMAP_START + VMEMMAP_SIZE;
	     va += GIGAPAGE_SIZE)
		root[pt_index(va, 2)] = kernel_root[pt_index(va, 2)];
	kernel_pgd = root;
	return 0;
}

void kmap_switch(void)
{
	satp_switch(virt_to_phys(kernel_pgd));
}

void kmap_copy_kernel_half(pte_t *root)
{
	memcpy(&root[PTES_PER_TABLE / 2], &kernel_pgd[PTES_PER_TABLE / 2],
	       PTES_PER_TABLE / 2 * sizeof(pte_t));
}

void flush_tlb_range(uintptr_t va, uint64_t size)
{
	/* Past 64 pages one full flush is cheaper than the loop. */
	if (size > 64 * PAGE_SIZE) {
		sfence_vma_all();
		return;
	}
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		sfence_vma_addr(va + off);
}
