// SPDX-License-Identifier: MIT
/*
 * tests/linux/env.c - the program's argv and environment as it starts
 * (the harness gives both the same ones), then getenv, setenv (replacing
 * or not), putenv, unsetenv and clearenv, and getauxval's AT_PAGESZ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;

static void show(const char *name)
{
	const char *v = getenv(name);

	printf("env: getenv(%s) = %s%s%s\n", name, v ? "\"" : "",
	       v ? v : "NULL", v ? "\"" : "");
}

int main(int argc, char **argv)
{
	int n = 0;
	static char put[] = "PUT=by putenv";

	printf("env: argc %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("env: argv[%d] = \"%s\" (%zu bytes)\n", i, argv[i],
		       strlen(argv[i]));
	printf("env: argv[argc] is NULL: %s\n", argv[argc] ? "no" : "yes");
	for (char **e = environ; *e; e++)
		printf("env: environ[%d] = \"%s\"\n", n++, *e);
	show("HOME");
	show("PAGODA_TEST");
	show("NOPE");
	setenv("PAGODA_TEST", "replaced", 1);
	show("PAGODA_TEST");
	setenv("PAGODA_TEST", "not replaced", 0);
	show("PAGODA_TEST");
	setenv("NEW", "a new one", 0);
	show("NEW");
	putenv(put);
	show("PUT");
	unsetenv("HOME");
	show("HOME");
	n = 0;
	for (char **e = environ; *e; e++)
		n++;
	printf("env: %d variables now\n", n);
	clearenv();
	show("NEW");
	printf("env: after clearenv, environ %s\n",
	       !environ || !*environ ? "empty" : "not empty");
	printf("env: getauxval(AT_PAGESZ) = %lu\n", getauxval(AT_PAGESZ));
	return 0;
}
