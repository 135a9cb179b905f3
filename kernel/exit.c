// SPDX-License-Identifier: MIT
/*
 * kernel/exit.c - the end of every run.
 *
 * The line "pagoda: exit status N" is the contract with test runners: it is
 * printed whatever the shutdown path, because not every firmware carries the
 * status out of the machine (hal/riscv/shutdown.c).
 */
#include "hal/riscv/riscv.h"
#include "kernel/kernel.h"

static void (*at_exit)(void);

void kernel_at_exit(void (*fn)(void))
{
	at_exit = fn;
}

void kernel_run_at_exit(void)
{
	void (*fn)(void) = at_exit;

	at_exit = NULL; /* a failure inside fn must not run it again */
	if (fn)
		fn();
}

_Noreturn void kernel_exit(int status)
{
	kernel_run_at_exit();
	printk(LOG_ERR, "pagoda: exit status %d\n", status);
	hal_shutdown(status);
}
