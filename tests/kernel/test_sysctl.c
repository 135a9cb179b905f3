// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_sysctl.c - suite sysctl: kernel/sysctl.c's parser
 * against Linux's proc_dointvec_minmax() answers (whitespace, bases,
 * trailers, overflow, partial writes), every /proc/sys/vm entry's range at
 * and past both ends, the watermarks recomputed on a write (with
 * watermark_scale_factor in Linux's formula), the boot option's checks
 * and messages. Every value is put back.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "alloc/alloc.h"
#include "kernel/kernel.h"
#include "tests/kernel/ktest.h"
#include "vm/vm.h"

struct parse_case {
	const char *in;
	long err;  /* 0 or -EINVAL */
	int value; /* when err is 0 */
	size_t used;
};

static const struct parse_case parse_cases[] = {
	{ "60", 0, 60, 2 },
	{ "60\n", 0, 60, 3 },
	{ "  \t60 \n", 0, 60, 7 },
	{ "\n\n7", 0, 7, 3 },
	{ "0x1f", 0, 31, 4 },
	{ "0X10\n", 0, 16, 5 },
	{ "010", 0, 8, 3 },
	{ "0", 0, 0, 1 },
	{ "-0", 0, 0, 2 },
	{ "5 6", 0, 5, 2 }, /* "6" is left unwritten */
	{ "5\t\t6\n", 0, 5, 3 },
	{ "", -EINVAL, 0, 0 },
	{ "   ", -EINVAL, 0, 0 },
	{ "abc", -EINVAL, 0, 0 },
	{ "12abc", -EINVAL, 0, 0 },
	{ "5\r", -EINVAL, 0, 0 }, /* the trailer must be ' ', '\t', '\n' */
	{ "+5", -EINVAL, 0, 0 },
	{ "-", -EINVAL, 0, 0 },
	{ "0x", -EINVAL, 0, 0 }, /* "0" octal, then 'x' */
	{ "08", -EINVAL, 0, 0 }, /* octal: 8 is a trailer */
	{ "2147483647", 0, INT_MAX, 10 },
	{ "2147483648", -EINVAL, 0, 0 },
	{ "-2147483648", 0, INT_MIN, 11 },
	{ "-2147483649", -EINVAL, 0, 0 },
	{ "000000000000000000001", -EINVAL, 0, 0 }, /* 21 characters */
	{ "00000000000000000001", 0, 1, 20 },
	{ "99999999999999999999", -EINVAL, 0, 0 }, /* past ULONG_MAX */
};

static void parser_answers_as_linux(struct ktest *t)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(*parse_cases);
	     i++) {
		const struct parse_case *c = &parse_cases[i];
		int v = -12345;
		size_t used = 999;
		long err = sysctl_parse_int(c->in, strlen(c->in), INT_MIN,
					    INT_MAX, &v, &used);

		EXPECT_EQ(t, err, c->err);
		if (!c->err && !err) {
			EXPECT_EQ(t, v, c->value);
			EXPECT_EQ(t, used, c->used);
		}
		if (err)
			EXPECT_EQ(t, v, -12345); /* untouched */
	}
	/* a NUL inside the count is a bad trailer */
	{
		int v;
		size_t used;

		EXPECT_EQ(t, sysctl_parse_int("5\0", 2, 0, 10, &v, &used),
			  -EINVAL);
		EXPECT_EQ(t, sysctl_parse_int("5\0", 1, 0, 10, &v, &used), 0);
	}
}

static void ranges_are_linux(struct ktest *t)
{
	static const struct {
		const char *name;
		long min, max;
		unsigned int mode;
	} want[] = {
		{ "drop_caches", 1, 4, 0200 },
		{ "min_free_kbytes", 0, INT_MAX, 0644 },
		{ "overcommit_memory", 0, 2, 0644 },
		{ "overcommit_ratio", INT_MIN, INT_MAX, 0644 },
		{ "page-cluster", 0, 31, 0644 },
		{ "swappiness", 0, 200, 0644 },
		{ "watermark_scale_factor", 1, 3000, 0644 },
	};
	size_t n = 0;

	for (const struct sysctl_entry *e = sysctl_vm; e->name; e++)
		n++;
	EXPECT_EQ(t, n, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const struct sysctl_entry *e = sysctl_find(want[i].name);

		ASSERT_TRUE(t, e != NULL);
		EXPECT_EQ(t, e->min, want[i].min);
		EXPECT_EQ(t, e->max, want[i].max);
		EXPECT_EQ(t, e->mode, want[i].mode);
	}
	EXPECT_TRUE(t, sysctl_find("nosuch") == NULL);
}

/* Write text to e; put the value back afterwards. */
static long try_write(const struct sysctl_entry *e, const char *text)
{
	return sysctl_write(e, text, strlen(text));
}

