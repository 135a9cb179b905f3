// SPDX-License-Identifier: MIT
/*
 * apps/vmbench - what the runtime's virtual memory costs the app, in
 * instructions retired (rdinstret from U-mode; exact under QEMU's
 * -icount shift=0, which `make bench` uses), core cycles (rdcycle) and
 * wall time (rdtime at the device tree's timebase-frequency; what counts
 * on a board). Each count is the median of ROUNDS samples of one
 * operation, including the trap into the runtime and back:
 *
 *   syscall        a round trip: brk(0), the cheapest call
 *   fault_write    first write to an untouched anonymous page: a zeroed
 *                  page from the buddy allocator mapped RW
 *   fault_read     first read of one: the shared zero page mapped R
 *   fault_cow      first write after a read: the zero page replaced
 *   brk_grow       sbrk(+4 KiB), untouched
 *   mmap_munmap    mmap of one anonymous page and its munmap, untouched
 *
 * Output, one line each (keys only ever added at the end):
 *
 *   bench: vm_<name> instructions=<median> min=<min> samples=<n> cycles=<median> mean_ns=<ns>
 *
 * and first "bench: vm_clock timebase_hz=<Hz>". instructions and cycles
 * are the operation's alone (an empty sample's median subtracted);
 * mean_ns is the time of the whole loop over the samples divided by
 * their number, so it includes the few instructions of the loop and the
 * counter reads (a timebase tick is 100 ns to 1 us: one operation is
 * too short to time alone).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "apps/runtime/runtime.h"
#include "kernel/unistd.h"

#define ROUNDS 256
#define PAGE   4096

static inline uint64_t instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v)::"memory");
	return v;
}

static inline uint64_t cycles(void)
{
	uint64_t v;

	__asm__ volatile("rdcycle %0" : "=r"(v)::"memory");
	return v;
}

static inline uint64_t ticks(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v)::"memory");
	return v;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t s[ROUNDS], sc[ROUNDS]; /* instructions, cycles a sample */
static uint64_t overhead, overhead_cycles;

/* One sample i of op: its instructions into s[i], its cycles into sc[i]. */
#define SAMPLE(i, op)                                          \
	do {                                                   \
		uint64_t i0_ = instret(), c0_ = cycles(), c1_; \
		op;                                            \
		c1_ = cycles();                                \
		s[i] = instret() - i0_;                        \
		sc[i] = c1_ - c0_;                             \
	} while (0)

static uint64_t less(uint64_t v, uint64_t by)
{
	return v > by ? v - by : 0;
}

static void report(const char *name, int n, uint64_t loop_ticks)
{
	qsort(s, (size_t)n, sizeof(*s), cmp);
	qsort(sc, (size_t)n, sizeof(*sc), cmp);
	printf("bench: vm_%s instructions=%llu min=%llu samples=%d cycles=%llu mean_ns=%llu\n",
	       name, (unsigned long long)less(s[n / 2], overhead),
	       (unsigned long long)less(s[0], overhead), n,
	       (unsigned long long)less(sc[n / 2], overhead_cycles),
	       (unsigned long long)(bench_ticks_to_ns(loop_ticks) /
				    (uint64_t)n));
}

int main(void)
{
	volatile char *area;
	uint64_t t0;

	printf("bench: vm_clock timebase_hz=%llu\n",
	       (unsigned long long)bench_timebase_hz());
	for (int i = 0; i < ROUNDS; i++)
		SAMPLE(i, (void)0);
	qsort(s, ROUNDS, sizeof(*s), cmp);
	qsort(sc, ROUNDS, sizeof(*sc), cmp);
	overhead = s[ROUNDS / 2];
	overhead_cycles = sc[ROUNDS / 2];

	t0 = ticks();
	for (int i = 0; i < ROUNDS; i++)
		SAMPLE(i, syscall6(SYS_brk, 0, 0, 0, 0, 0, 0));
	report("syscall", ROUNDS, ticks() - t0);

	area = mmap(NULL, 3 * ROUNDS * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("bench: vm_error mmap failed\n");
		return 1;
	}
	t0 = ticks();
	for (int i = 0; i < ROUNDS; i++)
		SAMPLE(i, area[i * PAGE] = 1);
	report("fault_write", ROUNDS, ticks() - t0);
	t0 = ticks();
	for (int i = 0; i < ROUNDS; i++) {
		volatile char *p = area + (ROUNDS + i) * PAGE;

		SAMPLE(i, (void)*p);
	}
	report("fault_read", ROUNDS, ticks() - t0);
	t0 = ticks();
	for (int i = 0; i < ROUNDS; i++) {
		volatile char *p = area + (ROUNDS + i) * PAGE;

		SAMPLE(i, *p = 1);
	}
	report("fault_cow", ROUNDS, ticks() - t0);
	munmap((void *)area, 3 * ROUNDS * PAGE);

	t0 = ticks();
	for (int i = 0; i < ROUNDS; i++) {
		void *brk_was;

		SAMPLE(i, brk_was = sbrk(PAGE));
		if (brk_was == (void *)-1)
			return 1;
	}
	report("brk_grow", ROUNDS, ticks() - t0);
	t0 = ticks();
	for (int i = 0; i < ROUNDS; i++) {
		void *p;

		SAMPLE(i, p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		       munmap(p, PAGE));
	}
	report("mmap_munmap", ROUNDS, ticks() - t0);
	return 0;
}
