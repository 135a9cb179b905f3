// SPDX-License-Identifier: MIT
/*
 * apps/runtime/process.c - the app as a process: _exit, abort, getpid,
 * kill, the user and group ids, uname, sysinfo, sysconf, randomness,
 * swapon and swapoff.
 *
 * abort() does what Linux's C libraries do: raise SIGABRT (a handler set
 * with signal() runs), and if that returns, raise it again with the
 * default action, which ends the app with status 134. The second raise
 * is kill() itself, so the runtime's backtrace goes abort -> its caller.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/swap.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "apps/runtime/internal.h"

/* clang-format off */
#define L_RLIMIT_NOFILE  7
#define AT_PAGESZ        6
#define ARG_MAX_BYTES    (128 * 1024)    /* what the runtime's exec takes */
/* clang-format on */

_Noreturn void _exit(int status)
{
	for (;;)
		SYSCALL(SYS_exit_group, status, 0, 0, 0, 0, 0);
}

pid_t getpid(void)
{
	return (pid_t)SYSCALL(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

int kill(pid_t pid, int sig)
{
	return (int)syscall_result(SYSCALL(SYS_kill, pid, sig, 0, 0, 0, 0));
}

_Noreturn void abort(void)
{
	void (*handler)(int) = signal(SIGABRT, SIG_DFL);

	if (handler != SIG_DFL && handler != SIG_IGN && handler != SIG_ERR) {
		signal(SIGABRT, handler);
		raise(SIGABRT);
	}
	stdout_flush();
	kill(getpid(), SIGABRT);
	_exit(127); /* not reached: SIGABRT ends the app */
}

uid_t getuid(void)
{
	return (uid_t)SYSCALL(SYS_getuid, 0, 0, 0, 0, 0, 0);
}

uid_t geteuid(void)
{
	return (uid_t)SYSCALL(SYS_geteuid, 0, 0, 0, 0, 0, 0);
}

gid_t getgid(void)
{
	return (gid_t)SYSCALL(SYS_getgid, 0, 0, 0, 0, 0, 0);
}

gid_t getegid(void)
{
	return (gid_t)SYSCALL(SYS_getegid, 0, 0, 0, 0, 0, 0);
}

int uname(struct utsname *buf)
{
	return (int)syscall_result(SYSCALL(SYS_uname, buf, 0, 0, 0, 0, 0));
}

int sysinfo(struct sysinfo *info)
{
	return (int)syscall_result(SYSCALL(SYS_sysinfo, info, 0, 0, 0, 0, 0));
}

/* One hart runs the app, whatever the machine has. */
int get_nprocs(void)
{
	return 1;
}

int get_nprocs_conf(void)
{
	return 1;
}

long get_phys_pages(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return -1;
	return (long)(si.totalram * si.mem_unit / getauxval(AT_PAGESZ));
}

long get_avphys_pages(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return -1;
	return (long)(si.freeram * si.mem_unit / getauxval(AT_PAGESZ));
}

long sysconf(int name)
{
	unsigned long rlim[2];

	switch (name) {
	case _SC_ARG_MAX:
		return ARG_MAX_BYTES;
	case _SC_CHILD_MAX:
		return 1; /* no fork */
	case _SC_CLK_TCK:
		return CLK_TCK;
	case _SC_NGROUPS_MAX:
		return 65536;
	case _SC_OPEN_MAX:
		if (syscall_result(SYSCALL(SYS_prlimit64, 0, L_RLIMIT_NOFILE, 0,
					   rlim, 0, 0)))
			return -1;
		return (long)rlim[0];
	case _SC_PAGESIZE:
		return (long)getauxval(AT_PAGESZ);
	case _SC_NPROCESSORS_CONF:
		return get_nprocs_conf();
	case _SC_NPROCESSORS_ONLN:
		return get_nprocs();
	case _SC_PHYS_PAGES:
		return get_phys_pages();
	case _SC_AVPHYS_PAGES:
		return get_avphys_pages();
	case _SC_VERSION:
		return 200809L;
	default:
		errno = EINVAL;
		return -1;
	}
}

ssize_t getrandom(void *buf, size_t buflen, unsigned int flags)
{
	return syscall_result(
		SYSCALL(SYS_getrandom, buf, buflen, flags, 0, 0, 0));
}

int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

int swapon(const char *path, int flags)
{
	return (int)syscall_result(
		SYSCALL(SYS_swapon, path, flags, 0, 0, 0, 0));
}

int swapoff(const char *path)
{
	return (int)syscall_result(SYSCALL(SYS_swapoff, path, 0, 0, 0, 0, 0));
}
