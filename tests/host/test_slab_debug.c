// SPDX-License-Identifier: MIT
/*
 * tests/host/test_slab_debug.c - the slab's debug mode (alloc/slab_debug.c)
 * on a simulated 16 MiB machine: each misuse provoked, its report checked
 * word for word from the log, the operation refused (the object out of
 * circulation, the cache intact) and slab_errors counted.
 *
 * Reports name callers by symbol in the image; the host has no symbol
 * table (ksym_lookup() returns NULL), so they print the return address,
 * "0x" and lowercase hex. The tests check that it lies in the function that
 * made the call: the caller of kmem_cache_alloc/free or kmalloc/kfree, not
 * the allocator itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/slab_test.h"

#define BASE 0x80000000UL

static const struct sim_mem mem16[] = { { BASE, 16 * MiB, 0 } };

static struct kmem_cache *c, *other;

/* Debug on, two caches of 24-byte objects. */
static void setup(void)
{
	slab_boot_ok(mem16, 0, true);
	c = kmem_cache_create("dbg", 24, 0, 0, NULL);
	other = kmem_cache_create("dbg-other", 24, 0, 0, NULL);
	assert_non_null(c);
	assert_non_null(other);
	assert_true(c->flags & SLAB_DEBUG);
	host_log_clear();
}

/* The address after key in line: "0x" and lowercase hex digits. */
static uintptr_t addr_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	unsigned long v;
	char *end;

	if (!p)
		fail_msg("no \"%s\" in \"%s\"", key, line);
	p += strlen(key);
	if (strncmp(p, "0x", 2) || !strchr("0123456789abcdef", p[2]) || !p[2])
		fail_msg("\"%s\" is not followed by 0x<hex> in \"%s\"", key,
			 line);
	v = strtoul(p + 2, &end, 16);
	for (const char *q = p + 2; q < end; q++)
		if (*q >= 'A' && *q <= 'F')
			fail_msg("upper-case hex in \"%s\"", line);
	return (uintptr_t)v;
}

/* addr is a return address inside fn (the function of the test). */
#define assert_in(addr, fn)                                                    \
	do {                                                                   \
		uintptr_t __a = (addr), __f = (uintptr_t)(fn);                 \
		if (__a <= __f || __a >= __f + 0x4000)                         \
			fail_msg("0x%lx is not in %s (0x%lx)",                 \
				 (unsigned long)__a, #fn, (unsigned long)__f); \
	} while (0)

/*
 * The last line is exactly "slab: <what>: cache <cache>, object 0x<obj>,
 * caller 0x<addr>", one more error counted; returns the caller.
 */
static uintptr_t assert_report(const char *what, const char *cache,
			       const void *obj, unsigned long errors)
{
	const char *last = host_log_last();
	uintptr_t caller = addr_after(last, ", caller ");
	char want[512];

	snprintf(want, sizeof(want),
		 "slab: %s: cache %s, object 0x%lx, caller 0x%lx", what, cache,
		 (unsigned long)(uintptr_t)obj, (unsigned long)caller);
	assert_string_equal(last, want);
	assert_int_equal(host_log_count("slab: "), 1);
	assert_int_equal(slab_errors, errors);
	host_log_clear();
	return caller;
}

static struct t_track *track(const struct kmem_cache *k, const void *obj)
{
	return t_track_of(k, obj);
}

/* ---- double free ---- */

static void double_free(void **state)
{
	unsigned int avail;
	uintptr_t first, second;
	char what[128];
	void *p, *q;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_in(track(c, p)->caller, double_free);
	kmem_cache_free(c, p);
	first = track(c, p)->caller;
	assert_in(first, double_free);
	avail = c->magazine[0].avail;
	kmem_cache_free(c, p);
	snprintf(what, sizeof(what), "double free (first freed by 0x%lx)",
		 (unsigned long)first);
	second = assert_report(what, "dbg", p, 1);
	assert_in(second, double_free);
	assert_true(second != first);
	/* refused: the magazine holds p once */
	assert_int_equal(c->magazine[0].avail, avail);
	t_check_cache(c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	q = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_not_equal(p, q);
	kmem_cache_free(c, p);
	kmem_cache_free(c, q);
	assert_int_equal(slab_errors, 1);
}

/* The first free went all the way back to the slab: still caught. */
static void double_free_after_flush(void **state)
{
	void *p, *more[2 * SLAB_MAGAZINE];
	unsigned long active;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 2 * SLAB_MAGAZINE; i++)
		more[i] = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);
	for (int i = 0; i < 2 * SLAB_MAGAZINE; i++)
		kmem_cache_free(c, more[i]);
	for (unsigned int i = 0; i < c->magazine[0].avail; i++)
		assert_ptr_not_equal(c->magazine[0].entry[i], p);
	active = t_active(c);
	kmem_cache_free(c, p);
	assert_non_null(strstr(host_log_last(), "slab: double free"));
	assert_int_equal(slab_errors, 1);
	assert_int_equal(t_active(c), active);
	kmem_cache_shrink(c);
	assert_int_equal(t_slabs(c), 0);
}

