// SPDX-License-Identifier: MIT
/*
 * tests/host/test_bootargs.c - the command line parser (boot/bootargs.c):
 * options with and without values, the last one winning, "--" and the
 * app's argv, quotes, blank lines, the -E2BIG limits, parse_size() and the
 * typed getters, and the invariant that every word lives in ba->buf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/helpers.h"

/* A fresh struct bootargs per test, on the heap so ASan guards its ends. */
static int setup(void **state)
{
	*state = malloc(sizeof(struct bootargs));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static bool in_buf(const struct bootargs *ba, const char *s)
{
	return s >= ba->buf && s + strlen(s) < ba->buf + sizeof(ba->buf);
}

/* Parse a line that must be accepted, and check the invariants. */
static struct bootargs *parse(void **state, const char *line)
{
	struct bootargs *ba = *state;
	const char *why = "untouched";

	if (bootargs_parse(ba, line, &why))
		fail_msg("bootargs_parse(\"%s\"): %s", line, why);
	assert_string_equal(why, "untouched");
	assert_true(ba->nr_opts <= BOOTARGS_MAX_OPTS);
	assert_true(ba->argc <= BOOTARGS_MAX_ARGV);
	assert_null(ba->argv[ba->argc]);
	for (unsigned int i = 0; i < ba->nr_opts; i++) {
		assert_true(in_buf(ba, ba->opt[i].key));
		assert_true(!ba->opt[i].value || in_buf(ba, ba->opt[i].value));
	}
	for (unsigned int i = 0; i < ba->argc; i++)
		assert_true(in_buf(ba, ba->argv[i]));
	return ba;
}

static void options_with_and_without_values(void **state)
{
	struct bootargs *ba = parse(state, "loglevel=7 memstat mem=512M");

	assert_int_equal(ba->nr_opts, 3);
	assert_string_equal(ba->opt[0].key, "loglevel");
	assert_string_equal(ba->opt[0].value, "7");
	assert_string_equal(ba->opt[1].key, "memstat");
	assert_null(ba->opt[1].value);
	assert_string_equal(ba->opt[2].key, "mem");
	assert_string_equal(ba->opt[2].value, "512M");
	assert_int_equal(ba->argc, 0);

	assert_string_equal(bootargs_get(ba, "loglevel"), "7");
	assert_string_equal(bootargs_get(ba, "memstat"), ""); /* bare key */
	assert_null(bootargs_get(ba, "mem2"));
	assert_null(bootargs_get(ba, "me"));
	assert_true(bootargs_has(ba, "memstat"));
	assert_true(bootargs_has(ba, "mem"));
	assert_false(bootargs_has(ba, "quiet"));
}

static void odd_keys_and_values(void **state)
{
	struct bootargs *ba = parse(state, "a= =b c=d=e");

	assert_int_equal(ba->nr_opts, 3);
	assert_string_equal(ba->opt[0].key, "a");
	assert_string_equal(ba->opt[0].value, ""); /* empty, not NULL */
	assert_string_equal(ba->opt[1].key, "");
	assert_string_equal(ba->opt[1].value, "b");
	assert_string_equal(ba->opt[2].key, "c"); /* split at the first '=' */
	assert_string_equal(ba->opt[2].value, "d=e");
	assert_string_equal(bootargs_get(ba, "c"), "d=e");
}

static void last_one_wins(void **state)
{
	struct bootargs *ba =
		parse(state, "loglevel=3 quiet loglevel=7 quiet=no");
	long level;

	assert_int_equal(ba->nr_opts, 4);
	assert_string_equal(bootargs_get(ba, "loglevel"), "7");
	assert_int_equal(bootargs_get_long(ba, "loglevel", &level), 0);
	assert_int_equal(level, 7);
	assert_string_equal(bootargs_get(ba, "quiet"), "no");

	ba = parse(state, "quiet=no quiet");
	assert_string_equal(bootargs_get(ba, "quiet"), "");
}

static void double_dash_splits(void **state)
{
	struct bootargs *ba = parse(state, "ktest -- x=1 y -- z");

	assert_int_equal(ba->nr_opts, 1);
	assert_string_equal(ba->opt[0].key, "ktest");
	assert_int_equal(ba->argc, 4);
	assert_string_equal(ba->argv[0], "x=1"); /* not an option */
	assert_string_equal(ba->argv[1], "y");
	assert_string_equal(ba->argv[2], "--"); /* only the first splits */
	assert_string_equal(ba->argv[3], "z");
	assert_null(ba->argv[4]);
	assert_null(bootargs_get(ba, "x"));

	ba = parse(state, "-- app");
	assert_int_equal(ba->nr_opts, 0);
	assert_int_equal(ba->argc, 1);
	assert_string_equal(ba->argv[0], "app");

	ba = parse(state, "a=1 --");
	assert_int_equal(ba->nr_opts, 1);
	assert_int_equal(ba->argc, 0);
	assert_null(ba->argv[0]);

	/* "--x" and "x--" are ordinary words */
	ba = parse(state, "--x x-- -- ---");
	assert_int_equal(ba->nr_opts, 2);
	assert_string_equal(ba->opt[0].key, "--x");
	assert_string_equal(ba->opt[1].key, "x--");
	assert_int_equal(ba->argc, 1);
	assert_string_equal(ba->argv[0], "---");
}

static void quotes_group_words(void **state)
{
	static const char line[] =
		"msg=\"hello  world\" x=1 -- \"two words\" a\"b c\"d \"\"";
	struct bootargs *ba = parse(state, line);

	assert_int_equal(ba->nr_opts, 2);
	assert_string_equal(ba->opt[0].key, "msg");
	assert_string_equal(ba->opt[0].value, "hello  world");
	assert_string_equal(ba->opt[1].key, "x");
	assert_int_equal(ba->argc, 3);
	assert_string_equal(ba->argv[0], "two words");
	assert_string_equal(ba->argv[1], "ab cd");
	assert_string_equal(ba->argv[2], ""); /* "" is an empty word */

	/* a quoted "--" is still a separator: quotes only group */
	ba = parse(state, "\"--\" a");
	assert_int_equal(ba->nr_opts, 0);
	assert_int_equal(ba->argc, 1);

	/* an unterminated quote runs to the end of the line */
	ba = parse(state, "-- \"a b   c");
	assert_int_equal(ba->argc, 1);
	assert_string_equal(ba->argv[0], "a b   c");
}

static void blank_lines(void **state)
{
	static const char *const lines[] = { "", " ", "   \t\n  ", "\n", NULL };

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct bootargs *ba = parse(state, lines[i]);

		assert_int_equal(ba->nr_opts, 0);
		assert_int_equal(ba->argc, 0);
		assert_null(ba->argv[0]);
		assert_null(bootargs_get(ba, ""));
	}
}

