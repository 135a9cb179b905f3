// SPDX-License-Identifier: MIT
/*
 * apps/vmbench - what the runtime's virtual memory costs the app, in
 * instructions retired (rdinstret from U-mode; exact under QEMU's
 * -icount shift=0, which `make bench` uses). Each number is the median of
 * ROUNDS samples of one operation, including the trap into the runtime
 * and back:
 *
 *   syscall        a round trip: brk(0), the cheapest call
 *   fault_write    first write to an untouched anonymous page: a zeroed
 *                  page from the buddy allocator mapped RW
 *   fault_read     first read of one: the shared zero page mapped R
 *   fault_cow      first write after a read: the zero page replaced
 *   brk_grow       sbrk(+4 KiB), untouched
 *   mmap_munmap    mmap of one anonymous page and its munmap, untouched
 *
 * Output: "bench: vm_<name> instructions=<median> min=<min> samples=<n>".
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

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t overhead;

static void report(const char *name, uint64_t *s, int n)
{
	qsort(s, (size_t)n, sizeof(*s), cmp);
	printf("bench: vm_%s instructions=%llu min=%llu samples=%d\n", name,
	       (unsigned long long)(s[n / 2] - overhead),
	       (unsigned long long)(s[0] - overhead), n);
}

int main(void)
{
	static uint64_t s[ROUNDS];
	volatile char *area;

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = instret();

		s[i] = instret() - t0;
	}
	qsort(s, ROUNDS, sizeof(*s), cmp);
	overhead = s[ROUNDS / 2];

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = instret();

		syscall6(SYS_brk, 0, 0, 0, 0, 0, 0);
		s[i] = instret() - t0;
	}
	report("syscall", s, ROUNDS);

	area = mmap(NULL, 3 * ROUNDS * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("bench: vm_error mmap failed\n");
		return 1;
	}
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = instret();

		area[i * PAGE] = 1;
		s[i] = instret() - t0;
	}
	report("fault_write", s, ROUNDS);
	for (int i = 0; i < ROUNDS; i++) {
		volatile char *p = area + (ROUNDS + i) * PAGE;
		uint64_t t0 = instret();

		(void)*p;
		s[i] = instret() - t0;
	}
	report("fault_read", s, ROUNDS);
	for (int i = 0; i < ROUNDS; i++) {
		volatile char *p = area + (ROUNDS + i) * PAGE;
		uint64_t t0 = instret();

		*p = 1;
		s[i] = instret() - t0;
	}
	report("fault_cow", s, ROUNDS);
	munmap((void *)area, 3 * ROUNDS * PAGE);

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = instret();

		if (sbrk(PAGE) == (void *)-1)
			return 1;
		s[i] = instret() - t0;
	}
	report("brk_grow", s, ROUNDS);
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = instret();
		void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		munmap(p, PAGE);
		s[i] = instret() - t0;
	}
	report("mmap_munmap", s, ROUNDS);
	return 0;
}
