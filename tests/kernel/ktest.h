/* SPDX-License-Identifier: MIT */
/*
 * tests/kernel/ktest.h - in-image test suites that print KTAP.
 *
 * A suite is a list of cases, each a function taking the test state:
 *
 *     static void parses_keys(struct ktest *t) { EXPECT_EQ(t, 1, 1); }
 *     KTEST_SUITE(bootargs, KTEST_CASE(parses_keys));
 *
 * EXPECT_* records a failure and goes on; ASSERT_* records it and returns
 * from the case. Suites run on the boot hart before the app when the boot
 * arguments say "ktest" (all suites) or "ktest=a,b" (those suites).
 */
#ifndef PAGODA_TESTS_KTEST_H
#define PAGODA_TESTS_KTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct ktest {
	bool failed;
	unsigned int checks; /* EXPECTs and ASSERTs evaluated */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	size_t nr_cases;
};

/* clang-format off */
#define KTEST_CASE(fn) { #fn, fn }
/* clang-format on */

#define KTEST_SUITE(suite, ...)                                           \
	static const struct ktest_case suite##_cases[] = { __VA_ARGS__ }; \
	static const struct ktest_suite suite##_suite = {                 \
		#suite, suite##_cases,                                    \
		sizeof(suite##_cases) / sizeof(suite##_cases[0])          \
	};                                                                \
	static const struct ktest_suite *const suite##_entry              \
		__attribute__((used, section(".ktest_suites"))) =         \
			&suite##_suite

/*
 * Benchmarks: functions that print machine-readable lines
 * ("bench: <name> <key>=<value> ..."), run instead of the app by the boot
 * argument "bench" (all) or "bench=a,b". Numbers, never verdicts: run them
 * under QEMU's -icount shift=0 for exact instruction counts (make bench).
 */
struct kbench {
	const char *name;
	void (*run)(void);
};

#define KBENCH(bench, fn)                                          \
	static const struct kbench bench##_bench = { #bench, fn }; \
	static const struct kbench *const bench##_bench_entry      \
		__attribute__((used, section(".kbench"))) = &bench##_bench

/* Run the benchmarks the filter names (all if NULL or ""); 0 if any ran. */
int kbench_run_all(const char *filter);

/*
 * Capture console output (instead of printing it) between start and stop,
 * to check the text of a report; stop returns it, NUL-terminated (the last
 * 2 KiB at most).
 */
void ktest_capture_start(void);
/* While capturing, the console "receives" input, then has no input. */
void ktest_capture_input(const char *input);
const char *ktest_capture_stop(void);

/* Print straight to the console, without log timestamps (KTAP lines). */
void ktest_vprint(const char *fmt, va_list ap);

/* Returns ok; prints a diagnostic line when !ok. */
bool ktest_check(struct ktest *t, bool ok, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define EXPECT_TRUE(t, c) \
	ktest_check(t, (c), __FILE__, __LINE__, "expected %s", #c)
#define EXPECT_EQ(t, a, b)                                                    \
	({                                                                    \
		long long __a = (long long)(a), __b = (long long)(b);         \
		ktest_check(t, __a == __b, __FILE__, __LINE__,                \
			    "%s == %s (0x%llx vs 0x%llx)", #a, #b, __a, __b); \
	})
#define EXPECT_STREQ(t, a, b)                                                \
	({                                                                   \
		const char *__a = (a), *__b = (b);                           \
		ktest_check(t, __a &&__b && !strcmp(__a, __b), __FILE__,     \
			    __LINE__, "%s == %s (\"%s\" vs \"%s\")", #a, #b, \
			    __a ? __a : "(null)", __b ? __b : "(null)");     \
	})
#define ASSERT_TRUE(t, c)               \
	do {                            \
		if (!EXPECT_TRUE(t, c)) \
			return;         \
	} while (0)
#define ASSERT_EQ(t, a, b)               \
	do {                             \
		if (!EXPECT_EQ(t, a, b)) \
			return;          \
	} while (0)

/*
 * Run the suites named in the comma-separated filter (all if NULL or "").
 * Prints KTAP and a closing "# ktest: N passed, N failed"; returns 0 when
 * every case passed, 1 otherwise.
 */
int ktest_run_all(const char *filter);

#endif
