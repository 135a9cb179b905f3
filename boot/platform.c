// SPDX-License-Identifier: MIT
/*
 * boot/platform.c - the device tree, read once into struct platform.
 *
 * The blob comes from firmware we do not control, so it is checked first:
 * header, sizes, then every tag of the structure block, so that no later
 * libfdt call can run off its end. Then memory, reservations, /chosen, the
 * harts and the devices the runtime drives are read into fixed tables;
 * anything malformed or missing is an error with a message, never a guess.
 */
#include <errno.h>
#include <libfdt.h>
#include <string.h>
#include <strings.h>

#include "boot/internal.h"

static int check_blob(const void *fdt, struct platform *p)
{
	int offset = 0, next, depth = 0, err;
	uint32_t tag;

	if (!fdt)
		return platform_fail(p, -EINVAL, "no device tree was passed");
	if (fdt_magic(fdt) != FDT_MAGIC)
		return platform_fail(p, -EINVAL,
				     "bad magic 0x%08x: not a device tree",
				     fdt_magic(fdt));
	if (fdt_totalsize(fdt) > PLATFORM_MAX_FDT_SIZE)
		return platform_fail(p, -EINVAL,
				     "totalsize %u bytes is not believable",
				     fdt_totalsize(fdt));
	err = fdt_check_header(fdt);
	if (err)
		return platform_fail(p, -EINVAL, "bad header: %s",
				     fdt_strerror(err));
	/* libfdt loads whole words from these blocks: the spec aligns them */
	if (fdt_off_dt_struct(fdt) % 4 || fdt_off_mem_rsvmap(fdt) % 8)
		return platform_fail(
			p, -EINVAL,
			"bad header: misaligned structure or reservation block");

	do {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0)
			return platform_fail(p, -EINVAL,
					     "structure block offset %d: %s",
					     offset, fdt_strerror(next));
		if (tag == FDT_BEGIN_NODE) {
			if (!fdt_get_name(fdt, offset, NULL))
				return platform_fail(
					p, -EINVAL,
					"node at offset %d: bad name", offset);
			depth++;
		} else if (tag == FDT_END_NODE) {
			if (--depth < 0)
				return platform_fail(p, -EINVAL,
						     "unbalanced end of node");
		} else if (tag == FDT_PROP) {
			const char *name;
			int len;

			if (!fdt_getprop_by_offset(fdt, offset, &name, &len) ||
			    !name)
				return platform_fail(
					p, -EINVAL, "property at offset %d: %s",
					offset, fdt_strerror(len));
			/* a length near 2^32 wraps libfdt's offsets: the walk may loop */
			if (len < 0)
				return platform_fail(
					p, -EINVAL,
					"property at offset %d: length 0x%x",
					offset, (unsigned int)len);
		}
		offset = next;
	} while (tag != FDT_END);
	if (depth)
		return platform_fail(p, -EINVAL, "%d nodes left open", depth);
	return 0;
}

static int add_memory(struct platform *p, uint64_t base, uint64_t size,
		      uint32_t node)
{
	unsigned int i;

	if (p->nr_memory == PLATFORM_MAX_MEMORY)
		return platform_fail(p, -E2BIG, "more than %d memory ranges",
				     PLATFORM_MAX_MEMORY);
	/* keep sorted by base */
	for (i = p->nr_memory; i > 0 && p->memory[i - 1].base > base; i--)
		p->memory[i] = p->memory[i - 1];
	p->memory[i] = (struct mem_range){ base, size, node };
	p->nr_memory++;
	return 0;
}

/* Read numa-node-id (0 without one) and count the node. */
static int read_node_id(const void *fdt, int node, uint32_t *nid,
			struct platform *p)
{
	if (fdt_u32_prop(fdt, node, "numa-node-id", 0, nid))
		return platform_fail(p, -EINVAL, "%s: bad numa-node-id",
				     fdt_get_name(fdt, node, NULL));
	if (*nid >= PLATFORM_MAX_NODES)
		return platform_fail(p, -E2BIG, "%s: numa-node-id %u, limit %d",
				     fdt_get_name(fdt, node, NULL), *nid,
				     PLATFORM_MAX_NODES);
	if (*nid + 1 > p->nr_nodes)
		p->nr_nodes = *nid + 1;
	return 0;
}

