// SPDX-License-Identifier: MIT
/*
 * kernel/syscall.c - the app's way into the runtime: system calls with the
 * Linux riscv64 numbers (asm-generic/unistd.h) and calling convention,
 * and every other trap from U-mode.
 *
 * ecall: a7 is the number, a0..a5 the arguments, a0 the result or -errno;
 * sepc moves past the ecall. Page faults go to demand paging; a fault it
 * refuses, or any other exception, ends the app as the matching signal
 * would on Linux (status 128 + signal, signal.c), after a report naming
 * the fault, the address, the VMA and the registers, and the memory
 * statistics (report.c). The calls themselves live with what they act on:
 * files (file.c, tty.c, procfs.c), time.c, sysinfo.c, signal.c, vm/.
 * rseq, clone3 and riscv_hwprobe, which glibc and musl try at start-up
 * or before threads, are -ENOSYS without a log line, as on a kernel
 * without them; any other unknown number is -ENOSYS and one log line
 * (the first time).
 */
#include <errno.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "kernel/unistd.h"
#include "vm/vm.h"

/* clang-format off */
#define NR_SYSCALLS         512
/* si_code of the faults' signals (uapi/asm-generic/siginfo.h) */
#define ILL_ILLOPC          1
#define BUS_ADRALN          1
#define BUS_ADRERR          2
#define SEGV_MAPERR         1
#define SEGV_ACCERR         2
#define TRAP_BRKPT          1
#define GETRANDOM_MAX       0x1ffffff   /* Linux returns at most this */
#define GRND_FLAGS          0x7         /* NONBLOCK | RANDOM | INSECURE */
/* clang-format on */

unsigned long syscall_count;
unsigned long app_free_pages_at_start;
struct trap_frame *syscall_frame;

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

	kernel_run_at_exit();
	fd_reset();
	sched_teardown();
	exec_teardown();
	after = app_pages_available();
	if (before && after != before)
		pr_err("pagoda: the app's address space kept %ld pages after exit\n",
		       (long)before - (long)after);
	kernel_exit(status & 0xff);
}

