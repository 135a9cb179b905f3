// SPDX-License-Identifier: MIT
/*
 * tests/host/test_platform.c - platform_parse() on good trees: every field
 * of the QEMU virt tree (virt.dts) with its exact value, then the
 * hand-made trees of tests/host/dts/ (memory out of order and above 4 GiB,
 * reservations, NUMA, hart mixes, an aliased console, buses with ranges,
 * /chosen) and small in-memory edits of virt for the cases in between.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/helpers.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void assert_mmio(const struct mmio_device *d, uint64_t base,
			uint64_t size, uint32_t irq)
{
	assert_int_equal(d->base, base);
	assert_int_equal(d->size, size);
	assert_int_equal(d->irq, irq);
}

static void assert_memory(const struct mem_range *m, uint64_t base,
			  uint64_t size, uint32_t node)
{
	assert_int_equal(m->base, base);
	assert_int_equal(m->size, size);
	assert_int_equal(m->node, node);
}

static void assert_reserved(const struct reserved_range *r, uint64_t base,
			    uint64_t size, bool no_map, const char *name)
{
	assert_int_equal(r->base, base);
	assert_int_equal(r->size, size);
	assert_int_equal(r->no_map, no_map);
	assert_string_equal(r->name, name);
}

static void assert_hart(const struct hart *h, uint32_t hartid, bool enabled,
			bool sv39, bool sstc, uint32_t node)
{
	assert_int_equal(h->hartid, hartid);
	assert_int_equal(h->enabled, enabled);
	assert_int_equal(h->sv39, sv39);
	assert_int_equal(h->sstc, sstc);
	assert_int_equal(h->node, node);
}

/* Does [ptr, ptr + len) lie inside the blob? */
static bool in_blob(const void *fdt, const void *ptr, size_t len)
{
	const char *b = fdt, *q = ptr;

	return q >= b && q + len <= b + fdt_totalsize(fdt);
}

/* ---- virt.dts: every field ---- */

static void virt_header_and_memory(void **state)
{
	void *fdt = dtb_load("virt");
	struct platform *p = parse_ok(fdt, 0);

	assert_ptr_equal(p->fdt, fdt);
	assert_int_equal(p->fdt_size, fdt_totalsize(fdt));
	assert_int_equal(p->nr_memory, 1);
	assert_memory(&p->memory[0], 0x80000000, 256 * MiB, 0);
	assert_int_equal(p->nr_nodes, 1);
	assert_int_equal(p->nr_reserved, 0);
	free(p);
	free(fdt);
}

static void virt_chosen(void **state)
{
	static const uint8_t seed_start[] = { 0x33, 0x5a, 0x1b, 0x69,
					      0xf0, 0x8c, 0x63, 0xfd };
	void *fdt = dtb_load("virt");
	struct platform *p = parse_ok(fdt, 0);
	const uint8_t *seed = p->rng_seed;

	assert_non_null(p->bootargs);
	assert_string_equal(p->bootargs, "");
	assert_non_null(seed);
	assert_int_equal(p->rng_seed_len, 32);
	assert_true(in_blob(fdt, seed, p->rng_seed_len));
	assert_memory_equal(seed, seed_start, sizeof(seed_start));
	assert_int_equal(seed[31], 0x8b); /* last byte of 0x81c0f48b */
	assert_int_equal(p->initrd_start, 0);
	assert_int_equal(p->initrd_end, 0);
	free(p);
	free(fdt);
}

static void virt_harts(void **state)
{
	void *fdt = dtb_load("virt");
	struct platform *p = parse_ok(fdt, 0);

	assert_int_equal(p->nr_harts, 1);
	assert_int_equal(p->boot_hart, 0);
	/* sv48 can run Sv39; the ISA string ends in _sstc */
	assert_hart(&p->harts[0], 0, true, true, true, 0);
	assert_int_equal(p->timebase_hz, 10000000);
	free(p);
	free(fdt);
}

