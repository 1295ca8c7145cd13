// Theme: a setter that stores a node pointer into a device (device_set_node()) takes no
// reference of its own, so the caller's later put of the same reference is not a double put
// (drivers/tty/serdev/core.c of_serdev_register_devices(): the loop's next step puts the node
// it just stored). The setter still keeps a reference the function hands it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>

struct ss_ctrl {
	struct device dev;
};

struct ss_dev {
	struct device dev;
	int id;
};

struct ss_dev *ss_alloc(struct ss_ctrl *ctrl);

/* OK: the iterator's next step drops the reference the device's of_node points to. */
int ss_register_children(struct ss_ctrl *ctrl)
{
	struct device_node *node;
	struct ss_dev *d;
	bool found = false;
	int err;

	for_each_available_child_of_node(ctrl->dev.of_node, node) {
		d = ss_alloc(ctrl);
		if (!d)
			continue;
		device_set_node(&d->dev, of_fwnode_handle(node));
		err = device_add(&d->dev);
		if (err)
			put_device(&d->dev);
		else
			found = true;
	}
	return found ? 0 : -ENODEV;
}

/* OK: the device keeps the looked-up node. */
int ss_add_port(struct ss_ctrl *ctrl, struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "port");
	struct ss_dev *d;

	if (!np)
		return -ENODEV;
	d = ss_alloc(ctrl);
	if (!d) {
		of_node_put(np);
		return -ENOMEM;
	}
	device_set_node(&d->dev, of_fwnode_handle(np));
	return device_add(&d->dev);
}

/* BUG: the allocation failure returns before the device takes the node. */
int ss_add_port_bad(struct ss_ctrl *ctrl, struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "port");
	struct ss_dev *d;

	if (!np)
		return -ENODEV;
	d = ss_alloc(ctrl);
	if (!d)
		return -ENOMEM; // expect-warning{{krefcheck-leak}}
	device_set_node(&d->dev, of_fwnode_handle(np));
	return device_add(&d->dev);
}
