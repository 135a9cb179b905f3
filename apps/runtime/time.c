// SPDX-License-Identifier: MIT
/*
 * apps/runtime/time.c - clocks and sleeping: clock_gettime, clock_getres,
 * nanosleep, clock_nanosleep, sleep, usleep, gettimeofday (time() is
 * picolibc's, over it) and times (clock() is picolibc's, over it).
 *
 * The clock ids are Linux's (include/time.h). times() counts in picolibc's
 * CLK_TCK (= CLOCKS_PER_SEC, microseconds), since picolibc's clock() adds
 * up its fields and divides by CLOCKS_PER_SEC; sysconf(_SC_CLK_TCK) says
 * the same. Its values come from the CPU-time and monotonic clocks.
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "apps/runtime/internal.h"

int clock_gettime(clockid_t clock_id, struct timespec *tp)
{
	return (int)syscall_result(
		SYSCALL(SYS_clock_gettime, clock_id, tp, 0, 0, 0, 0));
}

int clock_getres(clockid_t clock_id, struct timespec *res)
{
	return (int)syscall_result(
		SYSCALL(SYS_clock_getres, clock_id, res, 0, 0, 0, 0));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)syscall_result(
		SYSCALL(SYS_nanosleep, req, rem, 0, 0, 0, 0));
}

int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	long r = SYSCALL(SYS_clock_nanosleep, clock_id, flags, req, rem, 0, 0);

	return r < 0 ? errno_from_linux(-r) : 0;
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { (time_t)seconds, 0 };

	return nanosleep(&ts, &ts) ? (unsigned int)ts.tv_sec : 0;
}

int usleep(useconds_t usec)
{
	struct timespec ts = { (time_t)(usec / 1000000),
			       (long)(usec % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	if (tz) /* obsolete: Linux gives zeros too */
		*(struct timezone *)tz = (struct timezone){ 0, 0 };
	if (!tv)
		return 0;
	if (clock_gettime(CLOCK_REALTIME, &ts))
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = (suseconds_t)(ts.tv_nsec / 1000);
	return 0;
}

static clock_t ticks(const struct timespec *ts)
{
	return (clock_t)(ts->tv_sec * CLK_TCK +
			 ts->tv_nsec / (1000000000 / CLK_TCK));
}

clock_t times(struct tms *buf)
{
	struct timespec cpu, now;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) ||
	    clock_gettime(CLOCK_MONOTONIC, &now))
		return (clock_t)-1;
	if (buf)
		*buf = (struct tms){ .tms_utime = ticks(&cpu) };
	return ticks(&now);
}
