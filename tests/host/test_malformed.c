// SPDX-License-Identifier: MIT
/*
 * tests/host/test_malformed.c - platform_parse() on trees it must refuse:
 * each case checks the error code and the message. Damaged blobs (bad
 * header, cut blocks, garbage tags, unbalanced nodes, bad name offsets,
 * wrapping lengths) are made in memory from virt.dtb in buffers of exactly
 * their size, so ASan catches any read past the end; trees that are
 * well-formed but wrong (no memory, overlaps, bad cells, missing hart or
 * timebase, full tables) are libfdt edits of virt. Bad /chosen and
 * device nodes, and hostile-but-valid trees: test_malformed_nodes.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/helpers.h"

#define FDT_HDR_SIZE sizeof(struct fdt_header)

/* virt.dtb with a header word replaced. */
static void *virt_with_header(size_t field, uint32_t value)
{
	void *fdt = dtb_load("virt");

	be32_put(fdt, field, value);
	return fdt;
}

/* Byte offset of the first property of the node at path. */
static size_t first_prop_abs(const void *fdt, const char *path)
{
	int prop = fdt_first_property_offset(fdt, dt_node(fdt, path));

	assert_true(prop >= 0);
	return dt_struct_abs(fdt, prop);
}

/* ---- the header ---- */

static void null_pointer(void **state)
{
	expect_fail(NULL, 0, -EINVAL, "no device tree was passed");
}

static void bad_magic(void **state)
{
	expect_fail(virt_with_header(HDR_MAGIC, 0xd00dfeee), 0, -EINVAL,
		    "bad magic 0xd00dfeee: not a device tree");
	/* a little-endian magic is no better */
	expect_fail(virt_with_header(HDR_MAGIC, 0xedfe0dd0), 0, -EINVAL,
		    "bad magic 0xedfe0dd0");
}

/* Refused before a byte past the header is read: the buffer is small. */
static void totalsize_absurd(void **state)
{
	expect_fail(virt_with_header(HDR_TOTALSIZE, 0xffffffff), 0, -EINVAL,
		    "totalsize 4294967295 bytes is not believable");
	expect_fail(virt_with_header(HDR_TOTALSIZE, PLATFORM_MAX_FDT_SIZE + 1),
		    0, -EINVAL, "totalsize 4194305 bytes is not believable");
}

static void header_offsets_out_of_range(void **state)
{
	static const size_t fields[] = { HDR_OFF_STRUCT, HDR_OFF_STRINGS,
					 HDR_OFF_RSVMAP };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		void *fdt = dtb_load("virt");

		be32_put(fdt, fields[i], fdt_totalsize(fdt) + 8);
		expect_fail(fdt, 0, -EINVAL, "bad header: FDT_ERR_TRUNCATED");
	}
	/* a block that starts inside the header */
	expect_fail(virt_with_header(HDR_OFF_STRUCT, 8), 0, -EINVAL,
		    "bad header: FDT_ERR_TRUNCATED");
	/* sizes that run past the end, or wrap */
	expect_fail(virt_with_header(HDR_SIZE_STRUCT, 0xfffffff0), 0, -EINVAL,
		    "bad header: FDT_ERR_TRUNCATED");
	expect_fail(virt_with_header(HDR_SIZE_STRINGS, 0x10000), 0, -EINVAL,
		    "bad header: FDT_ERR_TRUNCATED");
}

static void header_version_and_alignment(void **state)
{
	void *fdt, *buf;
	size_t size;

	expect_fail(virt_with_header(HDR_VERSION, 1), 0, -EINVAL,
		    "bad header: FDT_ERR_BADVERSION");
	/* a blob at an address that is not 8-byte aligned */
	fdt = dtb_load("virt");
	size = fdt_totalsize(fdt);
	buf = malloc(size + 4);
	assert_non_null(buf);
	memcpy((char *)buf + 4, fdt, size);
	{
		struct platform *p = malloc(sizeof(*p));

		assert_non_null(p);
		assert_int_equal(platform_parse((char *)buf + 4, 0, p),
				 -EINVAL);
		assert_non_null(strstr(p->error, "FDT_ERR_ALIGNMENT"));
		free(p);
	}
	free(buf);
	free(fdt);
}

