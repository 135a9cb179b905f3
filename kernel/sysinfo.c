// SPDX-License-Identifier: MIT
/*
 * kernel/sysinfo.c - what the app may ask about the machine and itself:
 * uname, sysinfo, getcwd, umask, prlimit64 and sched_getaffinity, with
 * Linux's structures. (What a C library tells the kernel about a thread,
 * set_tid_address and set_robust_list, is in clone.c.)
 *
 * pagoda answers as the Linux whose system calls it implements: uname's
 * sysname is "Linux" (C libraries and programs decide by it), the release
 * says which ABI level that is and that it is pagoda. The app runs as root
 * (uid 0, as init does), in "/", the only directory there is.
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define UTS_LEN         65
#define UTS_RELEASE     "6.1.0-pagoda"      /* the Linux ABI it follows */
#define RLIMIT_STACK    3
#define RLIMIT_NOFILE   7
#define RLIMIT_NLIMITS  16
#define RLIM_INFINITY   (~0UL)
/* clang-format on */

/* Linux's struct new_utsname. */
struct utsname_user {
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN];
	char version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

long sys_uname(void *ubuf)
{
	static const struct utsname_user u = {
		.sysname = "Linux",
		.nodename = "pagoda",
		.release = UTS_RELEASE,
		.version = "#1 pagoda",
		.machine = "riscv64",
		.domainname = "(none)",
	};

	return copy_to_user(ubuf, &u, sizeof(u)) ? -EFAULT : 0;
}

/* Linux's struct sysinfo on a 64-bit machine: 112 bytes. */
struct sysinfo_user {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char reserved[4];
};

_Static_assert(sizeof(struct sysinfo_user) == 112, "Linux's struct sysinfo");

long sys_sysinfo(void *ubuf)
{
	struct sysinfo_user si = {
		.uptime = (long)(timer_ns() / 1000000000),
		.totalram = totalram_pages() * PAGE_SIZE,
		.freeram = nr_free_pages() * PAGE_SIZE,
		.totalswap = total_swap_pages * PAGE_SIZE,
		.freeswap = (unsigned long)nr_swap_pages * PAGE_SIZE,
		.procs = 1,
		.mem_unit = 1,
	};

	return copy_to_user(ubuf, &si, sizeof(si)) ? -EFAULT : 0;
}

static unsigned int umask_bits = 022; /* init's */

unsigned int umask_get(void)
{
	return umask_bits;
}

long sys_umask(unsigned int mask)
{
	unsigned int old = umask_bits;

	umask_bits = mask & 0777;
	return old;
}

/* The syscall's answer is the length with the NUL, as Linux's. */
long sys_getcwd(char *ubuf, size_t size)
{
	if (size < 2)
		return -ERANGE;
	return copy_to_user(ubuf, "/", 2) ? -EFAULT : 2;
}

struct rlimit_user {
	unsigned long cur, max;
};

/*
 * The app's own limits (pid 0 or 1), read-only: the stack is what exec
 * mapped, descriptors what the table holds, everything else unlimited.
 */
long sys_prlimit64(long pid, unsigned int resource, const void *unew,
		   void *uold)
{
	struct rlimit_user r = { RLIM_INFINITY, RLIM_INFINITY };

	if (pid != 0 && pid != APP_PID)
		return -ESRCH;
	if (resource >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (resource == RLIMIT_STACK)
		r.cur = r.max = USER_STACK_LIMIT;
	else if (resource == RLIMIT_NOFILE)
		r.cur = r.max = FD_MAX;
	if (unew)
		return -EPERM;
	return uold && copy_to_user(uold, &r, sizeof(r)) ? -EFAULT : 0;
}

/* ---- the hart the app runs on ---- */
#define NR_CPU_IDS 1 /* one hart */

/*
 * As Linux's: len must hold nr_cpu_ids bits and be whole longs (EINVAL),
 * then the task (ESRCH); the answer is the mask's size in bytes, here
 * one long with bit 0, the hart the app runs on.
 */
long sys_sched_getaffinity(long pid, unsigned long len, void *umask)
{
	unsigned long mask = 1;

	if (len * 8 < NR_CPU_IDS || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (pid != 0 && pid != APP_PID)
		return -ESRCH;
	return copy_to_user(umask, &mask, sizeof(mask)) ? -EFAULT
							: (long)sizeof(mask);
}
