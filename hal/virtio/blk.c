// SPDX-License-Identifier: MIT
/*
 * hal/virtio/blk.c - virtio-blk (virtio 1.2, 5.2), and virtio_init(), the
 * probe of every virtio-mmio slot the boot hands in.
 *
 * A request is a chain of descriptors: a 16-byte header the device reads
 * (type, sector), the data in one or more segments (up to
 * VIRTIO_BLK_MAX_SEGS, each a whole number of sectors, contiguous on the
 * disk one after the other: swap writes a run of pages from anywhere in
 * memory to a run of slots so), read by the device for OUT and written
 * for IN, and one status byte the device writes; a FLUSH has no data. The
 * header and status of the chain with head id h live at hdr[h] and
 * status[h], in one DMA page per disk, so a request's id is its chain's
 * head and needs no other bookkeeping. With VIRTQ_MAX_SIZE descriptors,
 * VIRTQ_MAX_SIZE / 3 one-segment requests can be in flight.
 *
 * Errors found before anything is queued: -EINVAL (no sectors, or a range
 * past the capacity), -EROFS (a write to a read-only disk), -EAGAIN (the
 * queue is full). From the device: VIRTIO_BLK_S_IOERR is -EIO,
 * VIRTIO_BLK_S_UNSUPP -EOPNOTSUPP. A request not answered within
 * VIRTIO_TIMEOUT_NS is -ETIMEDOUT and the disk is given up (the device
 * may still write into its buffers, so they are never reused).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hal/virtio/internal.h"

static struct virtio_blk disks[VIRTIO_BLK_MAX];
static unsigned int nr_disks;
static struct virtio_mmio slots[VIRTIO_MAX_SLOTS];
static unsigned int nr_slots;
/* by head id: the request is queued and not yet completed */
static bool busy[VIRTIO_BLK_MAX][VIRTQ_MAX_SIZE];
static bool broken[VIRTIO_BLK_MAX];

unsigned int virtio_blk_count(void)
{
	return nr_disks;
}

struct virtio_blk *virtio_blk_get(unsigned int i)
{
	return i < nr_disks ? &disks[i] : NULL;
}

const struct virtio_mmio *virtio_slot_get(unsigned int i)
{
	return i < nr_slots ? &slots[i] : NULL;
}

static unsigned int disk_index(const struct virtio_blk *d)
{
	return (unsigned int)(d - disks);
}

static int check_range(const struct virtio_blk *d, uint64_t sector,
		       unsigned int nsectors)
{
	if (!nsectors || nsectors > UINT32_MAX / VIRTIO_BLK_SECTOR)
		return -EINVAL;
	if (sector >= d->capacity || nsectors > d->capacity - sector)
		return -EINVAL;
	return 0;
}

int virtio_blk_submit_sg(struct virtio_blk *d, uint32_t type, uint64_t sector,
			 const struct virtq_buf *data, unsigned int n)
{
	struct virtq_buf bufs[VIRTIO_BLK_MAX_SEGS + 2];
	unsigned int nb = 0, nsectors = 0;
	int head, err;

	if (broken[disk_index(d)])
		return -EIO;
	if (n > VIRTIO_BLK_MAX_SEGS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		if (!data[i].len || data[i].len % VIRTIO_BLK_SECTOR)
			return -EINVAL;
		nsectors += data[i].len / VIRTIO_BLK_SECTOR;
	}
	switch (type) {
	case VIRTIO_BLK_T_OUT:
		if (d->read_only)
			return -EROFS;
		/* fall through */
	case VIRTIO_BLK_T_IN:
		if ((err = check_range(d, sector, nsectors)))
			return err;
		break;
	case VIRTIO_BLK_T_FLUSH:
		if (!d->has_flush)
			return -EOPNOTSUPP;
		sector = 0;
		n = 0;
		break;
	default:
		return -EINVAL;
	}
	head = virtq_next_head(&d->vq, n + 2);
	if (head < 0)
		return head;
	/* header and status first: the fence in virtq_kick publishes them
	 * together with the descriptors */
	d->hdr[head] =
		(struct virtio_blk_hdr){ .type = type, .sector = sector };
	d->status[head] = 0xff; /* no device status is 0xff */
	bufs[nb++] = (struct virtq_buf){ d->hdr_pa + sizeof(*d->hdr) * head,
					 sizeof(*d->hdr), false };
	for (unsigned int i = 0; i < n; i++)
		bufs[nb++] = (struct virtq_buf){ data[i].pa, data[i].len,
						 type == VIRTIO_BLK_T_IN };
	bufs[nb++] =
		(struct virtq_buf){ d->status_pa + (phys_addr_t)head, 1, true };
	if (virtq_add(&d->vq, bufs, nb) != head)
		return -EAGAIN; /* cannot happen: next_head said there is room */
	busy[disk_index(d)][head] = true;
	d->in_flight++;
	virtq_kick(&d->vq);
	return head;
}

