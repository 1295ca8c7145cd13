/* krefcheck test headers: kmalloc family. */
#ifndef _KREF_TEST_LINUX_SLAB_H
#define _KREF_TEST_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/cleanup.h>

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void kfree(const void *objp);
char *kstrdup(const char *s, gfp_t gfp);

DEFINE_FREE(kfree, void *, if (_T) kfree(_T))

#endif
