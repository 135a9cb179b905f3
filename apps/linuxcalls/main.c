// SPDX-License-Identifier: MIT
/*
 * apps/linuxcalls - the system calls C libraries make at start-up and
 * ordinary programs make beside files and memory, by number, with valid
 * and invalid arguments: set_tid_address, set_robust_list, prlimit64,
 * readlinkat, sched_yield, sched_getaffinity, faccessat, faccessat2,
 * kill, tkill, tgkill, rt_sigaction, rt_sigprocmask, sigaltstack, rseq,
 * clone3, riscv_hwprobe, getrandom, uname, the ids, ioctl on the console.
 *
 * One fact a line, `linuxcalls: name(args) = result [ERRNO]`, then
 * `linuxcalls: N facts`; tests/scenario_table.py holds Linux's answers.
 * Raw system calls (no C library wrapper in between), so the numbers and
 * the -errno results are Linux's own. The same file builds on a Linux
 * host for comparison (the facts that depend on the machine print a
 * name for their value: "tid", "exe"):
 *
 *     cc -O2 -Wall -o /tmp/linuxcalls apps/linuxcalls/main.c && /tmp/linuxcalls
 *
 * Handlers are installed with the raw rt_sigaction on pagoda and with the
 * C library's sigaction on the host (x86-64 needs its SA_RESTORER).
 *
 * Argument "pending" blocks SIGUSR1, sends it, then unblocks it (the
 * default action ends the app: status 138). Otherwise the app ends with
 * exit (93), status 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __linux__
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#define NR(name) SYS_##name
static long raw(long nr, long a, long b, long c, long d)
{
	long r = syscall(nr, a, b, c, d);

	return r == -1 ? -errno : r;
}

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(nr, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}
#else
#include "apps/runtime/runtime.h"
#include "kernel/unistd.h"
#define NR(name) SYS_##name
static long raw(long nr, long a, long b, long c, long d)
{
	return syscall6(nr, a, b, c, d, 0, 0);
}

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	return syscall6(nr, a, b, c, d, e, f);
}
#endif

#define CALL(name, a, b, c, d) \
	raw(NR(name), (long)(a), (long)(b), (long)(c), (long)(d))

/* clang-format off */
#define AT_FDCWD        (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS_     0x200
#define AT_EMPTY_PATH_  0x1000
#define SIGUSR1_        10
#define SIGUSR2_        12
#define SIGKILL_        9
#define SIGSTOP_        19
#define SIGCHLD_        17
#define SIGTERM_        15
#define SA_SIGINFO_     4
#define SA_RESTART_     0x10000000UL
#define SA_UNSUPPORTED_ 0x400UL
#define SS_DISABLE_     2
#define SS_ONSTACK_     1
#define TIOCGWINSZ_     0x5413
#define TCGETS_         0x5401
/* clang-format on */

struct k_sigaction {
	unsigned long handler, flags;
	uint64_t mask;
};

struct k_stack {
	void *sp;
	int flags;
	unsigned long size;
};

static const char *const errno_names[] = {
	[1] = "EPERM",	 [2] = "ENOENT",   [3] = "ESRCH",
	[9] = "EBADF",	 [12] = "ENOMEM",  [13] = "EACCES",
	[14] = "EFAULT", [20] = "ENOTDIR", [21] = "EISDIR",
	[22] = "EINVAL", [25] = "ENOTTY",  [36] = "ENAMETOOLONG",
	[38] = "ENOSYS", [11] = "EAGAIN",  [110] = "ETIMEDOUT",
};

static int facts;
static char *const bad = (char *)8; /* an address never mapped */

static void fact(const char *what, long r)
{
	facts++;
	if (r < 0 && r >= -4095) {
		long e = -r;
		const char *n =
			e < (long)(sizeof(errno_names) / sizeof(*errno_names))
				? errno_names[e]
				: NULL;

		printf("linuxcalls: %s = -1 %s\n", what, n ? n : "E?");
	} else {
		printf("linuxcalls: %s = %ld\n", what, r);
	}
}

