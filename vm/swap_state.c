// SPDX-License-Identifier: MIT
/*
 * vm/swap_state.c - the swap cache, and bringing pages back from swap.
 *
 * The swap cache holds pages that have a slot and are, or are about to
 * be, the same as it: a page being written out, a page read back whose
 * slot still holds its copy (reclaim then drops it without writing it
 * again if the PTE is clean), a page read ahead and not yet asked for.
 * It is a hash table of chains through the pages themselves (struct
 * page's hash_next), so adding a page never allocates: reclaim adds them
 * when memory is shortest.
 *
 * A fault on a swap PTE (do_swap_page()) finds the page in the cache, or
 * reads it with the slots of its aligned window of 2^page-cluster slots
 * that hold pages too (Linux's swap_cluster_readahead(): slots taken
 * together were reclaimed together, so they are likely wanted together).
 * The reads are in flight at once and the fault waits for all of them.
 * A page that cannot be read ends the app with SIGBUS: never wrong data.
 */
#include <errno.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

#define CACHE_BUCKETS 4096 /* power of two; 32 KiB of chain heads */

static struct page *cache[CACHE_BUCKETS]; /* nr_swapcache pages in all */

static struct page **bucket(swp_entry_t e)
{
	return &cache[(e * 0x9e3779b97f4a7c15UL) >> 52];
}

struct page *swap_cache_find(swp_entry_t e)
{
	for (struct page *p = *bucket(e); p; p = p->hash_next)
		if (p->private == e)
			return p;
	return NULL;
}

void swap_cache_add(struct page *page, swp_entry_t e)
{
	struct page **b = bucket(e);

	page->flags |= PG_swapcache;
	page->private = e;
	page->hash_next = *b;
	*b = page;
	nr_swapcache++;
}

void swap_cache_del(struct page *page)
{
	swp_entry_t e = page->private;
	struct page **pp = bucket(e);

	while (*pp != page)
		pp = &(*pp)->hash_next;
	*pp = page->hash_next;
	page->hash_next = NULL;
	page->flags &= ~PG_swapcache;
	page->private = 0;
	nr_swapcache--;
	swap_put_cache(e);
}

/* Should a page read back keep its slot? Not when swap is half full
 * (Linux's vm_swap_full()): the slot is worth more free. */
static bool swap_full(void)
{
	return nr_swap_pages * 2 < (long)total_swap_pages;
}

/* ---- reading ---- */
#define RA_MAX 32 /* pages a window reads at most, whatever page-cluster says */

/* Readahead pages a fault found in the cache since the last read, the
 * last window and the slot it was for (Linux's __swapin_nr_pages()). */
static unsigned long ra_hits, ra_prev_win = 1, ra_prev_off;

/*
 * The window a read brings in: readahead that was used widens it (hits +
 * 2, rounded up to a power of two), none shrinks it to one page unless
 * the faults walk the slots in order; never below half the last window,
 * so one miss does not stop it; never above 2^page-cluster.
 */
static unsigned long ra_window(unsigned long off)
{
	unsigned long max = 1UL << (page_cluster < 5 ? page_cluster : 5);
	unsigned long pages = ra_hits + 2;

	if (pages == 2) {
		if (off != ra_prev_off + 1 && off + 1 != ra_prev_off)
			pages = 1;
	} else {
		unsigned long p = 4;

		while (p < pages)
			p <<= 1;
		pages = p;
	}
	if (pages > max)
		pages = max;
	if (pages < ra_prev_win / 2)
		pages = ra_prev_win / 2;
	ra_hits = 0;
	ra_prev_win = pages;
	ra_prev_off = off;
	return pages;
}

/* A page for slot e, in the cache, its read not sent yet; NULL if none. */
static struct page *read_page(swp_entry_t e, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, 0);

	if (!page)
		return NULL;
	swap_get_cache(e);
	swap_cache_add(page, e);
	return page;
}

struct read_ctx {
	struct page *target;
	int err; /* the target's */
};

/* A read is over: the target's result is kept, a page read ahead goes
 * on the inactive list; a page that failed leaves the cache. */
static unsigned long read_end(struct page *page, int err, void *arg)
{
	struct read_ctx *c = arg;

	if (page == c->target)
		c->err = err;
	if (err) {
		vm_events.swap_read_errors++;
		pr_err("swap: read error %d on %s slot %lu\n", err,
		       swap_area_name(page->private),
		       swp_offset(page->private));
		swap_cache_del(page);
		free_pages(page, 0);
		return 0;
	}
	vm_events.pswpin++;
	if (page != c->target) {
		vm_events.swap_ra++;
		page->flags |= PG_readahead;
		lru_add(page, false);
	}
	return 1;
}

struct page *swapin_page(swp_entry_t e, bool *major, int *err)
{
	unsigned long off = swp_offset(e), win, first;
	struct page *pages[1 + RA_MAX], *page = swap_cache_find(e);
	struct read_ctx c = { NULL, 0 };
	unsigned int n = 0;

