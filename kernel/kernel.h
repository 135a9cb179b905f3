/* SPDX-License-Identifier: MIT */
/*
 * kernel/kernel.h - the runtime as the app sees it: system calls, files
 * (the terminal, /proc, stdin), clocks, signals, the app's lifecycle and
 * leaving the machine. Below it: vm/, alloc/, hal/, lib/.
 */
#ifndef PAGODA_KERNEL_H
#define PAGODA_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/lib.h"

/* ---- leaving (exit.c) ---- */
/*
 * Run fn (once) when the run ends: when the app exits, before its memory
 * is freed, or else before the status line. The place for end-of-run
 * statistics. One slot; a second call replaces the first.
 */
void kernel_at_exit(void (*fn)(void));
/* Run that function now, if it has not run (app_exit, kernel_exit). */
void kernel_run_at_exit(void);
/* Print the exit status for console readers, then shut the machine down. */
_Noreturn void kernel_exit(int status);

/* ---- the app's system calls and traps (syscall.c) ---- */
/* Route U-mode traps here: system calls, page faults, fatal exceptions. */
void syscall_init(void);
/* Run system call nr with arguments a[0..5] for the app; -errno on error. */
long syscall_dispatch(unsigned long nr, const unsigned long a[6],
		      unsigned long pc);
/* End the app: close its files, free its memory, leave with status. */
_Noreturn void app_exit(int status);
/* Pages free or in slab caches before the app was loaded; app_exit
 * checks that all of them came back. */
extern unsigned long app_free_pages_at_start;
unsigned long app_pages_available(void);
extern unsigned long syscall_count;

/* ---- files: descriptors and the system calls on them (file.c) ----
 * An open file is a struct file whose ops say what it is: the console
 * (tty.c) or a /proc file or directory (procfs.c). The descriptor table
 * holds up to FD_MAX of them; 0, 1 and 2 start as the console.
 */
/* clang-format off */
#define FD_MAX        32     /* the descriptor table; FDSize in status */
#define PATH_MAX_USER 256    /* the longest path taken, with its NUL */
#define FMODE_READ  0x1
#define FMODE_WRITE 0x2
/* clang-format on */

/* What stat() says of a file, before it takes Linux's struct stat shape. */
struct kstat {
	unsigned long ino, rdev, nlink;
	unsigned int mode; /* S_IF* type and permission bits, Linux's values */
	long size;
	int blksize;
};

struct file;

/* A missing op is the Linux error for a file that cannot do it. */
struct file_ops {
	long (*read)(struct file *f, char *ubuf, size_t count);
	long (*write)(struct file *f, const char *ubuf, size_t count);
	long (*llseek)(struct file *f, long offset, int whence); /* ESPIPE */
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	void (*stat)(const struct file *f, struct kstat *st);
	void (*release)(struct file *f); /* at the last close */
};

/* Invariant: an entry of the table is NULL or a file with ops set. */
struct file {
	const struct file_ops *ops;
	unsigned int mode; /* FMODE_READ | FMODE_WRITE */
	long pos;
	void *data; /* the kind's own state */
};

/* Put f in the lowest free descriptor: the descriptor, or -EMFILE. */
int fd_install(struct file *f);
/* The file behind fd, or NULL. */
struct file *fd_file(int fd);
/* Close every descriptor and give 0, 1 and 2 the console again. */
void fd_reset(void);
/* stat() of a file into the app's struct stat (Linux riscv64 layout). */
long stat_to_user(const struct kstat *st, void *ustat);

long sys_read(int fd, char *ubuf, size_t count);
long sys_write(int fd, const char *ubuf, size_t count);
long sys_readv(int fd, const void *uiov, int iovcnt);
long sys_writev(int fd, const void *uiov, int iovcnt);
long sys_lseek(int fd, long offset, int whence);
long sys_ioctl(int fd, unsigned int cmd, unsigned long arg);
long sys_fstat(int fd, void *ustat);
long sys_newfstatat(int dirfd, const char *upath, void *ustat, int flags);
long sys_close(int fd);

/* ---- the console as a terminal (tty.c) ---- */
/* The terminal's state as at boot: no input waiting, default modes. */
void tty_init(void);
extern struct file tty_file;

/* ---- descriptor 0 from memory (stdin.c) ---- */
/* From now on descriptor 0 starts as these len bytes (bootarg stdin=). */
void stdin_init(const void *bytes, long len);
extern struct file stdin_file; /* ops NULL until stdin_init */

/* ---- /proc (procfs.c) ----
 * The app's only file system: /proc in Linux's formats, read-only but for
 * the /proc/sys/vm tunables (kernel/sysctl.c).
 */
long sys_openat(int dirfd, const char *upath, int flags, unsigned int mode);
/* List a /proc directory: struct linux_dirent64 records. */
long sys_getdents64(int fd, void *ubuf, size_t count);
/* /proc/self/status of the app (with its mm, or without one). */
struct mm;
size_t status_show(struct mm *mm, char *buf, size_t size);
/* stat() of path (copied in already): 0 with *st filled, or -errno. */
long procfs_stat(int dirfd, const char *path, struct kstat *st);
/* /proc/self/exe names the app (vm_app_path), /proc/self names "1". */
long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz);
/* faccessat is faccessat2 with flags 0. */
long sys_faccessat2(int dirfd, const char *upath, int mode, int flags);