static void double_kfree(void **state)
{
	struct kmem_cache *k64;
	uintptr_t first;
	char what[128];
	void *p;

	setup();
	p = kmalloc(40, GFP_KERNEL);
	k64 = (struct kmem_cache *)virt_to_page(p)->owner;
	/* the caller of kmalloc, not kmalloc */
	assert_in(track(k64, p)->caller, double_kfree);
	kfree(p);
	first = track(k64, p)->caller;
	assert_in(first, double_kfree);
	kfree(p);
	snprintf(what, sizeof(what), "double free (first freed by 0x%lx)",
		 (unsigned long)first);
	assert_in(assert_report(what, "kmalloc-64", p, 1), double_kfree);
}

/* ---- wrong cache ---- */

static void wrong_cache(void **state)
{
	unsigned int avail;
	void *p;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	avail = other->magazine[0].avail;
	kmem_cache_free(other, p);
	assert_in(assert_report("wrong cache: the object belongs to dbg",
				"dbg-other", p, 1),
		  wrong_cache);
	/* refused: still c's, still in use */
	assert_int_equal(other->magazine[0].avail, avail);
	assert_int_equal(track(c, p)->state, T_OBJ_ALLOC);
	assert_int_equal(t_active(c), 1);
	kmem_cache_free(c, p);
	assert_int_equal(t_active(c), 0);
	t_check_cache(other);
	assert_int_equal(slab_errors, 1);
}

/* ---- red zones ---- */

static void overflow_after_the_object(void **state)
{
	struct kmem_cache *odd;
	uint8_t *p;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	p[24] = 0; /* one byte past the end */
	kmem_cache_free(c, p);
	assert_in(
		assert_report(
			"red zone overwritten at offset 24 (after the object)",
			"dbg", p, 1),
		overflow_after_the_object);
	/* refused: the object stays allocated, out of circulation */
	assert_int_equal(track(c, p)->state, T_OBJ_ALLOC);
	assert_int_equal(t_active(c), 1);
	t_check_cache(c);

	/* 13 bytes: the red zone starts at 13 and runs to 24 */
	odd = kmem_cache_create("dbg-13", 13, 0, 0, NULL);
	assert_int_equal(odd->offset, 16 + 8);
	for (unsigned int at = 13; at < 24; at += 5) {
		char what[64];

		p = kmem_cache_alloc(odd, GFP_KERNEL);
		memset(p, 0x11, 13); /* every byte of the object is fine */
		p[at] ^= 0xff;
		kmem_cache_free(odd, p);
		snprintf(what, sizeof(what),
			 "red zone overwritten at offset %u (after the object)",
			 at);
		assert_report(what, "dbg-13", p, 1 + (at - 13) / 5 + 1);
	}
	/* the first damaged byte is the one reported */
	p = kmem_cache_alloc(odd, GFP_KERNEL);
	p[20] = p[16] = 0;
	kmem_cache_free(odd, p);
	assert_report("red zone overwritten at offset 16 (after the object)",
		      "dbg-13", p, 5);
}

static void underflow_before_the_object(void **state)
{
	struct kmem_cache *wide;
	uint8_t *p;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	p[-1] = 0;
	kmem_cache_free(c, p);
	assert_in(
		assert_report(
			"red zone overwritten at offset -1 (before the object)",
			"dbg", p, 1),
		underflow_before_the_object);
	assert_int_equal(track(c, p)->state, T_OBJ_ALLOC);

	p = kmem_cache_alloc(c, GFP_KERNEL);
	p[-8] = 0x42;
	kmem_cache_free(c, p);
	assert_report("red zone overwritten at offset -8 (before the object)",
		      "dbg", p, 2);

	/* 64-byte alignment: 64 bytes of red zone before */
	wide = kmem_cache_create("dbg-wide", 100, 64, 0, NULL);
	assert_int_equal(wide->red_left, 64);
	p = kmem_cache_alloc(wide, GFP_KERNEL);
	p[-64] = 0;
	kmem_cache_free(wide, p);
	assert_report("red zone overwritten at offset -64 (before the object)",
		      "dbg-wide", p, 3);
	t_check_cache(wide);
}

