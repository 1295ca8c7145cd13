/* krefcheck test headers: linked lists (an object linked in by a member of it). */
#ifndef _KREF_TEST_LINUX_LIST_H
#define _KREF_TEST_LINUX_LIST_H

#include <linux/types.h>	/* struct list_head */

#define LIST_HEAD(name) struct list_head name = { &(name), &(name) }

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}

static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
}

#endif
