// SPDX-License-Identifier: MIT
/*
 * kernel/signal.c - signals for the app and its threads, with Linux's
 * system calls and their argument checks: kill, tkill, tgkill,
 * rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigreturn; and the
 * signals of faults.
 *
 * As on Linux, the handlers are the process's; the mask, the pending set
 * and the alternate stack are each thread's (struct task). kill() makes a
 * signal pending for the process (any thread not blocking it takes it),
 * tkill/tgkill for one thread; one that is ignored (SIG_IGN, or by default
 * SIGCHLD, SIGCONT, SIGURG, SIGWINCH) is discarded. A thread blocked in a
 * futex wait or a sleep is woken by a signal it does not block, its call
 * ending with EINTR. On the way back to U-mode (sched_return_to_user) a
 * pending signal the thread does not block is delivered: a handler runs
 * on a frame in Linux riscv64's layout (struct rt_sigframe: siginfo, then
 * the ucontext with the registers, the floating-point state, the mask
 * and the alternate stack), on the alternate stack with SA_ONSTACK; the
 * default action ends the app with status 128 + signal after saying why.
 *
 * A fault (signal_fault: SIGSEGV with SEGV_MAPERR or SEGV_ACCERR and the
 * address, SIGBUS, SIGILL, SIGTRAP with the pc, as Linux riscv's traps
 * give them) runs the handler the app installed, at once; if it has none,
 * or blocks or ignores the signal, the app ends as Linux's force_sig()
 * would end it, with the fault report. OOM and ^C end the app whatever
 * it set.
 *
 * The handler returns to ra = SIGRETURN_PC, an address in the page below
 * mmap_min_addr that nothing maps (Linux points ra at the vDSO's
 * rt_sigreturn; pagoda has no vDSO): the instruction fault there is
 * rt_sigreturn, as is the system call 139 itself. It restores the
 * registers, the floating-point state, the mask and the alternate stack
 * from the frame at sp.
 */
#include <errno.h>
#include <string.h>

#include "hal/riscv/riscv.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define SIGSTOP         19
#define SIG_DFL         0UL
#define SIG_IGN         1UL
#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2
#define SA_UAPI_FLAGS   0xd8000807UL /* NOCLDSTOP..SIGINFO, EXPOSE_TAGBITS,
                                        ONSTACK, RESTART, NODEFER, RESETHAND */
#define SS_ONSTACK      1
#define SS_DISABLE      2
#define SS_AUTODISARM   (1U << 31)
#define SA_SIGINFO      0x4UL
#define SA_ONSTACK      0x08000000UL
#define SA_NODEFER      0x40000000UL
#define SA_RESETHAND    0x80000000UL
#define SI_USER         0
#define SI_TKILL        (-6)
#define EINTR_LINUX     4
#define MINSIGSTKSZ     2048
/* the signals whose default action is to ignore them: CHLD CONT URG WINCH */
#define SIG_DEFAULT_IGNORED ((1UL << 16) | (1UL << 17) | (1UL << 22) | (1UL << 27))
/* clang-format on */

/* Bit sig - 1 of a mask is signal sig, as in Linux's sigset_t. */
#define SIGMASK(sig) (1UL << ((sig)-1))
#define UNBLOCKABLE  (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))

/* Linux riscv64's struct sigaction (asm-generic: no sa_restorer), and
 * stack_t: 24 bytes each. */
struct k_sigaction {
	unsigned long handler;
	unsigned long flags;
	uint64_t mask;
};

struct k_stack {
	unsigned long sp;
	int flags;
	unsigned long size;
};

_Static_assert(sizeof(struct k_sigaction) == 24, "riscv64 struct sigaction");
_Static_assert(sizeof(struct k_stack) == 24, "riscv64 stack_t");

/* Linux riscv64's struct rt_sigframe: siginfo_t, then struct ucontext,
 * whose uc_mcontext (struct sigcontext) holds pc and x1..x31, then the
 * floating-point state (union __riscv_fp_state: the D layout, struct
 * fp_state, when the hart has F; zero otherwise). */
struct k_siginfo {
	int signo, errno_, code, pad;
	union {
		struct {
			int pid;
			unsigned int uid;
		} kill;
		unsigned long addr; /* faults: si_addr */
		char rest[112];
	};
};

struct k_ucontext {
	unsigned long flags, link;
	struct k_stack stack;
	uint64_t sigmask;
	char unused[1024 / 8 - sizeof(uint64_t)];
	_Alignas(16) unsigned long regs[32]; /* pc, x1..x31 */
	_Alignas(16) char fpstate[528];
};

struct rt_sigframe {
	struct k_siginfo info;
	struct k_ucontext uc;
};

