// Theme: cdev_device_add() is device_add() underneath: success keeps the device, failure does not.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/cdev.h>

struct cd_dev {
	struct device dev;
	struct cdev cdev;
	int nr;
};

extern const struct file_operations cd_fops;

/* the release callback frees the object (not an entry point) */
static void cd_release(struct device *dev)
{
	kfree(container_of(dev, struct cd_dev, dev));
}

/* OK: the i2c-dev shape: on success the registration holds the device. */
int cd_attach_ok(struct device *parent, int nr)
{
	struct cd_dev *cd;
	int res;

	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	cdev_init(&cd->cdev, &cd_fops);
	device_initialize(&cd->dev);
	cd->nr = nr;
	cd->dev.parent = parent;
	cd->dev.release = cd_release;

	res = dev_set_name(&cd->dev, "cd-%d", nr);
	if (res)
		goto err_put;

	res = cdev_device_add(&cd->cdev, &cd->dev);
	if (res)
		goto err_put;

	return 0;

err_put:
	put_device(&cd->dev);
	return res;
}

/* BUG: a failed cdev_device_add() leaves the device_initialize() reference with the caller. */
int cd_attach_bad(struct device *parent, int nr)
{
	struct cd_dev *cd;
	int res;

	cd = kzalloc(sizeof(*cd), GFP_KERNEL);
	if (!cd)
		return -ENOMEM;
	cdev_init(&cd->cdev, &cd_fops);
	device_initialize(&cd->dev);
	cd->dev.parent = parent;
	cd->dev.release = cd_release;

	res = cdev_device_add(&cd->cdev, &cd->dev);
	if (res)
		return res; // expect-warning{{krefcheck-leak}}

	return 0;
}