static void tabs_and_newlines_separate(void **state)
{
	struct bootargs *ba = parse(state, "\ta=1\n\nb \t--\tc\nd  ");

	assert_int_equal(ba->nr_opts, 2);
	assert_string_equal(bootargs_get(ba, "a"), "1");
	assert_true(bootargs_has(ba, "b"));
	assert_int_equal(ba->argc, 2);
	assert_string_equal(ba->argv[0], "c");
	assert_string_equal(ba->argv[1], "d");
}

/* The state of a previous parse does not leak into the next. */
static void reparse_clears(void **state)
{
	struct bootargs *ba = parse(state, "a=1 b c -- x y z");

	ba = parse(state, "d");
	assert_int_equal(ba->nr_opts, 1);
	assert_int_equal(ba->argc, 0);
	assert_null(ba->argv[0]);
	assert_null(bootargs_get(ba, "a"));
}

/* "w0 w1 ... w<n-1>", optionally after prefix. */
static char *words(const char *prefix, int n)
{
	char *line = malloc(strlen(prefix) + (size_t)n * 5 + 1);
	size_t len = 0;

	assert_non_null(line);
	len += (size_t)sprintf(line, "%s", prefix);
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(line + len, " w%d", i);
	return line;
}

static void too_many_options(void **state)
{
	struct bootargs *ba = *state;
	const char *why = NULL;
	char *line = words("", BOOTARGS_MAX_OPTS);

	ba = parse(state, line);
	assert_int_equal(ba->nr_opts, BOOTARGS_MAX_OPTS);
	assert_string_equal(ba->opt[31].key, "w31");
	free(line);

	line = words("", BOOTARGS_MAX_OPTS + 1);
	assert_int_equal(bootargs_parse(ba, line, &why), -E2BIG);
	assert_string_equal(why, "more than 32 boot options");
	free(line);
}

