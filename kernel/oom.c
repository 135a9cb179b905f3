// SPDX-License-Identifier: MIT
/*
 * kernel/oom.c - the OOM killer's report, in the shape of Linux's
 * (mm/oom_kill.c dump_header(), show_mem(), dump_tasks(), and the kill
 * line), for when the app's page fault, or a page table for it, finds no
 * memory. There is one task and no swap, so the choice is made: the app
 * is killed (SIGKILL, status 137) after the report, counted in
 * /proc/vmstat's oom_kill.
 *
 *   hello invoked oom-killer: gfp_mask=0x100dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=0
 *   Mem-Info:                                    (vm/vmstat.c)
 *   ...
 *   Node 0 DMA32 free:...kB min:...kB low:...kB high:...kB ... managed:...kB ...
 *   Node 0 DMA32: 3*4kB (M) 1*8kB (U) ... = 1234kB   (alloc/vmstat.c)
 *   Free swap  = 0kB
 *   Total swap = 0kB
 *   [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
 *   [      1]     0     1     2345     1234        61440        0             0 hello
 *   Out of memory: Killed process 1 (hello) total-vm:9380kB, anon-rss:4936kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:60kB oom_score_adj:0
 */
#include <string.h>

#include "alloc/alloc.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* Linux's ___GFP_* bits (include/linux/gfp_types.h, 6.1). */
/* clang-format off */
#define L_GFP_HIGHMEM         0x02u
#define L_GFP_DMA32           0x04u
#define L_GFP_MOVABLE         0x08u
#define L_GFP_RECLAIMABLE     0x10u
#define L_GFP_HIGH            0x20u
#define L_GFP_ZERO            0x100u
#define L_GFP_KSWAPD_RECLAIM  0x800u
#define L_GFP_NOWARN          0x2000u
#define L_GFP_HARDWALL        0x100000u
#define L_GFP_KERNEL          0xcc0u   /* __GFP_RECLAIM | __GFP_IO | __GFP_FS */
#define L_GFP_HIGHUSER_MOVABLE (L_GFP_KERNEL | L_GFP_HARDWALL | \
				L_GFP_HIGHMEM | L_GFP_MOVABLE)
#define L_GFP_ATOMIC          (L_GFP_HIGH | L_GFP_KSWAPD_RECLAIM)
/* clang-format on */

/* pagoda's flags as Linux's would be for the same allocation, and named. */
static unsigned int linux_gfp(gfp_t gfp, char *name, size_t size)
{
	struct strbuf o = strbuf_init(name, size);
	unsigned int l;

	if ((gfp & GFP_USER) == GFP_USER) {
		l = L_GFP_HIGHUSER_MOVABLE;
		strbuf_printf(&o, "GFP_HIGHUSER_MOVABLE");
	} else if (gfp & __GFP_RECLAIM) {
		l = L_GFP_KERNEL;
		strbuf_printf(&o, "GFP_KERNEL");
	} else {
		l = L_GFP_ATOMIC;
		strbuf_printf(&o, "GFP_ATOMIC");
	}
	if (gfp & __GFP_DMA32) {
		l |= L_GFP_DMA32;
		strbuf_printf(&o, "|__GFP_DMA32");
	}
	if (gfp & __GFP_RECLAIMABLE) {
		l |= L_GFP_RECLAIMABLE;
		strbuf_printf(&o, "|__GFP_RECLAIMABLE");
	}
	if ((gfp & __GFP_HIGH) && (gfp & __GFP_RECLAIM)) {
		l |= L_GFP_HIGH;
		strbuf_printf(&o, "|__GFP_HIGH");
	}
	if (gfp & __GFP_ZERO) {
		l |= L_GFP_ZERO;
		strbuf_printf(&o, "|__GFP_ZERO");
	}
	if (gfp & __GFP_NOWARN) {
		l |= L_GFP_NOWARN;
		strbuf_printf(&o, "|__GFP_NOWARN");
	}
	return l;
}

/* Linux's comm: the last component of the path, at most 15 bytes. */
static void app_comm(char *comm, size_t size)
{
	const char *name = vm_app_path && *vm_app_path ? vm_app_path : "app";
	const char *slash = strrchr(name, '/');
	size_t n;

	if (slash)
		name = slash + 1;
	n = strlen(name);
	if (n > size - 1)
		n = size - 1;
	memcpy(comm, name, n);
	comm[n] = '\0';
}

/* Each line of text through printk, as Linux's report prints them. */
static void print_text(const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);

		pr_err("%.*s\n", n, text);
		text += n + (nl != NULL);
	}
}

void oom_report(gfp_t gfp, unsigned int order)
{
	static char buf[4096];
	const struct mm *mm = current_mm;
	unsigned long present = 0, managed = 0;
	unsigned long total_vm = mm ? mm->total_vm : 0, rss = mm ? mm->rss : 0;
	unsigned long pt_bytes = mm ? mm->nr_ptes * PAGE_SIZE : 0;
	const unsigned long kb = PAGE_SIZE / 1024;
	char comm[16], name[96];
	unsigned int lgfp = linux_gfp(gfp, name, sizeof(name));

	vm_events.oom_kill++;
	app_comm(comm, sizeof(comm));
	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			present += nodes[id].zones[t].present_pages;
			managed += nodes[id].zones[t].managed_pages;
		}
	pr_err("%s invoked oom-killer: gfp_mask=0x%x(%s), order=%u, oom_score_adj=0\n",
	       comm, lgfp, name, order);
	oom_meminfo_show(buf, sizeof(buf));
	print_text(buf);
	show_free_areas(buf, sizeof(buf));
	print_text(buf);
	pr_err("0 total pagecache pages\n");
	pr_err("%lu pages in swap cache\n", nr_swapcache);
	pr_err("Free swap  = %lukB\n",
	       (unsigned long)nr_swap_pages * (PAGE_SIZE / 1024));
	pr_err("Total swap = %lukB\n", total_swap_pages * (PAGE_SIZE / 1024));
	pr_err("%lu pages RAM\n", present);
	pr_err("0 pages HighMem/MovableOnly\n");
	pr_err("%lu pages reserved\n", present - managed);
	pr_err("Tasks state (memory values in pages):\n");
	pr_err("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	pr_err("[%7d] %5d %5d %8lu %8lu %8lu %8lu         %5d %s\n", APP_PID, 0,
	       APP_PID, total_vm, rss, pt_bytes, mm ? mm->swapents : 0UL, 0,
	       comm);
	pr_err("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=%s,pid=%d,uid=0\n",
	       comm, APP_PID);
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:%lukB oom_score_adj:0\n",
	       APP_PID, comm, total_vm * kb, rss * kb, pt_bytes >> 10);
}
