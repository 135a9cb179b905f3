// SPDX-License-Identifier: MIT
/*
 * vm/swapfile.c - the swap areas, as Linux's mm/swapfile.c keeps them: a
 * table of up to MAX_SWAPFILES areas, each a virtio disk whose page 0 is a
 * Linux swap header (read through hal/virtio, checked by
 * swap_header_parse()), activated at boot by the option swap= or by the
 * app's swapon(2), taken out of use by swapoff(2), listed in /proc/swaps
 * and counted in /proc/meminfo (SwapTotal, SwapFree, CommitLimit).
 *
 * Priorities are Linux's: swapon with SWAP_FLAG_PREFER gives the low 15
 * bits (0..32767); without it an area gets the next of -2, -3, ... (a
 * counter starting at -1, decremented before use), and swapoff of an area
 * with a negative priority moves those below it up by one. The chooser
 * (swap_pick_area()) hands out the highest priority with a free slot and
 * rotates among equal priorities, as Linux's swap_avail list does.
 *
 * Each area keeps a byte per slot (its use count, Linux's swap_map) and
 * hands slots out in clusters; swap-out and swap-in (vmscan.c,
 * swap_state.c) take and drop them and send the pages' I/O through here.
 * A disk that is not a valid area, or is read-only, is refused with the
 * header's own sentence and never written to.
 */
#include <errno.h>
#include <string.h>

#include "hal/virtio/virtio.h"
#include "vm/swap_header.h"
#include "vm/internal.h"

#define DEV_PREFIX    "/dev/"
#define PATH_MAX_SWAP 64  /* /dev/vdX and then some */
#define SWAP_CLUSTER  256 /* slots handed out together (Linux's) */

_Static_assert(SWAP_IO_MAX <= VIRTIO_BLK_MAX_SEGS,
	       "a swap request's pages are segments of one virtio request");

/* The table (Linux's swap_info[]), each entry's header beside it. */
static struct swap_area areas[MAX_SWAPFILES];
static struct swap_header headers[MAX_SWAPFILES];
/* The active areas by priority, highest first; equal ones in turn order. */
static struct swap_area *active[MAX_SWAPFILES];
static unsigned int nr_active;
/* Linux's least_priority: the last negative priority handed out. */
static int least_priority = -1;

static struct virtio_blk *find_disk(const char *name)
{
	for (unsigned int i = 0; i < virtio_blk_count(); i++) {
		struct virtio_blk *d = virtio_blk_get(i);

		if (!name || !strcmp(d->name, name))
			return d;
	}
	return NULL;
}

static struct swap_area *area_of(const struct virtio_blk *d)
{
	for (unsigned int i = 0; i < nr_active; i++)
		if (active[i]->disk == d)
			return active[i];
	return NULL;
}

struct swap_area *swap_area_get(unsigned int i)
{
	return i < nr_active ? active[i] : NULL;
}

/*
 * Read and check page 0 of d into *hdr: 0, or -errno with *why the
 * sentence (the header's, or the disk's).
 */
static int read_header(struct virtio_blk *d, struct swap_header *hdr,
		       const char **why)
{
	struct page *page;
	int err = 0;

	if (d->capacity * VIRTIO_BLK_SECTOR < SWAP_HDR_PAGE_SIZE) {
		*why = swap_header_strerror(SWAP_HDR_DISK_TOO_SMALL);
		return -EINVAL;
	}
	if (!(page = alloc_pages(GFP_KERNEL, 0))) {
		*why = "no memory to read page 0";
		return -ENOMEM;
	}
	if ((err = virtio_blk_rw(d, 0, page_address(page), page_to_phys(page),
				 SWAP_HDR_PAGE_SIZE / VIRTIO_BLK_SECTOR,
				 false)))
		*why = "page 0 could not be read";
	else if (swap_header_parse(page_address(page),
				   d->capacity * VIRTIO_BLK_SECTOR, hdr,
				   why) != SWAP_HDR_OK)
		err = -EINVAL;
	free_pages(page, 0);
	if (!err && d->read_only) {
		*why = "the disk is read-only";
		err = -EROFS;
	}
	return err;
}

