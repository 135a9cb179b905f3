// SPDX-License-Identifier: MIT
/*
 * apps/swapbench - what swapping costs the app: swap-out and swap-in
 * throughput, instructions per page and per major fault, and the LRU's
 * choice of victims (make bench BENCH=swap, docs/swap.md "Numbers").
 *
 *   swapbench [out-in] [fault] [lru] [label=NAME] [ram=MiB]  (default: all three)
 *
 * Sizes follow MemTotal (M below), so the same run fits any MEM; make
 * bench runs it at 64 MiB with a 512 MiB swap disk, and the app refuses
 * to run with less swap than 5 M. ram=MiB sets M instead and skips that
 * check: with M well below MemTotal nothing is swapped, and the run shows
 * the app's own paths (the bench-swap-in-ram scenario). Each part:
 *
 *   out-in  swap_out how=pressure: a mapping of 2 M written one word a
 *           page; over its second half RAM is full and each new page
 *           pushes an old one out: pswpout's growth over the time.
 *           swap_in how=pressure: the first M/2 of it (the oldest, out on
 *           the disk) read back in order, one word a page (checked), RAM
 *           still full: pswpin's growth over the time.
 *           swap_out how=pageout: M/4 resident, MADV_PAGEOUT over it;
 *           swap_in how=pageout: read back in order, RAM not full.
 *   fault   a major fault alone: /proc/sys/vm/page-cluster 0 (no
 *           readahead), 512 pages pushed out (MADV_PAGEOUT, or a stream
 *           of 1.5 M if that leaves them in), then one word read per
 *           page, each read timed alone; the samples that pgmajfault
 *           says were major faults kept, their medians printed.
 *   lru     a hot set of M/2 (written, then read twice) and a cold stream
 *           of 4 M, written once page by page; after each page of the
 *           stream, HOT_PER_COLD reads of random hot pages. pgmajfault
 *           counted around the hot reads only (in batches): major faults
 *           per 1000 hot reads. An LRU that ages pages keeps the hot set;
 *           FIFO (bootarg lru=fifo, label=fifo) loses it to the stream.
 *
 * Output, one line each (numbers, not verdicts; bytes are pages x 4096):
 *
 *   bench: swap_out how=H exact=E pages=N ns=N mib_s=X.XX instructions_per_page=N
 *   bench: swap_in how=H exact=E pages=N ns=N mib_s=X.XX instructions_per_page=N
 *          majfaults=N pswpout=N
 *   bench: swap_majfault exact=E samples=N instructions=N min=N ns=N
 *   bench: swap_lru lru=NAME hot_mib=N cold_mib=N hot_reads=N hot_majfaults=N
 *          per_1000=X.XX pswpout=N
 *   bench: swap_error part=P error=WHAT
 *
 * exact=1: instret counted instructions (QEMU -icount shift=0), so
 * instructions_* are exact but ns is virtual (the device takes no time:
 * ignore mib_s); exact=0: ns is real time (mib_s is throughput) and
 * instret follows the host's cycles. make bench runs both. A page's
 * instructions are everything retired between the clock reads over the
 * pages swapped: the app's own (a store or a load a page), the faults,
 * reclaim and the driver; the device's time retires nothing (wfi).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE	     4096UL
#define FAULTS	     512
#define HOT_PER_COLD 2
#define BATCH	     256 /* cold pages between two pgmajfault reads */

static unsigned long ram; /* MemTotal, bytes */
static int exact;

/* ---- clocks and counters ------------------------------------------------------ */
static inline uint64_t instret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v)::"memory");
	return v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* As tests/kernel/bench.c: two reads with nothing between always differ by
 * the same small number under -icount; host cycles wobble. */
