// SPDX-License-Identifier: MIT
/*
 * apps/crash - does one bad thing on purpose, so tests can check that the
 * runtime reports it (cause by name, pc, registers, backtrace) and ends the
 * run with a failure status instead of hanging.
 *
 *     make run APP=crash ARGS=null      load from address 0
 *     make run APP=crash ARGS=write     store to address 0
 *     make run APP=crash ARGS=illegal   an illegal instruction
 *     make run APP=crash ARGS=ebreak    a breakpoint nobody handles
 */
#include <stdio.h>
#include <string.h>

static __attribute__((noinline)) int load_from(volatile int *p)
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

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	printf("crash: about to %s\n", what);
	if (!strcmp(what, "null"))
		return load_from(NULL);
	if (!strcmp(what, "write"))
		store_to(NULL);
	else if (!strcmp(what, "illegal"))
		illegal();
	else if (!strcmp(what, "ebreak"))
		breakpoint();
	else {
		fprintf(stderr, "usage: crash null|write|illegal|ebreak\n");
		return 2;
	}
	printf("crash: survived '%s', which is wrong\n", what);
	return 1;
}
