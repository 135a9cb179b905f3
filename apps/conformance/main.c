/* SPDX-License-Identifier: MIT */
/*
 * apps/conformance/main.c - Linux memory-syscall conformance facts.
 *
 * The oracle idea: this one program is built twice, natively on a Linux
 * host and as a pagoda app (picolibc, riscv64). Linux is the reference;
 * pagoda is right when it agrees. Each line is one FACT,
 * `<area>: <case>: <result>`, about brk/sbrk, mmap, munmap, mprotect,
 * mremap and madvise, and the last line is `conformance: N facts`.
 *
 * Linux's answers are recorded in apps/conformance/linux-facts.txt (the
 * kernel and date in its header), not taken from whatever host runs the
 * tests: pagoda must print exactly the answers marked as pagoda's there, and
 * the host's Linux any answer listed. A fact some kernels answer differently
 * lists each answer with the kernels that give it (docs/testing.md, "The
 * conformance facts"). To record this host's answers:
 *
 *     python3 tests/conformance.py --record
 *
 * or by hand:
 *
 *     cc -O2 -Wall -Wextra -o build/conformance-host apps/conformance/main.c
 *     build/conformance-host >build/conformance-host.txt
 *
 * Nothing printed depends on where things land. Results are `0`, `-1 ENAME`
 * (names from a table: strerror text differs between libcs), `+Np` (an
 * address N pages into the test window) or `outside window`. Memory layout
 * is read from /proc/self/maps and shown clipped to the test window, as
 * `+<first page> <perms> <pages>p`; offset, device and inode are never shown.
 *
 * Determinism: one 64 MiB PROT_NONE reservation is made first and every test
 * runs in its own window inside it. A window is unmapped when the test
 * starts (so it is a hole surrounded by the reservation), filled with
 * MAP_FIXED mappings, and covered with PROT_NONE again when the test ends,
 * so neither libc nor the kernel can put anything in it meanwhile. Output
 * goes straight to write(2) (no stdio, no malloc), so libc never moves the
 * break or maps anything while a test runs. Tests never touch PROT_NONE or
 * unmapped memory, and every read or write is first checked against
 * /proc/self/maps, so a runtime that gets a case wrong prints a wrong fact
 * instead of faulting (pagoda has no signals).
 *
 * Cases deliberately left out, because Linux itself answers differently by
 * version, architecture or configuration:
 *  - merges between VMAs that were written to through different mappings
 *    (distinct anon_vmas; pages moved by mremap keep their old vm_pgoff),
 *  - merges of read-only or PROT_NONE pieces of different origin: whether
 *    they carry VM_ACCOUNT changed (6.x drops it from unfaulted VMAs on
 *    mprotect, 5.10 does not), and MAP_NORESERVE next to a normal mapping
 *    (VM_NORESERVE depends on vm.overcommit_memory),
 *  - mremap growing up to an adjacent compatible VMA (6.x merges it, 5.10
 *    does not),
 *  - an unaligned mmap hint (x86-64 rounds it down, generic/riscv code up),
 *  - PROT_WRITE without PROT_READ (riscv changed this more than once),
 *  - MADV_RANDOM/MADV_SEQUENTIAL (they set VMA flags and split VMAs),
 *  - mapping at address 0 (depends on privileges and mmap_min_addr),
 *  - MREMAP_DONTUNMAP and multi-VMA mremap moves (recent, still changing).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_NORMAL
#define MADV_NORMAL 0
#endif

#define PG	   4096UL  /* both targets use 4 KiB pages */
#define RES_PAGES  16384UL /* the reservation: 64 MiB */
#define WIN_PAGES  32UL	   /* every test window */
#define WIN_STRIDE 128UL   /* windows start 128 pages apart */

#define RW (PROT_READ | PROT_WRITE)
#ifndef MADV_PAGEOUT
#define MADV_COLD    20 /* Linux 5.4; older headers lack them */
#define MADV_PAGEOUT 21
#endif
#define PA   (MAP_PRIVATE | MAP_ANONYMOUS)
#define HUGE ((size_t)1 << 62)

static char *res;	      /* base of the reservation */
static unsigned long win_idx; /* windows handed out so far */
static int nfacts;

/* ---- output ------------------------------------------------------------ */

static void out(const char *s, size_t n)
{
	while (n) {
		ssize_t r = write(1, s, n);
		if (r <= 0)
			return;
		s += r;
		n -= (size_t)r;
	}
}

static void fact(const char *area, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int pageout; /* argument "pageout": all pages out after each fact */
static void pageout_all(void);

static void fact(const char *area, const char *what, const char *fmt, ...)
{
	char line[2048];
	size_t n;
	va_list ap;

	n = (size_t)snprintf(line, sizeof(line), "%s: %s: ", area, what);
	va_start(ap, fmt);
	if (n < sizeof(line))
		n += (size_t)vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	out(line, n);
	nfacts++;
	if (pageout)
		pageout_all();
}

static const struct {
	int num;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" },
	{ EBADF, "EBADF" },	    { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },	    { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },	    { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },	    { ENODEV, "ENODEV" },
	{ EINVAL, "EINVAL" },	    { ENOSPC, "ENOSPC" },
	{ ERANGE, "ERANGE" },	    { ENOSYS, "ENOSYS" },
	{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
};

/* Result strings rotate through a few buffers: several fit in one fact. */
static char *rbuf(void)
{
	static char bufs[8][64];
	static unsigned next;

	return bufs[next++ % 8];
}

static const char *errname(int e)
{
	char *b;

	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].num == e)
			return errnames[i].name;
	b = rbuf();
	snprintf(b, 64, "errno %d", e);
	return b;
}

/* An int result; call it directly on the syscall so errno is fresh. */
static const char *ri(int r)
{
	int e = errno;
	char *b = rbuf();

	if (r == -1)
		snprintf(b, 64, "-1 %s", errname(e));
	else
		snprintf(b, 64, "%d", r);
	return b;
}

