/* SPDX-License-Identifier: MIT */
/*
 * apps/libc/main.c - the C library as a user would use it, on pagoda and
 * on Linux alike.
 *
 *     libc [portable]   files, stat, time, sleeping, the environment,
 *                       sysconf, uname and stdin: lines whose text is the
 *                       same on any Linux, so the test runner builds this
 *                       file for the host too, runs both with the same
 *                       stdin and LIBC_WORD, and compares them
 *     libc runtime      facts of pagoda's own runtime: the console is a
 *                       terminal, the ids, the working directory, the
 *                       default environment, the wall clock
 *     libc tty          echo what is typed, a line at a time, until EOF
 *     libc abort        abort() from main: status 134, main in the trace
 *     libc abort-handler  a SIGABRT handler that returns: still 134
 *
 * Each line is "libc: <what>: <result>"; results name errno values, never
 * strerror() text (it differs between C libraries).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case 0:
		return "0";
	case ENOENT:
		return "ENOENT";
	case ENOTDIR:
		return "ENOTDIR";
	case EACCES:
		return "EACCES";
	case EBADF:
		return "EBADF";
	case EINVAL:
		return "EINVAL";
	case ESPIPE:
		return "ESPIPE";
	case ENOTTY:
		return "ENOTTY";
	case ERANGE:
		return "ERANGE";
	case EISDIR:
		return "EISDIR";
	default:
		return "other";
	}
}

#define FACT(what, ...)                     \
	do {                                \
		printf("libc: %s: ", what); \
		printf(__VA_ARGS__);        \
		printf("\n");               \
	} while (0)

/* A call's result, and on failure the errno it left (read first). */
static void fact_rc(const char *what, long r)
{
	int e = errno;

	if (r == -1)
		printf("libc: %s: -1 %s\n", what, errname(e));
	else
		printf("libc: %s: %ld\n", what, r);
}

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long clock_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return -1;
	return ns_of(&ts);
}

static void files(void)
{
	char line[128];
	struct stat st;
	FILE *f;
	int fd;

	f = fopen("/proc/meminfo", "r");
	FACT("fopen /proc/meminfo", "%s", f ? "ok" : errname(errno));
	if (f) {
		FACT("its first line", "%s",
		     fgets(line, sizeof(line), f) &&
				     !strncmp(line, "MemTotal:", 9)
			     ? "MemTotal"
			     : "other");
		FACT("fseek to 0 and read again", "%s",
		     !fseek(f, 0, SEEK_SET) && fgets(line, sizeof(line), f) &&
				     !strncmp(line, "MemTotal:", 9)
			     ? "MemTotal"
			     : "other");
		FACT("fclose", "%d", fclose(f));
	}
	errno = 0;
	f = fopen("/proc/no-such-file", "r");
	FACT("fopen a missing file", "%s", f ? "ok" : errname(errno));

	FACT("stat /proc/meminfo", "%d", stat("/proc/meminfo", &st));
	FACT("  regular file", "%d", S_ISREG(st.st_mode));
	FACT("  mode", "%03o", (unsigned int)(st.st_mode & 0777));
	FACT("  size", "%ld", (long)st.st_size);
	FACT("stat /proc", "%d", stat("/proc", &st));
	FACT("  directory", "%d", S_ISDIR(st.st_mode));
	FACT("  mode", "%03o", (unsigned int)(st.st_mode & 0777));
	fact_rc("stat /proc/no-such-file", stat("/proc/no-such-file", &st));
	fact_rc("stat /proc/meminfo/x", stat("/proc/meminfo/x", &st));

	fd = open("/proc/self/status", O_RDONLY);
	FACT("open /proc/self/status", "%s", fd >= 0 ? "ok" : errname(errno));
	FACT("  read 5 bytes", "%zd", read(fd, line, 5));
	FACT("  lseek SEEK_CUR 0", "%ld", (long)lseek(fd, 0, SEEK_CUR));
	FACT("  lseek SEEK_SET 0", "%ld", (long)lseek(fd, 0, SEEK_SET));
	fact_rc("  lseek SEEK_SET -1", (long)lseek(fd, -1, SEEK_SET));
	FACT("  fstat: regular file", "%d",
	     !fstat(fd, &st) && S_ISREG(st.st_mode));
	errno = 0;
	FACT("  isatty", "%d", isatty(fd));
	FACT("  and errno", "%s", errname(errno));
	FACT("  close", "%d", close(fd));
	fact_rc("close it again", close(fd));
	fact_rc("fstat of a closed descriptor", fstat(fd, &st));
}

