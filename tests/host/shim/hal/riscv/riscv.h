/* SPDX-License-Identifier: MIT */
/*
 * tests/host/shim/hal/riscv/riscv.h - hal/riscv/riscv.h for the
 * allocator's host build: the few names alloc/ uses, with host meanings.
 * The real header cannot be compiled for the host (CSR inline assembly).
 *
 * Interrupts are a flag, host_irq_enabled (tests/host/machine.c): the
 * tests check that every allocator call leaves it as it found it.
 */
#ifndef PAGODA_HOST_SHIM_RISCV_H
#define PAGODA_HOST_SHIM_RISCV_H

#include <stdbool.h>

extern bool host_irq_enabled;

/* Disables interrupts and returns whether they were enabled. */
static inline bool irq_save(void)
{
	bool old = host_irq_enabled;

	host_irq_enabled = false;
	return old;
}

static inline void irq_restore(bool enabled)
{
	if (enabled)
		host_irq_enabled = true;
}

/* One hart. */
static inline unsigned int this_hart(void)
{
	return 0;
}

/* Nothing to walk on the host: ASan prints host stacks where they matter. */
static inline void backtrace_print(unsigned long pc, unsigned long fp)
{
	(void)pc;
	(void)fp;
}

#endif /* PAGODA_HOST_SHIM_RISCV_H */
