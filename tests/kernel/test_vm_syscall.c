// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_vm_syscall.c - the system calls as the app makes them:
 * syscall_dispatch() with Linux riscv64 numbers and arguments in user
 * memory of a test mm, results and -errno as the app sees them (Linux's
 * numbers: picolibc's <errno.h> agrees below 35, the few above are spelt
 * out here). Bad user pointers give -EFAULT, never a panic; a buffer that
 * is mapped but untouched is faulted in by the kernel's own access.
 *
 * What write() prints is captured (ktest_capture_*) and checked, so the
 * KTAP stream stays clean. The exit calls (93, 94) are never made: they
 * would end the run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "tests/kernel/vm_test.h"
#include "kernel/unistd.h"

/* clang-format off */
/* Linux's numbers where picolibc's differ (asm-generic/errno.h) */
#define L_ENAMETOOLONG      36
#define L_ENOSYS            38
#define L_AT_FDCWD          (-100)
#define L_O_WRONLY          01
#define CLOCK_MONOTONIC     1

#define AREA      0x100000000UL   /* the cases' scratch memory */
#define RO_AREA   0x180000000UL   /* read-only memory */
#define HOLE      0x140000000UL   /* never mapped */
/* clang-format on */

#define U(x) ((unsigned long)(x))
/* A system call with up to six arguments, the rest zero. */
#define SC(nr, ...) \
	syscall_dispatch(nr, (const unsigned long[6]){ __VA_ARGS__ }, 0)

/* Put bytes (a string with its NUL) into user memory at addr. */
static bool put_user(uintptr_t addr, const void *p, size_t n)
{
	return copy_to_user((void *)addr, p, n) == 0;
}

static bool put_str(uintptr_t addr, const char *s)
{
	return put_user(addr, s, strlen(s) + 1);
}

/* Scratch memory for the arguments, and read-only memory. */
static bool map_scratch(struct mm *mm)
{
	return vm_mmap(mm, AREA, 4 * PG, RW, ANON | MAP_FIXED, -1, 0) ==
		       (long)AREA &&
	       vm_mmap(mm, RO_AREA, PG, PROT_READ, ANON | MAP_FIXED, -1, 0) ==
		       (long)RO_AREA;
}

#undef MM_CASE
#define MM_CASE(name) MM_CASE_WITH(name, map_scratch)

static void suite_start(struct ktest *t)
{
	vm_test_suite_start(t);
}