/*
 * Blocks the spec aligns (structure 4, reservations 8) but the header puts
 * elsewhere: libfdt would load misaligned words from them.
 */
static void header_blocks_misaligned(void **state)
{
	void *fdt = dtb_load("virt");

	/* one byte on, one byte shorter: still inside, now misaligned */
	be32_put(fdt, HDR_OFF_STRUCT, fdt_off_dt_struct(fdt) + 1);
	be32_put(fdt, HDR_SIZE_STRUCT, fdt_size_dt_struct(fdt) - 1);
	expect_fail(fdt, 0, -EINVAL,
		    "bad header: misaligned structure or reservation block");

	fdt = dtb_load("virt");
	be32_put(fdt, HDR_OFF_RSVMAP, fdt_off_mem_rsvmap(fdt) + 4);
	expect_fail(fdt, 0, -EINVAL,
		    "bad header: misaligned structure or reservation block");
}

/* totalsize a little short: the strings block no longer fits. */
static void totalsize_lowered(void **state)
{
	void *fdt = dtb_load("virt");

	be32_put(fdt, HDR_TOTALSIZE, fdt_totalsize(fdt) - 4);
	expect_fail(fdt, 0, -EINVAL, "bad header: FDT_ERR_TRUNCATED");
}

/*
 * virt.dtb cut at every length, in a buffer of exactly that length with
 * totalsize saying so: (a) as is, (b) with the header rewritten to agree
 * (structure block cut at the end, empty strings block), (c) as (b) but as
 * a version 16 blob, whose structure block has no size of its own. Every
 * one must be refused, and ASan checks no byte past the cut is read.
 */
static void every_truncation(void **state)
{
	void *good = dtb_load("virt");
	uint32_t total = fdt_totalsize(good), off_struct;
	struct platform *p = malloc(sizeof(*p));

	assert_non_null(p);
	off_struct = fdt_off_dt_struct(good);
	for (uint32_t n = FDT_HDR_SIZE; n < total; n++) {
		for (int way = 0; way < 3; way++) {
			void *fdt = blob_copy(good, n);
			int err;

			be32_put(fdt, HDR_TOTALSIZE, n);
			if (way > 0 && n >= off_struct) {
				uint32_t sz = fdt_size_dt_struct(good);

				if (sz > n - off_struct)
					sz = n - off_struct;
				be32_put(fdt, HDR_SIZE_STRUCT, sz);
				be32_put(fdt, HDR_OFF_STRINGS, n);
				be32_put(fdt, HDR_SIZE_STRINGS, 0);
			}
			if (way == 2)
				be32_put(fdt, HDR_VERSION, 16);
			err = platform_parse(fdt, 0, p);
			if (err != -EINVAL || !p->error[0])
				fail_msg("cut at %u (way %d): %d \"%s\"", n,
					 way, err, p->error);
			free(fdt);
		}
	}
	free(p);
	free(good);
}

/* ---- the structure block ---- */

/* The last two tags (root's FDT_END_NODE, FDT_END) cut off. */
static void struct_block_cut(void **state)
{
	void *fdt = dtb_load("virt");
	uint32_t size = fdt_size_dt_struct(fdt) - 8;
	char msg[80];

	be32_put(fdt, HDR_SIZE_STRUCT, size);
	snprintf(msg, sizeof(msg),
		 "structure block offset %u: FDT_ERR_TRUNCATED", size);
	expect_fail(fdt, 0, -EINVAL, msg);
}

static void garbage_tag(void **state)
{
	void *fdt = dtb_load("virt");
	size_t abs = first_prop_abs(fdt, "/chosen");
	char msg[80];

	be32_put(fdt, abs, 0xdeadbeef);
	snprintf(msg, sizeof(msg),
		 "structure block offset %zu: FDT_ERR_BADSTRUCTURE",
		 abs - fdt_off_dt_struct(fdt));
	expect_fail(fdt, 0, -EINVAL, msg);
}

