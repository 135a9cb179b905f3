// SPDX-License-Identifier: MIT
/*
 * apps/linux-signals - signal handlers on pagoda, as a static glibc
 * program; its output must be what Linux (qemu-riscv64) prints.
 *
 *   paging    user-level demand paging: a PROT_NONE region is touched
 *             page by page; the SIGSEGV handler checks si_addr and
 *             si_code (SEGV_ACCERR), mprotects the page and returns, and
 *             the access is retried and succeeds
 *   maperr    a load from an unmapped page: SEGV_MAPERR and its address;
 *             the handler leaves by siglongjmp
 *   sigill    an illegal instruction: SIGILL, ILL_ILLOPC, si_addr = pc;
 *             the handler steps over it through the ucontext's pc
 *   sigtrap   ebreak: SIGTRAP, TRAP_BRKPT, stepped over likewise
 *   altstack  a handler with SA_ONSTACK runs on the sigaltstack
 *   mask      a blocked SIGUSR2 stays pending and runs when unblocked;
 *             SIGUSR1's handler runs with its sa_mask (SIGUSR2) and
 *             itself blocked; the mask is back after
 *   fp        a handler that changes the FP registers does not change the
 *             interrupted code's doubles or rounding mode
 *   ucontext  the handler's ucontext has the interrupted registers
 *   abort     abort() with a SIGABRT handler that returns: the handler
 *             runs, then the program dies by SIGABRT (status 134)
 * Arguments pick steps; none runs all but abort.
 */
#include <fenv.h>
#include <signal.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef TRAP_BRKPT
#define TRAP_BRKPT 1 /* uapi/asm-generic/siginfo.h */
#endif

extern char __executable_start[], etext[]; /* the linker's */

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("linux-signals: FAILED: %s\n", what);
		exit(1);
	}
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags,
	       int mask_sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (mask_sig)
		sigaddset(&sa.sa_mask, mask_sig);
	check(sigaction(sig, &sa, NULL) == 0, "sigaction");
}

/* ---- paging ---- */
static char *region;
static long page;
static int faults, bad_info;

static void on_segv_paging(int sig, siginfo_t *si, void *uc)
{
	char *p = (char *)((uintptr_t)si->si_addr & ~(uintptr_t)(page - 1));

	(void)uc;
	faults++;
	if (sig != SIGSEGV || si->si_code != SEGV_ACCERR || p < region ||
	    p >= region + 8 * page)
		bad_info++;
	mprotect(p, page, PROT_READ | PROT_WRITE);
}

static void step_paging(void)
{
	long sum = 0;

	page = sysconf(_SC_PAGESIZE);
	region = mmap(NULL, 8 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	check(region != MAP_FAILED, "mmap");
	on(SIGSEGV, on_segv_paging, 0, 0);
	for (int i = 0; i < 8; i++)
		region[i * page + i] = (char)(i + 1);
	for (int i = 0; i < 8; i++)
		sum += region[i * page + i];
	printf("paging: %d faults, each SEGV_ACCERR inside the region: %s; sum %ld\n",
	       faults, bad_info ? "no" : "yes", sum);
	check(faults == 8 && !bad_info && sum == 36, "demand paging by hand");
	signal(SIGSEGV, SIG_DFL);
	munmap(region, 8 * page);
}

/* ---- maperr ---- */
static sigjmp_buf jump;
static siginfo_t seen;

static void on_segv_jump(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	seen = *si;
	siglongjmp(jump, 1);
}

static void step_maperr(void)
{
	char *hole =
		mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *p = hole + 100;

	munmap(hole, 4096);
	on(SIGSEGV, on_segv_jump, 0, 0);
	if (!sigsetjmp(jump, 1)) {
		(void)*p;
		check(0, "the load faults");
	}
	printf("maperr: signo %d, code %s, address is the load's: %s\n",
	       seen.si_signo, seen.si_code == SEGV_MAPERR ? "SEGV_MAPERR" : "?",
	       seen.si_addr == (void *)p ? "yes" : "no");
	check(seen.si_code == SEGV_MAPERR && seen.si_addr == (void *)p,
	      "SEGV_MAPERR at the address");
	signal(SIGSEGV, SIG_DFL);
}

/* ---- sigill, sigtrap ---- */
static void skip_insn(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	unsigned long pc = uc->uc_mcontext.__gregs[REG_PC];
	uint16_t low;

	seen = *si;
	check((void *)pc == si->si_addr, "si_addr is the faulting pc");
	(void)sig;
	memcpy(&low, (void *)pc, sizeof(low));
	/* 32-bit instructions have 11 in their low two bits */
	uc->uc_mcontext.__gregs[REG_PC] = pc + ((low & 3) == 3 ? 4 : 2);
}

static void step_sigill(void)
{
	on(SIGILL, skip_insn, 0, 0);
	__asm__ volatile(".word 0" ::: "memory"); /* an illegal instruction */
	printf("sigill: signo %d, code %s, stepped over it\n", seen.si_signo,
	       seen.si_code == ILL_ILLOPC ? "ILL_ILLOPC" : "?");
	check(seen.si_signo == SIGILL && seen.si_code == ILL_ILLOPC, "SIGILL");
}

static void step_sigtrap(void)
{
	on(SIGTRAP, skip_insn, 0, 0);
	__asm__ volatile("ebreak" ::: "memory");
	printf("sigtrap: signo %d, code %s, stepped over it\n", seen.si_signo,
	       seen.si_code == TRAP_BRKPT ? "TRAP_BRKPT" : "?");
	check(seen.si_signo == SIGTRAP && seen.si_code == TRAP_BRKPT,
	      "SIGTRAP");
}

/* ---- altstack ---- */
static char altstack[64 * 1024] __attribute__((aligned(16)));
static int on_alt;

static void on_usr1_alt(int sig, siginfo_t *si, void *uc)
{
	char here;
	stack_t ss;

	(void)sig;
	(void)si;
	(void)uc;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
	sigaltstack(NULL, &ss);
	on_alt &= (ss.ss_flags & SS_ONSTACK) != 0;
}

static void step_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	check(sigaltstack(&ss, NULL) == 0, "sigaltstack");
	on(SIGUSR1, on_usr1_alt, SA_ONSTACK, 0);
	raise(SIGUSR1);
	printf("altstack: the handler ran on the alternate stack: %s\n",
	       on_alt ? "yes" : "no");
	check(on_alt, "SA_ONSTACK");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	signal(SIGUSR1, SIG_DFL);
}

