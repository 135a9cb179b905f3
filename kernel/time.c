// SPDX-License-Identifier: MIT
/*
 * kernel/time.c - the app's clocks and sleeping: clock_gettime,
 * clock_getres, nanosleep, clock_nanosleep and times, with Linux's clock
 * ids and errors.
 *
 * Every clock is the time CSR (timer_ns) plus an offset:
 *
 *   REALTIME, REALTIME_COARSE, TAI    the wall clock: the RTC's reading at
 *                                     boot (the epoch without an RTC);
 *                                     TAI's offset is 0, as on a Linux
 *                                     that no NTP daemon has told otherwise
 *   MONOTONIC, _RAW, _COARSE, BOOTTIME  time since boot (nothing suspends)
 *   PROCESS_CPUTIME_ID                time since the app started: the hart
 *                                     runs nothing else
 *   THREAD_CPUTIME_ID                 the calling thread's time on the
 *                                     hart (sched.c counts it)
 *
 * Sleeping blocks the calling thread until a deadline on the time CSR
 * (sched_block): the other threads run meanwhile, and with none the hart
 * waits in wfi. A signal sent to the sleeping thread ends the sleep with
 * EINTR (signal.c); the time left is not written back (rem).
 */
#include <errno.h>
#include <stdio.h>

#include "hal/riscv/riscv.h"
#include "kernel/internal.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

/* clang-format off */
#define NSEC_PER_SEC  1000000000ULL
#define USER_HZ       100            /* times()'s clock ticks, AT_CLKTCK */
/* clang-format on */

static uint64_t realtime_at_zero; /* the wall clock when timer_ns() was 0 */
static uint64_t app_start_ns;	  /* timer_ns() when the app started */

struct timespec_user {
	long tv_sec, tv_nsec;
};

void time_set_realtime(uint64_t ns_since_epoch)
{
	realtime_at_zero = ns_since_epoch - timer_ns();
}

uint64_t time_realtime_ns(void)
{
	return realtime_at_zero + timer_ns();
}

void time_app_started(void)
{
	app_start_ns = timer_ns();
}

/* The clock's offset from timer_ns(); false for a clock that is not. */
static bool clock_offset(long clock, uint64_t *offset)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*offset = realtime_at_zero;
		return true;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*offset = 0;
		return true;
	case CLOCK_PROCESS_CPUTIME_ID:
		*offset = -app_start_ns;
		return true;
	case CLOCK_THREAD_CPUTIME_ID:
		*offset = sched_thread_cpu_ns() - timer_ns();
		return true;
	default:
		return false;
	}
}

static long put_timespec(void *uts, uint64_t ns)
{
	struct timespec_user ts = { (long)(ns / NSEC_PER_SEC),
				    (long)(ns % NSEC_PER_SEC) };

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long time_get_timespec(const void *uts, uint64_t *ns)
{
	struct timespec_user ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
	    (unsigned long)ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	/* beyond ~584 years: as good as forever */
	if ((uint64_t)ts.tv_sec >= UINT64_MAX / NSEC_PER_SEC)
		*ns = UINT64_MAX / 2;
	else
		*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

uint64_t time_deadline_in(uint64_t ns)
{
	uint64_t ticks = timer_ns_to_ticks(ns), now = rdtime();

	return ticks > UINT64_MAX - 1 - now ? UINT64_MAX - 1 : now + ticks;
}

uint64_t time_deadline(long clock, uint64_t abs_ns)
{
	uint64_t offset = 0, now;

	(void)clock_offset(clock, &offset);
	now = timer_ns() + offset;
	return time_deadline_in(abs_ns > now ? abs_ns - now : 0);
}

/*
 * Seconds since the epoch as "YYYY-MM-DD hh:mm:ss UTC": the proleptic
 * Gregorian calendar counted in 400-year eras of 146097 days, each era
 * starting on a March 1st so that leap days fall at the end of a year.
 */
void time_format_utc(uint64_t secs, char *buf, size_t size)
{
	uint64_t days = secs / 86400 + 719468; /* days since 0000-03-01 */
	uint64_t era = days / 146097, doe = days % 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153; /* March = 0 */
	uint64_t day = doy - (153 * mp + 2) / 5 + 1;
	uint64_t month = mp < 10 ? mp + 3 : mp - 9;
	uint64_t year = era * 400 + yoe + (month <= 2);
	unsigned int sod = (unsigned int)(secs % 86400);

	snprintf(buf, size, "%04llu-%02llu-%02llu %02u:%02u:%02u UTC",
		 (unsigned long long)year, (unsigned long long)month,
		 (unsigned long long)day, sod / 3600, sod / 60 % 60, sod % 60);
}

long sys_clock_gettime(long clock, void *uts)
{
	uint64_t offset;

	if (!clock_offset(clock, &offset))
		return -EINVAL;
	return put_timespec(uts, timer_ns() + offset);
}

long sys_clock_getres(long clock, void *uts)
{
	uint64_t offset, hz = timer_hz() ? timer_hz() : 1;

	if (!clock_offset(clock, &offset))
		return -EINVAL;
	return uts ? put_timespec(uts, (NSEC_PER_SEC + hz - 1) / hz) : 0;
}

/* The calling thread sleeps until deadline; 0 when it wakes. */
static long sleep_until(uint64_t deadline)
{
	sched_block(deadline, 0, "sleep");
	return 0;
}

long sys_nanosleep(const void *ureq, void *urem)
{
	uint64_t ns;
	long err = time_get_timespec(ureq, &ns);

	(void)urem;
	if (err)
		return err;
	return sleep_until(time_deadline_in(ns));
}

long sys_clock_nanosleep(long clock, int flags, const void *ureq, void *urem)
{
	uint64_t ns, offset;
	long err;

	(void)urem;
	if (clock == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL; /* Linux: a thread cannot sleep on its own time */
	if (!clock_offset(clock, &offset))
		return -EINVAL;
	if ((err = time_get_timespec(ureq, &ns)))
		return err;
	return sleep_until(flags & TIMER_ABSTIME ? time_deadline(clock, ns)
						 : time_deadline_in(ns));
}

/* Linux's struct tms: clock ticks of USER_HZ. */
struct tms_user {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

/*
 * times(): the app's time is all user time (the runtime's share of the
 * hart is not counted apart); the result is the ticks since boot.
 */
long sys_times(void *utms)
{
	uint64_t now = timer_ns();
	struct tms_user t = {
		.tms_utime =
			(long)((now - app_start_ns) / (NSEC_PER_SEC / USER_HZ)),
	};

	if (utms && copy_to_user(utms, &t, sizeof(t)))
		return -EFAULT;
	return (long)(now / (NSEC_PER_SEC / USER_HZ));
}