/* ---- /proc/sys/vm (sysctl.c) ---- */
/* One tunable: an int of a lower floor's, its bounds, its file mode. */
struct sysctl_entry {
	const char *name; /* the file in /proc/sys/vm */
	int *data;
	long min, max;
	unsigned int mode;     /* 0644, or 0200 for drop_caches */
	void (*changed)(void); /* after a write that set it, or NULL */
};
/* The table, ending with a NULL name; one entry by its name, or NULL. */
extern const struct sysctl_entry sysctl_vm[];
const struct sysctl_entry *sysctl_find(const char *name);
/*
 * Linux's proc_dointvec_minmax() write parser over buf[0, len): 0 with
 * *out and *used (the bytes consumed: the integer and the whitespace
 * around it), or -EINVAL (no integer, a bad one, not in [min, max]).
 */
long sysctl_parse_int(const char *buf, size_t len, long min, long max, int *out,
		      size_t *used);
/* A write of buf (kernel memory) at position 0: bytes consumed or -EINVAL. */
long sysctl_write(const struct sysctl_entry *e, const char *buf, size_t len);
/* The value and a newline into buf (a string); returns the length. */
size_t sysctl_show(const struct sysctl_entry *e, char *buf, size_t size);
/*
 * A boot option sysctl.vm.NAME=VALUE: checked (apply false) or set as a
 * write would set it (apply true). 0, or -errno with *why saying why.
 */
int sysctl_boot(const char *key, const char *value, bool apply,
		const char **why);
extern int sysctl_drop_caches;

/* ---- time (time.c) ---- */
/* The wall clock: ns since the epoch now (from the RTC at boot). */
void time_set_realtime(uint64_t ns_since_epoch);
uint64_t time_realtime_ns(void);
/* secs since the epoch as "YYYY-MM-DD hh:mm:ss UTC". */
void time_format_utc(uint64_t secs, char *buf, size_t size);
/* Start the app's CPU-time clock (exec). */
void time_app_started(void);
/* The app's first thread (tid APP_PID), running (boot, before exec). */
void sched_start_app(void);
long sys_clock_gettime(long clock, void *uts);
long sys_clock_getres(long clock, void *uts);
long sys_nanosleep(const void *ureq, void *urem);
long sys_clock_nanosleep(long clock, int flags, const void *ureq, void *urem);
/* A timespec the app passed: 0 with *ns set, -EFAULT or -EINVAL. */
long time_get_timespec(const void *uts, uint64_t *ns);
/* futex(2) (futex.c). */
long sys_futex(uint32_t *uaddr, int op, uint32_t val, const void *utimeout,
	       uint32_t *uaddr2, uint32_t val3);
long sys_times(void *utms);

/* ---- the machine and the process, as the app asks (sysinfo.c) ---- */
long sys_uname(void *ubuf);
long sys_sysinfo(void *ubuf);
long sys_getcwd(char *ubuf, size_t size);
long sys_umask(unsigned int mask);
unsigned int umask_get(void);
long sys_prlimit64(long pid, unsigned int resource, const void *unew,
		   void *uold);
long sys_sched_getaffinity(long pid, unsigned long len, void *umask);

/* ---- threads (clone.c, sched.c) ---- */
long sys_clone(unsigned long flags, unsigned long newsp, unsigned long ptid,
	       unsigned long tls, unsigned long ctid);
long sys_exit_thread(int code);
long sys_set_tid_address(unsigned long utidptr);
long sys_set_robust_list(unsigned long uhead, size_t len);
long sys_gettid(void);
/* The app's threads now (Threads: in /proc/self/status). */
unsigned int app_thread_count(void);

/* ---- signals (signal.c) ---- */
/* clang-format off */
#define SIGINT   2
#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGBUS   7
#define SIGKILL  9
#define SIGSEGV  11
#define NSIG     64  /* the highest signal number */
#define APP_PID  1   /* the one process, and its first thread's tid */
/* clang-format on */

/* "SIGSEGV", or NULL for a signal without a name here. */
const char *signal_name(int sig);
long sys_kill(long pid, long sig);
long sys_tkill(long tid, long sig);
long sys_tgkill(long tgid, long tid, long sig);
long sys_rt_sigaction(long sig, const void *uact, void *uoact, size_t setsize);
long sys_rt_sigprocmask(int how, const void *uset, void *uoset, size_t setsize);
long sys_sigaltstack(const void *uss, void *uoss);
long sys_rt_sigpending(void *uset, size_t setsize);
long sys_rt_sigsuspend(const void *uset, size_t setsize);
/* The signal came from outside (^C): report it and end the app. */
_Noreturn void signal_kill_app(int sig, const char *why);

#endif