/* Put a into active[] behind every area of its priority or higher. */
static void enqueue(struct swap_area *a)
{
	unsigned int at = 0;

	while (at < nr_active && active[at]->prio >= a->prio)
		at++;
	memmove(&active[at + 1], &active[at],
		(nr_active - at) * sizeof(active[0]));
	active[at] = a;
	nr_active++;
}

static void dequeue(const struct swap_area *a)
{
	unsigned int at = 0;

	while (active[at] != a)
		at++;
	nr_active--;
	memmove(&active[at], &active[at + 1],
		(nr_active - at) * sizeof(active[0]));
}

/* The slot map of a: bad pages and the header marked, clusters counted. */
static int map_init(struct swap_area *a, const struct swap_header *hdr)
{
	unsigned long n = (unsigned long)hdr->last_page + 1;

	a->nr_clusters = (n + SWAP_CLUSTER - 1) / SWAP_CLUSTER;
	a->map = vzalloc(n);
	a->cluster_free = vzalloc(a->nr_clusters * sizeof(uint16_t));
	if (!a->map || !a->cluster_free) {
		vfree(a->map);
		vfree(a->cluster_free);
		return -ENOMEM;
	}
	a->map[0] = SWAP_MAP_BAD;
	for (uint32_t i = 0; i < hdr->nr_badpages; i++)
		a->map[hdr->badpages[i]] = SWAP_MAP_BAD;
	for (unsigned long i = 0; i < n; i++)
		if (!a->map[i])
			a->cluster_free[i / SWAP_CLUSTER]++;
	a->next = 1;
	return 0;
}

int swap_activate(struct virtio_blk *d, const struct swap_header *hdr,
		  int swap_flags)
{
	unsigned int flags = (unsigned int)swap_flags;
	struct swap_area *a = NULL;
	int err;

	if (flags & ~(unsigned int)SWAP_FLAGS_VALID)
		return -EINVAL;
	if (area_of(d))
		return -EBUSY;
	for (unsigned int i = 0; i < MAX_SWAPFILES && !a; i++)
		if (!(areas[i].flags & SWP_USED))
			a = &areas[i];
	if (!a)
		return -EPERM; /* Linux's alloc_swap_info() past MAX_SWAPFILES */
	headers[a - areas] = *hdr;
	*a = (struct swap_area){
		.disk = d,
		.name = d->name,
		.hdr = &headers[a - areas],
		.prio = flags & SWAP_FLAG_PREFER
				? (int)(flags & SWAP_FLAG_PRIO_MASK)
				: least_priority - 1,
		.flags = SWP_USED | SWP_WRITEOK,
		.pages = hdr->nr_slots,
		.inuse = 0,
	};
	if ((err = map_init(a, hdr))) {
		*a = (struct swap_area){ 0 };
		return err;
	}
	if (!(flags & SWAP_FLAG_PREFER))
		least_priority--;
	enqueue(a);
	total_swap_pages += a->pages;
	nr_swap_pages += (long)(a->pages - a->inuse);
	return 0;
}

int swap_deactivate(struct virtio_blk *d)
{
	struct swap_area *a = area_of(d);
	int err;

	if (!a)
		return -EINVAL;
	/*
	 * Linux's order: out of the chooser's reach first, so no new page
	 * goes there; the slots leave the totals; then every page still on
	 * the area is read back and its PTE made present again (Linux's
	 * try_to_unuse()). Without the memory for that, the area comes back
	 * as it was, with the pages read so far in memory: nothing is lost.
	 */
	dequeue(a);
	a->flags &= ~SWP_WRITEOK;
	total_swap_pages -= a->pages;
	nr_swap_pages -= (long)(a->pages - a->inuse);
	if ((err = swap_unuse((unsigned int)(a - areas)))) {
		a->flags |= SWP_WRITEOK;
		enqueue(a);
		total_swap_pages += a->pages;
		nr_swap_pages += (long)(a->pages - a->inuse);
		return err;
	}
	if (a->prio < 0) {
		/* the areas below move up, as Linux's swapoff does */
		for (unsigned int i = 0; i < nr_active; i++)
			if (active[i]->prio < a->prio)
				active[i]->prio++;
		least_priority++;
	}
	vfree(a->map);
	vfree(a->cluster_free);
	*a = (struct swap_area){ 0 };
	return 0;
}

