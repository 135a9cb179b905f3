// SPDX-License-Identifier: MIT
/*
 * boot/fdt_reg.c - reading properties and "reg" addresses from the tree.
 *
 * A reg entry is #address-cells then #size-cells big-endian 32-bit cells,
 * both taken from the parent node. The address is in the parent bus's
 * space; each bus up to the root maps it with "ranges" entries of
 * (child address, parent address, size), where an empty ranges means the
 * identity and a missing one means the bus is not memory mapped.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "boot/internal.h"

int platform_fail(struct platform *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	return err;
}

bool fdt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	if (!s)
		return true;
	return len >= 2 && (!strncmp(s, "okay", (size_t)len) ||
			    !strncmp(s, "ok", (size_t)len));
}

const char *fdt_string_prop(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s || len < 1 || s[len - 1] != '\0')
		return NULL;
	return s;
}

int fdt_u32_prop(const void *fdt, int node, const char *name, uint32_t def,
		 uint32_t *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v) {
		*out = def;
		return 0;
	}
	if (len != 4)
		return -EINVAL;
	*out = fdt32_to_cpu(*v);
	return 0;
}

/* n big-endian cells as one number; more than 64 bits must be leading 0s. */
static int read_cells(const fdt32_t *cells, int n, uint64_t *out)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++) {
		if (v >> 32)
			return -EINVAL;
		v = (v << 32) | fdt32_to_cpu(cells[i]);
	}
	*out = v;
	return 0;
}

int fdt_u64_prop(const void *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v)
		return -ENOENT;
	if (len != 4 && len != 8)
		return -EINVAL;
	return read_cells(v, len / 4, out);
}

/* #address-cells and #size-cells a node gives its children. */
static int child_cells(const void *fdt, int bus, int *ac, int *sc)
{
	*ac = fdt_address_cells(fdt, bus);
	*sc = fdt_size_cells(fdt, bus);
	if (*ac < 1 || *sc < 0)
		return -EINVAL;
	return 0;
}

/* Map addr from the space of bus's children to the space of bus's parent. */
static int translate_one(const void *fdt, int bus, uint64_t *addr,
			 struct platform *p)
{
	int parent = fdt_parent_offset(fdt, bus);
	int ac, sc, pac, psc, len, entry;
	const fdt32_t *r;

	if (parent < 0)
		return 0; /* bus is the root: addresses are physical */
	r = fdt_getprop(fdt, bus, "ranges", &len);
	if (!r)
		return platform_fail(p, -EINVAL,
				     "%s: no ranges, not memory mapped",
				     fdt_get_name(fdt, bus, NULL));
	if (len == 0)
		return 0; /* identity */
	if (child_cells(fdt, bus, &ac, &sc) ||
	    child_cells(fdt, parent, &pac, &psc))
		return platform_fail(p, -EINVAL, "%s: bad #address-cells",
				     fdt_get_name(fdt, bus, NULL));
	entry = (ac + pac + sc) * 4;
	if (len % entry)
		return platform_fail(p, -EINVAL, "%s: ranges length %d",
				     fdt_get_name(fdt, bus, NULL), len);
	for (int off = 0; off < len; off += entry, r += ac + pac + sc) {
		uint64_t child, paddr, size;

		if (read_cells(r, ac, &child) ||
		    read_cells(r + ac, pac, &paddr) ||
		    read_cells(r + ac + pac, sc, &size))
			break;
		if (*addr >= child && *addr - child < size) {
			*addr = *addr - child + paddr;
			return 0;
		}
	}
	return platform_fail(
		p, -EINVAL, "%s: address 0x%llx outside its ranges",
		fdt_get_name(fdt, bus, NULL), (unsigned long long)*addr);
}

static int read_reg(const void *fdt, int node, int i, uint64_t *base,
		    uint64_t *size, bool translate, struct platform *p)
{
	int bus = fdt_parent_offset(fdt, node);
	int ac, sc, len, err;
	const fdt32_t *reg;

	if (bus < 0 || child_cells(fdt, bus, &ac, &sc))
		return platform_fail(p, -EINVAL, "%s: bad #address-cells",
				     fdt_get_name(fdt, node, NULL));
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -ENOENT;
	if (len % ((ac + sc) * 4))
		return platform_fail(
			p, -EINVAL, "%s: reg is %d bytes, not a multiple of %d",
			fdt_get_name(fdt, node, NULL), len, (ac + sc) * 4);
	if (i >= len / ((ac + sc) * 4))
		return -ENOENT;
	reg += i * (ac + sc);
	if (read_cells(reg, ac, base) || read_cells(reg + ac, sc, size))
		return platform_fail(p, -EINVAL, "%s: reg value over 64 bits",
				     fdt_get_name(fdt, node, NULL));
	for (int b = bus; translate && fdt_parent_offset(fdt, b) >= 0;
	     b = fdt_parent_offset(fdt, b)) {
		err = translate_one(fdt, b, base, p);
		if (err)
			return err;
	}
	/* checked once translated: a bus may map the range to the top */
	if (*size && *base + *size - 1 < *base)
		return platform_fail(p, -EINVAL, "%s: reg wraps past 2^64",
				     fdt_get_name(fdt, node, NULL));
	return 0;
}

int fdt_read_reg(const void *fdt, int node, int i, uint64_t *base,
		 uint64_t *size, struct platform *p)
{
	return read_reg(fdt, node, i, base, size, true, p);
}

int fdt_read_hartid(const void *fdt, int node, uint64_t *hartid,
		    struct platform *p)
{
	uint64_t unused;

	return read_reg(fdt, node, 0, hartid, &unused, false, p);
}
