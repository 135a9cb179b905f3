// SPDX-License-Identifier: MIT
/*
 * tests/host/test_rbtree.c - the red-black tree (kernel/rbtree.c) on its
 * own: the empty tree, one node, sorted and reverse-sorted insertions, the
 * erase of the root, a leaf and an inner node, rb_replace_node(), and
 * random insertions and erasures with rb_check() and both in-order walks
 * (rb_first/rb_next, rb_last/rb_prev) compared with a reference after every
 * single operation.
 *
 * The seed is fixed and printed; PAGODA_SEED=<n> runs another one,
 * PAGODA_STRESS_OPS=<n> changes the length.
 */
#include <stdbool.h>
#include <stdlib.h>

/* cmocka needs these before it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/rbtree.h"

#define DEFAULT_SEED 0x5eedb1ac4ULL
#define DEFAULT_OPS  20000
#define NR_ITEMS     1024

/* A keyed item; items[i].key == 2 * i + 1, so the keys sort like i. */
struct item {
	unsigned long key;
	struct rb_node rb;
	bool in_tree;
};

static struct item items[NR_ITEMS];
static struct rb_root root;
static unsigned int nr_in; /* items with in_tree set */

static int setup(void **state)
{
	for (unsigned int i = 0; i < NR_ITEMS; i++)
		items[i] = (struct item){ .key = 2 * i + 1 };
	root = RB_ROOT;
	nr_in = 0;
	return 0;
}

static struct item *item_of(const struct rb_node *n)
{
	return n ? rb_entry(n, struct item, rb) : NULL;
}

