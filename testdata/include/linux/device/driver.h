/* krefcheck test headers: device drivers. */
#ifndef _KREF_TEST_LINUX_DEVICE_DRIVER_H
#define _KREF_TEST_LINUX_DEVICE_DRIVER_H

#include <linux/types.h>
#include <linux/device/bus.h>

struct device;
struct device_node;
struct fwnode_handle;
struct module;
struct of_device_id;

struct device_driver {
	const char		*name;
	const struct bus_type	*bus;
	struct module		*owner;
	const struct of_device_id *of_match_table;
	int (*probe)(struct device *dev);
	int (*remove)(struct device *dev);
};

int __must_check driver_register(struct device_driver *drv);
void driver_unregister(struct device_driver *drv);

/* returns a device with its refcount raised, or NULL */
struct device *driver_find_device(const struct device_driver *drv,
				  struct device *start, const void *data,
				  device_match_t match);

static inline struct device *driver_find_device_by_name(const struct device_driver *drv,
							const char *name)
{
	return driver_find_device(drv, NULL, name, device_match_name);
}

static inline struct device *
driver_find_device_by_of_node(const struct device_driver *drv,
			      const struct device_node *np)
{
	return driver_find_device(drv, NULL, np, device_match_of_node);
}

static inline struct device *
driver_find_device_by_fwnode(struct device_driver *drv,
			     const struct fwnode_handle *fwnode)
{
	return driver_find_device(drv, NULL, fwnode, device_match_fwnode);
}

#endif
