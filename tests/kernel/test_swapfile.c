// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_swapfile.c - suite swapfile: vm/swapfile.c's table of
 * swap areas without a disk behind them (fake virtio_blk structs, headers
 * made by hand: swap_activate() reads neither): Linux's priorities (-2,
 * -3, ... without SWAP_FLAG_PREFER, renumbered by swapoff), EBUSY, EINVAL,
 * EPERM past MAX_SWAPFILES, the totals and CommitLimit, and the chooser's
 * order: highest priority first, round robin among equals, a full area
 * skipped, NULL when all are full. Every area is taken out again; the
 * suite needs none active when it starts (ktest boots have no swap disk).
 */
#include <errno.h>
#include <string.h>

#include "hal/virtio/virtio.h"
#include "tests/kernel/ktest.h"
#include "vm/swap_header.h"
#include "vm/internal.h"
#include "vm/vm.h"

#define NR_FAKE (MAX_SWAPFILES + 1)

static struct virtio_blk fake[NR_FAKE];
static struct swap_header fake_hdr;

static struct virtio_blk *disk(unsigned int i, unsigned long slots)
{
	fake[i].name[0] = 'x';
	fake[i].name[1] = 'd';
	fake[i].name[2] = (char)('a' + i);
	fake[i].name[3] = '\0';
	fake_hdr.nr_slots = slots;
	fake_hdr.last_page = (uint32_t)slots; /* pages 1..slots, none bad */
	return &fake[i];
}

static int on(unsigned int i, unsigned long slots, int flags)
{
	return swap_activate(disk(i, slots), &fake_hdr, flags);
}

static int prio_of(unsigned int i)
{
	struct swap_area *a;

	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		if (a->disk == &fake[i])
			return a->prio;
	return 99999; /* not active */
}

static unsigned int index_of(const struct swap_area *a)
{
	return a ? (unsigned int)(a->disk - fake) : 999;
}

static void all_off(void)
{
	struct swap_area *a;

	while ((a = swap_area_get(0))) {
		a->inuse = 0;
		swap_deactivate(a->disk);
	}
}

static void priorities_are_linuxs(struct ktest *t)
{
	ASSERT_TRUE(t, !swap_area_get(0));
	EXPECT_EQ(t, on(0, 100, 0), 0);
	EXPECT_EQ(t, on(1, 100, 0), 0);
	EXPECT_EQ(t, on(2, 100, SWAP_FLAG_PREFER | 5), 0);
	EXPECT_EQ(t, on(3, 100, SWAP_FLAG_PREFER | 0 | SWAP_FLAG_DISCARD), 0);
	EXPECT_EQ(t, on(4, 100, SWAP_FLAG_PREFER | 32767), 0);
	EXPECT_EQ(t, prio_of(0), -2);
	EXPECT_EQ(t, prio_of(1), -3);
	EXPECT_EQ(t, prio_of(2), 5);
	EXPECT_EQ(t, prio_of(3), 0);
	EXPECT_EQ(t, prio_of(4), 32767);
	/* the priority bits without SWAP_FLAG_PREFER are not a priority */
	EXPECT_EQ(t, on(5, 100, 7), 0);
	EXPECT_EQ(t, prio_of(5), -4);
	/* the chooser's list: by priority, highest first */
	EXPECT_EQ(t, index_of(swap_area_get(0)), 4);
	EXPECT_EQ(t, index_of(swap_area_get(1)), 2);
	EXPECT_EQ(t, index_of(swap_area_get(2)), 3);
	EXPECT_EQ(t, index_of(swap_area_get(3)), 0);
	EXPECT_EQ(t, index_of(swap_area_get(4)), 1);
	EXPECT_EQ(t, index_of(swap_area_get(5)), 5);
	EXPECT_TRUE(t, !swap_area_get(6));
	/* busy, bad flags */
	EXPECT_EQ(t, on(0, 100, 0), -EBUSY);
	EXPECT_EQ(t, on(6, 100, 0x80000), -EINVAL);
	EXPECT_EQ(t, on(6, 100, (int)0x80000000u), -EINVAL);
	EXPECT_EQ(t, prio_of(6), 99999);
	/* swapoff of -2: those below move up, the counter with them */
	EXPECT_EQ(t, swap_deactivate(&fake[0]), 0);
	EXPECT_EQ(t, prio_of(0), 99999);
	EXPECT_EQ(t, prio_of(1), -2);
	EXPECT_EQ(t, prio_of(5), -3);
	EXPECT_EQ(t, prio_of(2), 5);
	EXPECT_EQ(t, swap_deactivate(&fake[0]), -EINVAL);
	EXPECT_EQ(t, on(0, 100, 0), 0);
	EXPECT_EQ(t, prio_of(0), -4);
	/* swapoff of a positive one moves nobody */
	EXPECT_EQ(t, swap_deactivate(&fake[2]), 0);
	EXPECT_EQ(t, prio_of(1), -2);
	EXPECT_EQ(t, prio_of(0), -4);
	all_off();
	/* all gone: the counter starts over at -2 */
	EXPECT_EQ(t, on(7, 100, 0), 0);
	EXPECT_EQ(t, prio_of(7), -2);
	all_off();
}