static void fact_text(const char *what, const char *text)
{
	facts++;
	printf("linuxcalls: %s = %s\n", what, text);
}

static void self_calls(long tid)
{
	long r;
	int robust[6];

	r = CALL(set_tid_address, &robust[0], 0, 0, 0);
	fact_text("set_tid_address(&x)", r == tid ? "tid" : "not the tid");
	fact("set_robust_list(&h, 24)",
	     CALL(set_robust_list, robust, 24, 0, 0));
	fact("set_robust_list(&h, 23)",
	     CALL(set_robust_list, robust, 23, 0, 0));
	fact("set_robust_list(&h, 0)", CALL(set_robust_list, robust, 0, 0, 0));
	fact("sched_yield()", CALL(sched_yield, 0, 0, 0, 0));
}

static void affinity(void)
{
	unsigned long mask[4];
	long r;

	memset(mask, 0, sizeof(mask));
	r = CALL(sched_getaffinity, 0, sizeof(mask), mask, 0);
	fact_text("sched_getaffinity(0, 32, m) cpu 0",
		  r >= 8 && (mask[0] & 1) ? "set" : "not set");
	fact("sched_getaffinity(0, 0, m)",
	     CALL(sched_getaffinity, 0, 0, mask, 0));
	fact("sched_getaffinity(0, 4, m)",
	     CALL(sched_getaffinity, 0, 4, mask, 0));
	fact("sched_getaffinity(0, 12, m)",
	     CALL(sched_getaffinity, 0, 12, mask, 0));
	fact("sched_getaffinity(0, 8, NULL)",
	     CALL(sched_getaffinity, 0, 8, 0, 0));
	fact("sched_getaffinity(0x7ffffff0, 8, m)",
	     CALL(sched_getaffinity, 0x7ffffff0, 8, mask, 0));
}

static void readlinks(void)
{
	char buf[256], exe[256];
	long r, n;

	memset(buf, 'x', sizeof(buf));
	n = CALL(readlinkat, AT_FDCWD, "/proc/self/exe", exe, sizeof(exe));
	fact_text("readlinkat(AT_FDCWD, \"/proc/self/exe\", b, 256) is a path",
		  n > 1 && exe[0] == '/' ? "yes" : "no");
	if (n > 0 && n < (long)sizeof(exe)) {
		exe[n] = '\0';
		printf("linuxcalls: exe is %s\n", exe);
	}
	r = CALL(readlinkat, AT_FDCWD, "/proc/self/exe", buf, 3);
	fact("readlinkat(AT_FDCWD, \"/proc/self/exe\", b, 3)", r);
	fact_text("... its bytes, no NUL",
		  r == 3 && !memcmp(buf, exe, 3) && buf[3] == 'x'
			  ? "the first 3"
			  : "wrong");
	r = CALL(readlinkat, AT_FDCWD, "/proc/1/../self/exe", buf, sizeof(buf));
	fact_text("readlinkat(AT_FDCWD, \"/proc/1/../self/exe\", b, 256)",
		  r == n ? "exe" : "not exe");
	fact("readlinkat(AT_FDCWD, \"/proc/self/exe\", b, 0)",
	     CALL(readlinkat, AT_FDCWD, "/proc/self/exe", buf, 0));
	fact("readlinkat(AT_FDCWD, \"/proc/self/exe\", b, -1)",
	     CALL(readlinkat, AT_FDCWD, "/proc/self/exe", buf, -1));
	fact("readlinkat(AT_FDCWD, \"/nonexistent\", b, 0)",
	     CALL(readlinkat, AT_FDCWD, "/nonexistent", buf, 0));
	fact("readlinkat(AT_FDCWD, \"/nonexistent\", b, 256)",
	     CALL(readlinkat, AT_FDCWD, "/nonexistent", buf, 256));
	fact("readlinkat(AT_FDCWD, \"/proc/meminfo\", b, 256)",
	     CALL(readlinkat, AT_FDCWD, "/proc/meminfo", buf, 256));
	fact("readlinkat(AT_FDCWD, \"/proc\", b, 256)",
	     CALL(readlinkat, AT_FDCWD, "/proc", buf, 256));
	fact("readlinkat(AT_FDCWD, \"/proc/meminfo/x\", b, 256)",
	     CALL(readlinkat, AT_FDCWD, "/proc/meminfo/x", buf, 256));
	fact("readlinkat(AT_FDCWD, \"/proc/self/exe/\", b, 256)",
	     CALL(readlinkat, AT_FDCWD, "/proc/self/exe/", buf, 256));
	fact("readlinkat(AT_FDCWD, \"\", b, 256)",
	     CALL(readlinkat, AT_FDCWD, "", buf, 256));
	fact("readlinkat(AT_FDCWD, bad, b, 256)",
	     CALL(readlinkat, AT_FDCWD, bad, buf, 256));
	fact("readlinkat(AT_FDCWD, \"/proc/self/exe\", bad, 256)",
	     CALL(readlinkat, AT_FDCWD, "/proc/self/exe", bad, 256));
	fact("readlinkat(99, \"self/exe\", b, 256)",
	     CALL(readlinkat, 99, "self/exe", buf, 256));
	r = CALL(openat, AT_FDCWD, "/proc", 0, 0);
	n = CALL(readlinkat, r, "self/exe", buf, sizeof(buf));
	fact_text("readlinkat(open(\"/proc\"), \"self/exe\", b, 256)",
		  n > 1 && buf[0] == '/' ? "exe" : "not exe");
	CALL(close, r, 0, 0, 0);
	r = CALL(readlinkat, AT_FDCWD, "/proc/self", buf, sizeof(buf));
	fact_text("readlinkat(AT_FDCWD, \"/proc/self\", b, 256)",
		  r > 0 && buf[0] >= '1' && buf[0] <= '9' ? "the pid"
							  : "wrong");
}

