/* krefcheck test headers: the auxiliary bus (a device embedded in struct auxiliary_device). */
#ifndef _KREF_TEST_LINUX_AUXILIARY_BUS_H
#define _KREF_TEST_LINUX_AUXILIARY_BUS_H

#include <linux/device.h>

struct auxiliary_device {
	struct device dev;
	const char *name;
	u32 id;
};

extern const struct bus_type auxiliary_bus_type;

int auxiliary_device_init(struct auxiliary_device *auxdev);
int __auxiliary_device_add(struct auxiliary_device *auxdev, const char *modname);
#define auxiliary_device_add(auxdev) __auxiliary_device_add(auxdev, "krefcheck_test")
/* a static inline in the kernel: put_device(&auxdev->dev) */
void auxiliary_device_uninit(struct auxiliary_device *auxdev);
void auxiliary_device_delete(struct auxiliary_device *auxdev);

/* A static inline container_of(): the same object seen through the struct embedding it. */
static inline struct auxiliary_device *to_auxiliary_dev(struct device *dev)
{
	return container_of(dev, struct auxiliary_device, dev);
}

#endif
