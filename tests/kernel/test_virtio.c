// SPDX-License-Identifier: MIT
/*
 * tests/kernel/test_virtio.c - virtio-mmio and virtio-blk on the disk the
 * boot found (the first one), or the absence of one.
 *
 * The QEMU scenarios (tests/scenario_table.py, virtio-*) boot this image
 * with `ktest=virtio` and a fresh zeroed disk image: legacy and modern
 * transports, slot 0 and slot 7, read-only, polled; and with no disk, where
 * every case checks instead, against the registers, that no slot holds a
 * block device. The sector patterns name their sector and the run's seed,
 * so a read that returns another sector's data, or stale data, fails.
 */
#include <errno.h>
#include <string.h>

#include "alloc/alloc.h"
#include "boot/boot.h"
#include "hal/riscv/riscv.h"
#include "hal/virtio/virtio.h"
#include "tests/kernel/ktest.h"

/* clang-format off */
#define NR_REQS       8   /* requests in flight at once */
#define REQ_SECTORS   4   /* sectors per request */
#define MMIO_DEVICE_ID  0x008
#define MMIO_STATUS     0x070
#define MMIO_CONFIG     0x100
/* clang-format on */

static void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktest_vprint(fmt, ap);
	va_end(ap);
}

/*
 * The disk under test, or NULL after checking that there really is none:
 * no probed slot's DeviceID register (read here, not through the driver)
 * says block device.
 */
static struct virtio_blk *disk(struct ktest *t)
{
	struct virtio_blk *d = virtio_blk_get(0);
	const struct virtio_mmio *m;

