// SPDX-License-Identifier: MIT
/*
 * apps/swapstress - fills several times RAM with a pattern that names its
 * place and its generation, then reads it all back, in order and at
 * random, checking every byte: a page swapped back to the wrong address,
 * a stale copy, a zeroed or half-written page is caught and named.
 *
 *   swapstress [SIZE] [seed=N] [random=N] [inject=HOW]
 *
 * SIZE is bytes with a K, M or G suffix (256M), or xN: N times MemTotal
 * of /proc/meminfo (x4, the default). One anonymous private mapping of
 * SIZE, in passes:
 *
 *   fill     every page written, generation 1
 *   rewrite  a quarter of the pages (chosen by the seed, spread over the
 *            area) read and checked, then written again as generation 2:
 *            the read brings a swapped page back and leaves it in the swap
 *            cache; if the rewrite is lost or the stale copy is used
 *            later, the page still reads generation 1
 *   seq      every byte, in address order
 *   random   random=N pages (default a quarter of them), each read whole,
 *            from a small PRNG (xorshift64*) seeded by the seed
 *
 * The pattern: word i (8 bytes) of page p is
 *
 *   tag(p, gen) + i * K,   tag(p, gen) = mix(seed ^ (p << 8 | gen))
 *
 * with mix the splitmix64 finalizer (a bijection) and K odd. So a word
 * that is wrong can be traced: unmix(got - j * K) ^ seed gives back the
 * page and generation it was written as, for the j that makes it sense.
 * The report says so ("page 17's word 3, generation 1": misplaced or
 * stale) or that it is no word of the pattern (zero, garbage).
 *
 * Progress lines "swapstress: <pass> N/M MiB" and, after each pass, the
 * /proc/vmstat counters so far. At the end
 *
 *   swapstress: pswpout=N pswpin=N pgmajfault=N
 *   swapstress: OK <bytes> verified
 *
 * and status 0; or at the first wrong word
 *
 *   swapstress: mismatch at 0x... (page P word W, pass PASS): expected 0x..., got 0x...
 *   swapstress: got is <what it is>
 *
 * and status 1. Bad arguments: status 2. inject=flip|swap|stale|zero
 * damages the area itself after the rewrite (a flipped bit, two pages
 * exchanged, a generation 2 page given its old contents, a zeroed page),
 * to show that each is caught (the swapstress-catches-* scenarios).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096UL
#define WORDS	(PAGE / 8)
#define K	0x9e3779b97f4a7c15ULL /* odd: i * K is a bijection */
#define GEN_MAX 2

static uint64_t seed = 1;
static unsigned char *area;
static unsigned long npages;
static uint64_t verified; /* bytes compared */

/* ---- the pattern -------------------------------------------------------------- */
/* splitmix64's finalizer and its inverse */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t unshift(uint64_t x, unsigned int s)
{
	/* undoes x ^= x >> s */
	for (unsigned int i = s; i < 64; i += s)
		x ^= x >> i;
	return x;
}

static uint64_t inverse(uint64_t a)
{
	/* a * inverse(a) == 1 mod 2^64 (Newton), a odd */
	uint64_t x = a;

	for (int i = 0; i < 5; i++)
		x *= 2 - a * x;
	return x;
}

static uint64_t unmix(uint64_t x)
{
	x = unshift(x, 31);
	x *= inverse(0x94d049bb133111ebULL);
	x = unshift(x, 27);
	x *= inverse(0xbf58476d1ce4e5b9ULL);
	x = unshift(x, 30);
	return x;
}

static uint64_t tag(unsigned long p, unsigned int gen)
{
	return mix(seed ^ ((uint64_t)p << 8 | gen));
}

/* Page p's generation after the rewrite pass: 2 for a quarter of them. */
static unsigned int gen_of(unsigned long p)
{
	return (mix(seed + 0x5157 + p) & 3) == 0 ? 2 : 1;
}

static void fill_page(unsigned long p, unsigned int gen)
{
	uint64_t *w = (uint64_t *)(area + p * PAGE), v = tag(p, gen);

	for (unsigned long i = 0; i < WORDS; i++, v += K)
		w[i] = v;
}

