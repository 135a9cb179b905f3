/* SPDX-License-Identifier: MIT */
/*
 * <time.h> for apps: picolibc's, plus the POSIX clocks and sleeps it
 * declares only for some targets, with Linux's clock ids, which the
 * runtime passes to the kernel as they are.
 */
#ifndef PAGODA_APP_TIME_H
#define PAGODA_APP_TIME_H

#include_next <time.h>

/* clang-format off */
#undef CLOCK_REALTIME
#undef CLOCK_MONOTONIC
#undef CLOCK_PROCESS_CPUTIME_ID
#undef CLOCK_THREAD_CPUTIME_ID
#undef CLOCK_MONOTONIC_RAW
#undef CLOCK_REALTIME_COARSE
#undef CLOCK_MONOTONIC_COARSE
#undef CLOCK_BOOTTIME
#undef CLOCK_REALTIME_ALARM
#undef CLOCK_BOOTTIME_ALARM
#undef TIMER_ABSTIME
#define CLOCK_REALTIME            ((clockid_t)0)
#define CLOCK_MONOTONIC           ((clockid_t)1)
#define CLOCK_PROCESS_CPUTIME_ID  ((clockid_t)2)
#define CLOCK_THREAD_CPUTIME_ID   ((clockid_t)3)
#define CLOCK_MONOTONIC_RAW       ((clockid_t)4)
#define CLOCK_REALTIME_COARSE     ((clockid_t)5)
#define CLOCK_MONOTONIC_COARSE    ((clockid_t)6)
#define CLOCK_BOOTTIME            ((clockid_t)7)
#define CLOCK_REALTIME_ALARM      ((clockid_t)8)
#define CLOCK_BOOTTIME_ALARM      ((clockid_t)9)
#define CLOCK_TAI                 ((clockid_t)11)
#define TIMER_ABSTIME             1
/* clang-format on */

int clock_gettime(clockid_t clock_id, struct timespec *tp);
int clock_getres(clockid_t clock_id, struct timespec *res);
int nanosleep(const struct timespec *req, struct timespec *rem);
/* 0, or the error number (not -1 and errno), as POSIX has it. */
int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *req,
		    struct timespec *rem);

#endif