static int read_memory(const void *fdt, struct platform *p)
{
	int node, err;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		const char *type = fdt_string_prop(fdt, node, "device_type");
		uint32_t nid;

		if (!type || strcmp(type, "memory") ||
		    !fdt_node_enabled(fdt, node))
			continue;
		if ((err = read_node_id(fdt, node, &nid, p)))
			return err;
		for (int i = 0;; i++) {
			uint64_t base, size;

			err = fdt_read_reg(fdt, node, i, &base, &size, p);
			if (err == -ENOENT)
				break;
			if (err)
				return err;
			if (size && (err = add_memory(p, base, size, nid)))
				return err;
		}
	}
	if (!p->nr_memory)
		return platform_fail(p, -ENODEV, "no memory node with a size");
	for (unsigned int i = 1; i < p->nr_memory; i++)
		if (p->memory[i].base - p->memory[i - 1].base <
		    p->memory[i - 1].size)
			return platform_fail(
				p, -EINVAL,
				"memory ranges at 0x%llx and 0x%llx overlap",
				(unsigned long long)p->memory[i - 1].base,
				(unsigned long long)p->memory[i].base);
	return 0;
}

static int add_reserved(struct platform *p, uint64_t base, uint64_t size,
			bool no_map, const char *name)
{
	struct reserved_range *r;

	if (!size)
		return 0;
	if (base + size - 1 < base)
		return platform_fail(p, -EINVAL, "%s: range wraps past 2^64",
				     name);
	if (p->nr_reserved == PLATFORM_MAX_RESERVED)
		return platform_fail(p, -E2BIG, "more than %d reserved ranges",
				     PLATFORM_MAX_RESERVED);
	r = &p->reserved[p->nr_reserved++];
	*r = (struct reserved_range){ .base = base,
				      .size = size,
				      .no_map = no_map };
	strncpy(r->name, name, sizeof(r->name) - 1);
	return 0;
}

static int read_reserved(const void *fdt, struct platform *p)
{
	int n = fdt_num_mem_rsv(fdt), parent, node, err;

	if (n < 0)
		return platform_fail(p, -EINVAL, "memory reservation block: %s",
				     fdt_strerror(n));
	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size))
			return platform_fail(p, -EINVAL, "/memreserve/ %d", i);
		if ((err = add_reserved(p, base, size, false, "memreserve")))
			return err;
	}

	parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent < 0)
		return 0;
	fdt_for_each_subnode (node, fdt, parent) {
		const char *name = fdt_get_name(fdt, node, NULL);
		bool no_map = fdt_getprop(fdt, node, "no-map", NULL) != NULL;

		if (!fdt_node_enabled(fdt, node))
			continue;
		/* Regions without reg are placed by an OS allocator: none here. */
		for (int i = 0;; i++) {
			uint64_t base, size;

			err = fdt_read_reg(fdt, node, i, &base, &size, p);
			if (err == -ENOENT)
				break;
			if (err)
				return err;
			if ((err = add_reserved(p, base, size, no_map, name)))
				return err;
		}
	}
	return 0;
}

static int read_chosen(const void *fdt, struct platform *p)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len, err;
	const void *seed;

	p->bootargs = "";
	if (chosen < 0)
		return 0;
	if (fdt_getprop(fdt, chosen, "bootargs", NULL)) {
		p->bootargs = fdt_string_prop(fdt, chosen, "bootargs");
		if (!p->bootargs)
			return platform_fail(
				p, -EINVAL, "/chosen/bootargs is not a string");
	}
	seed = fdt_getprop(fdt, chosen, "rng-seed", &len);
	if (seed && len > 0) {
		p->rng_seed = seed;
		p->rng_seed_len = (uint32_t)len;
	}
	err = fdt_u64_prop(fdt, chosen, "linux,initrd-start", &p->initrd_start);
	if (err == 0)
		err = fdt_u64_prop(fdt, chosen, "linux,initrd-end",
				   &p->initrd_end);
	if (err == -EINVAL || (err == 0 && p->initrd_end < p->initrd_start))
		return platform_fail(p, -EINVAL, "/chosen: bad initrd range");
	if (err)
		p->initrd_start = p->initrd_end = 0;
	return 0;
}

/* Does a riscv,isa string like "rv64imafdc_zicsr_sstc" name the extension? */
static bool isa_has(const char *isa, const char *ext)
{
	size_t n = strlen(ext);

	for (const char *s = strchr(isa, '_'); s; s = strchr(s + 1, '_'))
		if (!strncasecmp(s + 1, ext, n) &&
		    (s[n + 1] == '_' || !s[n + 1]))
			return true;
	return false;
}

/*
 * The single-letter extensions of a hart, one bit each at (letter - 'a'),
 * as Linux's AT_HWCAP: from riscv,isa ("rv64imafdc_zicsr...": the letters
 * after rv64 up to the first '_'; 'g' is imafd) or, if the node has it,
 * riscv,isa-extensions ("i", "m", "a", "f", "d", "c", ...).
 */
