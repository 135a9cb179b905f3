// SPDX-License-Identifier: MIT
/*
 * tests/host/test_vmstat.c - the allocator's statistics (alloc/vmstat.c)
 * on known states of a simulated 16 MiB machine, byte for byte in the
 * formats of Linux's /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo,
 * /proc/meminfo and debugfs extfrag, and the unusable free space and
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
#include <string.h>

#include "tests/host/mm_test.h"

#define BASE 0x80000000UL
#define PFN0 (BASE >> PAGE_SHIFT)

static const struct sim_mem mem16[] = { { BASE, 16 * MiB, 0 } };
static char buf[8192];

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
	assert_string_equal(buf, "MemTotal:          16380 kB\n"
				 "MemFree:           16316 kB\n"
				 "Slab:                  0 kB\n"
				 "SReclaimable:          0 kB\n"
				 "SUnreclaim:            0 kB\n");
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
	assert_string_equal(buf, "MemTotal:          20472 kB\n"
				 "MemFree:           20472 kB\n"
				 "Slab:                  0 kB\n"
				 "SReclaimable:          0 kB\n"
				 "SUnreclaim:            0 kB\n");
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
	memstat_print();
	assert_int_equal(dma32()->pcp[0].count, 0);
	assert_logged("memstat: meminfo");
	assert_logged("memstat: buddyinfo");
	assert_logged("memstat: pagetypeinfo");
	assert_logged("memstat: zoneinfo");
	assert_logged("memstat: extfrag");
	assert_logged("MemFree:           16380 kB");
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
		cmocka_unit_test(zoneinfo_and_meminfo),
		cmocka_unit_test(several_zones),
		cmocka_unit_test(pagetypeinfo_skips_holes),
		cmocka_unit_test(indices_after_boot),
		cmocka_unit_test(indices_when_fragmented),
		cmocka_unit_test(indices_when_full),
		cmocka_unit_test(short_buffers),
		cmocka_unit_test(memstat_prints_everything),
	};

	return cmocka_run_group_tests_name("vmstat", tests, NULL, NULL);
}