static void virt_devices(void **state)
{
	void *fdt = dtb_load("virt");
	struct platform *p = parse_ok(fdt, 0);

	assert_true(p->has_uart);
	assert_mmio(&p->uart.mmio, 0x10000000, 0x100, 10);
	assert_int_equal(p->uart.reg_shift, 0);
	assert_int_equal(p->uart.reg_io_width, 1);
	assert_int_equal(p->uart.clock_hz, 3686400);

	assert_true(p->has_plic);
	assert_mmio(&p->plic, 0xc000000, 0x600000, 0); /* interrupts-extended */
	assert_int_equal(p->plic_ndev, 96);

	assert_true(p->has_test_device);
	assert_mmio(&p->test_device, 0x100000, 0x1000, 0);

	assert_int_equal(p->nr_virtio, 2);
	assert_mmio(&p->virtio[0], 0x10001000, 0x1000, 1);
	assert_mmio(&p->virtio[1], 0x10002000, 0x1000, 2);
	free(p);
	free(fdt);
}

/* The result depends on the tree alone: stale contents of p never show. */
static void virt_parse_overwrites_everything(void **state)
{
	void *fdt = dtb_load("virt");
	struct platform *clean = parse_ok(fdt, 0);
	struct platform *dirty = malloc(sizeof(*dirty));

	assert_non_null(dirty);
	memset(dirty, 0xff, sizeof(*dirty));
	assert_int_equal(platform_parse(fdt, 0, dirty), 0);
	assert_memory_equal(dirty, clean, sizeof(*clean));
	free(dirty);
	free(clean);
	free(fdt);
}

/* ---- hand-made trees ---- */

static void memory_sorted_and_skipped(void **state)
{
	void *fdt = dtb_load("memory");
	struct platform *p = parse_ok(fdt, 0);

	assert_int_equal(p->nr_memory, 4);
	assert_memory(&p->memory[0], 0x80000000, 128 * MiB, 0);
	assert_memory(&p->memory[1], 0x90000000, 256 * MiB, 0);
	assert_memory(&p->memory[2], 4 * GiB, 2 * GiB, 0);
	assert_memory(&p->memory[3], 9 * GiB, 4 * GiB, 0);
	assert_int_equal(p->nr_nodes, 1);
	free(p);
	free(fdt);
}

static void reserved_regions(void **state)
{
	void *fdt = dtb_load("reserved");
	struct platform *p = parse_ok(fdt, 0);
	const struct reserved_range *r = p->reserved;

	assert_int_equal(p->nr_memory, 1);
	assert_int_equal(p->nr_reserved, 7);
	/* /memreserve/ first, in blob order */
	assert_reserved(&r[0], 0x80000000, 0x80000, false, "memreserve");
	assert_reserved(&r[1], 0x8ff00000, 0x100000, false, "memreserve");
	/* then /reserved-memory: disabled, dynamic and empty ones skipped */
	assert_reserved(&r[2], 0x80000000, 0x40000, true,
			"mmode_resv0@80000000");
	assert_reserved(&r[3], 0x88000000, 0x800000, false,
			"framebuffer@88000000");
	assert_reserved(&r[4], 0x8a000000, 0x1000, true, "split@8a000000");
	assert_reserved(&r[5], 0x8b000000, 0x2000, true, "split@8a000000");
	/* cut to PLATFORM_NAME_LEN - 1 characters */
	assert_reserved(&r[6], 0x8d000000, 0x10000, false,
			"a-region-with-a-rather-long-nam");
	free(p);
	free(fdt);
}

