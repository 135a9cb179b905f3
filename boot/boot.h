/* SPDX-License-Identifier: MIT */
/*
 * boot/boot.h - what the boot path learns and hands to the rest: the
 * platform read from the device tree, and the boot arguments.
 *
 * platform.c and bootargs.c are plain C over libfdt and strings; they build
 * unchanged for the host tests (tests/host/).
 */
#ifndef PAGODA_BOOT_H
#define PAGODA_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"

/* ---- the platform (platform.c) ---- */
/* clang-format off */
#define PLATFORM_MAX_MEMORY    16
#define PLATFORM_MAX_RESERVED  32
#define PLATFORM_MAX_HARTS     MACHINE_MAX_HARTS
#define PLATFORM_MAX_VIRTIO    16
#define PLATFORM_MAX_NODES     MACHINE_MAX_NODES  /* numa-node-id 0..7 */
#define PLATFORM_MAX_FDT_SIZE  (4U << 20)  /* a larger blob is not believed */
#define PLATFORM_NAME_LEN      32
/* clang-format on */

/* A physical range the runtime must not hand out. */
struct reserved_range {
	uint64_t base;
	uint64_t size;
	bool no_map; /* not even mapped: firmware owns it (OpenSBI's PMP) */
	char name[PLATFORM_NAME_LEN]; /* node name, or "memreserve" */
};

struct hart {
	uint32_t hartid;
	uint32_t node;
	bool enabled; /* status "okay" (or absent) */
	bool sv39;    /* mmu-type names sv39, sv48 or sv57 (all can run Sv39) */
	bool sstc;    /* ISA string or extension list names Sstc */
	uint32_t isa; /* single-letter extensions, bit (letter - 'a'): Linux's
			 AT_HWCAP (COMPAT_HWCAP_ISA_*) */
};

/* A memory-mapped device: registers at [base, base + size). */
struct mmio_device {
	uint64_t base;
	uint64_t size;
	uint32_t irq; /* first cell of "interrupts", 0 without one */
};

struct uart {
	struct mmio_device mmio;
	uint32_t reg_shift;    /* register n lives at base + (n << reg_shift) */
	uint32_t reg_io_width; /* bytes per access: 1 or 4 */
	uint32_t clock_hz;     /* clock-frequency, 0 if unknown */
};

/*
 * Everything the runtime needs from the device tree. Pointers (bootargs,
 * rng_seed) point into the blob, which stays in place and is reserved.
 * Invariants after platform_parse() returns 0: nr_memory >= 1; memory
 * ranges are sorted by base and do not overlap; every count is within its
 * array; timebase_hz > 0; boot_hart indexes harts[].
 */
struct platform {
	const void *fdt;
	uint32_t fdt_size; /* totalsize from the header, bytes */

	struct mem_range memory[PLATFORM_MAX_MEMORY];
	unsigned int nr_memory;
	unsigned int nr_nodes; /* highest numa-node-id of memory or hart + 1 */
	/* /memreserve/ entries, then /reserved-memory children */
	struct reserved_range reserved[PLATFORM_MAX_RESERVED];
	unsigned int nr_reserved;

	const char *bootargs; /* /chosen/bootargs, "" without one */
	const void *rng_seed; /* /chosen/rng-seed, NULL without one */
	uint32_t rng_seed_len;
	uint64_t initrd_start, initrd_end; /* 0, 0 without an initrd */

	struct hart harts[PLATFORM_MAX_HARTS];
	unsigned int nr_harts;
	unsigned int boot_hart; /* index into harts[] */
	uint32_t timebase_hz;

	bool has_uart; /* an ns16550-compatible stdout-path device */
	struct uart uart;
	bool has_plic;
	struct mmio_device plic;
	uint32_t plic_ndev;   /* riscv,ndev: number of interrupt sources */
	bool has_test_device; /* sifive,test0 finisher */
	struct mmio_device test_device;
	bool has_rtc; /* google,goldfish-rtc: the wall clock */
	struct mmio_device rtc;
	struct mmio_device virtio[PLATFORM_MAX_VIRTIO];
	unsigned int nr_virtio;

	char error[160]; /* why platform_parse failed, for the boot log */
};

/*
 * Read the device tree at fdt (which may be NULL or garbage) as seen by the
 * hart boot_hartid. Returns 0, or a negative errno with p->error saying what
 * is wrong: -EINVAL for a malformed tree, -ENODEV for a missing node or
 * property the runtime needs, -E2BIG when a table above is full.
 */
int platform_parse(const void *fdt, uint32_t boot_hartid, struct platform *p);

/* ---- the memory map (memory.c) ---- */
/*
 * memblock_init() from the platform: its memory, minus its reservations,
 * the image, the tree and the initrd; mem_limit as mem= (0: none).
 */
int memblock_from_platform(struct memblock *mb, const struct platform *p,
			   phys_addr_t image_pa, uint64_t image_size,
			   phys_addr_t fdt_pa, uint64_t mem_limit);

/* ---- boot arguments (bootargs.c) ---- */
/* clang-format off */
#define BOOTARGS_MAX_LEN   1024  /* bytes of command line kept */
#define BOOTARGS_MAX_OPTS  32
#define BOOTARGS_MAX_ARGV  32
#define BOOTARGS_MAX_ENV   32
/* clang-format on */

/*
 * The parsed command line. Before "--": options, each "key" or "key=value",
 * separated by spaces; after it: the app's arguments. Double quotes group
 * words with spaces ("msg=a b" or "a b"). Invariant: every pointer points
 * into buf, which holds NUL-separated words.
 */
struct bootargs {
	char buf[BOOTARGS_MAX_LEN];
	struct {
		const char *key;
		const char *value; /* NULL for a bare "key" */
	} opt[BOOTARGS_MAX_OPTS];
	unsigned int nr_opts;
	const char *argv[BOOTARGS_MAX_ARGV + 1]; /* NULL-terminated */
	unsigned int argc;
	/* The app's environment, "KEY=VALUE" words in env_buf: the line's
	 * words fit in BOOTARGS_MAX_LEN, the defaults in the 32 beyond. */
	char env_buf[BOOTARGS_MAX_LEN + 32];
	const char *envp[BOOTARGS_MAX_ENV + 1]; /* NULL-terminated */
	unsigned int envc;
};

/* Returns 0, or -E2BIG (line, options or argv too long) with *why set. */
int bootargs_parse(struct bootargs *ba, const char *cmdline, const char **why);
/* The value of key (or "" for a bare key), NULL when absent; last one wins. */
const char *bootargs_get(const struct bootargs *ba, const char *key);
bool bootargs_has(const struct bootargs *ba, const char *key);
/* key=<number>[KMG]: 0 with *out set, -ENOENT if absent, -EINVAL if bad. */
int bootargs_get_size(const struct bootargs *ba, const char *key,
		      uint64_t *out);
/* key=<decimal>: 0 with *out set, -ENOENT if absent, -EINVAL if bad. */
int bootargs_get_long(const struct bootargs *ba, const char *key, long *out);
/* Parse "<number>[KMG]" the way the kernel's memparse does. */
int parse_size(const char *s, uint64_t *out);

/* The options this runtime knows; the rest with a value are environment. */
extern const char *const bootargs_known[];
bool bootargs_is_known(const char *key);

/* ---- the boot (main.c) ---- */
/* The parsed state of this boot, for the rest of the runtime. */
extern struct platform boot_platform;
extern struct bootargs boot_args;

/* Called by entry.S on the boot hart with the MMU on. */
_Noreturn void boot_main(unsigned long hartid, unsigned long fdt_pa);

#endif /* PAGODA_BOOT_H */