MM_CASE(memory_calls)
{
	long a, r;

	a = SC(SYS_mmap, 0, 3 * PG, RW, ANON, U(-1), 0);
	EXPECT_EQ(t, a, MMAP_BASE - 3 * PG);
	ASSERT_TRUE(t, a > 0);
	EXPECT_EQ(t, mm->nr_vmas, 3);
	EXPECT_EQ(t, SC(SYS_mprotect, U(a), PG, PROT_READ), 0);
	EXPECT_EQ(t, find_vma(mm, U(a))->flags & ~VM_ACCOUNT, VM_READ);
	EXPECT_EQ(t, mm->nr_vmas, 4);
	EXPECT_EQ(t, SC(SYS_madvise, U(a), 3 * PG, MADV_DONTNEED), 0);
	/* grows in place: nothing above it */
	r = SC(SYS_mremap, U(a) + PG, 2 * PG, 4 * PG, MREMAP_MAYMOVE, 0);
	EXPECT_EQ(t, r, a + PG);
	EXPECT_EQ(t, find_vma(mm, U(a) + PG)->end, U(a) + 5 * PG);
	EXPECT_EQ(t, mm->total_vm, 4 + 1 + 5);
	EXPECT_EQ(t, SC(SYS_munmap, U(a), 5 * PG), 0);
	EXPECT_EQ(t, mm->nr_vmas, 2);
	EXPECT_TRUE(t, find_vma(mm, U(a)) == NULL);
	/* a 32-bit fd of -1 is -1: anonymous memory ignores it */
	r = SC(SYS_mmap, 0, PG, RW, ANON, 0xffffffffUL, 0);
	EXPECT_TRUE(t, r > 0 && !(r & (PG - 1)));
	/* the errors, as the app gets them */
	EXPECT_EQ(t, SC(SYS_mmap, 0, 0, RW, ANON, U(-1), 0), -EINVAL);
	EXPECT_EQ(t, SC(SYS_mmap, 0, PG, RW, MAP_PRIVATE, U(-1), 0), -EBADF);
	EXPECT_EQ(t, SC(SYS_mmap, 0, PG, RW, MAP_PRIVATE, 0, 0), -ENODEV);
	EXPECT_EQ(t,
		  SC(SYS_mmap, AREA, PG, RW, ANON | MAP_FIXED_NOREPLACE, U(-1),
		     0),
		  -EEXIST);
	EXPECT_EQ(t, SC(SYS_mmap, 0, USER_END, RW, ANON, U(-1), 0), -ENOMEM);
	EXPECT_EQ(t, SC(SYS_munmap, AREA + 1, PG), -EINVAL);
	EXPECT_EQ(t, SC(SYS_mprotect, HOLE, PG, PROT_READ), -ENOMEM);
	EXPECT_EQ(t, SC(SYS_mprotect, AREA, PG, 0x100), -EINVAL);
	EXPECT_EQ(t, SC(SYS_madvise, AREA, PG, 999), -EINVAL);
	EXPECT_EQ(t, SC(SYS_madvise, HOLE, PG, MADV_DONTNEED), -ENOMEM);
	EXPECT_EQ(t, SC(SYS_mremap, AREA, PG, 2 * PG, 0x80, 0), -EINVAL);
	EXPECT_EQ(t, SC(SYS_mremap, HOLE, PG, 2 * PG, MREMAP_MAYMOVE, 0),
		  -EFAULT);
	/* AREA is followed by free space: grows in place without MAYMOVE */
	EXPECT_EQ(t, SC(SYS_mremap, AREA, 4 * PG, 5 * PG, 0, 0), AREA);
	EXPECT_EQ(t, find_vma(mm, AREA)->end, AREA + 5 * PG);
}

MM_CASE(brk_calls)
{
	uint64_t v = 0x77;

	EXPECT_EQ(t, SC(SYS_brk, 0), BRK_BASE);
	EXPECT_EQ(t, SC(SYS_brk, BRK_BASE + 2 * PG + 8), BRK_BASE + 2 * PG + 8);
	EXPECT_EQ(t, mm->brk, BRK_BASE + 2 * PG + 8);
	EXPECT_EQ(t, find_vma(mm, BRK_BASE)->end, BRK_BASE + 3 * PG);
	EXPECT_TRUE(t, put_user(BRK_BASE + 2 * PG, &v, sizeof(v)));
	EXPECT_EQ(t, SC(SYS_brk, BRK_BASE - PG), BRK_BASE + 2 * PG + 8);
	EXPECT_EQ(t, SC(SYS_brk, USER_END + PG), BRK_BASE + 2 * PG + 8);
	EXPECT_EQ(t, SC(SYS_brk, BRK_BASE + PG), BRK_BASE + PG);
	EXPECT_TRUE(t, find_vma(mm, BRK_BASE + PG) == NULL);
	EXPECT_EQ(t, mm->rss, 0);
	EXPECT_EQ(t, SC(SYS_brk, 0), BRK_BASE + PG);
}