/* A pointer result (mmap, mremap) relative to the window w. */
static const char *rp(void *p, char *w)
{
	int e = errno;
	char *b = rbuf();
	uintptr_t a = (uintptr_t)p, lo = (uintptr_t)w;

	if (p == MAP_FAILED)
		snprintf(b, 64, "-1 %s", errname(e));
	else if (w && a >= lo && a < lo + WIN_PAGES * PG && (a - lo) % PG == 0)
		snprintf(b, 64, "+%lup", (unsigned long)((a - lo) / PG));
	else if (w && a >= lo && a < lo + WIN_PAGES * PG)
		snprintf(b, 64, "+%lu bytes", (unsigned long)(a - lo));
	else
		snprintf(b, 64, "outside window");
	return b;
}

static const char *yesno(int b)
{
	return b ? "yes" : "no";
}

/* ---- /proc/self/maps ----------------------------------------------------- */

static char mapsbuf[65536];
static size_t mapslen;

/* Read all of /proc/self/maps into mapsbuf; 0 when it cannot be read. */
static int maps_load(void)
{
	ssize_t r;
	int fd = open("/proc/self/maps", O_RDONLY);

	mapslen = 0;
	if (fd < 0)
		return 0;
	while (mapslen < sizeof(mapsbuf) - 1 &&
	       (r = read(fd, mapsbuf + mapslen,
			 sizeof(mapsbuf) - 1 - mapslen)) > 0)
		mapslen += (size_t)r;
	close(fd);
	mapsbuf[mapslen] = '\0';
	return 1;
}

static unsigned long hex(const char **pp)
{
	const char *p = *pp;
	unsigned long v = 0;

	for (;; p++) {
		if (*p >= '0' && *p <= '9')
			v = v * 16 + (unsigned long)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			v = v * 16 + (unsigned long)(*p - 'a' + 10);
		else
			break;
	}
	*pp = p;
	return v;
}

/*
 * The next line "start-end perms offset dev inode name" at *pp: only start,
 * end and the four perms characters are used. 0 at the end of the buffer.
 */
static int maps_next(const char **pp, unsigned long *start, unsigned long *stop,
		     char perms[5])
{
	const char *p = *pp, *end = mapsbuf + mapslen, *eol;

	if (p >= end)
		return 0;
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	*start = hex(&p);
	if (*p == '-')
		p++;
	*stop = hex(&p);
	if (*p == ' ')
		p++;
	memset(perms, '?', 4);
	for (int i = 0; i < 4 && p + i < eol; i++)
		perms[i] = p[i];
	perms[4] = '\0';
	*pp = eol + 1;
	return 1;
}

/*
 * Whether [p, p + n) is wholly mapped readable (and writable if asked):
 * checked before every access so that a wrong answer from the runtime under
 * test gives a wrong fact rather than a fault (pagoda has no signals).
 */
static int accessible(const void *p, size_t n, int write)
{
	unsigned long cur = (uintptr_t)p, hi = cur + n, start, stop;
	const char *q = mapsbuf;
	char perms[5];

	if (!maps_load())
		return 0;
	while (cur < hi && maps_next(&q, &start, &stop, perms)) {
		if (stop <= cur)
			continue;
		if (start > cur || perms[0] != 'r' ||
		    (write && perms[1] != 'w'))
			return 0;
		cur = stop;
	}
	return cur >= hi;
}

/* The VMAs meeting [w, w + npages), clipped to it: "+0 rw-p 2p, +3 ---p 1p". */
static const char *maps_range(const char *w, unsigned long npages)
{
	static char s[1024];
	unsigned long lo = (uintptr_t)w, hi = lo + npages * PG, start, stop;
	const char *q = mapsbuf;
	char perms[5];
	size_t len = 0;

	if (!maps_load())
		return "maps unreadable";
	while (maps_next(&q, &start, &stop, perms)) {
		if (stop <= lo || start >= hi || len >= sizeof(s) - 64)
			continue;
		if (start < lo)
			start = lo;
		if (stop > hi)
			stop = hi;
		len += (size_t)snprintf(s + len, sizeof(s) - len,
					"%s+%lu %s %lup", len ? ", " : "",
					(start - lo) / PG, perms,
					(stop - start) / PG);
	}
	return len ? s : "none";
}

/* ---- memory --------------------------------------------------------------- */

/* Fill [p, p + n) with c, if it is mapped writable. */
static void fill(void *p, size_t n, int c)
{
	volatile unsigned char *q = p;

	if (!accessible(p, n, 1))
		return;
	for (size_t i = 0; i < n; i++)
		q[i] = (unsigned char)c;
}

/* Whether [p, p + n) is mapped readable and every byte is c. */
static int all(const void *p, size_t n, int c)
{
	const volatile unsigned char *q = p;

	if (!accessible(p, n, 0))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (q[i] != (unsigned char)c)
			return 0;
	return 1;
}

static const char *maps(const char *w)
{
	return maps_range(w, WIN_PAGES);
}

/* ---- windows ------------------------------------------------------------- */

/* A fresh hole of WIN_PAGES inside the reservation. */
static char *win_open(void)
{
	char *w;

	if (++win_idx >= RES_PAGES / WIN_STRIDE)
		win_idx = 1; /* not reached: tests < 127 */
	w = res + win_idx * WIN_STRIDE * PG;
	munmap(w, WIN_PAGES * PG);
	return w;
}

/* Give the window back to the reservation. */
static void win_close(char *w)
{
	mmap(w, WIN_PAGES * PG, PROT_NONE, PA | MAP_NORESERVE | MAP_FIXED, -1,
	     0);
}

/* A MAP_FIXED test mapping of np pages at page off of w; NULL on failure. */
static char *map_at(char *w, unsigned long off, unsigned long np, int prot)
{
	void *p = mmap(w + off * PG, np * PG, prot, PA | MAP_FIXED, -1, 0);

	if (p == MAP_FAILED) {
		fact("setup", "MAP_FIXED test mapping", "%s", rp(p, w));
		return NULL;
	}
	return p;
}

