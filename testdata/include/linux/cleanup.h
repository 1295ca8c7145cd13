/* krefcheck test headers: scope-based cleanup, same macro shapes as the kernel's. */
#ifndef _KREF_TEST_LINUX_CLEANUP_H
#define _KREF_TEST_LINUX_CLEANUP_H

#include <linux/compiler.h>
#include <linux/stddef.h>

#define DEFINE_FREE(_name, _type, _free) \
	static inline void __free_##_name(void *p) { _type _T = *(_type *)p; _free; }

#define __free(_name)	__cleanup(__free_##_name)

#define __get_and_null(p, nullvalue)	\
	({				\
		__auto_type __ptr = &(p);	\
		__auto_type __val = *__ptr;	\
		*__ptr = nullvalue;		\
		__val;			\
	})

static inline __must_check
const volatile void *__must_check_fn(const volatile void *val)
{ return val; }

#define no_free_ptr(p) \
	((typeof(p)) __must_check_fn(__get_and_null(p, NULL)))

#define return_ptr(p)	return no_free_ptr(p)

#define retain_and_null_ptr(p)	((void)__get_and_null(p, NULL))

#endif