static void access_calls(void)
{
	fact("faccessat(AT_FDCWD, \"/proc/meminfo\", F_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/meminfo", 0, 0));
	fact("faccessat(AT_FDCWD, \"/proc/meminfo\", R_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/meminfo", 4, 0));
	fact("faccessat(AT_FDCWD, \"/proc/meminfo\", X_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/meminfo", 1, 0));
	fact("faccessat(AT_FDCWD, \"/proc/self/exe\", X_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/self/exe", 1, 0));
	fact("faccessat(AT_FDCWD, \"/proc\", R_OK|X_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc", 5, 0));
	fact("faccessat(AT_FDCWD, \"/proc/sys/vm/drop_caches\", R_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/sys/vm/drop_caches", 4, 0));
	fact("faccessat(AT_FDCWD, \"/proc/sys/vm/swappiness\", W_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/sys/vm/swappiness", 2, 0));
	fact("faccessat(AT_FDCWD, \"/proc/sys/vm/swappiness\", X_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/sys/vm/swappiness", 1, 0));
	fact("faccessat(AT_FDCWD, \"/nonexistent\", F_OK)",
	     CALL(faccessat, AT_FDCWD, "/nonexistent", 0, 0));
	fact("faccessat(AT_FDCWD, \"/proc/meminfo/\", F_OK)",
	     CALL(faccessat, AT_FDCWD, "/proc/meminfo/", 0, 0));
	fact("faccessat(AT_FDCWD, \"\", F_OK)",
	     CALL(faccessat, AT_FDCWD, "", 0, 0));
	fact("faccessat(AT_FDCWD, \"/proc\", 8)",
	     CALL(faccessat, AT_FDCWD, "/proc", 8, 0));
	fact("faccessat(AT_FDCWD, bad, F_OK)",
	     CALL(faccessat, AT_FDCWD, bad, 0, 0));
	fact("faccessat(99, \"meminfo\", F_OK)",
	     CALL(faccessat, 99, "meminfo", 0, 0));
	fact("faccessat2(AT_FDCWD, \"/proc/meminfo\", R_OK, AT_EACCESS)",
	     CALL(faccessat2, AT_FDCWD, "/proc/meminfo", 4, AT_EACCESS_));
	fact("faccessat2(AT_FDCWD, \"/proc/self/exe\", F_OK, AT_SYMLINK_NOFOLLOW)",
	     CALL(faccessat2, AT_FDCWD, "/proc/self/exe", 0,
		  AT_SYMLINK_NOFOLLOW));
	fact("faccessat2(AT_FDCWD, \"/proc\", F_OK, 1)",
	     CALL(faccessat2, AT_FDCWD, "/proc", 0, 1));
	fact("faccessat2(AT_FDCWD, \"\", F_OK, AT_EMPTY_PATH)",
	     CALL(faccessat2, AT_FDCWD, "", 0, AT_EMPTY_PATH_));
	fact("faccessat2(1, \"\", F_OK, AT_EMPTY_PATH)",
	     CALL(faccessat2, 1, "", 0, AT_EMPTY_PATH_));
	fact("faccessat2(1, \"\", F_OK, 0)", CALL(faccessat2, 1, "", 0, 0));
	fact("faccessat2(99, \"\", F_OK, AT_EMPTY_PATH)",
	     CALL(faccessat2, 99, "", 0, AT_EMPTY_PATH_));
}