static void unbalanced_nodes(void **state)
{
	void *fdt = dtb_load("virt");
	size_t end = fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt) - 4;

	/* sanity: the blob ends ... FDT_END_NODE FDT_END */
	assert_int_equal(be32_get(fdt, end), FDT_END);
	assert_int_equal(be32_get(fdt, end - 4), FDT_END_NODE);

	/* one FDT_END_NODE too many */
	be32_put(fdt, end, FDT_END_NODE);
	expect_fail(fdt, 0, -EINVAL, "unbalanced end of node");

	/* the root never closed */
	fdt = dtb_load("virt");
	be32_put(fdt, end - 4, FDT_NOP);
	expect_fail(fdt, 0, -EINVAL, "1 nodes left open");

	/* no FDT_END: the walk runs into the end of the block */
	fdt = dtb_load("virt");
	be32_put(fdt, end, FDT_NOP);
	expect_fail(fdt, 0, -EINVAL, "FDT_ERR_TRUNCATED");
}

static void property_name_offset_bad(void **state)
{
	void *fdt = dtb_load("virt");
	size_t abs = first_prop_abs(fdt, "/chosen");
	char msg[80];

	/* struct fdt_property: tag, len, nameoff */
	be32_put(fdt, abs + 8, 0x7fffffff);
	snprintf(msg, sizeof(msg), "property at offset %zu: FDT_ERR_BADOFFSET",
		 abs - fdt_off_dt_struct(fdt));
	expect_fail(fdt, 0, -EINVAL, msg);

	/* the strings block loses the NUL of its last name */
	fdt = dtb_load("virt");
	be32_put(fdt, HDR_SIZE_STRINGS, fdt_size_dt_strings(fdt) - 1);
	expect_fail(fdt, 0, -EINVAL, "FDT_ERR_TRUNCATED");
}

/*
 * A property length near 2^32 wraps libfdt's int offset arithmetic: with
 * 0xfffffff4 the next tag is the property itself, and the walk used to
 * spin there for ever. Every such length must be refused.
 */
static void property_length_wraps(void **state)
{
	for (uint32_t len = 0xfffffff0; len != 0; len++) {
		void *fdt = dtb_load("virt");
		size_t abs = first_prop_abs(fdt, "/chosen");
		struct platform *p = malloc(sizeof(*p));
		int err;

		assert_non_null(p);
		be32_put(fdt, abs + 4, len);
		err = platform_parse(fdt, 0, p);
		if (err != -EINVAL || !strstr(p->error, "offset"))
			fail_msg("len 0x%x: %d \"%s\"", len, err, p->error);
		free(p);
		free(fdt);
	}
	/* the message of the spinning one */
	{
		void *fdt = dtb_load("virt");
		size_t abs = first_prop_abs(fdt, "/chosen");
		char msg[80];

		be32_put(fdt, abs + 4, 0xfffffff4);
		snprintf(msg, sizeof(msg),
			 "property at offset %zu: length 0xfffffff4",
			 abs - fdt_off_dt_struct(fdt));
		expect_fail(fdt, 0, -EINVAL, msg);
	}
}

/* A reservation map with no terminating entry before totalsize. */
static void memreserve_unterminated(void **state)
{
	void *fdt = dtb_load("virt");

	/*
	 * An entry (8-byte aligned) among the last 24 bytes, which are
	 * property names: a nonzero "size", and no room for another entry.
	 */
	be32_put(fdt, HDR_OFF_RSVMAP, (fdt_totalsize(fdt) - 16) & ~7U);
	expect_fail(fdt, 0, -EINVAL,
		    "memory reservation block: FDT_ERR_TRUNCATED");
}

/* ---- memory ---- */

static void no_memory(void **state)
{
	static const uint32_t empty[] = { 0x0, 0x80000000, 0x0, 0x0 };
	void *fdt = dtb_edit("virt");

	assert_int_equal(fdt_del_node(fdt, dt_node(fdt, "/memory@80000000")),
			 0);
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV,
		    "no memory node with a size");

	fdt = dtb_edit("virt");
	dt_set_string(fdt, "/memory@80000000", "status", "disabled");
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV, "no memory node");

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/memory@80000000", "reg", empty, 4);
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV, "no memory node");

	fdt = dtb_edit("virt");
	dt_del_prop(fdt, "/memory@80000000", "reg");
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV, "no memory node");
}

