// SPDX-License-Identifier: MIT
/*
 * tests/host/zone_model.c - what the allocator makes of a boot's memory
 * map, computed by the allocator itself: the expected values of the
 * `zone:` lines the QEMU scenarios check (tests/zones.py).
 *
 *     zone_model [WORD...] <console.log
 *
 * Reads a pagoda boot console on stdin: the memory map it printed (the
 * lines after "memory map (device tree):": memory ranges with their
 * nodes, the tree's reservations, the image, the tree, the initrd), its
 * bootargs (mem=, min_free_kbytes=; a WORD on the command line overrides
 * the console's, e.g. min_free_kbytes=4096) and its `zone:` lines. Then
 * it does what boot/main.c memory_init() does, on the simulated machine of
 * tests/host/machine.c: memblock_from_platform() (boot/memory.c),
 * memmap_init() and zones_init() (alloc/). It prints, one line each:
 *
 *     page kib=4
 *     memory mib=256 nodes=1
 *     zone node=0 name=DMA32 first=0x80000 last=0x8ffff present=65536
 *          managed=64470 min=... low=... high=...
 *
 * `memory` is the summary memory_init() prints: memblock's total in MiB
 * and the nodes. A zone line for every zone with pages: its span,
 * present pages, and managed, the pages this machine gives the buddy
 * allocator. The image gives fewer: it also takes the vmemmap (and its
 * page tables) from memblock first, which the host machine has no need
 * of; so managed is an upper bound. The watermarks are setup_watermarks()
 * (alloc/zone.c) over the managed pages of the console's `zone:` lines,
 * the image's own (over this machine's when the console has none).
 *
 * Exit status 0, or 2 with "zone_model: ..." on stderr: no memory map on
 * stdin, a bad line, a bootargs value the image refuses, no memory left.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "tests/host/machine.h"

#define LINE_MAX_LEN   1024
#define MAX_ZONE_LINES (MAX_NUMNODES * MAX_NR_ZONES)

static struct platform plat;
static uint64_t image_pa, image_size, fdt_pa;
static char cmdline[BOOTARGS_MAX_LEN];

/* The console's zone: lines */
static struct {
	unsigned int node;
	char name[16];
	unsigned long managed;
} printed[MAX_ZONE_LINES];
static unsigned int nr_printed;

static _Noreturn void refuse(const char *fmt, const char *what)
{
	fprintf(stderr, "zone_model: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\n");
	exit(2);
}

/* "[    0.001] memory    0x0080000000-0x008fffffff 256 MiB  node 0" */
static bool memory_map_line(const char *line)
{
	const char *s = strchr(line, ']');
	char kind[16], note[128] = "";
	uint64_t base, last;
	int used = 0;

	if (!s ||
	    sscanf(s + 1, " %15s 0x%" SCNx64 "-0x%" SCNx64 " %*u %*s%n", kind,
		   &base, &last, &used) != 3 ||
	    !used || last < base)
		return false;
	sscanf(s + 1 + used, " %127[^\n]", note);
	if (!strcmp(kind, "memory")) {
		const char *node = strstr(note, "node ");

		if (!node || plat.nr_memory == PLATFORM_MAX_MEMORY)
			refuse("bad memory line: %s", line);
		plat.memory[plat.nr_memory++] =
			(struct mem_range){ base, last - base + 1,
					    (uint32_t)atoi(node + 5) };
	} else if (!strcmp(kind, "reserved")) {
		struct reserved_range *r = &plat.reserved[plat.nr_reserved];

		if (plat.nr_reserved == PLATFORM_MAX_RESERVED)
			refuse("too many reserved lines: %s", line);
		r->base = base;
		r->size = last - base + 1;
		r->no_map = strstr(note, "(no-map)") != NULL;
		snprintf(r->name, sizeof(r->name), "%s", note);
		plat.nr_reserved++;
	} else if (!strcmp(kind, "image")) {
		image_pa = base;
		image_size = last - base + 1;
	} else if (!strcmp(kind, "fdt")) {
		fdt_pa = base;
		plat.fdt_size = (uint32_t)(last - base + 1);
	} else if (!strcmp(kind, "initrd")) {
		plat.initrd_start = base;
		plat.initrd_end = last + 1;
	} else {
		return false;
	}
	return true;
}

/* "... zone: node 0 DMA32  pfn 0x80000-0x8ffff managed 64470 pages, ..." */
static void zone_line(const char *line)
{
	const char *s = strstr(line, "zone: node ");

	if (s && nr_printed < MAX_ZONE_LINES &&
	    sscanf(s, "zone: node %u %15s pfn 0x%*x-0x%*x managed %lu",
		   &printed[nr_printed].node, printed[nr_printed].name,
		   &printed[nr_printed].managed) == 3)
		nr_printed++;
}

