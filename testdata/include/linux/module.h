/* krefcheck test headers: module boilerplate. */
#ifndef _KREF_TEST_LINUX_MODULE_H
#define _KREF_TEST_LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/mod_devicetable.h>

struct module;
extern struct module __this_module;
#define THIS_MODULE (&__this_module)

#define module_init(initfn) \
	static initcall_t __mod_init_##initfn __used = initfn
#define module_exit(exitfn) \
	static void (*__mod_exit_##exitfn)(void) __used = exitfn

#define MODULE_LICENSE(_l)	extern const char __mod_license[]
#define MODULE_AUTHOR(_a)	extern const char __mod_author[]
#define MODULE_DESCRIPTION(_d)	extern const char __mod_description[]
#define MODULE_DEVICE_TABLE(type, name) \
	extern typeof(name) __mod_##type##__##name##_device_table

bool try_module_get(struct module *module);
void module_put(struct module *module);

#endif
