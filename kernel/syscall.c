// SPDX-License-Identifier: MIT
/*
 * kernel/syscall.c - the app's way into the runtime: system calls with the
 * Linux riscv64 numbers (asm-generic/unistd.h) and calling convention,
 * and every other trap from U-mode.
 *
 * ecall: a7 is the number, a0..a5 the arguments, a0 the result or -errno;
 * sepc moves past the ecall. Page faults go to demand paging; a fault it
 * refuses, or any other exception, ends the app as the matching signal
 * would on Linux (status 128 + signal), after a report naming the fault,
 * the address, the VMA and the registers, and the memory statistics.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"
#include "kernel/kernel.h"
#include "kernel/unistd.h"
#include "vm/vm.h"

/* clang-format off */
#define NR_SYSCALLS         512

#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGBUS   7
#define SIGKILL  9
#define SIGSEGV  11

#define IOV_MAX             1024
#define GETRANDOM_MAX       0x1ffffff   /* Linux returns at most this */
#define GRND_FLAGS          0x7         /* NONBLOCK | RANDOM | INSECURE */
#define CLOCK_MAX           11          /* CLOCK_TAI */
#define NSIG                64
#define APP_PID             1           /* the one process, and its thread */
/* clang-format on */

unsigned long syscall_count;
unsigned long app_free_pages_at_start;

/* What the app held and what the machine has left, at a fatal fault. */
static void print_memory_stats(void)
{
	static char buf[2048];

	if (current_mm) {
		status_show(current_mm, buf, sizeof(buf));
		for (char *line = strtok(buf, "\n"); line;
		     line = strtok(NULL, "\n"))
			if (!strncmp(line, "Vm", 2) || !strncmp(line, "Rss", 3))
				pr_err("pagoda:   %s\n", line);
	}
	meminfo_show(buf, sizeof(buf));
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, "Mem", 3))
			pr_err("pagoda:   %s\n", line);
}

/* ---- leaving ---- */
/* Pages not held by anyone but caches: free pages and slab pages. */
unsigned long app_pages_available(void)
{
	drain_local_pages();
	return nr_free_pages() + slab_pages(true) + slab_pages(false);
}

_Noreturn void app_exit(int status)
{
	unsigned long before = app_free_pages_at_start;
	unsigned long after;

	procfs_close_all();
	exec_teardown();
	after = app_pages_available();
	if (before && after != before)
		pr_err("pagoda: the app's address space kept %ld pages after exit\n",
		       (long)before - (long)after);
	kernel_exit(status & 0xff);
}

/* ---- write, writev ---- */
static long write_console(const char *ubuf, size_t count)
{
	char chunk[256];
	size_t done = 0;

	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? count - done
							: sizeof(chunk);
		size_t left = copy_from_user(chunk, ubuf + done, n);

		console_write(chunk, n - left);
		done += n - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

static long sys_write(int fd, const char *ubuf, size_t count)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	if ((long)count < 0)
		return -EINVAL;
	return write_console(ubuf, count);
}

struct iovec_user {
	const char *base;
	size_t len;
};

static long sys_writev(int fd, const struct iovec_user *uiov, int iovcnt)
{
	struct iovec_user iov[16];
	size_t total = 0;
	long done = 0;

	if (fd != 1 && fd != 2)
		return -EBADF;
	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i += 16) {
		int n = iovcnt - i < 16 ? iovcnt - i : 16;

		if (copy_from_user(iov, uiov + i, n * sizeof(iov[0])))
			return -EFAULT;
		for (int j = 0; j < n; j++) {
			if (iov[j].len > (size_t)LONG_MAX - total)
				return -EINVAL;
			total += iov[j].len;
		}
	}
	for (int i = 0; i < iovcnt; i++) {
		long r;

		(void)copy_from_user(&iov[0], uiov + i, sizeof(iov[0]));
		r = write_console(iov[0].base, iov[0].len);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((size_t)r < iov[0].len)
			break;
	}
	return done;
}

