/* SPDX-License-Identifier: MIT */
/*
 * tests/host/mm_test.h - what the allocator's host tests share on top of
 * the simulated machine (machine.h): cmocka, and checks that print the
 * allocator's own complaint when they fail.
 */
#ifndef PAGODA_TESTS_HOST_MM_TEST_H
#define PAGODA_TESTS_HOST_MM_TEST_H

/* cmocka needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/host/machine.h"

/* Boot a machine from a table of ranges, failing the test on an error. */
#define boot_ok(mem, min_kb)                                                  \
	do {                                                                  \
		int __err = machine_boot(mem, sizeof(mem) / sizeof((mem)[0]), \
					 min_kb);                             \
		if (__err)                                                    \
			fail_msg("machine_boot: %d (%s)", __err,              \
				 host_log_last());                            \
	} while (0)

/* The same, then the slab caches, debugging on or off (machine_slab_init). */
#define slab_boot_ok(mem, min_kb, debug)  \
	do {                              \
		boot_ok(mem, min_kb);     \
		machine_slab_init(debug); \
	} while (0)

/* Every invariant holds and interrupts are back on: else say why. */
#define assert_buddy_valid()                                             \
	do {                                                             \
		if (!buddy_is_valid())                                   \
			fail_msg("buddy_is_valid: %s", host_log_last()); \
		assert_true(host_irq_enabled);                           \
	} while (0)

/* The log has a line containing s. */
#define assert_logged(s)                                                      \
	do {                                                                  \
		if (!host_log_count(s))                                       \
			fail_msg("no \"%s\" in the log:\n%s", s, host_log()); \
	} while (0)

#endif /* PAGODA_TESTS_HOST_MM_TEST_H */
