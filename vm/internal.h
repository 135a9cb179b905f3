/* SPDX-License-Identifier: MIT */
/*
 * vm/internal.h - Sv39 page-table entry arithmetic shared by vm/early.c
 * (MMU off), vm/pgtable.c and the rest of vm/. Inline and pc-relative safe.
 *
 *  63    54 53                    10 9   8 7 6 5 4 3 2 1 0
 * +--------+------------------------+-----+-+-+-+-+-+-+-+-+
 * |reserved|        PPN[2:0]        | RSW |D|A|G|U|X|W|R|V|
 * +--------+------------------------+-----+-+-+-+-+-+-+-+-+
 *
 * V without R, W or X points to the next level's table; any of R, W, X
 * makes a leaf (4 KiB at level 0, 2 MiB at level 1, 1 GiB at level 2).
 * W without R is reserved. A leaf's PPN must be aligned to its size.
 * A and D: a core with Svade faults when it needs them clear-to-set; with
 * Svadu it sets them itself. Kernel leaves have both preset.
 */
#ifndef PAGODA_VM_INTERNAL_H
#define PAGODA_VM_INTERNAL_H

#include "hal/riscv/riscv.h"
#include "vm/vm.h"

#define PT_LEVELS 3
/* RSW bit: an invalid entry that still owns its page (a PROT_NONE VMA). */
#define PTE_PROT_NONE (1UL << 8)
/* RSW bit: an invalid entry holding a swap entry (below). */
#define PTE_SWAP (1UL << 9)
#define PTE_PERM (PTE_R | PTE_W | PTE_X | PTE_U)

/* clang-format off */
/* Kernel leaves: global, A and D preset. */
#define PTE_KERNEL    (PTE_G | PTE_A | PTE_D)
#define PROT_KERN_RW  (PTE_R | PTE_W | PTE_KERNEL)
#define PROT_KERN_RX  (PTE_R | PTE_X | PTE_KERNEL)
#define PROT_KERN_RO  (PTE_R | PTE_KERNEL)
/* clang-format on */

/* VPN[level] of va: bits 12 + 9 * level .. 20 + 9 * level. */
static inline unsigned int pt_index(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTES_PER_TABLE - 1);
}

static inline uint64_t pt_level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * level);
}

/* A leaf mapping pa with bits (R/W/X/U/G/A/D); V is added. */
static inline pte_t pte_leaf(phys_addr_t pa, uint64_t bits)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | bits | PTE_V;
}

static inline pte_t pte_table(phys_addr_t table_pa)
{
	return ((table_pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V;
}

static inline phys_addr_t pte_pa(pte_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

static inline bool pte_is_leaf(pte_t pte)
{
	return pte & (PTE_R | PTE_W | PTE_X);
}

/*
 * A swap entry names one page of one swap area: the area's index in the
 * table (5 bits, MAX_SWAPFILES <= 32) and the page's number on the disk
 * (page 0 is the header, so 0 is never a valid entry). In a PTE it sits
 * above the flags with V clear and PTE_SWAP set:
 *
 *  63                              15 14     10 9 8        1 0
 * +----------------------------------+---------+-+----------+-+
 * |          offset (page on disk)   |  type   |S|    0     |0|
 * +----------------------------------+---------+-+----------+-+
 */
typedef unsigned long swp_entry_t;
#define SWP_TYPE_BITS 5

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return offset << SWP_TYPE_BITS | type;
}

static inline unsigned int swp_type(swp_entry_t e)
{
	return e & ((1u << SWP_TYPE_BITS) - 1);
}

static inline unsigned long swp_offset(swp_entry_t e)
{
	return e >> SWP_TYPE_BITS;
}

static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	return e << 10 | PTE_SWAP;
}

static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	return pte >> 10;
}

static inline bool pte_is_swap(pte_t pte)
{
	return (pte & (PTE_V | PTE_SWAP)) == PTE_SWAP;
}

/* A page of the app's is behind the PTE: valid, or kept by PROT_NONE. */
static inline bool pte_has_page(pte_t pte)
{
	return pte & (PTE_V | PTE_PROT_NONE);
}

/* ---- the app's anonymous pages (rmap.c) ---- */
/* page is now mapped at va of mm: its reverse map, and its LRU list. */
void page_add_anon_rmap(struct page *page, struct mm *mm, uintptr_t va);
/* The PTE that maps page (present, PROT_NONE or its swap entry while in
 * the swap cache), or NULL when nothing does. */
pte_t *page_pte(const struct page *page);
/* Was page used since last asked (its accessed bit, then cleared)? */
bool page_referenced(struct page *page);
/* A page of the app's is no longer mapped: off its lists, out of the swap
 * cache (its slot's cache reference dropped), back to the allocator. */
void anon_page_free(struct page *page);

/* ---- the LRU lists (vmscan.c) ---- */
void lru_add(struct page *page, bool active);
void lru_del(struct page *page);
/* Off the lists for good while mlocked (PG_mlocked), and back. */
void mlock_page(struct page *page);
void munlock_page(struct page *page);

/* ---- swap slots and I/O (swapfile.c) ---- */
/* clang-format off */
#define SWAP_HAS_CACHE 0x40 /* a page in the swap cache holds the slot */
#define SWAP_MAP_MAX   0x3e /* PTE references a slot may have */
#define SWAP_MAP_BAD   0x3f /* never used: bad on disk, or the header */
/* clang-format on */
/* A free slot, taken for the swap cache (SWAP_HAS_CACHE), in the area the
 * chooser gives, next to the last one taken; 0 when swap is full. */
