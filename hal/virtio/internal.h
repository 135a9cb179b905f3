/* SPDX-License-Identifier: MIT */
/*
 * hal/virtio/internal.h - the virtio-mmio register map and what the files
 * of hal/virtio/ share: the transport's steps, the split ring's calls.
 */
#ifndef PAGODA_HAL_VIRTIO_INTERNAL_H
#define PAGODA_HAL_VIRTIO_INTERNAL_H

#include "hal/virtio/virtio.h"

/* clang-format off */
/* virtio-mmio registers (virtio 1.2, 4.2.2; legacy: 4.2.4) */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000  /* "virt" */
#define VIRTIO_MMIO_VERSION             0x004  /* 1 legacy, 2 modern */
#define VIRTIO_MMIO_DEVICE_ID           0x008  /* 0: no device in the slot */
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028  /* legacy only */
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c  /* legacy only */
#define VIRTIO_MMIO_QUEUE_PFN           0x040  /* legacy only */
#define VIRTIO_MMIO_QUEUE_READY         0x044  /* modern only */
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080  /* modern only, and below */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090  /* the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0  /* the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc  /* modern only */
#define VIRTIO_MMIO_CONFIG              0x100  /* the device's own */

#define VIRTIO_MMIO_MAGIC               0x74726976
#define VIRTIO_LEGACY_PAGE              4096   /* GuestPageSize, QueueAlign */
/* clang-format on */

/* ---- the transport (mmio.c) ---- */
/*
 * Check the magic and the version, read the device id (0: an empty slot).
 * 0, or -ENODEV for no virtio-mmio device at all.
 */
int virtio_mmio_probe(struct virtio_mmio *m, const struct virtio_slot *s,
		      unsigned int slot);
/*
 * Reset, ACKNOWLEDGE, DRIVER, then negotiate: the device's features that
 * are in wanted (plus VIRTIO_F_VERSION_1 on a modern device, which must
 * offer it), FEATURES_OK written and read back on a modern device. On
 * failure the status is FAILED and the result -ENODEV.
 */
int virtio_mmio_negotiate(struct virtio_mmio *m, uint64_t wanted);
/* Queue index: allocate and lay out vq (num descriptors at most
 * VIRTQ_MAX_SIZE), tell the device where it is. 0, -ENOMEM or -ENODEV. */
int virtio_mmio_setup_queue(struct virtio_mmio *m, unsigned int index,
			    struct virtq *vq, virtio_dma_alloc_t dma_alloc);
void virtio_mmio_driver_ok(struct virtio_mmio *m);
/* Status FAILED: the device gives up on us. */
void virtio_mmio_fail(struct virtio_mmio *m);
/* Read the device's configuration space (a stable copy on v2). */
uint32_t virtio_mmio_config32(struct virtio_mmio *m, unsigned int off);
uint64_t virtio_mmio_config64(struct virtio_mmio *m, unsigned int off);
void virtio_mmio_notify(struct virtio_mmio *m, unsigned int queue);
/* Take the device's interrupt through the PLIC from now on (if any). */
void virtio_mmio_use_irq(struct virtio_mmio *m);
/*
 * Reap vq until head id is done or the deadline (time CSR) passes:
 * 0 or -ETIMEDOUT.
 */
int virtio_mmio_wait(struct virtq *vq, uint16_t id, uint64_t deadline);

/* ---- split virtqueues (virtqueue.c) ---- */
/* Bytes of a queue of num descriptors: the legacy layout, used ring on the
 * next VIRTIO_LEGACY_PAGE boundary (valid for modern devices too). */
size_t virtq_bytes(uint16_t num);
/* Lay the rings out in zeroed memory at va/pa; every descriptor free. */
void virtq_init(struct virtq *vq, struct virtio_mmio *dev, uint16_t num,
		void *va, phys_addr_t pa);
/* The head id the next chain of n descriptors will get; -EAGAIN: full. */
int virtq_next_head(const struct virtq *vq, unsigned int n);
/* Chain n buffers and put the chain in the available ring (not yet seen
 * by the device: virtq_kick). Returns the head id or -EAGAIN. */
int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned int n);
/* Publish the added chains and notify the device unless it said not to. */
void virtq_kick(struct virtq *vq);
/* Consume the used ring: mark each chain done. Returns how many. */
unsigned int virtq_reap(struct virtq *vq);
/* Give a done chain's descriptors back. */
void virtq_free_chain(struct virtq *vq, uint16_t head);

#endif /* PAGODA_HAL_VIRTIO_INTERNAL_H */
