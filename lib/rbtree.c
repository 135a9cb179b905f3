// SPDX-License-Identifier: MIT
/*
 * lib/rbtree.c - red-black tree rebalancing (kernel/rbtree.h has the
 * properties and the API).
 *
 * Each fix-up has a mirror image for a node on the other side; rather than
 * write every case twice, the code names a side by a number (LEFT 0, RIGHT
 * 1), reaches a child through child(n, dir) and rotates with one rotate()
 * for both directions. In the pictures below, capitals are black, lower
 * case red, and the node being fixed sits on the left (dir == LEFT).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rbtree.h"

#define LEFT  0
#define RIGHT 1

static inline int color(const struct rb_node *n)
{
	return n->__parent_color & 1;
}

/* NULL leaves are black (property 3). */
static inline bool is_red(const struct rb_node *n)
{
	return n && color(n) == RB_RED;
}

static inline bool is_black(const struct rb_node *n)
{
	return !is_red(n);
}

static inline void set_color(struct rb_node *n, int c)
{
	n->__parent_color = (n->__parent_color & ~(uintptr_t)1) | (uintptr_t)c;
}

static inline void set_parent(struct rb_node *n, struct rb_node *p)
{
	n->__parent_color = (uintptr_t)p | (n->__parent_color & 1);
}

static inline struct rb_node **child(struct rb_node *n, int dir)
{
	return dir == LEFT ? &n->rb_left : &n->rb_right;
}

/* Make parent's (or the root's) pointer to old point at new. */
static void change_child(struct rb_node *old, struct rb_node *new,
			 struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * Rotate x down to side dir: its child y on the other side takes its
 * place, and y's inner subtree b moves across to x. Colours stay.
 *
 *	    x                 y
 *	   / \               / \
 *	  a   y     -->     x   c        (dir == LEFT)
 *	     / \           / \
 *	    b   c         a   b
 */
static void rotate(struct rb_node *x, int dir, struct rb_root *root)
{
	struct rb_node *y = *child(x, !dir);
	struct rb_node *b = *child(y, dir);
	struct rb_node *p = rb_parent(x);

	*child(x, !dir) = b;
	if (b)
		set_parent(b, x);
	*child(y, dir) = x;
	set_parent(x, y);
	set_parent(y, p);
	change_child(x, y, p, root);
}

/*
 * node is red and may have a red parent (property 4 broken). While it has,
 * the grandparent g is black and exists (a red node is not the root):
 *
 *  - red uncle u: recolour and go on from g, two levels up.
 *
 *	      G               g
 *	     / \             / \
 *	    p   u    -->    P   U
 *	   /               /
 *	  n               n
 *
 *  - black uncle: if n is an inner grandchild, rotate it out to the outer
 *    side; then rotate g away from p and swap their colours. Done.
 *
 *	      G               G               P
 *	     / \             / \             / \
 *	    p   U    -->    n   U    -->    n   g
 *	     \             /                     \
 *	      n           p                       U
 */
void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;
	int dir;

	while ((parent = rb_parent(node)) && is_red(parent)) {
		gparent = rb_parent(parent);
		dir = parent == gparent->rb_left ? LEFT : RIGHT;
		uncle = *child(gparent, !dir);

		if (is_red(uncle)) {
			set_color(parent, RB_BLACK);
			set_color(uncle, RB_BLACK);
			set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}
		if (node == *child(parent, !dir)) {
			rotate(parent, dir, root);
			parent = node;
		}
		set_color(parent, RB_BLACK);
		set_color(gparent, RB_RED);
		rotate(gparent, !dir, root);
		break;
	}
	set_color(root->rb_node, RB_BLACK);
}

/*
 * A black node was removed from above x (NULL or a node) under parent, so
 * paths through x have one black too few. While x is black and not the
 * root, with s its sibling (not NULL: its side has a black more):
 *
 *  1. s red: rotate parent towards x, swap colours; now s is black.
 *  2. s black, both nephews black: paint s red, so parent's two sides are
 *     even and parent itself is short; go on from parent.
 *  3. s black, far nephew black, near one red: rotate s away from x, so
 *     the near nephew is the sibling and s its red far child; case 4
 *     paints both, so they are not painted here.
 *  4. s black, far nephew f red: rotate parent towards x; s takes parent's
 *     colour, parent and f turn black. That adds a black above x. Done.
 *
 *	     (p)              (s)
 *	     / \              / \
 *	    X   S     -->    P   F       case 4, (p) either colour
 *	       / \          / \
 *	     (c)  f        X  (c)
 *
 * A red x (or the root) finally takes the missing black itself.
 */
