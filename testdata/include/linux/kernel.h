/* krefcheck test headers: the usual grab bag. */
#ifndef _KREF_TEST_LINUX_KERNEL_H
#define _KREF_TEST_LINUX_KERNEL_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/container_of.h>
#include <linux/err.h>
#include <linux/printk.h>

#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]))
#include <linux/bits.h>

/*
 * include/linux/minmax.h as Debian's 6.1 has it: the signedness check of min()/max() tests
 * the copies (ux, uy), and __builtin_constant_p() of a local is folded only by the
 * optimiser: the front end folds the check to "call __compiletime_assert_N()".
 */
#define is_signed_type(type)	(((type)(-1)) < (type)1)
#define __is_nonneg(ux)		(__builtin_constant_p((long long)(ux) >= 0) && ((long long)(ux) >= 0))
#define __sign_use(ux)							\
	(is_signed_type(typeof(ux)) ? (2 + __is_nonneg(ux)) : (1 + 2 * (sizeof(ux) < 4)))
#define __types_ok(ux, uy)	(__sign_use(ux) & __sign_use(uy))
#define __cmp(op, x, y)		((x) op (y) ? (x) : (y))
#define __careful_cmp_once(op, x, y, ux, uy) ({			\
	__auto_type ux = (x); __auto_type uy = (y);			\
	BUILD_BUG_ON_MSG(!__types_ok(ux, uy),				\
		#op "(" #x ", " #y ") signedness error");		\
	__cmp(op, ux, uy); })
#define min(x, y)	__careful_cmp_once(<, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))
#define max(x, y)	__careful_cmp_once(>, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))

int sprintf(char *buf, const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#endif
