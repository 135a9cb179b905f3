// SPDX-License-Identifier: MIT
/*
 * apps/memtour/physical.c - steps 1 to 3, the machine's side: the memory
 * map as the zones see it, the zones' watermarks and the buddy allocator's
 * free blocks, and the slab caches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memtour.h"

#define MAX_ZONES 8
#define MAX_ORDER 11

/* One zone of /proc/zoneinfo, in pages (start_pfn: a page frame number). */
struct zone_info {
	int node;
	char name[16];
	long free, min, low, high, spanned, present, managed, start_pfn;
};

static int read_zones(struct zone_info *z)
{
	const char *t = proc_read("/proc/zoneinfo");
	int n = -1;

	while (t && *t) {
		const char *end = strchr(t, '\n');
		char name[16];
		int node;

		if (sscanf(t, "Node %d, zone %15s", &node, name) == 2) {
			if (++n == MAX_ZONES)
				return n;
			memset(&z[n], 0, sizeof(z[n]));
			z[n].node = node;
			strcpy(z[n].name, name);
		} else if (n >= 0) {
			const char *s = t + strspn(t, " ");
			static const struct {
				const char *key;
				size_t off;
			} keys[] = {
				{ "pages free",
				  offsetof(struct zone_info, free) },
				{ "min", offsetof(struct zone_info, min) },
				{ "low", offsetof(struct zone_info, low) },
				{ "high", offsetof(struct zone_info, high) },
				{ "spanned",
				  offsetof(struct zone_info, spanned) },
				{ "present",
				  offsetof(struct zone_info, present) },
				{ "managed",
				  offsetof(struct zone_info, managed) },
				{ "start_pfn:",
				  offsetof(struct zone_info, start_pfn) },
			};

			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]);
			     k++) {
				size_t len = strlen(keys[k].key);

				if (!strncmp(s, keys[k].key, len) &&
				    s[len] == ' ') {
					*(long *)((char *)&z[n] + keys[k].off) =
						strtol(s + len, NULL, 10);
					break;
				}
			}
		}
		t = end ? end + 1 : NULL;
	}
	return n + 1;
}

void step_memory_map(void)
{
	struct zone_info z[MAX_ZONES];
	int n = read_zones(z);
	long managed = 0;

	step_begin(
		1, "The memory map",
		"The firmware hands the kernel a device tree: its memory "
		"nodes say where RAM is, and its reservations what to keep "
		"off (OpenSBI's own memory, the tree itself). The boot log "
		"above printed that map. An app never sees physical "
		"addresses; it sees the map through /proc: each zone of "
		"/proc/zoneinfo spans a physical range (start_pfn, spanned "
		"pages), and MemTotal in /proc/meminfo counts the pages the "
		"allocator manages. What a zone spans but does not manage "
		"went to the firmware, the kernel image and the struct pages "
		"(64 bytes for each 4 kB page).");
	for (int i = 0; i < n; i++) {
		unsigned long first = (unsigned long)z[i].start_pfn;
		unsigned long last = first + (unsigned long)z[i].spanned - 1;

		printf("  node %d zone %s: 0x%010lx-0x%010lx, pfn 0x%lx-0x%lx, "
		       "%ld MiB\n",
		       z[i].node, z[i].name, first * PAGE_SIZE,
		       (last + 1) * PAGE_SIZE - 1, first, last,
		       z[i].spanned * PAGE_SIZE / MB);
		printf("    present %ld pages, managed %ld: %ld pages (%ld kB) "
		       "kept back\n",
		       z[i].present, z[i].managed, z[i].present - z[i].managed,
		       (z[i].present - z[i].managed) * 4);
		managed += z[i].managed;
	}
	printf("  zones: %d, managing %ld pages = %ld kB\n", n, managed,
	       managed * 4);
	printf("  MemTotal: %ld kB\n", meminfo("MemTotal"));
	printf("  sysconf(_SC_PHYS_PAGES): %ld pages of %ld bytes\n",
	       sysconf(_SC_PHYS_PAGES), sysconf(_SC_PAGESIZE));
}

/* The free blocks of each order in the buddyinfo line of zone i. */
static int buddy_counts(int node, const char *zone, long *count)
{
	const char *t = proc_read("/proc/buddyinfo");

	while (t && *t) {
		const char *end = strchr(t, '\n');
		char name[16];
		int nd, used;

		if (sscanf(t, "Node %d, zone %15s%n", &nd, name, &used) == 2 &&
		    nd == node && !strcmp(name, zone)) {
			char *p = (char *)t + used;

			for (int o = 0; o < MAX_ORDER; o++)
				count[o] = strtol(p, &p, 10);
			return 0;
		}
		t = end ? end + 1 : NULL;
	}
	return -1;
}

