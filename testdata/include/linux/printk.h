/* krefcheck test headers: printk and pr_*() onto one variadic extern. */
#ifndef _KREF_TEST_LINUX_PRINTK_H
#define _KREF_TEST_LINUX_PRINTK_H

#include <linux/compiler.h>

#define KERN_EMERG	"<0>"
#define KERN_ERR	"<3>"
#define KERN_WARNING	"<4>"
#define KERN_NOTICE	"<5>"
#define KERN_INFO	"<6>"
#define KERN_DEBUG	"<7>"

int _printk(const char *fmt, ...);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define printk(fmt, ...)	_printk(fmt, ##__VA_ARGS__)
#define pr_emerg(fmt, ...)	_printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	_printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	_printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	_printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	_printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

#endif
