// SPDX-License-Identifier: MIT
/*
 * apps/layout - what the runtime gave the app at exec: the initial stack
 * (argc, argv, envp, the auxiliary vector) and where the heap, the mmap
 * area and the stack were placed. The random parts are printed as their
 * distance from the unrandomised layout of hal/riscv/layout.h, so with bootarg
 * norandmaps every gap is 0:
 *
 *   brk_gap    sbrk(0) - PAGE_ALIGN(_end)
 *   stack_gap  0x4000000000 - the page above AT_EXECFN (the top string)
 *   mmap_gap   the mmap base the stack implies, minus the end of the
 *              first mmap (which lands right below it)
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "apps/runtime/runtime.h"

#define PAGE	    4096UL
#define USER_END    0x4000000000UL
#define STACK_LIMIT (8UL << 20)
#define STACK_GUARD (1UL << 20)
#define MMAP_GAP    (128UL << 20)
#define AT_PHDR	    3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_ENTRY    9
#define AT_RANDOM   25
#define AT_EXECFN   31

extern char _end[], _start[];

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static uintptr_t page_up(uintptr_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

int main(int argc, char **argv, char **envp)
{
	const struct phdr *ph = (const void *)getauxval(AT_PHDR);
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	uintptr_t stack_top = page_up((uintptr_t)execfn + strlen(execfn) + 1);
	void *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int loads = 0, nonzero = 0;
	unsigned long first_load = 0;

	printf("layout: argc=%d argv0=%s last=%s envp0=%s\n", argc, argv[0],
	       argv[argc - 1], envp[0] ? envp[0] : "(null)");
	printf("layout: execfn=%s\n", execfn);
	printf("layout: pagesz=%lu entry_is_start=%d\n", getauxval(AT_PAGESZ),
	       getauxval(AT_ENTRY) == (uintptr_t)_start);
	for (unsigned long i = 0; ph && i < getauxval(AT_PHNUM); i++)
		if (ph[i].type == 1 /* PT_LOAD */ && !loads++)
			first_load = ph[i].vaddr;
	printf("layout: phent=%lu phnum=%lu loads=%u first_load=0x%lx\n",
	       getauxval(AT_PHENT), getauxval(AT_PHNUM), loads, first_load);
	for (int i = 0; rnd && i < 16; i++)
		nonzero += rnd[i] != 0;
	printf("layout: at_random_nonzero_bytes=%u\n", nonzero);
	printf("layout: text=0x%lx\n",
	       (unsigned long)(uintptr_t)main & ~0xfffUL);
	printf("layout: brk_gap=0x%lx\n",
	       (unsigned long)((uintptr_t)sbrk(0) - page_up((uintptr_t)_end)));
	printf("layout: stack_gap=0x%lx\n", USER_END - stack_top);
	printf("layout: mmap_gap=0x%lx\n",
	       (unsigned long)(stack_top - STACK_LIMIT - STACK_GUARD -
			       MMAP_GAP - ((uintptr_t)m + PAGE)));
	return 0;
}