static void times_and_sleep(void)
{
	struct timespec req = { 0, 50 * 1000000 }, res;
	long long t0, t1, wall, tv_ns;
	struct timeval tv;
	time_t now;
	struct tms tms;

	FACT("clock_getres CLOCK_MONOTONIC", "%d, under 1 ms: %d",
	     clock_getres(CLOCK_MONOTONIC, &res), ns_of(&res) < 1000000);
	t0 = clock_ns(CLOCK_MONOTONIC);
	FACT("nanosleep 50 ms", "%d", nanosleep(&req, NULL));
	t1 = clock_ns(CLOCK_MONOTONIC);
	FACT("  CLOCK_MONOTONIC advanced 50 ms to 5 s", "%d",
	     t1 - t0 >= 50000000 && t1 - t0 < 5000000000LL);
	t0 = t1;
	FACT("usleep 20000", "%d", usleep(20000));
	t1 = clock_ns(CLOCK_MONOTONIC);
	FACT("  advanced at least 20 ms", "%d", t1 - t0 >= 20000000);
	req.tv_sec = 0;
	req.tv_nsec = 30 * 1000000;
	t0 = clock_ns(CLOCK_MONOTONIC);
	req.tv_sec = (t0 + 30000000) / 1000000000;
	req.tv_nsec = (t0 + 30000000) % 1000000000;
	FACT("clock_nanosleep TIMER_ABSTIME +30 ms", "%d",
	     clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL));
	FACT("  reached the deadline", "%d",
	     clock_ns(CLOCK_MONOTONIC) >= ns_of(&req));
	req.tv_nsec = 1000000000;
	fact_rc("nanosleep with tv_nsec 1e9", nanosleep(&req, NULL));
	FACT("clock_nanosleep on a bad clock", "%s",
	     errname(clock_nanosleep((clockid_t)99, 0, &res, NULL)));
	FACT("sleep 0", "%u", sleep(0));

	wall = clock_ns(CLOCK_REALTIME);
	now = time(NULL);
	FACT("time() after 2020", "%d", now > 1577836800);
	FACT("time() within 2 s of CLOCK_REALTIME", "%d",
	     now - wall / 1000000000 < 2 && wall / 1000000000 - now < 2);
	FACT("gettimeofday", "%d", gettimeofday(&tv, NULL));
	tv_ns = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
	FACT("  within 2 s of CLOCK_REALTIME", "%d",
	     tv_ns - wall < 2000000000LL && wall - tv_ns < 2000000000LL);
	FACT("  usec below a million", "%d", tv.tv_usec < 1000000);
	FACT("times() succeeds", "%d", times(&tms) != (clock_t)-1);
	FACT("clock() succeeds", "%d", clock() != (clock_t)-1);
	FACT("CLOCK_PROCESS_CPUTIME_ID runs", "%d",
	     clock_ns(CLOCK_PROCESS_CPUTIME_ID) > 0);
	fact_rc("clock_gettime on a bad clock",
		clock_gettime((clockid_t)99, &res));
}

static void environment(void)
{
	const char *word = getenv("LIBC_WORD");

	FACT("getenv LIBC_WORD", "%s", word ? word : "(unset)");
	FACT("getenv LIBC_UNSET", "%s",
	     getenv("LIBC_UNSET") ? "set" : "(unset)");
	FACT("setenv LIBC_NEW", "%d", setenv("LIBC_NEW", "42", 1));
	FACT("  getenv", "%s", getenv("LIBC_NEW"));
	FACT("unsetenv LIBC_NEW", "%d", unsetenv("LIBC_NEW"));
	FACT("  getenv", "%s", getenv("LIBC_NEW") ? "set" : "(unset)");
}