MM_CASE(write_calls)
{
	const char *out;
	long r1, r2, r3, r4, r5;
	struct {
		unsigned long base, len;
	} iov[3] = { { AREA, 3 }, { AREA + 64, 2 }, { HOLE, 4 } };

	ASSERT_TRUE(t, put_str(AREA, "vm\n"));
	ASSERT_TRUE(t, put_str(AREA + 64, "x\n"));
	ASSERT_TRUE(t, put_user(AREA + 4 * PG - 2, "ok", 2));
	ASSERT_TRUE(t, put_user(AREA + 128, iov, sizeof(iov)));
	ktest_capture_start();
	r1 = SC(SYS_write, 1, AREA, 3);
	r2 = SC(SYS_write, 2, AREA, 3);
	r3 = SC(SYS_writev, 1, AREA + 128, 2);
	/* the first two pieces, then a bad pointer: what was written */
	r4 = SC(SYS_writev, 2, AREA + 128, 3);
	/* a buffer that runs off the end of the mapping: the part before */
	r5 = SC(SYS_write, 1, AREA + 4 * PG - 2, 4);
	out = ktest_capture_stop();
	EXPECT_EQ(t, r1, 3);
	EXPECT_EQ(t, r2, 3);
	EXPECT_EQ(t, r3, 5);
	EXPECT_EQ(t, r4, 5);
	EXPECT_EQ(t, r5, 2);
	EXPECT_STREQ(t, out, "vm\nvm\nvm\nx\nvm\nx\nok");

	/* a mapped page never touched: faulted in (the zero page) */
	ASSERT_TRUE(t, pt_lookup(mm->pgd, AREA + 2 * PG, NULL) == NULL);
	ktest_capture_start();
	r1 = SC(SYS_write, 1, AREA + 2 * PG, 4);
	out = ktest_capture_stop();
	EXPECT_EQ(t, r1, 4);
	(void)out; /* four NULs went out */
	EXPECT_EQ(t, pte_pa(*pt_lookup(mm->pgd, AREA + 2 * PG, NULL)),
		  zero_page_pa);

	/* nothing at all is printed by the failures */
	ktest_capture_start();
	r1 = SC(SYS_write, 1, HOLE, 4);
	r2 = SC(SYS_write, 5, AREA, 3);
	r3 = SC(SYS_write, FD_MAX - 1, AREA, 3);
	r4 = SC(SYS_write, 1, AREA, U(-1));
	r5 = SC(SYS_write, 1, KERNEL_VA, 8);
	out = ktest_capture_stop();
	EXPECT_EQ(t, r1, -EFAULT);
	EXPECT_EQ(t, r2, -EBADF);
	EXPECT_EQ(t, r3, -EBADF);
	EXPECT_EQ(t, r4, -EINVAL);
	EXPECT_EQ(t, r5, -EFAULT);
	EXPECT_STREQ(t, out, "");
	ktest_capture_start();
	r1 = SC(SYS_writev, 1, HOLE, 1);
	r2 = SC(SYS_writev, 1, AREA + 128 + 2 * sizeof(iov[0]), 1);
	r3 = SC(SYS_writev, 1, AREA + 128, U(-1));
	r4 = SC(SYS_writev, 3, AREA + 128, 1);
	r5 = SC(SYS_write, 1, AREA, 0);
	out = ktest_capture_stop();
	EXPECT_EQ(t, r1, -EFAULT);
	EXPECT_EQ(t, r2, -EFAULT);
	EXPECT_EQ(t, r3, -EINVAL);
	EXPECT_EQ(t, r4, -EBADF);
	EXPECT_EQ(t, r5, 0);
	EXPECT_STREQ(t, out, "");
	EXPECT_EQ(t, mm->rss, 2);
}

static char text[8192];

/* Read a whole file through user memory at AREA + PG (two pages). */
static long read_all(int fd)
{
	size_t len = 0;
	long n;

	while ((n = SC(SYS_read, U(fd), AREA + PG, 2 * PG)) > 0) {
		size_t take = len + (size_t)n < sizeof(text) - 1
				      ? (size_t)n
				      : sizeof(text) - 1 - len;

		if (copy_from_user(text + len, (void *)(AREA + PG), take))
			return -EFAULT;
		len += take;
	}
	text[len] = '\0';
	return n < 0 ? n : (long)len;
}