	if (d)
		return d;
	EXPECT_EQ(t, virtio_blk_count(), 0);
	for (unsigned int i = 0; (m = virtio_slot_get(i)); i++)
		EXPECT_TRUE(t,
			    readl(m->regs + MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK);
	diag("        # no virtio-blk disk: checked %u slots\n",
	     boot_platform.nr_virtio);
	return NULL;
}

/* A buffer of n sectors in DMA-able (direct-mapped) memory. */
static uint8_t *buffer(unsigned int n, phys_addr_t *pa)
{
	uint8_t *b =
		alloc_pages_exact((size_t)n * VIRTIO_BLK_SECTOR, GFP_KERNEL);

	if (b)
		*pa = virt_to_phys(b);
	return b;
}

static void buffer_free(uint8_t *b, unsigned int n)
{
	free_pages_exact(b, (size_t)n * VIRTIO_BLK_SECTOR);
}

/* Sector s of this run: its number and the seed in every word. */
static void pattern(uint8_t *sec, uint64_t s, uint32_t seed)
{
	uint32_t *w = (uint32_t *)sec;

	for (unsigned int i = 0; i < VIRTIO_BLK_SECTOR / 4; i++)
		w[i] = (uint32_t)s * 2654435761u ^ seed ^ i;
}

/* The first sector of request r: spread over the disk, both ends. */
static uint64_t req_sector(const struct virtio_blk *d, unsigned int r)
{
	static const uint64_t fixed[] = { 0, 5, 64, 1000 };

	if (r < 4)
		return fixed[r];
	return d->capacity - REQ_SECTORS -
	       (uint64_t)(r - 4) * (d->capacity / 7);
}

static void disk_is_set_up(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	uint32_t status, lo, hi;

	if (!d)
		return;
	lo = readl(d->mmio.regs + MMIO_CONFIG);
	hi = readl(d->mmio.regs + MMIO_CONFIG + 4);
	EXPECT_EQ(t, d->capacity, (uint64_t)hi << 32 | lo);
	EXPECT_TRUE(t, d->capacity >= 1024);
	EXPECT_STREQ(t, d->name, "vda");
	EXPECT_EQ(t, readl(d->mmio.regs + MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	status = readl(d->mmio.regs + MMIO_STATUS);
	EXPECT_EQ(t, status & VIRTIO_STATUS_FAILED, 0);
	EXPECT_TRUE(t, status & VIRTIO_STATUS_DRIVER_OK);
	if (d->mmio.version == 2) {
		EXPECT_TRUE(t, status & VIRTIO_STATUS_FEATURES_OK);
		EXPECT_TRUE(t, d->mmio.features & 1ULL << VIRTIO_F_VERSION_1);
	} else {
		EXPECT_EQ(t, d->mmio.version, 1);
		EXPECT_EQ(t, d->mmio.features >> 32, 0);
	}
	/* the slot is the rank by address among the tree's virtio nodes */
	EXPECT_EQ(t, d->mmio.slot, (d->mmio.pa - 0x10001000) / 0x1000);
	EXPECT_TRUE(t, (d->vq.num & (d->vq.num - 1)) == 0 && d->vq.num >= 4);
	EXPECT_EQ(t, d->in_flight, 0);
	diag("        # %s: %llu sectors, %s, %s, version %u, queue of %u\n",
	     d->name, (unsigned long long)d->capacity,
	     d->read_only ? "ro" : "rw", d->mmio.use_irq ? "irq" : "polled",
	     d->mmio.version, d->vq.num);
}

/* Submit NR_REQS requests before completing any: all in flight at once. */
static void submit_all(struct ktest *t, struct virtio_blk *d, uint32_t type,
		       phys_addr_t pa, int *ids)
{
	for (unsigned int r = 0; r < NR_REQS; r++) {
		ids[r] = virtio_blk_submit(d, type, req_sector(d, r),
					   pa + (phys_addr_t)r * REQ_SECTORS *
							   VIRTIO_BLK_SECTOR,
					   REQ_SECTORS);
		EXPECT_TRUE(t, ids[r] >= 0);
	}
	EXPECT_EQ(t, d->in_flight, NR_REQS);
	for (unsigned int r = 1; r < NR_REQS; r++)
		EXPECT_TRUE(t, ids[r] != ids[0]);
}

static void writes_and_reads_in_flight(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	const unsigned int n = NR_REQS * REQ_SECTORS;
	uint32_t seed = (uint32_t)rdtime();
	phys_addr_t wpa = 0, rpa = 0;
	uint8_t *w, *r;
	int ids[NR_REQS];

	if (!d)
		return;
	w = buffer(n, &wpa);
	r = buffer(n, &rpa);
	ASSERT_TRUE(t, w && r);
	for (unsigned int q = 0; q < NR_REQS; q++)
		for (unsigned int s = 0; s < REQ_SECTORS; s++)
			pattern(w + (q * REQ_SECTORS + s) * VIRTIO_BLK_SECTOR,
				req_sector(d, q) + s, seed);
	if (d->read_only) /* a fresh zeroed image */
		memset(w, 0, (size_t)n * VIRTIO_BLK_SECTOR);
	else {
		submit_all(t, d, VIRTIO_BLK_T_OUT, wpa, ids);
		/* reaped by id, out of order: the last first */
		for (int q = NR_REQS - 1; q >= 0; q--)
			EXPECT_EQ(t, virtio_blk_complete(d, ids[q]), 0);
	}
	memset(r, 0xaa, (size_t)n * VIRTIO_BLK_SECTOR);
	submit_all(t, d, VIRTIO_BLK_T_IN, rpa, ids);
	for (unsigned int q = 0; q < NR_REQS; q++)
		EXPECT_EQ(t, virtio_blk_complete(d, ids[q]), 0);
	EXPECT_EQ(t, d->in_flight, 0);
	for (unsigned int q = 0; q < NR_REQS; q++)
		EXPECT_TRUE(t, !memcmp(r + q * REQ_SECTORS * VIRTIO_BLK_SECTOR,
				       w + q * REQ_SECTORS * VIRTIO_BLK_SECTOR,
				       REQ_SECTORS * VIRTIO_BLK_SECTOR));
	buffer_free(w, n);
	buffer_free(r, n);
}

static void sync_rw_and_flush(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	uint64_t last;
	phys_addr_t pa = 0;
	uint8_t *b, want[VIRTIO_BLK_SECTOR];

	if (!d)
		return;
	last = d->capacity - 1;
	b = buffer(1, &pa);
	ASSERT_TRUE(t, b != NULL);
	pattern(want, last, 0x5eed);
	if (d->read_only)
		memset(want, 0, sizeof(want));
	memcpy(b, want, sizeof(want));
	EXPECT_EQ(t, virtio_blk_rw(d, last, b, pa, 1, true),
		  d->read_only ? -EROFS : 0);
	/* QEMU offers FLUSH; with it the request goes to the device */
	EXPECT_TRUE(t, d->has_flush);
	EXPECT_EQ(t, virtio_blk_flush(d), 0);
	memset(b, 0x55, VIRTIO_BLK_SECTOR);
	EXPECT_EQ(t, virtio_blk_rw(d, last, b, pa, 1, false), 0);
	EXPECT_TRUE(t, !memcmp(b, want, sizeof(want)));
	buffer_free(b, 1);
}

static void out_of_range_is_einval(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	uint64_t cap;
	phys_addr_t pa = 0;
	uint8_t *b;

	if (!d)
		return;
	cap = d->capacity;
	b = buffer(2, &pa);
	ASSERT_TRUE(t, b != NULL);
	EXPECT_EQ(t, virtio_blk_rw(d, cap, b, pa, 1, false), -EINVAL);
	EXPECT_EQ(t, virtio_blk_rw(d, cap - 1, b, pa, 2, false), -EINVAL);
	EXPECT_EQ(t, virtio_blk_rw(d, UINT64_MAX, b, pa, 1, false), -EINVAL);
	EXPECT_EQ(t, virtio_blk_rw(d, 0, b, pa, 0, false), -EINVAL);
	EXPECT_EQ(t, virtio_blk_submit(d, 99, 0, pa, 1), -EINVAL);
	EXPECT_EQ(t, virtio_blk_complete(d, 0), -EINVAL); /* not submitted */
	EXPECT_EQ(t, virtio_blk_rw(d, cap - 2, b, pa, 2, false), 0);
	EXPECT_EQ(t, d->in_flight, 0);
	buffer_free(b, 2);
}

/*
 * The device's own error status: the driver is told the disk is larger
 * (so it sends the request), QEMU answers IOERR, which is -EIO.
 */
static void device_error_is_eio(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	uint64_t cap;
	phys_addr_t pa = 0;
	uint8_t *b;

	if (!d)
		return;
	cap = d->capacity;
	b = buffer(1, &pa);
	ASSERT_TRUE(t, b != NULL);
	d->capacity = cap + 64;
	EXPECT_EQ(t, virtio_blk_rw(d, cap + 8, b, pa, 1, false), -EIO);
	d->capacity = cap;
	EXPECT_EQ(t, d->in_flight, 0);
	/* and the disk still works */
	EXPECT_EQ(t, virtio_blk_rw(d, 0, b, pa, 1, false), 0);
	buffer_free(b, 1);
}

/* Read-only: -EROFS from the driver; and if the driver is fooled, the
 * device itself refuses (-EIO). A writable disk takes the write. */
static void read_only_is_erofs(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	phys_addr_t pa = 0;
	uint8_t *b;

	if (!d)
		return;
	b = buffer(1, &pa);
	ASSERT_TRUE(t, b != NULL);
	memset(b, 0x77, VIRTIO_BLK_SECTOR);
	if (!d->read_only) {
		EXPECT_EQ(t, d->mmio.features & 1ULL << VIRTIO_BLK_F_RO, 0);
		EXPECT_EQ(t, virtio_blk_rw(d, 2, b, pa, 1, true), 0);
	} else {
		EXPECT_TRUE(t, d->mmio.features & 1ULL << VIRTIO_BLK_F_RO);
		EXPECT_EQ(t, virtio_blk_rw(d, 2, b, pa, 1, true), -EROFS);
		EXPECT_EQ(t, virtio_blk_submit(d, VIRTIO_BLK_T_OUT, 2, pa, 1),
			  -EROFS);
		d->read_only = false;
		EXPECT_EQ(t, virtio_blk_rw(d, 2, b, pa, 1, true), -EIO);
		d->read_only = true;
		memset(b, 0x77, VIRTIO_BLK_SECTOR);
		EXPECT_EQ(t, virtio_blk_rw(d, 2, b, pa, 1, false), 0);
		EXPECT_EQ(t, b[0], 0); /* still the zeroed image */
	}
	EXPECT_EQ(t, d->in_flight, 0);
	buffer_free(b, 1);
}

/* Requests until the queue is full: three descriptors each. */
static void queue_fills_and_drains(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	int ids[VIRTQ_MAX_SIZE], n = 0, id = 0;
	phys_addr_t pa = 0;
	uint8_t *b;

	if (!d)
		return;
	b = buffer(VIRTQ_MAX_SIZE, &pa);
	ASSERT_TRUE(t, b != NULL);
	while (n < VIRTQ_MAX_SIZE &&
	       (id = virtio_blk_submit(d, VIRTIO_BLK_T_IN, (uint64_t)n,
				       pa + (phys_addr_t)n * VIRTIO_BLK_SECTOR,
				       1)) >= 0)
		ids[n++] = id;
	EXPECT_EQ(t, id, -EAGAIN);
	EXPECT_EQ(t, n, d->vq.num / 3);
	EXPECT_EQ(t, d->vq.nr_free, d->vq.num - 3 * n);
	for (int i = 0; i < n; i++)
		EXPECT_EQ(t, virtio_blk_complete(d, ids[i]), 0);
	EXPECT_EQ(t, d->vq.nr_free, d->vq.num);
	EXPECT_EQ(t, d->in_flight, 0);
	buffer_free(b, VIRTQ_MAX_SIZE);
}

/*
 * The way completions are waited for is the one the boot line says: with
 * the PLIC, a finished request raises sip.SEIP (the source enabled for this
 * hart's S context) and the wait claims it; polled, nothing is pending.
 */
static void woken_by_irq_or_polled(struct ktest *t)
{
	struct virtio_blk *d = disk(t);
	uint64_t give_up = rdtime() + timer_hz();
	unsigned long irqs;
	phys_addr_t pa = 0;
	uint8_t *b;
	int id;

	if (!d)
		return;
	b = buffer(1, &pa);
	ASSERT_TRUE(t, b != NULL);
	irqs = d->mmio.irqs;
	id = virtio_blk_submit(d, VIRTIO_BLK_T_IN, 0, pa, 1);
	ASSERT_TRUE(t, id >= 0);
	/* the device finishes without us looking at the ring */
	while (*(volatile uint16_t *)&d->vq.used->idx == d->vq.last_used &&
	       rdtime() < give_up)
		;
	if (d->mmio.use_irq) {
		EXPECT_TRUE(t, boot_platform.has_plic);
		while (!(csr_read(CSR_SIP) & SIE_SEIE) && rdtime() < give_up)
			;
		EXPECT_TRUE(t, csr_read(CSR_SIP) & SIE_SEIE);
		EXPECT_EQ(t, virtio_blk_complete(d, id), 0);
		EXPECT_TRUE(t, d->mmio.irqs > irqs);
		EXPECT_EQ(t, csr_read(CSR_SIP) & SIE_SEIE, 0); /* claimed */
		EXPECT_EQ(t, d->mmio.polls, 0);
	} else {
		EXPECT_EQ(t, csr_read(CSR_SIP) & SIE_SEIE, 0);
		EXPECT_TRUE(t, d->vq.avail->flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
		EXPECT_EQ(t, virtio_blk_complete(d, id), 0);
		EXPECT_EQ(t, d->mmio.irqs, 0);
	}
	diag("        # %s: %lu interrupts, %lu polls, %lu notifies (%lu skipped)\n",
	     d->name, d->mmio.irqs, d->mmio.polls, d->mmio.notifies,
	     d->mmio.notifies_skipped);
	EXPECT_TRUE(t, d->mmio.notifies > 0);
	/* interrupts are left as the boot had them */
	EXPECT_EQ(t, csr_read(CSR_SIE) & SIE_SEIE, 0);
	EXPECT_EQ(t, csr_read(CSR_SSTATUS) & SSTATUS_SIE, 0);
	buffer_free(b, 1);
}

KTEST_SUITE(virtio, KTEST_CASE(disk_is_set_up),
	    KTEST_CASE(writes_and_reads_in_flight),
	    KTEST_CASE(sync_rw_and_flush), KTEST_CASE(out_of_range_is_einval),
	    KTEST_CASE(device_error_is_eio), KTEST_CASE(read_only_is_erofs),
	    KTEST_CASE(queue_fills_and_drains),
	    KTEST_CASE(woken_by_irq_or_polled));