/* ---- slots ---- */

static struct swap_area *entry_area(swp_entry_t e)
{
	struct swap_area *a = &areas[swp_type(e)];

	if (swp_type(e) >= MAX_SWAPFILES || !(a->flags & SWP_USED) ||
	    swp_offset(e) > a->hdr->last_page)
		panic("swap: bad swap entry 0x%lx", e);
	return a;
}

static void slot_taken(struct swap_area *a, unsigned long off)
{
	a->cluster_free[off / SWAP_CLUSTER]--;
	a->inuse++;
	if (a->flags & SWP_WRITEOK)
		nr_swap_pages--;
}

static void slot_freed(struct swap_area *a, unsigned long off)
{
	a->cluster_free[off / SWAP_CLUSTER]++;
	a->inuse--;
	if (a->flags & SWP_WRITEOK)
		nr_swap_pages++;
}

/*
 * Linux's old scan_swap_map(): slots are handed out in runs of
 * SWAP_CLUSTER from a cluster that was wholly free, so pages reclaimed
 * together land next to each other on the disk (and come back together
 * with readahead); when no cluster is wholly free, the first free slot.
 */
static unsigned long scan_slot(struct swap_area *a)
{
	unsigned long n = (unsigned long)a->hdr->last_page + 1;

	if (a->cluster_left) {
		for (unsigned long o = a->next; o < n; o++)
			if (!a->map[o]) {
				a->cluster_left--;
				a->next = o + 1;
				return o;
			}
		a->cluster_left = 0;
	}
	for (unsigned long c = 0; c < a->nr_clusters; c++) {
		unsigned long first = c * SWAP_CLUSTER;
		unsigned long len =
			n - first < SWAP_CLUSTER ? n - first : SWAP_CLUSTER;

		if (a->cluster_free[c] == len) {
			a->next = first + 1;
			a->cluster_left = SWAP_CLUSTER - 1;
			return first;
		}
	}
	for (unsigned long o = 1; o < n; o++)
		if (!a->map[o])
			return o;
	return 0;
}

swp_entry_t swap_alloc_slot(void)
{
	struct swap_area *a = swap_pick_area();
	unsigned long off;

	if (!a || !(off = scan_slot(a)))
		return 0;
	a->map[off] = SWAP_HAS_CACHE;
	slot_taken(a, off);
	return swp_entry((unsigned int)(a - areas), off);
}

bool swap_has_room(void)
{
	return nr_swap_pages > 0;
}

unsigned int swap_count(swp_entry_t e)
{
	const struct swap_area *a = &areas[swp_type(e)];
	uint8_t m;

	if (swp_type(e) >= MAX_SWAPFILES || !(a->flags & SWP_USED) ||
	    swp_offset(e) > a->hdr->last_page)
		return 0; /* past the area's end: readahead asks so */
	m = a->map[swp_offset(e)];

	return m == SWAP_MAP_BAD ? 0 : m & ~SWAP_HAS_CACHE;
}

void swap_dup(swp_entry_t e)
{
	struct swap_area *a = entry_area(e);
	uint8_t *m = &a->map[swp_offset(e)];

	if (*m == SWAP_MAP_BAD || (*m & ~SWAP_HAS_CACHE) >= SWAP_MAP_MAX)
		panic("swap: swap_dup of slot %lu of %s (map 0x%x)",
		      swp_offset(e), a->name, *m);
	++*m;
}

void swap_get_cache(swp_entry_t e)
{
	struct swap_area *a = entry_area(e);
	uint8_t *m = &a->map[swp_offset(e)];

	if (*m == SWAP_MAP_BAD || *m & SWAP_HAS_CACHE || !*m)
		panic("swap: swap_get_cache of slot %lu of %s (map 0x%x)",
		      swp_offset(e), a->name, *m);
	*m |= SWAP_HAS_CACHE;
}

