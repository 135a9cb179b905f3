// SPDX-License-Identifier: MIT
/*
 * apps/runtime/start.c - from the initial stack to main().
 *
 * crt0.S passes the stack the runtime built as Linux's ELF loader does:
 * argc, argv[], NULL, envp[], NULL, auxv. This runs the C library's
 * constructors, then exit(main(argc, argv, envp)); exit() runs the atexit
 * handler that flushes stdio.
 */
#include <stdio.h>
#include <stdlib.h>

#include "apps/runtime/runtime.h"

int main(int argc, char **argv, char **envp);
void __libc_init_array(void);

char **environ;
static const unsigned long *auxv;

static void flush_stdio(void)
{
	fflush(stdout);
}

unsigned long getauxval(unsigned long type)
{
	for (const unsigned long *a = auxv; a && a[0]; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

_Noreturn void app_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **e = envp;

	while (*e)
		e++;
	auxv = (const unsigned long *)(e + 1);
	environ = envp;
	atexit(flush_stdio);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
