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
 * Two kinds of user share the one comparator. Kernel waiters
 * (timer_wait_until, hal/virtio/mmio.c) bracket a wfi with
 * timer_arm(deadline) and timer_disarm(), interrupts off. The background
 * ticks (timer_tick_set: kthread.c's, kernel/sched.c's) are deadlines meant
 * to interrupt the app in U-mode; the comparator holds the earliest, and
 * the interrupt calls the handler of each tick whose deadline passed. The
 * rule that lets waiters and ticks coexist: a waiter's deadline wins while
 * it waits, and timer_disarm() puts the ticks back instead of switching the
 * timer off.
 *   - A waiter must wake at its own deadline, not at an earlier tick: if
 *     a tick's deadline passed while it slept, STIP would stay pending
 *     and every wfi of its loop return at once (a spin, not a sleep).
 *   - Delaying a tick costs nothing: its work is done when a trap returns
 *     to U-mode, never while the kernel waits; a tick deadline that passed
 *     meanwhile leaves STIP pending once restored, so the app traps at its
 *     first instruction and the tick's handler runs then.
 *   - timer_tick_set() while a waiter is armed only records the deadline
 *     (the waiter's disarm programs it): it cannot cut a wait short.
 */
#include "hal/riscv/riscv.h"

static uint32_t timebase_hz;
static bool use_sstc;
static uint64_t tick_deadline[NR_TIMER_TICKS] = { UINT64_MAX, UINT64_MAX };
static void (*tick_fn[NR_TIMER_TICKS])(struct trap_frame *tf);
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

/* The earliest tick, UINT64_MAX if none. */
static uint64_t next_tick(void)
{
	uint64_t d = UINT64_MAX;

	for (int c = 0; c < NR_TIMER_TICKS; c++)
		if (tick_deadline[c] < d)
			d = tick_deadline[c];
	return d;
}

/* The comparator to the earliest tick, or off. */
static void program_ticks(void)
{
	uint64_t d = next_tick();

	if (d != UINT64_MAX) {
		program(d);
		csr_set(CSR_SIE, SIE_STIE);
		return;
	}
	csr_clear(CSR_SIE, SIE_STIE);
	/* A deadline in the far future also clears a pending STIP. */
	program(UINT64_MAX);
}

/* The waiter is done: back to the ticks if there are any, else off. */
void timer_disarm(void)
{
	waiter_armed = false;
	program_ticks();
}

/*
 * The timer interrupt while ticks are set: every tick whose deadline has
 * passed is consumed (else STIP would trap again at sret) and its handler
 * called; the handlers may set new ticks. Registered whenever a tick is
 * set, so a test that borrowed IRQ_S_TIMER (tests/kernel/test_hal.c)
 * cannot leave it unset.
 */
static void on_tick(struct trap_frame *tf)
{
	uint64_t now = rdtime();

	for (int c = 0; c < NR_TIMER_TICKS; c++) {
		if (tick_deadline[c] > now)
			continue;
		tick_deadline[c] = UINT64_MAX;
		if (tick_fn[c])
			tick_fn[c](tf);
	}
	if (!waiter_armed)
		program_ticks();
}

void timer_tick_handler(enum timer_tick_client c,
			void (*fn)(struct trap_frame *tf))
{
	tick_fn[c] = fn;
}

void timer_tick_set(enum timer_tick_client c, uint64_t deadline)
{
	tick_deadline[c] = deadline;
	if (deadline != UINT64_MAX)
		trap_set_irq_handler(IRQ_S_TIMER, on_tick);
	if (!waiter_armed)
		program_ticks();
}

uint64_t timer_tick(enum timer_tick_client c)
{
	return tick_deadline[c];
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
