// SPDX-License-Identifier: MIT
/*
 * kernel/file.c - the descriptor table and the system calls that take a
 * descriptor: read, write, writev, lseek, ioctl, fstat, newfstatat, close.
 *
 * A descriptor names a struct file; what the file is (the console, a
 * /proc file) is in its ops, and an op it lacks gets the error Linux gives
 * for such a file (ESPIPE for lseek, ENOTTY for ioctl, EINVAL for reading
 * a file that cannot be read). Access is checked here, once: a file not
 * opened for reading is EBADF for read, as on Linux.
 *
 * The app starts with 0, 1 and 2 on the console, as init does on Linux
 * (/dev/console opened read-write three times), or 0 on the file bootarg
 * stdin= names (stdin.c). Closing them closes them: there is no /dev to
 * open the console again.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "hal/riscv/riscv.h"
#include "kernel/abi.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define IOV_MAX         1024
#define L_AT_FDCWD      (-100)
#define L_AT_SYMLINK_NOFOLLOW 0x100
#define L_AT_NO_AUTOMOUNT     0x800
#define L_AT_EMPTY_PATH       0x1000
/* clang-format on */

static struct file *fd_table[FD_MAX];

int fd_install(struct file *f)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (!fd_table[fd]) {
			fd_table[fd] = f;
			return fd;
		}
	return -EMFILE;
}

struct file *fd_file(int fd)
{
	return fd >= 0 && fd < FD_MAX ? fd_table[fd] : NULL;
}

long sys_close(int fd)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	fd_table[fd] = NULL;
	if (f->ops->release)
		f->ops->release(f);
	return 0;
}

void fd_reset(void)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (fd_table[fd])
			sys_close(fd);
	stdin_file.pos = 0;
	fd_table[0] = stdin_file.ops ? &stdin_file : &tty_file;
	fd_table[1] = fd_table[2] = &tty_file;
}

long sys_read(int fd, char *ubuf, size_t count)
{
	struct file *f = fd_file(fd);

	if (!f || !(f->mode & FMODE_READ))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	if ((long)count < 0)
		return -EINVAL;
	if (!is_user_range((uintptr_t)ubuf, count))
		return -EFAULT;
	return f->ops->read(f, ubuf, count);
}

long sys_write(int fd, const char *ubuf, size_t count)
{
	struct file *f = fd_file(fd);

	if (!f || !(f->mode & FMODE_WRITE))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	if ((long)count < 0)
		return -EINVAL;
	return f->ops->write(f, ubuf, count);
}

struct iovec_user {
	char *base; /* the app's: read into, or written from */
	size_t len;
};

/* The iovec array is checked whole first: a bad one writes nothing. */
/*
 * readv and writev: the vector checked whole first (EFAULT, EINVAL for a
 * count beyond IOV_MAX or a total beyond LONG_MAX), then one read or
 * write per segment, stopping at the first short one (a console line);
 * an error after some bytes moved is the count so far.
 */
static long do_iov(int fd, const void *uiov, int iovcnt, bool write)
{
	const struct iovec_user *u = uiov;
	struct file *f = fd_file(fd);
	struct iovec_user iov;
	size_t total = 0;
	long done = 0;

	if (!f || !(f->mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		if (copy_from_user(&iov, u + i, sizeof(iov)))
			return -EFAULT;
		if (iov.len > (size_t)LONG_MAX - total)
			return -EINVAL;
		total += iov.len;
	}
	for (int i = 0; i < iovcnt; i++) {
		long r;

		(void)copy_from_user(&iov, u + i, sizeof(iov));
		if (!iov.len)
			continue;
		r = write ? sys_write(fd, iov.base, iov.len)
			  : sys_read(fd, iov.base, iov.len);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((size_t)r < iov.len)
			break;
	}
	return done;
}

long sys_writev(int fd, const void *uiov, int iovcnt)
{
	return do_iov(fd, uiov, iovcnt, true);
}

long sys_readv(int fd, const void *uiov, int iovcnt)
{
	return do_iov(fd, uiov, iovcnt, false);
}

long sys_lseek(int fd, long offset, int whence)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	return f->ops->llseek ? f->ops->llseek(f, offset, whence) : -ESPIPE;
}

long sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

_Static_assert(sizeof(struct linux_stat) == 128, "Linux's struct stat");

/* Every file was made at boot; its times are the boot's wall clock. */
long stat_to_user(const struct kstat *st, void *ustat)
{
	uint64_t boot = time_realtime_ns() - timer_ns();
	struct linux_stat s = {
		.st_ino = st->ino,
		.st_mode = st->mode,
		.st_nlink = (unsigned int)st->nlink,
		.st_rdev = st->rdev,
		.st_size = st->size,
		.st_blksize = st->blksize,
		.st_atime_sec = (long)(boot / 1000000000),
		.st_atime_nsec = boot % 1000000000,
	};

	s.st_mtime_sec = s.st_ctime_sec = s.st_atime_sec;
	s.st_mtime_nsec = s.st_ctime_nsec = s.st_atime_nsec;
	return copy_to_user(ustat, &s, sizeof(s)) ? -EFAULT : 0;
}

long sys_fstat(int fd, void *ustat)
{
	struct file *f = fd_file(fd);
	struct kstat st = { 0 };

	if (!f)
		return -EBADF;
	f->ops->stat(f, &st);
	return stat_to_user(&st, ustat);
}

long sys_newfstatat(int dirfd, const char *upath, void *ustat, int flags)
{
	struct kstat st = { 0 };
	char path[PATH_MAX_USER];
	long err;

	if (flags &
	    ~(L_AT_SYMLINK_NOFOLLOW | L_AT_NO_AUTOMOUNT | L_AT_EMPTY_PATH))
		return -EINVAL;
	err = strncpy_from_user(path, upath, sizeof(path));
	if (err < 0)
		return err;
	if (!path[0] && (flags & L_AT_EMPTY_PATH) && dirfd != L_AT_FDCWD)
		return sys_fstat(dirfd, ustat);
	if (!path[0] && (flags & L_AT_EMPTY_PATH))
		strcpy(path, "."); /* the working directory */
	err = procfs_stat(dirfd, path, &st);
	return err ? err : stat_to_user(&st, ustat);
}