static uint32_t hart_isa_letters(const void *fdt, int node, const char *isa)
{
	uint32_t bits = 0;
	const char *ext;
	int len, n;

	if (isa && !strncasecmp(isa, "rv64", 4))
		for (const char *s = isa + 4; *s && *s != '_'; s++) {
			char c = (char)(*s | 0x20); /* lower case */

			if (c == 'g')
				bits |= ISA_BIT('i') | ISA_BIT('m') |
					ISA_BIT('a') | ISA_BIT('f') |
					ISA_BIT('d');
			else if (c >= 'a' && c <= 'z')
				bits |= ISA_BIT(c);
		}
	n = fdt_stringlist_count(fdt, node, "riscv,isa-extensions");
	for (int i = 0; i < n; i++) {
		ext = fdt_stringlist_get(fdt, node, "riscv,isa-extensions", i,
					 &len);
		if (ext && len == 1 && ext[0] >= 'a' && ext[0] <= 'z')
			bits |= ISA_BIT(ext[0]);
	}
	return bits;
}

static int read_hart(const void *fdt, int node, struct platform *p)
{
	struct hart *h;
	const char *mmu, *isa;
	uint64_t hartid;
	int err;

	if (p->nr_harts == PLATFORM_MAX_HARTS)
		return platform_fail(p, -E2BIG, "more than %d harts",
				     PLATFORM_MAX_HARTS);
	err = fdt_read_hartid(fdt, node, &hartid, p);
	if (err == -EINVAL)
		return err;
	if (err || hartid > UINT32_MAX)
		return platform_fail(p, -EINVAL, "%s: bad reg (hart id)",
				     fdt_get_name(fdt, node, NULL));
	h = &p->harts[p->nr_harts++];
	h->hartid = (uint32_t)hartid;
	h->enabled = fdt_node_enabled(fdt, node);
	mmu = fdt_string_prop(fdt, node, "mmu-type");
	h->sv39 = mmu &&
		  (!strcmp(mmu, "riscv,sv39") || !strcmp(mmu, "riscv,sv48") ||
		   !strcmp(mmu, "riscv,sv57"));
	isa = fdt_string_prop(fdt, node, "riscv,isa");
	h->sstc = (isa && isa_has(isa, "sstc")) ||
		  fdt_stringlist_search(fdt, node, "riscv,isa-extensions",
					"sstc") >= 0;
	h->isa = hart_isa_letters(fdt, node, isa);
	return read_node_id(fdt, node, &h->node, p);
}

static int read_cpus(const void *fdt, uint32_t boot_hartid, struct platform *p)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, err;
	uint32_t tb = 0;
	bool found = false;

	if (cpus < 0)
		return platform_fail(p, -ENODEV, "no /cpus node");
	if (fdt_u32_prop(fdt, cpus, "timebase-frequency", 0, &tb))
		return platform_fail(p, -EINVAL,
				     "/cpus: bad timebase-frequency");
	fdt_for_each_subnode (node, fdt, cpus) {
		const char *type = fdt_string_prop(fdt, node, "device_type");

		if (!type || strcmp(type, "cpu"))
			continue;
		if ((err = read_hart(fdt, node, p)))
			return err;
		if (p->harts[p->nr_harts - 1].hartid != boot_hartid)
			continue;
		found = true;
		p->boot_hart = p->nr_harts - 1;
		if (!tb &&
		    fdt_u32_prop(fdt, node, "timebase-frequency", 0, &tb))
			return platform_fail(p, -EINVAL,
					     "%s: bad timebase-frequency",
					     fdt_get_name(fdt, node, NULL));
	}
	if (!found)
		return platform_fail(p, -ENODEV, "boot hart %u is not in /cpus",
				     boot_hartid);
	if (!tb)
		return platform_fail(p, -ENODEV, "no timebase-frequency");
	p->timebase_hz = tb;
	return 0;
}

static int read_device(const void *fdt, int node, struct mmio_device *d,
		       struct platform *p)
{
	int len, err = fdt_read_reg(fdt, node, 0, &d->base, &d->size, p);
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);

	if (err == -ENOENT)
		return platform_fail(p, -EINVAL, "%s: no reg",
				     fdt_get_name(fdt, node, NULL));
	if (err)
		return err;
	d->irq = irq && len >= 4 ? fdt32_to_cpu(irq[0]) : 0;
	return 0;
}

