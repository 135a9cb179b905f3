// SPDX-License-Identifier: MIT
/*
 * vm/vmscan.c - reclaim: the LRU lists of the app's pages, the swap
 * shrinker, and kswapd.
 *
 * Every page of the app's (mapped, or read ahead into the swap cache)
 * is on one of two lists, newest at the head:
 *
 *   active     pages used since they came: promoted from the inactive list
 *   inactive   where a fault puts its page (as Linux since 5.9, so a page
 *              used once never displaces the active ones); reclaim takes
 *              pages from the tail
 *
 * Aging is Linux's second chance by the accessed bit (rmap.c reads and
 * clears it, flushing that page from the TLB so the next use sets it
 * again): at the tail of the inactive list a page used since it was last
 * looked at goes back to the active list (pgactivate), one not used is
 * written out; at the tail of the active list a used page goes round
 * once more (pgrotated), an unused one moves to the inactive list
 * (pgdeactivate). The inactive list is kept at least as long as the
 * active one (Linux's inactive_ratio for memories under 1 GiB).
 * Bootarg lru=fifo turns aging off: one list, pages leave in the order
 * they came (the baseline of make bench BENCH=swap).
 *
 * Writing out: a page gets a slot and enters the swap cache, its PTE
 * becomes the swap entry (TLB flushed), and its write is queued; up to 64
 * queued pages go to the disk together, runs of consecutive slots in one
 * request each (page_io.c), and are waited for before reclaim returns, so
 * the pages are free when it does. A page
 * already in the swap cache whose PTE is clean (read back and not
 * written since) is dropped without any write. A write that fails marks
 * the slot bad and maps the page back: it stays in memory.
 *
 * Who reclaims: the allocator's slow path asks the shrinkers
 * (alloc/alloc.h). Below the low watermark this one wakes kswapd (a
 * kernel thread, hal/riscv/kthread.c) and returns; kswapd reclaims until
 * every zone is above its high watermark, yielding to the app at each
 * tick. Below the min watermark the allocation reclaims itself (direct
 * reclaim, allocstall). swappiness (0..200) sizes this shrinker's batch
 * against the others (the slab's), as Linux weighs anonymous against
 * file pages: 60 is Linux's SWAP_CLUSTER_MAX, 32 pages; at 0 the app's
 * pages go only when the shrinkers before freed nothing in that walk.
 */
#include <errno.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

#define SWAP_CLUSTER_MAX 32 /* pages a reclaim batch frees (Linux's) */
#define KSWAPD_STACK	 (16 * 1024)

/* Invariant: nr_active_anon and nr_inactive_anon (vmstat.c) count the
 * lists; a page is on one of them exactly when PG_lru is set (PG_active
 * says which). */
static struct list_head active_list = { &active_list, &active_list };
static struct list_head inactive_list = { &inactive_list, &inactive_list };
bool lru_aging = true;
static bool reclaiming; /* reclaim never enters itself (Linux's PF_MEMALLOC) */

void lru_add(struct page *page, bool active)
{
	if (!lru_aging)
		active = false;
	page->flags |= PG_lru | (active ? PG_active : 0);
	if (active) {
		list_add(&page->lru, &active_list);
		nr_active_anon++;
	} else {
		list_add(&page->lru, &inactive_list);
		nr_inactive_anon++;
	}
}

void lru_del(struct page *page)
{
	list_del(&page->lru);
	if (page->flags & PG_active)
		nr_active_anon--;
	else
		nr_inactive_anon--;
	page->flags &= ~(PG_lru | PG_active);
}

void mlock_page(struct page *page)
{
	if (page->flags & PG_mlocked)
		return;
	if (page->flags & PG_lru)
		lru_del(page);
	page->flags |= PG_mlocked;
	nr_mlock++;
	vm_events.unevictable_pgs_mlocked++;
}

void munlock_page(struct page *page)
{
	if (!(page->flags & PG_mlocked))
		return;
	page->flags &= ~PG_mlocked;
	nr_mlock--;
	vm_events.unevictable_pgs_munlocked++;
	lru_add(page, false);
}

/* ---- writing out ---- */
/* Pages unmapped and waiting for their write, in slot order. */
static struct page *queued[SWAP_IO_BATCH];
static unsigned int nr_queued;

