// Theme: an object linked into a list by one of its members: the list's owner releases it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/of.h>

struct ll_child {
	struct device dev;
	struct list_head node;
	struct device_node *np;
};

static LIST_HEAD(ll_children);

/* OK: the initialised device is linked into ll_children; whoever walks that list puts it. */
int ll_add_child(struct device *parent)
{
	struct ll_child *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	device_initialize(&c->dev);
	c->dev.parent = parent;
	list_add_tail(&c->node, &ll_children);
	return 0;
}

/* OK: linked, then unlinked and put on the error path: not a double put. */
int ll_add_child_checked(struct device *parent, int fail)
{
	struct ll_child *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	device_initialize(&c->dev);
	list_add(&c->node, &ll_children);
	if (fail) {
		list_del(&c->node);
		put_device(&c->dev);
		return -EINVAL;
	}
	return 0;
}

/* BUG: the error return comes before the device is linked anywhere. */
int ll_add_child_bad(struct device *parent, int fail)
{
	struct ll_child *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	device_initialize(&c->dev);
	if (fail)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	list_add(&c->node, &ll_children);
	return 0;
}

/*
 * OK (drivers/usb/gadget/udc/core.c usb_add_gadget()): two references, the initial one and an
 * extra get_device(); linked into the list, then registered: on failure unlinked and both put.
 */
int ll_add_child_two_refs(struct device *parent)
{
	struct ll_child *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	if (!c)
		return -ENOMEM;
	device_initialize(&c->dev);
	get_device(&c->dev);
	list_add_tail(&c->node, &ll_children);
	ret = device_add(&c->dev);
	if (ret) {
		list_del(&c->node);
		put_device(&c->dev);
		put_device(&c->dev);
		return ret;
	}
	return 0;
}

/* BUG: two references and a link, then three puts: one more than the object ever had. */
int ll_add_child_two_refs_bad(struct device *parent)
{
	struct ll_child *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ret;

	if (!c)
		return -ENOMEM;
	device_initialize(&c->dev);
	get_device(&c->dev);
	list_add_tail(&c->node, &ll_children);
	ret = device_add(&c->dev);
	if (ret) {
		list_del(&c->node);
		put_device(&c->dev);
		put_device(&c->dev);
		put_device(&c->dev); // expect-warning{{krefcheck-double-put}}
		return ret;
	}
	return 0;
}
