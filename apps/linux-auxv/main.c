// SPDX-License-Identifier: MIT
/*
 * apps/linux-auxv - a static glibc program (linux.mk) that prints what the
 * loader gave it: the auxiliary vector through getauxval(), the program
 * headers AT_PHDR points at, argv and envp. The scenario linux-auxv checks
 * the values against the ELF file and the hart's riscv,isa.
 */
#include <elf.h>
#include <stdio.h>
#include <sys/auxv.h>

extern char **environ;

int main(int argc, char **argv)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long hwcap = getauxval(AT_HWCAP), phnum = getauxval(AT_PHNUM);
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	unsigned int loads = 0, n = 0;
	char letters[27];

	for (int c = 'a'; c <= 'z'; c++)
		if (hwcap & (1UL << (c - 'a')))
			letters[n++] = (char)c;
	letters[n] = 0;
	printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
	printf("AT_HWCAP=0x%lx (%s)\n", hwcap, letters);
	printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
	printf("AT_PHNUM=%lu\n", phnum);
	printf("AT_ENTRY=0x%lx\n", getauxval(AT_ENTRY));
	printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
	printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
	printf("AT_UID=%lu AT_EUID=%lu AT_GID=%lu AT_EGID=%lu\n",
	       getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID),
	       getauxval(AT_EGID));
	printf("AT_BASE=0x%lx\n", getauxval(AT_BASE));
	printf("AT_EXECFN=%s\n", execfn ? execfn : "(none)");
	printf("AT_RANDOM=%s\n",
	       rnd && (rnd[0] | rnd[1] | rnd[2] | rnd[3]) ? "set" : "zero");
	for (unsigned long i = 0; ph && i < phnum; i++)
		loads += ph[i].p_type == PT_LOAD;
	printf("AT_PHDR: %u PT_LOAD of %lu\n", loads, phnum);
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("envp: %s\n", *e);
	return 0;
}