static void signal_calls(long pid, long tid)
{
	struct k_sigaction act, old;
	uint64_t set, oset;
	struct k_stack ss, oss;
	static char altstack[16384];

	memset(&act, 0, sizeof(act));
	memset(&old, 0xff, sizeof(old));
	fact("rt_sigaction(SIGUSR1, NULL, &old, 8)",
	     CALL(rt_sigaction, SIGUSR1_, 0, &old, 8));
	printf("linuxcalls: ... old = {%#lx, %#lx, %#llx}\n", old.handler,
	       old.flags, (unsigned long long)old.mask);
	act.handler = 1; /* SIG_IGN */
	act.flags = SA_RESTART_ | SA_UNSUPPORTED_;
	act.mask = ~0ULL;
	fact("rt_sigaction(SIGUSR1, {SIG_IGN, RESTART|UNSUPPORTED, ~0}, NULL, 8)",
	     CALL(rt_sigaction, SIGUSR1_, &act, 0, 8));
	fact("rt_sigaction(SIGUSR1, NULL, &old, 8)",
	     CALL(rt_sigaction, SIGUSR1_, 0, &old, 8));
	printf("linuxcalls: ... old = {%#lx, %#lx, %#llx}\n", old.handler,
	       old.flags, (unsigned long long)old.mask);
	fact("tkill(tid, SIGUSR1) ignored", CALL(tkill, tid, SIGUSR1_, 0, 0));
	fact("kill(pid, SIGUSR1) ignored", CALL(kill, pid, SIGUSR1_, 0, 0));
	act.handler = 0;
	act.flags = 0;
	act.mask = 0;
	fact("rt_sigaction(SIGUSR1, {SIG_DFL}, NULL, 8)",
	     CALL(rt_sigaction, SIGUSR1_, &act, 0, 8));
	fact("rt_sigaction(SIGUSR1, NULL, NULL, 4)",
	     CALL(rt_sigaction, SIGUSR1_, 0, 0, 4));
	fact("rt_sigaction(SIGUSR1, NULL, NULL, 16)",
	     CALL(rt_sigaction, SIGUSR1_, 0, 0, 16));
	fact("rt_sigaction(SIGKILL, {SIG_DFL}, NULL, 8)",
	     CALL(rt_sigaction, SIGKILL_, &act, 0, 8));
	fact("rt_sigaction(SIGSTOP, {SIG_DFL}, NULL, 8)",
	     CALL(rt_sigaction, SIGSTOP_, &act, 0, 8));
	fact("rt_sigaction(SIGKILL, NULL, &old, 8)",
	     CALL(rt_sigaction, SIGKILL_, 0, &old, 8));
	fact("rt_sigaction(0, NULL, &old, 8)",
	     CALL(rt_sigaction, 0, 0, &old, 8));
	fact("rt_sigaction(65, NULL, &old, 8)",
	     CALL(rt_sigaction, 65, 0, &old, 8));
	fact("rt_sigaction(64, NULL, &old, 8)",
	     CALL(rt_sigaction, 64, 0, &old, 8));
	fact("rt_sigaction(SIGUSR1, bad, NULL, 8)",
	     CALL(rt_sigaction, SIGUSR1_, bad, 0, 8));
	fact("rt_sigaction(SIGUSR1, NULL, bad, 8)",
	     CALL(rt_sigaction, SIGUSR1_, 0, bad, 8));

	fact("tkill(tid, SIGCHLD) default ignored",
	     CALL(tkill, tid, SIGCHLD_, 0, 0));
	fact("tkill(tid, 0)", CALL(tkill, tid, 0, 0, 0));
	fact("tkill(0, 0)", CALL(tkill, 0, 0, 0, 0));
	fact("tkill(-1, 0)", CALL(tkill, -1, 0, 0, 0));
	fact("tkill(tid, 65)", CALL(tkill, tid, 65, 0, 0));
	fact("tkill(0x7ffffff0, 0)", CALL(tkill, 0x7ffffff0, 0, 0, 0));
	fact("tkill(0x7ffffff0, 65)", CALL(tkill, 0x7ffffff0, 65, 0, 0));
	fact("tgkill(pid, tid, 0)", CALL(tgkill, pid, tid, 0, 0));
	fact("tgkill(0, tid, 0)", CALL(tgkill, 0, tid, 0, 0));
	fact("tgkill(pid, 0, 0)", CALL(tgkill, pid, 0, 0, 0));
	fact("tgkill(0x7ffffff0, tid, 0)", CALL(tgkill, 0x7ffffff0, tid, 0, 0));
	fact("tgkill(pid, tid, -1)", CALL(tgkill, pid, tid, -1, 0));
	fact("kill(pid, 0)", CALL(kill, pid, 0, 0, 0));
	fact("kill(pid, 65)", CALL(kill, pid, 65, 0, 0));
	fact("kill(0x7ffffff0, 0)", CALL(kill, 0x7ffffff0, 0, 0, 0));

	set = 1ULL << (SIGUSR2_ - 1) | 1ULL << (SIGKILL_ - 1);
	oset = ~0ULL;
	fact("rt_sigprocmask(SIG_BLOCK, {USR2, KILL}, &old, 8)",
	     CALL(rt_sigprocmask, 0, &set, &oset, 8));
	printf("linuxcalls: ... old = %#llx\n", (unsigned long long)oset);
	fact("rt_sigprocmask(SIG_SETMASK, NULL, &old, 8)",
	     CALL(rt_sigprocmask, 2, 0, &oset, 8));
	printf("linuxcalls: ... old = %#llx\n", (unsigned long long)oset);
	fact("rt_sigprocmask(3, &set, NULL, 8)",
	     CALL(rt_sigprocmask, 3, &set, 0, 8));
	fact("rt_sigprocmask(3, NULL, NULL, 8)",
	     CALL(rt_sigprocmask, 3, 0, 0, 8));
	fact("rt_sigprocmask(SIG_BLOCK, NULL, NULL, 4)",
	     CALL(rt_sigprocmask, 0, 0, 0, 4));
	fact("rt_sigprocmask(SIG_BLOCK, bad, NULL, 8)",
	     CALL(rt_sigprocmask, 0, bad, 0, 8));
	fact("rt_sigprocmask(SIG_UNBLOCK, {USR2}, bad, 8)",
	     CALL(rt_sigprocmask, 1, &set, bad, 8));
	fact("rt_sigprocmask(SIG_SETMASK, NULL, &old, 8)",
	     CALL(rt_sigprocmask, 2, 0, &oset, 8));
	printf("linuxcalls: ... old = %#llx\n", (unsigned long long)oset);

	memset(&oss, 0xff, sizeof(oss));
	fact("sigaltstack(NULL, &old)", CALL(sigaltstack, 0, &oss, 0, 0));
	printf("linuxcalls: ... old = {%#lx, %d, %lu}\n", (unsigned long)oss.sp,
	       oss.flags, oss.size);
	ss = (struct k_stack){ altstack, 0, 1024 };
	fact("sigaltstack({s, 0, 1024}, NULL)",
	     CALL(sigaltstack, &ss, 0, 0, 0));
	ss = (struct k_stack){ altstack, 4, sizeof(altstack) };
	fact("sigaltstack({s, 4, 16384}, NULL)",
	     CALL(sigaltstack, &ss, 0, 0, 0));
	ss = (struct k_stack){ altstack, 0, sizeof(altstack) };
	fact("sigaltstack({s, 0, 16384}, NULL)",
	     CALL(sigaltstack, &ss, 0, 0, 0));
	fact("sigaltstack(NULL, &old)", CALL(sigaltstack, 0, &oss, 0, 0));
	printf("linuxcalls: ... old = {%s, %d, %lu}\n",
	       oss.sp == altstack ? "s" : "?", oss.flags, oss.size);
	ss = (struct k_stack){ 0, SS_DISABLE_, 0 };
	fact("sigaltstack({0, SS_DISABLE, 0}, &old)",
	     CALL(sigaltstack, &ss, &oss, 0, 0));
	printf("linuxcalls: ... old = {%s, %d, %lu}\n",
	       oss.sp == altstack ? "s" : "?", oss.flags, oss.size);
	fact("sigaltstack(NULL, &old)", CALL(sigaltstack, 0, &oss, 0, 0));
	printf("linuxcalls: ... old = {%#lx, %d, %lu}\n", (unsigned long)oss.sp,
	       oss.flags, oss.size);
	fact("sigaltstack(bad, NULL)", CALL(sigaltstack, bad, 0, 0, 0));
	fact("sigaltstack(NULL, bad)", CALL(sigaltstack, 0, bad, 0, 0));
	(void)SS_ONSTACK_;
	(void)SIGTERM_;
	(void)SA_SIGINFO_;
}