/* What a wrong word is: some page's word of some generation, or nothing. */
static void explain(uint64_t got, unsigned long p, unsigned long i,
		    unsigned int gen)
{
	if (got == 0) {
		printf("swapstress: got is zero (a page never written, or "
		       "read back as zeros)\n");
		return;
	}
	for (unsigned long j = 0; j < WORDS; j++) {
		uint64_t x = unmix(got - j * K) ^ seed;
		unsigned long q = (unsigned long)(x >> 8);
		unsigned int g = (unsigned int)(x & 0xff);

		if (g < 1 || g > GEN_MAX || q >= npages)
			continue;
		if (q == p && j == i)
			printf("swapstress: got is this word's generation %u, "
			       "expected %u: a stale copy\n",
			       g, gen);
		else
			printf("swapstress: got is page %lu's word %lu, "
			       "generation %u (at 0x%lx): misplaced data\n",
			       q, j, g,
			       (unsigned long)(area + q * PAGE + j * 8));
		return;
	}
	printf("swapstress: got is no word of the pattern (garbage, or "
	       "a bit flipped)\n");
}

/* Checks page p whole; on the first wrong word reports it and exits 1. */
static void check_page(unsigned long p, unsigned int gen, const char *pass)
{
	const uint64_t *w = (const uint64_t *)(area + p * PAGE);
	uint64_t v = tag(p, gen);

	for (unsigned long i = 0; i < WORDS; i++, v += K) {
		if (w[i] == v)
			continue;
		printf("swapstress: mismatch at 0x%lx (page %lu word %lu, "
		       "pass %s): expected 0x%016llx, got 0x%016llx\n",
		       (unsigned long)&w[i], p, i, pass, (unsigned long long)v,
		       (unsigned long long)w[i]);
		explain(w[i], p, i, gen);
		printf("swapstress: FAILED after %llu bytes verified\n",
		       (unsigned long long)verified);
		exit(1);
	}
	verified += PAGE;
}

