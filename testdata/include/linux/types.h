/* krefcheck test headers: basic integer types. */
#ifndef _KREF_TEST_LINUX_TYPES_H
#define _KREF_TEST_LINUX_TYPES_H

#include <linux/stddef.h>

typedef signed char		s8;
typedef unsigned char		u8;
typedef signed short		s16;
typedef unsigned short		u16;
typedef signed int		s32;
typedef unsigned int		u32;
typedef signed long long	s64;
typedef unsigned long long	u64;

typedef s8	int8_t;
typedef u8	uint8_t;
typedef s16	int16_t;
typedef u16	uint16_t;
typedef s32	int32_t;
typedef u32	uint32_t;
typedef s64	int64_t;
typedef u64	uint64_t;

typedef u16	__be16;
typedef u32	__be32;
typedef u64	__be64;
typedef u16	__le16;
typedef u32	__le32;

typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef long			ssize_t;
typedef unsigned long		uintptr_t;
typedef long			intptr_t;

typedef _Bool			bool;

typedef u32			phandle;
typedef u32			dev_t;
typedef unsigned int		gfp_t;
typedef u64			phys_addr_t;
typedef phys_addr_t		resource_size_t;
typedef unsigned long		kernel_ulong_t;

struct list_head {
	struct list_head *next, *prev;
};

#endif