int virtio_blk_submit(struct virtio_blk *d, uint32_t type, uint64_t sector,
		      phys_addr_t pa, unsigned int nsectors)
{
	struct virtq_buf data = { pa, nsectors * VIRTIO_BLK_SECTOR, false };

	if (type != VIRTIO_BLK_T_FLUSH && !nsectors)
		return -EINVAL;
	return virtio_blk_submit_sg(d, type, sector, &data,
				    type == VIRTIO_BLK_T_FLUSH ? 0 : 1);
}

bool virtio_blk_done(struct virtio_blk *d, int id)
{
	if (id < 0 || id >= d->vq.num)
		return false;
	virtq_reap(&d->vq);
	return busy[disk_index(d)][id] && d->vq.done[id];
}

int virtio_blk_complete(struct virtio_blk *d, int id)
{
	unsigned int di = disk_index(d);
	uint8_t status;
	int err;

	if (id < 0 || id >= d->vq.num || !busy[di][id])
		return -EINVAL;
	err = virtio_mmio_wait(&d->vq, (uint16_t)id,
			       rdtime() + timer_ns_to_ticks(VIRTIO_TIMEOUT_NS));
	if (err) {
		broken[di] = true;
		return err;
	}
	status = d->status[id]; /* ordered after used->idx by virtq_reap */
	virtq_free_chain(&d->vq, (uint16_t)id);
	busy[di][id] = false;
	d->in_flight--;
	switch (status) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_UNSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

int virtio_blk_rw(struct virtio_blk *d, uint64_t sector, void *buf,
		  phys_addr_t pa, unsigned int nsectors, bool write)
{
	int id;

	(void)buf; /* coherent DMA: no cache maintenance by address */
	id = virtio_blk_submit(d, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
			       sector, pa, nsectors);
	return id < 0 ? id : virtio_blk_complete(d, id);
}

int virtio_blk_flush(struct virtio_blk *d)
{
	int id;

	if (!d->has_flush)
		return broken[disk_index(d)] ? -EIO : 0;
	id = virtio_blk_submit(d, VIRTIO_BLK_T_FLUSH, 0, 0, 0);
	return id < 0 ? id : virtio_blk_complete(d, id);
}

/* Bring up the block device behind m; 0 or a negative errno. */
static int blk_init(struct virtio_blk *d, const struct virtio_host *host,
		    const struct virtio_mmio *m)
{
	const uint64_t wanted =
		1ULL << VIRTIO_BLK_F_RO | 1ULL << VIRTIO_BLK_F_FLUSH;
	void *va;
	phys_addr_t pa;
	int err;

	memset(d, 0, sizeof(*d));
	d->mmio = *m;
	if ((err = virtio_mmio_negotiate(&d->mmio, wanted)))
		return err;
	if (host->plic && host->plic_context >= 0 && !host->force_poll &&
	    d->mmio.irq && d->mmio.irq <= host->plic_ndev)
		virtio_mmio_use_irq(&d->mmio);
	if ((err = virtio_mmio_setup_queue(&d->mmio, 0, &d->vq,
					   host->dma_alloc)))
		goto fail;
	if ((err = host->dma_alloc(VIRTIO_LEGACY_PAGE, &va, &pa)))
		goto fail;
	d->hdr = va;
	d->hdr_pa = pa;
	d->status = (uint8_t *)va + sizeof(*d->hdr) * VIRTQ_MAX_SIZE;
	d->status_pa = pa + sizeof(*d->hdr) * VIRTQ_MAX_SIZE;
	d->read_only = d->mmio.features & 1ULL << VIRTIO_BLK_F_RO;
	d->has_flush = d->mmio.features & 1ULL << VIRTIO_BLK_F_FLUSH;
	d->capacity = virtio_mmio_config64(&d->mmio, 0);
	virtio_mmio_driver_ok(&d->mmio);
	return 0;
fail:
	virtio_mmio_fail(&d->mmio);
	return err;
}

static void print_disk(const struct virtio_blk *d)
{
	uint64_t bytes = d->capacity * VIRTIO_BLK_SECTOR;
	bool mib = bytes >= (1ULL << 20);
	char how[32];

	if (d->mmio.use_irq)
		snprintf(how, sizeof(how), "irq %u via PLIC", d->mmio.irq);
	else
		snprintf(how, sizeof(how), "irq %u polled", d->mmio.irq);
	pr_info("virtio-blk: %s at 0x%llx (slot %u), %llu %s, %s, %s, %s\n",
		d->name, (unsigned long long)d->mmio.pa, d->mmio.slot,
		(unsigned long long)(mib ? bytes >> 20 : bytes >> 10),
		mib ? "MiB" : "KiB", d->read_only ? "ro" : "rw",
		d->mmio.version == 2 ? "modern" : "legacy", how);
}

unsigned int virtio_init(const struct virtio_host *host)
{
	unsigned int order[VIRTIO_MAX_SLOTS], n = 0;

	nr_slots = nr_disks = 0;
	if (host->plic && host->plic_context >= 0 && !host->force_poll)
		plic_init(host->plic, host->plic_ndev,
			  (uint32_t)host->plic_context);
	/* slot numbers by address, lowest first: QEMU's virtio-mmio-bus.N */
	for (unsigned int i = 0; i < host->nr_slots && i < VIRTIO_MAX_SLOTS;
	     i++) {
		unsigned int j = n++;

		while (j && host->slots[order[j - 1]].pa > host->slots[i].pa) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (unsigned int s = 0; s < n; s++) {
		struct virtio_mmio *m = &slots[nr_slots];
		struct virtio_blk *d;
		int err;

		if (virtio_mmio_probe(m, &host->slots[order[s]], s)) {
			pr_warn("virtio-mmio: no virtio device at 0x%llx (bad magic or version)\n",
				(unsigned long long)host->slots[order[s]].pa);
			continue;
		}
		nr_slots++;
		if (m->device_id != VIRTIO_ID_BLOCK)
			continue; /* 0: an empty slot; others: no driver */
		if (nr_disks == VIRTIO_BLK_MAX) {
			pr_warn("virtio-blk: more than %d disks; the one at 0x%llx is ignored\n",
				VIRTIO_BLK_MAX, (unsigned long long)m->pa);
			continue;
		}
		d = &disks[nr_disks];
		if ((err = blk_init(d, host, m))) {
			pr_err("virtio-blk: device at 0x%llx (slot %u): error %d, not used\n",
			       (unsigned long long)m->pa, m->slot, err);
			continue;
		}
		snprintf(d->name, sizeof(d->name), "vd%c", 'a' + nr_disks);
		nr_disks++;
		print_disk(d);
	}
	if (!nr_disks)
		pr_info("virtio-blk: no disk (%u virtio-mmio slots, none a block device)\n",
			nr_slots);
	return nr_disks;
}
