/* krefcheck test headers: compiler helpers (minimal, krefcheck's own). */
#ifndef _KREF_TEST_LINUX_COMPILER_H
#define _KREF_TEST_LINUX_COMPILER_H

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __cold			__attribute__((__cold__))
#define __section(s)		__attribute__((__section__(s)))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __packed		__attribute__((__packed__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __cleanup(func)		__attribute__((__cleanup__(func)))

/* sparse annotations: nothing for clang */
#define __iomem
#define __user
#define __force
#define __percpu
#define __rcu

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#define barrier()		__asm__ __volatile__("" : : : "memory")

/*
 * include/linux/compiler_types.h, as the kernel builds it (-O2: __OPTIMIZE__): a call to a
 * noreturn function declared __attribute__((error)) under a condition the optimiser folds
 * away; a call it cannot remove fails the build.
 */
#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __compiletime_error(msg)	__attribute__((__error__(msg)))
#define __compiletime_assert(condition, msg, prefix, suffix)		\
	do {								\
		__attribute__((__noreturn__)) extern void prefix##suffix(void) \
			__compiletime_error(msg);			\
		if (!(condition))					\
			prefix##suffix();				\
	} while (0)
#define _compiletime_assert(condition, msg, prefix, suffix)		\
	__compiletime_assert(condition, msg, prefix, suffix)
#define compiletime_assert(condition, msg)				\
	_compiletime_assert(condition, msg, __compiletime_assert_, __COUNTER__)
#define BUILD_BUG_ON_MSG(cond, msg)	compiletime_assert(!(cond), msg)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#endif
