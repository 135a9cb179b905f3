/* SPDX-License-Identifier: MIT */
/*
 * kernel/unistd.h - the system call numbers the runtime implements,
 * Linux riscv64's (asm-generic/unistd.h): one table for the kernel's
 * dispatch (kernel/syscall.c), the app's wrappers (apps/runtime/) and the
 * tests. Constants only.
 */
#ifndef PAGODA_KERNEL_UNISTD_H
#define PAGODA_KERNEL_UNISTD_H

/* clang-format off */
#define SYS_getcwd            17
#define SYS_ioctl             29
#define SYS_faccessat         48
#define SYS_openat            56
#define SYS_close             57
#define SYS_getdents64        61
#define SYS_lseek             62
#define SYS_read              63
#define SYS_write             64
#define SYS_readv             65
#define SYS_writev            66
#define SYS_readlinkat        78
#define SYS_newfstatat        79
#define SYS_fstat             80
#define SYS_exit              93
#define SYS_exit_group        94
#define SYS_set_tid_address   96
#define SYS_futex             98
#define SYS_set_robust_list   99
#define SYS_nanosleep         101
#define SYS_clock_gettime     113
#define SYS_clock_getres      114
#define SYS_clock_nanosleep   115
#define SYS_sched_getaffinity 123
#define SYS_sched_yield       124
#define SYS_kill              129
#define SYS_tkill             130
#define SYS_tgkill            131
#define SYS_sigaltstack       132
#define SYS_rt_sigsuspend     133
#define SYS_rt_sigaction      134
#define SYS_rt_sigprocmask    135
#define SYS_rt_sigpending     136
#define SYS_rt_sigreturn      139
#define SYS_times             153
#define SYS_uname             160
#define SYS_umask             166
#define SYS_getpid            172
#define SYS_getuid            174
#define SYS_geteuid           175
#define SYS_getgid            176
#define SYS_getegid           177
#define SYS_gettid            178
#define SYS_sysinfo           179
#define SYS_brk               214
#define SYS_munmap            215
#define SYS_mremap            216
#define SYS_clone             220
#define SYS_mmap              222
#define SYS_swapon            224
#define SYS_swapoff           225
#define SYS_mprotect          226
#define SYS_mlock             228
#define SYS_munlock           229
#define SYS_mlockall          230
#define SYS_munlockall        231
#define SYS_madvise           233
#define SYS_riscv_hwprobe     258
#define SYS_prlimit64         261
#define SYS_getrandom         278
#define SYS_mlock2            284
#define SYS_rseq              293
#define SYS_clone3            435
#define SYS_faccessat2        439
/* clang-format on */

#endif