static void too_many_args(void **state)
{
	struct bootargs *ba = *state;
	const char *why = NULL;
	char *line = words("opt --", BOOTARGS_MAX_ARGV);

	ba = parse(state, line);
	assert_int_equal(ba->argc, BOOTARGS_MAX_ARGV);
	assert_string_equal(ba->argv[31], "w31");
	assert_null(ba->argv[32]);
	free(line);

	line = words("opt --", BOOTARGS_MAX_ARGV + 1);
	assert_int_equal(bootargs_parse(ba, line, &why), -E2BIG);
	assert_string_equal(why, "more than 32 app arguments");
	free(line);
}

static void too_long_line(void **state)
{
	struct bootargs *ba = *state;
	char *line = malloc(BOOTARGS_MAX_LEN + 1);
	const char *why = NULL;

	assert_non_null(line);
	/* 1023 bytes fit: "k=vvvv...v" */
	memset(line, 'v', BOOTARGS_MAX_LEN - 1);
	memcpy(line, "k=", 2);
	line[BOOTARGS_MAX_LEN - 1] = '\0';
	ba = parse(state, line);
	assert_int_equal(strlen(bootargs_get(ba, "k")), BOOTARGS_MAX_LEN - 3);

	/* 1024 do not, even if they are only spaces */
	memset(line, ' ', BOOTARGS_MAX_LEN);
	line[BOOTARGS_MAX_LEN] = '\0';
	assert_int_equal(bootargs_parse(ba, line, &why), -E2BIG);
	assert_string_equal(why, "command line longer than 1023 bytes");
	free(line);
}

static void parse_size_values(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "4k", 4096 },
		{ "4K", 4096 },
		{ "512M", 512ULL << 20 },
		{ "512m", 512ULL << 20 },
		{ "2G", 2ULL << 30 },
		{ "3g", 3ULL << 30 },
		{ "0x1000", 0x1000 },
		{ "0X10k", 0x4000 },
		{ "010", 8 }, /* base 0, like memparse */
		{ "18446744073709551615", UINT64_MAX },
		{ "17179869183G", 17179869183ULL << 30 }, /* largest in G */
		{ "0G", 0 },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint64_t v = 0xbad;

		if (parse_size(good[i].s, &v))
			fail_msg("parse_size(\"%s\") refused", good[i].s);
		if (v != good[i].v)
			fail_msg("parse_size(\"%s\") = %llu, want %llu",
				 good[i].s, (unsigned long long)v,
				 (unsigned long long)good[i].v);
	}
}

static void parse_size_errors(void **state)
{
	static const char *const bad[] = {
		"",	/* empty */
		"K",	/* no number */
		"12Q",	/* junk suffix */
		"1KB",	/* junk after the suffix */
		"1 K",	/* space */
		" 1",	/* leading space */
		"-1",	/* a sign */
		"+1",	/* a sign */
		"0x",	/* hex without digits */
		"1.5G", /* a fraction */
		"16T",	/* no T */
		/* too big */
		"18446744073709551616",	   /* 2^64 */
		"99999999999999999999999", /* far over */
		"17179869184G",		   /* 2^64 in G */
		"0x40000000000000k",	   /* 2^64 in K */
		"17592186044416M",	   /* 2^64 in M */
	};
	uint64_t v = 0x5a5a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_size(bad[i], &v) != -EINVAL)
			fail_msg("parse_size(\"%s\") accepted", bad[i]);
	assert_int_equal(parse_size(NULL, &v), -EINVAL);
	assert_int_equal(v, 0x5a5a); /* never written on error */
}