	*major = false;
	*err = 0;
	if (page) {
		if (page->flags & PG_readahead) {
			page->flags &= ~PG_readahead;
			ra_hits++;
			vm_events.swap_ra_hit++;
		}
		return page;
	}
	/* the page asked for may reclaim to be had; those read ahead not */
	if (!(c.target = pages[n++] = read_page(e, GFP_USER))) {
		*err = -ENOMEM;
		return NULL;
	}
	win = ra_window(off);
	first = off & ~(win - 1);
	for (unsigned long o = first; o < first + win; o++) {
		swp_entry_t ra = swp_entry(swp_type(e), o);

		if (o == off || !swap_count(ra) || swap_cache_find(ra))
			continue;
		if (!(pages[n] = read_page(ra, __GFP_MOVABLE | __GFP_NOWARN)))
			break;
		n++;
	}
	/* the target alone: a bad sector of a neighbour must not fail it */
	(void)swap_io(pages, n, false, true, read_end, &c);
	*major = true;
	*err = c.err;
	return c.err ? NULL : c.target;
}

/* page, from the swap cache, is mapped at addr in place of entry e. */
static void map_swapped(struct mm *mm, struct vm_area *vma, pte_t *pte,
			uintptr_t addr, struct page *page, bool write)
{
	swp_entry_t e = pte_to_swp_entry(*pte);

	if (page->flags & PG_lru)
		lru_del(page); /* read ahead: listed again as mapped, below */
	*pte = anon_pte(page_to_phys(page), vma->flags,
			PTE_A | (write ? PTE_D : 0));
	swap_put(e);
	mm->swapents--;
	/* written to, the copy on disk is stale: the slot goes now */
	if (write || vma->flags & VM_LOCKED || swap_full())
		swap_cache_del(page);
	anon_page_mapped(mm, vma, page, addr);
}

/*
 * No page of the cache is being written here: reclaim waits for its
 * writes before it returns, and faults are taken between reclaim calls
 * (a second hart would wait on PG_writeback here, as Linux does).
 */
int do_swap_page(struct mm *mm, struct vm_area *vma, pte_t *pte, uintptr_t addr,
		 bool write)
{
	swp_entry_t e = pte_to_swp_entry(*pte);
	struct page *page;
	bool major;
	int err;

	page = swapin_page(e, &major, &err);
	if (!page) {
		if (err == -ENOMEM) {
			vm_oom_gfp = GFP_USER;
			return FAULT_OOM;
		}
		return FAULT_SIGBUS;
	}
	if (major)
		vm_events.pgmajfault++;
	map_swapped(mm, vma, pte, addr, page, write);
	sfence_vma_addr(addr);
	return FAULT_OK;
}

void swap_entry_free(struct mm *mm, swp_entry_t e)
{
	struct page *page;

	mm->swapents--;
	swap_put(e);
	/* nothing maps the slot any more: a cached copy is of no use */
	if (!swap_count(e) && (page = swap_cache_find(e)) &&
	    !(page->flags & PG_writeback))
		anon_page_free(page);
}

/* ---- ahead of use, and swapoff ---- */
struct unuse_ctx {
	struct mm *mm;
	int type; /* the area's, or -1: every area (MADV_WILLNEED) */
	int err;
};

static int unuse_pte(pte_t *pte, uintptr_t va, int level, void *arg)
{
	struct unuse_ctx *c = arg;
	swp_entry_t e = pte_to_swp_entry(*pte);
	struct vm_area *vma;
	struct page *page;
	bool major;

	(void)level;
	if (!pte_is_swap(*pte) ||
	    (c->type >= 0 && swp_type(e) != (unsigned int)c->type))
		return 0;
	page = swapin_page(e, &major, &c->err);
	if (c->type < 0)
		return c->err = 0; /* MADV_WILLNEED: a hint, in the cache */
	if (!page)
		return c->err; /* swapoff fails: the area stays */
	vma = find_vma(c->mm, va);
	map_swapped(c->mm, vma, pte, va, page, false);
	if (page->flags & PG_swapcache)
		swap_cache_del(page);
	return 0;
}

void swapin_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct unuse_ctx c = { mm, -1, 0 };

	(void)pt_for_each_leaf(mm->pgd, start, end - start, unuse_pte, &c);
}

int swap_unuse(unsigned int type)
{
	struct unuse_ctx c = { current_mm, (int)type, 0 };

	if (current_mm) {
		(void)pt_for_each_leaf(current_mm->pgd, 0, USER_END, unuse_pte,
				       &c);
		if (c.err)
			return c.err;
		flush_tlb_range(0, USER_END);
	}
	/* what is left of the area in the cache: mapped pages read back
	 * (they keep their page, lose the slot) and pages read ahead */
	for (unsigned int b = 0; b < CACHE_BUCKETS; b++)
		for (struct page *p = cache[b], *next; p; p = next) {
			next = p->hash_next;
			if (swp_type(p->private) != type)
				continue;
			if (page_pte(p))
				swap_cache_del(p);
			else
				anon_page_free(p);
		}
	return 0;
}
