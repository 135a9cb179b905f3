// SPDX-License-Identifier: MIT
/*
 * hal/riscv/timer.c - time and the supervisor timer interrupt.
 *
 * Time is the `time` CSR, counting at the device tree's timebase-frequency.
 * Deadlines go to stimecmp when the hart has Sstc (no firmware round trip),
 * else through SBI TIME. Interrupt context may call timer_arm/disarm.
 * Sleeping is wfi with the timer interrupt enabled in sie but not in
 * sstatus: the pending interrupt ends the wfi and is never taken.
 */
#include "hal/riscv/riscv.h"

static uint32_t timebase_hz;
static bool use_sstc;

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
	uint64_t t = rdtime();

	if (!timebase_hz)
		return 0;
	/* split to avoid overflowing t * 1e9 after ~18 s at 1 GHz */
	return t / timebase_hz * 1000000000ULL +
	       t % timebase_hz * 1000000000ULL / timebase_hz;
}

void timer_arm(uint64_t deadline)
{
	if (use_sstc)
		csr_write(CSR_STIMECMP, deadline);
	else
		sbi_set_timer(deadline);
	csr_set(CSR_SIE, SIE_STIE);
}

void timer_disarm(void)
{
	csr_clear(CSR_SIE, SIE_STIE);
	/* A deadline in the far future also clears a pending STIP. */
	if (use_sstc)
		csr_write(CSR_STIMECMP, UINT64_MAX);
	else
		sbi_set_timer(UINT64_MAX);
}

uint64_t timer_ns_to_ticks(uint64_t ns)
{
	const uint64_t s = 1000000000ULL;

	return ns / s * timebase_hz + (ns % s * timebase_hz + s - 1) / s;
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
