// SPDX-License-Identifier: MIT
/*
 * kernel/signal.c - signals for one single-threaded app, with Linux's
 * system calls and their argument checks: kill, tkill, tgkill,
 * rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigreturn.
 *
 * A signal the app sends itself is discarded if ignored (SIG_IGN, or by
 * default SIGCHLD, SIGCONT, SIGURG, SIGWINCH), else made pending; at the
 * end of every system call a pending signal not blocked is delivered, as
 * Linux does on the way back to user mode: a handler runs on a frame in
 * Linux riscv64's layout (struct rt_sigframe: siginfo, then the ucontext
 * with the registers, the mask and the alternate stack), on the
 * alternate stack with SA_ONSTACK; the default action ends the app with
 * status 128 + signal after saying why. Signals from faults (signal_fatal_
 * trap) and ^C end the app whatever the app set.
 *
 * The handler returns to ra = SIGRETURN_PC, an address in the page below
 * mmap_min_addr that nothing maps (Linux points ra at the vDSO's
 * rt_sigreturn; pagoda has no vDSO): the instruction fault there is
 * rt_sigreturn, as is the system call 139 itself. It restores the
 * registers and the mask from the frame at sp.
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
#define SA_SIGINFO      0x4UL
#define SA_ONSTACK      0x08000000UL
#define SA_NODEFER      0x40000000UL
#define SA_RESETHAND    0x80000000UL
#define SI_USER         0
#define SI_TKILL        (-6)
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
 * floating-point state (left zero: apps are rv64imac). */
struct k_siginfo {
	int signo, errno_, code, pad;
	int pid;
	unsigned int uid;
	char rest[104];
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

static struct k_sigaction actions[NSIG + 1];
static uint64_t blocked, pending;
static int pending_code[NSIG + 1]; /* SI_USER (kill) or SI_TKILL */
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

/* A signal the app sent itself ends it, from the ecall that sent it
 * (or that unblocked it). */
static _Noreturn void self_kill(int sig)
{
	const char *name = signal_name(sig);

	syscall_frame->sepc -= 4; /* the ecall: the app does not go on */
	if (name)
		pr_err("pagoda: app killed by %s, which it sent itself, pc 0x%016lx\n",
		       name, syscall_frame->sepc);
	else
		pr_err("pagoda: app killed by signal %d, which it sent itself, pc 0x%016lx\n",
		       sig, syscall_frame->sepc);
	report_backtrace(syscall_frame);
	app_exit(128 + sig);
}

static bool ignored(int sig)
{
	unsigned long h = actions[sig].handler;

	return sig != SIGKILL && sig != SIGSTOP &&
	       (h == SIG_IGN ||
		(h == SIG_DFL && (SIG_DEFAULT_IGNORED & SIGMASK(sig))));
}

/* Send sig to the app: discarded, or pending until the call returns. */
static long send_self(int sig, int code)
{
	if (!sig || ignored(sig))
		return 0;
	pending |= SIGMASK(sig);
	pending_code[sig] = code;
	return 0;
}

static bool on_altstack(unsigned long sp);

/* The handler's frame on the stack sp, and the registers that run it. */
static void setup_frame(struct trap_frame *tf, int sig)
{
	const struct k_sigaction *ka = &actions[sig];
	unsigned long sp = TF_SP(tf);
	struct rt_sigframe f = { 0 };
	uintptr_t uf;

	f.info.signo = sig;
	f.info.code = pending_code[sig];
	f.info.pid = APP_PID;
	f.uc.stack.sp = altstack.sp;
	f.uc.stack.size = altstack.size;
	f.uc.stack.flags = !altstack.size    ? SS_DISABLE
			   : on_altstack(sp) ? SS_ONSTACK
					     : 0;
	f.uc.sigmask = blocked;
	f.uc.regs[0] = tf->sepc;
	for (int i = 1; i < 32; i++)
		f.uc.regs[i] = tf->regs[i - 1];
	if ((ka->flags & SA_ONSTACK) && altstack.size && !on_altstack(sp))
		sp = altstack.sp + altstack.size;
	uf = (sp - sizeof(f)) & ~0xfUL;
	if (!is_user_range(uf, sizeof(f)) ||
	    copy_to_user((void *)uf, &f, sizeof(f)))
		signal_kill_app(SIGSEGV, "no room for a signal frame");
	tf->sepc = ka->handler;
	TF_RA(tf) = SIGRETURN_PC;
	TF_SP(tf) = uf;
	tf->regs[9] = (unsigned long)sig; /* a0 */
	tf->regs[10] =
		uf + __builtin_offsetof(struct rt_sigframe, info);	/* a1 */
	tf->regs[11] = uf + __builtin_offsetof(struct rt_sigframe, uc); /* a2 */
	blocked |= ka->mask | (ka->flags & SA_NODEFER ? 0 : SIGMASK(sig));
	blocked &= ~UNBLOCKABLE;
	if (ka->flags & SA_RESETHAND)
		actions[sig] = (struct k_sigaction){ 0 };
}

void signal_deliver(struct trap_frame *tf)
{
	while (pending & ~blocked) {
		int sig = __builtin_ctzl(pending & ~blocked) + 1;

		pending &= ~SIGMASK(sig);
		if (ignored(sig))
			continue;
		if (actions[sig].handler == SIG_DFL) {
			syscall_frame = tf;
			self_kill(sig);
		}
		setup_frame(tf, sig);
		return; /* the handler runs first; the rest after it */
	}
}

/* rt_sigreturn: the registers and mask from the frame at sp. */
void signal_return(struct trap_frame *tf)
{
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
	blocked = uc.sigmask & ~UNBLOCKABLE;
	signal_deliver(tf);
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
	return send_self((int)sig, SI_USER);
}

/* tgid 0: tkill's any thread group. */
static long do_tkill(long tgid, long tid, long sig)
{
	if ((tgid && tgid != APP_PID) || tid != APP_PID)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	return send_self((int)sig, SI_TKILL);
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
		if (ignored((int)sig))
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
		set &= ~UNBLOCKABLE;
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
	return 0; /* an unblocked pending signal comes at the return */
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
