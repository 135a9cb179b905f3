// SPDX-License-Identifier: MIT
/*
 * hal/virtio/mmio.c - the virtio-mmio transport (virtio 1.2, 4.2).
 *
 * Two register layouts share the window: version 1 ("legacy", QEMU's
 * default) places a queue by one page frame number (GuestPageSize,
 * QueuePFN, QueueAlign) and has no FEATURES_OK step; version 2 ("modern")
 * takes the three ring addresses apart (QueueDesc, QueueDriver,
 * QueueDevice, 64 bits each), a QueueReady switch, the FEATURES_OK
 * handshake and VIRTIO_F_VERSION_1. Everything else is common.
 *
 * The status register is a state machine the driver walks forward:
 *
 *   0 (reset) -> ACKNOWLEDGE -> DRIVER -> [features] -> FEATURES_OK (v2)
 *     -> [queues, config] -> DRIVER_OK;  FAILED on any error
 *
 * Waiting for a device: with a PLIC and a context for this hart, the
 * device's source is enabled there and the hart sleeps in wfi with
 * sie.SEIE set but sstatus.SIE clear (timer_wait_until's trick): the
 * interrupt ends the wfi and is never taken as a trap; we claim it, ack
 * the device's InterruptStatus, complete it, and look at the used ring.
 * The timer is armed at the deadline so that a lost interrupt cannot hang
 * the hart. Without a PLIC (or with force_poll) the used ring is polled.
 */
#include <errno.h>

#include "hal/virtio/internal.h"

/* The devices whose interrupts come through the PLIC, to ack by source. */
static struct virtio_mmio *irq_devices[VIRTIO_MAX_SLOTS];
static unsigned int nr_irq_devices;

static uint32_t rd(const struct virtio_mmio *m, unsigned int off)
{
	return readl(m->regs + off);
}

static void wr(const struct virtio_mmio *m, unsigned int off, uint32_t v)
{
	writel(v, m->regs + off);
}

