// SPDX-License-Identifier: MIT
/*
 * alloc/zone.c - nodes, zones, zonelists and watermarks; and the hand-over
 * from memblock to the buddy allocator.
 *
 * Every node has a DMA32 zone (below 4 GiB) and a NORMAL zone (above), each
 * possibly empty. A node's zonelist is the order allocations try zones in:
 * its own NORMAL, its own DMA32, then the other nodes' in the same order.
 * Boot hart, once, after memmap_init().
 */
#include <errno.h>
#include <string.h>

#include "alloc/internal.h"

struct node nodes[MAX_NUMNODES];
unsigned int nr_nodes;
unsigned int local_node;
bool page_group_by_mobility_disabled;

static const char *const zone_names[MAX_NR_ZONES] = { "DMA32", "Normal" };

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static void zone_init(struct zone *z, unsigned int node, unsigned int type,
		      uint64_t start, uint64_t end)
{
	z->node = (uint8_t)node;
	z->type = (uint8_t)type;
	z->name = zone_names[type];
	z->start_pfn = start;
	z->spanned_pages = end > start ? end - start : 0;
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			list_init(&z->free_area[o].free_list[mt]);
	for (unsigned int h = 0; h < MAX_HARTS; h++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			list_init(&z->pcp[h].lists[mt]);
}

/* Pages of memory inside [start, end) (pfns). */
static uint64_t present_in(const struct memblock *mb, unsigned int node,
			   uint64_t start, uint64_t end)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mb->memory.regions[i];
		uint64_t s = max_u64(r->base >> PAGE_SHIFT, start);
		uint64_t e = min_u64((r->base + r->size) >> PAGE_SHIFT, end);

		if (r->node == node && e > s)
			n += e - s;
	}
	return n;
}

static int nodes_init(struct memblock *mb)
{
	memset(nodes, 0, sizeof(nodes));
	nr_nodes = 0;
	for (unsigned int i = 0; i < mb->memory.cnt; i++) {
		const struct memblock_region *r = &mb->memory.regions[i];
		uint64_t s = r->base >> PAGE_SHIFT;
		uint64_t e = (r->base + r->size) >> PAGE_SHIFT;
		struct node *n;

		if (r->node >= MAX_NUMNODES)
			return -E2BIG;
		n = &nodes[r->node];
		if (!n->online) {
			n->online = true;
			n->start_pfn = s;
			n->end_pfn = e;
		}
		n->start_pfn = min_u64(n->start_pfn, s);
		n->end_pfn = max_u64(n->end_pfn, e);
		if (r->node + 1 > nr_nodes)
			nr_nodes = r->node + 1;
	}
	for (unsigned int id = 0; id < nr_nodes; id++) {
		struct node *n = &nodes[id];
		uint64_t split = DMA32_LIMIT_PFN;

		n->id = id;
		if (!n->online) {
			zone_init(&n->zones[ZONE_DMA32], id, ZONE_DMA32, 0, 0);
			zone_init(&n->zones[ZONE_NORMAL], id, ZONE_NORMAL, 0,
				  0);
			continue;
		}
		zone_init(&n->zones[ZONE_DMA32], id, ZONE_DMA32, n->start_pfn,
			  min_u64(n->end_pfn, split));
		zone_init(&n->zones[ZONE_NORMAL], id, ZONE_NORMAL,
			  max_u64(n->start_pfn, split), n->end_pfn);
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &n->zones[t];
			uint64_t blocks;
			phys_addr_t pa;

			if (!z->spanned_pages)
				continue;
			z->present_pages =
				present_in(mb, id, z->start_pfn,
					   z->start_pfn + z->spanned_pages);
			blocks = pageblock_index(z, z->start_pfn +
							    z->spanned_pages -
							    1) +
				 1;
			pa = memblock_alloc(mb, blocks, 8, (int)id);
			if (!pa)
				return -ENOMEM;
			z->pageblock_mt = phys_to_virt(pa);
			/* Linux's boot default: everything starts movable */
			memset(z->pageblock_mt, MIGRATE_MOVABLE, blocks);
		}
	}
	return 0;
}

