// SPDX-License-Identifier: MIT
/*
 * tests/linux/proc.c - reading /proc as programs do, through stdio:
 * /proc/meminfo (the fields and their shape; the numbers are marked),
 * /proc/self/maps (the mapping that holds main, one that holds a heap
 * block and the one that holds the stack, with their permissions),
 * /proc/self/status (VmRSS), and a file that is not there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char text_probe[] = "x"; /* data: rw-p */

static int meminfo(void)
{
	static const char *want[] = { "MemTotal", "MemFree", "MemAvailable",
				      "SwapTotal", "Committed_AS" };
	char line[256], name[64];
	unsigned long kb;
	int seen[5] = { 0 }, bad = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f) {
		printf("proc: /proc/meminfo: %s\n", strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %lu kB", name, &kb) != 2) {
			bad++;
			continue;
		}
		for (int i = 0; i < 5; i++)
			if (!strcmp(name, want[i])) {
				seen[i] = 1;
				printf("~ meminfo: %s %lu kB\n", name, kb);
			}
	}
	fclose(f);
	for (int i = 0; i < 5; i++)
		printf("proc: /proc/meminfo has %s: %s\n", want[i],
		       seen[i] ? "yes" : "no");
	printf("proc: /proc/meminfo lines not 'Name: N kB': %d\n", bad);
	return 0;
}

/* The line of /proc/self/maps whose range holds addr: its permissions
 * and the name of what is mapped ([heap], [stack], a path, or nothing). */
static void find(const char *what, const void *addr)
{
	char line[512], perms[8], path[256];
	unsigned long lo, hi, a = (unsigned long)addr;
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		path[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi,
			   perms, path) < 3)
			continue;
		if (lo <= a && a < hi) {
			found = 1;
			/* qemu-riscv64 names [stack] but not [heap]: only the
			 * stack's name is compared */
			printf("proc: maps: %s in a %s mapping%s\n", what,
			       perms,
			       strcmp(path, "[stack]") ? "" : " [stack]");
			printf("~ maps: %s: %s", what, line);
		}
	}
	if (f)
		fclose(f);
	if (!found)
		printf("proc: maps: %s in no mapping\n", what);
}

int main(void)
{
	char here;
	char *small = malloc(100);
	char line[256];
	int rss = 0;

	meminfo();
	find("main", (void *)main);
	find("a data variable", text_probe);
	find("a local variable", &here);
	find("a heap block", small);

	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6)) {
			rss = 1;
			printf("~ status: %s", line);
		}
	if (f)
		fclose(f);
	printf("proc: /proc/self/status has VmRSS: %s\n", rss ? "yes" : "no");

	errno = 0;
	f = fopen("/proc/no-such-file", "r");
	printf("proc: fopen(/proc/no-such-file): %s, errno %s\n",
	       f ? "opened" : "NULL", errno == ENOENT ? "ENOENT" : "other");
	free(small);
	return 0;
}