static void numa_two_nodes(void **state)
{
	void *fdt = dtb_load("numa");
	struct platform *p = parse_ok(fdt, 2);

	assert_int_equal(p->nr_nodes, 2);
	assert_int_equal(p->nr_memory, 2);
	assert_memory(&p->memory[0], 0x80000000, GiB, 0);
	assert_memory(&p->memory[1], 4 * GiB, GiB, 1);
	assert_int_equal(p->nr_harts, 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_hart(&p->harts[i], i, true, false, false, i / 2);
	assert_int_equal(p->boot_hart, 2);
	assert_int_equal(p->harts[p->boot_hart].node, 1);
	assert_int_equal(p->timebase_hz, 1000000);
	free(p);
	free(fdt);
}

static void harts_mix(void **state)
{
	void *fdt = dtb_load("harts");
	struct platform *p = parse_ok(fdt, 3);
	const struct hart *h = p->harts;

	assert_int_equal(p->nr_harts, 6);
	/* id, enabled, sv39, sstc, node */
	assert_hart(&h[0], 0, false, false, false, 0); /* no mmu-type */
	assert_hart(&h[1], 1, true, true, true, 0);
	assert_hart(&h[2], 2, true, true, false, 0);  /* sstcx, zsstc... */
	assert_hart(&h[3], 3, true, true, true, 0);   /* isa-extensions */
	assert_hart(&h[4], 5, true, false, true, 0);  /* "_SSTC", sv32 */
	assert_hart(&h[5], 6, true, false, false, 0); /* "sstcx" listed */
	/* the single-letter extensions, AT_HWCAP's bits ('g' is imafd) */
	assert_int_equal(h[0].isa, ISA_BIT('i') | ISA_BIT('m') | ISA_BIT('a') |
					   ISA_BIT('c'));
	assert_int_equal(h[1].isa, ISA_BIT('i') | ISA_BIT('m') | ISA_BIT('a') |
					   ISA_BIT('f') | ISA_BIT('d') |
					   ISA_BIT('c'));
	assert_int_equal(h[3].isa, ISA_BIT('i') | ISA_BIT('m') | ISA_BIT('a'));
	assert_int_equal(h[4].isa, 0);	      /* rv32: not ours */
	assert_int_equal(h[5].isa, h[1].isa); /* rv64gc, "i", "m" listed */
	assert_int_equal(p->boot_hart, 3);
	/* no timebase on /cpus: the boot hart's own */
	assert_int_equal(p->timebase_hz, 4000000);
	free(p);
	free(fdt);
}

static void alias_console_with_options(void **state)
{
	void *fdt = dtb_load("alias");
	struct platform *p = parse_ok(fdt, 0);

	assert_true(p->has_uart);
	assert_mmio(&p->uart.mmio, 0x10000100, 0x20, 0);
	assert_int_equal(p->uart.reg_shift, 0);
	assert_int_equal(p->uart.reg_io_width, 1);
	assert_int_equal(p->uart.clock_hz, 0);
	assert_false(p->has_plic);
	assert_false(p->has_test_device);
	assert_int_equal(p->nr_virtio, 0);
	free(p);
	free(fdt);
}

static void bus_ranges_translate(void **state)
{
	void *fdt = dtb_load("bus");
	struct platform *p = parse_ok(fdt, 0);

	/* 0x2000 -> apb 0x40003000 -> soc window 2 -> 16 GiB + 0x3000 */
	assert_true(p->has_uart);
	assert_mmio(&p->uart.mmio, 0x400003000ULL, 0x100, 33);
	assert_int_equal(p->uart.reg_shift, 2);
	assert_int_equal(p->uart.reg_io_width, 4);
	assert_int_equal(p->uart.clock_hz, 24000000);
	/* soc window 1: +0x10000000; the disabled PLIC is passed over */
	assert_true(p->has_plic);
	assert_mmio(&p->plic, 0x10c00000, 0x400000, 0);
	assert_int_equal(p->plic_ndev, 53);
	assert_true(p->has_test_device);
	assert_mmio(&p->test_device, 0x10100000, 0x1000, 0);
	assert_int_equal(p->nr_virtio, 1);
	assert_mmio(&p->virtio[0], 0x10002000, 0x200, 9);
	free(p);
	free(fdt);
}

static void chosen_bootargs_initrd_sifive_uart(void **state)
{
	void *fdt = dtb_load("chosen");
	struct platform *p = parse_ok(fdt, 0);
	struct bootargs *ba = malloc(sizeof(*ba));
	const char *why = NULL;

	assert_string_equal(p->bootargs,
			    "loglevel=7 mem=128M -- hello \"two words\"");
	assert_true(in_blob(fdt, p->bootargs, strlen(p->bootargs) + 1));
	assert_int_equal(p->initrd_start, 0x88000000);
	assert_int_equal(p->initrd_end, 0x88200000);
	assert_null(p->rng_seed);
	assert_int_equal(p->rng_seed_len, 0);
	assert_false(p->has_uart); /* sifive,uart0: stay on SBI */
	assert_false(p->has_plic);
	assert_false(p->has_test_device);
	assert_int_equal(p->nr_virtio, 0);

	/* what boot_main does next */
	assert_non_null(ba);
	assert_int_equal(bootargs_parse(ba, p->bootargs, &why), 0);
	assert_string_equal(bootargs_get(ba, "mem"), "128M");
	assert_int_equal(ba->argc, 2);
	assert_string_equal(ba->argv[1], "two words");
	free(ba);
	free(p);
	free(fdt);
}

/* ---- virt, edited in memory ---- */

static void timebase_on_the_boot_hart(void **state)
{
	static const uint32_t tb[] = { 25000000 };
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_del_prop(fdt, "/cpus", "timebase-frequency");
	dt_set_cells(fdt, "/cpus/cpu@0", "timebase-frequency", tb, 1);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->timebase_hz, 25000000);
	free(p);
	free(fdt);
}

