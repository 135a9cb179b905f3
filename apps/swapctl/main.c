// SPDX-License-Identifier: MIT
/*
 * apps/swapctl - swapon(2) and swapoff(2) as root uses them on Linux,
 * driven by its arguments, one step each, printing what happened as facts
 * the QEMU scenarios (tests/scenario_table.py, swapctl-*) check:
 *
 *   on:PATH[:FLAGS]  swapon(PATH, FLAGS): "swapon PATH 0xFLAGS = 0" or
 *                    "= -1 NAME" (the errno's name); FLAGS in C syntax,
 *                    0x8005 is SWAP_FLAG_PREFER with priority 5
 *   off:PATH         swapoff(PATH), the same way
 *   fault            swapon and swapoff of an address that is no string
 *   swaps            /proc/swaps, each line as "swaps: LINE"
 *   meminfo          SwapTotal, SwapFree, CommitLimit of /proc/meminfo
 *   sysinfo          sysinfo(2)'s totalswap and freeswap in kB
 *   fill:MIB         map MIB MiB and write a pattern of its page numbers
 *   pageout          madvise(MADV_PAGEOUT) of that memory: out to swap
 *   check            read it all back: "check: N pages, M wrong"
 *   status           VmRSS, VmLck and VmSwap of /proc/self/status
 *   lock, unlock     mlock(2), munlock(2) of that memory
 *   willneed         madvise(MADV_WILLNEED) of it: read back ahead of use
 *   pressure:MIB     map MIB MiB more, write every page, unmap it
 *   vmstat           pswpin, pswpout, pgmajfault of /proc/vmstat
 *   prot:none, prot:rw  mprotect(2) of that memory to PROT_NONE, or back
 *
 * Ends with "swapctl: N steps" and status 0; a step it cannot parse is
 * status 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/sysinfo.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	static const struct {
		int nr;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" }, { EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" },
		{ EROFS, "EROFS" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == e)
			return names[i].name;
	return "E?";
}

static void result(const char *call, const char *path, int flags, int r)
{
	printf("%s %s", call, path);
	if (flags >= 0)
		printf(" 0x%x", (unsigned int)flags);
	if (r == 0)
		printf(" = 0\n");
	else
		printf(" = %d %s\n", r, errno_name(errno));
}

/* The file's lines, each prefixed, or those starting with a key of keys. */
static void show(const char *file, const char *prefix, const char *const *keys)
{
	static char buf[4096];
	int fd = open(file, O_RDONLY);
	long n, len = 0;
	char *line, *end;

	if (fd < 0) {
		printf("%s: cannot open %s: %d\n", prefix, file, errno);
		return;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (line = buf; *line; line = end + 1) {
		int want = !keys;

		if (!(end = strchr(line, '\n')))
			break;
		*end = '\0';
		for (const char *const *k = keys; k && *k; k++)
			if (!strncmp(line, *k, strlen(*k)))
				want = 1;
		if (want)
			printf("%s: %s\n", prefix, line);
	}
}

/* The memory fill: made, paged out, checked (swapoff brings it back). */
static unsigned long *mem;
static size_t mem_pages;

#define WORDS_PER_PAGE (4096 / sizeof(unsigned long))

static unsigned long pattern(size_t page, size_t word)
{
	return (page * 0x9e3779b97f4a7c15UL) ^ word;
}

static void fill(size_t mib)
{
	mem_pages = mib * 256;
	mem = mmap(NULL, mem_pages * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		printf("fill: mmap %zu MiB: %d\n", mib, errno);
		mem_pages = 0;
		return;
	}
	for (size_t p = 0; p < mem_pages; p++)
		for (size_t w = 0; w < WORDS_PER_PAGE; w++)
			mem[p * WORDS_PER_PAGE + w] = pattern(p, w);
	printf("fill: %zu MiB written\n", mib);
}

static void pressure(size_t mib)
{
	size_t len = mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("pressure: mmap %zu MiB: %d\n", mib, errno);
		return;
	}
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	munmap(p, len);
	printf("pressure: %zu MiB written\n", mib);
}

