/* krefcheck test headers: device classes. */
#ifndef _KREF_TEST_LINUX_DEVICE_CLASS_H
#define _KREF_TEST_LINUX_DEVICE_CLASS_H

#include <linux/types.h>
#include <linux/device/bus.h>

struct device;
struct device_node;

struct class {
	const char		*name;
	void (*dev_release)(struct device *dev);
	void (*class_release)(const struct class *class);
};

int __must_check class_register(const struct class *class);
void class_unregister(const struct class *class);

int class_for_each_device(const struct class *class, const struct device *start,
			  void *data, int (*fn)(struct device *dev, void *data));
/* returns a device with its refcount raised, or NULL */
struct device *class_find_device(const struct class *class, const struct device *start,
				 const void *data, device_match_t match);

static inline struct device *class_find_device_by_name(const struct class *class,
						       const char *name)
{
	return class_find_device(class, NULL, name, device_match_name);
}

static inline struct device *class_find_device_by_of_node(const struct class *class,
							  const struct device_node *np)
{
	return class_find_device(class, NULL, np, device_match_of_node);
}

#endif