static void build_zonelists(void)
{
	for (unsigned int id = 0; id < nr_nodes; id++) {
		struct zone **zl = nodes[id].zonelist;
		unsigned int n = 0;

		for (unsigned int k = 0; k < nr_nodes; k++) {
			struct node *other = &nodes[(id + k) % nr_nodes];

			for (int t = MAX_NR_ZONES - 1; t >= 0; t--)
				if (other->zones[t].managed_pages)
					zl[n++] = &other->zones[t];
		}
		zl[n] = NULL;
	}
}

/* Free [start, end) (pfns) into the buddy allocator in aligned blocks. */
static void free_range(uint64_t start, uint64_t end)
{
	while (start < end) {
		unsigned int order = MAX_ORDER;
		struct page *page = pfn_to_page(start);
		struct zone *z = page_zone(page);

		while (order && ((start & ((1UL << order) - 1)) ||
				 start + (1UL << order) > end))
			order--;
		for (uint64_t i = 0; i < 1UL << order; i++)
			page[i].flags &= ~PG_reserved;
		z->managed_pages += 1UL << order;
		__free_one_page(page, start, z, order,
				get_pageblock_mt(z, start));
		start += 1UL << order;
	}
}

static void pcp_init(struct zone *z)
{
	/* about a thousandth of the zone per batch, as Linux, at most 31 */
	int batch = (int)min_u64(max_u64(z->managed_pages / 4096, 1), 31);

	for (unsigned int h = 0; h < MAX_HARTS; h++) {
		z->pcp[h].batch = batch;
		z->pcp[h].high = 6 * batch;
		z->pcp[h].count = 0;
	}
}

int zones_init(struct memblock *mb, unsigned long min_free_kbytes)
{
	uint64_t cursor = 0, size;
	phys_addr_t base;
	uint32_t node;
	int err = nodes_init(mb);

	if (err)
		return err;
	while (memblock_next_free(mb, &cursor, &base, &size, &node))
		/* whole pages only: a reservation may end inside one */
		free_range((base + PAGE_SIZE - 1) >> PAGE_SHIFT,
			   (base + size) >> PAGE_SHIFT);
	mb->retired = true;
	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			pcp_init(&nodes[id].zones[t]);
	build_zonelists();
	if (!nodes[0].zonelist[0])
		return -ENOMEM; /* every zonelist holds every zone: none has pages */
	setup_watermarks(min_free_kbytes);
	return 0;
}

/* Integer square root, for the watermark formula. */
static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	for (unsigned long bit = 1UL << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

unsigned long default_min_free_kbytes(unsigned long managed_pages)
{
	unsigned long kbytes = managed_pages * (PAGE_SIZE / 1024);
	unsigned long min = 4 * isqrt(kbytes);

	return min < 128 ? 128 : min > 262144 ? 262144 : min;
}

unsigned long totalram_pages(void)
{
	unsigned long total = 0;

	for (unsigned int id = 0; id < nr_nodes; id++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			total += nodes[id].zones[t].managed_pages;
	return total;
}

int min_free_kbytes;
int watermark_scale_factor = 10;

/*
 * Linux's __setup_per_zone_wmarks: min_free_kbytes is shared out by zone
 * size; low sits max(min / 4, managed * watermark_scale_factor / 10000)
 * above min, high as far again above low (the factor's default, 10, is
 * 0.1% of the zone). Runs again whenever either sysctl is written.
 */
void setup_per_zone_wmarks(void)
{
	unsigned long total = totalram_pages();

	if (!total)
		return; /* before zones_init(): the values wait for it */
	for (unsigned int id = 0; id < nr_nodes; id++) {
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = &nodes[id].zones[t];
			unsigned long min, gap;

			if (!z->managed_pages)
				continue;
			min = ((unsigned long)min_free_kbytes /
			       (PAGE_SIZE / 1024)) *
			      z->managed_pages / total;
			gap = max_u64(
				min / 4,
				z->managed_pages *
					(unsigned long)watermark_scale_factor /
					10000);
			z->watermark[WMARK_MIN] = min;
			z->watermark[WMARK_LOW] = min + gap;
			z->watermark[WMARK_HIGH] = min + 2 * gap;
		}
	}
}

void setup_watermarks(unsigned long kbytes)
{
	min_free_kbytes =
		(int)(kbytes ? kbytes
			     : default_min_free_kbytes(totalram_pages()));
	setup_per_zone_wmarks();
}