/* ---- getrandom ---- */
static long sys_getrandom(char *ubuf, size_t len, unsigned int flags)
{
	size_t done = 0;

	if (flags & ~GRND_FLAGS)
		return -EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	while (done < len) {
		uint64_t r = random_u64();
		size_t n = len - done < sizeof(r) ? len - done : sizeof(r);

		if (copy_to_user(ubuf + done, &r, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
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
long linux_errno(long ret)
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
	case -ETIMEDOUT:
		return -110;
	default:
		return ret;
	}
}

static long do_syscall(unsigned long nr, const unsigned long a[6],
		       unsigned long pc);

long syscall_dispatch(unsigned long nr, const unsigned long a[6],
		      unsigned long pc)
{
	return linux_errno(do_syscall(nr, a, pc));
}

static long do_syscall(unsigned long nr, const unsigned long a[6],
		       unsigned long pc)
{
	struct mm *mm = current_mm;

	syscall_count++;
	switch (nr) {
	case SYS_getcwd:
		return sys_getcwd((char *)a[0], a[1]);
	case SYS_ioctl:
		return sys_ioctl((int)a[0], (unsigned int)a[1], a[2]);
	case SYS_openat:
		return sys_openat((int)a[0], (const char *)a[1], (int)a[2],
				  (unsigned int)a[3]);
	case SYS_close:
		return sys_close((int)a[0]);
	case SYS_getdents64:
		return sys_getdents64((int)a[0], (void *)a[1], a[2]);
	case SYS_lseek:
		return sys_lseek((int)a[0], (long)a[1], (int)a[2]);
	case SYS_read:
		return sys_read((int)a[0], (char *)a[1], a[2]);
	case SYS_write:
		return sys_write((int)a[0], (const char *)a[1], a[2]);
	case SYS_readv:
		return sys_readv((int)a[0], (const void *)a[1], (int)a[2]);
	case SYS_writev:
		return sys_writev((int)a[0], (const void *)a[1], (int)a[2]);
	case SYS_newfstatat:
		return sys_newfstatat((int)a[0], (const char *)a[1],
				      (void *)a[2], (int)a[3]);
	case SYS_fstat:
		return sys_fstat((int)a[0], (void *)a[1]);
	case SYS_exit:
		return sys_exit_thread((int)a[0]);
	case SYS_exit_group:
		app_exit((int)a[0]);
	case SYS_clone:
		return sys_clone(a[0], a[1], a[2], a[3], a[4]);
	case SYS_nanosleep:
		return sys_nanosleep((const void *)a[0], (void *)a[1]);
	case SYS_clock_gettime:
		return sys_clock_gettime((long)a[0], (void *)a[1]);
	case SYS_clock_getres:
		return sys_clock_getres((long)a[0], (void *)a[1]);
	case SYS_clock_nanosleep:
		return sys_clock_nanosleep((long)a[0], (int)a[1],
					   (const void *)a[2], (void *)a[3]);
	case SYS_kill:
		return sys_kill((int)a[0], (int)a[1]);
	case SYS_tkill:
		return sys_tkill((int)a[0], (int)a[1]);
	case SYS_tgkill:
		return sys_tgkill((int)a[0], (int)a[1], (int)a[2]);
	case SYS_rt_sigaction:
		return sys_rt_sigaction((int)a[0], (const void *)a[1],
					(void *)a[2], a[3]);
	case SYS_rt_sigprocmask:
		return sys_rt_sigprocmask((int)a[0], (const void *)a[1],
					  (void *)a[2], a[3]);
	case SYS_rt_sigpending:
		return sys_rt_sigpending((void *)a[0], a[1]);
	case SYS_rt_sigsuspend:
		return sys_rt_sigsuspend((const void *)a[0], a[1]);
	case SYS_sigaltstack:
		return sys_sigaltstack((const void *)a[0], (void *)a[1]);
	case SYS_set_tid_address:
		return sys_set_tid_address(a[0]);
	case SYS_futex:
		return sys_futex((uint32_t *)a[0], (int)a[1], (uint32_t)a[2],
				 (const void *)a[3], (uint32_t *)a[4],
				 (uint32_t)a[5]);
	case SYS_set_robust_list:
		return sys_set_robust_list(a[0], a[1]);
	case SYS_sched_getaffinity:
		return sys_sched_getaffinity((int)a[0], (unsigned int)a[1],
					     (void *)a[2]);
	case SYS_sched_yield:
		sched_yield();
		return 0;
	case SYS_readlinkat:
		return sys_readlinkat((int)a[0], (const char *)a[1],
				      (char *)a[2], (int)a[3]);
	case SYS_faccessat:
		return sys_faccessat2((int)a[0], (const char *)a[1], (int)a[2],
				      0);
	case SYS_faccessat2:
		return sys_faccessat2((int)a[0], (const char *)a[1], (int)a[2],
				      (int)a[3]);
	case SYS_rseq:
	case SYS_clone3:
	case SYS_riscv_hwprobe:
		return -ENOSYS; /* as a kernel without them; C libraries probe */
	case SYS_times:
		return sys_times((void *)a[0]);
	case SYS_uname:
		return sys_uname((void *)a[0]);
	case SYS_umask:
		return sys_umask((unsigned int)a[0]);
	case SYS_getpid:
		return APP_PID;
	case SYS_gettid:
		return sys_gettid();
	case SYS_getuid:
	case SYS_geteuid:
	case SYS_getgid:
	case SYS_getegid:
		return 0;
	case SYS_sysinfo:
		return sys_sysinfo((void *)a[0]);
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
	case SYS_swapon:
		return sys_swapon((const char *)a[0], (int)a[1]);
	case SYS_swapoff:
		return sys_swapoff((const char *)a[0]);
	case SYS_madvise:
		return vm_madvise(mm, a[0], a[1], (int)a[2]);
	case SYS_mlock:
		return vm_mlock(mm, a[0], a[1], 0);
	case SYS_mlock2:
		return vm_mlock(mm, a[0], a[1], (unsigned int)a[2]);
	case SYS_munlock:
		return vm_munlock(mm, a[0], a[1]);
	case SYS_mlockall:
		return vm_mlockall(mm, (unsigned int)a[0]);
	case SYS_munlockall:
		return vm_munlockall(mm);
	case SYS_prlimit64:
		return sys_prlimit64((long)a[0], (unsigned int)a[1],
				     (const void *)a[2], (void *)a[3]);
	case SYS_getrandom:
		return sys_getrandom((char *)a[0], a[1], (unsigned int)a[2]);
	default:
		return unknown_syscall(nr, pc);
	}
}

/* ---- every trap from U-mode ---- */
/* A fault the app may catch: its handler runs, or the app ends. */
static void fault_signal(struct trap_frame *tf, int sig, int code,
			 unsigned long addr, int why)
{
	if (!signal_fault(tf, sig, code, addr))
		signal_fatal_trap(tf, sig, why);
}

static void user_trap(struct trap_frame *tf)
{
	enum fault_access access = FAULT_READ;
	int why;

	switch (tf->scause) {
	case CAUSE_USER_ECALL:
		syscall_frame = tf;
		tf->sepc += 4;
		if (tf->regs[16] == SYS_rt_sigreturn) { /* a0 is restored too */
			syscall_count++;
			signal_return(tf);
			break;
		}
		tf->regs[9] = (unsigned long)syscall_dispatch(
			tf->regs[16], &tf->regs[9], tf->sepc - 4);
		break;
	case CAUSE_STORE_PAGE_FAULT:
		access = FAULT_WRITE;
		goto fault;
	case CAUSE_FETCH_PAGE_FAULT:
		if (tf->sepc == SIGRETURN_PC) { /* a signal handler returned */
			signal_return(tf);
			break;
		}
		access = FAULT_EXEC;
		goto fault;
	case CAUSE_LOAD_PAGE_FAULT:
	fault:
		why = handle_mm_fault(current_mm, tf->stval, access);
		/* a resolved fault wakes no thread and sends no signal: the
		 * scheduler has nothing to look at, straight back */
		if (why == FAULT_OK)
			return;
		if (why == FAULT_OOM) {
			oom_report(vm_oom_gfp, 0);
			signal_fatal_trap(tf, SIGKILL, why);
		}
		if (why == FAULT_SIGBUS)
			fault_signal(tf, SIGBUS, BUS_ADRERR, tf->stval, why);
		else
			fault_signal(tf, SIGSEGV,
				     why == FAULT_ACCESS ? SEGV_ACCERR
							 : SEGV_MAPERR,
				     tf->stval, why);
		break;
	/* Linux riscv's do_trap_*(): these give the pc as si_addr */
	case CAUSE_ILLEGAL_INSN:
		fault_signal(tf, SIGILL, ILL_ILLOPC, tf->sepc, -1);
		break;
	case CAUSE_BREAKPOINT:
		fault_signal(tf, SIGTRAP, TRAP_BRKPT, tf->sepc, -1);
		break;
	case CAUSE_MISALIGNED_FETCH:
	case CAUSE_MISALIGNED_LOAD:
	case CAUSE_MISALIGNED_STORE:
		fault_signal(tf, SIGBUS, BUS_ADRALN, tf->sepc, -1);
		break;
	default: /* access faults: memory the platform refuses */
		fault_signal(tf, SIGSEGV, SEGV_ACCERR, tf->sepc, -1);
		break;
	}
	sched_return_to_user(tf);
}

void syscall_init(void)
{
	trap_set_user_handler(user_trap);
}