#define MAP(w, off, np, prot)                  \
	do {                                   \
		if (!map_at(w, off, np, prot)) \
			goto done;             \
	} while (0)

#define P(w, n) ((w) + (n)*PG)

/* ---- mmap ----------------------------------------------------------------- */

static void t_mmap_errors(void)
{
	char *w = win_open();

	fact("mmap", "len=0", "%s", rp(mmap(NULL, 0, RW, PA, -1, 0), w));
	fact("mmap", "len=1<<62", "%s", rp(mmap(NULL, HUGE, RW, PA, -1, 0), w));
	fact("mmap", "len=SIZE_MAX", "%s",
	     rp(mmap(NULL, SIZE_MAX, RW, PA, -1, 0), w));
	fact("mmap", "MAP_FIXED unaligned addr", "%s",
	     rp(mmap(w + 1, PG, RW, PA | MAP_FIXED, -1, 0), w));
	fact("mmap", "MAP_FIXED_NOREPLACE unaligned addr", "%s",
	     rp(mmap(w + 1, PG, RW, PA | MAP_FIXED_NOREPLACE, -1, 0), w));
	fact("mmap", "neither MAP_PRIVATE nor MAP_SHARED", "%s",
	     rp(mmap(w, PG, RW, MAP_ANONYMOUS, -1, 0), w));
	fact("mmap", "anonymous offset=1", "%s",
	     rp(mmap(w, PG, RW, PA | MAP_FIXED, -1, 1), w));
	fact("mmap", "after the errors", "%s", maps(w));
	win_close(w);
}

static void t_mmap_hint(void)
{
	char *w = win_open();
	void *p;

	p = mmap(P(w, 4), 2 * PG, RW, PA, -1, 0);
	fact("mmap", "hint on a free range", "%s", rp(p, w));
	if (p != MAP_FAILED) {
		fact("mmap", "new memory reads zero", "%s",
		     yesno(all(p, 2 * PG, 0)));
		fill(p, 2 * PG, 0xa5);
		fact("mmap", "new memory writable", "%s",
		     yesno(all(p, 2 * PG, 0xa5)));
	}
	fact("mmap", "hint maps", "%s", maps(w));
	win_close(w);

	w = win_open();
	MAP(w, 0, WIN_PAGES, RW); /* no free page in the window */
	p = mmap(P(w, 4), PG, RW, PA, -1, 0);
	fact("mmap", "hint on a taken range", "%s", rp(p, w));
	if (p != MAP_FAILED && ((char *)p < w || (char *)p >= P(w, WIN_PAGES)))
		munmap(p, PG);
	fact("mmap", "hint on a taken range maps", "%s", maps(w));
done:
	win_close(w);
}

static void t_mmap_fixed(void)
{
	char *w = win_open();
	void *p;

	MAP(w, 0, 3, RW);
	fill(w, 3 * PG, 0xaa);
	p = mmap(P(w, 1), PG, PROT_READ, PA | MAP_FIXED, -1, 0);
	fact("mmap", "MAP_FIXED r-- over middle of rw", "%s", rp(p, w));
	fact("mmap", "MAP_FIXED r-- over middle maps", "%s", maps(w));
	if (p != MAP_FAILED)
		fact("mmap", "MAP_FIXED replaced page reads zero", "%s",
		     yesno(all(P(w, 1), PG, 0)));
	fact("mmap", "MAP_FIXED neighbours intact", "%s",
	     yesno(all(w, PG, 0xaa) && all(P(w, 2), PG, 0xaa)));
	fact("mmap", "mprotect replaced page back to rw", "%s",
	     ri(mprotect(P(w, 1), PG, RW)));
	fact("mmap", "mprotect replaced page back to rw maps", "%s", maps(w));

	fill(w, 3 * PG, 0xbb);
	p = mmap(P(w, 1), PG, RW, PA | MAP_FIXED, -1, 0);
	fact("mmap", "MAP_FIXED rw over middle of rw", "%s", rp(p, w));
	fact("mmap", "MAP_FIXED rw over middle of rw maps", "%s", maps(w));
	fact("mmap", "MAP_FIXED rw replaced page reads zero", "%s",
	     yesno(all(P(w, 1), PG, 0)));
	fact("mmap", "MAP_FIXED rw neighbours intact", "%s",
	     yesno(all(w, PG, 0xbb) && all(P(w, 2), PG, 0xbb)));
done:
	win_close(w);
}

static void t_mmap_noreplace(void)
{
	char *w = win_open();

	MAP(w, 0, 2, RW);
	fact("mmap", "MAP_FIXED_NOREPLACE onto a mapping", "%s",
	     rp(mmap(w, 2 * PG, RW, PA | MAP_FIXED_NOREPLACE, -1, 0), w));
	fact("mmap", "MAP_FIXED_NOREPLACE overlapping a mapping's end", "%s",
	     rp(mmap(P(w, 1), 2 * PG, RW, PA | MAP_FIXED_NOREPLACE, -1, 0), w));
	fact("mmap", "MAP_FIXED_NOREPLACE onto the PROT_NONE reservation", "%s",
	     rp(mmap(P(w, WIN_PAGES), PG, RW, PA | MAP_FIXED_NOREPLACE, -1, 0),
		w));
	fact("mmap", "MAP_FIXED_NOREPLACE onto a free range", "%s",
	     rp(mmap(P(w, 4), PG, RW, PA | MAP_FIXED_NOREPLACE, -1, 0), w));
	fact("mmap", "MAP_FIXED_NOREPLACE maps", "%s", maps(w));
done:
	win_close(w);
}

