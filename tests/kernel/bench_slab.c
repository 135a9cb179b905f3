// SPDX-License-Identifier: MIT
/*
 * tests/kernel/bench_slab.c - what the slab allocator and kmalloc cost, in
 * instructions retired and in memory (bootarg bench=slab; make bench
 * BENCH=slab).
 *
 * Measured as bench_buddy.c measures (tests/kernel/bench.h): each call
 * alone between two reads of instret under -icount shift=0, the cost of
 * the reads subtracted, medians over ITERS iterations; the window holds
 * the call as a caller makes it (arguments, call, result). The cases:
 *
 *   hot       kmem_cache_alloc + kmem_cache_free of a 64-byte object on a
 *             warm cache: the magazine pops and pushes, nothing else
 *   kmalloc   kmalloc + kfree of each size class (8 B .. 128 KiB), warm,
 *             and 256 KiB (past the classes: pages from the buddy)
 *   bulk      10000 allocations, then 10000 frees, of 64-byte objects:
 *             totals and per operation, from a new cache (every slab taken
 *             from the buddy allocator) and again on the slabs it kept
 *   overhead  100000 64-byte objects: the pages their slabs take against
 *             the bytes asked for, in percent
 *   geometry  the same from the geometry of every kmalloc class: the
 *             slack of a slab (slab bytes / object bytes - 1)
 *
 *   bench: slab_<case> ... [goal=N]
 *
 * Everything is given back at the end: "bench: slab_check" says how many
 * pages and objects were not (0 and 0).
 */
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"
#include "kernel/kernel.h"
#include "tests/kernel/bench.h"
#include "tests/kernel/ktest.h"

#define ITERS	 2048
#define BULK	 10000
#define OVERHEAD 100000

static uint32_t a_samples[ITERS], f_samples[ITERS], p_samples[ITERS];
static void *bulk[BULK];

static void print_pairs(const char *name, const char *what, size_t size,
			const char *extra)
{
	struct bench_stats a = bench_summarize(a_samples, ITERS);
	struct bench_stats f = bench_summarize(f_samples, ITERS);
	struct bench_stats p = bench_summarize(p_samples, ITERS);

	bench_line(
		"bench: slab_%s %s=%zu iters=%u alloc=%llu free=%llu pair=%llu mean=%llu min=%llu max=%llu%s\n",
		name, what, size, ITERS, (unsigned long long)a.median,
		(unsigned long long)f.median, (unsigned long long)p.median,
		(unsigned long long)p.mean, (unsigned long long)p.min,
		(unsigned long long)p.max, extra);
}

/* The pair on a warm cache: the object freed is the next one handed out. */
static void bench_hot(void)
{
	struct kmem_cache *c = kmem_cache_create("bench-64", 64, 0, 0, NULL);
	void *obj;

	if (!c) {
		bench_line("bench: slab_hot error=create_failed\n");
		return;
	}
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, obj);
	for (size_t i = 0; i < ITERS; i++) {
		uint64_t t0, t1, t2, t3;
		void *p;

		t0 = bench_now();
		p = kmem_cache_alloc(c, GFP_KERNEL);
		t1 = bench_now();
		if (p != obj) {
			bench_line("bench: slab_hot error=%s\n",
				   p ? "not_the_hot_object" : "alloc_failed");
			kmem_cache_free(c, p);
			kmem_cache_destroy(c);
			return;
		}
		t2 = bench_now();
		kmem_cache_free(c, p);
		t3 = bench_now();
		a_samples[i] = bench_less_overhead(t0, t1);
		f_samples[i] = bench_less_overhead(t2, t3);
		p_samples[i] = a_samples[i] + f_samples[i];
	}
	kmem_cache_destroy(c);
	print_pairs("hot", "size", 64, " goal=25");
}

/* One size: kmalloc + kfree, warm (one pair before the measured ones). */
static void bench_kmalloc_size(size_t size)
{
	kfree(kmalloc(size, GFP_KERNEL));
	for (size_t i = 0; i < ITERS; i++) {
		uint64_t t0, t1, t2, t3;
		void *p;

		t0 = bench_now();
		p = kmalloc(size, GFP_KERNEL);
		t1 = bench_now();
		if (!p) {
			bench_line(
				"bench: slab_kmalloc size=%zu error=alloc_failed\n",
				size);
			return;
		}
		t2 = bench_now();
		kfree(p);
		t3 = bench_now();
		a_samples[i] = bench_less_overhead(t0, t1);
		f_samples[i] = bench_less_overhead(t2, t3);
		p_samples[i] = a_samples[i] + f_samples[i];
	}
	print_pairs("kmalloc", "size", size,
		    size > KMALLOC_MAX_CACHE_SIZE ? " path=buddy" : "");
}

