/* krefcheck test headers: ERR_PTR helpers, same shapes as the kernel's. */
#ifndef _KREF_TEST_LINUX_ERR_H
#define _KREF_TEST_LINUX_ERR_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>

#define MAX_ERRNO	4095

#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static __always_inline void * __must_check ERR_PTR(long error)
{
	return (void *)error;
}

static __always_inline long __must_check PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static __always_inline bool __must_check IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static __always_inline bool __must_check IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

static __always_inline void * __must_check ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}

static inline int __must_check PTR_ERR_OR_ZERO(const void *ptr)
{
	if (IS_ERR(ptr))
		return PTR_ERR(ptr);
	return 0;
}

#endif