static void t_mmap_kinds(void)
{
	char *w = win_open();
	void *p;

	MAP(w, 0, 1, PROT_NONE);
	MAP(w, 2, 1, PROT_READ);
	MAP(w, 4, 1, PROT_READ | PROT_EXEC);
	MAP(w, 6, 1, RW);
	fact("mmap", "protections maps", "%s", maps(w));
	fact("mmap", "PROT_READ mapping reads zero", "%s",
	     yesno(all(P(w, 2), PG, 0)));

	p = mmap(P(w, 8), 2 * PG, RW, PA | MAP_FIXED | MAP_POPULATE, -1, 0);
	fact("mmap", "MAP_POPULATE", "%s", rp(p, w));
	if (p != MAP_FAILED)
		fact("mmap", "MAP_POPULATE reads zero", "%s",
		     yesno(all(p, 2 * PG, 0)));
	p = mmap(P(w, 12), 2 * PG, RW, PA | MAP_FIXED | MAP_NORESERVE, -1, 0);
	fact("mmap", "MAP_NORESERVE", "%s", rp(p, w));
	if (p != MAP_FAILED) {
		fill(p, 2 * PG, 0x3c);
		fact("mmap", "MAP_NORESERVE writable", "%s",
		     yesno(all(p, 2 * PG, 0x3c)));
	}
	fact("mmap", "all kinds maps", "%s", maps(w));
done:
	win_close(w);
}

static void t_mmap_len(void)
{
	char *w = win_open();
	void *p;

	p = mmap(w, PG + 1, RW, PA | MAP_FIXED, -1, 0);
	fact("mmap", "len=1 page + 1 byte", "%s", rp(p, w));
	fact("mmap", "len=1 page + 1 byte maps", "%s", maps(w));
	if (p != MAP_FAILED) {
		fill(w + 2 * PG - 1, 1, 0x42);
		fact("mmap", "last byte of the rounded-up page writable", "%s",
		     yesno(all(w + 2 * PG - 1, 1, 0x42)));
	}
	fact("mmap", "munmap len=1 page + 1 byte", "%s", ri(munmap(w, PG + 1)));
	fact("mmap", "munmap len=1 page + 1 byte maps", "%s", maps(w));
	win_close(w);
}

static void t_mmap_merge(void)
{
	char *w = win_open();

	MAP(w, 0, 2, RW);
	fill(w, 2 * PG, 0x01);
	MAP(w, 2, 1, RW);
	fact("mmap", "rw after written rw merges", "%s", maps(w));
	MAP(w, 3, 1, PROT_READ);
	fact("mmap", "r-- after rw stays apart", "%s", maps(w));
	MAP(w, 8, 2, RW);
	MAP(w, 7, 1, RW);
	fact("mmap", "rw before rw merges", "%s", maps(w));
	MAP(w, 12, 1, RW);
	MAP(w, 14, 1, RW);
	MAP(w, 13, 1, RW);
	fact("mmap", "rw filling a hole between rw merges all three", "%s",
	     maps(w));
	fact("mmap", "merge contents intact", "%s",
	     yesno(all(w, 2 * PG, 0x01)));
done:
	win_close(w);
}

/* ---- munmap ----------------------------------------------------------------- */

static void t_munmap(void)
{
	char *w = win_open();
	int ok;

	MAP(w, 0, 4, RW);
	fact("munmap", "unaligned addr", "%s", ri(munmap(w + 1, PG)));
	fact("munmap", "len=0", "%s", ri(munmap(w, 0)));
	fact("munmap", "len=1<<62", "%s", ri(munmap(w, HUGE)));
	fact("munmap", "unmapped range", "%s", ri(munmap(P(w, 8), 4 * PG)));
	fact("munmap", "after the errors", "%s", maps(w));
	fact("munmap", "len=1 page + 1 byte", "%s", ri(munmap(w, PG + 1)));
	fact("munmap", "len=1 page + 1 byte maps", "%s", maps(w));
	win_close(w);

	w = win_open();
	MAP(w, 0, 6, RW);
	for (unsigned long i = 0; i < 6; i++)
		fill(P(w, i), PG, 0x10 + (int)i);
	fact("munmap", "head page", "%s", ri(munmap(w, PG)));
	fact("munmap", "head page maps", "%s", maps(w));
	fact("munmap", "tail page", "%s", ri(munmap(P(w, 5), PG)));
	fact("munmap", "tail page maps", "%s", maps(w));
	fact("munmap", "middle page", "%s", ri(munmap(P(w, 3), PG)));
	fact("munmap", "middle page maps", "%s", maps(w));
	ok = all(P(w, 1), PG, 0x11) && all(P(w, 2), PG, 0x12) &&
	     all(P(w, 4), PG, 0x14);
	fact("munmap", "remaining pages intact", "%s", yesno(ok));
	win_close(w);

	w = win_open();
	MAP(w, 0, 3, RW);
	MAP(w, 3, 3, PROT_READ);
	fact("munmap", "tail of one VMA and head of the next", "%s",
	     ri(munmap(P(w, 2), 2 * PG)));
	fact("munmap", "tail of one VMA and head of the next maps", "%s",
	     maps(w));
	MAP(w, 8, 2, RW);
	MAP(w, 11, 1, PROT_READ);
	MAP(w, 14, 2, RW);
	MAP(w, 17, 1, PROT_NONE);
	fact("munmap", "several VMAs with holes", "%s", ri(munmap(w, 20 * PG)));
	fact("munmap", "several VMAs with holes maps", "%s", maps(w));
done:
	win_close(w);
}

/* ---- mprotect --------------------------------------------------------------- */

