// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_platform.c - the device tree this boot was given, read
 * through the same parser the boot used: its invariants, and its answers
 * to damaged copies of the live blob.
 */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "boot/boot.h"
#include "tests/kernel/ktest.h"
#include "vm/vm.h"

#define COPY_MAX (64 * 1024)

static struct platform scratch;
static uint8_t copy[COPY_MAX] __attribute__((aligned(8)));

extern char _start[], _end[];

static bool in_memory(const struct platform *p, uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < p->nr_memory; i++)
		if (base >= p->memory[i].base &&
		    base + size <= p->memory[i].base + p->memory[i].size)
			return true;
	return false;
}

static void memory_is_sorted_and_holds_us(struct ktest *t)
{
	const struct platform *p = &boot_platform;

	ASSERT_TRUE(t, p->nr_memory >= 1);
	for (unsigned int i = 1; i < p->nr_memory; i++)
		EXPECT_TRUE(t, p->memory[i - 1].base + p->memory[i - 1].size <=
				       p->memory[i].base);
	EXPECT_TRUE(t, in_memory(p, kernel_load_pa, (uint64_t)(_end - _start)));
	EXPECT_TRUE(t, in_memory(p, virt_to_phys(p->fdt), p->fdt_size));
	EXPECT_TRUE(t, p->nr_nodes >= 1);
}

static void boot_hart_and_timer(struct ktest *t)
{
	const struct platform *p = &boot_platform;
	const struct hart *h = &p->harts[p->boot_hart];

	ASSERT_TRUE(t, p->boot_hart < p->nr_harts);
	EXPECT_TRUE(t, h->enabled);
	EXPECT_TRUE(t, h->sv39);
	EXPECT_TRUE(t, p->timebase_hz > 0);
}

static void reparse_is_identical(struct ktest *t)
{
	const struct platform *p = &boot_platform;

	ASSERT_EQ(
		t,
		platform_parse(p->fdt, p->harts[p->boot_hart].hartid, &scratch),
		0);
	EXPECT_EQ(t, memcmp(&scratch, p, sizeof(scratch)), 0);
}

/* Copy the live blob, damage it with fn, expect errno and a message. */
static void expect_damage(struct ktest *t, void (*fn)(uint8_t *blob), int err,
			  const char *msg)
{
	const struct platform *p = &boot_platform;

	if (!EXPECT_TRUE(t, p->fdt_size <= COPY_MAX))
		return;
	memcpy(copy, p->fdt, p->fdt_size);
	fn(copy);
	EXPECT_EQ(t,
		  platform_parse(copy, p->harts[p->boot_hart].hartid, &scratch),
		  err);
	EXPECT_TRUE(t, strstr(scratch.error, msg) != NULL);
}

static void bad_magic(uint8_t *b)
{
	b[0] ^= 0xff;
}

static void cut_structure(uint8_t *b)
{
	/* claim a structure block that ends in the middle of the tree */
	fdt_set_size_dt_struct(b, fdt_size_dt_struct(b) / 2);
}

static void garbage_tag(uint8_t *b)
{
	/* the tag after the root node's name: an unknown tag value */
	*(fdt32_t *)(b + fdt_off_dt_struct(b) + 8) = cpu_to_fdt32(0x77);
}

static void damaged_copies_fail_cleanly(struct ktest *t)
{
	const struct platform *p = &boot_platform;

	EXPECT_EQ(t, platform_parse(NULL, 0, &scratch), -EINVAL);
	EXPECT_TRUE(t, strstr(scratch.error, "no device tree") != NULL);
	expect_damage(t, bad_magic, -EINVAL, "bad magic");
	expect_damage(t, cut_structure, -EINVAL, "structure block");
	expect_damage(t, garbage_tag, -EINVAL, "structure block");
	EXPECT_EQ(t, platform_parse(p->fdt, 0xdead, &scratch), -ENODEV);
	EXPECT_TRUE(t, strstr(scratch.error, "boot hart 57005") != NULL);
}

KTEST_SUITE(platform, KTEST_CASE(memory_is_sorted_and_holds_us),
	    KTEST_CASE(boot_hart_and_timer), KTEST_CASE(reparse_is_identical),
	    KTEST_CASE(damaged_copies_fail_cleanly));
