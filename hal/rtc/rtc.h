/* SPDX-License-Identifier: MIT */
/*
 * hal/rtc/rtc.h - real-time clocks: the wall-clock time at boot.
 */
#ifndef PAGODA_HAL_RTC_H
#define PAGODA_HAL_RTC_H

#include <stdint.h>

/*
 * The Goldfish RTC (QEMU virt, compatible "google,goldfish-rtc") mapped at
 * base: nanoseconds since 1970-01-01 00:00:00 UTC.
 */
uint64_t goldfish_rtc_read_ns(const volatile void *base);

#endif