_Static_assert(sizeof(struct k_siginfo) == 128, "riscv64 siginfo_t");
_Static_assert(__builtin_offsetof(struct k_ucontext, regs) == 176,
	       "riscv64 uc_mcontext");
_Static_assert(sizeof(struct rt_sigframe) == 1088, "riscv64 rt_sigframe");

_Static_assert(sizeof(struct fp_state) <= 528, "fits __riscv_fp_state");

static struct k_sigaction actions[NSIG + 1]; /* the process's */
uint64_t signal_shared_pending;		     /* kill(): the process's */

static const char *const signal_names[] = {
	[SIGINT] = "SIGINT",   [SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP",
	[SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGKILL] = "SIGKILL",
	[SIGSEGV] = "SIGSEGV",
};

const char *signal_name(int sig)
{
	if (sig <= 0 ||
	    sig >= (int)(sizeof(signal_names) / sizeof(*signal_names)))
		return NULL;
	return signal_names[sig];
}

_Noreturn void signal_kill_app(int sig, const char *why)
{
	pr_err("pagoda: app killed by %s: %s\n", signal_name(sig), why);
	app_exit(128 + sig);
}

_Noreturn void signal_fatal_trap(struct trap_frame *tf, int sig, int why)
{
	pr_err("pagoda: app killed by %s: %s at 0x%016lx, pc 0x%016lx\n",
	       signal_name(sig), trap_cause_name(tf->scause), tf->stval,
	       tf->sepc);
	if (why >= 0)
		vm_report_fault(current_mm, tf->stval, why);
	trap_dump_regs(tf);
	report_backtrace(tf);
	report_memory();
	app_exit(128 + sig);
}

/* A signal the app sent itself ends it, from the ecall that sent it
 * (or that unblocked it), or where the thread that takes it was. */
static _Noreturn void self_kill(struct trap_frame *tf, int sig)
{
	const char *name = signal_name(sig);

	if (tf->scause == CAUSE_USER_ECALL)
		tf->sepc -= 4; /* the ecall: the app does not go on */
	if (name)
		pr_err("pagoda: app killed by %s, which it sent itself, pc 0x%016lx\n",
		       name, tf->sepc);
	else
		pr_err("pagoda: app killed by signal %d, which it sent itself, pc 0x%016lx\n",
		       sig, tf->sepc);
	report_backtrace(tf);
	app_exit(128 + sig);
}

static bool ignored(int sig)
{
	unsigned long h = actions[sig].handler;

	return sig != SIGKILL && sig != SIGSTOP &&
	       (h == SIG_IGN ||
		(h == SIG_DFL && (SIG_DEFAULT_IGNORED & SIGMASK(sig))));
}

/* t is waiting (a futex, a sleep) and sig may interrupt it: EINTR. */
static void interrupt_wait(struct task *t, int sig)
{
	if (t->state == TASK_BLOCKED && !(t->sig_blocked & SIGMASK(sig)))
		sched_wake(t, -EINTR_LINUX);
}

/*
 * Send sig to thread t, or (t NULL) to the process: discarded, or pending
 * until a thread that does not block it returns to U-mode. A process
 * signal wakes a waiting thread that would take it, if no running or
 * runnable one would (Linux's complete_signal()).
 */
static long send_signal(struct task *t, int sig)
{
	struct task *u;

	if (!sig || ignored(sig))
		return 0;
	if (t) {
		t->sig_pending |= SIGMASK(sig);
		interrupt_wait(t, sig);
		return 0;
	}
	signal_shared_pending |= SIGMASK(sig);
	for_each_task(u) if (u->state != TASK_BLOCKED &&
			     !(u->sig_blocked & SIGMASK(sig))) return 0;
	for_each_task(u) if (!(u->sig_blocked & SIGMASK(sig)))
	{
		interrupt_wait(u, sig);
		break;
	}
	return 0;
}

static bool on_altstack(const struct task *t, unsigned long sp)
{
	return sp > t->ss_sp && sp - t->ss_sp <= t->ss_size;
}

static int altstack_flags(const struct task *t, unsigned long sp)
{
	return !t->ss_size ? SS_DISABLE : on_altstack(t, sp) ? SS_ONSTACK : 0;
}

/*
 * The handler's frame on the stack sp (or the alternate stack), and the
 * registers that run it; info says why. false: no room (the caller ends
 * the app).
 */
static bool setup_frame(struct trap_frame *tf, int sig,
			const struct k_siginfo *info)
{
	struct task *t = current_task;
	const struct k_sigaction *ka = &actions[sig];
	unsigned long sp = TF_SP(tf);
	struct rt_sigframe f = { 0 };
	uintptr_t uf;

	f.info = *info;
	f.uc.stack.sp = t->ss_sp;
	f.uc.stack.size = t->ss_size;
	f.uc.stack.flags =
		altstack_flags(t, sp) | (t->ss_flags & SS_AUTODISARM);
	f.uc.sigmask = t->sig_restore_mask ? t->sig_saved_mask : t->sig_blocked;
	f.uc.regs[0] = tf->sepc;
	for (int i = 1; i < 32; i++)
		f.uc.regs[i] = tf->regs[i - 1];
	if ((tf->sstatus & SSTATUS_FS) != SSTATUS_FS_OFF) {
		sched_fp_flush(tf);
		memcpy(f.uc.fpstate, &t->fp, sizeof(t->fp));
	}
	if ((ka->flags & SA_ONSTACK) && t->ss_size && !on_altstack(t, sp)) {
		sp = t->ss_sp + t->ss_size;
		if (t->ss_flags & SS_AUTODISARM)
			t->ss_sp = t->ss_size = 0;
	}
	uf = (sp - sizeof(f)) & ~0xfUL;
	if (!is_user_range(uf, sizeof(f)) ||
	    copy_to_user((void *)uf, &f, sizeof(f)))
		return false;
	tf->sepc = ka->handler;
	TF_RA(tf) = SIGRETURN_PC;
	TF_SP(tf) = uf;
	tf->regs[9] = (unsigned long)sig; /* a0 */
	tf->regs[10] =
		uf + __builtin_offsetof(struct rt_sigframe, info);	/* a1 */
	tf->regs[11] = uf + __builtin_offsetof(struct rt_sigframe, uc); /* a2 */
	t->sig_blocked |=
		ka->mask | (ka->flags & SA_NODEFER ? 0 : SIGMASK(sig));
	t->sig_blocked &= ~UNBLOCKABLE;
	if (ka->flags & SA_RESETHAND)
		actions[sig] = (struct k_sigaction){ 0 };
	t->sig_restore_mask = false; /* the frame has it: rt_sigreturn's */
	return true;
}

void signal_deliver(struct trap_frame *tf)
{
	struct task *t = current_task;

	while (t &&
	       ((t->sig_pending | signal_shared_pending) & ~t->sig_blocked)) {
		uint64_t mine = t->sig_pending & ~t->sig_blocked;
		uint64_t set =
			mine ? mine : signal_shared_pending & ~t->sig_blocked;
		int sig = __builtin_ctzl(set) + 1;
		struct k_siginfo info = { .signo = sig };

		if (mine)
			t->sig_pending &= ~SIGMASK(sig);
		else
			signal_shared_pending &= ~SIGMASK(sig);
		if (ignored(sig))
			continue;
		if (actions[sig].handler == SIG_DFL)
			self_kill(tf, sig);
		info.code = mine ? SI_TKILL : SI_USER;
		info.kill.pid = APP_PID;
		if (!setup_frame(tf, sig, &info))
			signal_kill_app(SIGSEGV, "no room for a signal frame");
		return; /* the handler runs first; the rest after it */
	}
	if (t && t->sig_restore_mask && t->state == TASK_RUNNING) {
		t->sig_blocked = t->sig_saved_mask; /* sigsuspend, ignored */
		t->sig_restore_mask = false;
	}
}

bool signal_fault(struct trap_frame *tf, int sig, int code, unsigned long addr)
{
	struct task *t = current_task;
	struct k_siginfo info = { .signo = sig, .code = code, .addr = addr };
	unsigned long h = actions[sig].handler;

	if (!t || h == SIG_DFL || h == SIG_IGN ||
	    (t->sig_blocked & SIGMASK(sig)))
		return false; /* Linux's force_sig(): the default action */
	return setup_frame(tf, sig, &info);
}

/* The alternate stack a signal frame saved, back (Linux's
 * restore_altstack(): refused quietly while on the stack in use). */
static void restore_altstack(struct task *t, const struct k_stack *ss,
			     unsigned long sp)
{
	unsigned int mode = (unsigned int)ss->flags & ~SS_AUTODISARM;

	if (on_altstack(t, sp) ||
	    (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE))
		return;
	if (mode == SS_DISABLE || ss->size < MINSIGSTKSZ) {
		t->ss_sp = t->ss_size = 0;
		t->ss_flags = 0;
		return;
	}
	t->ss_sp = ss->sp;
	t->ss_size = ss->size;
	t->ss_flags = ss->flags & (int)SS_AUTODISARM;
}

/* rt_sigreturn: registers, FP, mask and alternate stack from the frame. */
void signal_return(struct trap_frame *tf)
{
	struct task *t = current_task;
	uintptr_t uf = TF_SP(tf);
	struct k_ucontext uc;

	if (copy_from_user(
		    &uc,
		    (void *)(uf + __builtin_offsetof(struct rt_sigframe, uc)),
		    sizeof(uc)))
		signal_kill_app(SIGSEGV, "rt_sigreturn without a signal frame");
	tf->sepc = uc.regs[0];
	for (int i = 1; i < 32; i++)
		tf->regs[i - 1] = uc.regs[i];
	if ((tf->sstatus & SSTATUS_FS) != SSTATUS_FS_OFF) {
		memcpy(&t->fp, uc.fpstate, sizeof(t->fp));
		sched_fp_load(tf);
		tf->sstatus = (tf->sstatus & ~(unsigned long)SSTATUS_FS) |
			      SSTATUS_FS_CLEAN;
	}
	t->sig_blocked = uc.sigmask & ~UNBLOCKABLE;
	restore_altstack(t, &uc.stack, TF_SP(tf));
}

/*
 * kill, for the app's own pid (0 or APP_PID): signal 0 checks that the
 * app exists. tkill and tgkill as Linux's do_tkill(): ids checked first
 * (EINVAL below 1), then the thread found (ESRCH), then the signal.
 */
long sys_kill(long pid, long sig)
{
	if (pid != 0 && pid != APP_PID)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	return send_signal(NULL, (int)sig);
}

/* tgid 0: tkill's any thread group. */
static long do_tkill(long tgid, long tid, long sig)
{
	struct task *t = task_find(tid);

	if ((tgid && tgid != APP_PID) || !t)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	return send_signal(t, (int)sig);
}

long sys_tkill(long tid, long sig)
{
	return tid <= 0 ? -EINVAL : do_tkill(0, tid, sig);
}

long sys_tgkill(long tgid, long tid, long sig)
{
	return tid <= 0 || tgid <= 0 ? -EINVAL : do_tkill(tgid, tid, sig);
}

long sys_rt_sigaction(long sig, const void *uact, void *uoact, size_t setsize)
{
	struct k_sigaction act, old;

	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (sig < 1 || sig > NSIG ||
	    (uact && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	old = actions[sig];
	old.flags &= SA_UAPI_FLAGS;
	if (uact) {
		act.flags &= SA_UAPI_FLAGS;
		actions[sig] = act;
		/* a pending signal now ignored is discarded, as on Linux */
		if (ignored((int)sig)) {
			struct task *t;

			signal_shared_pending &= ~SIGMASK(sig);
			for_each_task(t) t->sig_pending &= ~SIGMASK(sig);
		}
	}
	if (uoact && copy_to_user(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const void *uset, void *uoset, size_t setsize)
{
	uint64_t *blocked = &current_task->sig_blocked;
	uint64_t old = *blocked, set;

	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		if (how == SIG_BLOCK)
			*blocked |= set;
		else if (how == SIG_UNBLOCK)
			*blocked &= ~set;
		else if (how == SIG_SETMASK)
			*blocked = set;
		else
			return -EINVAL;
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0; /* an unblocked pending signal comes at the return */
}

/* The signals pending for the calling thread that it blocks. */
long sys_rt_sigpending(void *uset, size_t setsize)
{
	struct task *t = current_task;
	uint64_t set =
		(t->sig_pending | signal_shared_pending) & t->sig_blocked;

	if (setsize > sizeof(uint64_t))
		return -EINVAL;
	return copy_to_user(uset, &set, setsize) ? -EFAULT : 0;
}

/*
 * rt_sigsuspend: the mask replaced until a signal's handler has run (its
 * frame keeps the old mask, which rt_sigreturn restores); -EINTR always.
 * A signal already pending under the new mask ends it at once.
 */
long sys_rt_sigsuspend(const void *uset, size_t setsize)
{
	struct task *t = current_task;
	uint64_t set;

	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	t->sig_saved_mask = t->sig_blocked;
	t->sig_restore_mask = true;
	t->sig_blocked = set & ~UNBLOCKABLE;
	if ((t->sig_pending | signal_shared_pending) & ~t->sig_blocked)
		return -EINTR;
	t->wait_addr = 0;
	t->wait_val = 0;
	sched_block(UINT64_MAX, -EINTR_LINUX, "rt_sigsuspend");
	return 0; /* a placeholder: the signal's wake writes -EINTR */
}

long sys_sigaltstack(const void *uss, void *uoss)
{
	struct task *t = current_task;
	unsigned long sp = TF_SP(syscall_frame);
	struct k_stack ss, old = { 0 };

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	old.sp = t->ss_sp;
	old.size = t->ss_size;
	old.flags = altstack_flags(t, sp) | (t->ss_flags & (int)SS_AUTODISARM);
	if (uss) {
		unsigned int mode = (unsigned int)ss.flags & ~SS_AUTODISARM;

		if (on_altstack(t, sp))
			return -EPERM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.sp = 0;
			ss.size = 0;
		} else if (ss.size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		t->ss_sp = ss.sp;
		t->ss_size = ss.size;
		t->ss_flags = ss.flags & (int)SS_AUTODISARM;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
