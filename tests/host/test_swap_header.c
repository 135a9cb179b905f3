// SPDX-License-Identifier: MIT
/*
 * tests/host/test_swap_header.c - the swap header reader (vm/swap_header.c)
 * against the real mkswap (util-linux): images in temporary files of several
 * sizes, with -L and -U, read back field by field and compared with what
 * mkswap was told, what it printed ("size = ... (N bytes)", "LABEL=...,
 * UUID=...") and what blkid -p says of the same file. Then refusals: a
 * zeroed file, an image cut shorter than its last_page, mkswap -f with a
 * size beyond the file, damaged fields (version 2, a big-endian version 1,
 * last_page 0, 638 bad pages, bad pages 0 or past last_page), a hand-made
 * version 0 (SWAP-SPACE) page and hibernation signatures; and bad pages
 * that are in range (duplicates, the last page, all of them).
 *
 * Each page handed to swap_header_parse() is a heap block of exactly 4096
 * bytes, so ASan catches a read past it. MKSWAP and BLKID in the
 * environment name the tools; by default /usr/sbin/, /sbin/, then PATH.
 * Temporary files go to TMPDIR (/tmp) and are removed, by the test or,
 * after a failed assertion, at the end of the group.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* cmocka needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vm/swap_header.h"

#define PAGE SWAP_HDR_PAGE_SIZE
#define KiB  1024ull
#define MiB  (1024ull * 1024)

/* A swap image in a temporary file and what mkswap said making it. */
struct image {
	char path[256];
	uint64_t size;	/* bytes of the file */
	uint8_t *page;	/* its first page, a 4096-byte heap block */
	char out[4096]; /* mkswap's output, stdout and stderr */
	int status;	/* mkswap's exit status */
};

/* Every file made, removed at the end even if a test failed midway. */
static char made[64][256];
static unsigned int nr_made;

static int remove_files(void **state)
{
	for (unsigned int i = 0; i < nr_made; i++)
		unlink(made[i]);
	nr_made = 0;
	return 0;
}

/* ---- the tools ---------------------------------------------------------- */

static const char *tool(const char *env, const char *name, char *buf,
			size_t size)
{
	const char *dirs[] = { "/usr/sbin/", "/sbin/" };
	const char *e = getenv(env);

	if (e && *e)
		return e;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, size, "%s%s", dirs[i], name);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return name; /* execvp looks in PATH */
}

/* Run argv (argv[0] looked up in PATH) with stdout and stderr into out;
 * returns its exit status, or -1 if it could not run. */