static void t_mprotect(void)
{
	char *w = win_open();
	int ok;

	MAP(w, 0, 2, RW);
	fact("mprotect", "unaligned addr", "%s",
	     ri(mprotect(w + 1, PG, PROT_READ)));
	fact("mprotect", "prot=0x100", "%s", ri(mprotect(w, PG, 0x100)));
	fact("mprotect", "len=0", "%s", ri(mprotect(w, 0, PROT_READ)));
	fact("mprotect", "len=SIZE_MAX", "%s",
	     ri(mprotect(w, SIZE_MAX, PROT_READ)));
	fact("mprotect", "unmapped range", "%s",
	     ri(mprotect(P(w, 8), PG, PROT_READ)));
	fact("mprotect", "after the errors", "%s", maps(w));
	win_close(w);

	w = win_open();
	MAP(w, 0, 3, RW);
	for (unsigned long i = 0; i < 3; i++)
		fill(P(w, i), PG, 0x20 + (int)i);
	fact("mprotect", "middle page r--", "%s",
	     ri(mprotect(P(w, 1), PG, PROT_READ)));
	fact("mprotect", "middle page r-- maps", "%s", maps(w));
	fact("mprotect", "r-- page readable and intact", "%s",
	     yesno(all(P(w, 1), PG, 0x21)));
	fact("mprotect", "middle page back to rw", "%s",
	     ri(mprotect(P(w, 1), PG, RW)));
	fact("mprotect", "middle page back to rw maps", "%s", maps(w));
	fact("mprotect", "head page r--", "%s", ri(mprotect(w, PG, PROT_READ)));
	fact("mprotect", "tail page r--", "%s",
	     ri(mprotect(P(w, 2), PG, PROT_READ)));
	fact("mprotect", "head and tail r-- maps", "%s", maps(w));
	fact("mprotect", "all three back to rw", "%s",
	     ri(mprotect(w, 3 * PG, RW)));
	fact("mprotect", "all three back to rw maps", "%s", maps(w));
	fact("mprotect", "len=1 page + 1 byte r--", "%s",
	     ri(mprotect(w, PG + 1, PROT_READ)));
	fact("mprotect", "len=1 page + 1 byte r-- maps", "%s", maps(w));
	ok = all(w, PG, 0x20) && all(P(w, 1), PG, 0x21) &&
	     all(P(w, 2), PG, 0x22);
	fact("mprotect", "contents intact throughout", "%s", yesno(ok));
	win_close(w);

	w = win_open();
	MAP(w, 0, 2, RW);
	fill(w, 2 * PG, 0x5a);
	fact("mprotect", "rw to PROT_NONE", "%s",
	     ri(mprotect(w, 2 * PG, PROT_NONE)));
	fact("mprotect", "rw to PROT_NONE maps", "%s", maps(w));
	fact("mprotect", "PROT_NONE back to rw", "%s",
	     ri(mprotect(w, 2 * PG, RW)));
	fact("mprotect", "contents survive PROT_NONE", "%s",
	     yesno(all(w, 2 * PG, 0x5a)));
	MAP(w, 4, 1, RW);
	MAP(w, 5, 1, PROT_READ);
	fact("mprotect", "rw + adjacent r-- to rw", "%s",
	     ri(mprotect(P(w, 4), 2 * PG, RW)));
	fact("mprotect", "rw + adjacent r-- to rw maps", "%s", maps(w));
	win_close(w);

	w = win_open();
	MAP(w, 0, 2, RW);
	MAP(w, 3, 1, RW);
	fact("mprotect", "range starting in a hole", "%s",
	     ri(mprotect(P(w, 2), 2 * PG, PROT_READ)));
	fact("mprotect", "range starting in a hole maps", "%s", maps(w));
	fact("mprotect", "range with a hole in the middle", "%s",
	     ri(mprotect(w, 4 * PG, PROT_READ)));
	fact("mprotect", "range with a hole in the middle maps", "%s", maps(w));
	fact("mprotect", "range running past the last VMA", "%s",
	     ri(mprotect(P(w, 3), 2 * PG, PROT_READ)));
	fact("mprotect", "range running past the last VMA maps", "%s", maps(w));
done:
	win_close(w);
}

/* ---- mremap ----------------------------------------------------------------- */

static void t_mremap_errors(void)
{
	char *w = win_open();

	MAP(w, 0, 2, RW);
	MAP(w, 2, 1, PROT_READ);
	fact("mremap", "unaligned old addr", "%s",
	     rp(mremap(w + 1, PG, 2 * PG, 0), w));
	fact("mremap", "new_size=0", "%s", rp(mremap(w, 2 * PG, 0, 0), w));
	fact("mremap", "old_size=0 on a private mapping", "%s",
	     rp(mremap(w, 0, PG, MREMAP_MAYMOVE), w));
	fact("mremap", "flags=0x100", "%s",
	     rp(mremap(w, 2 * PG, 2 * PG, 0x100), w));
	fact("mremap", "MREMAP_FIXED without MREMAP_MAYMOVE", "%s",
	     rp(mremap(w, 2 * PG, 2 * PG, MREMAP_FIXED, P(w, 8)), w));
	fact("mremap", "MREMAP_FIXED unaligned new addr", "%s",
	     rp(mremap(w, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		       P(w, 8) + 1),
		w));
	fact("mremap", "MREMAP_FIXED overlapping old range", "%s",
	     rp(mremap(w, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		       P(w, 1)),
		w));
	fact("mremap", "unmapped old range", "%s",
	     rp(mremap(P(w, 8), PG, 2 * PG, 0), w));
	fact("mremap", "old range spanning two VMAs", "%s",
	     rp(mremap(w, 3 * PG, 4 * PG, 0), w));
	fact("mremap", "same size", "%s", rp(mremap(w, 2 * PG, 2 * PG, 0), w));
	fact("mremap", "after the errors", "%s", maps(w));
done:
	win_close(w);
}

