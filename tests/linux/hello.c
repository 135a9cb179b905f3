// SPDX-License-Identifier: MIT
/*
 * tests/linux/hello.c - the smallest comparison: argv, a line per argument,
 * stdout and stderr, and the status given as the first argument.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	printf("hello: argc %d, argv[0] %s\n", argc, argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	fprintf(stderr, "hello: this line goes to stderr\n");
	printf("hello: exiting with status %d\n", argc > 1 ? atoi(argv[1]) : 0);
	return argc > 1 ? atoi(argv[1]) : 0;
}