static int counts_are_exact(void)
{
	uint64_t lo = ~0ULL, hi = 0;

	for (int i = 0; i < 256; i++) {
		uint64_t t0 = instret(), d = instret() - t0;

		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	return lo == hi && hi < 8;
}

static char procbuf[8192];

/* The value of "key N" (vmstat) or "key: N kB" (meminfo); -1 if none. */
static long long proc_value(const char *file, const char *key)
{
	size_t klen = strlen(key);
	long n, len = 0;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, procbuf + len,
			 sizeof(procbuf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	procbuf[len] = '\0';
	for (char *line = procbuf; line && *line;) {
		if (!strncmp(line, key, klen) &&
		    (line[klen] == ' ' || line[klen] == ':'))
			return strtoll(line + klen + 1 + (line[klen] == ':'),
				       NULL, 10);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

struct snap {
	uint64_t ns, instr;
	long long pswpout, pswpin, majflt;
};

static struct snap snap(void)
{
	struct snap s;

	s.pswpout = proc_value("/proc/vmstat", "pswpout");
	s.pswpin = proc_value("/proc/vmstat", "pswpin");
	s.majflt = proc_value("/proc/vmstat", "pgmajfault");
	s.ns = now_ns();
	s.instr = instret();
	return s;
}

/* "X.XX": n * 100 / d in hundredths, rounded */
static const char *hundredths(uint64_t n, uint64_t d)
{
	static char buf[4][32];
	static int next;
	char *b = buf[next++ % 4];
	uint64_t x = d ? (n * 200 / d + 1) / 2 : 0;

	snprintf(b, 32, "%llu.%02llu", (unsigned long long)(x / 100),
		 (unsigned long long)(x % 100));
	return b;
}

/* MiB/s of pages moved in ns, "X.XX" */
static const char *mib_s(long long pages, uint64_t ns)
{
	/* pages * 4096 / 2^20 / (ns / 1e9) = pages * 1e9 / 256 / ns */
	return hundredths((uint64_t)pages * 1000000000ULL / 256, ns ? ns : 1);
}

static void line(const char *dir, const char *how, struct snap a, struct snap b)
{
	bool out = !strcmp(dir, "swap_out");
	long long pages = out ? b.pswpout - a.pswpout : b.pswpin - a.pswpin;

	if (pages <= 0) {
		printf("bench: swap_error part=%s_%s error=no_pages_swapped\n",
		       dir, how);
		return;
	}
	printf("bench: %s how=%s exact=%d pages=%lld ns=%llu mib_s=%s "
	       "instructions_per_page=%llu",
	       dir, how, exact, pages, (unsigned long long)(b.ns - a.ns),
	       mib_s(pages, b.ns - a.ns),
	       (unsigned long long)((b.instr - a.instr) / (uint64_t)pages));
	if (!out)
		printf(" majfaults=%lld pswpout=%lld", b.majflt - a.majflt,
		       b.pswpout - a.pswpout);
	printf("\n");
}

static volatile uint64_t *map(unsigned long bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("bench: swap_error part=mmap error=%s bytes=%lu\n",
		       strerror(errno), bytes);
		exit(1);
	}
	return p;
}

/* one word a page: the page's number, so a page read back is checked */
static void write_pages(volatile uint64_t *a, unsigned long from,
			unsigned long to)
{
	for (unsigned long p = from; p < to; p++)
		a[p * (PAGE / 8)] = p ^ 0x5ab5ab;
}

static bool read_pages(volatile uint64_t *a, unsigned long from,
		       unsigned long to, const char *part)
{
	for (unsigned long p = from; p < to; p++)
		if (a[p * (PAGE / 8)] != (p ^ 0x5ab5ab)) {
			printf("bench: swap_error part=%s error=wrong_data "
			       "page=%lu\n",
			       part, p);
			return false;
		}
	return true;
}

/* ---- the parts -------------------------------------------------------------- */
static void out_in(void)
{
	unsigned long n = 2 * ram / PAGE, q = ram / 4 / PAGE;
	volatile uint64_t *a = map(n * PAGE);
	struct snap s0, s1;

	write_pages(a, 0, n / 2);
	s0 = snap();
	write_pages(a, n / 2, n);
	s1 = snap();
	line("swap_out", "pressure", s0, s1);
	s0 = snap();
	if (!read_pages(a, 0, n / 4, "swap_in_pressure"))
		return;
	s1 = snap();
	line("swap_in", "pressure", s0, s1);
	munmap((void *)a, n * PAGE);

	a = map(q * PAGE);
	write_pages(a, 0, q);
	s0 = snap();
	if (madvise((void *)a, q * PAGE, MADV_PAGEOUT)) {
		printf("bench: swap_error part=swap_out_pageout "
		       "error=madvise_%s\n",
		       strerror(errno));
		munmap((void *)a, q * PAGE);
		return;
	}
	s1 = snap();
	line("swap_out", "pageout", s0, s1);
	if (s1.pswpout > s0.pswpout) {
		s0 = snap();
		if (read_pages(a, 0, q, "swap_in_pageout")) {
			s1 = snap();
			line("swap_in", "pageout", s0, s1);
		}
	}
	munmap((void *)a, q * PAGE);
}

static int cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static int write_sysctl(const char *file, const char *value)
{
	int fd = open(file, O_WRONLY);
	long n;

	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (long)strlen(value) ? 0 : -1;
}

static void fault(void)
{
	static uint64_t instr[FAULTS], ns[FAULTS];
	volatile uint64_t *a = map(FAULTS * PAGE);
	long long out0;
	unsigned int n = 0;
	char old[24];

	/* /proc/sys/vm/page-cluster holds one number: read it whole */
	{
		int fd = open("/proc/sys/vm/page-cluster", O_RDONLY);
		long r = fd < 0 ? -1 : read(fd, old, sizeof(old) - 1);

		if (fd >= 0)
			close(fd);
		if (r <= 0) {
			printf("bench: swap_error part=majfault "
			       "error=no_page_cluster\n");
			munmap((void *)a, FAULTS * PAGE);
			return;
		}
		old[r] = '\0';
	}
	write_sysctl("/proc/sys/vm/page-cluster", "0");
	write_pages(a, 0, FAULTS);
	out0 = proc_value("/proc/vmstat", "pswpout");
	madvise((void *)a, FAULTS * PAGE, MADV_PAGEOUT);
	if (proc_value("/proc/vmstat", "pswpout") - out0 < FAULTS / 2) {
		/* no MADV_PAGEOUT: push them out with a stream */
		unsigned long m = 3 * ram / 2 / PAGE;
		volatile uint64_t *s = map(m * PAGE);

		write_pages(s, 0, m);
		munmap((void *)s, m * PAGE);
	}
	for (unsigned int p = 0; p < FAULTS; p++) {
		long long m0 = proc_value("/proc/vmstat", "pgmajfault");
		uint64_t t0 = now_ns(), i0 = instret();
		uint64_t v = a[p * (PAGE / 8)];
		uint64_t i1 = instret(), t1 = now_ns();

		if (v != (p ^ 0x5ab5ab)) {
			printf("bench: swap_error part=majfault "
			       "error=wrong_data page=%u\n",
			       p);
			break;
		}
		if (proc_value("/proc/vmstat", "pgmajfault") == m0 + 1) {
			instr[n] = i1 - i0;
			ns[n++] = t1 - t0;
		}
	}
	write_sysctl("/proc/sys/vm/page-cluster", old);
	munmap((void *)a, FAULTS * PAGE);
	if (!n) {
		printf("bench: swap_error part=majfault error=no_major_faults\n");
		return;
	}
	qsort(instr, n, sizeof(*instr), cmp);
	qsort(ns, n, sizeof(*ns), cmp);
	printf("bench: swap_majfault exact=%d samples=%u instructions=%llu "
	       "min=%llu ns=%llu\n",
	       exact, n, (unsigned long long)instr[n / 2],
	       (unsigned long long)instr[0], (unsigned long long)ns[n / 2]);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t xorshift64s(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static void lru(const char *label)
{
	unsigned long nh = ram / 2 / PAGE, nc = 4 * ram / PAGE;
	volatile uint64_t *hot = map(nh * PAGE), *cold = map(nc * PAGE);
	unsigned long long reads = 0, majflt = 0;
	long long out0;
	uint64_t sum = 0;

	write_pages(hot, 0, nh);
	for (int i = 0; i < 2; i++)
		if (!read_pages(hot, 0, nh, "lru_warm"))
			return;
	out0 = proc_value("/proc/vmstat", "pswpout");
	for (unsigned long c = 0; c < nc; c += BATCH) {
		unsigned long end = c + BATCH < nc ? c + BATCH : nc;
		long long m0;

		write_pages(cold, c, end);
		m0 = proc_value("/proc/vmstat", "pgmajfault");
		for (unsigned long i = 0; i < (end - c) * HOT_PER_COLD; i++)
			sum += hot[(xorshift64s() % nh) * (PAGE / 8)];
		majflt += (unsigned long long)(proc_value("/proc/vmstat",
							  "pgmajfault") -
					       m0);
		reads += (end - c) * HOT_PER_COLD;
	}
	printf("bench: swap_lru lru=%s hot_mib=%lu cold_mib=%lu hot_reads=%llu "
	       "hot_majfaults=%llu per_1000=%s pswpout=%lld\n",
	       label, nh * PAGE >> 20, nc * PAGE >> 20, reads, majflt,
	       hundredths(majflt * 1000, reads),
	       proc_value("/proc/vmstat", "pswpout") - out0);
	(void)sum;
	munmap((void *)hot, nh * PAGE);
	munmap((void *)cold, nc * PAGE);
}

int main(int argc, char **argv)
{
	bool do_out_in = false, do_fault = false, do_lru = false;
	const char *label = "aging";
	unsigned long ram_mib = 0;
	long long total = proc_value("/proc/meminfo", "MemTotal");
	long long swap = proc_value("/proc/meminfo", "SwapTotal");

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "out-in"))
			do_out_in = true;
		else if (!strcmp(argv[i], "fault"))
			do_fault = true;
		else if (!strcmp(argv[i], "lru"))
			do_lru = true;
		else if (!strncmp(argv[i], "label=", 6))
			label = argv[i] + 6;
		else if (!strncmp(argv[i], "ram=", 4))
			ram_mib = strtoul(argv[i] + 4, NULL, 10);
		else {
			printf("swapbench: %s? out-in, fault, lru, label=NAME, "
			       "ram=MiB\n",
			       argv[i]);
			return 2;
		}
	}
	if (!do_out_in && !do_fault && !do_lru)
		do_out_in = do_fault = do_lru = true;
	exact = counts_are_exact();
	ram = ram_mib ? ram_mib << 20 : (unsigned long)total * 1024;
	printf("swapbench: MemTotal %lld kB, SwapTotal %lld kB, sized for %lu "
	       "MiB, exact=%d\n",
	       total, swap, ram >> 20, exact);
	if (!ram_mib && (total <= 0 || swap < 5 * total)) {
		printf("bench: swap_error part=setup error=swap_below_5x_ram "
		       "swap_kb=%lld ram_kb=%lld\n",
		       swap, total);
		return 1;
	}
	if (do_out_in)
		out_in();
	if (do_fault)
		fault();
	if (do_lru)
		lru(label);
	return 0;
}
