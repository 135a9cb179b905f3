// SPDX-License-Identifier: MIT
/*
 * vm/mm.c - address spaces and their VMAs.
 *
 * An mm is a root page table (its upper half copied from kernel_pgd) and
 * the VMAs of the lower half, kept twice: in a red-black tree by start
 * address, so find_vma() is O(log n) on the fault path, and on a list in
 * address order for neighbours and walks. find_vma() also remembers the
 * last VMA it returned: faults come in runs on one VMA.
 *
 * VMAs merge as Linux's do (vma_can_merge), so the layout /proc/self/maps
 * shows matches what Linux would show for the same calls; the conformance
 * test (apps/conformance) holds us to that.
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

struct mm *current_mm;
static struct list_head mm_list = { &mm_list, &mm_list };
static struct kmem_cache *vma_cache, *mm_cache;

/* ---- page-table pages and leaves of an mm ---- */
static phys_addr_t mm_alloc_table(void *ctx)
{
	struct mm *mm = ctx;
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	if (!page)
		return 0;
	mm->nr_ptes++;
	nr_page_table_pages++;
	return page_to_phys(page);
}

static void mm_free_table(phys_addr_t pa, void *ctx)
{
	struct mm *mm = ctx;

	mm->nr_ptes--;
	nr_page_table_pages--;
	free_pages(phys_to_page(pa), 0);
}

static void mm_put_leaf(pte_t pte, uintptr_t va, uint64_t size, void *ctx)
{
	struct mm *mm = ctx;
	phys_addr_t pa = pte_pa(pte);

	(void)va;
	(void)size;
	if (pte_is_swap(pte)) {
		swap_entry_free(mm, pte_to_swp_entry(pte));
		return;
	}
	if (pa == zero_page_pa)
		return;
	mm->rss--;
	nr_anon_pages--;
	anon_page_free(phys_to_page(pa));
}

void mm_zap_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	if (start >= end)
		return;
	(void)pt_unmap(mm->pgd, start, end - start, &mm->ops);
	if (mm == current_mm)
		flush_tlb_range(start, end - start);
}

void mm_account_vm(struct mm *mm, unsigned int flags, long pages)
{
	if (flags & VM_ACCOUNT) {
		mm->committed += pages;
		vm_committed_pages += pages;
	}
	if (flags & VM_LOCKED)
		mm->locked_vm += pages;
	mm->total_vm += pages;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
}

/* ---- address spaces ---- */
struct mm *mm_create(void)
{
	phys_addr_t pgd;
	struct mm *mm;

	if (!mm_cache) {
		mm_cache = kmem_cache_create("mm_struct", sizeof(struct mm), 0,
					     0, NULL);
		vma_cache = kmem_cache_create(
			"vm_area_struct", sizeof(struct vm_area), 0, 0, NULL);
		if (!mm_cache || !vma_cache)
			return NULL;
	}
	mm = kmem_cache_alloc(mm_cache, GFP_KERNEL);
	if (!mm)
		return NULL;
	memset(mm, 0, sizeof(*mm));
	mm->ops = (struct pt_ops){ .alloc_table = mm_alloc_table,
				   .free_table = mm_free_table,
				   .put_leaf = mm_put_leaf,
				   .ctx = mm };
	pgd = mm_alloc_table(mm);
	if (!pgd) {
		kmem_cache_free(mm_cache, mm);
		return NULL;
	}
	mm->pgd = phys_to_virt(pgd);
	kmap_copy_kernel_half(mm->pgd);
	mm->vmas = RB_ROOT;
	list_init(&mm->vma_list);
	list_add(&mm->node, &mm_list);
	return mm;
}

void mm_destroy(struct mm *mm)
{
	struct list_head *pos, *next;

	for (pos = mm->vma_list.next; pos != &mm->vma_list; pos = next) {
		struct vm_area *vma = list_entry(pos, struct vm_area, list);

		next = pos->next;
		vma_free(vma);
	}
	vm_committed_pages -= mm->committed;
	/* every leaf and every table of the lower half, at once */
	(void)pt_unmap(mm->pgd, 0, USER_END, &mm->ops);
	list_del(&mm->node);
	free_pages(virt_to_page(mm->pgd), 0);
	nr_page_table_pages--;
	kmem_cache_free(mm_cache, mm);
}

void mm_switch(struct mm *mm)
{
	current_mm = mm;
	satp_switch(virt_to_phys(mm ? mm->pgd : kernel_pgd));
}

void mm_sync_kernel_half(void)
{
	struct list_head *pos;

	for (pos = mm_list.next; pos != &mm_list; pos = pos->next)
		kmap_copy_kernel_half(list_entry(pos, struct mm, node)->pgd);
}

