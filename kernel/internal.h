/* SPDX-License-Identifier: MIT */
/*
 * kernel/internal.h - what kernel/'s files share among themselves.
 */
#ifndef PAGODA_KERNEL_INTERNAL_H
#define PAGODA_KERNEL_INTERNAL_H

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"

/* The trap frame of the system call being served (syscall.c). */
extern struct trap_frame *syscall_frame;

/* report.c: the parts of a dying app's report. */
void report_memory(void);
void report_backtrace(const struct trap_frame *tf);

/* signal.c: a fault the app cannot survive ends it as sig would. */
_Noreturn void signal_fatal_trap(struct trap_frame *tf, int sig, int why);

/* oom.c: Linux's OOM-killer report, before the app is killed. */
void oom_report(gfp_t gfp, unsigned int order);

#endif
