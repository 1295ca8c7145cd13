/* krefcheck test headers: AMBA devices (shaped like Linux 6.12 include/linux/amba/bus.h). */
#ifndef _KREF_TEST_LINUX_AMBA_BUS_H
#define _KREF_TEST_LINUX_AMBA_BUS_H

#include <linux/device.h>
#include <linux/platform_device.h>

struct amba_device {
	struct device dev;
	struct resource res;
	unsigned int periphid;
};

extern struct amba_device *amba_device_alloc(const char *name, resource_size_t base,
					     size_t size);
extern void amba_device_put(struct amba_device *dev);
extern int amba_device_add(struct amba_device *dev, struct resource *parent);
extern int amba_device_register(struct amba_device *dev, struct resource *parent);
extern void amba_device_unregister(struct amba_device *dev);

#endif
