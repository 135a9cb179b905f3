// SPDX-License-Identifier: MIT
/*
 * tests/linux/setjmp.c - setjmp/longjmp through several frames, volatile
 * locals kept across the jump, longjmp's value (0 becomes 1), and
 * sigsetjmp/siglongjmp restoring the signal mask (or not, savemask 0).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf senv;

static int depth(int n, int val)
{
	if (n > 0)
		return depth(n - 1, val) + 1; /* never returns */
	if (val >= 0)
		longjmp(env, val);
	return 0;
}

static int usr1_blocked(void)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, SIGUSR1);
}

static int check(const char *what, int ok)
{
	printf("setjmp: %s: %s\n", what, ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

int main(void)
{
	volatile int count = 0;
	int bad = 0, r;
	sigset_t usr1;

	r = setjmp(env);
	count++;
	if (r == 0)
		depth(10, 42);
	bad |= check("longjmp through 10 frames returns 42",
		     r == 42 && count == 2);

	count = 0;
	r = setjmp(env);
	if (count++ == 0)
		longjmp(env, 0);
	bad |= check("longjmp(env, 0) returns 1", r == 1 && count == 2);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	r = sigsetjmp(senv, 1);
	if (r == 0) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		siglongjmp(senv, 7);
	}
	bad |= check("siglongjmp(savemask 1) restores the mask",
		     r == 7 && !usr1_blocked());

	r = sigsetjmp(senv, 0);
	if (r == 0) {
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		siglongjmp(senv, 8);
	}
	bad |= check("siglongjmp(savemask 0) leaves the mask",
		     r == 8 && usr1_blocked());
	return bad;
}