static void table_is_bounded(struct ktest *t)
{
	ASSERT_TRUE(t, !swap_area_get(0));
	for (unsigned int i = 0; i < MAX_SWAPFILES; i++)
		EXPECT_EQ(t, on(i, 10, 0), 0);
	EXPECT_EQ(t, on(MAX_SWAPFILES, 10, 0), -EPERM);
	EXPECT_EQ(t, prio_of(MAX_SWAPFILES - 1), -1 - (int)MAX_SWAPFILES);
	EXPECT_EQ(t, swap_deactivate(&fake[3]), 0);
	EXPECT_EQ(t, on(MAX_SWAPFILES, 10, 0), 0);
	all_off();
}

static void totals_and_commit_limit(struct ktest *t)
{
	unsigned long limit = vm_commit_limit();

	ASSERT_TRUE(t, !swap_area_get(0));
	EXPECT_EQ(t, total_swap_pages, 0);
	EXPECT_EQ(t, nr_swap_pages, 0);
	EXPECT_EQ(t, on(0, 8191, 0), 0);
	EXPECT_EQ(t, on(1, 4095, SWAP_FLAG_PREFER | 3), 0);
	EXPECT_EQ(t, total_swap_pages, 8191 + 4095);
	EXPECT_EQ(t, nr_swap_pages, 8191 + 4095);
	EXPECT_EQ(t, vm_commit_limit(), limit + 8191 + 4095);
	EXPECT_EQ(t, swap_deactivate(&fake[0]), 0);
	EXPECT_EQ(t, total_swap_pages, 4095);
	EXPECT_EQ(t, nr_swap_pages, 4095);
	EXPECT_EQ(t, vm_commit_limit(), limit + 4095);
	all_off();
	EXPECT_EQ(t, total_swap_pages, 0);
	EXPECT_EQ(t, vm_commit_limit(), limit);
}

static void chooser_order(struct ktest *t)
{
	static const unsigned int rr[] = { 2, 3, 2, 3, 2 };
	static const unsigned int rr3[] = { 5, 6, 5, 6, 7, 5, 6 };
	struct swap_area *a;

	ASSERT_TRUE(t, !swap_area_get(0));
	EXPECT_TRUE(t, !swap_pick_area());
	EXPECT_EQ(t, on(0, 10, 0), 0);			  /* -2 */
	EXPECT_EQ(t, on(1, 10, 0), 0);			  /* -3 */
	EXPECT_EQ(t, on(2, 10, SWAP_FLAG_PREFER | 5), 0); /* 5 */
	EXPECT_EQ(t, on(3, 10, SWAP_FLAG_PREFER | 5), 0); /* 5 */
	EXPECT_EQ(t, on(4, 10, SWAP_FLAG_PREFER | 1), 0); /* 1 */
	/* the two of priority 5 in turn, the others never */
	for (unsigned int i = 0; i < sizeof(rr) / sizeof(rr[0]); i++)
		EXPECT_EQ(t, index_of(swap_pick_area()), rr[i]);
	/* a full area is passed over; then the next priority down */
	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		if (index_of(a) == 2)
			a->inuse = a->pages;
	EXPECT_EQ(t, index_of(swap_pick_area()), 3);
	EXPECT_EQ(t, index_of(swap_pick_area()), 3);
	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		if (index_of(a) == 3)
			a->inuse = a->pages;
	EXPECT_EQ(t, index_of(swap_pick_area()), 4);
	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		if (index_of(a) == 4)
			a->inuse = a->pages;
	EXPECT_EQ(t, index_of(swap_pick_area()), 0); /* -2 before -3 */
	EXPECT_EQ(t, index_of(swap_pick_area()), 0);
	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		if (index_of(a) == 0)
			a->inuse = a->pages;
	EXPECT_EQ(t, index_of(swap_pick_area()), 1);
	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		if (index_of(a) == 1)
			a->inuse = a->pages - 1; /* one slot left is enough */
	EXPECT_EQ(t, index_of(swap_pick_area()), 1);
	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		a->inuse = a->pages;
	EXPECT_TRUE(t, !swap_pick_area());
	/* a freed slot makes an area eligible again, in priority order */
	for (unsigned int k = 0; (a = swap_area_get(k)); k++)
		if (index_of(a) == 4 || index_of(a) == 1)
			a->inuse = 0;
	EXPECT_EQ(t, index_of(swap_pick_area()), 4);
	/* equal priorities rotate; one added later joins behind its peers */
	all_off();
	EXPECT_EQ(t, on(5, 10, SWAP_FLAG_PREFER | 7), 0);
	EXPECT_EQ(t, on(6, 10, SWAP_FLAG_PREFER | 7), 0);
	for (unsigned int i = 0; i < 2; i++)
		EXPECT_EQ(t, index_of(swap_pick_area()), rr3[i]);
	EXPECT_EQ(t, on(7, 10, SWAP_FLAG_PREFER | 7), 0);
	EXPECT_EQ(t, on(0, 10, SWAP_FLAG_PREFER | 6), 0);
	for (unsigned int i = 2; i < sizeof(rr3) / sizeof(rr3[0]); i++)
		EXPECT_EQ(t, index_of(swap_pick_area()), rr3[i]);
	/* a higher priority added takes over at once */
	EXPECT_EQ(t, on(1, 10, SWAP_FLAG_PREFER | 8), 0);
	EXPECT_EQ(t, index_of(swap_pick_area()), 1);
	EXPECT_EQ(t, index_of(swap_pick_area()), 1);
	/* and its swapoff hands back to the 7s where they were */
	EXPECT_EQ(t, swap_deactivate(&fake[1]), 0);
	EXPECT_EQ(t, index_of(swap_pick_area()), 7);
	EXPECT_EQ(t, index_of(swap_pick_area()), 5);
	all_off();
}

