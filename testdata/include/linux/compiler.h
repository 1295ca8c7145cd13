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

#endif