static int run(char *const argv[], char *out, size_t size)
{
	int fds[2];
	size_t n = 0;
	ssize_t got;
	pid_t pid;
	int st;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while ((got = read(fds[0], out + n, size - 1 - n)) > 0)
		n += (size_t)got;
	out[n] = '\0';
	close(fds[0]);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A file of size bytes (sparse, mode 0600) in TMPDIR; its path in img. */
static void make_file(struct image *img, uint64_t size)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	memset(img, 0, sizeof(*img));
	snprintf(img->path, sizeof(img->path), "%s/swaphdr-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(img->path);
	assert_true(fd >= 0);
	if (nr_made < sizeof(made) / sizeof(made[0]))
		memcpy(made[nr_made++], img->path, sizeof(img->path));
	assert_int_equal(fchmod(fd, 0600), 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
	img->size = size;
}

/* Read the first page of the file into a fresh 4096-byte block. */
static void read_page(struct image *img)
{
	int fd = open(img->path, O_RDONLY);
	struct stat st;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	img->size = (uint64_t)st.st_size;
	free(img->page);
	img->page = calloc(1, PAGE);
	assert_non_null(img->page);
	assert_int_equal(pread(fd, img->page, PAGE, 0), (ssize_t)PAGE);
	close(fd);
}

/*
 * mkswap on a new file of size bytes, with -L label and -U uuid unless
 * NULL, and extra (a size in KiB blocks, after the file) unless NULL.
 * Fails the test if mkswap does.
 */
static void mkswap(struct image *img, uint64_t size, const char *label,
		   const char *uuid, const char *extra)
{
	char buf[64];
	char *argv[12];
	int n = 0;

	make_file(img, size);
	argv[n++] = (char *)tool("MKSWAP", "mkswap", buf, sizeof(buf));
	if (extra)
		argv[n++] = "-f";
	if (label) {
		argv[n++] = "-L";
		argv[n++] = (char *)label;
	}
	if (uuid) {
		argv[n++] = "-U";
		argv[n++] = (char *)uuid;
	}
	argv[n++] = img->path;
	if (extra)
		argv[n++] = (char *)extra;
	argv[n] = NULL;
	img->status = run(argv, img->out, sizeof(img->out));
	if (img->status != 0)
		fail_msg("mkswap exited %d: %s", img->status, img->out);
	read_page(img);
}

static void drop(struct image *img)
{
	if (img->path[0])
		unlink(img->path);
	free(img->page);
	img->page = NULL;
}

/* The value of KEY= in blkid -p -o export's output for the file (""
 * if there is none). */
static void blkid_value(const struct image *img, const char *key, char *val,
			size_t size)
{
	char buf[64], out[2048], want[32];
	char *argv[6] = { (char *)tool("BLKID", "blkid", buf, sizeof(buf)),
			  "-p", "-o", "export" };
	const char *p;
	size_t n = 0;

	argv[4] = (char *)img->path;
	assert_int_equal(run(argv, out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "\n%s=", key);
	p = strstr(out, want);
	val[0] = '\0';
	if (!p)
		return;
	/* export's format escapes blanks and the like with a backslash */
	for (p += strlen(want); *p && *p != '\n' && n + 1 < size; p++) {
		if (*p == '\\' && p[1] && p[1] != '\n')
			p++;
		val[n++] = *p;
	}
	val[n] = '\0';
}

/* mkswap's "size = ... (N bytes)": the bytes it says the area holds. */
static uint64_t mkswap_bytes(const struct image *img)
{
	const char *p =
		strstr(img->out, "Setting up swapspace version 1, size = ");
	unsigned long long bytes;

	assert_non_null(p);
	p = strchr(p, '(');
	assert_non_null(p);
	assert_int_equal(sscanf(p, "(%llu bytes)", &bytes), 1);
	return bytes;
}

/* mkswap's "UUID=..." (the one it chose or was told). */
static void mkswap_uuid(const struct image *img, char *uuid)
{
	const char *p = strstr(img->out, "UUID=");

	assert_non_null(p);
	assert_int_equal(sscanf(p, "UUID=%36[0-9a-f-]", uuid), 1);
	assert_int_equal(strlen(uuid), 36);
}

static void put_u32(uint8_t *page, unsigned int off, uint32_t v)
{
	memcpy(page + off, &v, sizeof(v));
}

/* Parse img's page with img's size; the error code, the sentence checked. */
static enum swap_header_error parse(const struct image *img,
				    struct swap_header *hdr)
{
	const char *why = NULL;
	enum swap_header_error err =
		swap_header_parse(img->page, img->size, hdr, &why);

	assert_non_null(why);
	assert_string_equal(why, swap_header_strerror(err));
	return err;
}

/* ---- made by mkswap ------------------------------------------------------- */

/* What every good mkswap image must read as; uuid as told (or NULL). */
static void check_good(const struct image *img, const char *label,
		       const char *uuid)
{
	struct swap_header hdr;
	char text[37], told[37], blk[64];
	uint64_t pages = img->size / PAGE;

	assert_int_equal(parse(img, &hdr), SWAP_HDR_OK);
	assert_int_equal(hdr.version, 1);
	assert_int_equal(hdr.last_page, pages - 1);
	assert_int_equal(hdr.nr_badpages, 0);
	assert_int_equal(hdr.disk_pages, pages);
	assert_int_equal(hdr.nr_slots, pages - 1);
	assert_string_equal(hdr.magic, "SWAPSPACE2");
	/* mkswap counts the same usable bytes */
	assert_int_equal(mkswap_bytes(img), hdr.nr_slots * PAGE);
	/* the label as told (mkswap keeps 15 bytes and a NUL), and as blkid
	 * reads it */
	assert_string_equal(hdr.label, label ? label : "");
	blkid_value(img, "LABEL", blk, sizeof(blk));
	assert_string_equal(hdr.label, blk);
	/* the UUID: as told, as mkswap printed it, as blkid reads it */
	swap_header_uuid_str(&hdr, text);
	mkswap_uuid(img, told);
	assert_string_equal(text, told);
	if (uuid)
		assert_string_equal(text, uuid);
	blkid_value(img, "UUID", blk, sizeof(blk));
	assert_string_equal(text, blk);
	blkid_value(img, "VERSION", blk, sizeof(blk));
	assert_string_equal(blk, "1");
	/* slots: 1..last_page, never 0 */
	assert_false(swap_header_slot_ok(&hdr, 0));
	assert_true(swap_header_slot_ok(&hdr, 1));
	assert_true(swap_header_slot_ok(&hdr, hdr.last_page));
	assert_false(swap_header_slot_ok(&hdr, (uint64_t)hdr.last_page + 1));
}

static void mkswap_sizes(void **state)
{
	/* the smallest mkswap makes (40 KiB), a few pages more, a size that
	 * is no whole number of pages, and larger sparse ones */
	static const struct {
		uint64_t size;
		const char *label, *uuid;
	} cases[] = {
		{ 40 * KiB, "s", "01234567-89ab-cdef-0123-456789abcdef" },
		{ 44 * KiB, "swap44k", "00000000-0000-0000-0000-000000000001" },
		{ 1 * MiB + 1000, "odd size",
		  "ffffffff-ffff-ffff-ffff-fffffffffffe" },
		{ 4 * MiB, "four-MiB", "6b1f9a3c-2d4e-4f60-8a1b-c2d3e4f5a6b7" },
		{ 256 * MiB, "256M", "deadbeef-0000-4000-8000-123456789abc" },
		{ 4096 * MiB, "4GiB", "a0b1c2d3-e4f5-4607-98a9-babcbdbebfc0" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct image img;

		mkswap(&img, cases[i].size, cases[i].label, cases[i].uuid,
		       NULL);
		check_good(&img, cases[i].label, cases[i].uuid);
		drop(&img);
	}
}

static void mkswap_no_label_random_uuid(void **state)
{
	struct image img;

	mkswap(&img, 2 * MiB, NULL, NULL, NULL);
	check_good(&img, NULL, NULL);
	drop(&img);
}

/* mkswap cuts a long label to 15 bytes and a NUL: that is what is read. */
static void mkswap_long_label(void **state)
{
	struct image img;

	mkswap(&img, 1 * MiB, "0123456789abcdefXYZ", NULL, NULL);
	check_good(&img, "0123456789abcde", NULL);
	drop(&img);
}

/* A label field of 16 bytes without a NUL (not mkswap's, another tool's):
 * read whole and terminated. */
static void label_without_nul(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, "short", NULL, NULL);
	memcpy(img.page + SWAP_HDR_LABEL_OFFSET, "ABCDEFGHIJKLMNOP", 16);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	assert_int_equal(strlen(hdr.label), 16);
	assert_string_equal(hdr.label, "ABCDEFGHIJKLMNOP");
	drop(&img);
}

/* ---- refusals --------------------------------------------------------------- */

static void zeroed_file(void **state)
{
	struct image img;
	struct swap_header hdr;

	make_file(&img, 1 * MiB);
	read_page(&img);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_NO_SIGNATURE);
	assert_non_null(strstr(swap_header_strerror(SWAP_HDR_NO_SIGNATURE),
			       "SWAPSPACE2"));
	assert_int_equal(hdr.version, 0);
	assert_int_equal(hdr.disk_pages, 256);
	drop(&img);
}

/* The image cut shorter than its last_page says: truncate(1) on the file
 * mkswap made, then the file's new size. One page short is already too
 * short; the exact size is fine. */
static void truncated_disk(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, "cut", NULL, NULL);
	assert_int_equal(truncate(img.path, 512 * KiB), 0);
	read_page(&img);
	assert_int_equal(img.size, 512 * KiB);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BEYOND_DISK);
	assert_int_equal(hdr.last_page, 255);
	assert_int_equal(hdr.disk_pages, 128);
	assert_non_null(strstr(swap_header_strerror(SWAP_HDR_BEYOND_DISK),
			       "larger than the disk"));

	img.size = 1 * MiB - 1; /* 255 whole pages: page 255 is missing */
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BEYOND_DISK);
	img.size = 1 * MiB;
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	assert_int_equal(hdr.nr_slots, 255);
	drop(&img);
}

