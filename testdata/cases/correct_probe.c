// Theme: a whole probe path written correctly (mixed APIs); nothing may be reported in this file.
// expect-no-findings
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/cleanup.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/of_graph.h>
#include <linux/property.h>

struct cp_priv {
	struct device *dev;
	struct device_node *syscon;
	struct platform_device *phy_pdev;
	struct fwnode_handle *leds[4];
	int nleds;
	u32 ports;
};

/* helper: devm action for the syscon node */
static void cp_put_syscon(void *data)
{
	of_node_put(data);
}

/* OK: phandle kept in priv, released by devm. */
int cp_get_syscon(struct cp_priv *priv)
{
	struct device_node *np;
	int ret;

	np = of_parse_phandle(priv->dev->of_node, "acme,syscon", 0);
	if (!np)
		return dev_err_probe(priv->dev, -ENODEV, "no syscon\n");

	ret = devm_add_action_or_reset(priv->dev, cp_put_syscon, np);
	if (ret)
		return ret;
	priv->syscon = np;
	return 0;
}

/* OK: the PHY platform device is looked up and kept, the phandle node is put right away. */
int cp_get_phy(struct cp_priv *priv)
{
	struct device_node *phy_np;
	struct platform_device *phy_pdev;

	phy_np = of_parse_phandle(priv->dev->of_node, "phys", 0);
	if (!phy_np)
		return 0;
	phy_pdev = of_find_device_by_node(phy_np);
	of_node_put(phy_np);
	if (!phy_pdev)
		return -EPROBE_DEFER;
	if (!platform_get_drvdata(phy_pdev)) {
		put_device(&phy_pdev->dev);
		return -EPROBE_DEFER;
	}
	priv->phy_pdev = phy_pdev;
	return 0;
}

/* OK: count ports with a graph walk; endpoints put on the early exit. */
int cp_count_ports(struct cp_priv *priv)
{
	struct device_node *ep;
	struct of_endpoint oep;

	priv->ports = 0;
	for_each_endpoint_of_node(priv->dev->of_node, ep) {
		if (of_graph_parse_endpoint(ep, &oep)) {
			of_node_put(ep);
			return -EINVAL;
		}
		if (oep.port + 1 > priv->ports)
			priv->ports = oep.port + 1;
	}
	return 0;
}

/* OK: fwnode LED children collected with their own references; the early exit puts the child. */
int cp_collect_leds(struct cp_priv *priv)
{
	struct fwnode_handle *child;

	priv->nleds = 0;
	device_for_each_child_node(priv->dev, child) {
		if (priv->nleds == 4) {
			fwnode_handle_put(child);
			return -E2BIG;
		}
		priv->leds[priv->nleds++] = fwnode_handle_get(child);
	}
	return 0;
}

/* OK: releases what cp_collect_leds() and cp_get_phy() kept. */
void cp_release(struct cp_priv *priv)
{
	int i;

	for (i = 0; i < priv->nleds; i++)
		fwnode_handle_put(priv->leds[i]);
	priv->nleds = 0;
	if (priv->phy_pdev)
		put_device(&priv->phy_pdev->dev);
	priv->phy_pdev = NULL;
}

/* OK: a scoped child loop plus a __free() node. */
int cp_check_regulators(struct cp_priv *priv)
{
	struct device_node *regs __free(device_node) =
		of_get_child_by_name(priv->dev->of_node, "regulators");

	if (!regs)
		return 0;
	for_each_available_child_of_node_scoped(regs, reg) {
		if (!of_property_present(reg, "regulator-name"))
			return dev_err_probe(priv->dev, -EINVAL, "%pOF: no name\n", reg);
	}
	return 0;
}

/* OK: the probe entry tying it together; priv is heap memory owned by devm. */
int cp_probe(struct platform_device *pdev)
{
	struct cp_priv *priv;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->dev = &pdev->dev;

	ret = cp_get_syscon(priv);
	if (ret)
		return ret;
	ret = cp_get_phy(priv);
	if (ret)
		return ret;
	ret = cp_count_ports(priv);
	if (ret)
		goto err_release;
	ret = cp_collect_leds(priv);
	if (ret)
		goto err_release;
	ret = cp_check_regulators(priv);
	if (ret)
		goto err_release;

	platform_set_drvdata(pdev, priv);
	return 0;

err_release:
	cp_release(priv);
	return ret;
}