/*
 * Slots: handed out from wholly free clusters of 256, in order (cluster 0
 * holds the header, so the first run is 256..511), then the next free
 * cluster, then any free slot; use counts with SWAP_HAS_CACHE; a slot is
 * free when nothing holds it; a bad one leaves the totals.
 */
static void slots_in_clusters(struct ktest *t)
{
	long free0;
	swp_entry_t e, first;

	ASSERT_TRUE(t, !swap_area_get(0));
	ASSERT_EQ(t, on(0, 600, 0), 0);
	free0 = nr_swap_pages;
	first = swap_alloc_slot();
	EXPECT_EQ(t, swp_type(first), 0);
	EXPECT_EQ(t, swp_offset(first), 256);
	EXPECT_EQ(t, swap_count(first), 0); /* the cache holds it, no PTE */
	for (unsigned long i = 1; i < 256; i++) {
		e = swap_alloc_slot();
		if (swp_offset(e) != 256 + i) {
			EXPECT_EQ(t, swp_offset(e), 256 + i);
			break;
		}
	}
	EXPECT_EQ(t, nr_swap_pages, free0 - 256);
	/* cluster 1 used up: cluster 2 (512..600, whole though short) */
	EXPECT_EQ(t, swp_offset(swap_alloc_slot()), 512);
	/* counts: a PTE takes it, the cache lets go, the PTE lets go */
	swap_dup(first);
	EXPECT_EQ(t, swap_count(first), 1);
	swap_put_cache(first);
	EXPECT_EQ(t, swap_count(first), 1);
	EXPECT_EQ(t, nr_swap_pages, free0 - 257);
	swap_put(first);
	EXPECT_EQ(t, swap_count(first), 0);
	EXPECT_EQ(t, nr_swap_pages, free0 - 256);
	/* a bad slot: out of SwapTotal, never handed out again */
	e = swp_entry(0, 300);
	swap_mark_bad(e);
	EXPECT_EQ(t, swap_area_get(0)->pages, 599);
	EXPECT_EQ(t, swap_count(e), 0);
	/* past the area's end: no count (readahead asks), not a panic */
	EXPECT_EQ(t, swap_count(swp_entry(0, 601)), 0);
	/* a PTE entry keeps type and offset */
	e = swp_entry(3, 123456789);
	EXPECT_TRUE(t, pte_is_swap(swp_entry_to_pte(e)));
	EXPECT_EQ(t, pte_to_swp_entry(swp_entry_to_pte(e)), e);
	EXPECT_TRUE(t, !(swp_entry_to_pte(e) & (PTE_V | PTE_PROT_NONE)));
	/* the cache lets go of the rest: every slot free again */
	for (unsigned long o = 257; o <= 512; o++)
		swap_put_cache(swp_entry(0, o));
	EXPECT_EQ(t, swap_area_get(0)->inuse, 0);
	EXPECT_EQ(t, nr_swap_pages, 599);
	all_off();
	EXPECT_EQ(t, nr_swap_pages, 0);
	EXPECT_EQ(t, total_swap_pages, 0);
}

KTEST_SUITE(swapfile, KTEST_CASE(priorities_are_linuxs),
	    KTEST_CASE(table_is_bounded), KTEST_CASE(totals_and_commit_limit),
	    KTEST_CASE(chooser_order), KTEST_CASE(slots_in_clusters));
