/* krefcheck test headers: container_of(). */
#ifndef _KREF_TEST_LINUX_CONTAINER_OF_H
#define _KREF_TEST_LINUX_CONTAINER_OF_H

#include <linux/compiler.h>
#include <linux/stddef.h>

#define container_of(ptr, type, member) ({				\
	void *__cptr = (void *)(ptr);					\
	_Static_assert(__same_type(*(ptr), ((type *)0)->member) ||	\
		       __same_type(*(ptr), void),			\
		       "container_of() pointer type mismatch");		\
	((type *)(__cptr - offsetof(type, member))); })

#endif
