// SPDX-License-Identifier: MIT
/*
 * hal/rtc/goldfish.c - the Goldfish real-time clock.
 *
 * Two 32-bit registers hold the time in nanoseconds since the Unix epoch;
 * reading TIME_LOW latches the matching TIME_HIGH, so low is read first.
 * The alarm and interrupt registers are not used.
 */
#include "hal/riscv/riscv.h"
#include "hal/rtc/rtc.h"

/* clang-format off */
#define RTC_TIME_LOW   0x00
#define RTC_TIME_HIGH  0x04
/* clang-format on */

uint64_t goldfish_rtc_read_ns(const volatile void *base)
{
	const volatile uint8_t *regs = base;
	uint32_t low = readl(regs + RTC_TIME_LOW);
	uint32_t high = readl(regs + RTC_TIME_HIGH);

	return (uint64_t)high << 32 | low;
}