/* mkswap -f FILE 2048: an area of 2 MiB written on a file of 1 MiB. */
static void mkswap_forced_larger(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, NULL, NULL, "2048");
	assert_int_equal(img.size, 1 * MiB);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BEYOND_DISK);
	assert_int_equal(hdr.last_page, 511);
	assert_int_equal(mkswap_bytes(&img), 511 * PAGE);
	drop(&img);
}

static void disk_smaller_than_a_page(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 40 * KiB, NULL, NULL, NULL);
	img.size = PAGE - 1;
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_DISK_TOO_SMALL);
	img.size = 0;
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_DISK_TOO_SMALL);
	/* one page: the header alone, last_page 9 is past it */
	img.size = PAGE;
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BEYOND_DISK);
	drop(&img);
}

static void wrong_versions(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, NULL, NULL, NULL);
	put_u32(img.page, SWAP_HDR_VERSION_OFFSET, 2);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_VERSION_BAD);
	assert_int_equal(hdr.version, 2);
	put_u32(img.page, SWAP_HDR_VERSION_OFFSET, 0);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_VERSION_BAD);
	/* version 1 as a big-endian machine writes it */
	memcpy(img.page + SWAP_HDR_VERSION_OFFSET, "\0\0\0\1", 4);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BIG_ENDIAN);
	assert_int_equal(hdr.version, 0x01000000);
	assert_non_null(strstr(swap_header_strerror(SWAP_HDR_BIG_ENDIAN),
			       "big-endian"));
	/* and in ours, read little endian: 01 00 00 00 */
	memcpy(img.page + SWAP_HDR_VERSION_OFFSET, "\1\0\0\0", 4);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	drop(&img);
}