/* One thread: a wake wakes nobody, a wait returns at once or times out. */
static void futex_calls(void)
{
	static uint32_t w[2] = { 5, 5 };
	long ts_1ms[2] = { 0, 1000000 }, ts_bad[2] = { 0, 2000000000 };
	long ts_zero[2] = { 0, 0 };

	fact("futex(&w, WAKE_PRIVATE, 1)", CALL(futex, w, 129, 1, 0));
	fact("futex(&w, WAKE, 1)", CALL(futex, w, 1, 1, 0));
	fact("futex(&w, WAIT_PRIVATE, 4 (not *w), NULL)",
	     CALL(futex, w, 128, 4, 0));
	fact("futex(&w, WAIT_PRIVATE, 5, 1 ms)",
	     CALL(futex, w, 128, 5, ts_1ms));
	fact("futex(&w, WAIT_PRIVATE, 5, tv_nsec 2e9)",
	     CALL(futex, w, 128, 5, ts_bad));
	fact("futex(&w, WAIT, 5, (void *)8)", CALL(futex, w, 0, 5, 8));
	fact("futex(w + 1 byte, WAKE, 1)", CALL(futex, (char *)w + 1, 1, 1, 0));
	fact("futex(NULL, WAIT, 0, 1 ms)", CALL(futex, 0, 0, 0, ts_1ms));
	fact("futex(&w, WAIT_BITSET_PRIVATE, 5, monotonic 0, all)",
	     raw6(NR(futex), (long)w, 137, 5, (long)ts_zero, 0, -1));
	fact("futex(&w, WAIT_BITSET, 5, monotonic 0, bitset 0)",
	     raw6(NR(futex), (long)w, 9, 5, (long)ts_zero, 0, 0));
	fact("futex(&w, WAKE | CLOCK_REALTIME, 1)",
	     CALL(futex, w, 1 | 256, 1, 0));
	fact("futex(&w, 99, 0)", CALL(futex, w, 99, 0, 0));
}

