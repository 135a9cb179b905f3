// SPDX-License-Identifier: MIT
/*
 * apps/runtime/files.c - the file system calls: open, close, read, write,
 * writev, lseek, stat, fstat, ioctl and what the C library builds on them
 * (isatty, tcgetattr, tcsetattr, getcwd).
 *
 * Linux's open flags are made from picolibc's, and Linux's struct stat
 * (asm-generic, 128 bytes) is copied field by field into picolibc's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "apps/runtime/internal.h"
#include "kernel/abi.h"

/* clang-format off */
#define L_AT_FDCWD            (-100)
#define L_AT_SYMLINK_NOFOLLOW 0x100
/* clang-format on */

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
	return (int)syscall_result(SYSCALL(SYS_openat, -100 /* AT_FDCWD */,
					   path, open_flags_to_linux(flags),
					   mode, 0, 0));
}

int close(int fd)
{
	return (int)syscall_result(SYSCALL(SYS_close, fd, 0, 0, 0, 0, 0));
}

ssize_t read(int fd, void *buf, size_t count)
{
	return syscall_result(SYSCALL(SYS_read, fd, buf, count, 0, 0, 0));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return syscall_result(SYSCALL(SYS_write, fd, buf, count, 0, 0, 0));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return syscall_result(SYSCALL(SYS_writev, fd, iov, iovcnt, 0, 0, 0));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return syscall_result(SYSCALL(SYS_lseek, fd, offset, whence, 0, 0, 0));
}

static int stat_result(long r, const struct linux_stat *l, struct stat *st)
{
	if (syscall_result(r) < 0)
		return -1;
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)l->st_dev;
	st->st_ino = (ino_t)l->st_ino;
	st->st_mode = (mode_t)l->st_mode;
	st->st_nlink = (nlink_t)l->st_nlink;
	st->st_uid = (uid_t)l->st_uid;
	st->st_gid = (gid_t)l->st_gid;
	st->st_rdev = (dev_t)l->st_rdev;
	st->st_size = (off_t)l->st_size;
	st->st_blksize = (blksize_t)l->st_blksize;
	st->st_blocks = (blkcnt_t)l->st_blocks;
	st->st_atim =
		(struct timespec){ l->st_atime_sec, (long)l->st_atime_nsec };
	st->st_mtim =
		(struct timespec){ l->st_mtime_sec, (long)l->st_mtime_nsec };
	st->st_ctim =
		(struct timespec){ l->st_ctime_sec, (long)l->st_ctime_nsec };
	return 0;
}

int fstat(int fd, struct stat *st)
{
	struct linux_stat l;

	return stat_result(SYSCALL(SYS_fstat, fd, &l, 0, 0, 0, 0), &l, st);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	struct linux_stat l;

	return stat_result(
		SYSCALL(SYS_newfstatat, dirfd, path, &l, flags, 0, 0), &l, st);
}

int stat(const char *path, struct stat *st)
{
	return fstatat(L_AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fstatat(L_AT_FDCWD, path, st, L_AT_SYMLINK_NOFOLLOW);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	return (int)syscall_result(
		SYSCALL(SYS_ioctl, fd, request, arg, 0, 0, 0));
}

int isatty(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t) == 0;
}

int tcgetattr(int fd, struct termios *t)
{
	return ioctl(fd, TCGETS, t);
}

int tcsetattr(int fd, int optional_actions, const struct termios *t)
{
	if (optional_actions < TCSANOW || optional_actions > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, TCSETS + optional_actions, t);
}

char *getcwd(char *buf, size_t size)
{
	if (syscall_result(SYSCALL(SYS_getcwd, buf, size, 0, 0, 0, 0)) < 0)
		return NULL;
	return buf;
}