static void empty_area(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, NULL, NULL, NULL);
	put_u32(img.page, SWAP_HDR_LAST_PAGE_OFFSET, 0);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_EMPTY);
	put_u32(img.page, SWAP_HDR_LAST_PAGE_OFFSET, 1);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	assert_int_equal(hdr.nr_slots, 1);
	drop(&img);
}

static void too_many_bad_pages(void **state)
{
	struct image img;
	struct swap_header hdr;

	assert_int_equal(SWAP_HDR_MAX_BADPAGES, 637);
	mkswap(&img, 4 * MiB, NULL, NULL, NULL); /* last_page 1023 */
	for (uint32_t i = 0; i < 638; i++)
		put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4 * i, i + 1);
	/* entry 637 would overlap the signature; the count is refused first */
	memcpy(img.page + SWAP_HDR_MAGIC_OFFSET, "SWAPSPACE2", 10);
	put_u32(img.page, SWAP_HDR_NR_BAD_OFFSET, 638);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_TOO_MANY_BAD);
	assert_int_equal(hdr.nr_badpages, 638);
	put_u32(img.page, SWAP_HDR_NR_BAD_OFFSET, 0xffffffffu);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_TOO_MANY_BAD);
	/* 637, the most there is room for, all distinct: accepted */
	put_u32(img.page, SWAP_HDR_NR_BAD_OFFSET, 637);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	assert_int_equal(hdr.nr_slots, 1023 - 637);
	assert_false(swap_header_slot_ok(&hdr, 637));
	assert_true(swap_header_slot_ok(&hdr, 638));
	drop(&img);
}

