// SPDX-License-Identifier: MIT
/*
 * tests/host/test_vmstat.c - the allocator's statistics (alloc/vmstat.c)
 * on known states of a simulated 16 MiB machine, byte for byte in the
 * formats of Linux's /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo,
 * /proc/meminfo, /proc/vmstat and debugfs extfrag, MemAvailable against
 * Linux's si_mem_available() worked out by hand:
 *
 *   available = free - sum(high watermarks)
 *               + reclaimable slab - min(reclaimable slab / 2, sum(low))
 *
 * (no page cache, no lowmem_reserve), and the unusable free space and
 * fragmentation indices against values worked out by hand from the
 * definitions in Linux's mm/vmstat.c:
 *
 *   unusable(o)      = (free_pages - (suitable_blocks << o)) * 1000 / free_pages
 *                      (1000 without free pages)
 *   fragmentation(o) = -1000 if a block of order >= o is free, 0 without
 *                      free blocks, else
 *                      1000 - (1000 + free_pages * 1000 / 2^o) / free_blocks
 *
 * where suitable_blocks counts the free blocks of order >= o in units of
 * 2^o pages.
 */
#include <stdio.h>
#include <string.h>

#include "tests/host/mm_test.h"
#include "vm/vm.h"

#define BASE 0x80000000UL
#define PFN0 (BASE >> PAGE_SHIFT)

static const struct sim_mem mem16[] = { { BASE, 16 * MiB, 0 } };
static char buf[8192];

/* The virtual memory's counters (vm/ keeps them): none of it runs here. */
static int vm_counters_zero(void **state)
{
	memset(&vm_events, 0, sizeof(vm_events));
	nr_anon_pages = nr_page_table_pages = nr_vmalloc_pages = 0;
	return 0;
}

/*
 * Linux's /proc/meminfo with nothing but free memory in use; VmallocTotal
 * is the window, 0xffffffff00000000 - 0xffffffe080000000.
 */
#define MEMINFO(total, free, avail, limit) \
	"MemTotal:       " total " kB\n"   \
	"MemFree:        " free " kB\n"    \
	"MemAvailable:   " avail " kB\n"   \
	"Buffers:               0 kB\n"    \
	"Cached:                0 kB\n"    \
	"SwapCached:            0 kB\n"    \
	"Active:                0 kB\n"    \
	"Inactive:              0 kB\n"    \
	"Active(anon):          0 kB\n"    \
	"Inactive(anon):        0 kB\n"    \
	"Active(file):          0 kB\n"    \
	"Inactive(file):        0 kB\n"    \
	"Unevictable:           0 kB\n"    \
	"Mlocked:               0 kB\n"    \
	"SwapTotal:             0 kB\n"    \
	"SwapFree:              0 kB\n"    \
	"AnonPages:             0 kB\n"    \
	"KReclaimable:          0 kB\n"    \
	"Slab:                  0 kB\n"    \
	"SReclaimable:          0 kB\n"    \
	"SUnreclaim:            0 kB\n"    \
	"PageTables:            0 kB\n"    \
	"CommitLimit:    " limit " kB\n"   \
	"Committed_AS:          0 kB\n"    \
	"VmallocTotal:   127926272 kB\n"   \
	"VmallocUsed:           0 kB\n"    \
	"VmallocChunk:          0 kB\n"

static struct zone *dma32(void)
{
	return zone_of(0, ZONE_DMA32);
}

/* 16 MiB, min 0 (min_free_kbytes 1), filled with order-3 blocks: 7 free. */
static void boot_and_fill(void)
{
	unsigned long n = 0;

	boot_ok(mem16, 1);
	while (alloc_pages(__GFP_HIGH | __GFP_NOWARN, 3))
		n++;
	assert_int_equal(n, 511);
	assert_int_equal(dma32()->free_pages, 7);
}

static void assert_indices(const int unusable[NR_ORDERS],
			   const int fragmentation[NR_ORDERS])
{
	for (unsigned int o = 0; o < NR_ORDERS; o++) {
		if (unusable_free_index(dma32(), o) != unusable[o])
			fail_msg("unusable_free_index order %u: %d, want %d", o,
				 unusable_free_index(dma32(), o), unusable[o]);
		if (fragmentation_index(dma32(), o) != fragmentation[o])
			fail_msg("fragmentation_index order %u: %d, want %d", o,
				 fragmentation_index(dma32(), o),
				 fragmentation[o]);
	}
}

