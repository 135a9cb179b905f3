/* SPDX-License-Identifier: MIT */
/*
 * tests/host/newlib_memalign.c - apps/membench's api-memalign pattern
 * against newlib's malloc as scripts/newlib-malloc.sh builds it, linked
 * into this host program (its malloc, free, memalign replace the C
 * library's) over the host's sbrk: test_newlib_malloc.sh runs it.
 *
 * For each alignment, 16 .. 4096 by four: rounds of 200 blocks of
 * 48..144 bytes from memalign, each filled with its own byte; all checked,
 * then freed. A block that overlaps another, or a misaligned one, fails
 * (exit 1); a chunk header lost the way memalign's was when gcc took
 * mallocr.c's calls of its own free for the C library's ends in SIGSEGV.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BLOCKS 200

static unsigned char *ptr[BLOCKS];

static int check(size_t align, unsigned i, size_t len)
{
	for (size_t j = 0; j < len; j++) {
		if (ptr[i][j] != (unsigned char)(i + 1)) {
			printf("memalign(%zu): block %u overwritten at byte %zu\n",
			       align, i, j);
			return 1;
		}
	}
	return 0;
}

int main(void)
{
	for (size_t align = 16; align <= 4096; align *= 4) {
		for (int round = 0; round < 10; round++) {
			for (unsigned i = 0; i < BLOCKS; i++) {
				size_t len = 48 + (i % 4) * 32;

				ptr[i] = memalign(align, len);
				if (!ptr[i] || (uintptr_t)ptr[i] % align) {
					printf("memalign(%zu, %zu) = %p\n",
					       align, len, (void *)ptr[i]);
					return 1;
				}
				memset(ptr[i], (int)(i + 1), len);
			}
			for (unsigned i = 0; i < BLOCKS; i++)
				if (check(align, i, 48 + (i % 4) * 32))
					return 1;
			for (unsigned i = 0; i < BLOCKS; i++)
				free(ptr[i]);
		}
		printf("memalign %zu: ok\n", align);
	}
	return 0;
}
