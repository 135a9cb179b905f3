// SPDX-License-Identifier: MIT
/*
 * apps/runtime/syscalls.c - the system calls the C library needs.
 *
 * While the app runs inside the image these call the kernel directly. They
 * keep POSIX signatures and errno behaviour so that the switch to ecalls
 * changes this file only.
 */
#include <errno.h>

#include "apps/runtime/runtime.h"
#include "kernel/kernel.h"

ssize_t write(int fd, const void *buf, size_t count)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, count);
	return (ssize_t)count;
}

_Noreturn void _exit(int status)
{
	kernel_exit(status & 0xff);
}
