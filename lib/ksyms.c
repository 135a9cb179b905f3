// SPDX-License-Identifier: MIT
/*
 * lib/ksyms.c - function names for backtraces.
 *
 * scripts/ksyms.sh writes the table from the first link of the image
 * (`nm -n`), and the second link places it in .ksyms after .rodata, where
 * it moves no code (the Makefile checks that). Layout, all little endian:
 *
 *     ksym_count              number of functions, sorted by address
 *     ksym_addr[count]        low 32 bits of each address; the image lies
 *                             within 2 GiB of KERNEL_VA, so the high half
 *                             is always 0xffffffff
 *     ksym_name_off[count]    offset of each name in ksym_names
 *     ksym_names              NUL-terminated names
 */
#include <string.h>

#include "lib/lib.h"

extern const uint64_t ksym_count;
extern const uint32_t ksym_addr[], ksym_name_off[];
extern const char ksym_names[];
extern char _start[], _etext[];

static unsigned long addr_of(uint64_t i)
{
	return 0xffffffff00000000UL | ksym_addr[i];
}

const char *ksym_lookup(unsigned long pc, unsigned long *offset)
{
	uint64_t lo = 0, hi = ksym_count;

	if (pc < (unsigned long)_start || pc >= (unsigned long)_etext || !hi)
		return NULL;
	/* find the last symbol at or below pc */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (addr_of(mid) <= pc)
			lo = mid;
		else
			hi = mid;
	}
	if (addr_of(lo) > pc)
		return NULL;
	if (offset)
		*offset = pc - addr_of(lo);
	return ksym_names + ksym_name_off[lo];
}

unsigned long ksym_address(const char *name)
{
	for (uint64_t i = 0; i < ksym_count; i++)
		if (!strcmp(ksym_names + ksym_name_off[i], name))
			return addr_of(i);
	return 0;
}
