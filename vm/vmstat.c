// SPDX-License-Identifier: MIT
/*
 * vm/vmstat.c - the virtual memory's counters, and the files that add them
 * to the allocator's: Linux's /proc/meminfo and /proc/vmstat, and memstat,
 * every statistics file on the console (bootarg memstat).
 *
 * Only what exists is counted. Lines of Linux's for features this runtime
 * does not have (the page cache, file LRU lists) are printed with the
 * value Linux would show without them, 0, and lines whose meaning needs
 * them (Dirty, Mapped, Shmem, ...) are left out.
 */
#include <stdio.h>

#include "alloc/alloc.h"
#include "vm/vm.h"

struct vm_events vm_events;
unsigned long nr_anon_pages, nr_page_table_pages, nr_vmalloc_pages;
unsigned long nr_active_anon, nr_inactive_anon, nr_mlock, nr_swapcache,
	nr_writeback;
long vm_committed_pages;
/* Linux's names; vm/swapfile.c keeps them as areas come and go */
unsigned long total_swap_pages;
long nr_swap_pages;
int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = 50;

/* Linux's vm_commit_limit() without hugetlb: RAM * ratio / 100, plus
 * every active swap area's slots. A negative ratio (Linux accepts one) is
 * no RAM at all, not Linux's wrapped number. */
unsigned long vm_commit_limit(void)
{
	long ratio = sysctl_overcommit_ratio;

	return (ratio <= 0 ? 0
			   : totalram_pages() * (unsigned long)ratio / 100) +
	       total_swap_pages;
}

#define KB(pages) ((pages) * (PAGE_SIZE / 1024))

size_t meminfo_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);
	unsigned long total, free = zone_free_pages(&total);
	unsigned long srec = slab_pages(true), sunrec = slab_pages(false);

	strbuf_printf(&o, "MemTotal:       %8lu kB\n", KB(total));
	strbuf_printf(&o, "MemFree:        %8lu kB\n", KB(free));
	strbuf_printf(&o, "MemAvailable:   %8lu kB\n", KB(mem_available(free)));
	/* no page cache; Linux's Cached leaves the swap cache out */
	strbuf_printf(&o, "Buffers:        %8lu kB\n", 0UL);
	strbuf_printf(&o, "Cached:         %8lu kB\n", 0UL);
	strbuf_printf(&o, "SwapCached:     %8lu kB\n", KB(nr_swapcache));
	strbuf_printf(&o, "Active:         %8lu kB\n", KB(nr_active_anon));
	strbuf_printf(&o, "Inactive:       %8lu kB\n", KB(nr_inactive_anon));
	strbuf_printf(&o, "Active(anon):   %8lu kB\n", KB(nr_active_anon));
	strbuf_printf(&o, "Inactive(anon): %8lu kB\n", KB(nr_inactive_anon));
	strbuf_printf(&o, "Active(file):   %8lu kB\n", 0UL);
	strbuf_printf(&o, "Inactive(file): %8lu kB\n", 0UL);
	strbuf_printf(&o, "Unevictable:    %8lu kB\n", KB(nr_mlock));
	strbuf_printf(&o, "Mlocked:        %8lu kB\n", KB(nr_mlock));
	strbuf_printf(&o, "SwapTotal:      %8lu kB\n", KB(total_swap_pages));
	strbuf_printf(&o, "SwapFree:       %8lu kB\n",
		      KB((unsigned long)nr_swap_pages));
	strbuf_printf(&o, "AnonPages:      %8lu kB\n", KB(nr_anon_pages));
	/* the only reclaimable kernel memory is reclaimable slab */
	strbuf_printf(&o, "KReclaimable:   %8lu kB\n", KB(srec));
	strbuf_printf(&o, "Slab:           %8lu kB\n", KB(srec + sunrec));
	strbuf_printf(&o, "SReclaimable:   %8lu kB\n", KB(srec));
	strbuf_printf(&o, "SUnreclaim:     %8lu kB\n", KB(sunrec));
	strbuf_printf(&o, "PageTables:     %8lu kB\n", KB(nr_page_table_pages));
	strbuf_printf(&o, "CommitLimit:    %8lu kB\n", KB(vm_commit_limit()));
	strbuf_printf(&o, "Committed_AS:   %8ld kB\n",
		      vm_committed_pages * (long)(PAGE_SIZE / 1024));
	strbuf_printf(&o, "VmallocTotal:   %8lu kB\n",
		      (unsigned long)(VMALLOC_END - VMALLOC_START) >> 10);
	strbuf_printf(&o, "VmallocUsed:    %8lu kB\n", KB(nr_vmalloc_pages));
	strbuf_printf(&o, "VmallocChunk:   %8lu kB\n",
		      0UL); /* Linux: always 0 */
	return o.len;
}

/*
 * Linux's /proc/vmstat, in its order: zone counters, node counters, then
 * events. All in pages or counts.
 */
