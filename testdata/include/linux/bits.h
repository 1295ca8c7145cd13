/* krefcheck test headers: BIT(). */
#ifndef _KREF_TEST_LINUX_BITS_H
#define _KREF_TEST_LINUX_BITS_H

#ifndef BIT
#define BIT(nr)		(1UL << (nr))
#endif

#endif
