/* SPDX-License-Identifier: MIT */
/*
 * tests/host/machine.h - a simulated machine for the allocator's host
 * tests and benchmarks: alloc/ compiled for the host from its own sources,
 * reaching this machine through the host side of alloc/machine.h.
 *
 * Physical memory is one big MAP_NORESERVE mapping (host_ram, PA 0 at its
 * start, DIRECT_MAP_SIZE long) and the vmemmap another (host_vmemmap): a
 * page of either costs host memory only once touched. A machine is set up
 * the way boot/main.c memory_init() does it, minus vmemmap_populate (the
 * host vmemmap is backed already):
 *
 *     machine_reset();                      every allocator global zeroed
 *     machine_add(mem, n) / memblock_*()    the memory map
 *     machine_start(min_free_kbytes);       memmap_init() + zones_init()
 *
 * machine_start() first makes everything the machine does not have fault:
 * host_ram outside the memory ranges and the vmemmap outside the struct
 * page spans of memmap_next_span() become PROT_NONE, so an access to a
 * hole's struct page or to memory that does not exist crashes the test.
 *
 * The kernel services alloc/ links against are here too: printk() and
 * console_write() write into a log the tests read (and to stderr when
 * PAGODA_HOST_LOG is set in the environment), panic() aborts.
 */
#ifndef PAGODA_TESTS_HOST_MACHINE_H
#define PAGODA_TESTS_HOST_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc/alloc.h"

/* clang-format off */
#define KiB  (UL(1) << 10)
#define MiB  (UL(1) << 20)
#define GiB  (UL(1) << 30)
/* clang-format on */

/* A memory range of the simulated machine. */
struct sim_mem {
	uint64_t base;
	uint64_t size;
	uint32_t node;
};

extern bool
	host_irq_enabled; /* alloc/machine.h's interrupt flag; starts true */

/*
 * Zero every global of alloc/ (memblock, nodes, counters, hooks, modes,
 * slab_debug and slab_errors), empty and unprotect host_ram and the
 * vmemmap, clear the log. The slab's cache list (static in slab.c) points
 * into the old memory until machine_slab_init(): a test that uses caches
 * calls it after booting, before anything else of the slab.
 */
void machine_reset(void);
/* memblock_add() every range; 0 or the first error. */
int machine_add(const struct sim_mem *mem, unsigned int n);
/* Protect what the machine lacks, memmap_init(), zones_init(). */
int machine_start(unsigned long min_free_kbytes);
/* All three. */
int machine_boot(const struct sim_mem *mem, unsigned int n,
		 unsigned long min_free_kbytes);

/*
 * After machine_start(): slab_debug = debug, then kmem_cache_init(), which
 * starts a new cache list (the cache of caches, the kmalloc classes) and
 * registers the slab shrinker.
 */
void machine_slab_init(bool debug);

/* &nodes[node].zones[type]. */
struct zone *zone_of(unsigned int node, enum zone_type type);

/* ---- the log ---- */
/* Everything printed since the last clear (machine_reset clears it). */
const char *host_log(void);
/* The last line printed, without its newline ("" if none). */
const char *host_log_last(void);
void host_log_clear(void);
/* How many printed lines contain needle. */
unsigned int host_log_count(const char *needle);
/*
 * alloc_pages() warns once per boot (a static in page_alloc.c that no
 * reset reaches): lines containing "warning once" printed in this process.
 */
extern unsigned int host_warned_once;

/* xorshift64*: the same sequence on every host; *state must not be 0. */
static inline uint64_t xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

#endif /* PAGODA_TESTS_HOST_MACHINE_H */