static int read_uart(const void *fdt, struct platform *p)
{
	static const char *const compatible[] = { "ns16550a", "ns16550",
						  "snps,dw-apb-uart" };
	int chosen = fdt_path_offset(fdt, "/chosen"), node, err;
	const char *path;
	size_t len;

	path = chosen >= 0 ? fdt_string_prop(fdt, chosen, "stdout-path") : NULL;
	if (!path)
		return 0;
	len = strcspn(path,
		      ":"); /* "serial0:115200n8" names options after ':' */
	/* libfdt follows an alias naming an alias without end: want a path */
	if (path[0] != '/') {
		int aliases = fdt_path_offset(fdt, "/aliases"), alen = 0;
		const char *alias = NULL;

		if (aliases >= 0)
			alias = fdt_getprop_namelen(fdt, aliases, path,
						    (int)strcspn(path, ":/"),
						    &alen);
		if (!alias || alen < 2 || alias[0] != '/' || alias[alen - 1])
			return 0;
	}
	node = fdt_path_offset_namelen(fdt, path, (int)len);
	if (node < 0)
		return 0; /* a dangling stdout-path: stay on the SBI console */
	for (size_t i = 0; i < sizeof(compatible) / sizeof(compatible[0]);
	     i++) {
		if (fdt_node_check_compatible(fdt, node, compatible[i]))
			continue;
		if ((err = read_device(fdt, node, &p->uart.mmio, p)))
			return err;
		if (fdt_u32_prop(fdt, node, "reg-shift", 0,
				 &p->uart.reg_shift) ||
		    fdt_u32_prop(fdt, node, "reg-io-width", 1,
				 &p->uart.reg_io_width) ||
		    fdt_u32_prop(fdt, node, "clock-frequency", 0,
				 &p->uart.clock_hz) ||
		    p->uart.reg_shift > 4 ||
		    (p->uart.reg_io_width != 1 && p->uart.reg_io_width != 4))
			return platform_fail(
				p, -EINVAL, "%s: bad reg-shift or reg-io-width",
				fdt_get_name(fdt, node, NULL));
		p->has_uart = true;
		break;
	}
	return 0;
}

/* The first enabled node compatible with any of the names, or -1. */
static int find_compatible(const void *fdt, const char *const *names, int n)
{
	for (int i = 0; i < n; i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, names[i]);

		for (; node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, names[i]))
			if (fdt_node_enabled(fdt, node))
				return node;
	}
	return -1;
}

static int read_devices(const void *fdt, struct platform *p)
{
	static const char *const plic[] = { "riscv,plic0",
					    "sifive,plic-1.0.0" };
	static const char *const test[] = { "sifive,test0" };
	static const char *const rtc[] = { "google,goldfish-rtc" };
	int node, err;

	if ((err = read_uart(fdt, p)))
		return err;
	node = find_compatible(fdt, plic, 2);
	if (node >= 0) {
		if ((err = read_device(fdt, node, &p->plic, p)))
			return err;
		if (fdt_u32_prop(fdt, node, "riscv,ndev", 0, &p->plic_ndev))
			return platform_fail(p, -EINVAL,
					     "plic: bad riscv,ndev");
		p->has_plic = true;
	}
	node = find_compatible(fdt, test, 1);
	if (node >= 0) {
		if ((err = read_device(fdt, node, &p->test_device, p)))
			return err;
		p->has_test_device = true;
	}
	node = find_compatible(fdt, rtc, 1);
	if (node >= 0) {
		if ((err = read_device(fdt, node, &p->rtc, p)))
			return err;
		p->has_rtc = true;
	}
	for (node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio");
	     node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio")) {
		if (!fdt_node_enabled(fdt, node))
			continue;
		if (p->nr_virtio == PLATFORM_MAX_VIRTIO)
			return platform_fail(p, -E2BIG,
					     "more than %d virtio devices",
					     PLATFORM_MAX_VIRTIO);
		if ((err = read_device(fdt, node, &p->virtio[p->nr_virtio++],
				       p)))
			return err;
	}
	return 0;
}

int platform_parse(const void *fdt, uint32_t boot_hartid, struct platform *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	if ((err = check_blob(fdt, p)))
		return err;
	p->fdt = fdt;
	p->fdt_size = fdt_totalsize(fdt);
	if ((err = read_memory(fdt, p)) || (err = read_reserved(fdt, p)) ||
	    (err = read_chosen(fdt, p)) ||
	    (err = read_cpus(fdt, boot_hartid, p)) ||
	    (err = read_devices(fdt, p)))
		return err;
	return 0;
}