static void buddyinfo_after_boot(void **state)
{
	boot_ok(mem16, 128);
	assert_int_equal(buddyinfo_show(buf, sizeof(buf)), strlen(buf));
	assert_string_equal(
		buf,
		"Node 0, zone    DMA32      1      1      1      1      1      1      1      1      1      1      3 \n");
}

static void pagetypeinfo_after_boot(void **state)
{
	boot_ok(mem16, 128);
	assert_int_equal(pagetypeinfo_show(buf, sizeof(buf)), strlen(buf));
	assert_string_equal(
		buf,
		"Page block order: 9\n"
		"Pages per block:  512\n"
		"\n"
		"Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 \n"
		"Node    0, zone    DMA32, type    Unmovable      0      0      0      0      0      0      0      0      0      0      0 \n"
		"Node    0, zone    DMA32, type      Movable      1      1      1      1      1      1      1      1      1      1      3 \n"
		"Node    0, zone    DMA32, type  Reclaimable      0      0      0      0      0      0      0      0      0      0      0 \n"
		"\n"
		"Number of blocks type     Unmovable      Movable  Reclaimable \n"
		"Node 0, zone    DMA32            0            8            0 \n");
}

/* One unmovable page: a 4 MiB block (two pageblocks) changes type and splits. */
static void pagetypeinfo_after_an_unmovable_page(void **state)
{
	struct page *page;

	boot_ok(mem16, 128);
	page = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(page), PFN0 + 2048);
	pagetypeinfo_show(buf, sizeof(buf));
	assert_non_null(strstr(
		buf,
		"Node    0, zone    DMA32, type    Unmovable      1      1      1      1      1      1      1      1      1      1      0 \n"
		"Node    0, zone    DMA32, type      Movable      1      1      1      1      1      1      1      1      1      1      2 \n"));
	assert_non_null(strstr(
		buf,
		"Node 0, zone    DMA32            2            6            0 \n"));
	buddyinfo_show(buf, sizeof(buf));
	assert_string_equal(
		buf,
		"Node 0, zone    DMA32      2      2      2      2      2      2      2      2      2      2      2 \n");
	free_pages(page, 0);
}

static void zoneinfo_and_meminfo(void **state)
{
	boot_ok(mem16, 128);
	assert_int_equal(zoneinfo_show(buf, sizeof(buf)), strlen(buf));
	/* min_free_kbytes 128: min 32 pages, gap max(8, 4095 / 1000) = 8 */
	assert_string_equal(buf, "Node 0, zone    DMA32\n"
				 "  pages free     4095\n"
				 "        min      32\n"
				 "        low      40\n"
				 "        high     48\n"
				 "        spanned  4096\n"
				 "        present  4096\n"
				 "        managed  4095\n"
				 "  start_pfn:           524288\n");
	assert_non_null(alloc_pages(GFP_KERNEL, 4));
	assert_int_equal(meminfo_show(buf, sizeof(buf)), strlen(buf));
	/* available: 4079 free - 48 high = 4031 pages */
	assert_string_equal(buf, MEMINFO("   16380", "   16316", "   16124",
					 "    8188") /* 4095 pages * 50% */);
}

/* Two nodes, DMA32 and Normal: a line per populated zone, node by node. */
static void several_zones(void **state)
{
	const struct sim_mem mem[] = {
		{ 4 * GiB - 8 * MiB, 12 * MiB, 0 },
		{ 8 * GiB, 8 * MiB, 1 },
	};

	boot_ok(mem, 128);
	buddyinfo_show(buf, sizeof(buf));
	/* [4G-8M, 4G): 2 x 10; [4G, 4G+4M-4K) 9..0; node 1: 1 x 10, 9..0 */
	assert_string_equal(
		buf,
		"Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0      2 \n"
		"Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      1      0 \n"
		"Node 1, zone   Normal      1      1      1      1      1      1      1      1      1      1      1 \n");
	meminfo_show(buf, sizeof(buf));
	/* high watermarks 18 + 8 + 18: 5118 - 44 = 5074 pages available */
	assert_string_equal(buf, MEMINFO("   20472", "   20472", "   20296",
					 "   10236") /* 5118 pages * 50% */);
	pagetypeinfo_show(buf, sizeof(buf));
	assert_non_null(strstr(
		buf,
		"Node 0, zone    DMA32            0            4            0 \n"
		"Node 0, zone   Normal            0            2            0 \n"
		"Node 1, zone   Normal            0            4            0 \n"));
}

