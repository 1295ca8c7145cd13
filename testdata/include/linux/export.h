/* krefcheck test headers: symbol export (the kernel's EXPORT_SYMBOL*() family). */
#ifndef _KREF_TEST_LINUX_EXPORT_H
#define _KREF_TEST_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)	extern typeof(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern typeof(sym) sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern typeof(sym) sym

#endif
