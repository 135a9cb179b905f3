// SPDX-License-Identifier: MIT
/*
 * hal/virtio/virtqueue.c - split virtqueues (virtio 1.2, 2.7).
 *
 * One allocation, laid out as the legacy interface requires (and the modern
 * one allows):
 *
 *   pa + 0                 descriptor table   16 * num   (align 16)
 *   pa + 16 * num          available ring     6 + 2 * num (align 2)
 *   next 4 KiB boundary    used ring          6 + 8 * num (align 4)
 *
 * The driver owns the descriptors and the available ring; the device owns
 * the used ring. The two sides meet at two indexes, avail->idx (written by
 * us) and used->idx (written by the device), both free-running 16-bit
 * counters; ring slot = index % num, which is why num is a power of two.
 *
 * Memory ordering. The device is another agent reading and writing our RAM,
 * so the RVWMO rules between harts apply to it (QEMU runs it on another
 * host thread). Three orderings matter, each with its fence below:
 *   1. descriptors (and the buffers they name: a request header, a status
 *      byte set to "not yet") and the available-ring entry are visible
 *      before avail->idx says they exist            - fence w,w
 *   2. avail->idx is visible before the notify reaches the device, and
 *      before we read used->flags to decide whether to notify - fence rw,rw
 *      (writel's own "fence w,o" then orders the notify after it)
 *   3. used->idx is read before the used element it uncovers, and before
 *      the data and status the device wrote          - fence r,r
 */
#include <errno.h>
#include <string.h>

#include "hal/virtio/internal.h"

#define READ_ONCE16(x)	   (*(const volatile uint16_t *)&(x))
#define WRITE_ONCE16(x, v) (*(volatile uint16_t *)&(x) = (v))

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static size_t used_offset(uint16_t num)
{
	return align_up(sizeof(struct virtq_desc) * num +
				sizeof(struct virtq_avail) +
				sizeof(uint16_t) * (num + 1u),
			VIRTIO_LEGACY_PAGE);
}

size_t virtq_bytes(uint16_t num)
{
	return align_up(used_offset(num) + sizeof(struct virtq_used) +
				sizeof(struct virtq_used_elem) * num +
				sizeof(uint16_t),
			VIRTIO_LEGACY_PAGE);
}

void virtq_init(struct virtq *vq, struct virtio_mmio *dev, uint16_t num,
		void *va, phys_addr_t pa)
{
	uint8_t *base = va;

	memset(vq, 0, sizeof(*vq));
	vq->dev = dev;
	vq->num = num;
	vq->desc = (struct virtq_desc *)base;
	vq->desc_pa = pa;
	vq->avail =
		(struct virtq_avail *)(base + sizeof(struct virtq_desc) * num);
	vq->avail_pa = pa + sizeof(struct virtq_desc) * num;
	vq->used = (struct virtq_used *)(base + used_offset(num));
	vq->used_pa = pa + used_offset(num);
	for (uint16_t i = 0; i < num; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->nr_free = num;
}

int virtq_next_head(const struct virtq *vq, unsigned int n)
{
	return n && vq->nr_free >= n ? vq->free_head : -EAGAIN;
}

int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned int n)
{
	uint16_t head = vq->free_head, id = head;

	if (!n || vq->nr_free < n)
		return -EAGAIN;
	for (unsigned int i = 0; i < n; i++) {
		struct virtq_desc *d = &vq->desc[id];

		d->addr = bufs[i].pa;
		d->len = bufs[i].len;
		d->flags =
			(uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE
							  : 0) |
				   (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		id = d->next; /* the free list's link is the chain's */
	}
	vq->free_head = id;
	vq->nr_free = (uint16_t)(vq->nr_free - n);
	vq->done[head] = false;
	vq->written[head] = 0;
	/* The entry itself: the device does not look at it until avail->idx
	 * passes it (virtq_kick). */
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	vq->avail_idx++;
	return head;
}

void virtq_kick(struct virtq *vq)
{
	/*
	 * (1) Descriptors, ring entries and the request headers they point
	 * at must be visible before the new index: a device that reads the
	 * index and then a descriptor must never see a stale one.
	 */
	__asm__ volatile("fence w, w" ::: "memory");
	WRITE_ONCE16(vq->avail->idx, vq->avail_idx);
	/*
	 * (2) A full fence between publishing the index and reading
	 * used->flags: otherwise the read may pass the store, we may see a
	 * NO_NOTIFY the device set while it was still busy, and the device,
	 * having finished and cleared it, may not yet see our index - a lost
	 * wake-up on both sides (Linux's virtqueue_kick_prepare has the same
	 * mb()). The notify itself is writel(), whose "fence w,o" orders it
	 * after the index store.
	 */
	__asm__ volatile("fence rw, rw" ::: "memory");
	if (READ_ONCE16(vq->used->flags) & VIRTQ_USED_F_NO_NOTIFY) {
		vq->dev->notifies_skipped++;
		return;
	}
	vq->dev->notifies++;
	virtio_mmio_notify(vq->dev, 0);
}

unsigned int virtq_reap(struct virtq *vq)
{
	unsigned int n = 0;
	uint16_t used_idx = READ_ONCE16(vq->used->idx);

	/*
	 * (3) used->idx before the elements it covers, and before the
	 * status bytes and data the device wrote for them: loads may be
	 * reordered, and the device writes the element and the data first.
	 */
	__asm__ volatile("fence r, r" ::: "memory");
	while (vq->last_used != used_idx) {
		const struct virtq_used_elem *e =
			&vq->used->ring[vq->last_used & (vq->num - 1)];
		uint32_t id = e->id;

		if (id < vq->num) {
			vq->done[id] = true;
			vq->written[id] = e->len;
		}
		vq->last_used++;
		n++;
	}
	return n;
}

void virtq_free_chain(struct virtq *vq, uint16_t head)
{
	uint16_t id = head, n = 1;

	while (vq->desc[id].flags & VIRTQ_DESC_F_NEXT) {
		id = vq->desc[id].next;
		n++;
	}
	/* the chain's links already lead through it: hang the old free list
	 * after its tail */
	vq->desc[id].next = vq->free_head;
	vq->desc[id].flags = 0;
	vq->free_head = head;
	vq->nr_free = (uint16_t)(vq->nr_free + n);
	vq->done[head] = false;
}
