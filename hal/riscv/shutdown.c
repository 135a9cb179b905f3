// SPDX-License-Identifier: MIT
/*
 * hal/riscv/shutdown.c - leaving the machine with an exit status.
 *
 * QEMU's sifive,test0 finisher (on the virt machine) turns a status into
 * QEMU's own exit code: 0x5555 is a pass, (code << 16) | 0x3333 a failure
 * with that code. Elsewhere SBI SRST shuts down with a failure reason, which
 * some firmware (OpenSBI 1.1) drops, so the status is also always printed on
 * the console for whoever reads it (kernel/exit.c).
 */
#include "hal/riscv/riscv.h"

#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

static volatile void *test_device;

void shutdown_set_test_device(volatile void *reg)
{
	test_device = reg;
}

_Noreturn void hal_shutdown(int status)
{
	(void)irq_save();
	if (test_device) {
		uint32_t code = status & 0xffff;

		writel(code ? (code << 16) | FINISHER_FAIL : FINISHER_PASS,
		       test_device);
	}
	sbi_system_reset(status != 0);
	for (;;)
		wfi();
}
