// SPDX-License-Identifier: MIT
/*
 * lib/printk.c - where output goes, and the kernel log.
 *
 * Output goes to the console the boot set: the firmware's (SBI) first,
 * then a UART once the device tree names one (boot/main.c calls
 * console_set); before any, it goes nowhere. printk prefixes each line
 * with the time since boot from the clock the boot set, like Linux, and
 * drops messages above log_level. Formatting is picolibc's vsnprintf. Any
 * context may print; the boot hart is the only one running, so there is no
 * lock yet.
 */
#include <stdio.h>

#include "lib/lib.h"

static void write_nowhere(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
}

static const struct console no_console = { .name = "none",
					   .write = write_nowhere };
static const struct console *console = &no_console;
static uint64_t (*clock_ns)(void);

int log_level = LOG_INFO;

void printk_set_clock(uint64_t (*ns)(void))
{
	clock_ns = ns;
}

void console_set(const struct console *con)
{
	console = con;
}

const struct console *console_get(void)
{
	return console;
}

const char *console_name(void)
{
	return console->name;
}

void console_write(const char *buf, size_t len)
{
	console->write(buf, len);
}

int console_getc(void)
{
	return console->receive ? console->receive() : -2;
}

void vprintk(int level, const char *fmt, va_list ap)
{
	char buf[512];
	uint64_t ns = clock_ns ? clock_ns() : 0;
	int head, n;

	if (level > log_level)
		return;
	head = snprintf(buf, sizeof(buf), "[%5llu.%06llu] ",
			(unsigned long long)(ns / 1000000000),
			(unsigned long long)(ns / 1000 % 1000000));
	n = vsnprintf(buf + head, sizeof(buf) - head, fmt, ap);
	if (n < 0)
		return;
	n += head;
	if ((size_t)n >= sizeof(buf)) {
		/* truncated: keep the line ending so the next line starts clean */
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	console_write(buf, (size_t)n);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}
