/* SPDX-License-Identifier: MIT */
/*
 * lib/rbtree.h - intrusive red-black trees with Linux's API, for the VM
 * code's VMAs and whatever else wants an ordered set in O(log n).
 *
 * The tree knows nothing of keys: a caller embeds a struct rb_node in its
 * own struct, walks down from root->rb_node comparing keys itself, then
 * links the new node where the walk fell off the tree and rebalances:
 *
 *	struct rb_node **link = &root->rb_node, *parent = NULL;
 *
 *	while (*link) {
 *		parent = *link;
 *		if (key < rb_entry(parent, struct vma, rb)->start)
 *			link = &parent->rb_left;
 *		else
 *			link = &parent->rb_right;
 *	}
 *	rb_link_node(&vma->rb, parent, link);
 *	rb_insert_color(&vma->rb, root);
 *
 * Nothing here allocates or locks; the caller serialises access to a tree.
 */
#ifndef PAGODA_LIB_RBTREE_H
#define PAGODA_LIB_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A red-black tree is a binary search tree (left subtree < node <= right
 * subtree, in the caller's order) in which:
 *
 *   1. every node is red or black;
 *   2. the root is black;
 *   3. every leaf (a NULL child) counts as black;
 *   4. a red node has no red child;
 *   5. every path from a node down to a leaf passes the same number of
 *      black nodes (the black height).
 *
 * So the longest path is at most twice the shortest, and a tree of n nodes
 * is at most 2 * log2(n + 1) deep.
 *
 * __parent_color holds the parent's address (NULL for the root) with the
 * colour in bit 0 (RB_RED 0, RB_BLACK 1): nodes are aligned to a long, so
 * the low bits of their address are free. Bit 1 is always 0.
 */
struct rb_node {
	uintptr_t __parent_color;
	struct rb_node *rb_right, *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node; /* NULL when the tree is empty */
};

/* clang-format off */
#define RB_ROOT (struct rb_root){ NULL }
/* clang-format on */

#define RB_RED	 0
#define RB_BLACK 1

/* The same definition as kernel/kernel.h's, so either may come first. */
#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
#endif
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)

/* A node in no tree points at itself: RB_CLEAR_NODE, then RB_EMPTY_NODE. */
#define RB_EMPTY_NODE(node) ((node)->__parent_color == (uintptr_t)(node))
#define RB_CLEAR_NODE(node) ((node)->__parent_color = (uintptr_t)(node))

static inline struct rb_node *rb_parent(const struct rb_node *node)
{
	return (struct rb_node *)(node->__parent_color & ~(uintptr_t)3);
}

/*
 * Hang a new red node at *link, a NULL child pointer of parent (or the
 * root's pointer with parent NULL); rb_insert_color() must follow.
 */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->__parent_color = (uintptr_t)parent; /* red */
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

/* Restore the properties after rb_link_node(). */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Unlink node from the tree and rebalance; node's fields are left stale. */
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order walks: smallest, largest, successor, predecessor, or NULL. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/*
 * Put new where victim is (same parent, children and colour) without
 * rebalancing: new must sort exactly where victim did.
 */
void rb_replace_node(struct rb_node *victim, struct rb_node *new,
		     struct rb_root *root);

/*
 * Whole-tree validator for tests and debug builds: the black height (0 for
 * an empty tree) if properties 2, 4 and 5 hold and every parent pointer
 * matches, -1 otherwise. It cannot see keys, so it does not check the
 * order. Recursive, as deep as the tree.
 */
int rb_check(const struct rb_root *root);

#endif /* PAGODA_LIB_RBTREE_H */