/* The write of page ended: free it, or keep it mapped if it failed. */
static unsigned long write_end(struct page *page, int err, void *ctx)
{
	swp_entry_t e = page->private;
	pte_t *pte;

	(void)ctx;
	page->flags &= ~PG_writeback;
	nr_writeback--;
	if (!err) {
		vm_events.pswpout++;
		anon_page_free(page); /* the PTE keeps the slot */
		return 1;
	}
	vm_events.swap_write_errors++;
	pr_warn("swap: write error %d on %s slot %lu: marked bad, the page stays in memory\n",
		err, swap_area_name(e), swp_offset(e));
	pte = page_pte(page); /* the swap entry, found through the cache */
	swap_mark_bad(e);     /* the PTE's and the cache's references go */
	swap_cache_del(page);
	if (pte) {
		struct mm *mm = page->mapping;
		struct vm_area *vma = find_vma(mm, page->owner);

		*pte = anon_pte(page_to_phys(page), vma->flags, PTE_A | PTE_D);
		mm->swapents--;
		anon_page_mapped(mm, vma, page, page->owner);
		return 0;
	}
	anon_page_free(page);
	return 0;
}

/* Write every queued page: returns those freed. */
static unsigned long writes_flush(void)
{
	unsigned long freed =
		swap_io(queued, nr_queued, true, false, write_end, NULL);

	nr_queued = 0;
	return freed;
}

/* Queue page's write; a full queue goes out first. */
static unsigned long write_queue(struct page *page)
{
	unsigned long freed = nr_queued == SWAP_IO_BATCH ? writes_flush() : 0;

	page->flags |= PG_writeback;
	nr_writeback++;
	queued[nr_queued++] = page;
	return freed;
}

/*
 * Take page, off the lists, out of memory: 1 if it is free now, 0 if its
 * write is in flight (counted when it ends), -1 if it must stay.
 */
static int pageout(struct page *page)
{
	struct mm *mm = page->mapping;
	pte_t *pte = page_pte(page);
	bool dirty;

	if (!pte || !pte_has_page(*pte)) {
		/* read ahead and never mapped: the slot still has it */
		if (page->flags & PG_swapcache) {
			anon_page_free(page);
			return 1;
		}
		return -1;
	}
	/* a copy in the swap cache is good while the PTE is clean */
	dirty = *pte & PTE_D;
	if (!(page->flags & PG_swapcache)) {
		swp_entry_t e = swap_alloc_slot();

		if (!e)
			return -1;
		swap_cache_add(page, e);
		dirty = true;
	}
	/* unmap: the PTE holds the entry from now on */
	*pte = swp_entry_to_pte(page->private);
	swap_dup(page->private);
	if (mm == current_mm)
		sfence_vma_addr(page->owner);
	mm->rss--;
	mm->swapents++;
	nr_anon_pages--;
	if (!dirty) {
		anon_page_free(page); /* the slot has it already */
		return 1;
	}
	return 0;
}

/* Age nr pages at the active list's tail. */
static void shrink_active(unsigned long nr)
{
	while (nr-- && !list_empty(&active_list)) {
		struct page *page =
			list_entry(active_list.prev, struct page, lru);

		lru_del(page);
		if (page_referenced(page)) {
			vm_events.pgrotated++;
			lru_add(page, true);
		} else {
			vm_events.pgdeactivate++;
			lru_add(page, false);
		}
	}
}

/*
 * Look at up to nr pages at the inactive list's tail; returns pages
 * freed (their writes ended) and adds to *scanned.
 */
static unsigned long shrink_inactive(unsigned long nr, bool direct,
				     unsigned long *scanned)
{
	unsigned long freed = 0;

	while (nr-- && !list_empty(&inactive_list)) {
		struct page *page =
			list_entry(inactive_list.prev, struct page, lru);
		int r;

		++*scanned;
		lru_del(page);
		if (lru_aging && page_referenced(page)) {
			vm_events.pgactivate++;
			lru_add(page, true);
			continue;
		}
		r = pageout(page);
		if (r < 0) { /* no slot: it stays, used or not */
			lru_add(page, true);
			continue;
		}
		if (r == 0)
			freed += write_queue(page);
		else
			freed++;
	}
	return freed + writes_flush();
}

static bool anon_reclaimable(void)
{
	return nr_active_anon + nr_inactive_anon &&
	       (swap_has_room() || nr_swapcache);
}

unsigned long reclaim_pages(unsigned long nr, bool direct)
{
	unsigned long freed = 0, scanned = 0;
	/* twice round both lists gives every page its second chance */
	unsigned long budget =
		2 * (nr_active_anon + nr_inactive_anon) + SWAP_CLUSTER_MAX;

	if (reclaiming || !anon_reclaimable())
		return 0;
	reclaiming = true;
	for (unsigned long round = 0; freed < nr && scanned < budget &&
				      round < budget && anon_reclaimable();
	     round++) {
		if (nr_inactive_anon <= nr_active_anon)
			shrink_active(SWAP_CLUSTER_MAX);
		freed += shrink_inactive(SWAP_CLUSTER_MAX, direct, &scanned);
	}
	if (direct) {
		vm_events.pgscan_direct += scanned;
		vm_events.pgsteal_direct += freed;
	} else {
		vm_events.pgscan_kswapd += scanned;
		vm_events.pgsteal_kswapd += freed;
	}
	reclaiming = false;
	return freed;
}