/* ---- /proc ---------------------------------------------------------------------- */
/* The value of "key N" (vmstat) or "key: N kB" (meminfo) in file; -1 if none. */
static long long proc_value(const char *file, const char *key)
{
	static char buf[8192];
	size_t klen = strlen(key);
	long n, len = 0;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (char *line = buf; line && *line;) {
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

struct counters {
	long long pswpout, pswpin, pgmajfault;
};

static struct counters counters(void)
{
	struct counters c = {
		proc_value("/proc/vmstat", "pswpout"),
		proc_value("/proc/vmstat", "pswpin"),
		proc_value("/proc/vmstat", "pgmajfault"),
	};

	return c;
}

static struct counters start;

static void print_counters(const char *prefix)
{
	struct counters c = counters();

	printf("swapstress: %spswpout=%lld pswpin=%lld pgmajfault=%lld\n",
	       prefix, c.pswpout - start.pswpout, c.pswpin - start.pswpin,
	       c.pgmajfault - start.pgmajfault);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the passes --------------------------------------------------------------- */
static void progress(const char *pass, unsigned long done, unsigned long of)
{
	unsigned long step = of / 4 ? of / 4 : 1;

	if (done % step == 0 || done == of)
		printf("swapstress: %s %lu/%lu MiB\n", pass, done * PAGE >> 20,
		       of * PAGE >> 20);
}

static void end_pass(const char *pass, double t0)
{
	char prefix[64];
	unsigned int ms = (unsigned int)((now() - t0) * 1000);

	snprintf(prefix, sizeof(prefix), "after %s (%u ms): ", pass, ms);
	print_counters(prefix);
}

static uint64_t rng;

static uint64_t xorshift64s(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* Damage the area on purpose (how is checked): the checker must find it. */
static void inject(const char *how)
{
	unsigned long p = npages / 3, q;
	uint64_t *w;

	while (gen_of(p) != 2 && p < npages - 1)
		p++;
	q = p + 7 < npages ? p + 7 : 0;
	w = (uint64_t *)(area + p * PAGE);
	printf("swapstress: injecting %s at page %lu\n", how, p);
	if (!strcmp(how, "flip")) {
		w[100] ^= 1ULL << 17;
	} else if (!strcmp(how, "zero")) {
		memset(w, 0, PAGE);
	} else if (!strcmp(how, "stale")) {
		fill_page(p, 1);
	} else { /* swap */
		static unsigned char tmp[PAGE];

		memcpy(tmp, area + p * PAGE, PAGE);
		memcpy(area + p * PAGE, area + q * PAGE, PAGE);
		memcpy(area + q * PAGE, tmp, PAGE);
	}
}

static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long n;

	if (s[0] == 'x') {
		long long total = proc_value("/proc/meminfo", "MemTotal");
		unsigned long long times = strtoull(s + 1, &end, 10);

		if (end == s + 1 || *end || total <= 0)
			return 0;
		return times * (unsigned long long)total * 1024;
	}
	n = strtoull(s, &end, 10);
	if (end == s)
		return 0;
	switch (*end) {
	case 'G':
	case 'g':
		n <<= 10; /* fall through */
	case 'M':
	case 'm':
		n <<= 10; /* fall through */
	case 'K':
	case 'k':
		n <<= 10;
		end++;
		break;
	default:
		break;
	}
	return *end ? 0 : n;
}

int main(int argc, char **argv)
{
	const char *size_arg = "x4", *how = NULL;
	unsigned long long size, nrandom = 0;
	bool nrandom_set = false;
	double t0;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "seed=", 5)) {
			seed = strtoull(argv[i] + 5, NULL, 0);
		} else if (!strncmp(argv[i], "random=", 7)) {
			nrandom = strtoull(argv[i] + 7, NULL, 0);
			nrandom_set = true;
		} else if (!strncmp(argv[i], "inject=", 7)) {
			how = argv[i] + 7;
		} else {
			size_arg = argv[i];
		}
	}
	if (how && strcmp(how, "flip") && strcmp(how, "swap") &&
	    strcmp(how, "stale") && strcmp(how, "zero")) {
		printf("swapstress: inject=%s: flip, swap, stale or zero\n",
		       how);
		return 2;
	}
	size = parse_size(size_arg) & ~(PAGE - 1);
	if (!size) {
		printf("swapstress: bad size '%s' (256M, 1G, x4: 4 x MemTotal)\n",
		       size_arg);
		return 2;
	}
	npages = (unsigned long)(size / PAGE);
	if (!nrandom_set)
		nrandom = npages / 4;
	printf("swapstress: %llu MiB (%lu pages), MemTotal %lld kB, SwapTotal "
	       "%lld kB, seed %llu, %llu random pages\n",
	       size >> 20, npages, proc_value("/proc/meminfo", "MemTotal"),
	       proc_value("/proc/meminfo", "SwapTotal"),
	       (unsigned long long)seed, nrandom);
	area = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("swapstress: mmap of %llu MiB: %s\n", size >> 20,
		       strerror(errno));
		return 2;
	}
	start = counters();

	t0 = now();
	for (unsigned long p = 0; p < npages; p++) {
		fill_page(p, 1);
		progress("fill", p + 1, npages);
	}
	end_pass("fill", t0);

	t0 = now();
	for (unsigned long p = 0; p < npages; p++) {
		if (gen_of(p) == 2) {
			check_page(p, 1, "rewrite");
			fill_page(p, 2);
		}
		progress("rewrite", p + 1, npages);
	}
	end_pass("rewrite", t0);

	if (how)
		inject(how);

	t0 = now();
	for (unsigned long p = 0; p < npages; p++) {
		check_page(p, gen_of(p), "seq");
		progress("seq", p + 1, npages);
	}
	end_pass("seq", t0);

	t0 = now();
	rng = mix(seed ^ 0x7261) | 1;
	for (unsigned long long n = 0; n < nrandom; n++) {
		unsigned long p = (unsigned long)(xorshift64s() % npages);

		check_page(p, gen_of(p), "random");
	}
	printf("swapstress: random %llu pages\n", nrandom);
	end_pass("random", t0);

	print_counters("");
	printf("swapstress: OK %llu bytes verified\n",
	       (unsigned long long)verified);
	return 0;
}