static void bad_page_out_of_range(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, NULL, NULL, NULL); /* last_page 255 */
	put_u32(img.page, SWAP_HDR_NR_BAD_OFFSET, 3);
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 0, 10);
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4, 20);
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 8, 256);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BAD_PAGE_RANGE);
	assert_int_equal(hdr.bad_index, 2);
	assert_int_equal(hdr.badpages[2], 256);
	/* page 0 is the header */
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4, 0);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BAD_PAGE_RANGE);
	assert_int_equal(hdr.bad_index, 1);
	/* far past it */
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4, 0xffffffffu);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_BAD_PAGE_RANGE);
	assert_int_equal(hdr.bad_index, 1);
	/* the last page is in range */
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4, 20);
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 8, 255);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	assert_int_equal(hdr.nr_slots, 255 - 3);
	drop(&img);
}

/* Bad pages in range: listed twice counts once; all of them bad is no
 * swap area. */
static void bad_pages_counted(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, "bad", NULL, NULL);
	put_u32(img.page, SWAP_HDR_NR_BAD_OFFSET, 3);
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 0, 7);
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4, 5);
	put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 8, 7);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	assert_int_equal(hdr.nr_badpages, 3);
	assert_int_equal(hdr.badpages[0], 7);
	assert_int_equal(hdr.badpages[1], 5);
	assert_int_equal(hdr.badpages[2], 7);
	assert_int_equal(hdr.nr_slots, 255 - 2);
	assert_true(swap_header_slot_ok(&hdr, 4));
	assert_false(swap_header_slot_ok(&hdr, 5));
	assert_true(swap_header_slot_ok(&hdr, 6));
	assert_false(swap_header_slot_ok(&hdr, 7));
	assert_string_equal(hdr.label, "bad");

	/* 637 entries cycling over 1..255: every page bad */
	for (uint32_t i = 0; i < 637; i++)
		put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4 * i,
			1 + i % 255);
	put_u32(img.page, SWAP_HDR_NR_BAD_OFFSET, 637);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_NO_GOOD_PAGE);
	/* over 1..200: 55 pages left */
	for (uint32_t i = 0; i < 637; i++)
		put_u32(img.page, SWAP_HDR_BADPAGES_OFFSET + 4 * i,
			1 + i % 200);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	assert_int_equal(hdr.nr_slots, 55);
	assert_false(swap_header_slot_ok(&hdr, 200));
	assert_true(swap_header_slot_ok(&hdr, 201));
	drop(&img);
}

/* A version 0 area, as mkswap -v0 made it before util-linux dropped it
 * (this mkswap refuses -v0): a bitmap of good pages from byte 0 and
 * SWAP-SPACE at the end of the page. */
static void old_v0_page(void **state)
{
	struct image img;
	struct swap_header hdr;
	char buf[64], out[1024];
	char *argv[] = { (char *)tool("MKSWAP", "mkswap", buf, sizeof(buf)),
			 "-v0", NULL, NULL };

	make_file(&img, 1 * MiB);
	argv[2] = img.path;
	assert_int_not_equal(run(argv, out, sizeof(out)), 0);
	read_page(&img);
	memset(img.page, 0xff, 32); /* pages 1..255 good (bit 0: the header) */
	img.page[0] = 0xfe;
	memcpy(img.page + SWAP_HDR_MAGIC_OFFSET, "SWAP-SPACE", 10);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OLD_V0);
	assert_string_equal(hdr.magic, "SWAP-SPACE");
	assert_non_null(
		strstr(swap_header_strerror(SWAP_HDR_OLD_V0), "version 0"));
	drop(&img);
}

