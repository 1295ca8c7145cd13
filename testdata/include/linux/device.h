/* krefcheck test headers: the driver model core (struct device and its refcount). */
#ifndef _KREF_TEST_LINUX_DEVICE_H
#define _KREF_TEST_LINUX_DEVICE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/cleanup.h>
#include <linux/gfp.h>
#include <linux/dev_printk.h>
#include <linux/device/bus.h>
#include <linux/device/class.h>
#include <linux/device/driver.h>

struct device_node;
struct fwnode_handle;

struct device;

/* include/linux/device.h (6.12): the type of a class of devices (usb_device_type...). */
struct device_type {
	const char *name;
	const struct attribute_group **groups;
	char *(*devnode)(const struct device *dev, unsigned short *mode);
	void (*release)(struct device *dev);
};

struct device {
	struct device		*parent;
	const struct device_type *type;
	const char		*init_name;
	const struct bus_type	*bus;
	struct device_driver	*driver;
	void			*platform_data;
	void			*driver_data;
	struct device_node	*of_node;
	struct fwnode_handle	*fwnode;
	dev_t			devt;
	u32			id;
	const struct class	*class;
	void (*release)(struct device *dev);
};

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name;
}

__printf(2, 3) int dev_set_name(struct device *dev, const char *name, ...);

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline struct device_node *dev_of_node(struct device *dev)
{
	if (!dev)
		return NULL;
	return dev->of_node;
}

/* managed resources */
void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp);
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
void devm_kfree(struct device *dev, const void *p);
/* on failure the action has already been run on data */
int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data);
void devm_remove_action(struct device *dev, void (*action)(void *), void *data);

/* registration */
int __must_check device_register(struct device *dev);
void device_unregister(struct device *dev);
void device_initialize(struct device *dev);
void device_set_of_node_from_dev(struct device *dev, const struct device *dev2);
struct device *get_dev_from_fwnode(struct fwnode_handle *fwnode);
int __must_check device_add(struct device *dev);
void device_del(struct device *dev);

DEFINE_FREE(device_del, struct device *, if (_T) device_del(_T))

int device_for_each_child(struct device *dev, void *data,
			  int (*fn)(struct device *dev, void *data));
/* returns a child with its refcount raised, or NULL */
struct device *device_find_child(struct device *dev, void *data,
				 int (*match)(struct device *dev, void *data));
struct device *device_find_child_by_name(struct device *parent,
					 const char *name);

/* reference counting */
struct device *get_device(struct device *dev);
void put_device(struct device *dev);

DEFINE_FREE(put_device, struct device *, if (_T) put_device(_T))

/* include/linux/device.h (6.12): the platform data getter, a pure read of the field. */
static inline void *dev_get_platdata(const struct device *dev)
{
	return dev->platform_data;
}

#endif