void step_zones(void)
{
	struct zone_info z[MAX_ZONES];
	int n = read_zones(z);
	long mins = 0;

	step_begin(
		2, "Zones, watermarks and the buddy allocator",
		"Pages are grouped in zones by who can reach them: DMA32 "
		"below 4 GiB, Normal above it. Each zone has three "
		"watermarks, set from min_free_kbytes: when its free pages "
		"drop below low, kswapd reclaims in the background until "
		"they are back above high; below min, the allocating task "
		"must reclaim itself (direct reclaim) before it gets a page. "
		"Free pages sit in the buddy allocator as blocks of 2^order "
		"pages, order 0 (4 kB) to 10 (4 MiB); a block splits in two "
		"buddies to serve a smaller request and merges with its "
		"buddy when both are free. /proc/buddyinfo counts the free "
		"blocks of each order.");
	for (int i = 0; i < n; i++) {
		long count[MAX_ORDER], sum = 0;

		printf("  node %d zone %s: free %ld pages, watermarks min %ld "
		       "low %ld high %ld\n",
		       z[i].node, z[i].name, z[i].free, z[i].min, z[i].low,
		       z[i].high);
		mins += z[i].min;
		if (buddy_counts(z[i].node, z[i].name, count) < 0) {
			printf("    (no buddyinfo line)\n");
			continue;
		}
		printf("    free blocks by order 0..10:");
		for (int o = 0; o < MAX_ORDER; o++) {
			printf(" %ld", count[o]);
			sum += count[o] << o;
		}
		printf("\n    = %ld free pages in blocks (zoneinfo: %ld)\n",
		       sum, z[i].free);
	}
	printf("  min_free_kbytes: %ld kB; the min watermarks add up to "
	       "%ld kB\n",
	       sysctl_vm("min_free_kbytes"), mins * 4);
	printf("  watermark_scale_factor: %ld (low and high sit %ld.%02ld%% "
	       "of a zone above min)\n",
	       sysctl_vm("watermark_scale_factor"),
	       sysctl_vm("watermark_scale_factor") / 100,
	       sysctl_vm("watermark_scale_factor") % 100);
}

/* One slabinfo row: the cache's name, objects in use and in slabs, size. */
struct cache_info {
	char name[32];
	long active, objs, size, slabs, pages_per_slab;
};

static int read_caches(struct cache_info *c, int max)
{
	const char *t = proc_read("/proc/slabinfo");
	int n = 0;

	while (t && *t && n < max) {
		const char *end = strchr(t, '\n');
		long per, tl, tb, ts, as;

		if (*t != '#' && strncmp(t, "slabinfo", 8) &&
		    sscanf(t,
			   "%31s %ld %ld %ld %ld %ld : tunables %ld %ld %ld : "
			   "slabdata %ld %ld",
			   c[n].name, &c[n].active, &c[n].objs, &c[n].size,
			   &per, &c[n].pages_per_slab, &tl, &tb, &ts, &as,
			   &c[n].slabs) == 11)
			n++;
		t = end ? end + 1 : NULL;
	}
	return n;
}

static long cache_active(const char *name)
{
	struct cache_info c[64];
	int n = read_caches(c, 64);

	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return c[i].active;
	return -1;
}

static int by_pages(const void *a, const void *b)
{
	const struct cache_info *x = a, *y = b;
	long px = x->slabs * x->pages_per_slab;
	long py = y->slabs * y->pages_per_slab;

	return px < py ? 1 : px > py ? -1 : strcmp(x->name, y->name);
}

void step_slab(void)
{
	static struct cache_info c[64];
	void *maps[10];
	int n = read_caches(c, 64);
	long before, during, after;

	step_begin(3, "Slab caches",
		   "The kernel's own small objects (a VMA for each mapping, "
		   "the mm of the address space, the buffer of an open /proc "
		   "file) come from slab caches: a cache cuts whole pages into "
		   "objects of one size and keeps the free ones at hand, so "
		   "getting one is a list pop rather than a trip to the buddy "
		   "allocator. kmalloc is a family of caches from 8 B to "
		   "128 kB. /proc/slabinfo lists every cache; Slab in "
		   "/proc/meminfo is the pages they hold.");
	printf("  Slab: %ld kB (SReclaimable %ld kB, SUnreclaim %ld kB) in "
	       "%d caches\n",
	       meminfo("Slab"), meminfo("SReclaimable"), meminfo("SUnreclaim"),
	       n);
	qsort(c, (size_t)n, sizeof(c[0]), by_pages);
	printf("  the largest, by pages:\n");
	for (int i = 0; i < n && i < 5; i++)
		printf("    %-16s %5ld of %5ld objects of %6ld B, %ld "
		       "slab%s of %ld page%s\n",
		       c[i].name, c[i].active, c[i].objs, c[i].size, c[i].slabs,
		       c[i].slabs == 1 ? "" : "s", c[i].pages_per_slab,
		       c[i].pages_per_slab == 1 ? "" : "s");

	/* Ten mappings that cannot merge: each is a VMA, one object. */
	before = cache_active("vm_area_struct");
	for (int i = 0; i < 10; i++)
		maps[i] = mmap(NULL, PAGE_SIZE,
			       i % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	during = cache_active("vm_area_struct");
	for (int i = 0; i < 10; i++)
		if (maps[i] != MAP_FAILED)
			munmap(maps[i], PAGE_SIZE);
	after = cache_active("vm_area_struct");
	printf("  10 mmaps of a page, read-only and writable in turn (no "
	       "merging):\n");
	printf("    vm_area_struct objects in use: %ld, then %ld (%+ld), "
	       "%ld after munmap\n",
	       before, during, during - before, after);
}
