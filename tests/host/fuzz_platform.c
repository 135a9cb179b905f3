// SPDX-License-Identifier: MIT
/*
 * tests/host/fuzz_platform.c - the libFuzzer target of `make test-fuzz`.
 *
 * Each input is used twice: as a device-tree blob for platform_parse()
 * (and, when that succeeds, its bootargs for bootargs_parse(), as the boot
 * does), and as a NUL-terminated command line for bootargs_parse() and the
 * getters. Besides the sanitizers' crashes, a successful parse must keep
 * the invariants boot.h promises and a failed one must say why; anything
 * else aborts, which libFuzzer reports as a crash.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "boot/boot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

static struct platform plat;
static struct bootargs args;

static bool inside(const void *blob, size_t size, const void *p, size_t len)
{
	const char *b = blob, *q = p;

	return q >= b && len <= size && q - b <= (ptrdiff_t)(size - len);
}

static bool no_wrap(uint64_t base, uint64_t size)
{
	return size && base + (size - 1) >= base;
}

/* What boot.h promises after platform_parse() returned 0. */
static void check_platform(const struct platform *p, const void *fdt,
			   size_t size, uint32_t hartid)
{
	CHECK(p->fdt == fdt);
	CHECK(p->fdt_size == fdt_totalsize(fdt) && p->fdt_size <= size);
	CHECK(p->nr_memory >= 1 && p->nr_memory <= PLATFORM_MAX_MEMORY);
	for (unsigned int i = 0; i < p->nr_memory; i++) {
		CHECK(no_wrap(p->memory[i].base, p->memory[i].size));
		if (i)
			CHECK(p->memory[i].base - p->memory[i - 1].base >=
			      p->memory[i - 1].size);
	}
	CHECK(p->nr_reserved <= PLATFORM_MAX_RESERVED);
	for (unsigned int i = 0; i < p->nr_reserved; i++) {
		const struct reserved_range *r = &p->reserved[i];

		CHECK(no_wrap(r->base, r->size));
		CHECK(memchr(r->name, '\0', sizeof(r->name)));
	}
	CHECK(p->bootargs);
	if (*p->bootargs)
		CHECK(inside(fdt, size, p->bootargs, strlen(p->bootargs) + 1));
	CHECK(!p->rng_seed == !p->rng_seed_len);
	if (p->rng_seed)
		CHECK(inside(fdt, size, p->rng_seed, p->rng_seed_len));
	CHECK(p->initrd_end >= p->initrd_start);
	CHECK(p->nr_harts <= PLATFORM_MAX_HARTS);
	CHECK(p->boot_hart < p->nr_harts);
	CHECK(p->harts[p->boot_hart].hartid == hartid);
	CHECK(p->timebase_hz > 0);
	if (p->has_uart) {
		CHECK(p->uart.reg_shift <= 4);
		CHECK(p->uart.reg_io_width == 1 || p->uart.reg_io_width == 4);
	}
	CHECK(p->nr_virtio <= PLATFORM_MAX_VIRTIO);
	CHECK(!p->error[0]);
}

/* What bootargs.h promises after bootargs_parse() returned 0. */
static void check_bootargs(const struct bootargs *ba)
{
	const char *end = ba->buf + sizeof(ba->buf);
	uint64_t size;
	long n;
	int err;

	CHECK(ba->nr_opts <= BOOTARGS_MAX_OPTS);
	CHECK(ba->argc <= BOOTARGS_MAX_ARGV && !ba->argv[ba->argc]);
	for (unsigned int i = 0; i < ba->argc; i++)
		CHECK(ba->argv[i] >= ba->buf &&
		      memchr(ba->argv[i], '\0', end - ba->argv[i]));
	for (unsigned int i = 0; i < ba->nr_opts; i++) {
		const char *key = ba->opt[i].key, *v = ba->opt[i].value;
		const char *got = bootargs_get(ba, key);

		CHECK(key >= ba->buf && memchr(key, '\0', end - key));
		CHECK(!v || (v > key && memchr(v, '\0', end - v)));
		CHECK(got && bootargs_has(ba, key));
		/* present keys: the getters answer 0 or -EINVAL */
		err = bootargs_get_size(ba, key, &size);
		CHECK(err == 0 || err == -EINVAL);
		err = bootargs_get_long(ba, key, &n);
		CHECK(err == 0 || err == -EINVAL);
	}
}

static void fuzz_blob(const uint8_t *data, size_t size)
{
	size_t len = size;
	uint32_t hartid = 0;
	uint8_t *fdt;
	const char *why;
	int err;

	/*
	 * The kernel believes the header's totalsize: all memory it names is
	 * readable there, and check_blob() keeps libfdt inside it. A fuzz
	 * input may be shorter than its header claims, so the copy says
	 * min(totalsize, size) instead; ASan then catches any read past what
	 * the header allows. Inputs shorter than the header are zero-padded
	 * to its size, as libfdt reads header fields before any size check:
	 * the kernel always has those 40 bytes.
	 */
	if (len < sizeof(struct fdt_header))
		len = sizeof(struct fdt_header);
	fdt = calloc(1, len); /* malloc alignment suits libfdt's 8 bytes */
	if (!fdt)
		return;
	memcpy(fdt, data, size);
	if (fdt_totalsize(fdt) > len)
		fdt_set_totalsize(fdt, (uint32_t)len);
	/* the header's boot hart, so the fuzzer can vary it */
	hartid = fdt_boot_cpuid_phys(fdt);

	err = platform_parse(fdt, hartid, &plat);
	if (err) {
		CHECK(err == -EINVAL || err == -ENODEV || err == -E2BIG);
		CHECK(plat.error[0] &&
		      memchr(plat.error, '\0', sizeof(plat.error)));
	} else {
		check_platform(&plat, fdt, len, hartid);
		/* what boot_main() does next */
		if (!bootargs_parse(&args, plat.bootargs, &why))
			check_bootargs(&args);
	}
	free(fdt);
}

static void fuzz_cmdline(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	const char *why = NULL;
	uint64_t v;
	int err;

	if (!line)
		return;
	memcpy(line, data, size);
	line[size] = '\0';
	err = bootargs_parse(&args, line, &why);
	if (err) {
		CHECK(err == -E2BIG && why);
	} else {
		check_bootargs(&args);
	}
	/* the whole input as a size, too */
	err = parse_size(line, &v);
	CHECK(err == 0 || err == -EINVAL);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_blob(data, size);
	fuzz_cmdline(data, size);
	return 0;
}
