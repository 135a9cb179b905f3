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
/* On the way back to the app: run the handler of a pending signal the
 * current thread does not block (or end the app by its default action). */
void signal_deliver(struct trap_frame *tf);
/*
 * A fault raised sig (si_code code, si_addr addr): true if the handler
 * the app installed now runs on tf; false if the default action applies
 * (no handler, or the signal blocked or ignored).
 */
bool signal_fault(struct trap_frame *tf, int sig, int code, unsigned long addr);
/* rt_sigreturn: registers, FP, mask and alternate stack from the frame. */
void signal_return(struct trap_frame *tf);

/* ---- the app's threads (sched.c, clone.c, futex.c) ---- */
enum task_state {
	TASK_RUNNING,  /* on the hart: its registers are in the trap frame */
	TASK_RUNNABLE, /* on the run queue, waiting for the hart */
	TASK_BLOCKED,  /* waiting (a futex, a sleep); on no run queue */
	TASK_DEAD,     /* exited; freed once off the hart */
};

/*
 * One thread of the app (Linux's task_struct, the part a unikernel needs).
 * Invariants:
 *   - exactly one task is TASK_RUNNING while the app runs: current_task;
 *     its registers are the live trap frame (trap_user_frame()) and its
 *     floating-point registers the hart's, and frame is stale;
 *   - a RUNNABLE or BLOCKED task's registers are in frame; its FP state is
 *     in fp, unless fp_owner (sched.c) is this task and its frame's FS is
 *     not Dirty, in which case the hart's registers equal fp as well;
 *   - link is on the run queue iff RUNNABLE, on a futex queue iff BLOCKED
 *     on a futex (wait_addr), and points to itself otherwise;
 *   - deadline != UINT64_MAX only while BLOCKED: the time-CSR value at
 *     which the wait ends with a0 = timeout_ret.
 */
struct task {
	int tid;
	enum task_state state;
	struct trap_frame frame; /* registers while off the hart */
	struct fp_state fp;	 /* f0-f31 and fcsr as last saved */
	struct list_head node;	 /* all tasks, in creation (tid) order */
	struct list_head link;	 /* the run queue, or a futex queue */
	/* while BLOCKED */
	uint64_t deadline;
	long timeout_ret;
	const char *wait_what;	 /* "futex", "sleep": the deadlock report */
	unsigned long wait_addr; /* the futex's user address */
	uint32_t wait_val;	 /* the value it expected there */
	uint32_t wait_bitset;	 /* FUTEX_WAIT_BITSET's mask */
	/* what the C library registered (set_tid_address, set_robust_list) */
	unsigned long clear_child_tid, robust_list;
	/* signals (signal.c): this thread's mask, pending set, alt stack */
	uint64_t sig_blocked, sig_pending;
	uint64_t sig_saved_mask; /* rt_sigsuspend's caller's mask ... */
	bool sig_restore_mask;	 /* ... to restore after the handler */
	unsigned long ss_sp, ss_size;
	int ss_flags;
	int exit_code;
	/* accounting */
	uint64_t cpu_ns, on_since_ns; /* time on the hart; since when */
	uint64_t switches;	      /* times it got the hart */
};

/* The task on the hart (one hart; per hart when there are more). */
extern struct task *current_task;
/* Every live task, in tid order; how many. */
extern struct list_head task_list;
extern unsigned int nr_tasks;
#define for_each_task(t) list_for_each_entry(t, &task_list, node)

/* The current task's FP registers into its fp if Dirty (then Clean), and
 * back from its fp into the hart (FS not Off). */
void sched_fp_flush(struct trap_frame *tf);
void sched_fp_load(struct trap_frame *tf);
/* The app ends: every task freed, no tick. */
void sched_teardown(void);
/* A task by tid, NULL if there is none. */
struct task *task_find(long tid);
/* New task t, RUNNABLE, at the tail of the run queue. */
void sched_add(struct task *t);
/*
 * The current task stops here in the system call being served (syscall.c
 * then writes a placeholder into a0): it waits until sched_wake(), or
 * until deadline (time-CSR; UINT64_MAX: none), then resumes with a0 =
 * timeout_ret. The switch to another task happens on the way out.
 */
void sched_block(uint64_t deadline, long timeout_ret, const char *what);
/* Make a BLOCKED task runnable with a0 = ret (a Linux errno or value). */
void sched_wake(struct task *t, long ret);
/* The current task gives up the rest of its slice. */
void sched_yield(void);
/* The current thread ends (exit(2)); the app with its last thread. */
void sched_exit_current(int code);
/* sched.c's flags: the current task must give up the hart; tasks came
 * or woke (the tick to look at). */
extern bool sched_need_resched, sched_changed;
void sched_reschedule(struct trap_frame *tf);
/* signal.c: the signals kill() made pending for the whole process. */
extern uint64_t signal_shared_pending;

/* A signal t does not block is pending for it or for the process. */
static inline bool signal_pending(const struct task *t)
{
	return (t->sig_pending | signal_shared_pending) & ~t->sig_blocked;
}

/*
 * Every return to U-mode that may have changed a thread's state passes
 * here (a system call, a fault's signal, the scheduler's tick; a resolved
 * page fault changes none and returns straight away): another task's registers are switched into tf if the current one
 * blocked, exited or used up its slice; then its pending signals. Inline:
 * most returns have nothing to do, and pay a few loads for it.
 */
static inline void sched_return_to_user(struct trap_frame *tf)
{
	struct task *t = current_task;

	if (!t)
		return;
	if (t->state != TASK_RUNNING || sched_need_resched || sched_changed)
		sched_reschedule(tf);
	else if (signal_pending(t))
		signal_deliver(tf);
}
/* The current thread's time on the hart, ns (CLOCK_THREAD_CPUTIME_ID). */
uint64_t sched_thread_cpu_ns(void);
/* futex.c: wake up to n waiters on uaddr (a thread's exit: 1). */
long futex_wake(unsigned long uaddr, int n, uint32_t bitset);
/* syscall.c: a runtime errno as the app's Linux one. */
long linux_errno(long err);
/* time.c: when a clock's absolute time abs_ns comes, as a time-CSR value. */
uint64_t time_deadline(long clock, uint64_t abs_ns);
/* time.c: now + ns as a time-CSR value (saturating). */
uint64_t time_deadline_in(uint64_t ns);

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
