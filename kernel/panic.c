// SPDX-License-Identifier: MIT
/*
 * kernel/panic.c - stop on a broken invariant or a failed boot.
 *
 * Prints "panic: fn: reason", the caller's backtrace with symbol names and
 * leaves with EXIT_PANIC. A panic while panicking goes straight out.
 */
#include <stdio.h>

#include "hal/riscv/riscv.h"
#include "kernel/kernel.h"

_Noreturn void panic(const char *fmt, ...)
{
	static bool panicking;
	char msg[256];
	va_list ap;

	(void)irq_save();
	if (panicking)
		hal_shutdown(EXIT_PANIC);
	panicking = true;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "panic: %s\n", msg);
	backtrace_print(0, (unsigned long)__builtin_frame_address(0));
	kernel_exit(EXIT_PANIC);
}
