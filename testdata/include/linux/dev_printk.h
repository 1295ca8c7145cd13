/* krefcheck test headers: dev_*() logging onto the same variadic extern as pr_*(). */
#ifndef _KREF_TEST_LINUX_DEV_PRINTK_H
#define _KREF_TEST_LINUX_DEV_PRINTK_H

#include <linux/printk.h>

struct device;

#define dev_err(dev, fmt, ...)	((void)(dev), _printk(KERN_ERR fmt, ##__VA_ARGS__))
#define dev_warn(dev, fmt, ...)	((void)(dev), _printk(KERN_WARNING fmt, ##__VA_ARGS__))
#define dev_info(dev, fmt, ...)	((void)(dev), _printk(KERN_INFO fmt, ##__VA_ARGS__))
#define dev_dbg(dev, fmt, ...)	((void)(dev), _printk(KERN_DEBUG fmt, ##__VA_ARGS__))

int dev_err_probe(const struct device *dev, int err, const char *fmt, ...);

#endif
