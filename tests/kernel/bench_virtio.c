// SPDX-License-Identifier: MIT
/*
 * tests/kernel/bench_virtio.c - raw sequential virtio-blk throughput, the
 * yardstick for swap's (bootarg bench=virtio_seq; make bench BENCH=swap,
 * which boots this on a scratch disk and then apps/swapbench, and prints
 * swap's throughput over this).
 *
 * Without a disk (make bench of everything) a comment line says so. On
 * the first disk, which must be scratch space: a disk whose page 0 ends
 * in SWAPSPACE2 is refused (error=swap_area), never written. BYTES are
 * written, then read, from sector 0 up, in requests of REQ bytes with up
 * to DEPTH in flight (submitted until DEPTH are out, then the oldest
 * completed and the next submitted), for each of
 *
 *   REQ 4096 DEPTH 1    a page at a time, waiting for each: a synchronous
 *                       swap-out or swap-in of one page
 *   REQ 4096 DEPTH 8    pages, several in flight
 *   REQ 65536 DEPTH 1   16 pages a request
 *   REQ 65536 DEPTH 3   16 pages a request, several in flight
 *
 *   bench: virtio_seq exact=0|1 op=write|read req=N depth=N bytes=N runs=3
 *          ns=N min_ns=N max_ns=N mib_s=X.XX requests=N
 *          instructions_per_req=N
 *
 * Each case runs RUNS times; the run of median time is printed (ns, mib_s
 * and its instructions), with the fastest and slowest times. ns is
 * timer_ns() across a run, the device's time included. Which numbers mean
 * something depends on the clock (exact= says which it was):
 *
 *   without -icount  ns and mib_s are the host's real time: throughput;
 *                    instret follows the host's cycle counter
 *   -icount shift=0  instructions_per_req is exact, the driver's cost
 *                    per request; but virtual time is instructions, and
 *                    QEMU completes requests between them, so the device
 *                    takes no time and mib_s means nothing
 *
 * make bench BENCH=swap boots this both ways. Depth is capped at what the
 * queue holds (a third of its descriptors).
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "hal/riscv/riscv.h"
#include "hal/virtio/virtio.h"
#include "tests/kernel/bench.h"
#include "tests/kernel/ktest.h"

/* clang-format off */
#define BYTES      (32UL << 20)  /* per run, case and direction */
#define RUNS       3             /* runs of each case: the median is kept */
#define MAX_REQ    65536UL       /* the largest request, bytes */
#define MAX_DEPTH  8
/* clang-format on */

static const struct {
	unsigned long req;
	unsigned int depth;
} cases[] = { { 4096, 1 }, { 4096, 8 }, { 65536, 1 }, { 65536, 3 } };

/* One run of one case: its time and instructions; 0 or the first error. */
static int run_once(struct virtio_blk *d, bool write, unsigned long req,
		    unsigned int depth, phys_addr_t pa, uint64_t *ns,
		    uint64_t *instr)
{
	uint32_t type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	unsigned int nsec = (unsigned int)(req / VIRTIO_BLK_SECTOR);
	unsigned long nreq = BYTES / req, sent = 0, done = 0;
	unsigned int head = 0, out = 0;
	int ids[MAX_DEPTH];
	uint64_t t0, i0;
	int r;

	t0 = timer_ns();
	i0 = bench_now();
	while (done < nreq) {
		/* request k uses buffer k % depth: never two in flight */
		while (sent < nreq && out < depth) {
			r = virtio_blk_submit(d, type, sent * nsec,
					      pa + (sent % depth) * req, nsec);
			if (r < 0)
				return r;
			ids[(head + out) % MAX_DEPTH] = r;
			out++;
			sent++;
		}
		r = virtio_blk_complete(d, ids[head]);
		if (r < 0)
			return r;
		head = (head + 1) % MAX_DEPTH;
		out--;
		done++;
	}
	*instr = bench_now() - i0;
	*ns = timer_ns() - t0;
	if (!*ns)
		*ns = 1;
	return 0;
}

/* RUNS runs of one case, the median by time printed; 0 or an error. */
static int run(struct virtio_blk *d, bool write, unsigned long req,
	       unsigned int depth, phys_addr_t pa)
{
	uint64_t ns[RUNS], instr[RUNS];
	unsigned int order[RUNS], m;
	uint64_t x100;
	int r;

	for (unsigned int i = 0; i < RUNS; i++) {
		r = run_once(d, write, req, depth, pa, &ns[i], &instr[i]);
		if (r)
			return r;
		order[i] = i;
	}
	for (unsigned int i = 1; i < RUNS; i++) /* insertion sort by ns */
		for (unsigned int j = i; j && ns[order[j - 1]] > ns[order[j]];
		     j--) {
			unsigned int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	m = order[RUNS / 2];
	/* MiB/s in hundredths: BYTES / 2^20 / (ns / 1e9) * 100 */
	x100 = BYTES / 1024 * 100000000000ULL / ns[m] / 1024;
	bench_line("bench: virtio_seq exact=%d op=%s req=%lu depth=%u "
		   "bytes=%lu runs=%u ns=%llu min_ns=%llu max_ns=%llu "
		   "mib_s=%llu.%02llu requests=%lu instructions_per_req=%llu\n",
		   bench_exact_counts, write ? "write" : "read", req, depth,
		   BYTES, RUNS, (unsigned long long)ns[m],
		   (unsigned long long)ns[order[0]],
		   (unsigned long long)ns[order[RUNS - 1]],
		   (unsigned long long)(x100 / 100),
		   (unsigned long long)(x100 % 100), BYTES / req,
		   (unsigned long long)(instr[m] / (BYTES / req)));
	return 0;
}

static void virtio_seq(void)
{
	struct virtio_blk *d = virtio_blk_get(0);
	size_t size = MAX_REQ * MAX_DEPTH;
	uint8_t *buf;
	phys_addr_t pa;
	int r = 0;

	bench_measure_overhead();
	if (!d) {
		/* make bench (all) boots without one: nothing to measure */
		bench_line("# virtio_seq: no disk (make bench BENCH=swap "
			   "gives it a scratch disk)\n");
		return;
	}
	if (d->read_only || d->capacity * VIRTIO_BLK_SECTOR < BYTES) {
		bench_line("bench: virtio_seq error=%s\n",
			   d->read_only ? "read_only" : "disk_below_32MiB");
		return;
	}
	buf = alloc_pages_exact(size, GFP_KERNEL);
	if (!buf) {
		bench_line("bench: virtio_seq error=no_memory\n");
		return;
	}
	pa = virt_to_phys(buf);
	/* page 0 of a swap area ends in its signature: leave such a disk be */
	r = virtio_blk_rw(d, 0, buf, pa, 8, false);
	if (!r && !memcmp(buf + 4096 - 10, "SWAPSPACE2", 10)) {
		bench_line("bench: virtio_seq error=swap_area disk=%s "
			   "(a scratch disk, not a swap area)\n",
			   d->name);
		goto out;
	}
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	for (int w = 1; w >= 0 && !r; w--)
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]) && !r;
		     c++) {
			unsigned int depth = cases[c].depth;

			if (depth > d->vq.num / 3)
				depth = d->vq.num / 3;
			r = run(d, w, cases[c].req, depth, pa);
		}
	if (r)
		bench_line("bench: virtio_seq error=io_%d disk=%s\n", r,
			   d->name);
out:
	free_pages_exact(buf, size);
}

KBENCH(virtio_seq, virtio_seq);
