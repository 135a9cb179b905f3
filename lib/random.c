// SPDX-License-Identifier: MIT
/*
 * lib/random.c - the runtime's random numbers: splitmix64, a small and
 * well-mixed generator, over a seed (the device tree's rng-seed). Not a
 * cryptographic generator; the app's getrandom() and the layout
 * randomisation draw from it.
 */
#include "lib/lib.h"

static uint64_t state = 0x243f6a8885a308d3ULL; /* pi: a fixed start */

void random_seed(const void *seed, size_t len)
{
	const unsigned char *s = seed;

	state = 0x243f6a8885a308d3ULL;
	for (size_t i = 0; i < len; i++)
		state = (state ^ s[i]) * 0x100000001b3ULL; /* FNV-1a's prime */
}

uint64_t random_u64(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
