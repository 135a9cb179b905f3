// SPDX-License-Identifier: MIT
/*
 * kernel/signal.c - signals, as far as one app with no handlers needs
 * them: every signal does its default action, which for those that reach
 * the app (a fault, abort()'s SIGABRT, ^C's SIGINT) is to end it with
 * status 128 + signal after saying why. C library handlers (picolibc's
 * signal()) run in the app and never reach the runtime.
 */
#include <errno.h>

#include "hal/riscv/riscv.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

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

/*
 * kill and tgkill, for the app's own pid (0 or APP_PID): signal 0 checks
 * that the app exists; any other ends it, from the ecall that sent it.
 */
long sys_kill(long pid, long tid, long sig)
{
	const char *name;

	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if ((pid != 0 && pid != APP_PID) || tid != APP_PID)
		return -ESRCH;
	if (!sig)
		return 0;
	syscall_frame->sepc -= 4; /* the ecall: the app does not go on */
	if ((name = signal_name((int)sig)))
		pr_err("pagoda: app killed by %s, which it sent itself, pc 0x%016lx\n",
		       name, syscall_frame->sepc);
	else
		pr_err("pagoda: app killed by signal %ld, which it sent itself, pc 0x%016lx\n",
		       sig, syscall_frame->sepc);
	report_backtrace(syscall_frame);
	app_exit(128 + (int)sig);
}