/* A free object's red zone damaged: caught when it is handed out again. */
static void overflow_of_a_free_object(void **state)
{
	uint8_t *p, *q;
	unsigned long active;

	setup();
	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, q);
	q[25] = 0;
	active = t_active(c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_in(
		assert_report(
			"red zone overwritten at offset 25 (after the object)",
			"dbg", q, 1),
		overflow_of_a_free_object);
	assert_ptr_not_equal(p, q);
	/* q stays out: counted in use */
	assert_int_equal(t_active(c), active + 2);
	kmem_cache_free(c, p);
}

/* ---- use after free ---- */

static void use_after_free(void **state)
{
	uint8_t *p, *q;
	uintptr_t freed_by;
	char what[128];

	setup();
	q = kmem_cache_alloc(c, GFP_KERNEL);
	/* a free object is poisoned: 0x6b, the last byte 0xa5 */
	kmem_cache_free(c, q);
	for (int i = 0; i < 23; i++)
		assert_int_equal(q[i], T_POISON_FREE);
	assert_int_equal(q[23], T_POISON_END);
	freed_by = track(c, q)->caller;
	assert_in(freed_by, use_after_free);
	q[3] = 0; /* write after free */
	/* the magazine hands q out again: the poison check catches it */
	p = kmem_cache_alloc(c, GFP_KERNEL);
	snprintf(
		what, sizeof(what),
		"use after free: poison overwritten at offset 3 (freed by 0x%lx)",
		(unsigned long)freed_by);
	assert_in(assert_report(what, "dbg", q, 1), use_after_free);
	assert_ptr_not_equal(p, q);
	assert_int_equal(track(c, q)->state, T_OBJ_FREE); /* left aside */
	assert_int_equal(t_active(c), 2);

	/* the last byte too */
	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, q);
	q[23] = T_POISON_FREE;
	kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(strstr(
		host_log_last(),
		"use after free: poison overwritten at offset 23 (freed by 0x"));
	assert_int_equal(slab_errors, 2);
	kmem_cache_free(c, p);
}

/* ---- pointers that are not objects ---- */

static int not_in_the_direct_map;

static void interior_and_foreign_pointers(void **state)
{
	struct page *page;
	uint8_t *p, *heap;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p + 8);
	assert_in(assert_report("free of a pointer inside an object", "dbg",
				p + 8, 1),
		  interior_and_foreign_pointers);
	/* before the first object: the colour and the left red zone */
	kmem_cache_free(c, page_address(slab_head(c, p)));
	assert_report("free of a pointer inside an object", "dbg",
		      page_address(slab_head(c, p)), 2);
	/* the red zone right before p */
	kmem_cache_free(c, p - 4);
	assert_report("free of a pointer inside an object", "dbg", p - 4, 3);
	assert_int_equal(track(c, p)->state, T_OBJ_ALLOC);

	/* a page of the buddy allocator */
	page = alloc_pages(GFP_KERNEL, 0);
	kmem_cache_free(c, page_address(page));
	assert_report("free of an address that is not a slab object", "dbg",
		      page_address(page), 4);
	assert_int_equal(page->refcount, 1);
	free_pages(page, 0);
	/* outside the direct map altogether: the image, the host's heap */
	kmem_cache_free(c, &not_in_the_direct_map);
	assert_report("free of an address that is not a slab object", "dbg",
		      &not_in_the_direct_map, 5);
	heap = malloc(64);
	kmem_cache_free(c, heap);
	assert_report("free of an address that is not a slab object", "dbg",
		      heap, 6);
	free(heap);
	kmem_cache_free(c, NULL); /* not an error */
	assert_int_equal(slab_errors, 6);
	kmem_cache_free(c, p);
	assert_int_equal(t_active(c), 0);
	t_check_cache(c);
}

/* ---- the track ---- */

static void tracking_overwritten(void **state)
{
	uint8_t *p, *q;
	uintptr_t last;
	char what[128];

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	track(c, p)->state = 0;
	kmem_cache_free(c, p);
	assert_report("object's tracking overwritten", "dbg", p, 1);

	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, q);
	last = track(c, q)->caller;
	track(c, q)->state = T_OBJ_ALLOC; /* a stray write into a free slot */
	p = kmem_cache_alloc(c, GFP_KERNEL);
	snprintf(what, sizeof(what),
		 "free object's tracking overwritten (last user 0x%lx)",
		 (unsigned long)last);
	assert_report(what, "dbg", q, 2);
	assert_ptr_not_equal(p, q);
	kmem_cache_free(c, p);
}