size_t vmstat_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);
	static const char *const lru[] = { "inactive_anon", "active_anon",
					   "inactive_file", "active_file",
					   "unevictable" };

	const unsigned long lru_pages[] = { nr_inactive_anon, nr_active_anon, 0,
					    0, nr_mlock };
	const struct {
		const char *name;
		unsigned long n;
	} events[] = {
		{ "pswpin", vm_events.pswpin },
		{ "pswpout", vm_events.pswpout },
		{ "pgfault", vm_events.pgfault },
		{ "pgmajfault", vm_events.pgmajfault },
		{ "pgactivate", vm_events.pgactivate },
		{ "pgdeactivate", vm_events.pgdeactivate },
		{ "pgrotated", vm_events.pgrotated },
		{ "pgsteal_kswapd", vm_events.pgsteal_kswapd },
		{ "pgsteal_direct", vm_events.pgsteal_direct },
		{ "pgscan_kswapd", vm_events.pgscan_kswapd },
		{ "pgscan_direct", vm_events.pgscan_direct },
		{ "pgsteal_anon",
		  vm_events.pgsteal_kswapd + vm_events.pgsteal_direct },
		{ "pgscan_anon",
		  vm_events.pgscan_kswapd + vm_events.pgscan_direct },
		{ "drop_pagecache", vm_events.drop_pagecache },
		{ "drop_slab", vm_events.drop_slab },
		{ "oom_kill", vm_events.oom_kill },
		{ "pageoutrun", vm_events.pageoutrun },
		{ "allocstall_normal", direct_reclaims },
		{ "unevictable_pgs_mlocked",
		  vm_events.unevictable_pgs_mlocked },
		{ "unevictable_pgs_munlocked",
		  vm_events.unevictable_pgs_munlocked },
		{ "swap_ra", vm_events.swap_ra },
		{ "swap_ra_hit", vm_events.swap_ra_hit },
	};

	strbuf_printf(&o, "nr_free_pages %lu\n", zone_free_pages(NULL));
	for (size_t i = 0; i < sizeof(lru) / sizeof(lru[0]); i++)
		strbuf_printf(&o, "nr_zone_%s %lu\n", lru[i], lru_pages[i]);
	strbuf_printf(&o, "nr_mlock %lu\n", nr_mlock);
	for (size_t i = 0; i < sizeof(lru) / sizeof(lru[0]); i++)
		strbuf_printf(&o, "nr_%s %lu\n", lru[i], lru_pages[i]);
	strbuf_printf(&o, "nr_slab_reclaimable %lu\n", slab_pages(true));
	strbuf_printf(&o, "nr_slab_unreclaimable %lu\n", slab_pages(false));
	strbuf_printf(&o, "nr_anon_pages %lu\n", nr_anon_pages);
	strbuf_printf(&o, "nr_writeback %lu\n", nr_writeback);
	strbuf_printf(&o, "nr_swapcached %lu\n", nr_swapcache);
	strbuf_printf(&o, "nr_page_table_pages %lu\n", nr_page_table_pages);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		strbuf_printf(&o, "%s %lu\n", events[i].name, events[i].n);
	return o.len;
}

/*
 * Linux's show_free_areas() head: node-wide counts in pages.
 */
size_t oom_meminfo_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);
	unsigned long free = zone_free_pages(NULL);

	strbuf_printf(&o, "Mem-Info:\n");
	strbuf_printf(&o,
		      "active_anon:%lu inactive_anon:%lu isolated_anon:0\n"
		      " active_file:0 inactive_file:0 isolated_file:0\n"
		      " unevictable:%lu dirty:0 writeback:%lu\n"
		      " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
		      " mapped:0 shmem:0 pagetables:%lu\n"
		      " sec_pagetables:0 bounce:0\n"
		      " kernel_misc_reclaimable:0\n"
		      " free:%lu free_pcp:%lu free_cma:0\n",
		      nr_active_anon, nr_inactive_anon, nr_mlock, nr_writeback,
		      slab_pages(true), slab_pages(false), nr_page_table_pages,
		      free, nr_free_pages() - free);
	strbuf_printf(
		&o,
		"Node 0 active_anon:%lukB inactive_anon:%lukB active_file:0kB inactive_file:0kB unevictable:%lukB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:0kB writeback:0kB shmem:0kB writeback_tmp:0kB kernel_stack:0kB pagetables:%lukB sec_pagetables:0kB all_unreclaimable? no\n",
		KB(nr_active_anon), KB(nr_inactive_anon), KB(nr_mlock),
		KB(nr_page_table_pages));
	return o.len;
}

void memstat_print(const char *when)
{
	static char buf[8192];
	static size_t (*const shows[])(char *, size_t) = {
		meminfo_show,	   vmstat_show,	  buddyinfo_show,
		pagetypeinfo_show, zoneinfo_show, fragmentation_show,
		slabinfo_show,
	};
	static const char *const names[] = { "meminfo",	  "vmstat",
					     "buddyinfo", "pagetypeinfo",
					     "zoneinfo",  "extfrag",
					     "slabinfo" };

	if (!nr_nodes)
		return;
	drain_local_pages();
	for (size_t i = 0; i < sizeof(shows) / sizeof(shows[0]); i++) {
		size_t n = shows[i](buf, sizeof(buf));

		printk(LOG_ERR, "memstat: %s: %s\n", when, names[i]);
		console_write(buf, n);
	}
}
