// SPDX-License-Identifier: MIT
/*
 * apps/crash - does one bad thing on purpose, so tests can check that the
 * runtime ends the app with a report (the fault, the address, the VMA or
 * "no mapping", the registers) and the status Linux's signal would give,
 * then shuts down cleanly instead of hanging.
 *
 *     make run APP=crash ARGS=null       load from address 0       -> 139
 *     make run APP=crash ARGS=write      store to address 0        -> 139
 *     make run APP=crash ARGS=unmapped   load from a hole          -> 139
 *     make run APP=crash ARGS=text       store into its own code   -> 139
 *     make run APP=crash ARGS=rodata     store into a constant     -> 139
 *     make run APP=crash ARGS=noexec     jump into a data page     -> 139
 *     make run APP=crash ARGS=kernel     load from the kernel half -> 139
 *     make run APP=crash ARGS=stack      recurse into the guard    -> 139
 *     make run APP=crash ARGS=illegal    an illegal instruction    -> 132
 *     make run APP=crash ARGS=ebreak     a breakpoint              -> 133
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const int constant = 7;
static uint32_t data_code[4];

static __attribute__((noinline)) int load_from(volatile const int *p)
{
	return *p;
}

static __attribute__((noinline)) void store_to(volatile int *p)
{
	*p = 42;
}

static __attribute__((noinline)) void illegal(void)
{
	__asm__ volatile(".word 0"); /* all-zero: defined to be illegal */
}

static __attribute__((noinline)) void breakpoint(void)
{
	__asm__ volatile("ebreak");
}

/* Each frame keeps 1 KiB live, so 8 MiB of stack runs out quickly; the
 * limit only exists to tell the compiler the recursion could end. */
static __attribute__((noinline)) int recurse(volatile char *above, long depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = above ? above[0] : 0;
	if (depth == 1L << 40)
		return 0;
	return recurse(frame, depth + 1) + frame[1];
}

static volatile int sink;

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	/* results go to sink, never returned: no tail calls, so main stays
	 * in the report's backtrace */
	printf("crash: about to %s\n", what);
	if (!strcmp(what, "null"))
		sink = load_from(NULL);
	else if (!strcmp(what, "write"))
		store_to(NULL);
	else if (!strcmp(what, "unmapped"))
		sink = load_from((const int *)0x2000000000UL);
	else if (!strcmp(what, "text"))
		store_to((int *)(uintptr_t)main);
	else if (!strcmp(what, "rodata"))
		store_to((int *)(uintptr_t)&constant);
	else if (!strcmp(what, "noexec")) {
		data_code[0] = 0x00008067; /* ret */
		((void (*)(void))(uintptr_t)data_code)();
	} else if (!strcmp(what, "kernel"))
		sink = load_from((const int *)0xffffffff80000000UL);
	else if (!strcmp(what, "stack"))
		sink = recurse(NULL, 0);
	else if (!strcmp(what, "illegal"))
		illegal();
	else if (!strcmp(what, "ebreak"))
		breakpoint();
	else {
		fprintf(stderr, "usage: crash null|write|unmapped|text|rodata|"
				"noexec|kernel|stack|illegal|ebreak\n");
		return 2;
	}
	printf("crash: survived '%s', which is wrong\n", what);
	return 1;
}