/*
 * A 1 GiB hole inside the zone's span is no pageblocks of it: 16 blocks
 * of memory, not 520 (Linux skips pfns without memory too).
 */
static void pagetypeinfo_skips_holes(void **state)
{
	const struct sim_mem mem[] = {
		{ 2 * GiB, 16 * MiB, 0 },
		{ 3 * GiB, 16 * MiB, 0 },
	};

	boot_ok(mem, 128);
	assert_int_equal(dma32()->spanned_pages,
			 (GiB + 16 * MiB) >> PAGE_SHIFT);
	pagetypeinfo_show(buf, sizeof(buf));
	assert_non_null(strstr(
		buf,
		"Node 0, zone    DMA32            0           16            0 \n"));
}

static void indices_after_boot(void **state)
{
	/* 4095 free: one block of each order 0..9, three of order 10 */
	static const int unusable[NR_ORDERS] = {
		0,   /* suitable 4095: 0 */
		0,   /* (4095 - 2047 * 2) * 1000 / 4095 = 0.24 */
		0,   /* (4095 - 1023 * 4) = 3 -> 0.7 */
		1,   /* 4095 - 511 * 8 = 7 -> 1.7 */
		3,   /* 15 -> 3.66 */
		7,   /* 31 -> 7.57 */
		15,  /* 63 -> 15.38 */
		31,  /* 127 -> 31.01 */
		62,  /* 255 -> 62.27 */
		124, /* 511 -> 124.78 */
		249, /* 4095 - 3 * 1024 = 1023 -> 249.82 */
	};
	static const int fragmentation[NR_ORDERS] = {
		-1000, -1000, -1000, -1000, -1000, -1000,
		-1000, -1000, -1000, -1000, -1000,
	};

	boot_ok(mem16, 128);
	assert_indices(unusable, fragmentation);
}

static void indices_when_fragmented(void **state)
{
	/* 7 free pages in 3 blocks of order 0, 1, 2 */
	static const int unusable7[NR_ORDERS] = {
		0,
		142 /* (7 - 3 * 2) */,
		428 /* (7 - 4) */,
		1000,
		1000,
		1000,
		1000,
		1000,
		1000,
		1000,
		1000,
	};
	static const int fragmentation7[NR_ORDERS] = {
		-1000, -1000,
		-1000, 375, /* 1000 - (1000 + 7000 / 8) / 3 = 1000 - 1875 / 3 */
		521,	    /* 1000 - (1000 + 437) / 3 */
		594,	    /* 1000 - (1000 + 218) / 3 */
		631,	    /* 1000 - (1000 + 109) / 3 */
		649,	    /* 1000 - (1000 + 54) / 3 */
		658,	    /* 1000 - (1000 + 27) / 3 */
		663,	    /* 1000 - (1000 + 13) / 3 */
		665,	    /* 1000 - (1000 + 6) / 3 */
	};
	/* and two order-3 blocks more: 23 pages in 5 blocks */
	static const int unusable23[NR_ORDERS] = {
		0,    43, /* 23 - 11 * 2 = 1 -> 43.4 */
		130,	  /* 23 - 5 * 4 = 3 -> 130.4 */
		304,	  /* 23 - 2 * 8 = 7 -> 304.3 */
		1000, 1000, 1000, 1000, 1000, 1000, 1000,
	};
	static const int fragmentation23[NR_ORDERS] = {
		-1000, -1000, -1000,
		-1000, 513, /* 1000 - (1000 + 23000 / 16) / 5 = 1000 - 2437 / 5 */
		657,	    /* 1000 - (1000 + 718) / 5 */
		729,	    /* 1000 - (1000 + 359) / 5 */
		765,	    /* 1000 - (1000 + 179) / 5 */
		783,	    /* 1000 - (1000 + 89) / 5 */
		792,	    /* 1000 - (1000 + 44) / 5 */
		796,	    /* 1000 - (1000 + 22) / 5 */
	};

	boot_and_fill();
	assert_indices(unusable7, fragmentation7);
	/* pfns 0 and 16: not buddies, they stay two blocks */
	free_pages(pfn_to_page(PFN0), 3);
	free_pages(pfn_to_page(PFN0 + 16), 3);
	assert_indices(unusable23, fragmentation23);
	fragmentation_show(buf, sizeof(buf));
	assert_string_equal(
		buf,
		"unusable_index:\n"
		"Node 0, zone    DMA32 0.000 0.043 0.130 0.304 1.000 1.000 1.000 1.000 1.000 1.000 1.000 \n"
		"extfrag_index:\n"
		"Node 0, zone    DMA32 -1.000 -1.000 -1.000 -1.000 0.513 0.657 0.729 0.765 0.783 0.792 0.796 \n");
}