static void put(swp_entry_t e, uint8_t what)
{
	struct swap_area *a = entry_area(e);
	unsigned long off = swp_offset(e);
	uint8_t *m = &a->map[off];

	if (*m == SWAP_MAP_BAD)
		return; /* marked bad while held: it stays out of use */
	if (what == SWAP_HAS_CACHE ? !(*m & SWAP_HAS_CACHE)
				   : !(*m & ~SWAP_HAS_CACHE))
		panic("swap: slot %lu of %s put twice (map 0x%x)", off, a->name,
		      *m);
	*m -= what;
	if (!*m)
		slot_freed(a, off);
}

void swap_put(swp_entry_t e)
{
	put(e, 1);
}

void swap_put_cache(swp_entry_t e)
{
	put(e, SWAP_HAS_CACHE);
}

void swap_mark_bad(swp_entry_t e)
{
	struct swap_area *a = entry_area(e);
	unsigned long off = swp_offset(e);

	if (a->map[off] == SWAP_MAP_BAD)
		return;
	/* in use until now (not free in its cluster), from now on out of
	 * the area's usable slots */
	a->map[off] = SWAP_MAP_BAD;
	a->inuse--;
	a->pages--;
	if (a->flags & SWP_WRITEOK)
		total_swap_pages--;
}

const char *swap_area_name(swp_entry_t e)
{
	return entry_area(e)->name;
}

