/* SPDX-License-Identifier: MIT */
/*
 * lib/list.h - intrusive doubly linked lists, Linux's shape.
 */
#ifndef PAGODA_LIB_LIST_H
#define PAGODA_LIB_LIST_H

#include <stdbool.h>

/*
 * A list is a circular chain through a head; an empty list's head points
 * at itself. Nodes are embedded in the structs they link (container_of).
 */
struct list_head {
	struct list_head *next, *prev;
};

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)

/* pos: each struct of type typeof(*pos) whose member is on head, in order;
 * pos must not be unlinked inside the loop. */
#define list_for_each_entry(pos, head, member)                         \
	for (pos = list_entry((head)->next, __typeof__(*pos), member); \
	     &pos->member != (head);                                   \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

static inline void list_init(struct list_head *head)
{
	head->next = head->prev = head;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_insert(struct list_head *node, struct list_head *prev,
			       struct list_head *next)
{
	next->prev = node;
	node->next = next;
	node->prev = prev;
	prev->next = node;
}

/* Insert at the front (stack order) or the back (queue order). */
static inline void list_add(struct list_head *node, struct list_head *head)
{
	list_insert(node, head, head->next);
}

static inline void list_add_tail(struct list_head *node, struct list_head *head)
{
	list_insert(node, head->prev, head);
}

static inline void list_del(struct list_head *node)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	node->next = node->prev = NULL;
}

/* Unlink node and leave it empty (pointing at itself): safe to repeat. */
static inline void list_del_init(struct list_head *node)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	list_init(node);
}

static inline void list_move(struct list_head *node, struct list_head *head)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	list_add(node, head);
}

static inline void list_move_tail(struct list_head *node,
				  struct list_head *head)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	list_add_tail(node, head);
}

#endif
