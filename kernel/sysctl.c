// SPDX-License-Identifier: MIT
/*
 * kernel/sysctl.c - /proc/sys/vm: the memory manager's tunables, read and
 * written as Linux's proc_dointvec_minmax() files are, and set at boot by
 * sysctl.vm.NAME=VALUE (Linux's syntax).
 *
 * The values live with the floor that uses them (alloc/: min_free_kbytes,
 * watermark_scale_factor; vm/: overcommit_memory, overcommit_ratio,
 * swappiness, page-cluster); this table names them, bounds them and says
 * what a write sets off (the watermarks again, a slab drop).
 *
 * A write, as Linux with kernel.sysctl_writes_strict = 1 (its default):
 *   - at a non-zero file position it is ignored: the count is returned,
 *     the value stays;
 *   - leading whitespace (isspace) is skipped; then one integer: an
 *     optional '-', a digit, then strtoul's base 0 (0x.. hex, 0.. octal),
 *     at most 21 characters, no overflow, and it fits an int;
 *   - the character after it must be ' ', '\t' or '\n' (or the end);
 *     whitespace after it is skipped, and anything left is not consumed:
 *     "5 6" sets 5 and returns 2;
 *   - no integer at all, a bad one, or one out of [min, max]: EINVAL, and
 *     the value stays.
 * A read at position 0 gives the value and a newline (cut to the count);
 * at any other position, 0 (end of file).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "alloc/alloc.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

#define SYSCTL_NUM_MAX 21 /* Linux's TMPBUFLEN - 1 */

int sysctl_drop_caches;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

long sysctl_parse_int(const char *buf, size_t len, long min, long max, int *out,
		      size_t *used)
{
	size_t i = 0, start;
	unsigned long v = 0;
	unsigned int base = 10;
	bool neg = false;

	while (i < len && is_space(buf[i]))
		i++;
	if (i == len)
		return -EINVAL; /* no integer */
	start = i;
	if (buf[i] == '-' && len - i > 1) {
		neg = true;
		i++;
	}
	if (i == len || buf[i] < '0' || buf[i] > '9')
		return -EINVAL;
	/* strtoul's base 0: "0x" with a hex digit after it, or octal */
	if (buf[i] == '0' && i + 2 < len && (buf[i + 1] | 0x20) == 'x' &&
	    digit_value(buf[i + 2]) < 16) {
		base = 16;
		i += 2;
	} else if (buf[i] == '0') {
		base = 8;
	}
	for (; i < len && digit_value(buf[i]) < (int)base; i++) {
		unsigned long d = (unsigned long)digit_value(buf[i]);

		if (v > (ULONG_MAX - d) / base)
			return -EINVAL; /* overflow */
		v = v * base + d;
	}
	if (i - start >= SYSCTL_NUM_MAX)
		return -EINVAL; /* too long to tell where it ends */
	if (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n')
		return -EINVAL; /* "12abc", "5\r", a NUL */
	if (neg ? v > (unsigned long)INT_MAX + 1 : v > (unsigned long)INT_MAX)
		return -EINVAL; /* not an int */
	{
		long val = neg ? -(long)v : (long)v;

		if (val < min || val > max)
			return -EINVAL;
		*out = (int)val;
	}
	while (i < len && is_space(buf[i]))
		i++;
	*used = i;
	return 0;
}

/* ---- what a write sets off ---- */
static void wmarks_changed(void)
{
	setup_per_zone_wmarks();
}

/* Linux's drop_caches_sysctl_handler: 1 the page cache (none here), 2 slab. */
static void drop_caches(void)
{
	static bool quiet;

	if (sysctl_drop_caches & 1)
		vm_events.drop_pagecache++;
	if (sysctl_drop_caches & 2) {
		struct zone *z = nodes[local_node].zonelist[0];
		unsigned long freed;

		/* Linux's drop_slab(): again while a walk frees much */
		do
			freed = shrink_slab(z, 0, true);
		while (freed > 10);
		vm_events.drop_slab++;
	}
	if (!quiet)
		pr_info("pagoda: app (1): drop_caches: %d\n",
			sysctl_drop_caches);
	quiet |= sysctl_drop_caches & 4;
}

/* Linux's ranges (mm/, kernel/sysctl.c); drop_caches is write-only. */
const struct sysctl_entry sysctl_vm[] = {
	{ "drop_caches", &sysctl_drop_caches, 1, 4, 0200, drop_caches },
	{ "min_free_kbytes", &min_free_kbytes, 0, INT_MAX, 0644,
	  wmarks_changed },
	{ "overcommit_memory", &sysctl_overcommit_memory, 0, 2, 0644, NULL },
	{ "overcommit_ratio", &sysctl_overcommit_ratio, INT_MIN, INT_MAX, 0644,
	  NULL },
	{ "page-cluster", &page_cluster, 0, 31, 0644, NULL },
	{ "swappiness", &vm_swappiness, 0, 200, 0644, NULL },
	{ "watermark_scale_factor", &watermark_scale_factor, 1, 3000, 0644,
	  wmarks_changed },
	{ NULL, NULL, 0, 0, 0, NULL },
};

const struct sysctl_entry *sysctl_find(const char *name)
{
	for (const struct sysctl_entry *e = sysctl_vm; e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

long sysctl_write(const struct sysctl_entry *e, const char *buf, size_t len)
{
	size_t used = 0;
	int v;
	long err;

	if (len > PAGE_SIZE - 1)
		len = PAGE_SIZE - 1; /* as Linux: the rest is not looked at */
	err = sysctl_parse_int(buf, len, e->min, e->max, &v, &used);
	if (err)
		return err;
	*e->data = v;
	if (e->changed)
		e->changed();
	return (long)used;
}

size_t sysctl_show(const struct sysctl_entry *e, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%d\n", *e->data);

	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

int sysctl_boot(const char *key, const char *value, bool apply,
		const char **why)
{
	static char msg[160];
	const struct sysctl_entry *e;
	size_t len;
	long n;

	if (strncmp(key, "sysctl.vm.", 10) || !(e = sysctl_find(key + 10))) {
		snprintf(
			msg, sizeof(msg),
			"%s: no such sysctl (sysctl.vm. takes drop_caches, min_free_kbytes, overcommit_memory, overcommit_ratio, page-cluster, swappiness, watermark_scale_factor)",
			key);
		*why = msg;
		return -ENOENT;
	}
	len = value ? strlen(value) : 0;
	if (!value) {
		n = -EINVAL;
	} else if (apply) {
		n = sysctl_write(e, value, len);
	} else {
		size_t used = 0;
		int v;

		n = sysctl_parse_int(value, len, e->min, e->max, &v, &used);
		if (!n)
			n = (long)used;
	}
	if (n < 0 || (size_t)n != len) {
		if (e->min == INT_MIN)
			snprintf(msg, sizeof(msg), "%s=%s: takes an integer",
				 key, value ? value : "");
		else if (e->max == INT_MAX)
			snprintf(msg, sizeof(msg),
				 "%s=%s: takes an integer of at least %ld", key,
				 value ? value : "", e->min);
		else
			snprintf(msg, sizeof(msg),
				 "%s=%s: takes an integer from %ld to %ld", key,
				 value ? value : "", e->min, e->max);
		*why = msg;
		return -EINVAL;
	}
	return 0;
}