int swap_submit(swp_entry_t e, struct page *const *pages, unsigned int n,
		bool write)
{
	struct virtq_buf data[VIRTIO_BLK_MAX_SEGS];
	struct swap_area *a = entry_area(e);

	if (n > VIRTIO_BLK_MAX_SEGS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		data[i] = (struct virtq_buf){ page_to_phys(pages[i]), PAGE_SIZE,
					      !write };
	return virtio_blk_submit_sg(
		a->disk, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
		swp_offset(e) * (PAGE_SIZE / VIRTIO_BLK_SECTOR), data, n);
}

int swap_complete(swp_entry_t e, int id)
{
	return virtio_blk_complete(entry_area(e)->disk, id);
}

struct swap_area *swap_pick_area(void)
{
	for (unsigned int i = 0; i < nr_active; i++) {
		struct swap_area *a = active[i];
		unsigned int last = i;

		if (a->inuse >= a->pages)
			continue;
		/* behind its last peer of equal priority: round robin */
		while (last + 1 < nr_active &&
		       active[last + 1]->prio == a->prio)
			last++;
		memmove(&active[i], &active[i + 1],
			(last - i) * sizeof(active[0]));
		active[last] = a;
		return a;
	}
	return NULL;
}

/* The boot line describing a header read from d. */
static void describe(const struct virtio_blk *d, const struct swap_header *h)
{
	char uuid[40];

	pr_info("swap: %s: Linux swap area v%u, %llu pages (%llu MiB), %llu usable, %u bad, label \"%s\", UUID %s\n",
		d->name, h->version, (unsigned long long)h->last_page + 1,
		(unsigned long long)((h->last_page + 1ULL) * PAGE_SIZE >> 20),
		(unsigned long long)h->nr_slots, h->nr_badpages, h->label,
		swap_header_uuid_str(h, uuid));
}

/*
 * Read d's header and activate it: the common part of swap= and swapon.
 * who prefixes the refusal ("swap" at boot, "swapon" for the app).
 */
static int swapon_disk(struct virtio_blk *d, int swap_flags, const char *who)
{
	static struct swap_header hdr; /* 2.6 KiB: not on the stack */
	const char *why = NULL;
	struct swap_area *a;
	int err;

	if (area_of(d))
		return -EBUSY;
	if ((err = read_header(d, &hdr, &why))) {
		pr_warn("%s: %s is no swap area: %s (error %d); not used, nothing written to it\n",
			who, d->name, why, err);
		return err == -ENOMEM || err == -EROFS ? err : -EINVAL;
	}
	describe(d, &hdr);
	if ((err = swap_activate(d, &hdr, swap_flags)))
		return err;
	a = area_of(d);
	/* Linux's line, for a whole disk: one extent */
	pr_info("Adding %luk swap on /dev/%s.  Priority:%d extents:1 across:%luk\n",
		a->pages * (PAGE_SIZE / 1024), d->name, a->prio,
		a->pages * (PAGE_SIZE / 1024));
	return 0;
}

void swap_boot(const char *names)
{
	char list[64];
	char *p, *next;

	if (names && !strcmp(names, "none")) {
		pr_info("swap: swap=none: no swap area at boot (swapon(2) may add one)\n");
		return;
	}
	if (!names) {
		struct virtio_blk *d = find_disk(NULL);

		if (!d)
			pr_info("swap: no disk: running without swap\n");
		else
			(void)swapon_disk(d, 0, "swap");
	} else {
		strncpy(list, names, sizeof(list) - 1);
		list[sizeof(list) - 1] = '\0';
		for (p = list; p; p = next) {
			struct virtio_blk *d;

			if ((next = strchr(p, ',')))
				*next++ = '\0';
			if (!*p)
				continue;
			if (!(d = find_disk(p)))
				pr_warn("swap: no disk %s (%u virtio disks)\n",
					p, virtio_blk_count());
			else if (swapon_disk(d, 0, "swap") == -EBUSY)
				pr_warn("swap: %s named twice\n", p);
		}
	}
	if (names && !nr_active)
		pr_warn("swap: no swap area: running without swap\n");
	else if (!nr_active && find_disk(NULL))
		pr_warn("swap: no swap area: running without swap\n");
}

/*
 * The disk a user path names: /dev/ and a probed disk's name, nothing
 * else (there is no /dev to look in: any other path is -ENOENT). Copies
 * the path in first: -EFAULT, -ENAMETOOLONG as Linux's getname().
 */
static long user_disk(const char *upath, struct virtio_blk **d)
{
	char path[PATH_MAX_SWAP];
	long n = strncpy_from_user(path, upath, sizeof(path));

	if (n == -ENAMETOOLONG)
		return -ENOENT; /* longer than any /dev/vdX */
	if (n < 0)
		return n;
	if (!n)
		return -ENOENT;
	if (strncmp(path, DEV_PREFIX, strlen(DEV_PREFIX)) ||
	    !(*d = find_disk(path + strlen(DEV_PREFIX))))
		return -ENOENT;
	return 0;
}

/* Linux's order: the flags, the path, busy, then the header. */
long sys_swapon(const char *upath, int swap_flags)
{
	struct virtio_blk *d;
	long err;

	if ((unsigned int)swap_flags & ~(unsigned int)SWAP_FLAGS_VALID)
		return -EINVAL;
	if ((err = user_disk(upath, &d)))
		return err;
	return swapon_disk(d, swap_flags, "swapon");
}

long sys_swapoff(const char *upath)
{
	struct virtio_blk *d;
	long err;

	if ((err = user_disk(upath, &d)))
		return err;
	if ((err = swap_deactivate(d))) {
		if (err == -ENOMEM)
			pr_warn("swapoff: %s: no memory to bring its pages back; the area stays in use\n",
				d->name);
		return err;
	}
	pr_info("swap: %s: swapoff, every page back in memory\n", d->name);
	return 0;
}

/*
 * Linux's swap_show(): the header, then per area the path padded to 40
 * columns, the type, size and used in KiB, the priority.
 */
size_t swaps_show(char *buf, size_t size)
{
	struct strbuf o = strbuf_init(buf, size);

	strbuf_printf(&o, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (unsigned int i = 0; i < MAX_SWAPFILES; i++) {
		const struct swap_area *a = &areas[i];
		unsigned long kb = a->pages * (PAGE_SIZE / 1024);
		unsigned long used = a->inuse * (PAGE_SIZE / 1024);
		int len;

		if (!(a->flags & SWP_WRITEOK))
			continue;
		len = (int)strlen(DEV_PREFIX) + (int)strlen(a->name);
		strbuf_printf(&o, "%s%s%*s%s\t%lu\t%s%lu\t%s%d\n", DEV_PREFIX,
			      a->name, len < 40 ? 40 - len : 1, " ",
			      "partition", kb, kb < 10000000 ? "\t" : "", used,
			      used < 10000000 ? "\t" : "", a->prio);
	}
	return o.len;
}