static void misc_calls(void)
{
	unsigned long rl[2];
	char uts[390];
	unsigned short ws[4];
	char termios[64];
	char rnd[16];

	fact("prlimit64(0, RLIMIT_STACK, NULL, &old)",
	     CALL(prlimit64, 0, 3, 0, rl) < 0 ? -1 : 0);
	fact("prlimit64(0, 99, NULL, &old)", CALL(prlimit64, 0, 99, 0, rl));
	fact("getrandom(b, 16, 0)", CALL(getrandom, rnd, 16, 0, 0));
	fact("getrandom(b, 16, 0x100)", CALL(getrandom, rnd, 16, 0x100, 0));
	fact("uname(&u)", CALL(uname, uts, 0, 0, 0));
	fact_text("... sysname", uts);
	fact("getuid()", CALL(getuid, 0, 0, 0, 0) >= 0 ? 0 : -1);
	fact("ioctl(1, TIOCGWINSZ, &ws)",
	     CALL(ioctl, 1, TIOCGWINSZ_, ws, 0) < 0 ? -1 : 0);
	fact("ioctl(1, TCGETS, &t)",
	     CALL(ioctl, 1, TCGETS_, termios, 0) < 0 ? -1 : 0);
	fact("ioctl(1, 0x1234, 0)", CALL(ioctl, 1, 0x1234, 0, 0));
	fact("ioctl(99, TCGETS, &t)", CALL(ioctl, 99, TCGETS_, termios, 0));
#ifndef __linux__
	/* as a kernel without them; the host has them (glibc holds rseq) */
	fact("rseq(0, 0, 0, 0)", CALL(rseq, 0, 0, 0, 0));
	fact("clone3(0, 0)", CALL(clone3, 0, 0, 0, 0));
	fact("riscv_hwprobe(0, 0, 0, 0)", CALL(riscv_hwprobe, 0, 0, 0, 0));
	fact("syscall 500 (unknown)", raw(500, 0, 0, 0, 0));
	fact("syscall 500 (unknown) again", raw(500, 0, 0, 0, 0));
#endif
}