/* Nothing free at all: unusable 1000, fragmentation 0. */
static void indices_when_full(void **state)
{
	static const int unusable[NR_ORDERS] = {
		1000, 1000, 1000, 1000, 1000, 1000,
		1000, 1000, 1000, 1000, 1000,
	};
	static const int fragmentation[NR_ORDERS] = { 0 };

	boot_and_fill();
	assert_non_null(alloc_pages(__GFP_HIGH, 2));
	assert_non_null(alloc_pages(__GFP_HIGH, 1));
	assert_non_null(alloc_pages(__GFP_HIGH, 0));
	assert_int_equal(nr_free_pages(), 0);
	assert_indices(unusable, fragmentation);
	buddyinfo_show(buf, sizeof(buf));
	assert_string_equal(
		buf,
		"Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0      0 \n");
}

/* The virtual memory's counters, where Linux prints them. */
static void vmstat_and_vm_counters(void **state)
{
	boot_ok(mem16, 128);
	nr_anon_pages = 3;
	nr_page_table_pages = 2;
	nr_vmalloc_pages = 5;
	vm_events.pgfault = 7;
	vm_events.pgmajfault = 1;
	nr_active_anon = 4;
	nr_inactive_anon = 6;
	nr_mlock = 1;
	nr_swapcache = 2;
	vm_events.pgsteal_kswapd = 8;
	vm_events.pgsteal_direct = 3;
	assert_int_equal(vmstat_show(buf, sizeof(buf)), strlen(buf));
	assert_string_equal(buf, "nr_free_pages 4095\n"
				 "nr_zone_inactive_anon 6\n"
				 "nr_zone_active_anon 4\n"
				 "nr_zone_inactive_file 0\n"
				 "nr_zone_active_file 0\n"
				 "nr_zone_unevictable 1\n"
				 "nr_mlock 1\n"
				 "nr_inactive_anon 6\n"
				 "nr_active_anon 4\n"
				 "nr_inactive_file 0\n"
				 "nr_active_file 0\n"
				 "nr_unevictable 1\n"
				 "nr_slab_reclaimable 0\n"
				 "nr_slab_unreclaimable 0\n"
				 "nr_anon_pages 3\n"
				 "nr_writeback 0\n"
				 "nr_swapcached 2\n"
				 "nr_page_table_pages 2\n"
				 "pswpin 0\n"
				 "pswpout 0\n"
				 "pgfault 7\n"
				 "pgmajfault 1\n"
				 "pgactivate 0\n"
				 "pgdeactivate 0\n"
				 "pgrotated 0\n"
				 "pgsteal_kswapd 8\n"
				 "pgsteal_direct 3\n"
				 "pgscan_kswapd 0\n"
				 "pgscan_direct 0\n"
				 "pgsteal_anon 11\n"
				 "pgscan_anon 0\n"
				 "drop_pagecache 0\n"
				 "drop_slab 0\n"
				 "oom_kill 0\n"
				 "pageoutrun 0\n"
				 "allocstall_normal 0\n"
				 "unevictable_pgs_mlocked 0\n"
				 "unevictable_pgs_munlocked 0\n"
				 "swap_ra 0\n"
				 "swap_ra_hit 0\n");
	meminfo_show(buf, sizeof(buf));
	assert_non_null(strstr(buf, "SwapCached:            8 kB\n"));
	assert_non_null(strstr(buf, "Active(anon):         16 kB\n"));
	assert_non_null(strstr(buf, "Inactive(anon):       24 kB\n"));
	assert_non_null(strstr(buf, "Mlocked:               4 kB\n"));
	nr_active_anon = nr_inactive_anon = nr_mlock = nr_swapcache = 0;
	meminfo_show(buf, sizeof(buf));
	assert_non_null(strstr(buf, "AnonPages:            12 kB\n"));
	assert_non_null(strstr(buf, "PageTables:            8 kB\n"));
	assert_non_null(strstr(buf, "VmallocUsed:          20 kB\n"));
}

/*
 * Reclaimable slab counts towards MemAvailable, less the part Linux thinks
 * reclaim cannot get back: half of it, at most the low watermarks (40).
 * Runs last: the slab caches outlive a reboot without kmem_cache_init().
 */
