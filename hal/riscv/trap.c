// SPDX-License-Identifier: MIT
/*
 * hal/riscv/trap.c - what happens after trap.S saved the registers.
 *
 * Interrupts go to the handler registered for their number; exceptions
 * from U-mode to the kernel's user handler (system calls, page faults).
 * An exception in the runtime itself is offered to the kernel-fault
 * handler (a user-memory access that faulted); otherwise it is a bug:
 * reported with the cause by name, sepc, stval, every register and a
 * backtrace, and the machine stops with EXIT_PANIC. Runs in trap context
 * with interrupts off. (After it, trap.S runs the kernel threads whose turn
 * has come, on the way back to U-mode: kthread.c.)
 */
#include <stdio.h>

#include "hal/riscv/riscv.h"
#include "lib/lib.h"

#define NR_IRQS 16

extern char trap_vector[];

static irq_handler_t irq_handlers[NR_IRQS];
static trap_handler_t user_handler;
static bool (*kernel_fault_handler)(struct trap_frame *tf);

void trap_set_user_handler(trap_handler_t fn)
{
	user_handler = fn;
}

void trap_set_kernel_fault_handler(bool (*fn)(struct trap_frame *tf))
{
	kernel_fault_handler = fn;
}

void trap_init(void)
{
	csr_write(CSR_SSCRATCH, 0);
	csr_write(CSR_STVEC, (unsigned long)trap_vector); /* direct mode */
}

void trap_set_irq_handler(unsigned int irq, irq_handler_t fn)
{
	if (irq >= NR_IRQS)
		panic("trap_set_irq_handler: irq %u out of range", irq);
	irq_handlers[irq] = fn;
}

/* The kernel's stack while the app runs: every trap from U-mode lands at
 * its top (sscratch), where the frame of the app's registers sits. */
static char trap_stack[16 * 1024] __attribute__((aligned(16)));

struct trap_frame *trap_user_frame(void)
{
	return (struct trap_frame *)(trap_stack + sizeof(trap_stack)) - 1;
}

void trap_frame_init_user(struct trap_frame *tf, unsigned long pc,
			  unsigned long sp)
{
	for (int i = 0; i < 31; i++)
		tf->regs[i] = 0;
	tf->sepc = pc;
	TF_SP(tf) = sp;
	tf->sstatus = csr_read(CSR_SSTATUS) &
		      ~(unsigned long)(SSTATUS_SPP | SSTATUS_SUM | SSTATUS_SIE);
	tf->scause = tf->stval = 0;
}

const char *trap_cause_name(unsigned long scause)
{
	static const char *const exceptions[] = {
		[CAUSE_MISALIGNED_FETCH] = "instruction address misaligned",
		[CAUSE_FETCH_ACCESS] = "instruction access fault",
		[CAUSE_ILLEGAL_INSN] = "illegal instruction",
		[CAUSE_BREAKPOINT] = "breakpoint",
		[CAUSE_MISALIGNED_LOAD] = "load address misaligned",
		[CAUSE_LOAD_ACCESS] = "load access fault",
		[CAUSE_MISALIGNED_STORE] = "store/AMO address misaligned",
		[CAUSE_STORE_ACCESS] = "store/AMO access fault",
		[CAUSE_USER_ECALL] = "environment call from U-mode",
		[CAUSE_SUPERVISOR_ECALL] = "environment call from S-mode",
		[CAUSE_FETCH_PAGE_FAULT] = "instruction page fault",
		[CAUSE_LOAD_PAGE_FAULT] = "load page fault",
		[CAUSE_STORE_PAGE_FAULT] = "store/AMO page fault",
	};
	static const char *const interrupts[] = {
		[IRQ_S_SOFT] = "supervisor software interrupt",
		[IRQ_S_TIMER] = "supervisor timer interrupt",
		[IRQ_S_EXT] = "supervisor external interrupt",
	};
	unsigned long code = scause & ~CAUSE_INTERRUPT;
	const char *name = NULL;

	if (scause & CAUSE_INTERRUPT) {
		if (code < sizeof(interrupts) / sizeof(interrupts[0]))
			name = interrupts[code];
	} else if (code < sizeof(exceptions) / sizeof(exceptions[0])) {
		name = exceptions[code];
	}
	return name ? name : "unknown cause";
}

/* The 31 registers, three to a line. */
void trap_dump_regs(const struct trap_frame *tf)
{
	static const char *const abi[31] = {
		"ra", "sp",  "gp",  "tp", "t0", "t1", "t2", "s0",
		"s1", "a0",  "a1",  "a2", "a3", "a4", "a5", "a6",
		"a7", "s2",  "s3",  "s4", "s5", "s6", "s7", "s8",
		"s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};

	for (int i = 0; i < 31; i += 3) {
		char line[128];
		int n = 0;

		for (int j = i; j < i + 3 && j < 31; j++)
			n += snprintf(line + n, sizeof(line) - n,
				      "%s%-4s 0x%016lx", j > i ? "  " : "",
				      abi[j], tf->regs[j]);
		printk(LOG_ERR, "%s\n", line);
	}
}

void trap_dump(const struct trap_frame *tf)
{
	unsigned long off;
	const char *fn = ksym_lookup(tf->sepc, &off);

	printk(LOG_ERR, "trap: %s (scause 0x%lx) in %s mode\n",
	       trap_cause_name(tf->scause), tf->scause,
	       tf->sstatus & SSTATUS_SPP ? "supervisor" : "user");
	printk(LOG_ERR, "sepc   0x%016lx %s+0x%lx\n", tf->sepc, fn ? fn : "?",
	       fn ? off : 0);
	printk(LOG_ERR, "stval  0x%016lx  sstatus 0x%016lx\n", tf->stval,
	       tf->sstatus);
	trap_dump_regs(tf);
	backtrace_print_trap(tf);
}

void trap_handle(struct trap_frame *tf)
{
	if (tf->scause & CAUSE_INTERRUPT) {
		unsigned long irq = tf->scause & ~CAUSE_INTERRUPT;

		if (irq < NR_IRQS && irq_handlers[irq]) {
			irq_handlers[irq](tf);
			return;
		}
		pr_warn("trap: no handler for %s, masking it\n",
			trap_cause_name(tf->scause));
		if (irq < 64)
			csr_clear(CSR_SIE, 1UL << irq);
		return;
	}
	if (!(tf->sstatus & SSTATUS_SPP) && user_handler) {
		user_handler(tf);
		return;
	}
	if (kernel_fault_handler && kernel_fault_handler(tf))
		return;
	trap_dump(tf);
	die(EXIT_PANIC);
}
