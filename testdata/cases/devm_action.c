// Theme: devm_add_action_or_reset() takes over a reference (its put runs on detach or on failure).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/property.h>

struct dv_priv {
	struct device_node *ctrl;
	struct platform_device *companion;
	struct fwnode_handle *port;
	u32 rate;
};

/* helper: devm action releasing a device_node (not an entry point) */
static void dv_put_node(void *data)
{
	of_node_put(data);
}

/* helper: devm action releasing a companion platform device */
static void dv_put_pdev(void *data)
{
	struct platform_device *pdev = data;

	put_device(&pdev->dev);
}

/* helper: devm action releasing a fwnode */
static void dv_put_fwnode(void *data)
{
	fwnode_handle_put(data);
}

/* helper: unrelated cleanup action */
static void dv_cleanup(void *data)
{
	struct dv_priv *priv = data;

	priv->rate = 0;
}

/* OK: the node is handed to devm; the pointer may still be used. */
int dv_node_ok(struct device *dev, struct dv_priv *priv)
{
	struct device_node *np;
	int ret;

	np = of_parse_phandle(dev->of_node, "acme,ctrl", 0);
	if (!np)
		return -ENODEV;

	ret = devm_add_action_or_reset(dev, dv_put_node, np);
	if (ret)
		return ret;

	priv->ctrl = np;
	return 0;
}

/* BUG: the rate check returns before the node is handed to devm. */
int dv_node_early_bad(struct device *dev, struct dv_priv *priv)
{
	struct device_node *np;

	np = of_parse_phandle(dev->of_node, "acme,ctrl", 0);
	if (!np)
		return -ENODEV;

	if (of_property_read_u32(np, "clock-frequency", &priv->rate))
		return -EINVAL; // expect-warning{{krefcheck-leak}}

	return devm_add_action_or_reset(dev, dv_put_node, np);
}

/* OK: the rate check puts before returning. */
int dv_node_early_ok(struct device *dev, struct dv_priv *priv)
{
	struct device_node *np;

	np = of_parse_phandle(dev->of_node, "acme,ctrl", 0);
	if (!np)
		return -ENODEV;

	if (of_property_read_u32(np, "clock-frequency", &priv->rate)) {
		of_node_put(np);
		return -EINVAL;
	}

	return devm_add_action_or_reset(dev, dv_put_node, np);
}

/* BUG: devm is given priv, not the node; the node leaks. */
int dv_wrong_object_bad(struct device *dev, struct dv_priv *priv)
{
	struct device_node *np;

	np = of_parse_phandle(dev->of_node, "acme,ctrl", 0);
	if (!np)
		return -ENODEV;

	priv->rate = 0;
	of_property_read_u32(np, "clock-frequency", &priv->rate);
	return devm_add_action_or_reset(dev, dv_cleanup, priv); // expect-warning{{krefcheck-leak}}
}

/* OK: companion platform device released by a devm action. */
int dv_companion_ok(struct platform_device *pdev, struct dv_priv *priv)
{
	struct device_node *np;
	struct platform_device *companion;
	int ret;

	np = of_parse_phandle(pdev->dev.of_node, "acme,companion", 0);
	if (!np)
		return -ENODEV;

	companion = of_find_device_by_node(np);
	of_node_put(np);
	if (!companion)
		return -EPROBE_DEFER;

	ret = devm_add_action_or_reset(&pdev->dev, dv_put_pdev, companion);
	if (ret)
		return ret;

	priv->companion = companion;
	return 0;
}

/* OK: a fwnode child handed to devm. */
int dv_fwnode_ok(struct device *dev, struct dv_priv *priv)
{
	struct fwnode_handle *port;
	int ret;

	port = device_get_named_child_node(dev, "port");
	if (!port)
		return -ENODEV;

	ret = devm_add_action_or_reset(dev, dv_put_fwnode, port);
	if (ret)
		return ret;

	priv->port = port;
	return 0;
}