/* ---- finding VMAs ---- */
static struct vm_area *rb_vma(struct rb_node *node)
{
	return node ? rb_entry(node, struct vm_area, rb) : NULL;
}

struct vm_area *find_vma_above(struct mm *mm, uintptr_t addr)
{
	struct rb_node *node = mm->vmas.rb_node;
	struct vm_area *found = NULL;

	while (node) {
		struct vm_area *vma = rb_vma(node);

		if (vma->end > addr) {
			found = vma;
			if (vma->start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

struct vm_area *find_vma(struct mm *mm, uintptr_t addr)
{
	struct vm_area *vma = mm->cache;

	if (vma && vma->start <= addr && addr < vma->end)
		return vma;
	vma = find_vma_above(mm, addr);
	if (!vma || vma->start > addr)
		return NULL;
	mm->cache = vma;
	return vma;
}

struct vm_area *find_vma_intersection(struct mm *mm, uintptr_t start,
				      uintptr_t end)
{
	struct vm_area *vma = find_vma_above(mm, start);

	return vma && vma->start < end ? vma : NULL;
}

struct vm_area *vma_next(struct mm *mm, struct vm_area *vma)
{
	return vma->list.next == &mm->vma_list
		       ? NULL
		       : list_entry(vma->list.next, struct vm_area, list);
}

struct vm_area *vma_prev(struct mm *mm, struct vm_area *vma)
{
	return vma->list.prev == &mm->vma_list
		       ? NULL
		       : list_entry(vma->list.prev, struct vm_area, list);
}

/* ---- changing the tree ---- */
struct vm_area *vma_alloc(void)
{
	struct vm_area *vma = kmem_cache_alloc(vma_cache, GFP_KERNEL);

	if (vma)
		memset(vma, 0, sizeof(*vma));
	return vma;
}

void vma_free(struct vm_area *vma)
{
	kmem_cache_free(vma_cache, vma);
}

void vma_link(struct mm *mm, struct vm_area *vma)
{
	struct rb_node **link = &mm->vmas.rb_node, *parent = NULL;
	struct vm_area *prev = NULL;

	while (*link) {
		struct vm_area *v = rb_vma(*link);

		parent = *link;
		if (vma->start < v->start) {
			link = &parent->rb_left;
		} else {
			prev = v;
			link = &parent->rb_right;
		}
	}
	rb_link_node(&vma->rb, parent, link);
	rb_insert_color(&vma->rb, &mm->vmas);
	list_add(&vma->list, prev ? &prev->list : &mm->vma_list);
	mm->nr_vmas++;
}

void vma_unlink(struct mm *mm, struct vm_area *vma)
{
	rb_erase(&vma->rb, &mm->vmas);
	list_del(&vma->list);
	mm->nr_vmas--;
	if (mm->cache == vma)
		mm->cache = NULL;
}

struct vm_area *vma_split(struct mm *mm, struct vm_area *vma, uintptr_t addr)
{
	struct vm_area *high = vma_alloc();

	if (!high)
		return NULL;
	*high = *vma;
	high->start = addr;
	high->pgoff = vma->pgoff + ((addr - vma->start) >> PAGE_SHIFT);
	vma->end = addr; /* the tree's key (start) of vma is unchanged */
	vma_link(mm, high);
	return high;
}

struct vm_area *vma_isolate(struct mm *mm, struct vm_area *vma, uintptr_t start,
			    uintptr_t end)
{
	if (vma->start < start && !(vma = vma_split(mm, vma, start)))
		return NULL;
	if (vma->end > end && !vma_split(mm, vma, end))
		return NULL;
	return vma;
}

bool vma_can_merge(const struct vm_area *prev, const struct vm_area *next)
{
	return prev->end == next->start && prev->flags == next->flags &&
	       !(prev->flags & (VM_STACK | VM_IMAGE)) &&
	       prev->pgoff + vma_pages(prev) == next->pgoff &&
	       (!prev->anon || !next->anon || prev->anon == next->anon);
}

/* next is absorbed into prev. */
static void vma_absorb(struct mm *mm, struct vm_area *prev,
		       struct vm_area *next)
{
	prev->end = next->end;
	if (!prev->anon)
		prev->anon = next->anon;
	vma_unlink(mm, next);
	vma_free(next);
}

struct vm_area *vma_merge_around(struct mm *mm, struct vm_area *vma)
{
	struct vm_area *prev = vma_prev(mm, vma), *next;

	if (prev && vma_can_merge(prev, vma)) {
		vma_absorb(mm, prev, vma);
		vma = prev;
	}
	next = vma_next(mm, vma);
	if (next && vma_can_merge(vma, next))
		vma_absorb(mm, vma, next);
	return vma;
}
