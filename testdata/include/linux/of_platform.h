/* krefcheck test headers: OF <-> platform device glue. */
#ifndef _KREF_TEST_LINUX_OF_PLATFORM_H
#define _KREF_TEST_LINUX_OF_PLATFORM_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/of.h>
#include <linux/platform_device.h>

/* the platform device comes back with a reference on its struct device */
extern struct platform_device *of_find_device_by_node(struct device_node *np);

extern struct platform_device *of_platform_device_create(struct device_node *np,
							 const char *bus_id,
							 struct device *parent);
extern int of_platform_populate(struct device_node *root,
				const struct of_device_id *matches,
				const void *lookup,
				struct device *parent);
extern void of_platform_depopulate(struct device *parent);
extern int devm_of_platform_populate(struct device *dev);

#endif
