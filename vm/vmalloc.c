// SPDX-License-Identifier: MIT
/*
 * vm/vmalloc.c - virtually contiguous kernel memory and device mappings in
 * the window [VMALLOC_START, VMALLOC_END) of hal/riscv/layout.h.
 *
 * Each area is followed by one unmapped guard page, so running off its end
 * faults at once. Areas sit on a list sorted by address; a new one takes
 * the first gap that fits (Linux keeps an augmented tree for this; the
 * runtime has a handful of areas, and nothing here is on a fast path).
 * vmalloc memory is order-0 pages from the buddy allocator, mapped RW
 * with 4 KiB leaves; ioremap maps device registers RW with the largest
 * leaves alignment allows. Page tables of the window stay once made.
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

/* Invariant: sorted by addr; [addr, addr + size + PAGE_SIZE) of two areas
 * never overlap (size excludes the guard page). */
struct vm_struct {
	uintptr_t addr;
	size_t size;
	bool io;
	struct list_head list;
};

static struct list_head areas = { &areas, &areas };
static unsigned long used_bytes;

static struct vm_struct *area_alloc(size_t size)
{
	struct vm_struct *vs = kmalloc(sizeof(*vs), GFP_KERNEL);
	uintptr_t addr = VMALLOC_START;
	struct list_head *pos;

	if (!vs)
		return NULL;
	for (pos = areas.next; pos != &areas; pos = pos->next) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);

		if (a->addr - addr >= size + PAGE_SIZE)
			break;
		addr = a->addr + a->size + PAGE_SIZE;
	}
	if (VMALLOC_END - addr < size + PAGE_SIZE) {
		kfree(vs);
		return NULL;
	}
	vs->addr = addr;
	vs->size = size;
	vs->io = false;
	list_insert(&vs->list, pos->prev, pos);
	used_bytes += size + PAGE_SIZE;
	return vs;
}

static struct vm_struct *area_find(const void *addr)
{
	struct list_head *pos;

	for (pos = areas.next; pos != &areas; pos = pos->next) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);

		if ((uintptr_t)addr >= a->addr &&
		    (uintptr_t)addr < a->addr + a->size)
			return a;
	}
	return NULL;
}

static void put_vmalloc_page(pte_t pte, uintptr_t va, uint64_t size, void *ctx)
{
	(void)va;
	(void)ctx;
	free_pages(phys_to_page(pte_pa(pte)), 0);
	nr_vmalloc_pages -= size >> PAGE_SHIFT;
}

static const struct pt_ops vfree_ops = {
	.put_leaf = put_vmalloc_page,
};

/* Unmap and forget an area; its pages go back if it was vmalloc'd. */
static void area_free(struct vm_struct *vs)
{
	(void)pt_unmap(kernel_pgd, vs->addr, vs->size,
		       vs->io ? NULL : &vfree_ops);
	flush_tlb_range(vs->addr, vs->size);
	list_del(&vs->list);
	used_bytes -= vs->size + PAGE_SIZE;
	kfree(vs);
}

/* Map pa (or fresh pages with pa == 0) at the area; top-level tables
 * created on the way are copied into every address space. */
static int area_map(struct vm_struct *vs, phys_addr_t pa)
{
	pte_t top = kernel_pgd[pt_index(vs->addr, 2)];
	int err = 0;

	if (pa) {
		err = pt_map(kernel_pgd, vs->addr, pa, vs->size, PROT_KERN_RW,
			     2, &kernel_pt_ops);
	} else {
		for (size_t off = 0; off < vs->size && !err; off += PAGE_SIZE) {
			struct page *page = alloc_pages(GFP_KERNEL, 0);

			if (!page) {
				err = -ENOMEM;
				break;
			}
			err = pt_map(kernel_pgd, vs->addr + off,
				     page_to_phys(page), PAGE_SIZE,
				     PROT_KERN_RW, 0, &kernel_pt_ops);
			if (err)
				free_pages(page, 0);
			else
				nr_vmalloc_pages++;
		}
	}
	/* an area may span two top-level entries: sync on any change */
	if (kernel_pgd[pt_index(vs->addr, 2)] != top ||
	    pt_index(vs->addr, 2) != pt_index(vs->addr + vs->size - 1, 2))
		mm_sync_kernel_half();
	flush_tlb_range(vs->addr, vs->size);
	return err;
}

void *vmalloc(size_t size)
{
	struct vm_struct *vs;

	if (!size || size > VMALLOC_END - VMALLOC_START)
		return NULL;
	vs = area_alloc((size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	if (!vs)
		return NULL;
	if (area_map(vs, 0)) {
		area_free(vs);
		return NULL;
	}
	return (void *)vs->addr;
}

void *vzalloc(size_t size)
{
	void *p = vmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void vfree(void *addr)
{
	struct vm_struct *vs;

	if (!addr)
		return;
	vs = area_find(addr);
	if (!vs || vs->io || (uintptr_t)addr != vs->addr) {
		pr_err("vfree: %p was not returned by vmalloc; ignored\n",
		       addr);
		return;
	}
	area_free(vs);
}

void *ioremap(phys_addr_t pa, size_t size)
{
	phys_addr_t base = pa & ~(PAGE_SIZE - 1);
	size_t len = (pa + size - base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	struct vm_struct *vs;

	if (!size || pa + size < pa)
		return NULL;
	if (!(vs = area_alloc(len)))
		return NULL;
	vs->io = true;
	if (area_map(vs, base)) {
		area_free(vs);
		return NULL;
	}
	return (void *)(vs->addr + (pa - base));
}

void iounmap(void *addr)
{
	struct vm_struct *vs = area_find(addr);

	if (!vs || !vs->io) {
		pr_err("iounmap: %p was not returned by ioremap; ignored\n",
		       addr);
		return;
	}
	area_free(vs);
}

unsigned long vmalloc_used_bytes(void)
{
	return used_bytes;
}

bool is_vmalloc_addr(const void *addr)
{
	return (uintptr_t)addr >= VMALLOC_START &&
	       (uintptr_t)addr < VMALLOC_END;
}