MM_CASE(proc_meminfo)
{
	long fd, n, fd2;

	ASSERT_TRUE(t, put_str(AREA, "/proc/meminfo"));
	fd = SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0);
	EXPECT_EQ(t, fd, 3); /* the lowest free after the console */
	ASSERT_TRUE(t, fd >= 3);
	/* a read that runs off the mapping: the part that fits */
	n = SC(SYS_read, U(fd), AREA + 4 * PG - 8, 64);
	EXPECT_EQ(t, n, 8);
	EXPECT_EQ(t, copy_from_user(text, (void *)(AREA + 4 * PG - 8), 8), 0);
	EXPECT_TRUE(t, !memcmp(text, "MemTotal", 8));
	/* a short read goes on from there, then the rest */
	n = SC(SYS_read, U(fd), AREA + PG, 1);
	EXPECT_EQ(t, n, 1);
	EXPECT_EQ(t, copy_from_user(text, (void *)(AREA + PG), 1), 0);
	EXPECT_EQ(t, text[0], ':');
	n = read_all((int)fd);
	EXPECT_TRUE(t, n > 100);
	EXPECT_TRUE(t, strstr(text, "\nMemFree:") != NULL);
	EXPECT_EQ(t, SC(SYS_read, U(fd), AREA + PG, 16), 0); /* at the end */
	/* into memory the caller may not write */
	fd2 = SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0);
	EXPECT_EQ(t, fd2, fd + 1);
	EXPECT_EQ(t, SC(SYS_read, U(fd2), RO_AREA, 64), -EFAULT);
	EXPECT_EQ(t, SC(SYS_read, U(fd2), HOLE, 64), -EFAULT);
	EXPECT_EQ(t, SC(SYS_read, U(fd2), KERNEL_VA, 64), -EFAULT);
	EXPECT_EQ(t, SC(SYS_read, U(fd2), 0, 64), -EFAULT);
	/* nothing was consumed by the failures */
	EXPECT_EQ(t, SC(SYS_read, U(fd2), AREA + PG, 9), 9);
	EXPECT_EQ(t, copy_from_user(text, (void *)(AREA + PG), 9), 0);
	EXPECT_TRUE(t, !memcmp(text, "MemTotal:", 9));
	EXPECT_EQ(t, SC(SYS_close, U(fd2)), 0);
	EXPECT_EQ(t, SC(SYS_close, U(fd)), 0);
	/* closed: gone */
	EXPECT_EQ(t, SC(SYS_read, U(fd), AREA + PG, 16), -EBADF);
	EXPECT_EQ(t, SC(SYS_close, U(fd)), -EBADF);
	EXPECT_EQ(t, SC(SYS_close, 200), -EBADF);
	/* the console is open for reading on 0-2; reading 0 bytes never waits */
	EXPECT_EQ(t, SC(SYS_read, 1, AREA + PG, 0), 0);
	EXPECT_EQ(t, SC(SYS_read, 0, AREA + PG, 0), 0);
	EXPECT_EQ(t, SC(SYS_lseek, 0, 0, 0), -ESPIPE);
}

/* Linux's struct termios: the flags words, then c_line and c_cc[19]. */
struct termios_k {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
};

/* read(0) through the line discipline, with what "was typed". */
static long typed_read(const char *input, size_t count, const char **echo)
{
	long n;

	ktest_capture_start();
	ktest_capture_input(input);
	n = SC(SYS_read, 0, AREA + PG, count);
	*echo = ktest_capture_stop();
	if (n > 0 && copy_from_user(text, (void *)(AREA + PG), (size_t)n))
		return -EFAULT;
	text[n > 0 ? n : 0] = '\0';
	return n;
}