/* ---- handlers ---- */
static volatile int h_runs, h_sig, h_signo, h_code, h_pid;
static volatile uint64_t h_blocked;
static volatile int h_on_altstack;
static volatile uint64_t h_uc_sigmask;
static volatile unsigned long h_uc_pc;
static char altstack2[16384];

static uint64_t blocked_now(void)
{
	uint64_t old = ~0ULL;

	CALL(rt_sigprocmask, 0, 0, &old, 8);
	return old;
}

static void handler(int sig, void *info, void *uc)
{
	const int *si = info;
	char here;

#ifndef __linux__
	/* riscv64's ucontext: uc_sigmask at 40, uc_mcontext's pc at 176 */
	h_uc_sigmask = *(const uint64_t *)((const char *)uc + 40);
	h_uc_pc = *(const unsigned long *)((const char *)uc + 176);
#else
	(void)uc;
#endif
	h_runs++;
	h_sig = sig;
	h_signo = si[0];
	h_code = si[2];
	h_pid = si[4];
	h_blocked = blocked_now();
	h_on_altstack =
		&here >= altstack2 && &here < altstack2 + sizeof(altstack2);
}

static long install(int sig, unsigned long flags, uint64_t mask)
{
#ifdef __linux__
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))handler;
	sa.sa_flags = (int)flags | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (int i = 1; i <= 64; i++)
		if (mask & (1ULL << (i - 1)))
			sigaddset(&sa.sa_mask, i);
	return sigaction(sig, &sa, NULL) ? -errno : 0;
#else
	struct k_sigaction act = { (unsigned long)(uintptr_t)handler,
				   flags | SA_SIGINFO_, mask };

	return CALL(rt_sigaction, sig, &act, 0, 8);
#endif
}

static void handler_facts(const char *what, long pid)
{
	char line[160];

	snprintf(
		line, sizeof(line),
		"%s: runs %d, a0 %d, si_signo %d, si_code %d, si_pid %s, blocked %#llx%s",
		what, h_runs, h_sig, h_signo, h_code,
		h_pid == pid ? "pid" : "other", (unsigned long long)h_blocked,
		h_on_altstack ? ", on the alternate stack" : "");
	fact_text("handler", line);
	h_runs = h_sig = h_signo = h_code = h_pid = h_on_altstack = 0;
	h_blocked = 0;
}