static void memory_overlap(void **state)
{
	static const uint32_t inside[] = { 0x0, 0x80000000, 0x0, 0x10000000,
					   0x0, 0x8ffff000, 0x0, 0x2000 };
	static const uint32_t same[] = { 0x0, 0x80000000, 0x0, 0x10000000,
					 0x0, 0x80000000, 0x0, 0x1000 };
	static const uint32_t touching[] = { 0x0, 0x90000000, 0x0, 0x1000,
					     0x0, 0x80000000, 0x0, 0x10000000 };
	struct platform *p;
	void *fdt;

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/memory@80000000", "reg", inside, 8);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memory ranges at 0x80000000 and 0x8ffff000 overlap");

	/* in another node, same base */
	fdt = dtb_edit("virt");
	dt_add_node(fdt, "/", "memory@0");
	dt_set_string(fdt, "/memory@0", "device_type", "memory");
	dt_set_cells(fdt, "/memory@0", "reg", same + 4, 4);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memory ranges at 0x80000000 and 0x80000000 overlap");

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/memory@80000000", "reg", same, 8);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL, "overlap");

	/* end-to-start is not an overlap */
	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/memory@80000000", "reg", touching, 8);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->nr_memory, 2);
	assert_int_equal(p->memory[1].base, 0x90000000);
	free(p);
	free(fdt);
}

static void reg_length_not_a_multiple(void **state)
{
	static const uint32_t reg[] = { 0x0, 0x80000000, 0x10000000 };
	void *fdt = dtb_edit("virt");

	dt_set_cells(fdt, "/memory@80000000", "reg", reg, 3);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memory@80000000: reg is 12 bytes, not a multiple of 16");
}

static void bad_cells(void **state)
{
	static const struct {
		const char *prop;
		uint32_t value;
	} cases[] = {
		{ "#address-cells", 5 },
		{ "#address-cells", 0 },
		{ "#address-cells", 0xffffffff },
		{ "#size-cells", 5 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *fdt = dtb_edit("virt");

		dt_set_cells(fdt, "/", cases[i].prop, &cases[i].value, 1);
		expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
			    "memory@80000000: bad #address-cells");
	}
}

static void reg_over_64_bits(void **state)
{
	static const uint32_t three[] = { 3 };
	static const uint32_t addr[] = { 0x1, 0x0, 0x80000000, 0x0,
					 0x10000000 };
	static const uint32_t size[] = { 0x0, 0x80000000, 0x1, 0x0,
					 0x10000000 };
	void *fdt = dtb_edit("virt");

	dt_set_cells(fdt, "/", "#address-cells", three, 1);
	dt_set_cells(fdt, "/memory@80000000", "reg", addr, 5);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memory@80000000: reg value over 64 bits");

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/", "#size-cells", three, 1);
	dt_set_cells(fdt, "/memory@80000000", "reg", size, 5);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memory@80000000: reg value over 64 bits");
}

static void reg_wraps(void **state)
{
	static const uint32_t reg[] = { 0xffffffff, 0xfffff000, 0x0, 0x2000 };
	void *fdt = dtb_edit("virt");

	dt_set_cells(fdt, "/memory@80000000", "reg", reg, 4);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memory@80000000: reg wraps past 2^64");
}

/* /bus with the given ranges (NULL: none), holding memory@0 at reg. */
static void *virt_with_bus(const uint32_t *ranges, int nr_ranges,
			   const uint32_t *reg)
{
	static const uint32_t two[] = { 2 };
	void *fdt = dtb_edit("virt");

	dt_add_node(fdt, "/", "bus");
	dt_set_cells(fdt, "/bus", "#address-cells", two, 1);
	dt_set_cells(fdt, "/bus", "#size-cells", two, 1);
	if (ranges)
		dt_set_cells(fdt, "/bus", "ranges", ranges, nr_ranges);
	dt_add_node(fdt, "/bus", "memory@0");
	dt_set_string(fdt, "/bus/memory@0", "device_type", "memory");
	dt_set_cells(fdt, "/bus/memory@0", "reg", reg, 4);
	return dtb_edit_done(fdt);
}