/* ---- mask ---- */
static char trail[16];
static int ntrail, masked_inside;

static void on_usr1_mask(int sig, siginfo_t *si, void *uc)
{
	sigset_t cur;

	(void)sig;
	(void)si;
	(void)uc;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	masked_inside =
		sigismember(&cur, SIGUSR1) && sigismember(&cur, SIGUSR2);
	trail[ntrail++] = '1';
}

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trail[ntrail++] = si->si_code == SI_TKILL ? '2' : '?';
}

/*
 * (Not raise() inside a handler to see sa_mask hold a signal back: Linux
 * runs the second handler after the first, but qemu-riscv64 8.x runs it
 * first. The mask is checked from inside instead.)
 */
static void step_mask(void)
{
	sigset_t set, now;

	on(SIGUSR1, on_usr1_mask, 0, SIGUSR2);
	on(SIGUSR2, on_usr2, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2); /* blocked: pending */
	sigpending(&now);
	trail[ntrail++] = sigismember(&now, SIGUSR2) ? 'p' : '-';
	raise(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL); /* SIGUSR2 runs now */
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("mask: events %s; inside SIGUSR1's handler both blocked: %s; mask back: %s\n",
	       trail, masked_inside ? "yes" : "no",
	       !sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2)
		       ? "yes"
		       : "no");
	check(!strcmp(trail, "p12") && masked_inside,
	      "pending while blocked, then run; sa_mask inside the handler");
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* ---- fp ---- */
static void on_usr1_fp(int sig, siginfo_t *si, void *uc)
{
	volatile double junk = 1.0;

	(void)sig;
	(void)si;
	(void)uc;
	fesetround(FE_UPWARD);
	for (int i = 0; i < 10; i++)
		junk = junk * 3.5 + 1.0;
}

static void step_fp(void)
{
	register double a = 1.0 / 3.0, b = 2.0 / 7.0;
	double before = a + b, after;

	on(SIGUSR1, on_usr1_fp, 0, 0);
	raise(SIGUSR1);
	after = a + b;
	printf("fp: doubles and rounding mode kept across a handler: %s\n",
	       before == after && fegetround() == FE_TONEAREST ? "yes" : "no");
	check(before == after && fegetround() == FE_TONEAREST, "FP state");
	signal(SIGUSR1, SIG_DFL);
}

/* ---- ucontext ---- */
static unsigned long seen_sp, seen_pc;

static void on_usr1_uc(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	seen_sp = uc->uc_mcontext.__gregs[REG_SP];
	seen_pc = uc->uc_mcontext.__gregs[REG_PC];
}

static void step_ucontext(void)
{
	char here;

	on(SIGUSR1, on_usr1_uc, 0, 0);
	raise(SIGUSR1);
	printf("ucontext: sp near the caller's frame: %s; pc in the program: %s\n",
	       seen_sp < (unsigned long)&here &&
			       (unsigned long)&here - seen_sp < 64 * 1024
		       ? "yes"
		       : "no",
	       seen_pc >= (unsigned long)__executable_start &&
			       seen_pc < (unsigned long)etext
		       ? "yes"
		       : "no");
	signal(SIGUSR1, SIG_DFL);
}

/* ---- abort ---- */
static void on_abrt(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	printf("abort: the SIGABRT handler ran (signal %d) and returns\n", sig);
	fflush(stdout);
}

static void step_abort(void)
{
	on(SIGABRT, on_abrt, 0, 0);
	abort();
}

static const struct {
	const char *name;
	void (*fn)(void);
	int by_default;
} steps[] = {
	{ "paging", step_paging, 1 },
	{ "maperr", step_maperr, 1 },
	{ "sigill", step_sigill, 1 },
	{ "sigtrap", step_sigtrap, 1 },
	{ "altstack", step_altstack, 1 },
	{ "mask", step_mask, 1 },
	{ "fp", step_fp, 1 },
	{ "ucontext", step_ucontext, 1 },
	{ "abort", step_abort, 0 },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int wanted = argc < 2 && steps[i].by_default;

		for (int j = 1; j < argc; j++)
			wanted |= !strcmp(argv[j], steps[i].name);
		if (wanted)
			steps[i].fn();
	}
	printf("linux-signals: done\n");
	return 0;
}
