// SPDX-License-Identifier: MIT
/*
 * kernel/signal.c - signals for one single-threaded app, with Linux's
 * system calls and their argument checks: kill, tkill, tgkill,
 * rt_sigaction, rt_sigprocmask, sigaltstack.
 *
 * The runtime keeps what the app sets (each signal's action, the blocked
 * mask, the alternate stack) and gives it back as Linux would, but runs
 * no handler: a signal that reaches the app (a fault, abort()'s SIGABRT,
 * ^C's SIGINT, one it sends itself) ends it with status 128 + signal after
 * saying why. A self-sent signal whose action is SIG_IGN, or whose default
 * action is to ignore it (SIGCHLD, SIGCONT, SIGURG, SIGWINCH), is
 * discarded; a blocked one waits (pending) until rt_sigprocmask unblocks
 * it. One with a handler installed ends the app too, with a line saying
 * that the handler was not run. C library handlers (picolibc's signal())
 * run in the app and never reach the runtime.
 */
#include <errno.h>

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
#define MINSIGSTKSZ     2048
/* the signals whose default action is to ignore them: CHLD CONT URG WINCH */
#define SIG_DEFAULT_IGNORED ((1UL << 16) | (1UL << 17) | (1UL << 22) | (1UL << 27))
/* clang-format on */

/* Bit sig - 1 of a mask is signal sig, as in Linux's sigset_t. */
#define SIGMASK(sig) (1UL << ((sig)-1))

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

static struct k_sigaction actions[NSIG + 1];
static uint64_t blocked, pending;
static struct k_stack altstack = { .flags = SS_DISABLE };

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

/* A signal the app sent itself ends it, from the ecall that sent it. */
static _Noreturn void self_kill(int sig)
{
	const char *name = signal_name(sig);

	syscall_frame->sepc -= 4; /* the ecall: the app does not go on */
	if (actions[sig].handler != SIG_DFL)
		pr_err("pagoda: signal %d has a handler, which pagoda does not run\n",
		       sig);
	if (name)
		pr_err("pagoda: app killed by %s, which it sent itself, pc 0x%016lx\n",
		       name, syscall_frame->sepc);
	else
		pr_err("pagoda: app killed by signal %d, which it sent itself, pc 0x%016lx\n",
		       sig, syscall_frame->sepc);
	report_backtrace(syscall_frame);
	app_exit(128 + sig);
}

/* Deliver sig to the app now: discard it, keep it pending, or end it. */
static long send_self(int sig)
{
	unsigned long h = actions[sig].handler;

	if (!sig)
		return 0;
	if (sig != SIGKILL && sig != SIGSTOP &&
	    (h == SIG_IGN ||
	     (h == SIG_DFL && (SIG_DEFAULT_IGNORED & SIGMASK(sig)))))
		return 0;
	if (blocked & SIGMASK(sig)) {
		pending |= SIGMASK(sig);
		return 0;
	}
	self_kill(sig);
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
	return send_self((int)sig);
}

/* tgid 0: tkill's any thread group. */
static long do_tkill(long tgid, long tid, long sig)
{
	if ((tgid && tgid != APP_PID) || tid != APP_PID)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	return send_self((int)sig);
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
		if (act.handler == SIG_IGN ||
		    (act.handler == SIG_DFL &&
		     (SIG_DEFAULT_IGNORED & SIGMASK(sig))))
			pending &= ~SIGMASK(sig);
	}
	if (uoact && copy_to_user(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const void *uset, void *uoset, size_t setsize)
{
	uint64_t old = blocked, set;

	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		set &= ~(SIGMASK(SIGKILL) | SIGMASK(SIGSTOP));
		if (how == SIG_BLOCK)
			blocked |= set;
		else if (how == SIG_UNBLOCK)
			blocked &= ~set;
		else if (how == SIG_SETMASK)
			blocked = set;
		else
			return -EINVAL;
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	/* an unblocked pending signal is delivered before the app goes on */
	for (int sig = 1; sig <= NSIG; sig++)
		if (pending & ~blocked & SIGMASK(sig))
			self_kill(sig);
	return 0;
}

static bool on_altstack(unsigned long sp)
{
	return sp > altstack.sp && sp - altstack.sp <= altstack.size;
}

long sys_sigaltstack(const void *uss, void *uoss)
{
	unsigned long sp = TF_SP(syscall_frame);
	struct k_stack ss, old = { 0 };

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	old.sp = altstack.sp;
	old.size = altstack.size;
	old.flags = (!altstack.size    ? SS_DISABLE
		     : on_altstack(sp) ? SS_ONSTACK
				       : 0) |
		    (int)((unsigned int)altstack.flags & SS_AUTODISARM);
	if (uss) {
		unsigned int mode = (unsigned int)ss.flags & ~SS_AUTODISARM;

		if (on_altstack(sp))
			return -EPERM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.sp = 0;
			ss.size = 0;
		} else if (ss.size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		altstack = ss;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
