// SPDX-License-Identifier: MIT
/*
 * apps/memtour/proc.c - reading /proc for the tour: a file's whole text,
 * one number from it by its key, the maps line of an address, and touching
 * pages so that the numbers move.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memtour.h"

static char text[32 * 1024];

const char *proc_read(const char *path)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	while (len < (ssize_t)sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return text;
}

long proc_key(const char *t, const char *key)
{
	size_t klen = strlen(key);

	for (const char *line = t; line && *line;) {
		if (!strncmp(line, key, klen))
			return strtol(line + klen, NULL, 10);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

static long key_of(const char *path, const char *key, const char *sep)
{
	char k[64];
	const char *t = proc_read(path);

	snprintf(k, sizeof(k), "%s%s", key, sep);
	return t ? proc_key(t, k) : -1;
}

long meminfo(const char *key)
{
	return key_of("/proc/meminfo", key, ":");
}

long vmstat(const char *name)
{
	return key_of("/proc/vmstat", name, " ");
}

long status(const char *key)
{
	return key_of("/proc/self/status", key, ":");
}

long sysctl_vm(const char *name)
{
	char path[64];
	const char *t;

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	t = proc_read(path);
	return t && *t ? strtol(t, NULL, 10) : -1;
}

const char *maps_line(uintptr_t a)
{
	static char line[160];
	const char *t = proc_read("/proc/self/maps");

	while (t && *t) {
		const char *end = strchr(t, '\n');
		size_t len = end ? (size_t)(end - t) : strlen(t);
		char *dash;
		uintptr_t lo = strtoul(t, &dash, 16);
		uintptr_t hi = *dash == '-' ? strtoul(dash + 1, NULL, 16) : 0;

		if (lo <= a && a < hi) {
			if (len >= sizeof(line))
				len = sizeof(line) - 1;
			memcpy(line, t, len);
			while (len > 0 && line[len - 1] == ' ')
				len--;
			line[len] = '\0';
			/* the padding before a name is no help on a screen */
			for (char *s = strstr(line, "   "); s;
			     s = strstr(line, "   "))
				memmove(s, s + 1, strlen(s));
			return line;
		}
		t = end ? end + 1 : NULL;
	}
	return NULL;
}

/* The value a page holds: its number, never zero. */
static long page_value(size_t i)
{
	return (long)i + 1;
}

void touch_pages(void *p, size_t len)
{
	for (size_t i = 0; i < len / PAGE_SIZE; i++)
		*(volatile long *)((char *)p + i * PAGE_SIZE) = page_value(i);
}

size_t check_pages(const void *p, size_t len)
{
	size_t bad = 0;

	for (size_t i = 0; i < len / PAGE_SIZE; i++)
		bad += *(const volatile long *)((const char *)p +
						i * PAGE_SIZE) != page_value(i);
	return bad;
}

long read_pages(const void *p, size_t len)
{
	long sum = 0;

	for (size_t i = 0; i < len / PAGE_SIZE; i++)
		sum += *(const volatile long *)((const char *)p +
						i * PAGE_SIZE);
	return sum;
}