static void bench_kmalloc(void)
{
	static const size_t sizes[] = { 8,     16,     32,    64,    96,
					128,   192,    256,   512,   1024,
					2048,  4096,   8192,  16384, 32768,
					65536, 131072, 262144 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench_kmalloc_size(sizes[i]);
}

/* BULK allocations then BULK frees, each batch timed as a whole. */
static void bulk_round(struct kmem_cache *c, const char *phase)
{
	uint64_t t0, t1, t2, t3;
	size_t n;

	t0 = bench_now();
	for (n = 0; n < BULK; n++)
		if (!(bulk[n] = kmem_cache_alloc(c, GFP_KERNEL)))
			break;
	t1 = bench_now();
	t2 = bench_now();
	for (size_t i = 0; i < n; i++)
		kmem_cache_free(c, bulk[i]);
	t3 = bench_now();
	if (n < BULK) {
		bench_line(
			"bench: slab_bulk phase=%s error=alloc_failed_at_%zu\n",
			phase, n);
		return;
	}
	bench_line(
		"bench: slab_bulk phase=%s size=64 n=%u alloc_total=%llu alloc_per_op=%llu free_total=%llu free_per_op=%llu slabs=%lu\n",
		phase, BULK, (unsigned long long)bench_less_overhead(t0, t1),
		(unsigned long long)(bench_less_overhead(t0, t1) + BULK / 2) /
			BULK,
		(unsigned long long)bench_less_overhead(t2, t3),
		(unsigned long long)(bench_less_overhead(t2, t3) + BULK / 2) /
			BULK,
		c->nr_full + c->nr_partial + c->nr_empty);
}

static void bench_bulk(void)
{
	struct kmem_cache *c = kmem_cache_create("bench-bulk", 64, 0, 0, NULL);

	if (!c) {
		bench_line("bench: slab_bulk error=create_failed\n");
		return;
	}
	bulk_round(c, "cold"); /* every slab new from the buddy allocator */
	bulk_round(c, "warm"); /* the slabs the first round left */
	kmem_cache_destroy(c);
}

/*
 * Memory: OVERHEAD 64-byte objects, chained through their first word (no
 * array to hold them). overhead = slab bytes / bytes asked for - 1, in
 * percent. It counts the slabs' slack (none for 64 bytes:
 * 64 of them fill a page exactly), the last partial slab and the objects
 * waiting in the magazine. Not counted, because they do not depend on the
 * slab: the struct page of every page (64 bytes per 4 KiB, 1.56%, which
 * every page has anyway) and the cache's own descriptor (one struct
 * kmem_cache, about 1.3 KiB with its 8 magazines of 16 pointers, once per
 * cache, nothing per object); a hart's magazine keeps at most 16 free
 * objects aside per cache (1 KiB of 64-byte objects), which a shrink
 * returns.
 */
static void bench_overhead_64(void)
{
	struct kmem_cache *c =
		kmem_cache_create("bench-overhead", 64, 0, 0, NULL);
	void *head = NULL, *obj;
	unsigned long n, pages, slabs;
	uint64_t asked, held, bp;

	if (!c) {
		bench_line("bench: slab_overhead error=create_failed\n");
		return;
	}
	for (n = 0; n < OVERHEAD; n++) {
		if (!(obj = kmem_cache_alloc(c, GFP_KERNEL)))
			break;
		*(void **)obj = head;
		head = obj;
	}
	slabs = c->nr_full + c->nr_partial + c->nr_empty;
	pages = slabs << c->order;
	asked = (uint64_t)n * 64;
	held = (uint64_t)pages * PAGE_SIZE;
	bp = n ? (held * 10000 + asked / 2) / asked - 10000 : 0;
	bench_line(
		"bench: slab_overhead size=64 objects=%lu slabs=%lu pages=%lu objperslab=%u overhead_pct=%llu.%02llu goal=10%s\n",
		n, slabs, pages, c->objects, (unsigned long long)bp / 100,
		(unsigned long long)bp % 100,
		n < OVERHEAD ? " error=alloc_failed" : "");
	while (head) {
		obj = head;
		head = *(void **)obj;
		kmem_cache_free(c, obj);
	}
	kmem_cache_destroy(c);
}

/* The slack of every kmalloc class, from its geometry: slab / used - 1. */
static void bench_geometry(void)
{
	for (size_t size = 8; size <= KMALLOC_MAX_CACHE_SIZE; size *= 2) {
		size_t sizes[2] = { size, size == 64	? 96
					  : size == 128 ? 192
							: 0 };

		for (int k = 0; k < 2 && sizes[k]; k++) {
			void *p = kmalloc(sizes[k], GFP_KERNEL);
			const struct kmem_cache *c;
			uint64_t slab, used, bp;

			if (!p) {
				bench_line(
					"bench: slab_geometry size=%zu error=alloc_failed\n",
					sizes[k]);
				continue;
			}
			c = (const struct kmem_cache *)virt_to_page(p)->owner;
			slab = PAGE_SIZE << c->order;
			used = (uint64_t)c->objects * c->object_size;
			bp = (slab * 10000 + used / 2) / used - 10000;
			bench_line(
				"bench: slab_geometry cache=%s objsize=%u slot=%u objperslab=%u pagesperslab=%u slack_pct=%llu.%02llu\n",
				c->name, c->object_size, c->size, c->objects,
				1u << c->order, (unsigned long long)bp / 100,
				(unsigned long long)bp % 100);
			kfree(p);
		}
	}
}

static void bench_slab(void)
{
	unsigned long free0, active0;

	bench_measure_overhead();
	slab_shrink_all();
	drain_local_pages();
	free0 = nr_free_pages();
	active0 = slab_active_objects();
	bench_line(
		"bench: slab_setup exact=%d overhead=%llu iters=%u free_pages=%lu debug=%d\n",
		bench_exact_counts, (unsigned long long)bench_overhead, ITERS,
		free0, slab_debug);
	bench_hot();
	bench_kmalloc();
	bench_bulk();
	bench_overhead_64();
	bench_geometry();
	slab_shrink_all();
	drain_local_pages();
	bench_line(
		"bench: slab_check valid=%d leaked_pages=%ld leaked_objects=%ld errors=%lu\n",
		buddy_is_valid(), (long)free0 - (long)nr_free_pages(),
		(long)slab_active_objects() - (long)active0, slab_errors);
}

KBENCH(slab, bench_slab);