static void erase_fixup(struct rb_node *x, struct rb_node *parent,
			struct rb_root *root)
{
	struct rb_node *s;
	int dir;

	while (x != root->rb_node && is_black(x)) {
		/* a NULL x is still the side that is NULL: s is not */
		dir = x == parent->rb_left ? LEFT : RIGHT;
		s = *child(parent, !dir);

		if (is_red(s)) {
			set_color(s, RB_BLACK);
			set_color(parent, RB_RED);
			rotate(parent, dir, root);
			s = *child(parent, !dir);
		}
		if (is_black(s->rb_left) && is_black(s->rb_right)) {
			set_color(s, RB_RED);
			x = parent;
			parent = rb_parent(x);
			continue;
		}
		if (is_black(*child(s, !dir))) {
			rotate(s, !dir, root);
			s = *child(parent, !dir);
		}
		set_color(s, color(parent));
		set_color(parent, RB_BLACK);
		set_color(*child(s, !dir), RB_BLACK);
		rotate(parent, dir, root);
		x = root->rb_node;
	}
	if (x)
		set_color(x, RB_BLACK);
}

/*
 * With at most one child, node is spliced out and its child moves up. With
 * two, its successor s (leftmost of the right subtree, so no left child)
 * takes node's place and colour, and the node really removed from the
 * shape is s at its old place, its right child moving up there. Removing a
 * red node changes no black height; a black one needs erase_fixup().
 */
void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *x, *parent;
	int removed;

	if (node->rb_left && node->rb_right) {
		struct rb_node *s = node->rb_right;

		while (s->rb_left)
			s = s->rb_left;
		x = s->rb_right;
		removed = color(s);
		if (s == node->rb_right) {
			parent = s; /* x stays s's right child */
		} else {
			parent = rb_parent(s);
			parent->rb_left = x;
			if (x)
				set_parent(x, parent);
			s->rb_right = node->rb_right;
			set_parent(s->rb_right, s);
		}
		s->rb_left = node->rb_left;
		set_parent(s->rb_left, s);
		change_child(node, s, rb_parent(node), root);
		s->__parent_color = node->__parent_color;
	} else {
		x = node->rb_left ? node->rb_left : node->rb_right;
		parent = rb_parent(node);
		removed = color(node);
		change_child(node, x, parent, root);
		if (x)
			set_parent(x, parent);
	}
	if (removed == RB_BLACK)
		erase_fixup(x, parent, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

/* Down to the leftmost of the right subtree, or up out of a left subtree. */
struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *n, *p;

	if (node->rb_right) {
		for (n = node->rb_right; n->rb_left; n = n->rb_left)
			;
		return n;
	}
	while ((p = rb_parent(node)) && node == p->rb_right)
		node = p;
	return p;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *n, *p;

	if (node->rb_left) {
		for (n = node->rb_left; n->rb_right; n = n->rb_right)
			;
		return n;
	}
	while ((p = rb_parent(node)) && node == p->rb_left)
		node = p;
	return p;
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new,
		     struct rb_root *root)
{
	change_child(victim, new, rb_parent(victim), root);
	if (victim->rb_left)
		set_parent(victim->rb_left, new);
	if (victim->rb_right)
		set_parent(victim->rb_right, new);
	*new = *victim;
}

/* Black height of the subtree at n (leaves not counted), or -1. */
static int check(const struct rb_node *n, const struct rb_node *parent)
{
	int l, r;

	if (!n)
		return 0;
	if (rb_parent(n) != parent || (n->__parent_color & 2))
		return -1;
	if (is_red(n) && (is_red(n->rb_left) || is_red(n->rb_right)))
		return -1;
	l = check(n->rb_left, n);
	r = check(n->rb_right, n);
	if (l < 0 || l != r)
		return -1;
	return l + (color(n) == RB_BLACK);
}

int rb_check(const struct rb_root *root)
{
	if (is_red(root->rb_node))
		return -1;
	return check(root->rb_node, NULL);
}
