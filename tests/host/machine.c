// SPDX-License-Identifier: MIT
/*
 * tests/host/machine.c - the simulated machine of the allocator's host
 * tests and benchmarks, and the kernel services alloc/ needs (see
 * machine.h).
 */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/host/machine.h"

unsigned char *host_ram;
unsigned char *host_vmemmap;
bool host_irq_enabled = true;
unsigned int host_warned_once;

#define LOG_SIZE (64 * 1024)

static char log_buf[LOG_SIZE];
static size_t log_len;
static char last_line[512];

static void *map_none(size_t size)
{
	void *p = mmap(NULL, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("machine: mmap");
		abort();
	}
	return p;
}

static void protect(void *base, size_t size, int prot)
{
	if (size && mprotect(base, size, prot)) {
		perror("machine: mprotect");
		abort();
	}
}

/* Empty (zero on next touch) and make the whole of a mapping accessible. */
static void wipe(void *base, size_t size)
{
	protect(base, size, PROT_READ | PROT_WRITE);
	if (madvise(base, size, MADV_DONTNEED)) {
		perror("machine: madvise");
		abort();
	}
}

void machine_reset(void)
{
	if (!host_ram) {
		host_ram = map_none(DIRECT_MAP_SIZE);
		host_vmemmap = map_none(VMEMMAP_SIZE);
	}
	wipe(host_ram, DIRECT_MAP_SIZE);
	wipe(host_vmemmap, VMEMMAP_SIZE);
	memset(&memblock, 0, sizeof(memblock));
	memset(nodes, 0, sizeof(nodes));
	nr_nodes = 0;
	local_node = 0;
	page_group_by_mobility_disabled = false;
	list_init(&shrinker_list); /* forget the last machine's shrinkers */
	reclaim_wakeups = direct_reclaims = alloc_failures = alloc_misuse = 0;
	alloc_debug = 0;
	slab_debug = false;
	slab_errors = 0;
	host_irq_enabled = true;
	host_log_clear();
}

int machine_add(const struct sim_mem *mem, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		int err = memblock_add(&memblock, mem[i].base, mem[i].size,
				       mem[i].node);

		if (err)
			return err;
	}
	return 0;
}

/* Make [from, to) of a mapping inaccessible, host-page aligned inwards. */
static void hide(unsigned char *map, uint64_t from, uint64_t to)
{
	const uint64_t host_page = (uint64_t)sysconf(_SC_PAGESIZE);

	from = (from + host_page - 1) & ~(host_page - 1);
	to &= ~(host_page - 1);
	if (to > from)
		protect(map + from, to - from, PROT_NONE);
}

int machine_start(unsigned long min_free_kbytes)
{
	const struct memblock_type *t = &memblock.memory;
	uint64_t prev = 0, start, end;
	unsigned int cursor = 0;
	uint32_t node;

	/* RAM: only the memory ranges */
	for (unsigned int i = 0; i < t->cnt; i++) {
		hide(host_ram, prev, t->regions[i].base);
		prev = t->regions[i].base + t->regions[i].size;
	}
	hide(host_ram, prev, DIRECT_MAP_SIZE);
	/* vmemmap: only the spans, as vm/vmemmap.c backs them */
	prev = 0;
	while (memmap_next_span(&memblock, &cursor, &start, &end, &node)) {
		hide(host_vmemmap, prev * sizeof(struct page),
		     start * sizeof(struct page));
		prev = end;
	}
	hide(host_vmemmap, prev * sizeof(struct page), VMEMMAP_SIZE);
	memmap_init(&memblock);
	return zones_init(&memblock, min_free_kbytes);
}

int machine_boot(const struct sim_mem *mem, unsigned int n,
		 unsigned long min_free_kbytes)
{
	int err;

	machine_reset();
	if ((err = machine_add(mem, n)))
		return err;
	return machine_start(min_free_kbytes);
}

void machine_slab_init(bool debug)
{
	slab_debug = debug;
	kmem_cache_init();
}

struct zone *zone_of(unsigned int node, enum zone_type type)
{
	return &nodes[node].zones[type];
}

/* ---- the log ---- */

static bool log_echo(void)
{
	static int echo = -1;

	if (echo < 0)
		echo = getenv("PAGODA_HOST_LOG") != NULL;
	return echo;
}

static void log_append(const char *s, size_t n)
{
	if (log_echo())
		fwrite(s, 1, n, stderr);
	if (n >= LOG_SIZE)
		n = LOG_SIZE - 1;
	if (log_len + n >= LOG_SIZE)
		log_len = 0; /* full: keep the newest */
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	log_buf[log_len] = '\0';
}

const char *host_log(void)
{
	return log_buf;
}

const char *host_log_last(void)
{
	return last_line;
}

void host_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
	last_line[0] = '\0';
}

unsigned int host_log_count(const char *needle)
{
	unsigned int n = 0;

	for (const char *line = log_buf; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (memmem(line, len, needle, strlen(needle)))
			n++;
		line += len + (end != NULL);
	}
	return n;
}

/* ---- the kernel services alloc/ calls (kernel/kernel.h) ---- */

void vprintk(int level, const char *fmt, va_list ap)
{
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t len;

	(void)level;
	if (n < 0)
		return;
	len = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	log_append(msg, len);
	while (len && msg[len - 1] == '\n')
		len--;
	memcpy(last_line, msg, len);
	last_line[len] = '\0';
	if (strstr(last_line, "warning once"))
		host_warned_once++;
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

/* Nothing to walk on the host: ASan prints host stacks where they matter. */
void backtrace_print(unsigned long pc, unsigned long fp)
{
	(void)pc;
	(void)fp;
}

void console_write(const char *buf, size_t len)
{
	log_append(buf, len);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nlast log line: %s\n", last_line);
	abort();
}

/* No symbol table on the host: reports print raw addresses. */
const char *ksym_lookup(unsigned long pc, unsigned long *offset)
{
	(void)pc;
	(void)offset;
	return NULL;
}