MM_CASE(console_line_discipline)
{
	struct termios_k tio, raw;
	const char *echo;

	/* erase, CR as NL, the line handed over at its end, echoed */
	EXPECT_EQ(t,
		  typed_read("ab\x7f"
			     "c\r",
			     64, &echo),
		  3);
	EXPECT_STREQ(t, text, "ac\n");
	EXPECT_STREQ(t, echo, "ab\b \bc\n");
	/* what a short read leaves of a line waits for the next read */
	EXPECT_EQ(t, typed_read("rest\n", 2, &echo), 2);
	EXPECT_STREQ(t, text, "re");
	EXPECT_EQ(t, typed_read("", 64, &echo), 3);
	EXPECT_STREQ(t, text, "st\n");
	/* ^U kills the line; ^D on an empty line is EOF, after text a push */
	EXPECT_EQ(t, typed_read("xyz\x15ok\x04", 64, &echo), 2);
	EXPECT_STREQ(t, text, "ok");
	EXPECT_EQ(t, typed_read("\x04", 64, &echo), 0);
	/* TCGETS: Linux's defaults; TCSETS without ICANON and ECHO: raw */
	EXPECT_EQ(t, SC(SYS_ioctl, 0, 0x5401, AREA), 0);
	EXPECT_EQ(t, copy_from_user(&tio, (void *)AREA, sizeof(tio)), 0);
	EXPECT_EQ(t, tio.lflag & 0xb, 0xb); /* ISIG ICANON ECHO */
	EXPECT_EQ(t, tio.cc[4], 4);	    /* VEOF ^D */
	raw = tio;
	raw.lflag &= ~0xaU; /* ICANON, ECHO */
	EXPECT_EQ(t, copy_to_user((void *)AREA, &raw, sizeof(raw)), 0);
	EXPECT_EQ(t, SC(SYS_ioctl, 1, 0x5402, AREA), 0);
	EXPECT_EQ(t, typed_read("q\x7f", 64, &echo), 2);
	EXPECT_STREQ(t, text, "q\x7f");
	EXPECT_STREQ(t, echo, "");
	EXPECT_EQ(t, copy_to_user((void *)AREA, &tio, sizeof(tio)), 0);
	EXPECT_EQ(t, SC(SYS_ioctl, 2, 0x5402, AREA), 0);
	/* not a terminal: a /proc file; an unknown request */
	EXPECT_EQ(t, SC(SYS_ioctl, 0, 0x1234, AREA), -ENOTTY);
	EXPECT_EQ(t, SC(SYS_ioctl, 9, 0x5401, AREA), -EBADF);
}

MM_CASE(proc_self_maps)
{
	char line[64];
	long fd, n, a;
	int lines = 0;

	ASSERT_EQ(t, SC(SYS_brk, BRK_BASE + PG), BRK_BASE + PG);
	a = SC(SYS_mmap, 0, 2 * PG, PROT_READ | PROT_EXEC, ANON, U(-1), 0);
	ASSERT_TRUE(t, a > 0);
	ASSERT_TRUE(t, put_str(AREA, "/proc/self/maps"));
	fd = SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0);
	ASSERT_TRUE(t, fd >= 3);
	n = read_all((int)fd);
	EXPECT_EQ(t, SC(SYS_close, U(fd)), 0);
	ASSERT_TRUE(t, n > 0);
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	EXPECT_EQ(t, lines, mm->nr_vmas);
	EXPECT_EQ(t, mm->nr_vmas, 4);
	snprintf(line, sizeof(line), "%08lx-%08lx rw-p 00000000 00:00 0 ",
		 BRK_BASE, BRK_BASE + PG);
	EXPECT_TRUE(t, strstr(text, line) != NULL);
	EXPECT_TRUE(t, strstr(text, "[heap]\n") != NULL);
	snprintf(line, sizeof(line), "%08lx-%08lx rw-p 00000000 00:00 0 \n",
		 AREA, AREA + 4 * PG);
	EXPECT_TRUE(t, strstr(text, line) != NULL);
	snprintf(line, sizeof(line), "%08lx-%08lx r--p 00000000 00:00 0 \n",
		 RO_AREA, RO_AREA + PG);
	EXPECT_TRUE(t, strstr(text, line) != NULL);
	snprintf(line, sizeof(line), "%08lx-%08lx r-xp 00000000 00:00 0 \n",
		 (unsigned long)a, (unsigned long)a + 2 * PG);
	EXPECT_TRUE(t, strstr(text, line) != NULL);
	/* address order: the heap first */
	EXPECT_TRUE(t, !strncmp(text, "01000000-01001000 ", 18));

	/* /proc/1/status: the sizes of this mm */
	ASSERT_TRUE(t, put_str(AREA, "/proc/1/status"));
	fd = SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0);
	ASSERT_TRUE(t, fd >= 3);
	n = read_all((int)fd);
	EXPECT_EQ(t, SC(SYS_close, U(fd)), 0);
	ASSERT_TRUE(t, n > 0);
	snprintf(line, sizeof(line), "VmSize:\t%8lu kB\n", mm->total_vm * 4);
	EXPECT_TRUE(t, strstr(text, line) != NULL);
	snprintf(line, sizeof(line), "VmRSS:\t%8lu kB\n", mm->rss * 4);
	EXPECT_TRUE(t, strstr(text, line) != NULL);
	EXPECT_TRUE(t, mm->rss > 0); /* the pages read_all wrote to */
}

