// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_ksyms.c - the symbol table and frame-pointer walks that
 * every trap report and panic depends on.
 */
#include <string.h>

#include "hal/riscv/riscv.h"
#include "kernel/kernel.h"
#include "tests/kernel/ktest.h"

static void names_round_trip(struct ktest *t)
{
	unsigned long addr = ksym_address("boot_main"), off = 1;

	ASSERT_TRUE(t, addr != 0);
	EXPECT_STREQ(t, ksym_lookup(addr, &off), "boot_main");
	EXPECT_EQ(t, off, 0);
	EXPECT_STREQ(t, ksym_lookup(addr + 4, &off), "boot_main");
	EXPECT_EQ(t, off, 4);
	EXPECT_EQ(t, ksym_address("no_such_function"), 0);
	EXPECT_TRUE(t, ksym_lookup(0x1234, &off) == NULL);
}

static size_t depth;
static unsigned long pcs[8];

static __attribute__((noinline)) void bt_inner(void)
{
	depth = backtrace_capture(pcs, 8);
	__asm__ volatile("" ::: "memory"); /* not a tail call */
}

static __attribute__((noinline)) void bt_outer(void)
{
	bt_inner();
	__asm__ volatile("" ::: "memory");
}

static void backtrace_names_callers(struct ktest *t)
{
	bt_outer();
	ASSERT_TRUE(t, depth >= 3);
	EXPECT_STREQ(t, ksym_lookup(pcs[0], NULL), "bt_inner");
	EXPECT_STREQ(t, ksym_lookup(pcs[1], NULL), "bt_outer");
	EXPECT_STREQ(t, ksym_lookup(pcs[2], NULL), "backtrace_names_callers");
}

KTEST_SUITE(ksyms, KTEST_CASE(names_round_trip),
	    KTEST_CASE(backtrace_names_callers));
