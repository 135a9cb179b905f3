// SPDX-License-Identifier: MIT
/*
 * vm/swapfile.c - finding the swap area: the disk boot option swap= names
 * (vda, vdb, ...; the first disk without it), its page 0 read through
 * hal/virtio and checked by swap_header_parse(). A disk without a Linux
 * swap header, or with one larger than the disk, is refused with the
 * header's own sentence and never written to; the runtime then runs on
 * without swap, as Linux does after a failed swapon.
 *
 * This is the first step of swap: the area is found and described (the
 * boot line, /proc/swaps later); writing pages out and reading them back
 * come with the reclaim work (docs/swap.md says what is there).
 */
#include <errno.h>
#include <string.h>

#include "hal/virtio/virtio.h"
#include "vm/swap_header.h"
#include "vm/vm.h"

/* The swap area in use; disk NULL: none. */
static struct {
	struct virtio_blk *disk;
	struct swap_header hdr;
} swap;

static struct virtio_blk *find_disk(const char *name)
{
	for (unsigned int i = 0; i < virtio_blk_count(); i++) {
		struct virtio_blk *d = virtio_blk_get(i);

		if (!name || !strcmp(d->name, name))
			return d;
	}
	return NULL;
}

int swap_probe(const char *name)
{
	struct virtio_blk *d = find_disk(name);
	struct page *page;
	const char *why = NULL;
	char uuid[40];
	int err;

	if (!d) {
		if (name)
			pr_warn("swap: no disk %s (%u virtio disks): running without swap\n",
				name, virtio_blk_count());
		else
			pr_info("swap: no disk: running without swap\n");
		return -ENODEV;
	}
	if (!(page = alloc_pages(GFP_KERNEL, 0)))
		return -ENOMEM;
	err = (int)(d->capacity * VIRTIO_BLK_SECTOR < SWAP_HDR_PAGE_SIZE);
	if (err) {
		why = swap_header_strerror(SWAP_HDR_DISK_TOO_SMALL);
		err = -EINVAL;
	} else if ((err = virtio_blk_rw(
			    d, 0, page_address(page), page_to_phys(page),
			    SWAP_HDR_PAGE_SIZE / VIRTIO_BLK_SECTOR, false))) {
		why = "page 0 could not be read";
	} else if (swap_header_parse(page_address(page),
				     d->capacity * VIRTIO_BLK_SECTOR, &swap.hdr,
				     &why) != SWAP_HDR_OK) {
		err = -EINVAL;
	}
	free_pages(page, 0);
	if (!err && d->read_only) {
		why = "the disk is read-only";
		err = -EROFS;
	}
	if (err) {
		pr_warn("swap: %s is no swap area: %s (error %d); running without swap, nothing written to it\n",
			d->name, why, err);
		return err;
	}
	swap.disk = d;
	pr_info("swap: %s: Linux swap area v%u, %llu pages (%llu MiB), %llu usable, %u bad, label \"%s\", UUID %s\n",
		d->name, swap.hdr.version,
		(unsigned long long)swap.hdr.last_page + 1,
		(unsigned long long)((swap.hdr.last_page + 1ULL) * PAGE_SIZE >>
				     20),
		(unsigned long long)swap.hdr.nr_slots, swap.hdr.nr_badpages,
		swap.hdr.label, swap_header_uuid_str(&swap.hdr, uuid));
	return 0;
}