static void meminfo_with_slab(void **state)
{
	struct kmem_cache *c;
	unsigned long rec, unrec, free;
	char line[64];

	slab_boot_ok(mem16, 128, false);
	c = kmem_cache_create("dentry-like", 256, 0, SLAB_RECLAIM_ACCOUNT,
			      NULL);
	assert_non_null(c);
	for (unsigned int i = 0; i < 2000; i++)
		assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	rec = slab_pages(true);
	unrec = slab_pages(false);
	free = dma32()->free_pages;
	assert_true(rec >= 2 * 40); /* so the cap applies */
	assert_true(unrec > 0);	    /* the kmalloc and cache caches */
	meminfo_show(buf, sizeof(buf));
	snprintf(line, sizeof(line), "MemFree:        %8lu kB\n", free * 4);
	assert_non_null(strstr(buf, line));
	snprintf(line, sizeof(line), "MemAvailable:   %8lu kB\n",
		 (free - 48 + rec - 40) * 4);
	assert_non_null(strstr(buf, line));
	snprintf(line, sizeof(line),
		 "KReclaimable:   %8lu kB\n"
		 "Slab:           %8lu kB\n"
		 "SReclaimable:   %8lu kB\n"
		 "SUnreclaim:     %8lu kB\n",
		 rec * 4, (rec + unrec) * 4, rec * 4, unrec * 4);
	assert_non_null(strstr(buf, line));
	vmstat_show(buf, sizeof(buf));
	snprintf(line, sizeof(line),
		 "nr_slab_reclaimable %lu\nnr_slab_unreclaimable %lu\n", rec,
		 unrec);
	assert_non_null(strstr(buf, line));
}

/* Writers never run past the buffer and always end it. */
static void short_buffers(void **state)
{
	char small[16];

	boot_ok(mem16, 128);
	memset(small, 'x', sizeof(small));
	assert_int_equal(buddyinfo_show(small, 10), 9);
	assert_string_equal(small, "Node 0, z");
	assert_int_equal(small[10], 'x');
	assert_int_equal(pagetypeinfo_show(small, 1), 0);
	assert_string_equal(small, "");
	assert_int_equal(zoneinfo_show(small, sizeof(small)), 15);
	assert_int_equal(meminfo_show(small, sizeof(small)), 15);
	assert_string_equal(small, "MemTotal:      ");
	assert_int_equal(vmstat_show(small, sizeof(small)), 15);
	assert_string_equal(small, "nr_free_pages 4");
	assert_int_equal(fragmentation_show(small, sizeof(small)), 15);
	assert_string_equal(small, "unusable_index:");
}

/* The memstat bootarg: everything to the console, pcp lists drained. */
static void memstat_prints_everything(void **state)
{
	struct page *page;

	boot_ok(mem16, 128);
	page = alloc_pages(GFP_KERNEL, 0);
	free_pages(page, 0);
	assert_int_equal(dma32()->pcp[0].count, 1);
	host_log_clear();
	memstat_print("now");
	assert_int_equal(dma32()->pcp[0].count, 0);
	assert_logged("memstat: now: meminfo");
	assert_logged("memstat: now: vmstat");
	assert_logged("memstat: now: buddyinfo");
	assert_logged("memstat: now: pagetypeinfo");
	assert_logged("memstat: now: zoneinfo");
	assert_logged("memstat: now: extfrag");
	assert_logged("MemFree:           16380 kB");
	assert_logged("nr_free_pages 4095");
	assert_logged(
		"Node 0, zone    DMA32      1      1      1      1      1      1      1      1      1      1      3 ");
	assert_logged("  start_pfn:           524288");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buddyinfo_after_boot),
		cmocka_unit_test(pagetypeinfo_after_boot),
		cmocka_unit_test(pagetypeinfo_after_an_unmovable_page),
		cmocka_unit_test_setup(zoneinfo_and_meminfo, vm_counters_zero),
		cmocka_unit_test_setup(several_zones, vm_counters_zero),
		cmocka_unit_test(pagetypeinfo_skips_holes),
		cmocka_unit_test(indices_after_boot),
		cmocka_unit_test(indices_when_fragmented),
		cmocka_unit_test(indices_when_full),
		cmocka_unit_test(short_buffers),
		cmocka_unit_test(memstat_prints_everything),
		cmocka_unit_test_setup(vmstat_and_vm_counters,
				       vm_counters_zero),
		cmocka_unit_test_setup(meminfo_with_slab, vm_counters_zero),
	};

	return cmocka_run_group_tests_name("vmstat", tests, NULL, NULL);
}
