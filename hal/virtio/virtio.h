/* SPDX-License-Identifier: MIT */
/*
 * hal/virtio/virtio.h - virtio over memory-mapped I/O, and virtio-blk.
 *
 * Three layers, each in its own file:
 *
 *   mmio.c       the virtio-mmio transport (legacy version 1 and modern
 *                version 2 register layouts), the status state machine,
 *                feature negotiation, queue setup, and waiting for a
 *                device: wfi woken by its interrupt through the PLIC, or
 *                polling
 *   virtqueue.c  split virtqueues: descriptor table, available ring, used
 *                ring, chains added and reaped by head id
 *   blk.c        virtio-blk: capacity, read-only, read/write/flush, a
 *                synchronous call and an asynchronous submit/complete pair
 *   (the PLIC the waiting needs is hal/riscv/plic.c)
 *
 * The contract with the floors above (docs/virtio.md): hal/ cannot allocate
 * memory, so the boot hands in a function returning zeroed, physically
 * contiguous pages with their kernel address and their physical address
 * (struct virtio_host), and the device registers already mapped. Nothing
 * here is freed: the drivers live as long as the runtime.
 *
 * Only the boot hart calls into this code, with interrupts off; nothing here
 * takes a lock.
 */
#ifndef PAGODA_HAL_VIRTIO_H
#define PAGODA_HAL_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/riscv/riscv.h"

/* clang-format off */
#define VIRTIO_MAX_SLOTS     16   /* virtio-mmio nodes the boot may hand in */
#define VIRTIO_BLK_MAX       8    /* disks: vda .. vdh */
#define VIRTQ_MAX_SIZE       128  /* descriptors per queue we ask for */
#define VIRTIO_BLK_MAX_SEGS  32   /* data segments of one request */
#define VIRTIO_BLK_SECTOR    512  /* virtio-blk counts in 512-byte sectors */
#define VIRTIO_TIMEOUT_NS    5000000000ULL /* a request not back by then: -ETIMEDOUT */

/* Device status bits (virtio 1.2, 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE  1
#define VIRTIO_STATUS_DRIVER       2
#define VIRTIO_STATUS_DRIVER_OK    4
#define VIRTIO_STATUS_FEATURES_OK  8
#define VIRTIO_STATUS_NEEDS_RESET  64
#define VIRTIO_STATUS_FAILED       128

/* Device ids (virtio 1.2, 5) */
#define VIRTIO_ID_BLOCK            2

/* Feature bits */
#define VIRTIO_F_VERSION_1         32  /* the modern interface */
#define VIRTIO_BLK_F_RO            5   /* the disk is read-only */
#define VIRTIO_BLK_F_FLUSH         9   /* the FLUSH request exists */

/* virtio-blk request types and status (virtio 1.2, 5.2.6) */
#define VIRTIO_BLK_T_IN            0
#define VIRTIO_BLK_T_OUT           1
#define VIRTIO_BLK_T_FLUSH         4
#define VIRTIO_BLK_S_OK            0
#define VIRTIO_BLK_S_IOERR         1
#define VIRTIO_BLK_S_UNSUPP        2
/* clang-format on */

/* ---- the contract with the boot ---- */
/*
 * Zeroed, physically contiguous, page-aligned memory of size bytes, mapped
 * cacheable at *va for the kernel and at *pa for the device (DMA is cache
 * coherent on the machines pagoda runs on). Returns 0 or -ENOMEM. Never
 * freed.
 */
typedef int (*virtio_dma_alloc_t)(size_t size, void **va, phys_addr_t *pa);

/* One virtio-mmio node of the device tree, its registers mapped. */
struct virtio_slot {
	volatile void *regs; /* the mapped register window (0x200 bytes) */
	phys_addr_t pa;	     /* its physical address, for the log */
	uint32_t irq;	     /* PLIC source, 0 without one */
};

struct virtio_host {
	virtio_dma_alloc_t dma_alloc;
	volatile void *plic; /* the mapped PLIC, NULL without one */
	uint32_t plic_ndev;  /* riscv,ndev */
	int plic_context;    /* the boot hart's S-mode context, -1: none */
	bool force_poll;     /* poll even with a PLIC (no boot option yet) */
	struct virtio_slot slots[VIRTIO_MAX_SLOTS];
	unsigned int nr_slots;
};

/*
 * Probe every slot, bring up each virtio-blk found (one log line each, or
 * one saying there is none). Returns the number of disks.
 */
unsigned int virtio_init(const struct virtio_host *host);

/* ---- the virtio-mmio transport (mmio.c) ---- */
struct virtio_mmio {
	volatile uint8_t *regs;
	phys_addr_t pa;
	unsigned int slot; /* rank by address among the slots: QEMU's bus N */
	uint32_t irq;
	uint32_t version; /* 1 legacy, 2 modern */
	uint32_t device_id;
	uint64_t features; /* negotiated */
	bool use_irq;	   /* wait in wfi for the PLIC; else poll */
	/* counters, for the tests and docs/virtio.md */
	unsigned long irqs;  /* PLIC claims of this device's source */
	unsigned long polls; /* used-ring checks while polling */
	unsigned long notifies, notifies_skipped;
};

