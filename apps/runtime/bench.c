// SPDX-License-Identifier: MIT
/*
 * apps/runtime/bench.c - what a benchmark app reads its counters with, on
 * QEMU and on a board alike: instructions retired (rdinstret), cycles
 * (rdcycle) and the time CSR (rdtime), all three readable from U-mode
 * (the runtime sets scounteren's IR, CY and TM bits), and the time CSR's
 * rate, the device tree's timebase-frequency, from
 * /proc/device-tree/cpus/timebase-frequency (the same file as on Linux).
 *
 * Under QEMU -icount shift=0 instructions are exact and cycles follow
 * them; on hardware cycles are the core's clock and time the board's
 * timebase (4 MHz on the VisionFive 2, 1 MHz on the Unmatched), so one
 * tick is 250 ns or 1 us there: time a run of many operations, never one.
 */
#include <fcntl.h>
#include <unistd.h>

#include "apps/runtime/runtime.h"

void bench_read(struct bench_counters *c)
{
	__asm__ volatile("rdinstret %0\n\t"
			 "rdcycle %1\n\t"
			 "rdtime %2"
			 : "=&r"(c->instret), "=&r"(c->cycles),
			   "=&r"(c->ticks)::"memory");
}

uint64_t bench_timebase_hz(void)
{
	static uint64_t hz;
	unsigned char be[4];
	int fd;

	if (hz)
		return hz;
	fd = open("/proc/device-tree/cpus/timebase-frequency", O_RDONLY);
	if (fd < 0)
		return 0;
	if (read(fd, be, sizeof(be)) == (ssize_t)sizeof(be))
		hz = (uint64_t)be[0] << 24 | (uint64_t)be[1] << 16 |
		     (uint64_t)be[2] << 8 | be[3];
	close(fd);
	return hz;
}

uint64_t bench_ticks_to_ns(uint64_t ticks)
{
	uint64_t hz = bench_timebase_hz();

	if (!hz)
		return 0;
	/* split so that ticks * 1e9 cannot overflow */
	return ticks / hz * 1000000000ULL + ticks % hz * 1000000000ULL / hz;
}
