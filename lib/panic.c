// SPDX-License-Identifier: MIT
/*
 * lib/panic.c - stop on a broken invariant or a failed boot.
 *
 * Prints "panic: fn: reason", the caller's backtrace with symbol names and
 * leaves with EXIT_PANIC, through what the boot registered (panic_set_ops:
 * hal's backtrace, the kernel's exit). A panic while panicking goes
 * straight out (halt); before the boot registered anything (nothing can
 * fail that early), the hart stops where it is.
 */
#include <stdio.h>

#include "lib/lib.h"

static const struct panic_ops *ops;

void panic_set_ops(const struct panic_ops *o)
{
	ops = o;
}

_Noreturn void die(int status)
{
	static bool dying;

	if (ops && dying)
		ops->halt(status);
	if (ops && !dying) {
		dying = true;
		ops->exit(status);
	}
	for (;;) /* neither returns; nothing to do without them */
		;
}

_Noreturn void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "panic: %s\n", msg);
	if (ops)
		ops->backtrace((unsigned long)__builtin_frame_address(0));
	die(EXIT_PANIC);
}
