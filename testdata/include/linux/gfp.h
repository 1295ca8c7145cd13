/* krefcheck test headers: allocation flags. */
#ifndef _KREF_TEST_LINUX_GFP_H
#define _KREF_TEST_LINUX_GFP_H

#include <linux/types.h>

#define GFP_ATOMIC	((gfp_t)0x820u)
#define GFP_KERNEL	((gfp_t)0xcc0u)
#define __GFP_ZERO	((gfp_t)0x100u)

#endif
