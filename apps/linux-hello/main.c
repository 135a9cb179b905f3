// SPDX-License-Identifier: MIT
/*
 * apps/linux-hello - an unmodified static glibc program (linux.mk: built
 * with riscv64-linux-gnu-gcc -static): prints its arguments, some doubles
 * (the F and D registers, through printf's %f and %e), a malloc'd string,
 * and exits with the status given as its first argument (0 without one).
 * The scenario linux-hello compares its output with qemu-riscv64's.
 *
 *     make run APP=linux-hello ARGS="3 a b"   ->  QEMU exits with status 3
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	volatile double third = 1.0 / 3.0; /* computed at run time below */
	double sum = 0;
	char *copy;
	int status = argc > 1 ? atoi(argv[1]) : 0;

	printf("linux-hello: %d argument%s\n", argc - 1, argc == 2 ? "" : "s");
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	for (int i = 1; i <= 10; i++)
		sum += third * i * 1.5;
	printf("double: %.6f %e %g\n", sum, sum / 7.0, (double)(float)third);
	copy = malloc(64);
	if (!copy)
		return 1;
	strcpy(copy, "malloc'd and freed");
	printf("%s\n", copy);
	free(copy);
	printf("linux-hello: exiting with status %d\n", status);
	return status;
}