static void bus_translation_errors(void **state)
{
	/* child 0 -> 0x100000000, 4 KiB */
	static const uint32_t window[] = { 0x0, 0x0, 0x1, 0x0, 0x0, 0x1000 };
	/* child 0 -> 2^64 - 4 KiB, 4 KiB */
	static const uint32_t top[] = { 0, 0, ~0U, ~0xfffU, 0, 0x1000 };
	static const uint32_t in[] = { 0x0, 0x0, 0x0, 0x1000 };
	static const uint32_t out[] = { 0x0, 0x2000, 0x0, 0x1000 };
	static const uint32_t big[] = { 0x0, 0x0, 0x0, 0x2000 };
	struct platform *p;
	void *fdt;

	expect_fail(virt_with_bus(NULL, 0, in), 0, -EINVAL,
		    "bus: no ranges, not memory mapped");
	expect_fail(virt_with_bus(window, 6, out), 0, -EINVAL,
		    "bus: address 0x2000 outside its ranges");
	expect_fail(virt_with_bus(window, 5, in), 0, -EINVAL,
		    "bus: ranges length 20");
	/* translated into a range that wraps past 2^64 */
	expect_fail(virt_with_bus(top, 6, big), 0, -EINVAL,
		    "memory@0: reg wraps past 2^64");

	/* and the good case, to show the bus itself is fine */
	fdt = virt_with_bus(window, 6, in);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->nr_memory, 2);
	assert_int_equal(p->memory[1].base, 0x100000000ULL);
	assert_int_equal(p->memory[1].size, 0x1000);
	free(p);
	free(fdt);
}

static void bad_numa_node_id(void **state)
{
	static const uint32_t two[] = { 0, 1 };
	void *fdt = dtb_edit("virt");

	dt_set_cells(fdt, "/memory@80000000", "numa-node-id", two, 2);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memory@80000000: bad numa-node-id");

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/cpus/cpu@0", "numa-node-id", two, 2);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL, "cpu@0: bad numa-node-id");
}

/* Node ids index per-node tables later: beyond the limit is an error. */
static void numa_node_id_limit(void **state)
{
	static const uint32_t last[] = { PLATFORM_MAX_NODES - 1 };
	static const uint32_t over[] = { PLATFORM_MAX_NODES };
	static const uint32_t huge[] = { 0xffffffff };
	struct platform *p;
	void *fdt = dtb_edit("virt");

	/* a node with a hart and no memory still counts */
	dt_set_cells(fdt, "/cpus/cpu@0", "numa-node-id", last, 1);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->nr_nodes, PLATFORM_MAX_NODES);
	assert_int_equal(p->harts[0].node, PLATFORM_MAX_NODES - 1);
	free(p);
	free(fdt);

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/memory@80000000", "numa-node-id", over, 1);
	expect_fail(dtb_edit_done(fdt), 0, -E2BIG,
		    "memory@80000000: numa-node-id 8, limit 8");

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/cpus/cpu@0", "numa-node-id", huge, 1);
	expect_fail(dtb_edit_done(fdt), 0, -E2BIG,
		    "cpu@0: numa-node-id 4294967295");
}

/* ---- harts ---- */

static void boot_hart_missing(void **state)
{
	void *fdt;

	expect_fail(dtb_load("virt"), 7, -ENODEV,
		    "boot hart 7 is not in /cpus");

	/* a node that is not device_type "cpu" does not count */
	fdt = dtb_edit("virt");
	dt_set_string(fdt, "/cpus/cpu@0", "device_type", "cpux");
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV,
		    "boot hart 0 is not in /cpus");

	fdt = dtb_edit("virt");
	assert_int_equal(fdt_del_node(fdt, dt_node(fdt, "/cpus")), 0);
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV, "no /cpus node");
}

