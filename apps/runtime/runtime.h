/* SPDX-License-Identifier: MIT */
/*
 * apps/runtime/runtime.h - the contract between an app and the runtime.
 *
 * An app is a folder apps/<name>/ with C files defining
 *     int main(int argc, char **argv);
 * built against picolibc. It writes with stdio (stdout and stderr are line
 * buffered onto the console) and ends by returning from main or calling
 * exit(); the status becomes the machine's exit status.
 *
 * The runtime side below is what an app's C library sits on. Today the app
 * runs in S-mode inside the image and these are calls into the kernel; when
 * the app moves to U-mode they become Linux riscv64 system calls, and no app
 * source changes.
 */
#ifndef PAGODA_APPS_RUNTIME_H
#define PAGODA_APPS_RUNTIME_H

#include <stddef.h>
#include <sys/types.h>

/* Called by the kernel with the arguments after "--" (no argv[0]). */
int app_start(int argc, const char *const *argv);

/* POSIX write(2) for fd 1 and 2; -1 with errno EBADF otherwise. */
ssize_t write(int fd, const void *buf, size_t count);
/* Leaves without flushing stdio: exit() does that first. */
_Noreturn void _exit(int status);

#endif
