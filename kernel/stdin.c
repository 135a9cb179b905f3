// SPDX-License-Identifier: MIT
/*
 * kernel/stdin.c - descriptor 0 as a file the boot loader put in memory.
 *
 * Boot argument stdin=initrd makes the initrd (QEMU -initrd FILE, which
 * `make run STDIN=FILE` passes, or a boot loader's ramdisk) the app's
 * standard input, as `app < FILE` is on Linux: a read-only regular file of
 * the initrd's size that reads to its end, then gives end of file, and
 * seeks; stdin=null makes it an empty one. Not a terminal (ioctl is ENOTTY), so the C library buffers it
 * fully. The bytes stay where the loader put them (memblock reserved
 * them); nothing is copied until read() copies to the app.
 */
#include <errno.h>

#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define L_SEEK_SET  0
#define L_SEEK_CUR  1
#define L_SEEK_END  2
#define L_S_IFREG   0100000
/* clang-format on */

static const char *data;
static long size;

static long stdin_read(struct file *f, char *ubuf, size_t count)
{
	size_t n, left;

	if (f->pos >= size)
		return 0;
	n = (size_t)(size - f->pos) < count ? (size_t)(size - f->pos) : count;
	left = copy_to_user(ubuf, data + f->pos, n);
	if (left == n && n)
		return -EFAULT;
	f->pos += (long)(n - left);
	return (long)(n - left);
}

static long stdin_llseek(struct file *f, long offset, int whence)
{
	long base;

	switch (whence) {
	case L_SEEK_SET:
		base = 0;
		break;
	case L_SEEK_CUR:
		base = f->pos;
		break;
	case L_SEEK_END:
		base = size;
		break;
	default:
		return -EINVAL;
	}
	if ((offset > 0 && base > __LONG_MAX__ - offset) || base + offset < 0)
		return -EINVAL;
	f->pos = base + offset;
	return f->pos;
}

static void stdin_stat(const struct file *f, struct kstat *st)
{
	st->ino = 1;
	st->mode = L_S_IFREG | 0444;
	st->nlink = 1;
	st->size = size;
	st->blksize = 4096;
}

static const struct file_ops stdin_ops = {
	.read = stdin_read,
	.llseek = stdin_llseek,
	.stat = stdin_stat,
};

struct file stdin_file;

void stdin_init(const void *bytes, long len)
{
	data = bytes;
	size = len;
	stdin_file = (struct file){ .ops = &stdin_ops, .mode = FMODE_READ };
}
