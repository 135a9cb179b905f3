// SPDX-License-Identifier: MIT
/*
 * hal/riscv/timer.c - time and the supervisor timer interrupt.
 *
 * Time is the `time` CSR, counting at the device tree's timebase-frequency.
 * Deadlines go to stimecmp when the hart has Sstc (no firmware round trip),
 * else through SBI TIME. Interrupt context may call timer_arm/disarm.
 * Sleeping is wfi with the timer interrupt enabled in sie but not in
 * sstatus: the pending interrupt ends the wfi and is never taken.
 *
 * Two users share the one comparator. Kernel waiters (timer_wait_until,
 * hal/virtio/mmio.c) bracket a wfi with timer_arm(deadline) and
 * timer_disarm(), interrupts off. The kthread tick (timer_tick_set, from
 * kthread.c) is a deadline meant to interrupt the app in U-mode. The rule
 * that lets them coexist: a waiter's deadline wins while it waits, and
 * timer_disarm() puts the tick back instead of switching the timer off.
 *   - A waiter must wake at its own deadline, not at an earlier tick: if
 *     the tick's deadline passed while it slept, STIP would stay pending
 *     and every wfi of its loop return at once (a spin, not a sleep).
 *   - Delaying the tick costs nothing: threads run only when a trap returns
 *     to U-mode, never while the kernel waits; a tick deadline that passed
 *     meanwhile leaves STIP pending once restored, so the app traps at its
 *     first instruction and the threads get their turn then.
 *   - timer_tick_set() while a waiter is armed only records the deadline
 *     (the waiter's disarm programs it): it cannot cut a wait short.
 */
#include "hal/riscv/riscv.h"

static uint32_t timebase_hz;
static bool use_sstc;
static uint64_t tick_deadline = UINT64_MAX; /* the kthread tick; MAX: none */
static bool waiter_armed; /* between a timer_arm() and its timer_disarm() */

void timer_init(uint32_t hz, bool has_sstc)
{
	timebase_hz = hz;
	use_sstc = has_sstc;
	timer_disarm();
}

uint32_t timer_hz(void)
{
	return timebase_hz;
}

bool timer_uses_sstc(void)
{
	return use_sstc;
}

uint64_t timer_ns(void)
{
	return timer_ticks_to_ns(rdtime());
}

static void program(uint64_t deadline)
{
	if (use_sstc)
		csr_write(CSR_STIMECMP, deadline);
	else
		sbi_set_timer(deadline);
}

void timer_arm(uint64_t deadline)
{
	waiter_armed = true;
	program(deadline);
	csr_set(CSR_SIE, SIE_STIE);
}

/* The waiter is done: back to the tick if there is one, else off. */
void timer_disarm(void)
{
	waiter_armed = false;
	if (tick_deadline != UINT64_MAX) {
		program(tick_deadline);
		csr_set(CSR_SIE, SIE_STIE);
		return;
	}
	csr_clear(CSR_SIE, SIE_STIE);
	/* A deadline in the far future also clears a pending STIP. */
	program(UINT64_MAX);
}

void timer_tick_set(uint64_t deadline)
{
	tick_deadline = deadline;
	if (waiter_armed)
		return;
	if (deadline == UINT64_MAX) {
		csr_clear(CSR_SIE, SIE_STIE);
		program(UINT64_MAX);
		return;
	}
	program(deadline);
	csr_set(CSR_SIE, SIE_STIE);
}

uint64_t timer_tick(void)
{
	return tick_deadline;
}

uint64_t timer_ns_to_ticks(uint64_t ns)
{
	const uint64_t s = 1000000000ULL;

	return ns / s * timebase_hz + (ns % s * timebase_hz + s - 1) / s;
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	if (!timebase_hz)
		return 0;
	/* split to avoid overflowing ticks * 1e9 after ~18 s at 1 GHz */
	return ticks / timebase_hz * 1000000000ULL +
	       ticks % timebase_hz * 1000000000ULL / timebase_hz;
}

void timer_wait_until(uint64_t deadline)
{
	/* wfi may end early (another interrupt, or none): look again */
	while (rdtime() < deadline) {
		timer_arm(deadline);
		wfi();
	}
	timer_disarm();
}
