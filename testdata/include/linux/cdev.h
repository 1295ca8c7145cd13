/* krefcheck test headers: character devices. */
#ifndef _KREF_TEST_LINUX_CDEV_H
#define _KREF_TEST_LINUX_CDEV_H

#include <linux/types.h>
#include <linux/device.h>

struct file_operations;
struct module;

struct cdev {
	struct module *owner;
	const struct file_operations *ops;
	unsigned int count;
};

void cdev_init(struct cdev *cdev, const struct file_operations *fops);
int cdev_device_add(struct cdev *cdev, struct device *dev);
void cdev_device_del(struct cdev *cdev, struct device *dev);

#endif