static void bad_hart_id(void **state)
{
	static const uint32_t two[] = { 2 };
	static const uint32_t big[] = { 0x1, 0x0 };
	void *fdt = dtb_edit("virt");

	dt_del_prop(fdt, "/cpus/cpu@0", "reg");
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL, "cpu@0: bad reg (hart id)");

	/* 2^32 does not fit a hart id */
	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/cpus", "#address-cells", two, 1);
	dt_set_cells(fdt, "/cpus/cpu@0", "reg", big, 2);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL, "cpu@0: bad reg (hart id)");
}

static void timebase_missing_or_bad(void **state)
{
	static const uint32_t two[] = { 10000000, 0 }, zero[] = { 0 };
	void *fdt = dtb_edit("virt");

	dt_del_prop(fdt, "/cpus", "timebase-frequency");
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV, "no timebase-frequency");

	/* zero is no frequency */
	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/cpus", "timebase-frequency", zero, 1);
	expect_fail(dtb_edit_done(fdt), 0, -ENODEV, "no timebase-frequency");

	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/cpus", "timebase-frequency", two, 2);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "/cpus: bad timebase-frequency");

	fdt = dtb_edit("virt");
	dt_del_prop(fdt, "/cpus", "timebase-frequency");
	dt_set_cells(fdt, "/cpus/cpu@0", "timebase-frequency", two, 2);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "cpu@0: bad timebase-frequency");

	/* harts.dts has it on hart 3 only: another boot hart has none */
	expect_fail(dtb_load("harts"), 1, -ENODEV, "no timebase-frequency");
}

/* ---- the tables' limits: full is fine, one more is -E2BIG ---- */

static void *virt_with_memory_ranges(int n)
{
	uint32_t reg[4 * (PLATFORM_MAX_MEMORY + 1)];
	void *fdt = dtb_edit("virt");

	assert_true(n <= PLATFORM_MAX_MEMORY + 1);
	for (int i = 0; i < n; i++) {
		/* 1 MiB every 2 MiB, listed from the top down */
		reg[4 * i] = 0;
		reg[4 * i + 1] = 0x80000000 + (uint32_t)(n - i) * 0x200000;
		reg[4 * i + 2] = 0;
		reg[4 * i + 3] = 0x100000;
	}
	dt_set_cells(fdt, "/memory@80000000", "reg", reg, 4 * n);
	return dtb_edit_done(fdt);
}

static void too_many_memory_ranges(void **state)
{
	void *fdt = virt_with_memory_ranges(PLATFORM_MAX_MEMORY);
	struct platform *p = parse_ok(fdt, 0);

	assert_int_equal(p->nr_memory, PLATFORM_MAX_MEMORY);
	for (unsigned int i = 0; i < PLATFORM_MAX_MEMORY; i++)
		assert_int_equal(p->memory[i].base,
				 0x80000000 + (i + 1) * 0x200000);
	free(p);
	free(fdt);
	expect_fail(virt_with_memory_ranges(PLATFORM_MAX_MEMORY + 1), 0, -E2BIG,
		    "more than 16 memory ranges");
}

static void *virt_with_memreserves(int n)
{
	void *fdt = dtb_edit("virt");

	for (int i = 0; i < n; i++)
		assert_int_equal(fdt_add_mem_rsv(fdt,
						 0x80000000 + i * 0x1000ULL,
						 0x1000),
				 0);
	return dtb_edit_done(fdt);
}

static void too_many_reserved(void **state)
{
	void *fdt = virt_with_memreserves(PLATFORM_MAX_RESERVED);
	struct platform *p = parse_ok(fdt, 0);

	assert_int_equal(p->nr_reserved, PLATFORM_MAX_RESERVED);
	assert_int_equal(p->reserved[31].base, 0x8001f000);
	free(p);
	free(fdt);
	expect_fail(virt_with_memreserves(PLATFORM_MAX_RESERVED + 1), 0, -E2BIG,
		    "more than 32 reserved ranges");
}

