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

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))

int sprintf(char *buf, const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#endif
