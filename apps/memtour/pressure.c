// SPDX-License-Identifier: MIT
/*
 * apps/memtour/pressure.c - steps 6, 8 and 9, memory running short:
 * swapping (a page sent out with MADV_PAGEOUT and faulted back in, then
 * more memory touched than RAM has free), the overcommit and OOM policy,
 * and /proc/meminfo at the end.
 *
 * Step 6 never fills RAM unless a page was seen leaving it: without swap,
 * or on a system that does not write pages out, that would only end in
 * the OOM killer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memtour.h"

#define PROBE	  (1 * MB)  /* sent out with MADV_PAGEOUT */
#define EXTRA_MAX (32 * MB) /* touched beyond MemAvailable, at most */
#define PROMISE	  (64 * MB) /* step 8's untouched mapping */

/* The first row of /proc/swaps, as "name, size kB, priority", or NULL. */
static const char *first_swap(char *out, size_t size)
{
	const char *t = proc_read("/proc/swaps");
	const char *row = t ? strchr(t, '\n') : NULL;
	char name[64], type[16];
	long kb, used, prio;

	if (!row || sscanf(row + 1, "%63s %15s %ld %ld %ld", name, type, &kb,
			   &used, &prio) != 5)
		return NULL;
	snprintf(out, size, "%s, %ld kB, priority %ld", name, kb, prio);
	return out;
}

/* The counters step 6 follows: /proc/vmstat's, /proc/meminfo's (kB) and
 * /proc/self/status's (kB). -1: the system does not have it. */
static const struct counter {
	const char *name;
	long (*read)(const char *);
} counters[] = {
	{ "pswpout", vmstat },	       { "pswpin", vmstat },
	{ "pgmajfault", vmstat },      { "pgscan_kswapd", vmstat },
	{ "pgscan_direct", vmstat },   { "pgsteal_kswapd", vmstat },
	{ "pgsteal_direct", vmstat },  { "SwapFree", meminfo },
	{ "SwapCached", meminfo },     { "Active(anon)", meminfo },
	{ "Inactive(anon)", meminfo }, { "VmSwap", status },
	{ "VmRSS", status },
};

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

static void sample(long *v)
{
	for (size_t i = 0; i < NCOUNTERS; i++)
		v[i] = counters[i].read(counters[i].name);
}

static void print_delta(const char *name, long before, long after)
{
	if (before < 0 || after < 0)
		printf("  %-15s (not counted)", name);
	else
		printf("  %-15s %+8ld", name, after - before);
}

/* Part one: a page out and back in, by hand. True if pages went out. */
static int pageout_probe(void)
{
	long v0[NCOUNTERS], v1[NCOUNTERS], v2[NCOUNTERS];
	char *p = mmap(NULL, PROBE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc, err;
	size_t bad;

	if (p == MAP_FAILED) {
		printf("  mmap of %ld MiB failed: %s\n", PROBE / MB,
		       errno_name(errno));
		return 0;
	}
	touch_pages(p, PROBE);
	sample(v0);
	rc = madvise(p, PROBE, MADV_PAGEOUT);
	err = rc ? errno : 0;
	sample(v1);
	bad = check_pages(p, PROBE);
	sample(v2);
	printf("  %ld MiB written, then madvise(MADV_PAGEOUT) = %d%s%s:\n",
	       PROBE / MB, rc, rc ? " " : "", rc ? errno_name(err) : "");
	printf("    paged out: pswpout %+ld, VmSwap %+ld kB, VmRSS %+ld kB\n",
	       v1[0] - v0[0], v1[11] - v0[11], v1[12] - v0[12]);
	printf("    read back: pswpin %+ld, pgmajfault %+ld (major faults), "
	       "%zu pages wrong\n",
	       v2[1] - v1[1], v2[2] - v1[2], bad);
	munmap(p, PROBE);
	return v1[0] > v0[0];
}

void step_swap(void)
{
	long v0[NCOUNTERS], v1[NCOUNTERS], v2[NCOUNTERS], avail, extra;
	char area[128];
	size_t len, bad;
	char *p;

	step_begin(
		6, "Swapping",
		"When free pages run short, reclaim takes pages from their "
		"owners: an anonymous page is written to a swap area and its "
		"page-table entry keeps the slot (pswpout counts pages). The next touch is a major fault: the task "
		"waits for the disk (pswpin, pgmajfault). kswapd reclaims "
		"in the background below the low watermark (pgscan_kswapd); "
		"an allocation below min reclaims itself (pgscan_direct). "
		"madvise(MADV_PAGEOUT) asks for a range to go out now.");
	if (!first_swap(area, sizeof(area))) {
		printf("  no swap: /proc/swaps lists no area (make run SWAP=0, "
		       "or swap=none), so\n  anonymous pages cannot leave RAM "
		       "and filling it would call the OOM killer.\n  Step 6 "
		       "stops here.\n");
		return;
	}
	printf("  swap: %s; SwapFree %ld kB; swappiness %ld\n", area,
	       meminfo("SwapFree"), sysctl_vm("swappiness"));
	if (!pageout_probe()) {
		printf("  no page went out (pswpout did not move): this system "
		       "does not write\n  pages to swap, so filling RAM would "
		       "only call the OOM killer. Skipping it.\n");
		return;
	}

	avail = meminfo("MemAvailable");
	extra = meminfo("SwapFree") / 2;
	if (extra > EXTRA_MAX / KB)
		extra = EXTRA_MAX / KB;
	len = (size_t)(avail + extra) * KB;
	printf("  MemAvailable %ld kB: touching %zu MiB, %ld MiB more than "
	       "that\n",
	       avail, len / MB, extra / 1024);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		printf("  mmap of %zu MiB: %s (overcommit_memory %ld); "
		       "skipping\n",
		       len / MB, errno_name(errno),
		       sysctl_vm("overcommit_memory"));
		return;
	}
	sample(v0);
	touch_pages(p, len);
	sample(v1);
	bad = check_pages(p, len);
	sample(v2);
	printf("                    writing  reading back\n");
	for (size_t i = 0; i < NCOUNTERS; i++) {
		print_delta(counters[i].name, v0[i], v1[i]);
		if (v1[i] >= 0 && v2[i] >= 0)
			printf("  %+8ld", v2[i] - v1[i]);
		printf("%s\n", counters[i].read == vmstat ? "" : " kB");
	}
	munmap(p, len);
	printf("  pages wrong after reading back: %zu of %zu; after munmap: "
	       "SwapFree %ld kB\n",
	       bad, len / PAGE_SIZE, meminfo("SwapFree"));
	printf("  still in swap: VmSwap %ld kB, SwapCached %ld kB (the app's "
	       "own, out meanwhile)\n",
	       status("VmSwap"), meminfo("SwapCached"));
}