static void handler_calls(long pid, long tid)
{
	uint64_t set = 1ULL << (SIGUSR2_ - 1);
	struct k_sigaction old;
	struct k_stack ss = { altstack2, 0, sizeof(altstack2) };

	fact("install(SIGUSR2, 0, {USR1})",
	     install(SIGUSR2_, 0, 1ULL << (SIGUSR1_ - 1)));
	fact("tkill(tid, SIGUSR2)", CALL(tkill, tid, SIGUSR2_, 0, 0));
#ifndef __linux__
	printf("linuxcalls: ucontext: uc_sigmask %#llx, pc %s\n",
	       (unsigned long long)h_uc_sigmask,
	       h_uc_pc >= 0x10000 && h_uc_pc < 0x10000000 ? "in the app"
							  : "wrong");
#endif
	handler_facts("tkill", pid);
	fact("kill(pid, SIGUSR2)", CALL(kill, pid, SIGUSR2_, 0, 0));
	handler_facts("kill", pid);
	fact_text("blocked after the handlers",
		  blocked_now() ? "some" : "none");
	fact("rt_sigprocmask(SIG_BLOCK, {USR2}, NULL, 8)",
	     CALL(rt_sigprocmask, 0, &set, 0, 8));
	fact("tgkill(pid, tid, SIGUSR2) blocked",
	     CALL(tgkill, pid, tid, SIGUSR2_, 0));
	fact("... runs before unblocking", h_runs);
	fact("rt_sigprocmask(SIG_UNBLOCK, {USR2}, NULL, 8)",
	     CALL(rt_sigprocmask, 1, &set, 0, 8));
	handler_facts("unblocked", pid);
	fact("sigaltstack({s, 0, 16384}, NULL)",
	     CALL(sigaltstack, &ss, 0, 0, 0));
	fact("install(SIGUSR2, SA_ONSTACK|SA_NODEFER|SA_RESETHAND, 0)",
	     install(SIGUSR2_, 0x08000000UL | 0x40000000UL | 0x80000000UL, 0));
	fact("tkill(tid, SIGUSR2)", CALL(tkill, tid, SIGUSR2_, 0, 0));
	handler_facts("onstack", pid);
	memset(&old, 0xff, sizeof(old));
	CALL(rt_sigaction, SIGUSR2_, 0, &old, 8);
	fact("... the action after SA_RESETHAND", (long)old.handler);
	ss = (struct k_stack){ 0, SS_DISABLE_, 0 };
	CALL(sigaltstack, &ss, 0, 0, 0);
}

int main(int argc, char **argv)
{
	long pid = CALL(getpid, 0, 0, 0, 0), tid = CALL(gettid, 0, 0, 0, 0);
	uint64_t set;

	self_calls(tid);
	if (argc > 1 && !strcmp(argv[1], "deadlock")) {
		static uint32_t w = 7;

		/* the only thread waits for ever: Linux hangs, pagoda says so */
		printf("linuxcalls: futex(&w, WAIT_PRIVATE, 7, NULL)\n");
		fflush(stdout);
		CALL(futex, &w, 128, 7, 0);
		printf("linuxcalls: still here\n");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "pending")) {
		set = 1ULL << (SIGUSR1_ - 1);
		fact("rt_sigprocmask(SIG_BLOCK, {USR1}, NULL, 8)",
		     CALL(rt_sigprocmask, 0, &set, 0, 8));
		fact("tgkill(pid, tid, SIGUSR1) blocked",
		     CALL(tgkill, pid, tid, SIGUSR1_, 0));
		printf("linuxcalls: unblocking SIGUSR1\n");
		fflush(stdout);
		CALL(rt_sigprocmask, 1, &set, 0, 8);
		printf("linuxcalls: still here\n");
		return 1;
	}
	affinity();
	readlinks();
	access_calls();
	signal_calls(pid, tid);
	handler_calls(pid, tid);
	futex_calls();
	misc_calls();
	printf("linuxcalls: %d facts\n", facts);
	fflush(stdout);
	CALL(exit, 0, 0, 0, 0);
	return 1;
}