static void system_facts(void)
{
	struct utsname u;

	FACT("sysconf _SC_PAGESIZE", "%ld", sysconf(_SC_PAGESIZE));
	FACT("sysconf _SC_NPROCESSORS_ONLN at least 1", "%d",
	     sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	FACT("sysconf _SC_PHYS_PAGES at least 4096", "%d",
	     sysconf(_SC_PHYS_PAGES) >= 4096);
	FACT("sysconf _SC_OPEN_MAX at least 20", "%d",
	     sysconf(_SC_OPEN_MAX) >= 20);
	FACT("sysconf _SC_CLK_TCK positive", "%d", sysconf(_SC_CLK_TCK) > 0);
	FACT("uname", "%d", uname(&u));
	FACT("  sysname", "%s", u.sysname);
	FACT("getpid positive", "%d", getpid() > 0);
}

/* stdin to its end: lines, bytes, the longest line, then EOF. */
static void standard_input(void)
{
	char line[256];
	unsigned long lines = 0, bytes = 0;
	size_t longest = 0;

	while (fgets(line, sizeof(line), stdin)) {
		size_t n = strlen(line);

		lines++;
		bytes += n;
		if (n > longest)
			longest = n;
		if (lines <= 3) {
			line[strcspn(line, "\n")] = '\0';
			FACT("stdin line", "\"%s\"", line);
		}
	}
	FACT("stdin", "%lu lines, %lu bytes, longest %zu", lines, bytes,
	     longest);
	FACT("  feof", "%d", feof(stdin) != 0);
	FACT("  ferror", "%d", ferror(stdin) != 0);
	FACT("  getchar after EOF", "%d", getchar());
}

static int portable(void)
{
	files();
	times_and_sleep();
	environment();
	system_facts();
	standard_input();
	printf("libc: done\n");
	return 0;
}

/* pagoda's own answers, where Linux's depend on the machine. */
static int runtime(void)
{
	struct winsize ws;
	struct termios t;
	struct utsname u;
	struct stat st;
	char cwd[64];
	int year;

	FACT("isatty 0 1 2", "%d %d %d", isatty(0), isatty(1), isatty(2));
	FACT("tcgetattr 0", "%d", tcgetattr(0, &t));
	FACT("  ICANON ECHO ISIG", "%d %d %d", !!(t.c_lflag & ICANON),
	     !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG));
	FACT("TIOCGWINSZ", "%d %ux%u", ioctl(1, TIOCGWINSZ, &ws), ws.ws_row,
	     ws.ws_col);
	FACT("fstat 1", "%d", fstat(1, &st));
	FACT("  character device", "%d", S_ISCHR(st.st_mode));
	FACT("getuid geteuid getgid getegid", "%d %d %d %d", (int)getuid(),
	     (int)geteuid(), (int)getgid(), (int)getegid());
	FACT("getcwd", "%s", getcwd(cwd, sizeof(cwd)) ? cwd : "NULL");
	errno = 0;
	FACT("fopen /proc/meminfo for writing", "%s",
	     fopen("/proc/meminfo", "w") ? "ok" : errname(errno));
	errno = 0;
	FACT("getcwd into 1 byte", "%s", getcwd(cwd, 1) ? cwd : "NULL");
	FACT("  and errno", "%s", errname(errno));
	FACT("HOME", "%s", getenv("HOME") ? getenv("HOME") : "(unset)");
	FACT("TERM", "%s", getenv("TERM") ? getenv("TERM") : "(unset)");
	uname(&u);
	FACT("uname", "%s %s %s", u.sysname, u.machine, u.release);
	year = 1970 + (int)(time(NULL) / 31556952);
	FACT("the year", "%d", year);
	return 0;
}

/* Echo lines until EOF, as `cat` would, then say how it ended. */
static int tty(void)
{
	char line[256];
	int n = 0;

	printf("libc: type lines, ^D ends\n");
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		printf("libc: got \"%s\"\n", line);
		n++;
	}
	printf("libc: EOF after %d lines\n", n);
	return 0;
}

static void on_abort(int sig)
{
	printf("libc: SIGABRT handler ran (signal %d) and returns\n", sig);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "portable";

	if (!strcmp(mode, "portable"))
		return portable();
	if (!strcmp(mode, "runtime"))
		return runtime();
	if (!strcmp(mode, "tty"))
		return tty();
	if (!strcmp(mode, "abort-handler"))
		signal(SIGABRT, on_abort);
	if (!strncmp(mode, "abort", 5)) {
		printf("libc: calling abort()\n");
		abort();
	}
	fprintf(stderr, "libc: unknown mode %s\n", mode);
	return 2;
}
