/* SPDX-License-Identifier: MIT */
/*
 * apps/runtime/runtime.h - the contract between an app and the runtime.
 *
 * An app is a folder apps/<name>/ with C files defining
 *     int main(int argc, char **argv);
 * built against picolibc into its own static ELF at user addresses
 * (app.ld) and run in U-mode. It writes with stdio (stdout and stderr are
 * line buffered onto the console) and ends by returning from main or
 * calling exit(); the status becomes the machine's exit status.
 *
 * It reads stdin (descriptor 0: the console as a terminal, or the file
 * of bootarg stdin=initrd), and its environment holds the KEY=VALUE words
 * of the kernel command line.
 *
 * Beneath the C library sit Linux riscv64 system calls (syscalls.c), by
 * subject: files.c (open/close/read/write/writev/lseek/stat/fstat/ioctl,
 * isatty, tcgetattr/tcsetattr, getcwd), memory.c (brk/sbrk, mmap/munmap/
 * mprotect/mremap/madvise), time.c (clock_gettime/getres, nanosleep,
 * clock_nanosleep, sleep, usleep, gettimeofday, times), process.c
 * (_exit, abort, getpid, kill, the ids, uname, sysinfo, sysconf,
 * getrandom). The usual headers declare them; include/ supplies those
 * picolibc lacks or declares only for other targets (<time.h>'s clocks
 * with Linux's ids, <sys/mman.h>, <sys/ioctl.h>, <sys/termios.h>,
 * <sys/utsname.h>, <sys/sysinfo.h>, <sys/random.h>, <sys/uio.h>). malloc and friends are alloc/malloc/, not picolibc's: the
 * link fails if picolibc's allocator creeps in (scripts/check-app-malloc.sh);
 * <malloc.h> declares mallinfo2, malloc_trim, mallopt.
 */
#ifndef PAGODA_APPS_RUNTIME_H
#define PAGODA_APPS_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* crt0.S calls this with the initial stack pointer. */
_Noreturn void app_start(long *sp);
/* The value of an auxiliary vector entry (AT_PAGESZ, AT_RANDOM...), or 0. */
unsigned long getauxval(unsigned long type);
/* A raw system call: the result, or -errno in Linux's numbering. */
long syscall6(long nr, long a, long b, long c, long d, long e, long f);

/*
 * Benchmarks (bench.c): the three counters U-mode may read, at one
 * moment (rdinstret, rdcycle, rdtime in that order; each later read
 * counts the earlier ones' instructions, so subtract a calibrated empty
 * pair, as apps/vmbench does).
 */
struct bench_counters {
	uint64_t instret; /* instructions retired */
	uint64_t cycles;  /* core clock cycles */
	uint64_t ticks;	  /* the time CSR, at bench_timebase_hz() */
};

void bench_read(struct bench_counters *c);
/* The device tree's timebase-frequency in Hz (read once), or 0. */
uint64_t bench_timebase_hz(void);
/* Time CSR ticks as nanoseconds; 0 when the timebase is unknown. */
uint64_t bench_ticks_to_ns(uint64_t ticks);

#endif