/* /cpus wins over the hart's own timebase-frequency. */
static void timebase_cpus_wins(void **state)
{
	static const uint32_t tb[] = { 25000000 };
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_set_cells(fdt, "/cpus/cpu@0", "timebase-frequency", tb, 1);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->timebase_hz, 10000000);
	free(p);
	free(fdt);
}

static void disabled_devices_skipped(void **state)
{
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_set_string(fdt, "/soc/virtio_mmio@10001000", "status", "disabled");
	dt_set_string(fdt, "/soc/test@100000", "status", "fail");
	dt_set_string(fdt, "/soc/plic@c000000", "status", "disabled");
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->nr_virtio, 1);
	assert_mmio(&p->virtio[0], 0x10002000, 0x1000, 2);
	assert_false(p->has_test_device);
	assert_false(p->has_plic);
	assert_true(p->has_uart);
	free(p);
	free(fdt);
}

static void stdout_path_dangling(void **state)
{
	static const char *const paths[] = {
		"/soc/serial@20000000", /* no such node */
		"serial0",		/* an alias, but no /aliases */
		"",
		":115200",
		"/soc/virtio_mmio@10001000", /* not a UART */
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		void *fdt = dtb_edit("virt");
		struct platform *p;

		dt_set_string(fdt, "/chosen", "stdout-path", paths[i]);
		fdt = dtb_edit_done(fdt);
		p = parse_ok(fdt, 0);
		if (p->has_uart)
			fail_msg("stdout-path \"%s\" gave a UART", paths[i]);
		assert_int_equal(p->nr_virtio, 2);
		free(p);
		free(fdt);
	}
}

/* The virt console, reached through an alias with options. */
static void stdout_path_alias_to_virt_uart(void **state)
{
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_add_node(fdt, "/", "aliases");
	dt_set_string(fdt, "/aliases", "serial0", "/soc/serial@10000000");
	dt_set_string(fdt, "/chosen", "stdout-path", "serial0:115200n8");
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_true(p->has_uart);
	assert_mmio(&p->uart.mmio, 0x10000000, 0x100, 10);
	free(p);
	free(fdt);
}

