// SPDX-License-Identifier: MIT
/*
 * tests/kernel/ktest.c - the in-image test runner.
 *
 * Suites are found through the .ktest_suites section (boot/image.ld.S). The
 * output is KTAP version 1, one subtest per suite, written straight to the
 * console (no log timestamps) so parsers see clean lines:
 *
 *     KTAP version 1
 *     1..2
 *         KTAP version 1
 *         # Subtest: bootargs
 *         1..3
 *         ok 1 parses_options
 *         ...
 *     ok 1 bootargs
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "tests/kernel/ktest.h"

extern const struct ktest_suite *const __ktest_suites_start[];
extern const struct ktest_suite *const __ktest_suites_end[];
extern const struct kbench *const __kbench_start[];
extern const struct kbench *const __kbench_end[];

void ktest_vprint(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > 0)
		console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n
							   : sizeof(buf) - 1);
}

__attribute__((format(printf, 1, 2))) static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktest_vprint(fmt, ap);
	va_end(ap);
}

static char captured[2048];
static size_t captured_len;
static const struct console *saved_console;

static void capture_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (captured_len + 1 >= sizeof(captured)) {
			/* keep the newest text: drop the older half */
			memmove(captured, captured + sizeof(captured) / 2,
				captured_len - sizeof(captured) / 2);
			captured_len -= sizeof(captured) / 2;
		}
		captured[captured_len++] = buf[i];
	}
	captured[captured_len] = '\0';
}

/* What the capture console hands to readers, then "no input at all". */
static const char *typed;

static int capture_receive(void)
{
	return typed && *typed ? (unsigned char)*typed++ : -2;
}

static const struct console capture_console = {
	.name = "ktest-capture",
	.write = capture_write,
	.receive = capture_receive,
};

void ktest_capture_input(const char *input)
{
	typed = input;
}

void ktest_capture_start(void)
{
	typed = NULL;
	captured_len = 0;
	captured[0] = '\0';
	saved_console = console_get();
	console_set(&capture_console);
}

const char *ktest_capture_stop(void)
{
	console_set(saved_console);
	return captured;
}

bool ktest_check(struct ktest *t, bool ok, const char *file, int line,
		 const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	t->checks++;
	if (ok)
		return true;
	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("        # %s:%d: %s\n", file, line, msg);
	return false;
}

static bool selected(const char *filter, const char *name)
{
	size_t n = strlen(name);

	if (!filter || !*filter)
		return true;
	for (const char *s = filter; s; s = strchr(s, ',')) {
		if (*s == ',')
			s++;
		if (!strncmp(s, name, n) && (s[n] == ',' || !s[n]))
			return true;
	}
	return false;
}

int ktest_run_all(const char *filter)
{
	const struct ktest_suite *const *s;
	unsigned int nr_suites = 0, index = 0, passed = 0, failed = 0;

	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		nr_suites += selected(filter, (*s)->name);
	out("KTAP version 1\n1..%u\n", nr_suites);

	for (s = __ktest_suites_start; s < __ktest_suites_end; s++) {
		const struct ktest_suite *suite = *s;
		bool suite_failed = false;

		if (!selected(filter, suite->name))
			continue;
		out("    KTAP version 1\n    # Subtest: %s\n    1..%zu\n",
		    suite->name, suite->nr_cases);
		for (size_t i = 0; i < suite->nr_cases; i++) {
			struct ktest t = { 0 };

			suite->cases[i].run(&t);
			if (!t.checks) {
				t.failed = true;
				out("        # no check was made\n");
			}
			out("    %s %zu %s\n", t.failed ? "not ok" : "ok",
			    i + 1, suite->cases[i].name);
			suite_failed |= t.failed;
			if (t.failed)
				failed++;
			else
				passed++;
		}
		out("%s %u %s\n", suite_failed ? "not ok" : "ok", ++index,
		    suite->name);
	}
	out("# ktest: %u passed, %u failed\n", passed, failed);
	return failed || !nr_suites ? 1 : 0;
}

int kbench_run_all(const char *filter)
{
	unsigned int ran = 0;

	for (const struct kbench *const *b = __kbench_start; b < __kbench_end;
	     b++) {
		if (!selected(filter, (*b)->name))
			continue;
		out("# bench: %s\n", (*b)->name);
		(*b)->run();
		ran++;
	}
	if (!ran)
		out("# bench: nothing matched '%s'\n", filter ? filter : "");
	return ran ? 0 : 1;
}