void step_oom_policy(void)
{
	long mode = sysctl_vm("overcommit_memory");
	long c0, c1, r0, r1, huge_mb;
	char *p, *q;

	step_begin(8, "Overcommit and the OOM killer",
		   "Pages come at the first touch, so the kernel can promise "
		   "more than it has. /proc/sys/vm/overcommit_memory sets how "
		   "much: 0 (heuristic) refuses only a request larger than RAM "
		   "and swap together; 1 refuses nothing; 2 (never) refuses "
		   "once Committed_AS, the private writable memory promised, "
		   "would pass CommitLimit (swap plus overcommit_ratio percent "
		   "of RAM). When a promise falls due and neither free pages "
		   "nor reclaim can keep it, the OOM killer ends the task with "
		   "the worst badness, most often the largest: here the app, "
		   "the only one (apps/oom shows it; this tour does not).");
	printf("  overcommit_memory: %ld (%s), overcommit_ratio: %ld\n", mode,
	       mode == 0   ? "heuristic"
	       : mode == 1 ? "always"
			   : "never",
	       sysctl_vm("overcommit_ratio"));
	c0 = meminfo("Committed_AS");
	r0 = status("VmRSS");
	printf("  CommitLimit: %ld kB, Committed_AS: %ld kB\n",
	       meminfo("CommitLimit"), c0);
	p = mmap(NULL, PROMISE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	c1 = meminfo("Committed_AS");
	r1 = status("VmRSS");
	printf("  mmap %ld MiB, untouched: %s; Committed_AS %+ld kB, VmRSS "
	       "%+ld kB\n",
	       PROMISE / MB, p == MAP_FAILED ? errno_name(errno) : "mapped",
	       c1 - c0, r1 - r0);
	huge_mb = (meminfo("MemTotal") + meminfo("SwapTotal")) / 1024 + 64;
	q = mmap(NULL, (size_t)huge_mb * MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("  mmap %ld MiB (RAM + swap + 64 MiB): %s\n", huge_mb,
	       q == MAP_FAILED ? errno_name(errno) : "mapped");
	if (q != MAP_FAILED)
		munmap(q, (size_t)huge_mb * MB);
	if (p != MAP_FAILED)
		munmap(p, PROMISE);
	printf("  oom_kill so far (/proc/vmstat): %ld\n", vmstat("oom_kill"));
}

void step_meminfo(void)
{
	static const char *const keys[] = {
		"MemTotal",   "MemFree",     "MemAvailable", "AnonPages",
		"Slab",	      "PageTables",  "SwapTotal",    "SwapFree",
		"SwapCached", "CommitLimit", "Committed_AS",
	};

	step_begin(9, "/proc/meminfo at the end",
		   "MemTotal is what the allocator manages, MemFree what is "
		   "free now, MemAvailable what could be had without swapping "
		   "(free pages above the watermarks, plus what reclaim would "
		   "free easily). AnonPages is the app's memory, Slab and "
		   "PageTables the kernel's to keep it. The app's own peak is "
		   "VmHWM in /proc/self/status.");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		printf("  %-14s %8ld kB\n", keys[i], meminfo(keys[i]));
	printf("  VmHWM %ld kB (the app's peak), VmRSS %ld kB now, VmSwap "
	       "%ld kB\n",
	       status("VmHWM"), status("VmRSS"), status("VmSwap"));
}
