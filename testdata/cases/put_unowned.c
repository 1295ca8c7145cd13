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

struct pu_fec_priv {
	struct device_node *phy_node;
	int delay;
};

extern struct pu_fec_priv *pu_fec_alloc(void);
extern int pu_fec_fixed_link(struct device_node *np);

static int pu_fec_parse_delay(struct pu_fec_priv *fep, struct device_node *np)
{
	if (of_property_read_bool(np, "tx-delay"))
		return -EINVAL;
	fep->delay = 1;
	return 0;
}

/* The remove path drops the reference the probe left in the field. */
void pu_fec_remove(struct pu_fec_priv *fep)
{
	of_node_put(fep->phy_node);
}

/*
 * OK: the fixed-link branch takes its own reference on the device's node; the call that
 * receives fep (which holds it) ends the tracking, and the error path's put drops that
 * reference (fec_probe()).
 */
int pu_fec_probe_ok(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	struct device_node *phy_node;
	struct pu_fec_priv *fep = pu_fec_alloc();
	int ret;

	phy_node = of_parse_phandle(np, "phy-handle", 0);
	if (!phy_node && pu_fec_fixed_link(np))
		phy_node = of_node_get(np);
	fep->phy_node = phy_node;
	ret = pu_fec_parse_delay(fep, np);
	if (ret)
		goto failed_delay;
	return 0;

failed_delay:
	of_node_put(phy_node);
	return ret;
}

/* BUG: the same without the get: the error path puts the device's own node. */
int pu_fec_probe_bad(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	struct device_node *phy_node;
	struct pu_fec_priv *fep = pu_fec_alloc();
	int ret;

	phy_node = np;
	fep->phy_node = phy_node;
	ret = pu_fec_parse_delay(fep, np);
	if (ret)
		goto failed_delay;
	return 0;

failed_delay:
	of_node_put(phy_node); // expect-warning{{krefcheck-put-unowned}}{{of_node_put() releases 'phy_node', a reference this function does not hold (no matching get)}}
	return ret;
}
