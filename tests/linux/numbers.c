// SPDX-License-Identifier: MIT
/*
 * tests/linux/numbers.c - the libc's numeric work, whose every digit is
 * deterministic: qsort of integers, doubles and strings (checked sorted),
 * strtod of decimal, hexadecimal, huge, tiny and special strings with
 * their end pointers and ERANGE, printf of doubles and floats in %f, %e,
 * %g, %a and 17 significant digits, and a little libm.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 12345;

static uint32_t next(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 1;
}

static int by_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	static int ints[10000];
	static double dbl[5000];
	static const char *words[] = { "pagoda", "riscv", "sv39",  "buddy",
				       "slab",	 "swap",  "futex", "glibc",
				       "musl",	 "qemu" };
	static const char *inputs[] = { "3.14159",
					"  -2.5e-3xyz",
					"0x1.8p3",
					"1e308",
					"1e309",
					"4.9e-324",
					"1e-400",
					"inf",
					"-nan",
					"0.1",
					"123456789012345678901234567890",
					"junk" };
	long long sum = 0;
	int sorted = 1;

	for (int i = 0; i < 10000; i++)
		ints[i] = (int)(next() % 200001) - 100000;
	for (int i = 0; i < 10000; i++)
		sum += ints[i];
	qsort(ints, 10000, sizeof(ints[0]), by_int);
	for (int i = 1; i < 10000; i++)
		sorted &= ints[i - 1] <= ints[i];
	printf("qsort: 10000 ints sorted %s, min %d, median %d, max %d, sum %lld\n",
	       sorted ? "yes" : "NO", ints[0], ints[5000], ints[9999], sum);

	for (int i = 0; i < 5000; i++)
		dbl[i] = (double)next() / 1000.0 - 1e6;
	qsort(dbl, 5000, sizeof(dbl[0]), by_double);
	sorted = 1;
	for (int i = 1; i < 5000; i++)
		sorted &= dbl[i - 1] <= dbl[i];
	printf("qsort: 5000 doubles sorted %s, min %.3f, max %.3f\n",
	       sorted ? "yes" : "NO", dbl[0], dbl[4999]);

	qsort(words, 10, sizeof(words[0]), by_string);
	printf("qsort: words:");
	for (int i = 0; i < 10; i++)
		printf(" %s", words[i]);
	printf("\n");

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char *end;
		double d;

		errno = 0;
		d = strtod(inputs[i], &end);
		printf("strtod(\"%s\") = %.17g (%a), %td chars, errno %s\n",
		       inputs[i], d, d, end - inputs[i],
		       errno == ERANGE ? "ERANGE"
		       : errno	       ? "other"
				       : "0");
	}
	printf("strtof(\"0.1\") = %.9g\n", (double)strtof("0.1", NULL));

	double v[] = { 0.0,	   -0.0, 1.0 / 3.0, 2.0 / 3.0, 1e-10,
		       123456.789, 1e21, 0.5,	    1.5,       2.5 };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		printf("printf: %f | %.2f | %e | %g | %.17g | %a\n", v[i], v[i],
		       v[i], v[i], v[i], v[i]);
	printf("printf: %.0f %.0f %.0f %.0f (round half to even)\n", 0.5, 1.5,
	       2.5, 3.5);
	printf("printf: [%10.3f] [%-10.3e] [%+g] [%08.2f]\n", M_PI, M_E, 1e-5,
	       -3.14159);
	printf("printf: %f %f %f\n", INFINITY, -INFINITY, NAN);
	printf("libm: sqrt(2) %.17g, exp(1) %.17g, log(10) %.17g\n", sqrt(2.0),
	       exp(1.0), log(10.0));
	printf("libm: sin(1) %.17g, pow(2, 0.5) %.17g, fma %.17g\n", sin(1.0),
	       pow(2.0, 0.5), fma(0.1, 10.0, -1.0));
	return 0;
}
