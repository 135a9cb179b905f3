// SPDX-License-Identifier: MIT
/*
 * apps/runtime/start.c - from the kernel to main().
 *
 * Builds argv with the app's name first (APP_NAME, set by the build), runs
 * the C library's constructors, then exit(main(argc, argv)); exit() runs
 * the atexit handler that flushes stdio.
 */
#include <stdio.h>
#include <stdlib.h>

#include "apps/runtime/runtime.h"

#define MAX_ARGS 64

int main(int argc, char **argv);
void __libc_init_array(void);

static void flush_stdio(void)
{
	fflush(stdout);
}

int app_start(int argc, const char *const *args)
{
	static char *argv[MAX_ARGS + 2];
	int n = 0;

	argv[n++] = APP_NAME;
	for (int i = 0; i < argc && n <= MAX_ARGS; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	atexit(flush_stdio);
	__libc_init_array();
	exit(main(n, argv));
}
