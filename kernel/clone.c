// SPDX-License-Identifier: MIT
/*
 * kernel/clone.c - threads come and go: clone(2) with the flags glibc's
 * and musl's pthread_create pass, exit(2) of one thread, and what a C
 * library tells the kernel about each thread (set_tid_address,
 * set_robust_list, gettid).
 *
 * A new thread shares everything: the address space, the descriptors,
 * the signal handlers (pagoda has one process, so CLONE_VM, CLONE_FS,
 * CLONE_FILES, CLONE_SIGHAND and CLONE_SYSVSEM only say what is true
 * anyway). It starts as a copy of the caller at the instruction after
 * the ecall, with a0 = 0, sp = the stack argument, tp = the TLS argument
 * (CLONE_SETTLS), the caller's signal mask and floating-point registers,
 * no alternate stack and nothing pending. Its tid goes to *ptid
 * (CLONE_PARENT_SETTID) and *ctid (CLONE_CHILD_SETTID); with
 * CLONE_CHILD_CLEARTID, its exit writes 0 to *ctid and wakes one waiter
 * there, which is how pthread_join() learns of it (sched.c).
 *
 * riscv64's argument order is the generic one: a0 flags, a1 stack, a2
 * ptid, a3 tls, a4 ctid. clone without CLONE_THREAD is fork: one process
 * is all pagoda runs, so -ENOSYS, said once on the console.
 *
 * The robust list is recorded, not walked at exit: a robust mutex held by
 * a thread that exits is not marked owner-dead (glibc's and musl's
 * ordinary mutexes never use it).
 */
#include <errno.h>

#include "alloc/alloc.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define CSIGNAL               0x000000ff
#define CLONE_VM              0x00000100
#define CLONE_FS              0x00000200
#define CLONE_FILES           0x00000400
#define CLONE_SIGHAND         0x00000800
#define CLONE_PIDFD           0x00001000
#define CLONE_PTRACE          0x00002000
#define CLONE_VFORK           0x00004000
#define CLONE_PARENT          0x00008000
#define CLONE_THREAD          0x00010000
#define CLONE_NEWNS           0x00020000
#define CLONE_SYSVSEM         0x00040000
#define CLONE_SETTLS          0x00080000
#define CLONE_PARENT_SETTID   0x00100000
#define CLONE_CHILD_CLEARTID  0x00200000
#define CLONE_DETACHED        0x00400000
#define CLONE_UNTRACED        0x00800000
#define CLONE_CHILD_SETTID    0x01000000
/* what a thread of this process may ask; anything else is EINVAL */
#define CLONE_THREAD_FLAGS    (CLONE_VM | CLONE_FS | CLONE_FILES | \
			       CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
			       CLONE_SETTLS | CLONE_PARENT_SETTID | \
			       CLONE_CHILD_CLEARTID | CLONE_DETACHED | \
			       CLONE_UNTRACED | CLONE_CHILD_SETTID)
#define TASK_MAX              256     /* threads at once (RLIMIT_NPROC) */
#define ROBUST_LIST_HEAD_SIZE 24      /* struct robust_list_head, riscv64 */
/* clang-format on */

static int next_tid = APP_PID + 1;

long sys_clone(unsigned long flags, unsigned long newsp, unsigned long ptid,
	       unsigned long tls, unsigned long ctid)
{
	struct trap_frame *tf = syscall_frame;
	struct task *parent = current_task, *t;
	int tid;

	/* Linux's copy_process() checks, in its order */
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (!(flags & CLONE_THREAD)) {
		static bool said;

		if (!said)
			pr_warn("pagoda: clone without CLONE_THREAD (fork, flags 0x%lx): pagoda runs one process: -ENOSYS\n",
				flags);
		said = true;
		return -ENOSYS;
	}
	if (flags & ~(CLONE_THREAD_FLAGS | CSIGNAL))
		return -EINVAL;
	if (nr_tasks >= TASK_MAX)
		return -EAGAIN;
	t = kmalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	tid = next_tid;
	if ((flags & CLONE_PARENT_SETTID) &&
	    copy_to_user((void *)ptid, &tid, sizeof(tid))) {
		kfree(t);
		return -EFAULT;
	}
	if ((flags & CLONE_CHILD_SETTID) &&
	    copy_to_user((void *)ctid, &tid, sizeof(tid))) {
		kfree(t);
		return -EFAULT;
	}
	next_tid++;
	sched_fp_flush(tf); /* the parent's FP registers, for the copy */
	*t = (struct task){
		.tid = tid,
		.frame = *tf,
		.fp = parent->fp,
		.clear_child_tid = flags & CLONE_CHILD_CLEARTID ? ctid : 0,
		.sig_blocked = parent->sig_blocked,
		.on_since_ns = timer_ns(),
	};
	list_init(&t->link);
	t->frame.regs[9] = 0; /* a0: the child sees 0 */
	if (newsp)
		TF_SP(&t->frame) = newsp;
	if (flags & CLONE_SETTLS)
		t->frame.regs[3] = tls; /* tp */
	sched_add(t);
	return tid;
}

long sys_exit_thread(int code)
{
	sched_exit_current(code & 0xff);
	return 0; /* nobody reads it: the thread is gone */
}

long sys_set_tid_address(unsigned long utidptr)
{
	current_task->clear_child_tid = utidptr;
	return current_task->tid;
}

long sys_set_robust_list(unsigned long uhead, size_t len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current_task->robust_list = uhead;
	return 0;
}

long sys_gettid(void)
{
	return current_task->tid;
}