static void check(void)
{
	size_t wrong = 0;

	for (size_t p = 0; p < mem_pages; p++)
		for (size_t w = 0; w < WORDS_PER_PAGE; w++)
			if (mem[p * WORDS_PER_PAGE + w] != pattern(p, w)) {
				wrong++;
				break;
			}
	printf("check: %zu pages, %zu wrong\n", mem_pages, wrong);
}

int main(int argc, char **argv)
{
	static const char *const status_keys[] = { "VmRSS:", "VmLck:",
						   "VmSwap:", NULL };
	static const char *const vmstat_keys[] = { "pswpin ", "pswpout ",
						   "pgmajfault ", NULL };
	static const char *const meminfo_keys[] = { "SwapTotal:", "SwapFree:",
						    "CommitLimit:", NULL };

	for (int i = 1; i < argc; i++) {
		char *a = argv[i];

		if (!strncmp(a, "on:", 3)) {
			char *path = a + 3, *colon = strchr(path, ':');
			int flags = 0;

			if (colon) {
				*colon = '\0';
				flags = (int)strtoul(colon + 1, NULL, 0);
			}
			result("swapon", path, flags, swapon(path, flags));
		} else if (!strncmp(a, "off:", 4)) {
			result("swapoff", a + 4, -1, swapoff(a + 4));
		} else if (!strcmp(a, "fault")) {
			result("swapon", "(bad address)", 0,
			       swapon((const char *)8, 0));
			result("swapoff", "(bad address)", -1,
			       swapoff((const char *)8));
		} else if (!strcmp(a, "swaps")) {
			show("/proc/swaps", "swaps", NULL);
		} else if (!strcmp(a, "meminfo")) {
			show("/proc/meminfo", "meminfo", meminfo_keys);
		} else if (!strcmp(a, "sysinfo")) {
			struct sysinfo si;

			if (sysinfo(&si))
				printf("sysinfo: failed: %d\n", errno);
			else
				printf("sysinfo: totalswap %lu kB freeswap %lu kB\n",
				       si.totalswap * si.mem_unit / 1024,
				       si.freeswap * si.mem_unit / 1024);
		} else if (!strncmp(a, "fill:", 5)) {
			fill(strtoul(a + 5, NULL, 10));
		} else if (!strcmp(a, "pageout")) {
			printf("pageout: %d\n",
			       madvise(mem, mem_pages * 4096, MADV_PAGEOUT));
		} else if (!strcmp(a, "check")) {
			check();
		} else if (!strcmp(a, "lock")) {
			printf("lock: %d\n", mlock(mem, mem_pages * 4096));
		} else if (!strcmp(a, "unlock")) {
			printf("unlock: %d\n", munlock(mem, mem_pages * 4096));
		} else if (!strcmp(a, "willneed")) {
			printf("willneed: %d\n",
			       madvise(mem, mem_pages * 4096, MADV_WILLNEED));
		} else if (!strncmp(a, "pressure:", 9)) {
			pressure(strtoul(a + 9, NULL, 10));
		} else if (!strcmp(a, "prot:none") || !strcmp(a, "prot:rw")) {
			printf("%s: %d\n", a,
			       mprotect(mem, mem_pages * 4096,
					a[5] == 'n' ? PROT_NONE
						    : PROT_READ | PROT_WRITE));
		} else if (!strcmp(a, "vmstat")) {
			show("/proc/vmstat", "vmstat", vmstat_keys);
		} else if (!strcmp(a, "status")) {
			show("/proc/self/status", "status", status_keys);
		} else {
			printf("swapctl: what is %s? (on:PATH[:FLAGS] off:PATH fault swaps meminfo sysinfo fill:MIB pageout check status lock unlock willneed pressure:MIB vmstat prot:none prot:rw)\n",
			       a);
			return 2;
		}
	}
	printf("swapctl: %d steps\n", argc - 1);
	return 0;
}
