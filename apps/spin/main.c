// SPDX-License-Identifier: MIT
/*
 * apps/spin - keeps the hart busy in U-mode without a system call for a
 * while (its argument, in ms; 400 without one): long loops that read the
 * clock between them, then prints how many iterations it managed. With a kernel thread that always wants the hart
 * (the test image's kthread_spin boot option) the count halves: the tick
 * takes the app out every slice (docs/kthread.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHUNK 4000000UL

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long ms = argc > 1 ? strtol(argv[1], NULL, 10) : 400;
	uint64_t t0 = now_ns(), n = 0;

	/*
	 * A system call every CHUNK iterations only to read the clock: each
	 * chunk takes longer than a slice, so the app is taken out of U-mode
	 * by the tick, not at a system call.
	 */
	while (now_ns() - t0 < (uint64_t)ms * 1000000)
		for (unsigned long i = 0; i < CHUNK; i++)
			__asm__ volatile("addi %0, %0, 1" : "+r"(n));
	printf("spin: %llu iterations in %ld ms\n", (unsigned long long)n, ms);
	return 0;
}