int virtio_mmio_probe(struct virtio_mmio *m, const struct virtio_slot *s,
		      unsigned int slot)
{
	m->regs = (volatile uint8_t *)s->regs;
	m->pa = s->pa;
	m->slot = slot;
	m->irq = s->irq;
	if (rd(m, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC)
		return -ENODEV;
	m->version = rd(m, VIRTIO_MMIO_VERSION);
	if (m->version != 1 && m->version != 2)
		return -ENODEV;
	m->device_id = rd(m, VIRTIO_MMIO_DEVICE_ID);
	return 0;
}

static void set_status(struct virtio_mmio *m, uint32_t bits)
{
	wr(m, VIRTIO_MMIO_STATUS, rd(m, VIRTIO_MMIO_STATUS) | bits);
}

void virtio_mmio_fail(struct virtio_mmio *m)
{
	set_status(m, VIRTIO_STATUS_FAILED);
}

static void reset(struct virtio_mmio *m)
{
	wr(m, VIRTIO_MMIO_STATUS, 0);
	/* a modern device may take time to reset: it reads 0 when done */
	if (m->version == 2)
		for (int i = 0; i < 1000000 && rd(m, VIRTIO_MMIO_STATUS); i++)
			;
}

static uint64_t device_features(struct virtio_mmio *m)
{
	uint64_t f;

	wr(m, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	f = rd(m, VIRTIO_MMIO_DEVICE_FEATURES);
	wr(m, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	return f | (uint64_t)rd(m, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
}

int virtio_mmio_negotiate(struct virtio_mmio *m, uint64_t wanted)
{
	const uint64_t v1 = 1ULL << VIRTIO_F_VERSION_1;
	uint64_t offered;

	reset(m);
	set_status(m, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(m, VIRTIO_STATUS_DRIVER);
	offered = device_features(m);
	if (m->version == 2) {
		/* a modern device without VERSION_1 speaks only legacy,
		 * which this layout cannot carry */
		if (!(offered & v1))
			goto fail;
		wanted |= v1;
	} else {
		wanted &= ~v1; /* legacy: nothing above bit 31 exists */
	}
	m->features = offered & wanted;
	wr(m, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(m, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)m->features);
	wr(m, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(m, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(m->features >> 32));
	if (m->version == 2) {
		/* the device may refuse our subset: it then leaves
		 * FEATURES_OK clear, which only a re-read shows */
		set_status(m, VIRTIO_STATUS_FEATURES_OK);
		if (!(rd(m, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
			goto fail;
	} else {
		/* GuestPageSize: the unit of QueuePFN, set before any queue */
		wr(m, VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_LEGACY_PAGE);
	}
	return 0;
fail:
	virtio_mmio_fail(m);
	return -ENODEV;
}

int virtio_mmio_setup_queue(struct virtio_mmio *m, unsigned int index,
			    struct virtq *vq, virtio_dma_alloc_t dma_alloc)
{
	uint32_t max;
	uint16_t num = VIRTQ_MAX_SIZE;
	void *va;
	phys_addr_t pa;

	wr(m, VIRTIO_MMIO_QUEUE_SEL, index);
	/* the queue must not be in use already */
	if (rd(m, m->version == 2 ? VIRTIO_MMIO_QUEUE_READY
				  : VIRTIO_MMIO_QUEUE_PFN))
		return -ENODEV;
	max = rd(m, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (!max)
		return -ENODEV; /* no such queue */
	while (num > max)
		num /= 2;
	if (!num || dma_alloc(virtq_bytes(num), &va, &pa))
		return -ENOMEM;
	virtq_init(vq, m, num, va, pa);
	wr(m, VIRTIO_MMIO_QUEUE_NUM, num);
	if (m->version == 1) {
		/* one frame number: the used ring at the next QueueAlign
		 * boundary after the available ring (virtq_bytes' layout) */
		wr(m, VIRTIO_MMIO_QUEUE_ALIGN, VIRTIO_LEGACY_PAGE);
		wr(m, VIRTIO_MMIO_QUEUE_PFN,
		   (uint32_t)(pa / VIRTIO_LEGACY_PAGE));
	} else {
		wr(m, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)vq->desc_pa);
		wr(m, VIRTIO_MMIO_QUEUE_DESC_HIGH,
		   (uint32_t)(vq->desc_pa >> 32));
		wr(m, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)vq->avail_pa);
		wr(m, VIRTIO_MMIO_QUEUE_DRIVER_HIGH,
		   (uint32_t)(vq->avail_pa >> 32));
		wr(m, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)vq->used_pa);
		wr(m, VIRTIO_MMIO_QUEUE_DEVICE_HIGH,
		   (uint32_t)(vq->used_pa >> 32));
		wr(m, VIRTIO_MMIO_QUEUE_READY, 1);
	}
	if (!m->use_irq)
		/* polled: a hint that the device need not interrupt */
		vq->avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	return 0;
}

void virtio_mmio_driver_ok(struct virtio_mmio *m)
{
	set_status(m, VIRTIO_STATUS_DRIVER_OK);
}

uint32_t virtio_mmio_config32(struct virtio_mmio *m, unsigned int off)
{
	return rd(m, VIRTIO_MMIO_CONFIG + off);
}

uint64_t virtio_mmio_config64(struct virtio_mmio *m, unsigned int off)
{
	uint32_t gen, lo, hi;

	/* two 32-bit reads can straddle a change of the device's config; a
	 * modern device bumps ConfigGeneration then: read again */
	do {
		gen = m->version == 2 ? rd(m, VIRTIO_MMIO_CONFIG_GENERATION)
				      : 0;
		lo = rd(m, VIRTIO_MMIO_CONFIG + off);
		hi = rd(m, VIRTIO_MMIO_CONFIG + off + 4);
	} while (m->version == 2 &&
		 gen != rd(m, VIRTIO_MMIO_CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

void virtio_mmio_notify(struct virtio_mmio *m, unsigned int queue)
{
	/* writel: "fence w,o" first, so the ring is in memory before the
	 * device hears of it */
	wr(m, VIRTIO_MMIO_QUEUE_NOTIFY, queue);
}

void virtio_mmio_use_irq(struct virtio_mmio *m)
{
	if (nr_irq_devices == VIRTIO_MAX_SLOTS)
		return;
	irq_devices[nr_irq_devices++] = m;
	m->use_irq = true;
	plic_enable(m->irq);
}

/* Claim every pending source: ack the device behind it, complete it. */
static void handle_plic(void)
{
	uint32_t irq;

	while ((irq = plic_claim())) {
		for (unsigned int i = 0; i < nr_irq_devices; i++) {
			struct virtio_mmio *m = irq_devices[i];

			if (m->irq != irq)
				continue;
			/* ack before complete: the line is level-triggered
			 * and would pend the source again */
			wr(m, VIRTIO_MMIO_INTERRUPT_ACK,
			   rd(m, VIRTIO_MMIO_INTERRUPT_STATUS));
			m->irqs++;
		}
		plic_complete(irq);
	}
}

int virtio_mmio_wait(struct virtq *vq, uint16_t id, uint64_t deadline)
{
	struct virtio_mmio *m = vq->dev;
	unsigned long flags = irq_save(); /* wfi must wake, not trap */
	int err = 0;

	for (;;) {
		virtq_reap(vq);
		if (vq->done[id])
			break;
		if (rdtime() >= deadline) {
			err = -ETIMEDOUT;
			break;
		}
		if (!m->use_irq) {
			m->polls++;
			continue;
		}
		/*
		 * An interrupt raised since the reap above is still pending
		 * (level, unclaimed): wfi returns at once, nothing is lost.
		 */
		csr_set(CSR_SIE, SIE_SEIE);
		timer_arm(deadline);
		wfi();
		timer_disarm();
		csr_clear(CSR_SIE, SIE_SEIE);
		handle_plic();
	}
	/* the device may have finished before we slept: its interrupt is
	 * then still pending; take it now, not at some later wait */
	if (m->use_irq)
		handle_plic();
	irq_restore(flags);
	return err;
}
