// Theme: NULL results of lookups owe nothing; a second lookup failing must still release the first.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

/* OK: NULL result returns without a put. */
int nc_null_return_ok(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "regulators");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: no NULL check at all; of_node_put(NULL) is a no-op. */
bool nc_no_check_ok(struct device *dev)
{
	struct device_node *np;
	bool present;

	np = of_get_child_by_name(dev->of_node, "regulators");
	present = np != NULL;
	of_node_put(np);
	return present;
}

/* OK: the node is only used and put inside if (np). */
int nc_if_nonnull_ok(u32 *val)
{
	struct device_node *np;
	int ret = -ENOENT;

	np = of_find_node_by_name(NULL, "acme-config");
	if (np) {
		ret = of_property_read_u32(np, "value", val);
		of_node_put(np);
	}
	return ret;
}

/* BUG: the second lookup failing returns without putting the first node. */
int nc_second_lookup_bad(struct device *dev)
{
	struct device_node *in, *out;

	in = of_get_child_by_name(dev->of_node, "in-port");
	if (!in)
		return -ENODEV;

	out = of_get_child_by_name(dev->of_node, "out-port");
	if (!out)
		return -ENODEV; // expect-warning{{krefcheck-leak}}

	of_node_put(out);
	of_node_put(in);
	return 0;
}

/* OK: the second failure puts the first node. */
int nc_second_lookup_ok(struct device *dev)
{
	struct device_node *in, *out;

	in = of_get_child_by_name(dev->of_node, "in-port");
	if (!in)
		return -ENODEV;

	out = of_get_child_by_name(dev->of_node, "out-port");
	if (!out) {
		of_node_put(in);
		return -ENODEV;
	}

	of_node_put(out);
	of_node_put(in);
	return 0;
}

/* OK: "== NULL" spelling and a goto to a label that only returns. */
int nc_eq_null_goto_ok(struct device *dev)
{
	struct device_node *np;
	int ret = 0;

	np = of_parse_phandle(dev->of_node, "acme,syscon", 0);
	if (np == NULL) {
		ret = -ENODEV;
		goto out;
	}
	if (!of_device_is_compatible(np, "syscon"))
		ret = -EINVAL;
	of_node_put(np);
out:
	return ret;
}

/* OK: a NULL platform device lookup needs no put_device(). */
int nc_pdev_null_ok(struct device_node *np)
{
	struct platform_device *pdev;
	int irq;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	irq = platform_get_irq(pdev, 0);
	put_device(&pdev->dev);
	return irq;
}

/* BUG: the lookup succeeded but the "not ready" return forgets the platform device reference. */
int nc_pdev_not_ready_bad(struct device_node *np)
{
	struct platform_device *pdev;
	int irq;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	if (!pdev->dev.driver)
		return -EPROBE_DEFER; // expect-warning{{krefcheck-leak}}
	irq = platform_get_irq(pdev, 0);
	put_device(&pdev->dev);
	return irq;
}
