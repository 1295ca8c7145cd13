// Theme: releasing a reference this function never took (borrowed dev->of_node, dev->fwnode).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/property.h>

/* BUG: remove path drops the device's own of_node reference. */
void pu_remove_bad(struct device *dev)
{
	dev_set_drvdata(dev, NULL);
	of_node_put(dev->of_node); // expect-warning{{krefcheck-put-unowned}}{{of_node_put() releases 'dev->of_node', a reference this function does not hold (no matching get)}}
}

/* BUG: same through pdev->dev.of_node. */
void pu_pdev_remove_bad(struct platform_device *pdev)
{
	platform_set_drvdata(pdev, NULL);
	of_node_put(pdev->dev.of_node); // expect-warning{{krefcheck-put-unowned}}{{of_node_put() releases 'pdev->dev.of_node', a reference this function does not hold (no matching get)}}
}

/* BUG: a local copy of dev->of_node is still borrowed. */
int pu_local_copy_bad(struct device *dev)
{
	struct device_node *np = dev->of_node;
	u32 mode;
	int ret;

	ret = of_property_read_u32(np, "acme,mode", &mode);
	of_node_put(np); // expect-warning{{krefcheck-put-unowned}}{{of_node_put() releases 'np', a reference this function does not hold (no matching get)}}
	return ret;
}

/* OK: of_node_get() first, so the put is balanced. */
int pu_local_copy_ok(struct device *dev)
{
	struct device_node *np = of_node_get(dev->of_node);
	u32 mode;
	int ret;

	ret = of_property_read_u32(np, "acme,mode", &mode);
	of_node_put(np);
	return ret;
}

/* OK: a release helper putting its parameter (the caller handed over the reference). */
void pu_release_param_ok(struct device_node *np)
{
	of_node_put(np);
}

/* BUG: of_find_compatible_node(from = dev->of_node) drops a reference on the borrowed node. */
int pu_find_from_borrowed_bad(struct device *dev)
{
	struct device_node *np;

	np = of_find_compatible_node(dev->of_node, NULL, "acme,phy"); // expect-warning{{krefcheck-put-unowned}}{{of_find_compatible_node() drops a reference on 'dev->of_node', a reference this function does not hold (no matching get)}}
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: of_get_compatible_child() only borrows the parent. */
int pu_compatible_child_ok(struct device *dev)
{
	struct device_node *np;

	np = of_get_compatible_child(dev->of_node, "acme,phy");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: the search start gets its own reference before being consumed. */
int pu_find_from_get_ok(struct device *dev)
{
	struct device_node *np;

	np = of_find_compatible_node(of_node_get(dev->of_node), NULL, "acme,phy");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* BUG: the device's fwnode is borrowed too. */
void pu_fwnode_bad(struct device *dev)
{
	fwnode_handle_put(dev->fwnode); // expect-warning{{krefcheck-put-unowned}}{{fwnode_handle_put() releases 'dev->fwnode', a reference this function does not hold (no matching get)}}
}
