// Theme: using an object after this function dropped the last reference it held.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/property.h>

/* BUG: np->full_name read after the put. */
int uap_deref_bad(void)
{
	struct device_node *np;

	np = of_find_node_by_path("/chosen");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	pr_info("chosen at %s\n", np->full_name); // expect-warning{{krefcheck-use-after-put}}{{'np' from of_find_node_by_path() (line 15) is dereferenced after its last reference was released (line 18)}}
	return 0;
}

/* OK: use first, then put. */
int uap_deref_ok(void)
{
	struct device_node *np;

	np = of_find_node_by_path("/chosen");
	if (!np)
		return -ENODEV;
	pr_info("chosen at %s\n", np->full_name);
	of_node_put(np);
	return 0;
}

/* BUG: the node is passed to a property read after the put. */
int uap_call_bad(u32 *val)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,fuse");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return of_property_read_u32(np, "value", val); // expect-warning{{krefcheck-use-after-put}}{{'np' from of_find_compatible_node() (line 41) is passed to of_property_read_u32() after its last reference was released (line 44)}}
}

/* BUG: the error message prints the node after the error path put it. */
int uap_error_message_bad(struct device *dev)
{
	struct device_node *np;
	u32 lanes;

	np = of_get_child_by_name(dev->of_node, "link");
	if (!np)
		return -ENODEV;
	if (of_property_read_u32(np, "lanes", &lanes)) {
		of_node_put(np);
		dev_err(dev, "%pOF: missing lanes\n", np); // expect-warning{{krefcheck-use-after-put}}{{'np' from of_get_child_by_name() (line 54) is passed to _printk() after its last reference was released (line 58)}}
		return -EINVAL;
	}
	of_node_put(np);
	return lanes;
}

/* OK: x is borrowed; the extra get/put pair leaves the caller's reference intact. */
int uap_borrowed_ok(struct device_node *x, u32 *val)
{
	struct device_node *np = of_node_get(x);

	of_node_put(np);
	return of_property_read_u32(x, "value", val);
}

/* OK: after the put the variable is pointed at another (borrowed) node before use. */
int uap_reassigned_ok(struct device *dev, u32 *val)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "override");
	if (np) {
		if (!of_property_read_u32(np, "value", val)) {
			of_node_put(np);
			return 0;
		}
		of_node_put(np);
	}
	np = dev->of_node;
	return of_property_read_u32(np, "value", val);
}

/* BUG: the platform device name is read after put_device(). */
int uap_pdev_bad(struct device_node *np)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	put_device(&pdev->dev);
	pr_info("companion %s\n", pdev->name); // expect-warning{{krefcheck-use-after-put}}{{'pdev' from of_find_device_by_node() (line 97) is dereferenced after its last reference was released (line 100)}}
	return 0;
}

/* BUG: a fwnode read after fwnode_handle_put(). */
int uap_fwnode_bad(struct device *dev, u32 *val)
{
	struct fwnode_handle *child;

	child = device_get_named_child_node(dev, "sensor");
	if (!child)
		return -ENODEV;
	fwnode_handle_put(child);
	return fwnode_property_read_u32(child, "reg", val); // expect-warning{{krefcheck-use-after-put}}{{'child' from device_get_named_child_node() (line 110) is passed to fwnode_property_read_u32() after its last reference was released (line 113)}}
}