/* ---- the app asks: madvise ---- */
struct range_ctx {
	bool pageout; /* MADV_PAGEOUT, else MADV_COLD */
	unsigned long freed;
};

static int range_pte(pte_t *pte, uintptr_t va, int level, void *arg)
{
	struct range_ctx *c = arg;
	struct page *page;

	(void)va;
	if (level || !pte_has_page(*pte) || pte_pa(*pte) == zero_page_pa)
		return 0;
	page = phys_to_page(pte_pa(*pte));
	if (!(page->flags & PG_lru))
		return 0; /* mlocked */
	lru_del(page);
	page_referenced(page); /* the advice says: not used */
	if (!c->pageout) {
		/* the tail: the next page reclaim takes */
		vm_events.pgdeactivate++;
		lru_add(page, false);
		list_move_tail(&page->lru, &inactive_list);
		return 0;
	}
	switch (pageout(page)) {
	case -1:
		lru_add(page, true);
		break;
	case 0:
		c->freed += write_queue(page);
		break;
	default:
		c->freed++;
	}
	return 0;
}

static void advise(struct mm *mm, uintptr_t start, uintptr_t end, bool pageout)
{
	struct range_ctx c = { pageout, 0 };

	if (reclaiming)
		return;
	reclaiming = true;
	(void)pt_for_each_leaf(mm->pgd, start, end - start, range_pte, &c);
	c.freed += writes_flush();
	vm_events.pgsteal_direct += c.freed;
	reclaiming = false;
}

void reclaim_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	advise(mm, start, end, true);
}

void deactivate_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	advise(mm, start, end, false);
}

/* ---- who reclaims ---- */
static struct kthread kswapd_thread;

/*
 * Linux's pgdat_balanced(): a node is balanced when any of its zones is
 * above its high watermark (an allocation falls back to it), so a zone
 * that reclaim cannot lift (full of the kernel's pages) does not keep
 * kswapd writing out the whole app.
 */
static bool zones_balanced(void)
{
	for (unsigned int n = 0; n < nr_nodes; n++) {
		bool managed = false, ok = false;

		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &nodes[n].zones[z];

			if (!zone->managed_pages)
				continue;
			managed = true;
			if (zone->free_pages > zone->watermark[WMARK_HIGH])
				ok = true;
		}
		if (managed && !ok)
			return false;
	}
	return true;
}

static void kswapd(void *arg)
{
	(void)arg;
	for (;;) {
		kthread_sleep();
		vm_events.pageoutrun++;
		while (!zones_balanced()) {
			drain_local_pages();
			if (!reclaim_pages(SWAP_CLUSTER_MAX, false) &&
			    !slab_shrink_all())
				break; /* nothing to take: direct reclaim or OOM */
			if (kthread_should_yield())
				kthread_yield();
		}
	}
}

/* The batch a walk asks of the app's pages: swappiness against the rest. */
static unsigned long anon_batch(const struct shrink_control *sc)
{
	if (!vm_swappiness)
		return sc->freed ? 0 : SWAP_CLUSTER_MAX;
	return (unsigned long)vm_swappiness * SWAP_CLUSTER_MAX / 60 + 1;
}

static unsigned long swap_count_objects(struct shrinker *s,
					struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return anon_reclaimable() ? nr_active_anon + nr_inactive_anon : 0;
}

static unsigned long swap_scan_objects(struct shrinker *s,
				       struct shrink_control *sc)
{
	(void)s;
	if (!sc->direct) {
		if (kswapd_thread.state == KTHREAD_SLEEPING)
			vm_events.kswapd_wakeups++;
		kthread_wake(&kswapd_thread);
		return 0;
	}
	return reclaim_pages(anon_batch(sc), true);
}

static struct shrinker swap_shrinker = {
	.count_objects = swap_count_objects,
	.scan_objects = swap_scan_objects,
};

int reclaim_init(void)
{
	void *stack = alloc_pages_exact(KSWAPD_STACK, GFP_KERNEL);

	if (!stack)
		return -ENOMEM;
	kthread_init(&kswapd_thread, "kswapd0", kswapd, NULL, stack,
		     KSWAPD_STACK);
	return register_shrinker(&swap_shrinker);
}