static void *virt_with_harts(int n)
{
	void *fdt = dtb_edit("virt");

	for (int i = 1; i < n; i++) {
		char name[16], path[32];
		uint32_t id = (uint32_t)i;

		snprintf(name, sizeof(name), "cpu@%x", i);
		snprintf(path, sizeof(path), "/cpus/%s", name);
		dt_add_node(fdt, "/cpus", name);
		dt_set_string(fdt, path, "device_type", "cpu");
		dt_set_cells(fdt, path, "reg", &id, 1);
	}
	return dtb_edit_done(fdt);
}

static void too_many_harts(void **state)
{
	void *fdt = virt_with_harts(PLATFORM_MAX_HARTS);
	struct platform *p = parse_ok(fdt, 31);

	assert_int_equal(p->nr_harts, PLATFORM_MAX_HARTS);
	assert_int_equal(p->harts[p->boot_hart].hartid, 31);
	free(p);
	free(fdt);
	expect_fail(virt_with_harts(PLATFORM_MAX_HARTS + 1), 0, -E2BIG,
		    "more than 32 harts");
}

static void *virt_with_virtio(int n)
{
	void *fdt = dtb_edit("virt");

	/* virt has two already */
	for (int i = 2; i < n; i++) {
		char name[32], path[48];
		uint32_t reg[] = { 0, 0x10001000 + (uint32_t)i * 0x1000, 0,
				   0x1000 };

		snprintf(name, sizeof(name), "virtio_mmio@%x", reg[1]);
		snprintf(path, sizeof(path), "/soc/%s", name);
		dt_add_node(fdt, "/soc", name);
		dt_set_string(fdt, path, "compatible", "virtio,mmio");
		dt_set_cells(fdt, path, "reg", reg, 4);
	}
	return dtb_edit_done(fdt);
}

static void too_many_virtio(void **state)
{
	void *fdt = virt_with_virtio(PLATFORM_MAX_VIRTIO);
	struct platform *p = parse_ok(fdt, 0);

	assert_int_equal(p->nr_virtio, PLATFORM_MAX_VIRTIO);
	free(p);
	free(fdt);
	expect_fail(virt_with_virtio(PLATFORM_MAX_VIRTIO + 1), 0, -E2BIG,
		    "more than 16 virtio devices");
}

static void reserved_wraps(void **state)
{
	void *fdt = dtb_edit("virt");

	assert_int_equal(fdt_add_mem_rsv(fdt, 0xfffffffffffff000ULL, 0x2000),
			 0);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "memreserve: range wraps past 2^64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(null_pointer),
		cmocka_unit_test(bad_magic),
		cmocka_unit_test(totalsize_absurd),
		cmocka_unit_test(header_offsets_out_of_range),
		cmocka_unit_test(header_version_and_alignment),
		cmocka_unit_test(header_blocks_misaligned),
		cmocka_unit_test(totalsize_lowered),
		cmocka_unit_test(every_truncation),
		cmocka_unit_test(struct_block_cut),
		cmocka_unit_test(garbage_tag),
		cmocka_unit_test(unbalanced_nodes),
		cmocka_unit_test(property_name_offset_bad),
		cmocka_unit_test(property_length_wraps),
		cmocka_unit_test(memreserve_unterminated),
		cmocka_unit_test(no_memory),
		cmocka_unit_test(memory_overlap),
		cmocka_unit_test(reg_length_not_a_multiple),
		cmocka_unit_test(bad_cells),
		cmocka_unit_test(reg_over_64_bits),
		cmocka_unit_test(reg_wraps),
		cmocka_unit_test(bus_translation_errors),
		cmocka_unit_test(bad_numa_node_id),
		cmocka_unit_test(numa_node_id_limit),
		cmocka_unit_test(boot_hart_missing),
		cmocka_unit_test(bad_hart_id),
		cmocka_unit_test(timebase_missing_or_bad),
		cmocka_unit_test(too_many_memory_ranges),
		cmocka_unit_test(too_many_reserved),
		cmocka_unit_test(too_many_harts),
		cmocka_unit_test(too_many_virtio),
		cmocka_unit_test(reserved_wraps),
	};

	return cmocka_run_group_tests_name("malformed", tests, NULL, NULL);
}
