// SPDX-License-Identifier: MIT
/*
 * tests/host/test_malformed_nodes.c - platform_parse() on trees whose
 * /chosen or device nodes are wrong (each case checks the error code and
 * the message), and on hostile but well-formed trees that must still parse
 * (alias loops, aliases that are not strings). All are libfdt edits of
 * virt.dtb; the damaged-blob cases are in test_malformed.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/helpers.h"

/* ---- /chosen ---- */

static void bootargs_not_a_string(void **state)
{
	void *fdt = dtb_edit("virt");

	assert_int_equal(
		fdt_setprop(fdt, dt_node(fdt, "/chosen"), "bootargs", "abc", 3),
		0);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "/chosen/bootargs is not a string");

	fdt = dtb_edit("virt");
	assert_int_equal(
		fdt_setprop_empty(fdt, dt_node(fdt, "/chosen"), "bootargs"), 0);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "/chosen/bootargs is not a string");
}

static void bad_initrd(void **state)
{
	static const uint32_t start[] = { 0x0, 0x88200000 };
	static const uint32_t end[] = { 0x88000000 };
	static const uint32_t three[] = { 0x0, 0x0, 0x88000000 };
	void *fdt = dtb_edit("virt");

	/* ends before it starts */
	dt_set_cells(fdt, "/chosen", "linux,initrd-start", start, 2);
	dt_set_cells(fdt, "/chosen", "linux,initrd-end", end, 1);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "/chosen: bad initrd range");

	/* three cells for the start */
	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/chosen", "linux,initrd-start", three, 3);
	dt_set_cells(fdt, "/chosen", "linux,initrd-end", end, 1);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "/chosen: bad initrd range");

	/* a 2-byte end */
	fdt = dtb_edit("virt");
	dt_set_cells(fdt, "/chosen", "linux,initrd-start", end, 1);
	assert_int_equal(fdt_setprop(fdt, dt_node(fdt, "/chosen"),
				     "linux,initrd-end", "\x88\x10", 2),
			 0);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "/chosen: bad initrd range");
}

/* ---- devices ---- */

static void bad_uart(void **state)
{
	static const uint32_t five[] = { 5 }, two[] = { 2 }, wide[] = { 0, 2 };
	static const struct {
		const char *prop;
		const uint32_t *cells;
		int n;
	} cases[] = {
		{ "reg-shift", five, 1 },	{ "reg-shift", wide, 2 },
		{ "reg-io-width", two, 1 },	{ "reg-io-width", five, 0 },
		{ "clock-frequency", wide, 2 },
	};

	void *fdt;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fdt = dtb_edit("virt");
		dt_set_cells(fdt, "/soc/serial@10000000", cases[i].prop,
			     cases[i].cells, cases[i].n);
		expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
			    "serial@10000000: bad reg-shift or reg-io-width");
	}

	fdt = dtb_edit("virt");
	dt_del_prop(fdt, "/soc/serial@10000000", "reg");
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL, "serial@10000000: no reg");
}

static void bad_plic(void **state)
{
	static const uint32_t wide[] = { 0, 96 };
	void *fdt = dtb_edit("virt");

	dt_set_cells(fdt, "/soc/plic@c000000", "riscv,ndev", wide, 2);
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL, "plic: bad riscv,ndev");

	fdt = dtb_edit("virt");
	dt_del_prop(fdt, "/soc/plic@c000000", "reg");
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL, "plic@c000000: no reg");

	fdt = dtb_edit("virt");
	dt_del_prop(fdt, "/soc/virtio_mmio@10002000", "reg");
	expect_fail(dtb_edit_done(fdt), 0, -EINVAL,
		    "virtio_mmio@10002000: no reg");
}

/* ---- hostile but well-formed: must parse ---- */

/*
 * stdout-path naming an alias whose value is an alias again: libfdt's
 * fdt_path_offset() follows such a chain by recursion without end, so a
 * loop used to overflow the stack. Not a path: no UART, no crash.
 */
static void alias_loops(void **state)
{
	static const char *const loops[][2] = {
		{ "serial0", "serial0" },
		{ "serial0", "serial1" }, /* serial1 = "serial0" below */
		{ "serial0", "" },
	};

	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		void *fdt = dtb_edit("virt");
		struct platform *p;

		dt_add_node(fdt, "/", "aliases");
		dt_set_string(fdt, "/aliases", loops[i][0], loops[i][1]);
		dt_set_string(fdt, "/aliases", "serial1", "serial0");
		assert_int_equal(fdt_setprop_string(
					 fdt, dt_node(fdt, "/aliases"), "", ""),
				 0);
		dt_set_string(fdt, "/chosen", "stdout-path", "serial0:115200");
		fdt = dtb_edit_done(fdt);
		p = parse_ok(fdt, 0);
		assert_false(p->has_uart);
		free(p);
		free(fdt);
	}
}

/* An alias value that is empty, or a path without its NUL. */
static void alias_not_a_string(void **state)
{
	static const char path[] = "/soc/serial@10000000";
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_add_node(fdt, "/", "aliases");
	assert_int_equal(fdt_setprop(fdt, dt_node(fdt, "/aliases"), "serial0",
				     path, sizeof(path) - 1),
			 0);
	assert_int_equal(
		fdt_setprop_empty(fdt, dt_node(fdt, "/aliases"), "serial1"), 0);
	dt_set_string(fdt, "/chosen", "stdout-path", "serial0");
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_false(p->has_uart);
	free(p);
	free(fdt);

	fdt = dtb_edit("virt");
	dt_add_node(fdt, "/", "aliases");
	assert_int_equal(
		fdt_setprop_empty(fdt, dt_node(fdt, "/aliases"), "serial1"), 0);
	dt_set_string(fdt, "/chosen", "stdout-path", "serial1");
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_false(p->has_uart);
	free(p);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bootargs_not_a_string),
		cmocka_unit_test(bad_initrd),
		cmocka_unit_test(bad_uart),
		cmocka_unit_test(bad_plic),
		cmocka_unit_test(alias_loops),
		cmocka_unit_test(alias_not_a_string),
	};

	return cmocka_run_group_tests_name("malformed_nodes", tests, NULL,
					   NULL);
}
