// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_bootargs.c - the command-line parser, in the image,
 * and the boot arguments this boot actually received.
 */
#include <errno.h>
#include <string.h>

#include "boot/boot.h"
#include "tests/kernel/ktest.h"

static struct bootargs ba; /* 1.5 KiB: not on the 16 KiB boot stack */

static void splits_options_and_argv(struct ktest *t)
{
	const char *why = NULL;

	ASSERT_EQ(t,
		  bootargs_parse(&ba,
				 " loglevel=7 memstat mem=1G -- a \"b c\" --",
				 &why),
		  0);
	EXPECT_EQ(t, ba.nr_opts, 3);
	EXPECT_STREQ(t, bootargs_get(&ba, "loglevel"), "7");
	EXPECT_STREQ(t, bootargs_get(&ba, "memstat"), "");
	EXPECT_TRUE(t, bootargs_get(&ba, "nosuch") == NULL);
	EXPECT_EQ(t, ba.argc, 3);
	EXPECT_STREQ(t, ba.argv[1], "b c");
	EXPECT_STREQ(t, ba.argv[2], "--");
	EXPECT_TRUE(t, ba.argv[3] == NULL);
}

static void sizes_and_numbers(struct ktest *t)
{
	const char *why;
	uint64_t size = 0;
	long n = 0;

	ASSERT_EQ(t, bootargs_parse(&ba, "mem=512M a=0x10k l=-3 bad=12Q", &why),
		  0);
	EXPECT_EQ(t, bootargs_get_size(&ba, "mem", &size), 0);
	EXPECT_EQ(t, size, 512ULL << 20);
	EXPECT_EQ(t, bootargs_get_size(&ba, "a", &size), 0);
	EXPECT_EQ(t, size, 16ULL << 10);
	EXPECT_EQ(t, bootargs_get_size(&ba, "bad", &size), -EINVAL);
	EXPECT_EQ(t, bootargs_get_size(&ba, "none", &size), -ENOENT);
	EXPECT_EQ(t, bootargs_get_long(&ba, "l", &n), 0);
	EXPECT_EQ(t, n, -3);
	EXPECT_EQ(t, parse_size("99999999999999999999G", &size), -EINVAL);
}

static void rejects_overlong_lines(struct ktest *t)
{
	static char line[BOOTARGS_MAX_LEN + 8];
	const char *why = NULL;

	memset(line, 'x', sizeof(line) - 1);
	EXPECT_EQ(t, bootargs_parse(&ba, line, &why), -E2BIG);
	EXPECT_TRUE(t, why && strstr(why, "longer"));
}

/* The live command line was parsed into boot_args by boot_main. */
static void this_boot_has_ktest(struct ktest *t)
{
	EXPECT_TRUE(t, bootargs_has(&boot_args, "ktest"));
	EXPECT_TRUE(t, strstr(boot_platform.bootargs, "ktest") != NULL);
}

KTEST_SUITE(bootargs, KTEST_CASE(splits_options_and_argv),
	    KTEST_CASE(sizes_and_numbers), KTEST_CASE(rejects_overlong_lines),
	    KTEST_CASE(this_boot_has_ktest));