MM_CASE(openat_errors)
{
	static char longpath[300];

	ASSERT_TRUE(t, put_str(AREA, "/proc/nonexistent"));
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0), -ENOENT);
	ASSERT_TRUE(t, put_str(AREA, "/proc/meminfo/"));
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0), -ENOTDIR);
	ASSERT_TRUE(t, put_str(AREA, "/proc/meminfo"));
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), AREA, L_O_WRONLY, 0),
		  -EACCES);
	EXPECT_EQ(t, SC(SYS_openat, 7, AREA + 6, 0, 0), -EBADF);
	ASSERT_TRUE(t, put_str(AREA, ""));
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0), -ENOENT);
	/* bad pointers */
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), 0, 0, 0), -EFAULT);
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), HOLE, 0, 0), -EFAULT);
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), KERNEL_VA, 0, 0), -EFAULT);
	/* a path that runs into unmapped memory */
	ASSERT_TRUE(t, put_user(AREA + 4 * PG - 5, "/proc", 5));
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), AREA + 4 * PG - 5, 0, 0),
		  -EFAULT);
	/* no NUL in the first 256 bytes: Linux's ENAMETOOLONG (36) */
	memset(longpath, 'a', sizeof(longpath));
	ASSERT_TRUE(t, put_user(AREA, longpath, sizeof(longpath)));
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0),
		  -L_ENAMETOOLONG);
	/* and nothing was left open: the next file gets fd 3 */
	ASSERT_TRUE(t, put_str(AREA, "/proc/self/maps"));
	EXPECT_EQ(t, SC(SYS_openat, U(L_AT_FDCWD), AREA, 0, 0), 3);
	EXPECT_EQ(t, SC(SYS_close, 3), 0);
}

MM_CASE(getrandom_fills)
{
	uint8_t a[64], b[64];

	ASSERT_TRUE(t, put_user(AREA, (uint8_t[64]){ 0 }, 64));
	EXPECT_EQ(t, SC(SYS_getrandom, AREA, 64, 0), 64);
	EXPECT_EQ(t, SC(SYS_getrandom, AREA + 64, 64, 0), 64);
	EXPECT_EQ(t, copy_from_user(a, (void *)AREA, 64), 0);
	EXPECT_EQ(t, copy_from_user(b, (void *)(AREA + 64), 64), 0);
	EXPECT_TRUE(t, !vm_test_all_zero(a, sizeof(a)));
	EXPECT_TRUE(t, memcmp(a, b, sizeof(a)) != 0);
	/* an odd length fills exactly that much */
	ASSERT_TRUE(t, put_user(AREA + 256, (uint8_t[16]){ 0 }, 16));
	EXPECT_EQ(t, SC(SYS_getrandom, AREA + 256, 5, 1), 5);
	EXPECT_EQ(t, copy_from_user(a, (void *)(AREA + 256), 16), 0);
	EXPECT_TRUE(t, vm_test_all_zero(a + 5, 11));
	EXPECT_EQ(t, SC(SYS_getrandom, AREA, 0, 0), 0);
	/* off the end of the mapping: the part that fits */
	EXPECT_EQ(t, SC(SYS_getrandom, AREA + 4 * PG - 8, 32, 0), 8);
	/* bad pointers and flags */
	EXPECT_EQ(t, SC(SYS_getrandom, KERNEL_VA, 16, 0), -EFAULT);
	EXPECT_EQ(t, SC(SYS_getrandom, RO_AREA, 16, 0), -EFAULT);
	EXPECT_EQ(t, SC(SYS_getrandom, HOLE, 16, 0), -EFAULT);
	EXPECT_EQ(t, SC(SYS_getrandom, AREA, 16, 0x10), -EINVAL);
}

