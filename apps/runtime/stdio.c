// SPDX-License-Identifier: MIT
/*
 * apps/runtime/stdio.c - picolibc's stdin, stdout and stderr.
 *
 * stdout and stderr share one line buffer, written with write(2) at each
 * newline, when full, and at exit; so a line is one console write, and the
 * order of stdout and stderr output is kept. stdin reads descriptor 0
 * through a buffer, a read(2) at a time: on the terminal that is a line
 * (kernel/tty.c), and 0 bytes is end of file. What stdout holds is written
 * before stdin waits, so a prompt shows before the input it asks for.
 */
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include "apps/runtime/internal.h"

#define LINE_MAX_BYTES 256
#define STDIN_BUF      1024

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

void stdout_flush(void)
{
	flush(NULL);
}

static int put(char c, FILE *f)
{
	line[used++] = c;
	if (c == '\n' || used == sizeof(line))
		return flush(f) ? EOF : (unsigned char)c;
	return (unsigned char)c;
}

static char in[STDIN_BUF];
static size_t in_pos, in_len;

static int get(FILE *f)
{
	(void)f;
	if (in_pos == in_len) {
		ssize_t n;

		flush(NULL);
		n = read(0, in, sizeof(in));
		if (n < 0)
			return _FDEV_ERR;
		if (n == 0)
			return _FDEV_EOF;
		in_pos = 0;
		in_len = (size_t)n;
	}
	return (unsigned char)in[in_pos++];
}

static FILE console_out =
	FDEV_SETUP_STREAM(put, NULL, flush, _FDEV_SETUP_WRITE);
static FILE console_in = FDEV_SETUP_STREAM(NULL, get, NULL, _FDEV_SETUP_READ);

FILE *const stdin = &console_in;
FILE *const stdout = &console_out;
FILE *const stderr = &console_out;

/*
 * fgets as ISO C has it: a last line without a newline is returned at end
 * of file. picolibc 1.8's (from avr-libc) returns NULL there and loses it.
 */
char *fgets(char *s, int size, FILE *f)
{
	int i = 0;

	if (size <= 0)
		return NULL;
	while (i < size - 1) {
		int c = getc(f);

		if (c == EOF) {
			if (!i || ferror(f))
				return NULL;
			break;
		}
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	s[i] = '\0';
	return s;
}
