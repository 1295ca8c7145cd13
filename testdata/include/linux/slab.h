/* krefcheck test headers: kmalloc family, in the shape of Linux 6.12 with memory allocation
 * profiling: kmalloc() and friends are macros over alloc_hooks(), a statement expression around
 * the *_noprof() function that really allocates (include/linux/slab.h, alloc_tag.h). */
#ifndef _KREF_TEST_LINUX_SLAB_H
#define _KREF_TEST_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/cleanup.h>

#define alloc_hooks(_do_alloc)                                                                   \
	({                                                                                       \
		typeof(_do_alloc) _res = _do_alloc;                                              \
		_res;                                                                            \
	})

void *kmalloc_noprof(size_t size, gfp_t flags);
void *kzalloc_noprof(size_t size, gfp_t flags);
void *kmalloc_array_noprof(size_t n, size_t size, gfp_t flags);
#define kmalloc(...) alloc_hooks(kmalloc_noprof(__VA_ARGS__))
#define kzalloc(...) alloc_hooks(kzalloc_noprof(__VA_ARGS__))
#define kmalloc_array(...) alloc_hooks(kmalloc_array_noprof(__VA_ARGS__))
#define kcalloc(n, size, flags) kmalloc_array(n, size, (flags) | __GFP_ZERO)
void kfree(const void *objp);
char *kstrdup(const char *s, gfp_t gfp);

DEFINE_FREE(kfree, void *, if (_T) kfree(_T))

#endif