MM_CASE(clock_gettime_moves_on)
{
	long ts[2], ts2[2];

	EXPECT_EQ(t, SC(SYS_clock_gettime, CLOCK_MONOTONIC, AREA), 0);
	for (volatile int i = 0; i < 100000; i++)
		;
	EXPECT_EQ(t, SC(SYS_clock_gettime, CLOCK_MONOTONIC, AREA + 16), 0);
	ASSERT_EQ(t, copy_from_user(ts, (void *)AREA, sizeof(ts)), 0);
	ASSERT_EQ(t, copy_from_user(ts2, (void *)(AREA + 16), sizeof(ts2)), 0);
	EXPECT_TRUE(t, ts[1] >= 0 && ts[1] < 1000000000);
	EXPECT_TRUE(t, ts2[1] >= 0 && ts2[1] < 1000000000);
	EXPECT_TRUE(t, ts[0] > 0 || ts[1] > 0);
	EXPECT_TRUE(t, ts2[0] > ts[0] || (ts2[0] == ts[0] && ts2[1] > ts[1]));
	/* CLOCK_REALTIME (0) and the others answer too */
	EXPECT_EQ(t, SC(SYS_clock_gettime, 0, AREA), 0);
	EXPECT_EQ(t, SC(SYS_clock_gettime, 11, AREA), 0);
	EXPECT_EQ(t, SC(SYS_clock_gettime, CLOCK_MONOTONIC, 0), -EFAULT);
	EXPECT_EQ(t, SC(SYS_clock_gettime, CLOCK_MONOTONIC, RO_AREA), -EFAULT);
	EXPECT_EQ(t, SC(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL_VA),
		  -EFAULT);
	EXPECT_EQ(t, SC(SYS_clock_gettime, 10, AREA), -EINVAL);
	EXPECT_EQ(t, SC(SYS_clock_gettime, 12, AREA), -EINVAL);
	EXPECT_EQ(t, SC(SYS_clock_gettime, U(-1), AREA), -EINVAL);
}

MM_CASE(unknown_numbers)
{
	unsigned long count = syscall_count;
	const char *out;
	long r1, r2;

	(void)mm;
	ktest_capture_start();
	r1 = SC(400, 0);
	r2 = SC(1000, 1, 2, 3);
	out = ktest_capture_stop();
	EXPECT_EQ(t, r1, -L_ENOSYS);
	EXPECT_EQ(t, r2, -L_ENOSYS);
	if (log_level >= LOG_WARN)
		EXPECT_TRUE(t, strstr(out, "system call 1000 is not "
					   "implemented") != NULL);
	/* every call counts, refused or not */
	EXPECT_EQ(t, syscall_count, count + 2);
}

static void nothing_left_behind(struct ktest *t)
{
	vm_test_suite_end(t);
}

KTEST_SUITE(vm_syscall, KTEST_CASE(suite_start), KTEST_CASE(memory_calls),
	    KTEST_CASE(brk_calls), KTEST_CASE(write_calls),
	    KTEST_CASE(console_line_discipline), KTEST_CASE(proc_meminfo),
	    KTEST_CASE(proc_self_maps), KTEST_CASE(openat_errors),
	    KTEST_CASE(getrandom_fills), KTEST_CASE(clock_gettime_moves_on),
	    KTEST_CASE(unknown_numbers), KTEST_CASE(nothing_left_behind));