/* No /chosen at all: no bootargs (but a string), console on SBI. */
static void no_chosen(void **state)
{
	void *fdt = dtb_edit("virt");
	struct platform *p;

	assert_int_equal(fdt_del_node(fdt, dt_node(fdt, "/chosen")), 0);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_non_null(p->bootargs);
	assert_string_equal(p->bootargs, "");
	assert_null(p->rng_seed);
	assert_false(p->has_uart);
	free(p);
	free(fdt);
}

/* An initrd start without an end is no initrd. */
static void initrd_start_alone(void **state)
{
	static const uint32_t start[] = { 0x0, 0x84000000 };
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_set_cells(fdt, "/chosen", "linux,initrd-start", start, 2);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->initrd_start, 0);
	assert_int_equal(p->initrd_end, 0);
	free(p);
	free(fdt);
}

/* Three address cells are fine while the top one is zero. */
static void three_address_cells(void **state)
{
	static const uint32_t ac[] = { 3 };
	static const uint32_t reg[] = { 0x0, 0x0, 0x80000000, 0x0, 0x10000000 };
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_set_cells(fdt, "/", "#address-cells", ac, 1);
	dt_set_cells(fdt, "/memory@80000000", "reg", reg, 5);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->nr_memory, 1);
	assert_memory(&p->memory[0], 0x80000000, 256 * MiB, 0);
	free(p);
	free(fdt);
}

/* Defaults without #address-cells/#size-cells: 2 and 1. */
static void default_cells(void **state)
{
	static const uint32_t reg[] = { 0x0, 0x80000000, 0x20000000,
					0x1, 0x00000000, 0x10000000 };
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_del_prop(fdt, "/", "#address-cells");
	dt_del_prop(fdt, "/", "#size-cells");
	dt_set_cells(fdt, "/memory@80000000", "reg", reg, 6);
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->nr_memory, 2);
	assert_memory(&p->memory[0], 0x80000000, 512 * MiB, 0);
	assert_memory(&p->memory[1], 4 * GiB, 256 * MiB, 0);
	free(p);
	free(fdt);
}

/* A memory node without reg adds nothing; another one does. */
static void memory_node_without_reg(void **state)
{
	void *fdt = dtb_edit("virt");
	struct platform *p;

	dt_add_node(fdt, "/", "memory@0");
	dt_set_string(fdt, "/memory@0", "device_type", "memory");
	fdt = dtb_edit_done(fdt);
	p = parse_ok(fdt, 0);
	assert_int_equal(p->nr_memory, 1);
	assert_memory(&p->memory[0], 0x80000000, 256 * MiB, 0);
	free(p);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(virt_header_and_memory),
		cmocka_unit_test(virt_chosen),
		cmocka_unit_test(virt_harts),
		cmocka_unit_test(virt_devices),
		cmocka_unit_test(virt_parse_overwrites_everything),
		cmocka_unit_test(memory_sorted_and_skipped),
		cmocka_unit_test(reserved_regions),
		cmocka_unit_test(numa_two_nodes),
		cmocka_unit_test(harts_mix),
		cmocka_unit_test(alias_console_with_options),
		cmocka_unit_test(bus_ranges_translate),
		cmocka_unit_test(chosen_bootargs_initrd_sifive_uart),
		cmocka_unit_test(timebase_on_the_boot_hart),
		cmocka_unit_test(timebase_cpus_wins),
		cmocka_unit_test(disabled_devices_skipped),
		cmocka_unit_test(stdout_path_dangling),
		cmocka_unit_test(stdout_path_alias_to_virt_uart),
		cmocka_unit_test(no_chosen),
		cmocka_unit_test(initrd_start_alone),
		cmocka_unit_test(three_address_cells),
		cmocka_unit_test(default_cells),
		cmocka_unit_test(memory_node_without_reg),
	};

	return cmocka_run_group_tests_name("platform", tests, NULL, NULL);
}
