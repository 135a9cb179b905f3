// SPDX-License-Identifier: MIT
/*
 * tests/linux/time.c - clocks and sleeps: CLOCK_REALTIME and
 * CLOCK_MONOTONIC (marked: their values), the monotonic clock never going
 * back, nanosleep, usleep and clock_nanosleep (relative and TIMER_ABSTIME)
 * sleeping at least as long as asked and not absurdly longer, clock_getres,
 * time() agreeing with CLOCK_REALTIME, and gmtime/strftime of a fixed
 * moment (TZ=UTC: no zone file is read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* slept at least want_ms, and less than 5 s */
static int slept(const char *how, long long t0, int want_ms)
{
	long long d = ns(CLOCK_MONOTONIC) - t0;
	int ok = d >= want_ms * 1000000LL && d < 5000000000LL;

	printf("time: %s %d ms: %s\n", how, want_ms, ok ? "ok" : "WRONG");
	printf("~ time: %s took %lld us\n", how, d / 1000);
	return ok ? 0 : 1;
}

int main(void)
{
	struct timespec res, req = { 0, 30 * 1000000 }, abs;
	char buf[64];
	int bad = 0, back = 0;
	long long t0, prev;
	time_t fixed = 1700000000, now;

	setenv("TZ", "UTC", 1);
	tzset();
	printf("~ time: CLOCK_REALTIME %lld ns\n", ns(CLOCK_REALTIME));
	printf("~ time: CLOCK_MONOTONIC %lld ns\n", ns(CLOCK_MONOTONIC));
	prev = ns(CLOCK_MONOTONIC);
	for (int i = 0; i < 10000; i++) {
		long long t = ns(CLOCK_MONOTONIC);
		back += t < prev;
		prev = t;
	}
	printf("time: CLOCK_MONOTONIC went back %d times in 10000 reads\n",
	       back);
	bad |= back != 0;

	clock_getres(CLOCK_MONOTONIC, &res);
	printf("time: clock_getres(CLOCK_MONOTONIC) at most 1 ms: %s\n",
	       res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000
		       ? "yes"
		       : "no");

	t0 = ns(CLOCK_MONOTONIC);
	nanosleep(&req, NULL);
	bad |= slept("nanosleep", t0, 30);
	t0 = ns(CLOCK_MONOTONIC);
	usleep(20000);
	bad |= slept("usleep", t0, 20);
	t0 = ns(CLOCK_MONOTONIC);
	clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	bad |= slept("clock_nanosleep", t0, 30);
	t0 = ns(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 25 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	bad |= slept("clock_nanosleep TIMER_ABSTIME", t0, 25);

	now = time(NULL);
	printf("time: time() within 2 s of CLOCK_REALTIME: %s\n",
	       llabs(now - ns(CLOCK_REALTIME) / 1000000000) <= 2 ? "yes"
								 : "no");
	printf("time: after 2020: %s\n", now > 1577836800 ? "yes" : "no");
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %A %j", gmtime(&fixed));
	printf("time: gmtime(1700000000) = %s\n", buf);
	strftime(buf, sizeof(buf), "%c %Z", localtime(&fixed));
	printf("time: localtime(1700000000), TZ=UTC = %s\n", buf);
	return bad;
}
