// SPDX-License-Identifier: MIT
/*
 * tests/linux/segv.c - demand paging in user space: a SIGSEGV handler
 * (SA_SIGINFO) that makes the faulting page of a PROT_NONE region
 * readable and writable with mprotect and returns, so the access that
 * faulted runs again and succeeds. Each of 8 pages faults exactly once;
 * si_addr is the address touched and si_code SEGV_ACCERR (a mapping
 * without the permission); then a write to an unmapped page gives
 * SEGV_MAPERR, which the handler leaves by siglongjmp.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGES 8

static volatile char
	*region; /* volatile: each access after expect_addr's store */
static long page;
static volatile sig_atomic_t faults, addr_ok, accerr, maperr;
static sigjmp_buf out;
static volatile char *volatile expect_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	char *a = si->si_addr;

	(void)sig;
	(void)uc;
	faults++;
	addr_ok += a == (char *)expect_addr;
	if (si->si_code == SEGV_MAPERR) {
		maperr++;
		siglongjmp(out, 1);
	}
	accerr += si->si_code == SEGV_ACCERR;
	if (a < (char *)region || a >= (char *)region + PAGES * page)
		_exit(3); /* not ours: fail loudly */
	mprotect((void *)((uintptr_t)a & ~(uintptr_t)(page - 1)), page,
		 PROT_READ | PROT_WRITE);
}

int main(void)
{
	struct sigaction sa;
	volatile int sum = 0;
	int ok;
	char *map;

	page = sysconf(_SC_PAGESIZE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	map = mmap(NULL, PAGES * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (map == MAP_FAILED)
		return 2;
	region = map;
	printf("segv: %d PROT_NONE pages mapped\n", PAGES);
	for (int i = 0; i < PAGES; i++) {
		expect_addr = region + i * page + 123;
		region[i * page + 123] = (char)i; /* faults, then runs again */
	}
	for (int i = 0; i < PAGES; i++) {
		expect_addr = region + i * page + 123;
		sum += region[i * page +
			      123]; /* no fault: the page is rw now */
	}
	printf("segv: %d faults, si_addr right %d, SEGV_ACCERR %d, sum %d\n",
	       (int)faults, (int)addr_ok, (int)accerr, sum);

	munmap((char *)region + 4 * page, page); /* a hole */
	expect_addr = region + 4 * page + 8;
	if (!sigsetjmp(out, 1))
		region[4 * page + 8] = 1;
	printf("segv: unmapped page: SEGV_MAPERR %d, si_addr right %s\n",
	       (int)maperr, addr_ok == PAGES + 1 ? "yes" : "no");
	ok = faults == PAGES + 1 && addr_ok == PAGES + 1 && accerr == PAGES &&
	     maperr == 1 && sum == PAGES * (PAGES - 1) / 2;
	return ok ? 0 : 1;
}
