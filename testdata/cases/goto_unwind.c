// Theme: goto-based error unwinding ladders that must drop every reference taken so far.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct gu_priv {
	struct device *dev;
	void *buf;
	u32 lanes;
	u32 mode;
};

/* link two port nodes: borrows both */
extern int gu_link(struct device_node *a, struct device_node *b);

/* BUG: the lane read error jumps to err_free, which does not put the phy node. */
int gu_phy_bad(struct gu_priv *priv)
{
	struct device_node *phy;
	u32 lanes;
	int ret;

	priv->buf = kzalloc(64, GFP_KERNEL);
	if (!priv->buf)
		return -ENOMEM;

	phy = of_parse_phandle(priv->dev->of_node, "phys", 0);
	if (!phy) {
		ret = -ENODEV;
		goto err_free;
	}

	ret = of_property_read_u32(phy, "acme,lanes", &lanes);
	if (ret)
		goto err_free;

	priv->lanes = lanes;
	of_node_put(phy);
	return 0;

err_free:
	kfree(priv->buf);
	priv->buf = NULL;
	return ret; // expect-warning{{krefcheck-leak}} expect-fix{{-10,2}}{{\tif (ret) {\n\t\tof_node_put(phy);\n\t}}}
}

/* OK: same shape with an err_put label above err_free. */
int gu_phy_ok(struct gu_priv *priv)
{
	struct device_node *phy;
	u32 lanes;
	int ret;

	priv->buf = kzalloc(64, GFP_KERNEL);
	if (!priv->buf)
		return -ENOMEM;

	phy = of_parse_phandle(priv->dev->of_node, "phys", 0);
	if (!phy) {
		ret = -ENODEV;
		goto err_free;
	}

	ret = of_property_read_u32(phy, "acme,lanes", &lanes);
	if (ret)
		goto err_put;

	priv->lanes = lanes;
	of_node_put(phy);
	return 0;

err_put:
	of_node_put(phy);
err_free:
	kfree(priv->buf);
	priv->buf = NULL;
	return ret;
}

/* BUG: the link error jumps past the put of port-b. */
int gu_two_nodes_bad(struct device *dev)
{
	struct device_node *a, *b;
	int ret;

	a = of_get_child_by_name(dev->of_node, "port-a");
	if (!a)
		return -ENODEV;

	b = of_get_child_by_name(dev->of_node, "port-b");
	if (!b) {
		ret = -ENODEV;
		goto out_a;
	}

	ret = gu_link(a, b);
	if (ret)
		goto out_a;

	of_node_put(b);
out_a:
	of_node_put(a);
	return ret; // expect-warning{{krefcheck-leak}} expect-fix{{-6,2}}{{\tif (ret) {\n\t\tof_node_put(b);\n\t}}}
}

/* OK: a proper two-level ladder. */
int gu_two_nodes_ok(struct device *dev)
{
	struct device_node *a, *b;
	int ret;

	a = of_get_child_by_name(dev->of_node, "port-a");
	if (!a)
		return -ENODEV;

	b = of_get_child_by_name(dev->of_node, "port-b");
	if (!b) {
		ret = -ENODEV;
		goto out_a;
	}

	ret = gu_link(a, b);

	of_node_put(b);
out_a:
	of_node_put(a);
	return ret;
}

/* OK: single exit; np starts NULL and of_node_put(NULL) is harmless. */
int gu_single_exit_ok(struct gu_priv *priv)
{
	struct device_node *np = NULL;
	u32 mode;
	int ret = 0;

	if (!priv->dev->of_node) {
		ret = -ENODEV;
		goto out;
	}

	np = of_get_child_by_name(priv->dev->of_node, "config");
	if (!np) {
		ret = -ENODEV;
		goto out;
	}

	if (of_property_read_u32(np, "mode", &mode)) {
		ret = -EINVAL;
		goto out;
	}
	priv->mode = mode;
out:
	of_node_put(np);
	return ret;
}

/* BUG: the allocation failure after the lookup jumps to a label that only logs. */
int gu_alloc_after_lookup_bad(struct gu_priv *priv)
{
	struct device_node *np;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "acme,dma");
	if (!np)
		return -ENODEV;

	ret = -ENOMEM;
	priv->buf = kzalloc(128, GFP_KERNEL);
	if (!priv->buf)
		goto err;

	of_node_put(np);
	return 0;

err:
	pr_err("acme: setup failed\n");
	return ret; // expect-warning{{krefcheck-leak}} expect-fix{{-8,2}}{{\tif (!priv->buf) {\n\t\tof_node_put(np);\n\t}}}
}

/* OK: as above but the put sits under the label. */
int gu_alloc_after_lookup_ok(struct gu_priv *priv)
{
	struct device_node *np;
	int ret = 0;

	np = of_find_compatible_node(NULL, NULL, "acme,dma");
	if (!np)
		return -ENODEV;

	priv->buf = kzalloc(128, GFP_KERNEL);
	if (!priv->buf)
		ret = -ENOMEM;

	of_node_put(np);
	if (ret)
		goto err;
	return 0;

err:
	pr_err("acme: setup failed\n");
	return ret;
}
