// SPDX-License-Identifier: MIT
/*
 * tests/scenarios/static-pie.c - a static-pie (ET_DYN) Linux program with
 * no libc (Debian's glibc has no rcrt1.o for riscv64), for the scenario
 * static-pie: built by the test with riscv64-linux-gnu-gcc -static-pie
 * -nostdlib -ffreestanding: position-independent code with no relocations.
 * It prints where it runs and AT_ENTRY, and exits 0 if AT_ENTRY is _start.
 */
#include <stdint.h>

static long sys(long n, long a, long b, long c)
{
	register long a7 __asm__("a7") = n, a0 __asm__("a0") = a,
			 a1 __asm__("a1") = b, a2 __asm__("a2") = c;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2)
			 : "memory");
	return a0;
}

static void put(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys(64 /* write */, 1, (long)s, n);
}

static void put_hex(uint64_t v)
{
	char buf[19] = "0x";

	for (int i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	buf[18] = 0;
	put(buf);
}

extern char _start[] __attribute__((visibility("hidden"))); /* pc-relative */
void _start_c(uint64_t *sp);

void _start_c(uint64_t *sp)
{
	uint64_t argc = sp[0], *p = sp + 1 + argc + 1, entry = 0;

	while (*p) /* envp */
		p++;
	for (p++; p[0]; p += 2) /* auxv */
		if (p[0] == 9 /* AT_ENTRY */)
			entry = p[1];
	put("static-pie: _start_c at ");
	put_hex((uint64_t)(uintptr_t)_start_c);
	put(", AT_ENTRY ");
	put_hex(entry);
	put("\n");
	put(entry == (uintptr_t)_start
		    ? "static-pie: AT_ENTRY is _start\n"
		    : "static-pie: AT_ENTRY is not _start\n");
	sys(94 /* exit_group */, entry == (uintptr_t)_start ? 0 : 1, 0, 0);
}

__asm__(".globl _start\n"
	"_start:\n"
	"	mv a0, sp\n"
	"	j _start_c\n");
