/* krefcheck test headers: NULL, offsetof, true/false. */
#ifndef _KREF_TEST_LINUX_STDDEF_H
#define _KREF_TEST_LINUX_STDDEF_H

#undef NULL
#define NULL ((void *)0)

enum {
	false	= 0,
	true	= 1
};

#undef offsetof
#define offsetof(TYPE, MEMBER)	__builtin_offsetof(TYPE, MEMBER)

#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))

#endif