/* A swap area that a hibernation wrote its image over: Linux puts its
 * signature (S1SUSPEND and a NUL) where SWAPSPACE2 was; user-space
 * suspend tools put theirs. */
static void hibernation_image(void **state)
{
	static const char *const sigs[] = { "S1SUSPEND", "S2SUSPEND",
					    "ULSUSPEND", "LINHIB0001" };
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, NULL, NULL, NULL);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		memset(img.page + SWAP_HDR_MAGIC_OFFSET, 0, 10);
		memcpy(img.page + SWAP_HDR_MAGIC_OFFSET, sigs[i],
		       strlen(sigs[i]));
		assert_int_equal(parse(&img, &hdr), SWAP_HDR_HIBERNATION);
		assert_string_equal(hdr.magic, sigs[i]);
	}
	/* one letter off is no signature at all */
	memcpy(img.page + SWAP_HDR_MAGIC_OFFSET, "SWAPSPACE3", 10);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_NO_SIGNATURE);
	memcpy(img.page + SWAP_HDR_MAGIC_OFFSET, "SWAPSPACE2", 10);
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_OK);
	drop(&img);
}

/* The signature must be at 4086 exactly (a 64 KiB-page mkswap puts it at
 * 65526, where a 4096-byte page does not reach). */
static void signature_elsewhere(void **state)
{
	struct image img;
	struct swap_header hdr;

	mkswap(&img, 1 * MiB, NULL, NULL, NULL);
	memmove(img.page + SWAP_HDR_MAGIC_OFFSET - 1,
		img.page + SWAP_HDR_MAGIC_OFFSET, 10);
	img.page[PAGE - 1] = 0;
	assert_int_equal(parse(&img, &hdr), SWAP_HDR_NO_SIGNATURE);
	drop(&img);
}

/* Every code has its own sentence; why may be NULL. */
static void messages(void **state)
{
	struct image img;
	struct swap_header hdr;

	for (int i = 0; i < SWAP_HDR_NR_ERRORS; i++) {
		const char *s = swap_header_strerror(i);

		assert_non_null(s);
		assert_true(strlen(s) > (i ? 20u : 1u));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(s, swap_header_strerror(j));
	}
	assert_string_equal(swap_header_strerror(SWAP_HDR_OK), "ok");
	assert_string_equal(swap_header_strerror(SWAP_HDR_NR_ERRORS),
			    "unknown swap header error");
	assert_string_equal(swap_header_strerror(-1),
			    "unknown swap header error");

	mkswap(&img, 40 * KiB, NULL, NULL, NULL);
	assert_int_equal(swap_header_parse(img.page, img.size, &hdr, NULL),
			 SWAP_HDR_OK);
	assert_int_equal(hdr.nr_slots, 9);
	assert_int_equal(swap_header_parse(img.page, 8 * PAGE, &hdr, NULL),
			 SWAP_HDR_BEYOND_DISK);
	drop(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mkswap_sizes),
		cmocka_unit_test(mkswap_no_label_random_uuid),
		cmocka_unit_test(mkswap_long_label),
		cmocka_unit_test(label_without_nul),
		cmocka_unit_test(zeroed_file),
		cmocka_unit_test(truncated_disk),
		cmocka_unit_test(mkswap_forced_larger),
		cmocka_unit_test(disk_smaller_than_a_page),
		cmocka_unit_test(wrong_versions),
		cmocka_unit_test(empty_area),
		cmocka_unit_test(too_many_bad_pages),
		cmocka_unit_test(bad_page_out_of_range),
		cmocka_unit_test(bad_pages_counted),
		cmocka_unit_test(old_v0_page),
		cmocka_unit_test(hibernation_image),
		cmocka_unit_test(signature_elsewhere),
		cmocka_unit_test(messages),
	};

	return cmocka_run_group_tests_name("swap_header", tests, NULL,
					   remove_files);
}