/* ---- getrandom, clock_gettime ---- */
static long sys_getrandom(char *ubuf, size_t len, unsigned int flags)
{
	size_t done = 0;

	if (flags & ~GRND_FLAGS)
		return -EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	while (done < len) {
		uint64_t r = vm_random();
		size_t n = len - done < sizeof(r) ? len - done : sizeof(r);

		if (copy_to_user(ubuf + done, &r, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

struct timespec_user {
	long tv_sec, tv_nsec;
};

static long sys_clock_gettime(long clock, struct timespec_user *utp)
{
	uint64_t ns = timer_ns();
	struct timespec_user ts = { (long)(ns / 1000000000),
				    (long)(ns % 1000000000) };

	/* Every clock counts from boot: there is no real-time clock. */
	if (clock < 0 || clock > CLOCK_MAX || clock == 10)
		return -EINVAL;
	return copy_to_user(utp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* ---- the table ---- */
static long unknown_syscall(unsigned long nr, unsigned long pc)
{
	static uint64_t warned[NR_SYSCALLS / 64];

	if (nr >= NR_SYSCALLS || !(warned[nr / 64] & (1ULL << (nr % 64)))) {
		if (nr < NR_SYSCALLS)
			warned[nr / 64] |= 1ULL << (nr % 64);
		pr_warn("pagoda: system call %lu is not implemented (pc 0x%lx): -ENOSYS\n",
			nr, pc);
	}
	return -ENOSYS;
}

/*
 * The runtime is built against picolibc's <errno.h>, whose numbers equal
 * Linux's below 35 and differ above; the app gets Linux's.
 */
static long to_linux_errno(long ret)
{
	switch (ret) {
	case -ENOSYS:
		return -38;
	case -ENAMETOOLONG:
		return -36;
	case -ENOTEMPTY:
		return -39;
	case -ELOOP:
		return -40;
	case -EOVERFLOW:
		return -75;
	default:
		return ret;
	}
}

static long do_syscall(unsigned long nr, const unsigned long a[6],
		       unsigned long pc);
static long sys_kill(long pid, long tid, long sig);

long syscall_dispatch(unsigned long nr, const unsigned long a[6],
		      unsigned long pc)
{
	return to_linux_errno(do_syscall(nr, a, pc));
}

static long do_syscall(unsigned long nr, const unsigned long a[6],
		       unsigned long pc)
{
	struct mm *mm = current_mm;

	syscall_count++;
	switch (nr) {
	case SYS_openat:
		return sys_openat((int)a[0], (const char *)a[1], (int)a[2],
				  (unsigned int)a[3]);
	case SYS_close:
		return sys_close((int)a[0]);
	case SYS_read:
		return sys_read((int)a[0], (void *)a[1], a[2]);
	case SYS_write:
		return sys_write((int)a[0], (const char *)a[1], a[2]);
	case SYS_writev:
		return sys_writev((int)a[0], (const void *)a[1], (int)a[2]);
	case SYS_exit:
	case SYS_exit_group:
		app_exit((int)a[0]);
	case SYS_clock_gettime:
		return sys_clock_gettime((long)a[0], (void *)a[1]);
	case SYS_kill:
		return sys_kill((long)a[0], APP_PID, (long)a[1]);
	case SYS_tgkill:
		return sys_kill((long)a[0], (long)a[1], (long)a[2]);
	case SYS_getpid:
	case SYS_gettid:
		return APP_PID;
	case SYS_brk:
		return vm_brk(mm, a[0]);
	case SYS_munmap:
		return vm_munmap(mm, a[0], a[1]);
	case SYS_mremap:
		return vm_mremap(mm, a[0], a[1], a[2], a[3], a[4]);
	case SYS_mmap:
		return vm_mmap(mm, a[0], a[1], a[2], a[3], (int)a[4], a[5]);
	case SYS_mprotect:
		return vm_mprotect(mm, a[0], a[1], a[2]);
	case SYS_madvise:
		return vm_madvise(mm, a[0], a[1], (int)a[2]);
	case SYS_getrandom:
		return sys_getrandom((char *)a[0], a[1], (unsigned int)a[2]);
	default:
		return unknown_syscall(nr, pc);
	}
}

/* ---- fatal traps ---- */
static const char *const signal_names[] = {
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV",
};

/* The trap frame of the system call being served, for kill(). */
static struct trap_frame *syscall_frame;

/*
 * A return address is named by the call before it (pc - 1): after a call
 * that never returns, pc itself is already the next function.
 */
static void print_user_pc(const char *what, unsigned long pc, bool ret)
{
	unsigned long off;
	const char *fn = app_symbol(ret ? pc - 1 : pc, &off);

	pr_err("pagoda:   %s 0x%016lx %s+0x%lx\n", what, pc, fn ? fn : "?",
	       fn ? off + ret : 0);
}

/*
 * The app's frame-pointer chain, read as the app could read it: pc, the ra
 * register (the caller, if the trap hit a leaf function, which saves no
 * ra), then the return addresses saved at fp - 8 up the chain.
 */
static void user_backtrace(const struct trap_frame *tf)
{
	const struct mm *mm = current_mm;
	unsigned long fp = TF_FP(tf), frame[2];

	pr_err("pagoda: app backtrace:\n");
	print_user_pc("pc", tf->sepc, false);
	print_user_pc("ra", TF_RA(tf), true);
	/* a leaf with a frame saved only the caller's fp, at fp - 8 */
	if (!copy_from_user(frame, (void *)(fp - 16), sizeof(frame)) &&
	    frame[1] > fp && frame[1] <= mm->stack_top)
		fp = frame[1];
	for (int depth = 1; depth < 16 && fp >= 16 && !(fp & 7); depth++) {
		char label[8];

		/* fp - 16: the caller's fp, fp - 8: the return address */
		if (copy_from_user(frame, (void *)(fp - 16), sizeof(frame)) ||
		    !frame[1])
			break;
		snprintf(label, sizeof(label), "#%d", depth);
		print_user_pc(label, frame[1], true);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}

static _Noreturn void kill_app(struct trap_frame *tf, int sig, int why)
{
	pr_err("pagoda: app killed by %s: %s at 0x%016lx, pc 0x%016lx\n",
	       signal_names[sig], trap_cause_name(tf->scause), tf->stval,
	       tf->sepc);
	if (why >= 0)
		vm_report_fault(current_mm, tf->stval, why);
	trap_dump_regs(tf);
	user_backtrace(tf);
	print_memory_stats();
	app_exit(128 + sig);
}

/*
 * kill and tgkill, for the app's own pid (0 or APP_PID): no handlers are
 * installed, so every signal but 0 does its default action, which for
 * the ones an app sends itself (abort() raises SIGABRT) is to end it.
 */
static long sys_kill(long pid, long tid, long sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if ((pid != 0 && pid != APP_PID) || tid != APP_PID)
		return -ESRCH;
	if (!sig)
		return 0;
	syscall_frame->sepc -= 4; /* the ecall: the app does not go on */
	if (sig < (long)(sizeof(signal_names) / sizeof(signal_names[0])) &&
	    signal_names[sig])
		pr_err("pagoda: app killed by %s, which it sent itself, pc 0x%016lx\n",
		       signal_names[sig], syscall_frame->sepc);
	else
		pr_err("pagoda: app killed by signal %ld, which it sent itself, pc 0x%016lx\n",
		       sig, syscall_frame->sepc);
	user_backtrace(syscall_frame);
	app_exit(128 + (int)sig);
}

static void user_trap(struct trap_frame *tf)
{
	enum fault_access access = FAULT_READ;
	int why;

	switch (tf->scause) {
	case CAUSE_USER_ECALL:
		syscall_frame = tf;
		tf->sepc += 4;
		tf->regs[9] = (unsigned long)syscall_dispatch(
			tf->regs[16], &tf->regs[9], tf->sepc - 4);
		return;
	case CAUSE_STORE_PAGE_FAULT:
		access = FAULT_WRITE;
		goto fault;
	case CAUSE_FETCH_PAGE_FAULT:
		access = FAULT_EXEC;
		goto fault;
	case CAUSE_LOAD_PAGE_FAULT:
	fault:
		why = handle_mm_fault(current_mm, tf->stval, access);
		if (why == FAULT_OK)
			return;
		kill_app(tf, why == FAULT_OOM ? SIGKILL : SIGSEGV, why);
	case CAUSE_ILLEGAL_INSN:
		kill_app(tf, SIGILL, -1);
	case CAUSE_BREAKPOINT:
		kill_app(tf, SIGTRAP, -1);
	case CAUSE_MISALIGNED_FETCH:
	case CAUSE_MISALIGNED_LOAD:
	case CAUSE_MISALIGNED_STORE:
		kill_app(tf, SIGBUS, -1);
	default: /* access faults: memory the platform refuses */
		kill_app(tf, SIGSEGV, -1);
	}
}

void syscall_init(void)
{
	trap_set_user_handler(user_trap);
}
