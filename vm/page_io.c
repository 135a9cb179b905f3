// SPDX-License-Identifier: MIT
/*
 * vm/page_io.c - pages to and from swap, in runs.
 *
 * Reclaim writes a batch of pages whose slots were taken one after the
 * other (slots come in clusters, vm/swapfile.c), and a fault reads a
 * window of neighbouring slots: both are runs of consecutive slots. A run
 * goes to the disk as one request with a data segment per page (up to
 * SWAP_IO_MAX), and every request of the batch is in flight at once;
 * when the queue is full the oldest is waited for first. A request that
 * fails is sent again page by page, so an error costs only the slots
 * that are bad, not their neighbours.
 */
#include <errno.h>

#include "alloc/alloc.h"
#include "vm/internal.h"

struct run {
	unsigned int first, n; /* pages[first .. first + n) */
	int id;		       /* the request, or -errno */
};

/* Is b's slot the one after a's, on the same area? */
static bool next_slot(const struct page *a, const struct page *b)
{
	return b->private == a->private + (1UL << SWP_TYPE_BITS);
}

/* Wait for r's request; a failed one is tried again a page at a time. */
static unsigned long run_end(struct page **pages, const struct run *r,
			     bool write, swap_io_end_t end, void *ctx)
{
	swp_entry_t e = pages[r->first]->private;
	int err = r->id < 0 ? r->id : swap_complete(e, r->id);
	unsigned long sum = 0;

	for (unsigned int i = r->first; i < r->first + r->n; i++) {
		int page_err = err;

		if (err && r->n > 1) {
			int id = swap_submit(pages[i]->private, &pages[i], 1,
					     write);

			page_err =
				id < 0 ? id
				       : swap_complete(pages[i]->private, id);
		}
		sum += end(pages[i], page_err, ctx);
	}
	return sum;
}

unsigned long swap_io(struct page **pages, unsigned int n, bool write,
		      bool first_alone, swap_io_end_t end, void *ctx)
{
	struct run runs[SWAP_IO_BATCH];
	unsigned int nr_runs = 0, done = 0;
	unsigned long sum = 0;

	for (unsigned int i = 0; i < n;) {
		unsigned int len = 1;
		int id;

		while (i + len < n && len < SWAP_IO_MAX &&
		       !(first_alone && i == 0) &&
		       next_slot(pages[i + len - 1], pages[i + len]))
			len++;
		/* full: the oldest request first (there is one: the queue
		 * holds at least one request of SWAP_IO_MAX pages) */
		while ((id = swap_submit(pages[i]->private, &pages[i], len,
					 write)) == -EAGAIN &&
		       done < nr_runs)
			sum += run_end(pages, &runs[done++], write, end, ctx);
		runs[nr_runs++] = (struct run){ i, len, id };
		i += len;
	}
	while (done < nr_runs)
		sum += run_end(pages, &runs[done++], write, end, ctx);
	return sum;
}
