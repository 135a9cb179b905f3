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
/* The return address of a signal handler: its fault is rt_sigreturn. */
#define SIGRETURN_PC 0x1000UL /* below mmap_min_addr: never mapped */
/* On the way back to the app: run the handler of a pending signal not
 * blocked (or end the app by its default action). */
void signal_deliver(struct trap_frame *tf);
/* rt_sigreturn: the registers and mask saved in the frame at sp. */
void signal_return(struct trap_frame *tf);

/* oom.c: Linux's OOM-killer report, before the app is killed. */
void oom_report(gfp_t gfp, unsigned int order);

/* Linux's clock ids (uapi/linux/time.h): time.c's, futex.c's. */
/* clang-format off */
#define CLOCK_REALTIME            0
#define CLOCK_MONOTONIC           1
#define CLOCK_PROCESS_CPUTIME_ID  2
#define CLOCK_THREAD_CPUTIME_ID   3
#define CLOCK_MONOTONIC_RAW       4
#define CLOCK_REALTIME_COARSE     5
#define CLOCK_MONOTONIC_COARSE    6
#define CLOCK_BOOTTIME            7
#define CLOCK_REALTIME_ALARM      8
#define CLOCK_BOOTTIME_ALARM      9
#define CLOCK_TAI                 11
#define TIMER_ABSTIME             1
/* clang-format on */

#endif
