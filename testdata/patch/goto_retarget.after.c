// Patch: an error path's goto is retargeted.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct pt_priv {
	struct device *dev;
	void *buf;
	u32 lanes;
	u32 mode;
};

/* BUG after the patch: the lane read error jumps to err_free, which does not put the node. */
int pt_goto_bad(struct pt_priv *priv)
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
	if (lanes > 4) {
		ret = -EINVAL;
		goto err_put;
	}
	priv->lanes = lanes;
	of_node_put(phy);
	return 0;

err_put:
	of_node_put(phy);
err_free:
	kfree(priv->buf);
	priv->buf = NULL;
	return ret; // expect-warning{{krefcheck-leak}} new
}

/* OK after the patch: the goto moves to err_unmap, which puts too. The early mode return leaked
 * before the patch already and does not pass the changed line. */
int pt_goto_ok(struct pt_priv *priv)
{
	struct device_node *phy;
	u32 lanes;
	int ret;

	phy = of_parse_phandle(priv->dev->of_node, "phys", 0);
	if (!phy)
		return -ENODEV;
	if (priv->mode > 3)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	ret = of_property_read_u32(phy, "acme,lanes", &lanes);
	if (ret)
		goto err_unmap;
	if (!lanes) {
		ret = -EINVAL;
		goto err_put;
	}
	if (lanes > 4) {
		ret = -EINVAL;
		goto err_unmap;
	}
	priv->lanes = lanes;
	of_node_put(phy);
	return 0;

err_unmap:
	priv->lanes = 0;
err_put:
	of_node_put(phy);
	return ret;
}
