// SPDX-License-Identifier: MIT
/*
 * apps/runtime/syscalls.c - the system calls under the app's C library.
 *
 * Each is one ecall with the Linux riscv64 number (a7) and arguments
 * (a0..a5); a result in [-4095, -1] is -errno. Linux's errno numbers are
 * translated into picolibc's where the two differ, and Linux's open flags
 * from picolibc's, so apps see POSIX behaviour with picolibc's constants.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "apps/runtime/runtime.h"
#include "kernel/unistd.h"

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

#define SYSCALL(nr, a, b, c, d, e, f)                                       \
	syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), \
		 (long)(f))

/* Linux errno -> picolibc errno: equal below 35, a few differ above. */
static int errno_from_linux(long e)
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
	default:
		return (int)e;
	}
}

static long result(long r)
{
	if ((unsigned long)r > -4096UL) {
		errno = errno_from_linux(-r);
		return -1;
	}
	return r;
}

/* ---- files: the console and the runtime's /proc ---- */
static int open_flags_to_linux(int flags)
{
	int f = flags & O_ACCMODE;

	if (flags & O_CREAT)
		f |= 0x40;
	if (flags & O_EXCL)
		f |= 0x80;
	if (flags & O_TRUNC)
		f |= 0x200;
	if (flags & O_APPEND)
		f |= 0x400;
	if (flags & O_NONBLOCK)
		f |= 0x800;
	if (flags & O_DIRECTORY)
		f |= 0x10000;
	if (flags & O_CLOEXEC)
		f |= 0x80000;
	return f;
}

int open(const char *path, int flags, ...)
{
	unsigned int mode = 0;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, unsigned int);
		va_end(ap);
	}
	return (int)result(SYSCALL(SYS_openat, -100 /* AT_FDCWD */, path,
				   open_flags_to_linux(flags), mode, 0, 0));
}

int close(int fd)
{
	return (int)result(SYSCALL(SYS_close, fd, 0, 0, 0, 0, 0));
}

ssize_t read(int fd, void *buf, size_t count)
{
	return result(SYSCALL(SYS_read, fd, buf, count, 0, 0, 0));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return result(SYSCALL(SYS_write, fd, buf, count, 0, 0, 0));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return result(SYSCALL(SYS_writev, fd, iov, iovcnt, 0, 0, 0));
}

_Noreturn void _exit(int status)
{
	for (;;)
		SYSCALL(SYS_exit_group, status, 0, 0, 0, 0, 0);
}

/* ---- memory ---- */
void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	long r = result(
		SYSCALL(SYS_mmap, addr, length, prot, flags, fd, offset));

	return r == -1 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t length)
{
	return (int)result(SYSCALL(SYS_munmap, addr, length, 0, 0, 0, 0));
}

int mprotect(void *addr, size_t length, int prot)
{
	return (int)result(SYSCALL(SYS_mprotect, addr, length, prot, 0, 0, 0));
}

void *mremap(void *old_address, size_t old_size, size_t new_size, int flags,
	     ...)
{
	void *new_address = NULL;
	long r;

	if (flags & MREMAP_FIXED) {
		va_list ap;

		va_start(ap, flags);
		new_address = va_arg(ap, void *);
		va_end(ap);
	}
	r = result(SYSCALL(SYS_mremap, old_address, old_size, new_size, flags,
			   new_address, 0));
	return r == -1 ? MAP_FAILED : (void *)r;
}

int madvise(void *addr, size_t length, int advice)
{
	return (int)result(SYSCALL(SYS_madvise, addr, length, advice, 0, 0, 0));
}

int posix_madvise(void *addr, size_t length, int advice)
{
	long r = SYSCALL(SYS_madvise, addr, length, advice, 0, 0, 0);

	return r < 0 ? errno_from_linux(-r) : 0;
}

/* The break as the kernel last reported it (0: not asked yet). */
static uintptr_t current_brk;

int brk(void *addr)
{
	current_brk = (uintptr_t)SYSCALL(SYS_brk, addr, 0, 0, 0, 0, 0);
	if (current_brk != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(ptrdiff_t increment)
{
	uintptr_t old;

	if (!current_brk)
		current_brk = (uintptr_t)SYSCALL(SYS_brk, 0, 0, 0, 0, 0, 0);
	old = current_brk;
	if (increment && brk((void *)(old + increment)))
		return (void *)-1;
	return (void *)old;
}

/* ---- time and randomness ---- */
int clock_gettime(clockid_t clock_id, struct timespec *tp)
{
	return (int)result(
		SYSCALL(SYS_clock_gettime, clock_id, tp, 0, 0, 0, 0));
}

ssize_t getrandom(void *buf, size_t buflen, unsigned int flags)
{
	return result(SYSCALL(SYS_getrandom, buf, buflen, flags, 0, 0, 0));
}

int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

/* ---- processes: one, with one thread ---- */
pid_t getpid(void)
{
	return (pid_t)SYSCALL(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

int kill(pid_t pid, int sig)
{
	return (int)result(SYSCALL(SYS_kill, pid, sig, 0, 0, 0, 0));
}
