/* SPDX-License-Identifier: MIT */
/*
 * kernel/abi.h - what both sides of a system call must agree on beyond
 * its number (kernel/unistd.h): Linux riscv64's terminal ioctls and
 * termios bits (asm-generic/ioctls.h, termbits.h) and its struct stat
 * (asm-generic/stat.h). One definition for the kernel (kernel/tty.c,
 * kernel/file.c) and the app's runtime (apps/runtime/). Constants and
 * plain structures only.
 */
#ifndef PAGODA_KERNEL_ABI_H
#define PAGODA_KERNEL_ABI_H

/* clang-format off */
/* ---- terminal ioctls ---- */
#define TCGETS      0x5401
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414

/* ---- termios: c_iflag, c_oflag, c_cflag, c_lflag bits; c_cc indexes ---- */
#define ICRNL   0000400
#define IXON    0002000
#define OPOST   0000001
#define ONLCR   0000004
#define B38400  0000017
#define CS8     0000060
#define CREAD   0000200
#define HUPCL   0002000
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000

#define NCCS    19
#define VINTR   0
#define VQUIT   1
#define VERASE  2
#define VKILL   3
#define VEOF    4
#define VTIME   5
#define VMIN    6
/* clang-format on */

/* struct stat on riscv64: 128 bytes (the app's runtime copies it into
 * picolibc's own struct stat). */
struct linux_stat {
	unsigned long st_dev, st_ino;
	unsigned int st_mode, st_nlink, st_uid, st_gid;
	unsigned long st_rdev, pad1;
	long st_size;
	int st_blksize, pad2;
	long st_blocks;
	long st_atime_sec;
	unsigned long st_atime_nsec;
	long st_mtime_sec;
	unsigned long st_mtime_nsec;
	long st_ctime_sec;
	unsigned long st_ctime_nsec;
	unsigned int unused4, unused5;
};

#endif