static void read_console(FILE *in)
{
	char line[LINE_MAX_LEN];
	bool in_map = false, seen_map = false;

	while (fgets(line, sizeof(line), in)) {
		const char *b = strstr(line, "; bootargs: \"");

		line[strcspn(line, "\r\n")] = '\0';
		if (in_map && memory_map_line(line))
			continue;
		in_map = false;
		if (strstr(line, "memory map (device tree):")) {
			in_map = seen_map = true;
		} else if (b) {
			const char *start = b + strlen("; bootargs: \"");
			const char *end = strrchr(start, '"');

			if (!end || end - start >= (long)sizeof(cmdline))
				refuse("bad bootargs line: %s", line);
			memcpy(cmdline, start, (size_t)(end - start));
			cmdline[end - start] = '\0';
		} else {
			zone_line(line);
		}
	}
	if (!seen_map || !plat.nr_memory)
		refuse("%s",
		       "no 'memory map (device tree):' with memory lines");
}

/* The managed pages the console printed for z, 0 if none. */
static unsigned long printed_managed(const struct zone *z)
{
	for (unsigned int i = 0; i < nr_printed; i++)
		if (printed[i].node == z->node &&
		    !strcmp(printed[i].name, z->name))
			return printed[i].managed;
	return 0;
}

/* key's value from the command line's words, else from the console's */
static const struct bootargs *holder(const struct bootargs *over,
				     const struct bootargs *boot,
				     const char *key)
{
	return bootargs_has(over, key) ? over : boot;
}

int main(int argc, char **argv)
{
	static struct bootargs boot, over;
	static unsigned long own[MAX_NUMNODES][MAX_NR_ZONES];
	char words[BOOTARGS_MAX_LEN] = "";
	const char *why = "";
	uint64_t mem_limit = 0, total;
	long min_free_kbytes_arg = 0;
	int err;

	for (int i = 1; i < argc; i++)
		if (strlen(words) + strlen(argv[i]) + 2 < sizeof(words)) {
			strcat(words, argv[i]);
			strcat(words, " ");
		}
	read_console(stdin);
	if (bootargs_parse(&boot, cmdline, &why) ||
	    bootargs_parse(&over, words, &why))
		refuse("bootargs: %s", why);
	err = bootargs_get_size(holder(&over, &boot, "mem"), "mem", &mem_limit);
	if (err == -EINVAL)
		refuse("%s", "mem= is no size");
	err = bootargs_get_long(holder(&over, &boot, "min_free_kbytes"),
				"min_free_kbytes", &min_free_kbytes_arg);
	if (err == -EINVAL || min_free_kbytes_arg < 0)
		refuse("%s", "min_free_kbytes= is no number of KiB");

	/* boot/main.c memory_init(), but for vmemmap_populate() */
	machine_reset();
	if (memblock_from_platform(&memblock, &plat, image_pa, image_size,
				   fdt_pa, mem_limit))
		refuse("%s", "memblock_from_platform failed");
	total = memblock_total(&memblock.memory);
	if (machine_start((unsigned long)min_free_kbytes_arg))
		refuse("%s", "zones_init failed");

	/* the watermarks over the image's managed pages, if it printed any */
	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = zone_of(n, t);

			own[n][t] = z->managed_pages;
			if (nr_printed)
				z->managed_pages = printed_managed(z);
		}
	setup_watermarks((unsigned long)min_free_kbytes_arg);
	/* sysctl.vm.NAME=V, which the image writes after zones_init() */
	{
		static const char *const keys[] = {
			"sysctl.vm.min_free_kbytes",
			"sysctl.vm.watermark_scale_factor"
		};
		int *vars[] = { &min_free_kbytes, &watermark_scale_factor };
		bool any = false;

		for (int i = 0; i < 2; i++) {
			long v;

			err = bootargs_get_long(holder(&over, &boot, keys[i]),
						keys[i], &v);
			if (err == -EINVAL)
				refuse("%s", "a sysctl.vm= value is no number");
			if (!err) {
				*vars[i] = (int)v;
				any = true;
			}
		}
		if (any)
			setup_per_zone_wmarks();
	}

	printf("page kib=%lu\n", (unsigned long)(PAGE_SIZE / 1024));
	printf("memory mib=%" PRIu64 " nodes=%u\n", total >> 20, nr_nodes);
	for (unsigned int n = 0; n < nr_nodes; n++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = zone_of(n, t);

			if (!own[n][t])
				continue;
			printf("zone node=%u name=%s first=0x%" PRIx64
			       " last=0x%" PRIx64 " present=%lu managed=%lu "
			       "min=%lu low=%lu high=%lu\n",
			       n, z->name, (uint64_t)z->start_pfn,
			       (uint64_t)(z->start_pfn + z->spanned_pages - 1),
			       (unsigned long)z->present_pages, own[n][t],
			       z->watermark[WMARK_MIN], z->watermark[WMARK_LOW],
			       z->watermark[WMARK_HIGH]);
		}
	return 0;
}