static void get_size(void **state)
{
	struct bootargs *ba = parse(state, "mem=1G bad=12Q bare");
	uint64_t v = 0;

	assert_int_equal(bootargs_get_size(ba, "mem", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(bootargs_get_size(ba, "none", &v), -ENOENT);
	assert_int_equal(bootargs_get_size(ba, "bad", &v), -EINVAL);
	assert_int_equal(bootargs_get_size(ba, "bare", &v), -EINVAL);
	assert_int_equal(v, 1ULL << 30);
}

static void get_long(void **state)
{
	struct bootargs *ba =
		parse(state,
		      "a=7 b=-3 c=12a d= e f=99999999999999999999 g=0x10 h=007 "
		      "i=-9223372036854775808 j=9223372036854775807");
	long v = 42;

	assert_int_equal(bootargs_get_long(ba, "a", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(bootargs_get_long(ba, "b", &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(bootargs_get_long(ba, "h", &v), 0);
	assert_int_equal(v, 7); /* decimal, not octal */
	assert_int_equal(bootargs_get_long(ba, "i", &v), 0);
	assert_true(v == -9223372036854775807L - 1);
	assert_int_equal(bootargs_get_long(ba, "j", &v), 0);
	assert_true(v == 9223372036854775807L);

	v = 42;
	assert_int_equal(bootargs_get_long(ba, "c", &v), -EINVAL); /* junk */
	assert_int_equal(bootargs_get_long(ba, "d", &v), -EINVAL); /* empty */
	assert_int_equal(bootargs_get_long(ba, "e", &v), -EINVAL); /* bare */
	assert_int_equal(bootargs_get_long(ba, "f", &v), -EINVAL); /* range */
	assert_int_equal(bootargs_get_long(ba, "g", &v), -EINVAL); /* hex */
	assert_int_equal(bootargs_get_long(ba, "z", &v), -ENOENT);
	assert_int_equal(v, 42);
}

static void known_options(void **state)
{
	static const char *const want[] = {
		"loglevel",    "mem",	       "ktest",
		"memstat",     "bench",	       "min_free_kbytes",
		"alloc_debug", "slab_debug",   "norandmaps",
		"swap",	       "stdin",	       "sysctl.vm.NAME",
		"lru",	       "kthread_spin",
	};
	size_t n = 0;

	while (bootargs_known[n])
		n++;
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(bootargs_known[i], want[i]);
}

/* The environment, as Linux builds init's: defaults, then KEY=VALUE words
 * that are no boot options, a later word replacing an earlier one. */
static void environment(void **state)
{
	struct bootargs *ba = parse(
		state, "HOME=/root loglevel=6 FOO=bar memstat X=1 FOO=baz "
		       "lone -- A=b");

	assert_int_equal(ba->envc, 4);
	assert_string_equal(ba->envp[0], "HOME=/root");
	assert_string_equal(ba->envp[1], "TERM=linux");
	assert_string_equal(ba->envp[2], "FOO=baz");
	assert_string_equal(ba->envp[3], "X=1");
	assert_null(ba->envp[4]);
	assert_string_equal(ba->argv[0], "A=b"); /* after --: an argument */
	assert_true(bootargs_is_known("loglevel"));
	assert_false(bootargs_is_known("FOO"));
	/* sysctl.NAME=VALUE is the boot's (checked there), never the app's */
	assert_true(bootargs_is_known("sysctl.vm.swappiness"));
	assert_true(bootargs_is_known("sysctl.vm.nosuch"));
	assert_false(bootargs_is_known("sysctl"));
	ba = parse(state, "sysctl.vm.swappiness=10 Y=2");
	assert_int_equal(ba->envc, 3);
	assert_string_equal(ba->envp[2], "Y=2");
	assert_string_equal(bootargs_get(ba, "sysctl.vm.swappiness"), "10");

	ba = parse(state, "");
	assert_int_equal(ba->envc, 2);
	assert_string_equal(ba->envp[0], "HOME=/");
	assert_string_equal(ba->envp[1], "TERM=linux");
}

/* More words than the environment holds: refused, not cut. */
static void environment_too_big(void **state)
{
	struct bootargs *ba = *state;
	char line[BOOTARGS_MAX_LEN];
	const char *why = NULL;
	size_t n = 0;

	for (int i = 0; i < BOOTARGS_MAX_OPTS && n + 8 < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "V%02d=x ",
				      i);
	assert_int_equal(bootargs_parse(ba, line, &why), -E2BIG);
	assert_non_null(strstr(why, "environment"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(options_with_and_without_values),
		T(odd_keys_and_values),
		T(last_one_wins),
		T(double_dash_splits),
		T(quotes_group_words),
		T(blank_lines),
		T(tabs_and_newlines_separate),
		T(reparse_clears),
		T(too_many_options),
		T(too_many_args),
		T(too_long_line),
		T(parse_size_values),
		T(parse_size_errors),
		T(get_size),
		T(get_long),
		T(known_options),
		T(environment),
		T(environment_too_big),
	};

	return cmocka_run_group_tests_name("bootargs", tests, NULL, NULL);
}
