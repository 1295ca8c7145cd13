/* Minimal declarations shaped like Linux 6.12 include/acpi/acpi_bus.h (our own text). */
#ifndef _TESTDATA_ACPI_BUS_H
#define _TESTDATA_ACPI_BUS_H

#include <linux/device.h>
#include <linux/fwnode.h>

struct acpi_device {
	int device_type;
	struct fwnode_handle fwnode;
	struct device dev;
	unsigned int physical_node_count;
};

#define to_acpi_device(d) container_of(d, struct acpi_device, dev)

extern bool is_acpi_device_node(const struct fwnode_handle *fwnode);
extern bool is_acpi_data_node(const struct fwnode_handle *fwnode);

static inline bool is_acpi_node(const struct fwnode_handle *fwnode)
{
	return (is_acpi_device_node(fwnode) || is_acpi_data_node(fwnode));
}

#define to_acpi_device_node(__fwnode)						\
	({									\
		typeof(__fwnode) __to_acpi_device_node_fwnode = __fwnode;	\
										\
		is_acpi_device_node(__to_acpi_device_node_fwnode) ?		\
			container_of(__to_acpi_device_node_fwnode,		\
				     struct acpi_device, fwnode) :		\
			NULL;							\
	})

/* include/linux/acpi.h */
#define ACPI_COMPANION(dev) to_acpi_device_node((dev)->fwnode)
#define has_acpi_companion(dev) is_acpi_device_node((dev)->fwnode)

/* A +1 on adev->dev; returns adev. The caller drops it with acpi_dev_put(). */
static inline struct acpi_device *acpi_dev_get(struct acpi_device *adev)
{
	return adev ? to_acpi_device(get_device(&adev->dev)) : NULL;
}

static inline void acpi_dev_put(struct acpi_device *adev)
{
	if (adev)
		put_device(&adev->dev);
}

#endif
