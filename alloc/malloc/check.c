/* SPDX-License-Identifier: MIT */
/*
 * alloc/malloc/check.c - what malloc says when the heap is wrong, and the
 * whole-heap validator.
 *
 * malloc_fatal prints "malloc: <what> 0x<address>" and aborts (status 134):
 * a heap that fails a check is never used again. malloc_bad_pointer tells
 * apart, by a walk of the heap, a pointer malloc never returned from a
 * block whose header an overflow has damaged. malloc_check() verifies
 * every invariant of internal.h; the fuzzer and the tests call it after
 * each step.
 */
#include "alloc/malloc/internal.h"

static size_t hex(char *out, uintptr_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = 0, len = 0;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	out[len++] = '0';
	out[len++] = 'x';
	while (n)
		out[len++] = tmp[--n];
	return len;
}

_Noreturn void malloc_fatal(const char *what, const void *where)
{
	char msg[160];
	size_t n = 0;

	for (const char *s = "malloc: "; *s; s++)
		msg[n++] = *s;
	for (; *what && n < sizeof(msg) - 24; what++)
		msg[n++] = *what;
	msg[n++] = ' ';
	n += hex(msg + n, (uintptr_t)where);
	msg[n++] = '\n';
	malloc_sys_print(msg, n);
	malloc_sys_abort();
}

/*
 * p failed the header check (or points outside the heap). If the heap's
 * chunks, walked from the start, reach p, p was a block and an overflow
 * damaged its header; if the walk meets a damaged header first, that is the
 * news; else p is not something malloc returned.
 */
_Noreturn void malloc_bad_pointer(void *p, const char *op)
{
	char what[64];
	size_t n = 0;
	struct chunk *c = (struct chunk *)malloc_state.heap_start;

	if ((char *)p > malloc_state.heap_start &&
	    (char *)p < malloc_state.heap_end) {
		while (c && c != malloc_state.top && (char *)c < (char *)p) {
			if (!head_ok(c->head) || chunk_size(c) < MIN_CHUNK)
				malloc_fatal(
					"heap overflow damaged the header of",
					chunk_mem(c));
			c = chunk_at(c, chunk_size(c));
		}
		if (chunk_mem(c) == p)
			malloc_fatal("heap overflow damaged the header of", p);
	}
	for (; *op && n < sizeof(what) - 24; op++)
		what[n++] = *op;
	for (const char *s = " of invalid pointer"; *s; s++)
		what[n++] = *s;
	what[n] = 0;
	malloc_fatal(what, p);
}

/* malloc_check's assertion: what failed, where. */
void malloc_expect(bool ok, const char *what, const void *where)
{
	if (!ok)
		malloc_fatal(what, where);
}

static size_t count_binned(void)
{
	size_t n = 0;

	for (unsigned i = 0; i < NBINS; i++) {
		struct free_link *b = &malloc_bins.bins[i];
		bool set = malloc_bins.binmap[i / 64] & (1ULL << (i % 64));

		malloc_expect(set == (b->fd != b),
			      "check: bitmap disagrees with bin", b);
		for (struct free_link *l = b->fd; l != b; l = l->fd) {
			struct chunk *c = mem_chunk(l);

			malloc_expect(l->fd->bk == l && l->bk->fd == l,
				      "check: broken bin links at", l);
			malloc_expect(head_ok(c->head) && (c->head & H_FREE) &&
					      !is_mapped(c),
				      "check: bad chunk in a bin at", l);
			malloc_expect(bin_index(chunk_size(c)) == i,
				      "check: chunk in the wrong bin at", l);
			n++;
		}
	}
	return n;
}

void malloc_check(void)
{
	struct chunk *c = (struct chunk *)malloc_state.heap_start;
	struct chunk *top = malloc_state.top;
	size_t top_size = malloc_state.top_size;
	size_t binned = 0, last = 0;
	bool prev_free = false;

	if (!malloc_state.ready)
		return;
	while (c && c != top) {
		uint64_t h = c->head;
		size_t size = chunk_size(c);

		malloc_expect((char *)c < malloc_state.heap_end,
			      "check: walked past the heap at", c);
		malloc_expect(head_ok(h), "check: damaged header at",
			      chunk_mem(c));
		malloc_expect(size >= MIN_CHUNK && !(size & (ALIGNMENT - 1)) &&
				      !is_mapped(c),
			      "check: bad chunk size at", chunk_mem(c));
		malloc_expect(!!(h & H_PREV_INUSE) == !prev_free,
			      "check: PREV_INUSE disagrees at", chunk_mem(c));
		malloc_expect(!prev_free || c->prev_size == last,
			      "check: footer disagrees at", chunk_mem(c));
		if (h & H_FREE) {
			malloc_expect(!prev_free,
				      "check: two free chunks side by side at",
				      chunk_mem(c));
			binned++;
		}
		prev_free = h & H_FREE;
		last = size;
		c = chunk_at(c, size);
	}
	if (top) {
		malloc_expect((char *)top + top_size == malloc_state.heap_end,
			      "check: top does not end at the break", top);
		malloc_expect(top_size >= MIN_CHUNK && !prev_free &&
				      head_ok(top->head) &&
				      chunk_size(top) == top_size &&
				      (top->head & (H_FREE | H_PREV_INUSE)) ==
					      (H_FREE | H_PREV_INUSE),
			      "check: bad top chunk", top);
	}
	malloc_expect(count_binned() == binned, "check: bins and heap disagree",
		      malloc_state.heap_start);
	malloc_pages_check();
}
