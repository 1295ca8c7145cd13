/* krefcheck test headers: OF address translation. */
#ifndef _KREF_TEST_LINUX_OF_ADDRESS_H
#define _KREF_TEST_LINUX_OF_ADDRESS_H

#include <linux/io.h>
#include <linux/of.h>
#include <linux/platform_device.h>

void __iomem *of_iomap(struct device_node *device, int index);
int of_address_to_resource(struct device_node *dev, int index,
			   struct resource *r);

#endif
