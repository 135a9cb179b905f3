// SPDX-License-Identifier: MIT
/*
 * apps/runtime/stdio.c - picolibc's stdin, stdout and stderr.
 *
 * stdout and stderr share one line buffer, written with write(2) at each
 * newline, when full, and at exit; so a line is one console write, and the
 * order of stdout and stderr output is kept. stdin reads nothing (EOF).
 */
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#define LINE_MAX_BYTES 256

static char line[LINE_MAX_BYTES];
static size_t used;

static int flush(FILE *f)
{
	(void)f;
	if (used && write(1, line, used) < 0)
		return EOF;
	used = 0;
	return 0;
}

static int put(char c, FILE *f)
{
	line[used++] = c;
	if (c == '\n' || used == sizeof(line))
		return flush(f) ? EOF : (unsigned char)c;
	return (unsigned char)c;
}

static int get(FILE *f)
{
	(void)f;
	return EOF;
}

static FILE console = FDEV_SETUP_STREAM(put, get, flush, _FDEV_SETUP_RW);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
