// Theme: releasing the same reference twice.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

/* links two nodes; borrows both */
extern int dp_link(struct device_node *a, struct device_node *b);

/* BUG: the error branch puts, then the common path puts again. */
int dp_join_bad(struct device *dev)
{
	struct device_node *np;
	int ret = 0;

	np = of_get_child_by_name(dev->of_node, "ports");
	if (!np)
		return -ENODEV;
	if (!of_device_is_available(np)) {
		ret = -ENODEV;
		of_node_put(np);
	}
	of_node_put(np); // expect-warning{{krefcheck-double-put}}{{'np' from of_get_child_by_name() (line 18) is released twice: again by of_node_put() after line 23}}
	return ret;
}

/* OK: one put on each path. */
int dp_separate_ok(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "ports");
	if (!np)
		return -ENODEV;
	if (!of_device_is_available(np)) {
		of_node_put(np);
		return -ENODEV;
	}
	of_node_put(np);
	return 0;
}

/* OK: the early put clears the pointer, so the label's put is of_node_put(NULL). */
int dp_clear_ok(struct device *dev, u32 *count)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "ports");
	if (!np)
		return -ENODEV;
	if (!of_device_is_available(np)) {
		of_node_put(np);
		np = NULL;
		ret = -ENODEV;
		goto out;
	}
	ret = of_property_read_u32(np, "count", count);
out:
	of_node_put(np);
	return ret;
}

/* BUG: put_device() and then platform_device_put() on the same lookup. */
int dp_pdev_bad(struct device_node *np)
{
	struct platform_device *pdev;
	int irq;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	irq = platform_get_irq(pdev, 0);
	put_device(&pdev->dev);
	platform_device_put(pdev); // expect-warning{{krefcheck-double-put}}{{'pdev' from of_find_device_by_node() (line 72) is released twice: again by platform_device_put() after line 76}}
	return irq;
}

/* OK: two gets on the same node, two puts. */
int dp_two_refs_ok(struct device *dev)
{
	struct device_node *a, *b;
	int ret;

	a = of_node_get(dev->of_node);
	b = of_node_get(dev->of_node);
	ret = dp_link(a, b);
	of_node_put(b);
	of_node_put(a);
	return ret;
}

/* OK: platform_device_put() alone releases the lookup. */
int dp_pdev_ok(struct device_node *np)
{
	struct platform_device *pdev;
	int irq;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	irq = platform_get_irq(pdev, 0);
	platform_device_put(pdev);
	return irq;
}