static void t_mremap_grow(void)
{
	char *w = win_open();
	void *q;

	MAP(w, 0, 2, RW);
	fill(w, 2 * PG, 0x11);
	fact("mremap", "grow in place into a free range", "%s",
	     rp(mremap(w, 2 * PG, 4 * PG, 0), w));
	fact("mremap", "grow in place maps", "%s", maps(w));
	fact("mremap", "grow in place keeps contents", "%s",
	     yesno(all(w, 2 * PG, 0x11)));
	fact("mremap", "grow in place new part reads zero", "%s",
	     yesno(all(P(w, 2), 2 * PG, 0)));
	fact("mremap", "grow with MREMAP_MAYMOVE into a free range", "%s",
	     rp(mremap(w, 4 * PG, 6 * PG, MREMAP_MAYMOVE), w));
	fact("mremap", "grow to 6 pages + 1 byte", "%s",
	     rp(mremap(w, 6 * PG, 6 * PG + 1, 0), w));
	fact("mremap", "grow to 6 pages + 1 byte maps", "%s", maps(w));
	win_close(w);

	w = win_open();
	MAP(w, 0, 2, RW);
	fill(w, 2 * PG, 0x22);
	MAP(w, 2, WIN_PAGES - 2,
	    PROT_READ); /* no room anywhere in the window */
	fact("mremap", "grow when blocked", "%s",
	     rp(mremap(w, 2 * PG, 4 * PG, 0), w));
	fact("mremap", "grow when blocked maps", "%s", maps(w));
	q = mremap(w, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	fact("mremap", "grow when blocked with MREMAP_MAYMOVE", "%s", rp(q, w));
	fact("mremap", "grow when blocked with MREMAP_MAYMOVE maps", "%s",
	     maps(w));
	if (q != MAP_FAILED && (char *)q != w) {
		fact("mremap", "moved contents intact", "%s",
		     yesno(all(q, 2 * PG, 0x22)));
		fact("mremap", "moved new part reads zero", "%s",
		     yesno(all((char *)q + 2 * PG, 2 * PG, 0)));
		fact("mremap", "moved mapping", "%s", maps_range(q, 4));
		munmap(q, 4 * PG);
	}
done:
	win_close(w);
}

static void t_mremap_shrink(void)
{
	char *w = win_open();
	void *q;

	MAP(w, 0, 4, RW);
	fill(w, 4 * PG, 0x44);
	fact("mremap", "shrink 4 pages to 1", "%s",
	     rp(mremap(w, 4 * PG, PG, 0), w));
	fact("mremap", "shrink 4 pages to 1 maps", "%s", maps(w));
	fact("mremap", "shrink keeps contents", "%s", yesno(all(w, PG, 0x44)));

	MAP(w, 8, 4, RW);
	fill(P(w, 8), 4 * PG, 0x48);
	fact("mremap", "shrink the head of a VMA", "%s",
	     rp(mremap(P(w, 8), 2 * PG, PG, 0), w));
	fact("mremap", "shrink the head of a VMA maps", "%s", maps(w));
	fact("mremap", "grow a part not at a VMA end", "%s",
	     rp(mremap(P(w, 10), PG, 2 * PG, 0), w));
	/* Where a moved mapping lands depends on the whole address space
	 * (Linux: the highest gap below mmap_base), so only "moved" is a fact;
	 * it is unmapped before the window is listed. */
	q = mremap(P(w, 10), PG, 2 * PG, MREMAP_MAYMOVE);
	fact("mremap", "grow a part not at a VMA end with MREMAP_MAYMOVE", "%s",
	     q == MAP_FAILED	     ? rp(q, w)
	     : (char *)q == P(w, 10) ? "in place"
				     : "moved");
	if (q != MAP_FAILED && (char *)q != P(w, 10)) {
		fact("mremap", "moved part intact", "%s",
		     yesno(all(q, PG, 0x48)));
		munmap(q, 2 * PG);
	}
	fact("mremap", "grow a part not at a VMA end with MREMAP_MAYMOVE maps",
	     "%s", maps(w));
done:
	win_close(w);
}

static void t_mremap_fixed(void)
{
	char *w = win_open();
	void *q;

	MAP(w, 0, 2, RW);
	fill(w, 2 * PG, 0x33);
	q = mremap(w, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, P(w, 8));
	fact("mremap", "MREMAP_FIXED to a free range, growing", "%s", rp(q, w));
	fact("mremap", "MREMAP_FIXED to a free range maps", "%s", maps(w));
	if (q != MAP_FAILED) {
		fact("mremap", "MREMAP_FIXED contents intact", "%s",
		     yesno(all(q, 2 * PG, 0x33)));
		fact("mremap", "MREMAP_FIXED new part reads zero", "%s",
		     yesno(all((char *)q + 2 * PG, PG, 0)));
	}
	MAP(w, 16, 4, PROT_READ);
	q = mremap(P(w, 8), 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		   P(w, 16));
	fact("mremap", "MREMAP_FIXED onto a mapping", "%s", rp(q, w));
	fact("mremap", "MREMAP_FIXED onto a mapping maps", "%s", maps(w));
	if (q != MAP_FAILED)
		fact("mremap", "MREMAP_FIXED onto a mapping contents intact",
		     "%s", yesno(all(q, 2 * PG, 0x33)));
done:
	win_close(w);
}

/* ---- madvise ---------------------------------------------------------------- */

static void t_madvise(void)
{
	char *w = win_open();

	MAP(w, 0, 4, RW);
	fill(w, 4 * PG, 0x77);
	fact("madvise", "MADV_DONTNEED first 2 pages", "%s",
	     ri(madvise(w, 2 * PG, MADV_DONTNEED)));
	fact("madvise", "MADV_DONTNEED pages read zero", "%s",
	     yesno(all(w, 2 * PG, 0)));
	fact("madvise", "MADV_DONTNEED other pages intact", "%s",
	     yesno(all(P(w, 2), 2 * PG, 0x77)));
	fact("madvise", "MADV_FREE", "%s", ri(madvise(P(w, 2), PG, MADV_FREE)));
	fill(P(w, 2), PG, 0x42);
	fact("madvise", "writes after MADV_FREE stick", "%s",
	     yesno(all(P(w, 2), PG, 0x42)));
	fact("madvise", "MADV_WILLNEED", "%s",
	     ri(madvise(w, 4 * PG, MADV_WILLNEED)));
	fact("madvise", "MADV_NORMAL", "%s",
	     ri(madvise(w, 4 * PG, MADV_NORMAL)));
	fact("madvise", "advice=12345", "%s", ri(madvise(w, 4 * PG, 12345)));
	fact("madvise", "unaligned addr", "%s",
	     ri(madvise(w + 1, PG, MADV_DONTNEED)));
	fact("madvise", "len=0", "%s", ri(madvise(w, 0, MADV_DONTNEED)));
	fact("madvise", "len=SIZE_MAX", "%s",
	     ri(madvise(w, SIZE_MAX, MADV_DONTNEED)));
	fact("madvise", "MADV_DONTNEED unmapped range", "%s",
	     ri(madvise(P(w, 8), 2 * PG, MADV_DONTNEED)));
	fact("madvise", "MADV_FREE unmapped range", "%s",
	     ri(madvise(P(w, 8), 2 * PG, MADV_FREE)));
	fact("madvise", "MADV_WILLNEED unmapped range", "%s",
	     ri(madvise(P(w, 8), 2 * PG, MADV_WILLNEED)));
	fact("madvise", "VMAs unchanged", "%s", maps(w));
	fact("madvise", "last page intact", "%s",
	     yesno(all(P(w, 3), PG, 0x77)));
	win_close(w);

	w = win_open();
	MAP(w, 0, 1, RW);
	MAP(w, 2, 1, RW);
	fill(w, PG, 0x12);
	fill(P(w, 2), PG, 0x34);
	fact("madvise", "MADV_DONTNEED range with a hole in the middle", "%s",
	     ri(madvise(w, 3 * PG, MADV_DONTNEED)));
	fact("madvise", "page before the hole zeroed", "%s",
	     yesno(all(w, PG, 0)));
	fact("madvise", "page after the hole zeroed", "%s",
	     yesno(all(P(w, 2), PG, 0)));
	fill(P(w, 2), PG, 0x56);
	fact("madvise", "MADV_DONTNEED range starting in a hole", "%s",
	     ri(madvise(P(w, 1), 2 * PG, MADV_DONTNEED)));
	fact("madvise", "page after the leading hole zeroed", "%s",
	     yesno(all(P(w, 2), PG, 0)));
	MAP(w, 4, 1, PROT_NONE);
	MAP(w, 6, 1, PROT_READ);
	fact("madvise", "MADV_DONTNEED on PROT_NONE", "%s",
	     ri(madvise(P(w, 4), PG, MADV_DONTNEED)));
	fact("madvise", "MADV_DONTNEED on r--", "%s",
	     ri(madvise(P(w, 6), PG, MADV_DONTNEED)));
	fact("madvise", "hole and prot cases maps", "%s", maps(w));
done:
	win_close(w);
}

/* ---- mlock, MADV_PAGEOUT, MADV_COLD ------------------------------------------ */

/* VmLck of /proc/self/status in kB, -1 if unreadable. Its own buffer. */
static long vmlck_kb(void)
{
	static char buf[4096];
	ssize_t n = 0, r;
	const char *p;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return -1;
	while (n < (ssize_t)sizeof(buf) - 1 &&
	       (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

static void t_mlock(void)
{
	long lck0 = vmlck_kb();
	char *w = win_open();

	MAP(w, 0, 4, RW);
	fill(w, 4 * PG, 0x5a);
	fact("mlock", "mlock first 2 of 4 pages", "%s", ri(mlock(w, 2 * PG)));
	fact("mlock", "VmLck after", "+%ld kB", vmlck_kb() - lck0);
	fact("mlock", "the locked part is a VMA of its own", "%s", maps(w));
	fact("mlock", "mlock again (already locked)", "%s",
	     ri(mlock(w, 2 * PG)));
	fact("mlock", "MADV_DONTNEED on locked pages", "%s",
	     ri(madvise(w, PG, MADV_DONTNEED)));
	fact("mlock", "MADV_PAGEOUT on locked pages", "%s",
	     ri(madvise(w, 2 * PG, MADV_PAGEOUT)));
	fact("mlock", "MADV_COLD on locked pages", "%s",
	     ri(madvise(w, 2 * PG, MADV_COLD)));
	fact("mlock", "locked pages intact", "%s", yesno(all(w, 2 * PG, 0x5a)));
	fact("mlock", "mlock with an unaligned start", "%s",
	     ri(mlock(P(w, 2) + 100, 10)));
	fact("mlock", "VmLck after the unaligned one", "+%ld kB",
	     vmlck_kb() - lck0);
	fact("mlock", "mlock2 MLOCK_ONFAULT on the last page", "%s",
	     ri(mlock2(P(w, 3), PG, MLOCK_ONFAULT)));
	fact("mlock", "mlock2 flags=2", "%s", ri(mlock2(w, PG, 2)));
	fact("mlock", "mlock unmapped range", "%s", ri(mlock(P(w, 8), PG)));
	fact("mlock", "mlock range running into a hole", "%s",
	     ri(mlock(P(w, 3), 2 * PG)));
	fact("mlock", "VmLck with all 4 locked", "+%ld kB", vmlck_kb() - lck0);
	fact("mlock", "munlock all 4", "%s", ri(munlock(w, 4 * PG)));
	fact("mlock", "VmLck after munlock", "+%ld kB", vmlck_kb() - lck0);
	fact("mlock", "munlocked VMAs merge back", "%s", maps(w));
	fact("mlock", "munlock unmapped range", "%s", ri(munlock(P(w, 8), PG)));
	fact("mlock", "mlockall(0)", "%s", ri(mlockall(0)));
	fact("mlock", "mlockall(MCL_ONFAULT) alone", "%s",
	     ri(mlockall(MCL_ONFAULT)));
	fact("mlock", "munlockall", "%s", ri(munlockall()));

	fact("madvise", "MADV_PAGEOUT", "%s",
	     ri(madvise(w, 4 * PG, MADV_PAGEOUT)));
	fact("madvise", "pages intact after MADV_PAGEOUT", "%s",
	     yesno(all(w, 4 * PG, 0x5a)));
	fact("madvise", "MADV_COLD", "%s", ri(madvise(w, 4 * PG, MADV_COLD)));
	fact("madvise", "pages intact after MADV_COLD", "%s",
	     yesno(all(w, 4 * PG, 0x5a)));
	fact("madvise", "MADV_PAGEOUT unmapped range", "%s",
	     ri(madvise(P(w, 8), PG, MADV_PAGEOUT)));
	MAP(w, 5, 1, PROT_NONE);
	fact("madvise", "MADV_PAGEOUT on PROT_NONE", "%s",
	     ri(madvise(P(w, 5), PG, MADV_PAGEOUT)));
	fact("madvise", "MADV_PAGEOUT and MADV_COLD maps", "%s", maps(w));
done:
	win_close(w);
}

/* ---- brk / sbrk ------------------------------------------------------------- */

static void t_brk(void)
{
	char *b0, *b1, *a, *p, *cur;
	int rc, zero, kept;
	uintptr_t pad;

	b0 = sbrk(0);
	b1 = sbrk(0);
	fact("brk", "sbrk(0) twice", "%s", b0 == b1 ? "same" : "different");
	if (b0 == (char *)-1)
		return;
	pad = (PG - (uintptr_t)b0 % PG) % PG; /* start on a page boundary */
	if (pad && sbrk((intptr_t)pad) == (void *)-1) {
		fact("brk", "page-align the break", "%s", ri(-1));
		return;
	}
	a = sbrk(0);

	p = sbrk(3 * PG);
	fact("brk", "sbrk(+3p)", "%s", p == (void *)-1 ? ri(-1) : "ok");
	if (p == (void *)-1)
		goto restore;
	cur = sbrk(0);
	fact("brk", "sbrk(+3p) returns the old break", "%s", yesno(p == a));
	fact("brk", "break after sbrk(+3p)", "old+%ld bytes", (long)(cur - a));
	fact("brk", "sbrk(+3p) memory reads zero", "%s",
	     yesno(all(a, 3 * PG, 0)));
	fill(a, 3 * PG, 0x99);
	fact("brk", "sbrk(+3p) memory writable", "%s",
	     yesno(all(a, 3 * PG, 0x99)));
	fact("brk", "sbrk(+3p) maps", "%s", maps_range(a, 4));

	p = sbrk(-(intptr_t)(2 * PG));
	cur = sbrk(0);
	fact("brk", "sbrk(-2p) returns the old break", "%s",
	     yesno(p == a + 3 * PG));
	fact("brk", "break after sbrk(-2p)", "old+%ld bytes", (long)(cur - a));
	fact("brk", "sbrk(-2p) maps", "%s", maps_range(a, 4));

	p = sbrk(2 * PG);
	zero = p != (void *)-1 && all(a + PG, 2 * PG, 0);
	kept = all(a, PG, 0x99);
	fact("brk", "regrown memory reads zero", "%s", yesno(zero));
	fact("brk", "page below the shrink kept", "%s", yesno(kept));

	cur = sbrk(0);
	fact("brk", "brk(current break)", "%s", ri(brk(cur)));
	rc = brk(a + 3 * PG + 100);
	cur = sbrk(0);
	fact("brk", "brk(old+3p+100)", "%s", ri(rc));
	fact("brk", "break after brk(old+3p+100)", "old+%ld bytes",
	     (long)(cur - a));
	fact("brk", "brk(old+3p+100) maps", "%s", maps_range(a, 5));
	fill(a + 3 * PG + 99, 1, 7);
	fact("brk", "byte below an unaligned break writable", "%s",
	     yesno(all(a + 3 * PG + 99, 1, 7)));

	p = sbrk((intptr_t)HUGE);
	rc = p == (void *)-1 ? -1 : 0;
	fact("brk", "sbrk(+1<<62)", "%s", ri(rc));
	fact("brk", "break after sbrk(+1<<62) unchanged", "%s",
	     yesno(sbrk(0) == cur));
	rc = brk((void *)((uintptr_t)1 << 62));
	fact("brk", "brk(1<<62)", "%s", ri(rc));
	fact("brk", "break after brk(1<<62) unchanged", "%s",
	     yesno(sbrk(0) == cur));
restore:
	fact("brk", "brk(back to the aligned start)", "%s", ri(brk(a)));
	fact("brk", "back to the aligned start maps", "%s", maps_range(a, 5));
	brk(b0);
}

/* ---- pageout: every fact with the app's pages on disk ---------------------- */

/* pageout (argument "pageout"): MADV_PAGEOUT after each fact */

/*
 * Ask the kernel to write every private readable mapping out now, so the
 * next access reads it back from swap (pagoda's swap tests run the facts
 * so; Linux without swap leaves the pages where they are). Its own buffer:
 * a fact's arguments may point into mapsbuf.
 */
static void pageout_all(void)
{
	static char buf[65536];
	size_t len = 0;
	ssize_t r;
	int fd = open("/proc/self/maps", O_RDONLY);

	if (fd < 0)
		return;
	while (len < sizeof(buf) - 1 &&
	       (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	for (const char *p = buf; *p;) {
		unsigned long start = hex(&p), stop;

		p += *p == '-';
		stop = hex(&p);
		p += *p == ' ';
		if (p[0] == 'r' && p[3] == 'p' && stop > start)
			(void)madvise((void *)start, stop - start,
				      MADV_PAGEOUT);
		while (*p && *p++ != '\n')
			;
	}
}

/* ---- main ------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	char line[64];
	int n;

	pageout = argc > 1 && !strcmp(argv[1], "pageout");

	res = mmap(NULL, RES_PAGES * PG, PROT_NONE, PA | MAP_NORESERVE, -1, 0);
	fact("setup", "reserve 64 MiB PROT_NONE", "%s",
	     res == MAP_FAILED ? rp(res, NULL) : "ok");
	if (res != MAP_FAILED) {
		fact("setup", "reservation maps", "%s",
		     maps_range(res, RES_PAGES));
		t_mmap_errors();
		t_mmap_hint();
		t_mmap_fixed();
		t_mmap_noreplace();
		t_mmap_kinds();
		t_mmap_len();
		t_mmap_merge();
		t_munmap();
		t_mprotect();
		t_mremap_errors();
		t_mremap_grow();
		t_mremap_shrink();
		t_mremap_fixed();
		t_madvise();
		t_mlock();
		fact("setup", "reservation maps at the end", "%s",
		     maps_range(res, RES_PAGES));
	}
	t_brk();

	n = snprintf(line, sizeof(line), "conformance: %d facts\n", nfacts);
	out(line, (size_t)n);
	return 0;
}
