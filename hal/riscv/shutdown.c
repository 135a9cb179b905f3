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
#include "vm/vm.h"

#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

static uintptr_t test_device_pa;

void shutdown_set_test_device(uintptr_t pa)
{
	test_device_pa = pa;
}

_Noreturn void hal_shutdown(int status)
{
	(void)irq_save();
	if (test_device_pa) {
		uint32_t code = status & 0xffff;
		volatile void *reg = phys_to_virt(test_device_pa);

		writel(code ? (code << 16) | FINISHER_FAIL : FINISHER_PASS,
		       reg);
	}
	sbi_system_reset(status != 0);
	for (;;)
		wfi();
}
