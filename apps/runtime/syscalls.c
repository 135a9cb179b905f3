// SPDX-License-Identifier: MIT
/*
 * apps/runtime/syscalls.c - the system call under the app's C library.
 *
 * Each call is one ecall with the Linux riscv64 number (a7) and arguments
 * (a0..a5); a result in [-4095, -1] is -errno. Linux's errno numbers are
 * translated into picolibc's where the two differ, so apps see POSIX
 * behaviour with picolibc's constants. The wrappers live by subject:
 * files.c, memory.c, time.c, process.c.
 */
#include <errno.h>

#include "apps/runtime/internal.h"

long syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
			 : "memory");
	return a0;
}

/* Linux errno -> picolibc errno: equal below 35, a few differ above. */
int errno_from_linux(long e)
{
	switch (e) {
	case 36:
		return ENAMETOOLONG;
	case 38:
		return ENOSYS;
	case 39:
		return ENOTEMPTY;
	case 40:
		return ELOOP;
	case 75:
		return EOVERFLOW;
	case 95:
		return EOPNOTSUPP;
	case 110:
		return ETIMEDOUT;
	default:
		return (int)e;
	}
}

long syscall_result(long r)
{
	if ((unsigned long)r > -4096UL) {
		errno = errno_from_linux(-r);
		return -1;
	}
	return r;
}