/* ---- split virtqueues (virtqueue.c) ---- */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* clang-format off */
#define VIRTQ_DESC_F_NEXT      1
#define VIRTQ_DESC_F_WRITE     2   /* the device writes this buffer */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY     1
/* clang-format on */

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id; /* head of the chain */
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

/* A buffer of a chain: the device reads it (out) or writes it (in). */
struct virtq_buf {
	phys_addr_t pa;
	uint32_t len;
	bool device_writes;
};

/*
 * Invariants: num is a power of two <= VIRTQ_MAX_SIZE; the free
 * descriptors form a list from free_head through next, nr_free long; a
 * chain's head id is busy from virtq_add() until virtq_reap() has seen it
 * in the used ring and virtq_free_chain() returned it; last_used counts
 * the used entries consumed, avail_idx those published.
 */
struct virtq {
	struct virtio_mmio *dev;
	uint16_t num;
	uint16_t free_head, nr_free;
	uint16_t avail_idx, last_used;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	phys_addr_t desc_pa, avail_pa, used_pa;
	bool done[VIRTQ_MAX_SIZE];	  /* by head id: in the used ring */
	uint32_t written[VIRTQ_MAX_SIZE]; /* by head id: used.len */
};

/* ---- virtio-blk (blk.c) ---- */
/*
 * One request slot per possible chain head. The header and the status
 * byte live in DMA memory (hdr_pa); so does nothing else: the data is the
 * caller's.
 */
struct virtio_blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct virtio_blk {
	char name[8]; /* "vda" */
	struct virtio_mmio mmio;
	struct virtq vq;
	uint64_t capacity;	    /* 512-byte sectors */
	bool read_only;		    /* VIRTIO_BLK_F_RO */
	bool has_flush;		    /* VIRTIO_BLK_F_FLUSH */
	struct virtio_blk_hdr *hdr; /* [VIRTQ_MAX_SIZE], by head id */
	uint8_t *status;	    /* [VIRTQ_MAX_SIZE], by head id */
	phys_addr_t hdr_pa, status_pa;
	unsigned int in_flight;
};

/* The disks found by virtio_init(), by slot order; NULL past the last. */
unsigned int virtio_blk_count(void);
struct virtio_blk *virtio_blk_get(unsigned int i);
/* The probed slots, for the tests: NULL past the last. */
const struct virtio_mmio *virtio_slot_get(unsigned int i);

/*
 * Read (write false) or write nsectors 512-byte sectors at sector from or
 * into the physically contiguous buffer at pa (buf: the same memory as the
 * kernel maps it; the driver does not touch it, a non-coherent machine
 * would clean or invalidate its cache lines by it). Waits for completion.
 * Returns 0; -EINVAL if nsectors is 0 or the range passes the capacity
 * (nothing is sent to the device); -EROFS for a write to a read-only disk;
 * -EIO when the device answers with an error; -EOPNOTSUPP when it says
 * the request is unsupported; -ETIMEDOUT when no answer comes.
 */
int virtio_blk_rw(struct virtio_blk *d, uint64_t sector, void *buf,
		  phys_addr_t pa, unsigned int nsectors, bool write);
/* Make written data durable: 0 (also without VIRTIO_BLK_F_FLUSH: the disk
 * has no write cache then), or -EIO.. as above. */
int virtio_blk_flush(struct virtio_blk *d);

/*
 * Asynchronous: queue a request and notify the device; returns its id
 * (>= 0), or -EAGAIN when the queue is full, or the errors above found
 * before sending. type is VIRTIO_BLK_T_IN, _OUT or _FLUSH (sector, pa and
 * nsectors unused for a flush).
 */
int virtio_blk_submit(struct virtio_blk *d, uint32_t type, uint64_t sector,
		      phys_addr_t pa, unsigned int nsectors);
/*
 * The same with the data in n segments (data[i].device_writes unused: the
 * type says), one after the other on the disk from sector, each a whole
 * number of sectors; n <= VIRTIO_BLK_MAX_SEGS, else -EINVAL. A request
 * takes n + 2 descriptors.
 */
int virtio_blk_submit_sg(struct virtio_blk *d, uint32_t type, uint64_t sector,
			 const struct virtq_buf *data, unsigned int n);
/* Wait for request id, then free it: its result as virtio_blk_rw's. */
int virtio_blk_complete(struct virtio_blk *d, int id);
/* Whether request id has completed (does not wait, does not free it). */
bool virtio_blk_done(struct virtio_blk *d, int id);

#endif /* PAGODA_HAL_VIRTIO_H */
