// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_hal.c - the firmware interface, time, the timer
 * interrupt and trap naming, on the real (or emulated) hart.
 */
#include <string.h>

#include "boot/boot.h"
#include "hal/riscv/riscv.h"
#include "tests/kernel/ktest.h"

static volatile unsigned int timer_hits;

static void sbi_was_probed(struct ktest *t)
{
	EXPECT_TRUE(t, sbi.spec_major > 0 || sbi.spec_minor >= 2);
	EXPECT_TRUE(t, sbi.has_time || sbi.has_legacy_console);
	EXPECT_TRUE(t, strcmp(sbi_impl_name(sbi.impl_id), "unknown") != 0);
}

static void time_advances(struct ktest *t)
{
	uint64_t n0 = timer_ns(), t0 = rdtime(); /* n0 first: never later */

	while (rdtime() - t0 < timer_hz() / 1000) /* 1 ms */
		;
	EXPECT_TRUE(t, timer_ns() - n0 >= 1000000);
	EXPECT_EQ(t, timer_hz(), boot_platform.timebase_hz);
}

static void on_timer(struct trap_frame *tf)
{
	(void)tf;
	timer_hits++;
	timer_disarm();
}

static void timer_interrupt_fires(struct ktest *t)
{
	uint64_t start = rdtime(),
		 deadline = start + timer_hz() / 500; /* 2 ms */
	uint64_t give_up = start + timer_hz();	      /* 1 s */

	timer_hits = 0;
	trap_set_irq_handler(IRQ_S_TIMER, on_timer);
	timer_arm(deadline);
	irq_enable();
	while (!timer_hits && rdtime() < give_up)
		wfi();
	(void)irq_save();
	trap_set_irq_handler(IRQ_S_TIMER, NULL);
	ASSERT_EQ(t, timer_hits, 1);
	EXPECT_TRUE(t, rdtime() >= deadline);
	EXPECT_EQ(t, csr_read(CSR_SIE) & SIE_STIE, 0);
}

static void causes_have_names(struct ktest *t)
{
	EXPECT_STREQ(t, trap_cause_name(CAUSE_LOAD_PAGE_FAULT),
		     "load page fault");
	EXPECT_STREQ(t, trap_cause_name(CAUSE_ILLEGAL_INSN),
		     "illegal instruction");
	EXPECT_STREQ(t, trap_cause_name(CAUSE_INTERRUPT | IRQ_S_TIMER),
		     "supervisor timer interrupt");
	EXPECT_STREQ(t, trap_cause_name(63), "unknown cause");
}

KTEST_SUITE(hal, KTEST_CASE(sbi_was_probed), KTEST_CASE(time_advances),
	    KTEST_CASE(timer_interrupt_fires), KTEST_CASE(causes_have_names));
