// SPDX-License-Identifier: MIT
/*
 * alloc/slab_debug.c - catching misuse of slab objects (bootarg slab_debug,
 * always on in the host tests).
 *
 * A debug slot surrounds the object with red zones (0xbb) and keeps, after
 * the free pointer, a track word: who last allocated or freed the object
 * and whether it is free. Free objects of caches without a constructor are
 * poisoned (0x6b, last byte 0xa5), so a write after free shows up when the
 * object is handed out again. Every report names the cache, the object and
 * the caller, and the operation is refused: the object leaves circulation
 * rather than corrupting the cache.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc/internal.h"

/* clang-format off */
#define RED_BYTE     0xbb  /* red zones around the object */
#define POISON_FREE  0x6b  /* a free object's bytes */
#define POISON_END   0xa5  /* a free object's last byte */
#define RED_RIGHT    8     /* red zone bytes after the object, at least */
#define OBJ_FREE     0x46524545u  /* "FREE" */
#define OBJ_ALLOC    0x414c4c4fu  /* "ALLO" */
/* clang-format on */

struct track {
	uintptr_t caller; /* return address of the last alloc or free */
	uint32_t state;	  /* OBJ_FREE or OBJ_ALLOC */
	uint32_t unused;
};

static size_t obj_area(const struct kmem_cache *c)
{
	return (c->object_size + 7) & ~7u;
}

static struct track *track_of(const struct kmem_cache *c, void *obj)
{
	return (struct track *)((char *)obj + c->offset + sizeof(void *));
}

void slab_debug_layout(struct kmem_cache *c)
{
	size_t slot;

	c->red_left = c->align; /* keeps the object aligned */
	c->offset = (unsigned int)(obj_area(c) + RED_RIGHT);
	slot = c->red_left + c->offset + sizeof(void *) + sizeof(struct track);
	c->size =
		(unsigned int)((slot + c->align - 1) & ~(size_t)(c->align - 1));
}

static void poison(const struct kmem_cache *c, void *obj)
{
	if (c->ctor)
		return; /* a free object keeps its constructed state */
	memset(obj, POISON_FREE, c->object_size - 1);
	((uint8_t *)obj)[c->object_size - 1] = POISON_END;
}

void slab_debug_init_object(const struct kmem_cache *c, void *obj)
{
	memset((char *)obj - c->red_left, RED_BYTE, c->red_left);
	memset((char *)obj + c->object_size, RED_BYTE,
	       c->offset - c->object_size);
	poison(c, obj);
	*track_of(c, obj) = (struct track){ 0, OBJ_FREE, 0 };
}

static const char *where(uintptr_t pc, char *buf, size_t size)
{
	unsigned long off;
	const char *name = ksym_lookup(pc, &off);

	if (name)
		snprintf(buf, size, "%s+0x%lx", name, off);
	else
		snprintf(buf, size, "0x%lx", (unsigned long)pc);
	return buf;
}

void slab_report(const struct kmem_cache *c, const void *obj, uintptr_t caller,
		 const char *fmt, ...)
{
	char what[128], by[64];
	va_list ap;

	slab_errors++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pr_err("slab: %s: cache %s, object 0x%lx, caller %s\n", what, c->name,
	       (unsigned long)(uintptr_t)obj, where(caller, by, sizeof(by)));
}

/* Finds the first damaged red-zone byte; negative offsets lie before. */
static bool red_zone_damaged(const struct kmem_cache *c, const void *obj,
			     long *at)
{
	const uint8_t *p = obj;

	for (long i = -(long)c->red_left; i < 0; i++)
		if (p[i] != RED_BYTE)
			return *at = i, true;
	for (size_t i = c->object_size; i < c->offset; i++)
		if (p[i] != RED_BYTE)
			return *at = (long)i, true;
	return false;
}

static bool red_zones_ok(const struct kmem_cache *c, const void *obj,
			 uintptr_t caller)
{
	long at;

	if (!red_zone_damaged(c, obj, &at))
		return true;
	slab_report(c, obj, caller,
		    "red zone overwritten at offset %ld (%s the object)", at,
		    at < 0 ? "before" : "after");
	return false;
}

bool slab_debug_alloc(const struct kmem_cache *c, void *obj, uintptr_t caller)
{
	struct track *t = track_of(c, obj);
	char by[64];

	if (t->state != OBJ_FREE) {
		slab_report(c, obj, caller,
			    "free object's tracking overwritten (last user %s)",
			    where(t->caller, by, sizeof(by)));
		return false;
	}
	if (!red_zones_ok(c, obj, caller))
		return false;
	if (!c->ctor) {
		const uint8_t *p = obj;

		for (size_t i = 0; i < c->object_size; i++) {
			uint8_t want = i + 1 == c->object_size ? POISON_END
							       : POISON_FREE;

			if (p[i] != want) {
				slab_report(
					c, obj, caller,
					"use after free: poison overwritten at offset %zu (freed by %s)",
					i, where(t->caller, by, sizeof(by)));
				return false;
			}
		}
	}
	t->state = OBJ_ALLOC;
	t->caller = caller;
	return true;
}

bool slab_debug_free(const struct kmem_cache *c, void *obj, uintptr_t caller)
{
	uintptr_t va = (uintptr_t)obj;
	const struct page *page, *head;
	struct track *t;
	uintptr_t base;
	char by[64];

	if (!in_direct_map(obj) ||
	    !((page = virt_to_page(obj))->flags & PG_slab)) {
		slab_report(c, obj, caller,
			    "free of an address that is not a slab object");
		return false;
	}
	if ((const struct kmem_cache *)page->owner != c) {
		slab_report(c, obj, caller,
			    "wrong cache: the object belongs to %s",
			    ((const struct kmem_cache *)page->owner)->name);
		return false;
	}
	head = slab_head(c, obj);
	base = (uintptr_t)page_address(head) + head->private + c->red_left;
	if (va < base || (va - base) % c->size ||
	    (va - base) / c->size >= c->objects) {
		slab_report(c, obj, caller,
			    "free of a pointer inside an object");
		return false;
	}
	t = track_of(c, obj);
	if (t->state == OBJ_FREE) {
		slab_report(c, obj, caller, "double free (first freed by %s)",
			    where(t->caller, by, sizeof(by)));
		return false;
	}
	if (t->state != OBJ_ALLOC) {
		slab_report(c, obj, caller, "object's tracking overwritten");
		return false;
	}
	if (!red_zones_ok(c, obj, caller))
		return false;
	poison(c, obj);
	t->state = OBJ_FREE;
	t->caller = caller;
	return true;
}
