// SPDX-License-Identifier: MIT
/*
 * apps/hello - prints its arguments and exits with the status given as its
 * first argument (0 without one).
 *
 *     make run ARGS="3 hello world"    ->  QEMU exits with status 3
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int status = 0;

	printf("hello from %s, %d argument%s\n", argv[0], argc - 1,
	       argc == 2 ? "" : "s");
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	if (argc > 1) {
		char *end;
		long v = strtol(argv[1], &end, 10);

		if (*end || v < 0 || v > 255) {
			fprintf(stderr, "hello: status '%s' is not 0..255\n",
				argv[1]);
			return 2;
		}
		status = (int)v;
	}
	printf("hello: exiting with status %d\n", status);
	return status;
}