/* Every allocation and free records its caller, through kmalloc too. */
static void callers_recorded(void **state)
{
	struct kmem_cache *k64;
	void *p, *q, *r;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(track(c, p)->state, T_OBJ_ALLOC);
	assert_in(track(c, p)->caller, callers_recorded);
	kmem_cache_free(c, p);
	assert_int_equal(track(c, p)->state, T_OBJ_FREE);
	assert_in(track(c, p)->caller, callers_recorded);

	q = kmalloc(64, GFP_KERNEL);
	k64 = (struct kmem_cache *)virt_to_page(q)->owner;
	assert_string_equal(k64->name, "kmalloc-64");
	assert_in(track(k64, q)->caller, callers_recorded);
	kfree(q);
	assert_in(track(k64, q)->caller, callers_recorded);
	q = kzalloc(64, GFP_KERNEL);
	assert_in(track(k64, q)->caller, callers_recorded);
	r = krealloc(q, 60, GFP_KERNEL); /* fits: the same object */
	assert_ptr_equal(r, q);
	r = krealloc(q, 128,
		     GFP_KERNEL); /* moves: q freed by krealloc's caller */
	assert_in(track(k64, q)->caller, callers_recorded);
	kfree(r);
	q = kcalloc(8, 8, GFP_KERNEL);
	assert_in(track(k64, q)->caller, callers_recorded);
	kfree(q);
	q = kmalloc_array(8, 8, GFP_KERNEL);
	assert_in(track(k64, q)->caller, callers_recorded);
	kfree(q);
	assert_int_equal(slab_errors, 0);
}

static void destroy_with_objects_in_use(void **state)
{
	void *p, *q;

	setup();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	q = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_destroy(c);
	assert_string_equal(
		host_log_last(),
		"kmem_cache_destroy: dbg still has 2 objects in use");
	assert_int_equal(slab_errors, 1);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	assert_string_equal(
		host_log_last(),
		"kmem_cache_destroy: dbg still has 1 objects in use");
	assert_int_equal(slab_errors, 2);
	kmem_cache_free(c, q);
	host_log_clear();
	kmem_cache_destroy(c);
	assert_string_equal(host_log(), "");
	assert_int_equal(slab_errors, 2);
}

/* A constructor cache: no poison (the state is kept), red zones still. */
static unsigned int ctor_calls;

static void ctor_42(void *obj)
{
	ctor_calls++;
	memset(obj, 42, 32);
}

static void constructor_cache(void **state)
{
	struct kmem_cache *k;
	uint8_t *p;

	setup();
	k = kmem_cache_create("dbg-ctor", 32, 0, 0, ctor_42);
	p = kmem_cache_alloc(k, GFP_KERNEL);
	for (int i = 0; i < 32; i++)
		assert_int_equal(p[i], 42);
	kmem_cache_free(k, p);
	for (int i = 0; i < 32; i++)
		assert_int_equal(p[i], 42); /* not poisoned */
	assert_ptr_equal(kmem_cache_alloc(k, GFP_KERNEL), p);
	assert_int_equal(slab_errors, 0);
	p[32] = 0;
	kmem_cache_free(k, p);
	assert_report("red zone overwritten at offset 32 (after the object)",
		      "dbg-ctor", p, 1);
	p = kmem_cache_alloc(k, GFP_KERNEL);
	kmem_cache_free(k, p);
	kmem_cache_free(k, p);
	assert_non_null(strstr(host_log_last(), "slab: double free"));
	assert_int_equal(slab_errors, 2);
	t_check_cache(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(double_free),
		cmocka_unit_test(double_free_after_flush),
		cmocka_unit_test(double_kfree),
		cmocka_unit_test(wrong_cache),
		cmocka_unit_test(overflow_after_the_object),
		cmocka_unit_test(underflow_before_the_object),
		cmocka_unit_test(overflow_of_a_free_object),
		cmocka_unit_test(use_after_free),
		cmocka_unit_test(interior_and_foreign_pointers),
		cmocka_unit_test(tracking_overwritten),
		cmocka_unit_test(callers_recorded),
		cmocka_unit_test(destroy_with_objects_in_use),
		cmocka_unit_test(constructor_cache),
	};

	return cmocka_run_group_tests_name("slab_debug", tests, NULL, NULL);
}