static void writes_keep_to_ranges(struct ktest *t)
{
	static const char *const names[] = { "swappiness", "page-cluster",
					     "overcommit_memory" };
	char text[24];

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		const struct sysctl_entry *e = sysctl_find(names[i]);
		int saved = *e->data;

		ASSERT_TRUE(t, e != NULL);
		snprintf(text, sizeof(text), "%ld", e->min);
		EXPECT_EQ(t, try_write(e, text), (long)strlen(text));
		EXPECT_EQ(t, *e->data, e->min);
		snprintf(text, sizeof(text), "%ld", e->max);
		EXPECT_EQ(t, try_write(e, text), (long)strlen(text));
		EXPECT_EQ(t, *e->data, e->max);
		snprintf(text, sizeof(text), "%ld", e->max + 1);
		EXPECT_EQ(t, try_write(e, text), -EINVAL);
		snprintf(text, sizeof(text), "%ld", e->min - 1);
		EXPECT_EQ(t, try_write(e, text), -EINVAL);
		EXPECT_EQ(t, *e->data, e->max); /* refused: unchanged */
		*e->data = saved;
	}
}

static void show_is_value_and_newline(struct ktest *t)
{
	const struct sysctl_entry *e = sysctl_find("overcommit_ratio");
	int saved = *e->data;
	char buf[24];

	*e->data = -7;
	EXPECT_EQ(t, sysctl_show(e, buf, sizeof(buf)), 3);
	EXPECT_STREQ(t, buf, "-7\n");
	*e->data = saved;
}

static void watermarks_follow(struct ktest *t)
{
	const struct sysctl_entry *mfk = sysctl_find("min_free_kbytes");
	const struct sysctl_entry *wsf = sysctl_find("watermark_scale_factor");
	int saved_mfk = min_free_kbytes, saved_wsf = watermark_scale_factor;
	unsigned long total = totalram_pages();

	EXPECT_EQ(t, watermark_scale_factor, 10);
	EXPECT_EQ(t, try_write(mfk, "8192\n"), 5);
	EXPECT_EQ(t, try_write(wsf, "500"), 3);
	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int ty = 0; ty < MAX_NR_ZONES; ty++) {
			const struct zone *z = &nodes[id].zones[ty];
			unsigned long min = 2048 * z->managed_pages / total;
			unsigned long gap = z->managed_pages * 500 / 10000;

			if (!z->managed_pages)
				continue;
			if (gap < min / 4)
				gap = min / 4;
			EXPECT_EQ(t, z->watermark[WMARK_MIN], min);
			EXPECT_EQ(t, z->watermark[WMARK_LOW], min + gap);
			EXPECT_EQ(t, z->watermark[WMARK_HIGH], min + 2 * gap);
		}
	/* a refused write recomputes nothing and changes nothing */
	EXPECT_EQ(t, try_write(wsf, "0"), -EINVAL);
	EXPECT_EQ(t, watermark_scale_factor, 500);
	min_free_kbytes = saved_mfk;
	watermark_scale_factor = saved_wsf;
	setup_per_zone_wmarks();
}

static void boot_option_checks(struct ktest *t)
{
	const char *why = NULL;
	int saved = vm_swappiness;

	EXPECT_EQ(t, sysctl_boot("sysctl.vm.swappiness", "10", false, &why), 0);
	EXPECT_EQ(t, vm_swappiness, saved); /* checked, not set */
	EXPECT_EQ(t, sysctl_boot("sysctl.vm.swappiness", "10", true, &why), 0);
	EXPECT_EQ(t, vm_swappiness, 10);
	vm_swappiness = saved;
	EXPECT_EQ(t, sysctl_boot("sysctl.vm.swappiness", "201", false, &why),
		  -EINVAL);
	EXPECT_TRUE(t, why && strstr(why, "from 0 to 200"));
	EXPECT_EQ(t, sysctl_boot("sysctl.vm.swappiness", "5 6", false, &why),
		  -EINVAL); /* a boot value is one integer, whole */
	EXPECT_EQ(t, sysctl_boot("sysctl.vm.swappiness", NULL, false, &why),
		  -EINVAL);
	EXPECT_EQ(t, sysctl_boot("sysctl.vm.nosuch", "1", false, &why),
		  -ENOENT);
	EXPECT_TRUE(t, why && strstr(why, "no such sysctl"));
	EXPECT_EQ(t, sysctl_boot("sysctl.kernel.x", "1", false, &why), -ENOENT);
	EXPECT_EQ(t, vm_swappiness, saved);
}

KTEST_SUITE(sysctl, KTEST_CASE(parser_answers_as_linux),
	    KTEST_CASE(ranges_are_linux), KTEST_CASE(writes_keep_to_ranges),
	    KTEST_CASE(show_is_value_and_newline),
	    KTEST_CASE(watermarks_follow), KTEST_CASE(boot_option_checks));
