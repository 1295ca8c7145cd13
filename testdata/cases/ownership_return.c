// Theme: handing a reference to the caller by return value or through an out-parameter.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

/* OK: the lookup result is returned as is. */
struct device_node *or_return_direct(void)
{
	return of_find_compatible_node(NULL, NULL, "acme,pmu");
}

/* OK: the caller gets a new reference on dev->of_node. */
struct device_node *or_return_get(struct device *dev)
{
	return of_node_get(dev->of_node);
}

/* OK: returned after checks that do not fail. */
struct device_node *or_return_checked(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "pinctrl");
	if (!np)
		return NULL;
	pr_debug("pinctrl node %s\n", np->name);
	return np;
}

/* OK: returned through an out-parameter. */
int or_out_param_ok(struct device *dev, struct device_node **out)
{
	struct device_node *np;

	np = of_parse_phandle(dev->of_node, "acme,bridge", 0);
	if (!np)
		return -ENODEV;
	*out = np;
	return 0;
}

/* BUG: the disabled-node exit does not hand the node out and does not put it. */
int or_out_param_bad(struct device *dev, struct device_node **out)
{
	struct device_node *np;

	np = of_parse_phandle(dev->of_node, "acme,bridge", 0);
	if (!np)
		return -ENODEV;
	if (!of_device_is_available(np))
		return -ENODEV; // expect-warning{{krefcheck-leak}}
	*out = np;
	return 0;
}

/* BUG: returns the borrowed parent instead, leaking the disabled override child. */
struct device_node *or_pick_bad(struct device_node *parent)
{
	struct device_node *child;

	child = of_get_child_by_name(parent, "override");
	if (child && of_device_is_available(child))
		return child;
	return of_node_get(parent); // expect-warning{{krefcheck-leak}}
}

/* OK: same choice, the unused child is put. */
struct device_node *or_pick_ok(struct device_node *parent)
{
	struct device_node *child;

	child = of_get_child_by_name(parent, "override");
	if (child && of_device_is_available(child))
		return child;
	of_node_put(child);
	return of_node_get(parent);
}

/* OK: a platform device reference returned to the caller. */
struct platform_device *or_return_pdev(struct device_node *np)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return NULL;
	return pdev;
}

/* BUG: the platform device reference is dropped on the floor when it has no driver. */
struct platform_device *or_return_pdev_bad(struct device_node *np)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return NULL;
	if (!pdev->dev.driver)
		return NULL; // expect-warning{{krefcheck-leak}}
	return pdev;
}
