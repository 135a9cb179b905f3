// SPDX-License-Identifier: MIT
/*
 * apps/sysctl - /proc/sys/vm as an app of root's uses it on Linux: opens
 * (and the modes refused), reads, writes parsed as proc_dointvec_minmax
 * parses them, Linux's ranges and errno values, and the effects: the
 * zones' watermarks in /proc/zoneinfo, drop_caches in /proc/vmstat,
 * overcommit 2 refusing what passes CommitLimit. TAP, one line a check.
 * With the argument "show" it prints each value instead ("NAME=VALUE").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int checks, failed;

static void ok(int cond, const char *what)
{
	checks++;
	if (!cond)
		failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", checks, what);
}

static char path_buf[96];

static const char *path(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "/proc/sys/vm/%s", name);
	return path_buf;
}

/* The file's value, or -9999 when it cannot be read. */
static long get(const char *name)
{
	char buf[32];
	int fd = open(path(name), O_RDONLY);
	long n;

	if (fd < 0)
		return -9999;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || buf[n - 1] != '\n')
		return -9999;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* write() of text to a fresh descriptor: its result, or -errno. */
static long put(const char *name, const char *text, size_t len)
{
	int fd = open(path(name), O_WRONLY);
	long n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

static long puts_(const char *name, const char *text)
{
	return put(name, text, strlen(text));
}

/* A number after "key" in a /proc file (the first such line). */
static long proc_number(const char *file, const char *key)
{
	static char buf[16384];
	int fd = open(file, O_RDONLY);
	long n, total = 0;
	char *at;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	for (at = buf; (at = strstr(at, key)); at++)
		if ((at == buf || at[-1] == '\n' || at[-1] == ' ') &&
		    (at[strlen(key)] == ' ' || at[strlen(key)] == ':'))
			return strtol(at + strlen(key) + 1, NULL, 10);
	return -1;
}

static const char *const names[] = {
	"swappiness",	"min_free_kbytes",   "watermark_scale_factor",
	"page-cluster", "overcommit_memory", "overcommit_ratio"
};

int main(int argc, char **argv)
{
	char buf[64];
	struct stat st;
	long n, mfk, min, low, managed;
	int fd;

	if (argc > 1 && !strcmp(argv[1], "show")) {
		for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
			printf("sysctl: %s=%ld\n", names[i], get(names[i]));
		return 0;
	}

	/* the values Linux boots with */
	ok(get("swappiness") == 60, "swappiness reads 60");
	ok(get("page-cluster") == 3, "page-cluster reads 3");
	ok(get("overcommit_memory") == 0, "overcommit_memory reads 0");
	ok(get("overcommit_ratio") == 50, "overcommit_ratio reads 50");
	ok(get("watermark_scale_factor") == 10,
	   "watermark_scale_factor reads 10");
	mfk = get("min_free_kbytes");
	ok(mfk >= 128 && mfk <= 262144, "min_free_kbytes: Linux's rule");
	ok(proc_number("/proc/zoneinfo", "min") == mfk / 4,
	   "zoneinfo's min is min_free_kbytes / 4 (one zone)");

	/* the files: modes, and what each opening mode may do */
	ok(!stat("/proc/sys/vm", &st) && S_ISDIR(st.st_mode) &&
		   (st.st_mode & 0777) == 0555,
	   "/proc/sys/vm is a directory, 0555");
	ok(!stat(path("swappiness"), &st) && S_ISREG(st.st_mode) &&
		   (st.st_mode & 0777) == 0644 && st.st_size == 0,
	   "swappiness is a file, 0644, size 0");
	ok(!stat(path("drop_caches"), &st) && (st.st_mode & 0777) == 0200,
	   "drop_caches is 0200");
	errno = 0;
	ok(open(path("drop_caches"), O_RDONLY) < 0 && errno == EACCES,
	   "drop_caches O_RDONLY: EACCES");
	errno = 0;
	ok(open(path("drop_caches"), O_RDWR) < 0 && errno == EACCES,
	   "drop_caches O_RDWR: EACCES");
	fd = open(path("swappiness"), O_RDWR);
	ok(fd >= 0, "swappiness opens O_RDWR");
	n = read(fd, buf, sizeof(buf));
	ok(n == 3 && !memcmp(buf, "60\n", 3),
	   "read gives the value and a newline");
	ok(read(fd, buf, sizeof(buf)) == 0, "a second read: end of file");
	lseek(fd, 0, SEEK_SET);
	ok(write(fd, "  70 \n", 6) == 6, "write \"  70 \\n\": 6 bytes");
	ok(write(fd, "80", 2) == 2 && get("swappiness") == 70,
	   "a write at a non-zero offset: counted, ignored");
	close(fd);
	ok(get("swappiness") == 70, "swappiness reads 70");
	fd = open(path("swappiness"), O_RDONLY);
	errno = 0;
	ok(write(fd, "5", 1) < 0 && errno == EBADF, "O_RDONLY: write is EBADF");
	n = read(fd, buf, 1);
	ok(n == 1 && buf[0] == '7', "a read of 1 byte gives the first digit");
	close(fd);
	fd = open(path("swappiness"), O_WRONLY);
	errno = 0;
	ok(read(fd, buf, 4) < 0 && errno == EBADF, "O_WRONLY: read is EBADF");
	close(fd);

	/* the parser, as Linux's proc_dointvec_minmax */
	ok(puts_("swappiness", "201") == -EINVAL, "swappiness 201: EINVAL");
	ok(puts_("swappiness", "-1") == -EINVAL, "swappiness -1: EINVAL");
	ok(puts_("swappiness", "abc") == -EINVAL, "swappiness abc: EINVAL");
	ok(puts_("swappiness", "12abc") == -EINVAL, "12abc: EINVAL");
	ok(puts_("swappiness", "  \n") == -EINVAL, "only spaces: EINVAL");
	ok(puts_("swappiness", "+5") == -EINVAL, "+5: EINVAL");
	ok(put("swappiness", "5\0", 2) == -EINVAL, "a NUL after it: EINVAL");
	ok(puts_("swappiness", "99999999999999999999999") == -EINVAL,
	   "too long: EINVAL");
	ok(get("swappiness") == 70, "refused writes leave 70");
	ok(puts_("swappiness", "0x10") == 4 && get("swappiness") == 16,
	   "0x10 is 16");
	ok(puts_("swappiness", "010") == 3 && get("swappiness") == 8,
	   "010 is 8 (octal)");
	ok(puts_("swappiness", "5 6") == 2 && get("swappiness") == 5,
	   "\"5 6\": 5, 2 bytes written");
	ok(puts_("swappiness", "200") == 3 && get("swappiness") == 200,
	   "swappiness 200");
	ok(puts_("swappiness", "0") == 1 && get("swappiness") == 0,
	   "swappiness 0");
	ok(puts_("page-cluster", "32") == -EINVAL, "page-cluster 32: EINVAL");
	ok(puts_("page-cluster", "31") == 2 && get("page-cluster") == 31,
	   "page-cluster 31");
	ok(puts_("overcommit_memory", "3") == -EINVAL,
	   "overcommit_memory 3: EINVAL");
	ok(puts_("watermark_scale_factor", "0") == -EINVAL,
	   "watermark_scale_factor 0: EINVAL");
	ok(puts_("watermark_scale_factor", "3001") == -EINVAL,
	   "watermark_scale_factor 3001: EINVAL");
	ok(puts_("min_free_kbytes", "-1") == -EINVAL,
	   "min_free_kbytes -1: EINVAL");
	ok(puts_("drop_caches", "0") == -EINVAL, "drop_caches 0: EINVAL");
	ok(puts_("drop_caches", "5") == -EINVAL, "drop_caches 5: EINVAL");
	ok(puts_("overcommit_ratio", "-5") == 2 &&
		   get("overcommit_ratio") == -5,
	   "overcommit_ratio -5 (Linux's proc_dointvec: any int)");
	ok(puts_("overcommit_ratio", "2147483648") == -EINVAL,
	   "overcommit_ratio 2^31: EINVAL (no int)");
	ok(puts_("overcommit_ratio", "50") == 2, "overcommit_ratio back to 50");

	/* the effects */
	ok(puts_("min_free_kbytes", "16384") == 5 &&
		   get("min_free_kbytes") == 16384,
	   "min_free_kbytes 16384");
	ok(proc_number("/proc/zoneinfo", "min") == 4096,
	   "zoneinfo's min follows: 4096");
	managed = proc_number("/proc/zoneinfo", "managed");
	ok(puts_("watermark_scale_factor", "1000") == 4,
	   "watermark_scale_factor 1000");
	min = proc_number("/proc/zoneinfo", "min");
	low = proc_number("/proc/zoneinfo", "low");
	ok(low - min ==
		   (managed * 1000 / 10000 > min / 4 ? managed / 10 : min / 4),
	   "low = min + max(min / 4, managed * wsf / 10000)");
	ok(proc_number("/proc/zoneinfo", "high") - low == low - min,
	   "high = low + the same gap");
	snprintf(buf, sizeof(buf), "%ld", mfk);
	ok(puts_("min_free_kbytes", buf) > 0 &&
		   puts_("watermark_scale_factor", "10") == 2 &&
		   proc_number("/proc/zoneinfo", "min") == mfk / 4,
	   "both back: zoneinfo's min is the boot's again");
	n = proc_number("/proc/vmstat", "drop_slab");
	ok(puts_("drop_caches", "3") == 1, "drop_caches 3");
	ok(proc_number("/proc/vmstat", "drop_slab") == n + 1 &&
		   proc_number("/proc/vmstat", "drop_pagecache") >= 1,
	   "vmstat counts drop_slab and drop_pagecache");
	ok(proc_number("/proc/vmstat", "oom_kill") == 0, "vmstat: oom_kill 0");

	/* overcommit 2: CommitLimit = RAM * ratio / 100 */
	{
		long total = proc_number("/proc/meminfo", "MemTotal");
		long limit = proc_number("/proc/meminfo", "CommitLimit");
		long before = proc_number("/proc/meminfo", "Committed_AS");
		size_t big = (size_t)limit * 1024 + (4UL << 20);
		void *p;

		ok(limit >= total / 2 - 4 && limit <= total / 2,
		   "CommitLimit is half of MemTotal");
		p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok(p != MAP_FAILED &&
			   proc_number("/proc/meminfo", "Committed_AS") ==
				   before + 1024,
		   "a private writable 1 MiB: Committed_AS + 1024 kB");
		munmap(p, 1 << 20);
		ok(proc_number("/proc/meminfo", "Committed_AS") == before,
		   "munmap gives it back");
		p = mmap(NULL, big, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok(p != MAP_FAILED, "overcommit 0: more than CommitLimit maps");
		if (p != MAP_FAILED)
			munmap(p, big);
		ok(puts_("overcommit_memory", "2") == 1, "overcommit_memory 2");
		errno = 0;
		p = mmap(NULL, big, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok(p == MAP_FAILED && errno == ENOMEM,
		   "overcommit 2: past CommitLimit is ENOMEM");
		errno = 0;
		p = mmap(NULL, big, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		ok(p == MAP_FAILED && errno == ENOMEM,
		   "overcommit 2: MAP_NORESERVE does not help");
		p = mmap(NULL, big, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
		ok(p != MAP_FAILED, "overcommit 2: read-only memory maps");
		errno = 0;
		ok(p != MAP_FAILED &&
			   mprotect(p, big, PROT_READ | PROT_WRITE) &&
			   errno == ENOMEM,
		   "overcommit 2: mprotect to writable past it: ENOMEM");
		if (p != MAP_FAILED)
			munmap(p, big);
		ok(sbrk((intptr_t)big) == (void *)-1,
		   "overcommit 2: brk refused");
		ok(puts_("overcommit_memory", "1") == 1, "overcommit_memory 1");
		p = mmap(NULL, (size_t)total * 2048, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok(p != MAP_FAILED, "overcommit 1: twice RAM maps");
		if (p != MAP_FAILED)
			munmap(p, (size_t)total * 2048);
		ok(puts_("overcommit_memory", "0") == 1, "overcommit_memory 0");
		p = mmap(NULL, (size_t)total * 2048, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok(p == MAP_FAILED, "overcommit 0: twice RAM is refused");
	}
	ok(puts_("swappiness", "60") == 2 && puts_("page-cluster", "3") == 1,
	   "swap's two back to their defaults");
	printf("1..%d\n", checks);
	printf("sysctl: %d of %d hold\n", checks - failed, checks);
	return failed ? 1 : 0;
}
