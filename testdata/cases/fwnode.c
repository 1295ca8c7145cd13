// Theme: fwnode_handle references: device/fwnode child iteration, named children, parents.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/property.h>

struct fw_priv {
	struct fwnode_handle *leds[4];
	int nleds;
};

/* BUG: break out of device_for_each_child_node keeps the child. */
int fw_child_break_bad(struct device *dev)
{
	struct fwnode_handle *child;
	bool has_default = false;

	device_for_each_child_node(dev, child) {
		has_default = fwnode_property_present(child, "default-state");
		if (has_default)
			break;
	}
	return has_default ? 1 : 0; // expect-warning{{krefcheck-loop-leak}} expect-fix{{+0}}{{\tfwnode_handle_put(child);}}
}

/* OK: fwnode_handle_put() before the break. */
int fw_child_break_ok(struct device *dev)
{
	struct fwnode_handle *child;
	bool has_default = false;

	device_for_each_child_node(dev, child) {
		has_default = fwnode_property_present(child, "default-state");
		if (has_default) {
			fwnode_handle_put(child);
			break;
		}
	}
	return has_default ? 1 : 0;
}

/* BUG: error return from fwnode_for_each_child_node keeps the child. */
int fw_child_return_bad(struct fwnode_handle *fwnode)
{
	struct fwnode_handle *child;
	u32 reg;

	fwnode_for_each_child_node(fwnode, child) {
		if (fwnode_property_read_u32(child, "reg", &reg))
			return -EINVAL; // expect-warning{{krefcheck-loop-leak}} expect-fix{{-1,2}}{{\t\tif (fwnode_property_read_u32(child, "reg", &reg)) {\n\t\t\tfwnode_handle_put(child);\n\t\t}}}
	}
	return 0;
}

/* OK: the found child is returned to the caller. */
struct fwnode_handle *fw_find_child_ok(struct fwnode_handle *fwnode, const char *name)
{
	struct fwnode_handle *child;

	fwnode_for_each_available_child_node(fwnode, child) {
		if (fwnode_name_eq(child, name))
			return child;
	}
	return NULL;
}

/* OK: children kept in priv take their own fwnode_handle_get() reference. */
int fw_collect_ok(struct fw_priv *priv, struct device *dev)
{
	struct fwnode_handle *child;

	priv->nleds = 0;
	device_for_each_child_node(dev, child) {
		if (priv->nleds < 4)
			priv->leds[priv->nleds++] = fwnode_handle_get(child);
	}
	return priv->nleds;
}

/* BUG: fwnode_get_named_child_node() result leaked on the read error. */
int fw_named_child_bad(struct fwnode_handle *fwnode, u32 *val)
{
	struct fwnode_handle *child;

	child = fwnode_get_named_child_node(fwnode, "timings");
	if (!child)
		return -ENODEV;
	if (fwnode_property_read_u32(child, "native-mode", val))
		return -EINVAL; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (fwnode_property_read_u32(child, "native-mode", val)) {\n\t\tfwnode_handle_put(child);\n\t}}}
	fwnode_handle_put(child);
	return 0;
}

/* OK: device_get_named_child_node() result put. */
int fw_dev_named_child_ok(struct device *dev, u32 *val)
{
	struct fwnode_handle *child;
	int ret;

	child = device_get_named_child_node(dev, "timings");
	if (!child)
		return -ENODEV;
	ret = fwnode_property_read_u32(child, "native-mode", val);
	fwnode_handle_put(child);
	return ret;
}

/* OK: fwnode_get_parent() result put. */
bool fw_parent_ok(struct fwnode_handle *fwnode)
{
	struct fwnode_handle *parent;
	bool avail;

	parent = fwnode_get_parent(fwnode);
	if (!parent)
		return false;
	avail = fwnode_device_is_available(parent);
	fwnode_handle_put(parent);
	return avail;
}

/* OK: fwnode_for_each_parent_node() run to the root. */
int fw_depth_ok(struct fwnode_handle *fwnode)
{
	struct fwnode_handle *parent;
	int depth = 0;

	fwnode_for_each_parent_node(fwnode, parent)
		depth++;
	return depth;
}

/* BUG: fwnode_handle_get() on a borrowed handle, not put on the early exit. */
int fw_get_bad(struct fwnode_handle *fwnode)
{
	struct fwnode_handle *fw = fwnode_handle_get(fwnode);

	if (!fwnode_device_is_available(fw))
		return -ENODEV; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (!fwnode_device_is_available(fw)) {\n\t\tfwnode_handle_put(fw);\n\t}}}
	fwnode_handle_put(fw);
	return 0;
}

/* OK: the walk stops at a bus device (held, fwnode not NULL: get_dev_from_fwnode() dereferences
 * it) or runs off the top with every device put and fwnode NULL. */
int fw_closest_bus_dev_ok(struct fwnode_handle *fwnode)
{
	struct device *dev;
	int ret;

	fwnode_handle_get(fwnode);
	do {
		dev = get_dev_from_fwnode(fwnode);
		if (!dev)
			continue;
		if (dev->bus)
			break;
		put_device(dev);
	} while ((fwnode = fwnode_get_next_parent(fwnode)));

	if (!fwnode)
		return 0;
	ret = dev->id;
	put_device(dev);
	fwnode_handle_put(fwnode);
	return ret;
}

/* BUG: the bus device found is never put. */
int fw_closest_bus_dev_bad(struct fwnode_handle *fwnode)
{
	struct device *dev;
	int ret;

	fwnode_handle_get(fwnode);
	do {
		dev = get_dev_from_fwnode(fwnode);
		if (!dev)
			continue;
		if (dev->bus)
			break;
		put_device(dev);
	} while ((fwnode = fwnode_get_next_parent(fwnode)));

	if (!fwnode)
		return 0;
	ret = dev->id;
	fwnode_handle_put(fwnode);
	return ret; // expect-warning{{krefcheck-leak}}
}
