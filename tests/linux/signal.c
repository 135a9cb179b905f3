// SPDX-License-Identifier: MIT
/*
 * tests/linux/signal.c - signals a program sends itself: a SIGUSR1
 * handler run by raise() (SA_SIGINFO: si_signo, si_code SI_TKILL, and the
 * pid), by kill() (SI_USER), a blocked signal left pending and run when
 * unblocked, SA_RESETHAND, the handler's mask (sa_mask and the signal
 * itself blocked while it runs), and SIG_IGN.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t runs, last_code, last_signo, pid_ok, masked_inside;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	sigset_t now;

	(void)uc;
	runs++;
	last_signo = si->si_signo == sig ? sig : -1;
	last_code = si->si_code;
	pid_ok = si->si_pid == getpid();
	sigprocmask(SIG_BLOCK, NULL, &now);
	masked_inside =
		sigismember(&now, SIGUSR1) * 10 + sigismember(&now, SIGUSR2);
}

static const char *code_name(int code)
{
	return code == SI_USER	  ? "SI_USER"
	       : code == SI_TKILL ? "SI_TKILL"
				  : "other";
}

static void report(const char *how)
{
	printf("signal: %s: handler ran %d time(s), si_signo %s, si_code %s, si_pid %s\n",
	       how, (int)runs, last_signo > 0 ? "right" : "wrong",
	       code_name(last_code), pid_ok ? "ours" : "wrong");
	runs = 0;
}

int main(void)
{
	struct sigaction sa, old;
	sigset_t usr1, pending;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	if (sigaction(SIGUSR1, &sa, NULL))
		return 2;

	printf("signal: raise(SIGUSR1) = %d\n", raise(SIGUSR1));
	report("raise");
	printf("signal: kill(getpid(), SIGUSR1) = %d\n",
	       kill(getpid(), SIGUSR1));
	report("kill");
	printf("signal: inside the handler, SIGUSR1 blocked %s\n",
	       masked_inside / 10 ? "yes" : "no");
	/* Linux: yes. Marked: qemu-riscv64 (7.2) loses glibc's sa_mask and
	 * says no; the scenario wants yes from pagoda. */
	printf("~ signal: inside the handler, SIGUSR2 (sa_mask) blocked: %s\n",
	       masked_inside % 10 ? "yes" : "no");

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	raise(SIGUSR1);
	sigpending(&pending);
	printf("signal: blocked: ran %d time(s), pending %s\n", (int)runs,
	       sigismember(&pending, SIGUSR1) ? "yes" : "no");
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	report("unblocked");

	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &old);
	printf("signal: SA_RESETHAND: ran %d time(s), now %s\n", (int)runs,
	       old.sa_handler == SIG_DFL ? "SIG_DFL" : "not SIG_DFL");
	runs = 0;

	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	printf("signal: SIG_IGN: still here, handler ran %d time(s)\n",
	       (int)runs);
	return 0;
}