swp_entry_t swap_alloc_slot(void);
/* A PTE now holds e (+1), or no longer does (-1: the slot is freed when
 * nothing holds it). swap_get_cache and swap_put_cache take and drop
 * SWAP_HAS_CACHE for a page read back into the cache. */
void swap_dup(swp_entry_t e);
void swap_put(swp_entry_t e);
void swap_get_cache(swp_entry_t e);
void swap_put_cache(swp_entry_t e);
/* PTE references to e (0 for a free or bad slot, or one past the area). */
unsigned int swap_count(swp_entry_t e);
/* A write to e failed: never use it again. */
void swap_mark_bad(swp_entry_t e);
/* Send the I/O of n pages for the n slots from e on (one request, n <=
 * VIRTIO_BLK_MAX_SEGS) to its disk: a request id, or -errno (-EAGAIN: the
 * queue is full, complete one first). */
int swap_submit(swp_entry_t e, struct page *const *pages, unsigned int n,
		bool write);
/* Pages one request may carry (VIRTIO_BLK_MAX_SEGS), pages one swap_io()
 * takes. */
#define SWAP_IO_MAX   32
#define SWAP_IO_BATCH 64

/* ---- swap I/O in runs (page_io.c) ---- */
/* A page's I/O is over (err 0 or -errno); what it returns is summed. */
typedef unsigned long (*swap_io_end_t)(struct page *page, int err, void *ctx);
/*
 * Read or write n <= SWAP_IO_BATCH pages of the swap cache (each page's
 * slot is its private), runs of consecutive slots in one request each,
 * all in flight at once; end() for each page when its request is done
 * (in page order). first_alone: pages[0] goes in a request of its own
 * (the page a fault waits for: a neighbour's bad sector must not fail
 * it). Returns the sum of end()'s results.
 */
unsigned long swap_io(struct page **pages, unsigned int n, bool write,
		      bool first_alone, swap_io_end_t end, void *ctx);
/* Wait for request id of e's disk: 0 or -errno. */
int swap_complete(swp_entry_t e, int id);
/* Is there a slot to write to? */
bool swap_has_room(void);
/* The disk name of e's area ("vdb"), for messages. */
const char *swap_area_name(swp_entry_t e);

/* ---- the swap cache and swap-in (swap_state.c) ---- */
struct page *swap_cache_find(swp_entry_t e);
void swap_cache_add(struct page *page, swp_entry_t e);
/* Out of the cache; drops the slot's SWAP_HAS_CACHE. */
void swap_cache_del(struct page *page);
/* A page for e's slot, from the cache or read from disk now with the
 * page-cluster window around it read ahead (*major: a read was waited
 * for). NULL with *err: -ENOMEM, or -EIO when the disk failed. */
struct page *swapin_page(swp_entry_t e, bool *major, int *err);
/* The fault on a swap PTE: map the page back at addr. FAULT_*. */
int do_swap_page(struct mm *mm, struct vm_area *vma, pte_t *pte, uintptr_t addr,
		 bool write);
/* A swap PTE of mm zapped (munmap, exit, MADV_DONTNEED). */
void swap_entry_free(struct mm *mm, swp_entry_t e);
/* Bring every page of area type back into memory: 0 or -ENOMEM. */
int swap_unuse(unsigned int type);

/* ---- shared inside vm/ ---- */
/* x rounded up to a page; 0 when that wraps (callers check). */
static inline uintptr_t page_align(uintptr_t x)
{
	return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Page-table pages from the buddy allocator, for kernel_pgd. */
extern const struct pt_ops kernel_pt_ops;
/* Called by vmalloc when kernel_pgd gained a top-level entry. */
void mm_sync_kernel_half(void);
/* Pages of an address space: unmap [start, end) and free what it held. */
void mm_zap_range(struct mm *mm, uintptr_t start, uintptr_t end);
/* VMA tree surgery (mm.c). */
struct vm_area *vma_alloc(void);
void vma_free(struct vm_area *vma);
void vma_link(struct mm *mm, struct vm_area *vma);
void vma_unlink(struct mm *mm, struct vm_area *vma);
/* Split vma at addr (inside it): vma keeps the low part, the new high
 * part is returned, or NULL without memory. */
struct vm_area *vma_split(struct mm *mm, struct vm_area *vma, uintptr_t addr);
/* The part of vma inside [start, end) as a VMA of its own (split off
 * what lies outside), or NULL without memory. */
struct vm_area *vma_isolate(struct mm *mm, struct vm_area *vma, uintptr_t start,
			    uintptr_t end);
/* Merge vma with its neighbours where Linux would; returns the result. */
struct vm_area *vma_merge_around(struct mm *mm, struct vm_area *vma);
bool vma_can_merge(const struct vm_area *prev, const struct vm_area *next);
/* PTE permission bits for VMA flags. */
uint64_t vm_flags_to_pte(unsigned int flags);
/* The PTE mapping an anonymous page at pa in a VMA with flags, with bits
 * (PTE_A, PTE_D): a leaf, or in a PROT_NONE VMA the invalid entry that
 * keeps the page (a leaf without R, W or X would point to a table). */
pte_t anon_pte(phys_addr_t pa, unsigned int flags, uint64_t bits);
/* page is now the app's at addr of vma (a fault, a swap-in): its reverse
 * map, the VMA's anon id, the LRU list (or mlocked), rss. */
void anon_page_mapped(struct mm *mm, struct vm_area *vma, struct page *page,
		      uintptr_t addr);
/* total_vm, and Committed_AS for a VM_ACCOUNT VMA (flags: the VMA's). */
void mm_account_vm(struct mm *mm, unsigned int flags, long pages);

#endif
