/* krefcheck test headers: __init/__exit and initcalls. */
#ifndef _KREF_TEST_LINUX_INIT_H
#define _KREF_TEST_LINUX_INIT_H

#include <linux/compiler.h>

#define __init		__section(".init.text") __cold
#define __exit		__section(".exit.text") __cold
#define __initdata	__section(".init.data")

typedef int (*initcall_t)(void);

#define __define_initcall(fn, id) \
	static initcall_t __initcall_##fn##id __used \
	__section(".initcall" #id ".init") = fn

#define core_initcall(fn)		__define_initcall(fn, 1)
#define arch_initcall(fn)		__define_initcall(fn, 3)
#define subsys_initcall(fn)		__define_initcall(fn, 4)
#define device_initcall(fn)		__define_initcall(fn, 6)
#define late_initcall(fn)		__define_initcall(fn, 7)

#endif