static void insert(struct item *it)
{
	struct rb_node **link = &root.rb_node, *parent = NULL;

	assert_false(it->in_tree);
	while (*link) {
		parent = *link;
		assert_true(it->key != item_of(parent)->key);
		if (it->key < item_of(parent)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&it->rb, parent, link);
	rb_insert_color(&it->rb, &root);
	it->in_tree = true;
	nr_in++;
}

static void erase(struct item *it)
{
	assert_true(it->in_tree);
	rb_erase(&it->rb, &root);
	it->in_tree = false;
	nr_in--;
}

static struct item *find(unsigned long key)
{
	struct rb_node *n = root.rb_node;

	while (n && item_of(n)->key != key)
		n = key < item_of(n)->key ? n->rb_left : n->rb_right;
	return item_of(n);
}

/*
 * The whole tree against items[]: the properties hold, the black height
 * fits the size (n >= 2^bh - 1), and both walks visit exactly the items
 * with in_tree set, in key order.
 */
static void verify(void)
{
	int bh = rb_check(&root);
	struct rb_node *n;
	unsigned int i;

	if (bh < 0)
		fail_msg("rb_check: a property is broken (%u nodes)", nr_in);
	assert_true(bh < 32 && (1UL << bh) - 1 <= nr_in);
	assert_int_equal(RB_EMPTY_ROOT(&root), nr_in == 0);

	n = rb_first(&root);
	for (i = 0; i < NR_ITEMS; i++) {
		if (!items[i].in_tree)
			continue;
		assert_ptr_equal(n, &items[i].rb);
		n = rb_next(n);
	}
	assert_null(n);

	n = rb_last(&root);
	for (i = NR_ITEMS; i-- > 0;) {
		if (!items[i].in_tree)
			continue;
		assert_ptr_equal(n, &items[i].rb);
		n = rb_prev(n);
	}
	assert_null(n);
}

static void empty_tree(void **state)
{
	struct rb_root r = RB_ROOT;

	assert_true(RB_EMPTY_ROOT(&r));
	assert_null(rb_first(&r));
	assert_null(rb_last(&r));
	assert_int_equal(rb_check(&r), 0);
	verify();
}

static void one_node(void **state)
{
	struct item *it = &items[7];

	insert(it);
	verify();
	assert_ptr_equal(root.rb_node, &it->rb);
	assert_null(rb_parent(&it->rb));
	assert_int_equal(rb_check(&root), 1); /* the root is black */
	assert_ptr_equal(rb_first(&root), &it->rb);
	assert_ptr_equal(rb_last(&root), &it->rb);
	assert_null(rb_next(&it->rb));
	assert_null(rb_prev(&it->rb));
	erase(it);
	verify();
	assert_null(root.rb_node);
}

/* The worst orders for an unbalanced tree: the depth must stay logarithmic. */
static void sorted_orders(void **state)
{
	for (unsigned int i = 0; i < NR_ITEMS; i++) {
		insert(&items[i]);
		verify();
	}
	for (unsigned int i = 0; i < NR_ITEMS; i++) {
		erase(&items[i]);
		verify();
	}
	for (unsigned int i = NR_ITEMS; i-- > 0;) {
		insert(&items[i]);
		verify();
	}
	for (unsigned int i = NR_ITEMS; i-- > 0;) {
		erase(&items[i]);
		verify();
	}
}

/* Some node (not the root) with no children, or with two. */
static struct item *node_with(unsigned int nr_children)
{
	for (struct rb_node *n = rb_first(&root); n; n = rb_next(n)) {
		unsigned int c = !!n->rb_left + !!n->rb_right;

		if (n != root.rb_node && c == nr_children)
			return item_of(n);
	}
	fail_msg("no node with %u children", nr_children);
	return NULL;
}

static void erase_root_leaf_inner(void **state)
{
	for (unsigned int i = 0; i < 100; i++)
		insert(&items[i]);
	verify();

	for (unsigned int round = 0; round < 20; round++) {
		erase(item_of(root.rb_node));
		verify();
		erase(node_with(0));
		verify();
		erase(node_with(2));
		verify();
	}
	assert_int_equal(nr_in, 40);

	/* down to nothing, always through the root */
	while (root.rb_node) {
		erase(item_of(root.rb_node));
		verify();
	}
	assert_int_equal(nr_in, 0);
}

/* Put spare (same key) where old is; the shape and colours are unchanged. */
static void replace(struct item *old, struct item *spare)
{
	struct rb_node before = old->rb;
	int bh = rb_check(&root);

	spare->key = old->key;
	rb_replace_node(&old->rb, &spare->rb, &root);
	assert_memory_equal(&spare->rb, &before, sizeof(before));
	if (spare->rb.rb_left)
		assert_ptr_equal(rb_parent(spare->rb.rb_left), &spare->rb);
	if (spare->rb.rb_right)
		assert_ptr_equal(rb_parent(spare->rb.rb_right), &spare->rb);
	assert_int_equal(rb_check(&root), bh);
	assert_ptr_equal(find(old->key), spare);
}

static void replace_node(void **state)
{
	struct item spare[3];
	struct item *victim[3];
	unsigned long key[3];

	for (unsigned int i = 0; i < 50; i++)
		insert(&items[i]);
	victim[0] = item_of(root.rb_node);
	victim[1] = node_with(0);
	victim[2] = node_with(2);

	for (unsigned int i = 0; i < 3; i++) {
		key[i] = victim[i]->key;
		spare[i] = (struct item){ .in_tree = true };
		replace(victim[i], &spare[i]);
		victim[i]->in_tree = false;
	}
	assert_ptr_equal(root.rb_node, &spare[0].rb);

	/* the walks meet the spares where the victims were */
	for (struct rb_node *n = rb_first(&root); n; n = rb_next(n)) {
		struct item *it = item_of(n);

		for (unsigned int i = 0; i < 3; i++)
			assert_true(it != victim[i]);
		if (it == &spare[0] || it == &spare[1] || it == &spare[2])
			continue;
		assert_true(it >= items && it < items + 50);
	}

	/* the spares erase like any node; then the victims go back in */
	for (unsigned int i = 0; i < 3; i++) {
		rb_erase(&spare[i].rb, &root);
		assert_null(find(key[i]));
		assert_true(rb_check(&root) >= 0);
		nr_in--;
	}
	verify();
	for (unsigned int i = 0; i < 3; i++)
		insert(victim[i]);
	verify();
	assert_int_equal(nr_in, 50);
}

/*
 * rb_check() itself, on a tree of three (B over two r) broken one way at a
 * time and mended again.
 */
static void check_catches_breakage(void **state)
{
	struct rb_node *a = &items[0].rb, *b = &items[1].rb, *c = &items[2].rb;
	struct rb_node extra;

	for (unsigned int i = 0; i < 3; i++)
		insert(&items[i]);
	assert_ptr_equal(root.rb_node, b);
	assert_int_equal(rb_check(&root), 1);

	/* red root over black children: only property 2 is broken */
	b->__parent_color &= ~(uintptr_t)RB_BLACK;
	a->__parent_color |= RB_BLACK;
	c->__parent_color |= RB_BLACK;
	assert_int_equal(rb_check(&root), -1);
	b->__parent_color |= RB_BLACK;
	a->__parent_color &= ~(uintptr_t)RB_BLACK;
	c->__parent_color &= ~(uintptr_t)RB_BLACK;

	rb_link_node(&extra, a, &a->rb_left); /* red under red */
	assert_int_equal(rb_check(&root), -1);
	extra.__parent_color |= RB_BLACK; /* one black more on one path */
	assert_int_equal(rb_check(&root), -1);
	a->rb_left = NULL;

	c->__parent_color = (uintptr_t)a; /* wrong parent */
	assert_int_equal(rb_check(&root), -1);
	c->__parent_color = (uintptr_t)b | 2; /* bit 1 set */
	assert_int_equal(rb_check(&root), -1);
	c->__parent_color = (uintptr_t)b;

	assert_int_equal(rb_check(&root), 1);
	verify();
}

/* xorshift64*, as in tests/host/machine.h; *state must not be 0. */
static uint64_t xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

/*
 * order[] holds every item index, those in the tree first: an insertion
 * takes a random one of the rest, an erasure a random one of the first
 * nr_in. The tree grows for 2000 operations (three insertions in four),
 * then shrinks for 2000, and so on, so it is both large and small, and
 * empty now and then.
 */
static void random_ops(void **state)
{
	const uint64_t seed = env_u64("PAGODA_SEED", DEFAULT_SEED);
	const unsigned long ops = env_u64("PAGODA_STRESS_OPS", DEFAULT_OPS);
	static unsigned int order[NR_ITEMS];
	uint64_t rng = seed ? seed : 1;
	unsigned long inserted = 0, erased = 0, empty = 0;
	unsigned int max = 0;

	print_message("# random: seed 0x%llx, %lu operations\n",
		      (unsigned long long)seed, ops);
	for (unsigned int i = 0; i < NR_ITEMS; i++)
		order[i] = i;

	for (unsigned long op = 0; op < ops; op++) {
		bool grow = (op / 2000) % 2 == 0;
		bool ins = xorshift64s(&rng) % 4 < (grow ? 3u : 1u);
		unsigned int j, t;

		if (nr_in == 0)
			ins = true;
		else if (nr_in == NR_ITEMS)
			ins = false;

		if (ins) {
			j = nr_in + xorshift64s(&rng) % (NR_ITEMS - nr_in);
			t = order[nr_in];
			order[nr_in] = order[j];
			order[j] = t;
			insert(&items[order[nr_in]]);
			inserted++;
		} else {
			j = xorshift64s(&rng) % nr_in;
			t = order[nr_in - 1];
			order[nr_in - 1] = order[j];
			order[j] = t;
			erase(&items[order[nr_in - 1]]);
			erased++;
		}
		verify();
		if (nr_in > max)
			max = nr_in;
		empty += nr_in == 0;
	}

	/* every live key is found, every other one is not */
	for (unsigned int i = 0; i < NR_ITEMS; i++) {
		assert_ptr_equal(find(items[i].key),
				 items[i].in_tree ? &items[i] : NULL);
		assert_null(find(items[i].key + 1));
	}
	print_message("# random: %lu insertions, %lu erasures, up to %u nodes, "
		      "empty %lu times\n",
		      inserted, erased, max, empty);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(empty_tree),	  T(one_node),
		T(sorted_orders), T(erase_root_leaf_inner),
		T(replace_node),  T(check_catches_breakage),
		T(random_ops),
	};

	return cmocka_run_group_tests_name("rbtree", tests, NULL, NULL);
}
