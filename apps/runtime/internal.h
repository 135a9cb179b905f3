/* SPDX-License-Identifier: MIT */
/*
 * apps/runtime/internal.h - what the runtime's files share: the system
 * call and the translation of its result into the C library's errno.
 */
#ifndef PAGODA_APPS_RUNTIME_INTERNAL_H
#define PAGODA_APPS_RUNTIME_INTERNAL_H

#include "apps/runtime/runtime.h"
#include "kernel/unistd.h"

#define SYSCALL(nr, a, b, c, d, e, f)                                       \
	syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), \
		 (long)(f))

/* Linux's errno number as picolibc numbers it (they differ above 34). */
int errno_from_linux(long e);
/* A system call's result: r, or -1 with errno set for -4095..-1. */
long syscall_result(long r);

/* stdio.c: write out what stdout holds (before stdin waits, at exit). */
void stdout_flush(void);

#endif
