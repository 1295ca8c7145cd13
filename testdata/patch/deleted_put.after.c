// Patch: lines are deleted (the put itself, or a line next to it).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

struct pd_priv {
	struct device *dev;
	u32 rate;
	int ready;
	int count;
};

/* BUG after the patch: the only put is deleted. */
int pt_del_bad(struct pd_priv *priv)
{
	struct device_node *np = of_get_child_by_name(priv->dev->of_node, "clk");

	if (!np)
		return -ENODEV;
	priv->ready = of_property_read_bool(np, "acme,ready");
	return 0; // expect-warning{{krefcheck-leak}} new
}

/* BUG after the patch: the error block loses its put and jumps to the common exit. */
int pt_del_block_bad(struct pd_priv *priv)
{
	struct device_node *np = of_get_child_by_name(priv->dev->of_node, "clk");
	int ret;

	if (!np)
		return -ENODEV;
	ret = of_property_read_u32(np, "clock-frequency", &priv->rate);
	if (ret) {
		dev_err(priv->dev, "no rate\n");
		goto out;
	}
	priv->count++;
	of_node_put(np);
out:
	return ret; // expect-warning{{krefcheck-leak}} new
}

/* BUG after the patch: the put after the exit label goes (msi_quota_for_device() in Linux
 * 6.12's pseries/msi.c, with its only put deleted). */
int pt_del_label_bad(struct pd_priv *priv, int request)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "pe");
	if (!np) {
		dev_err(priv->dev, "no PE\n");
		goto out;
	}
	if (request <= priv->count)
		goto out;
	request = priv->count;
out:

	return request; // expect-warning{{krefcheck-leak}} new
}

/* OK after the patch: a line next to the put goes, the put stays. The early return leaked
 * before the patch already and does not pass the deletion. */
int pt_del_ok(struct pd_priv *priv, u32 mode)
{
	struct device_node *np = of_get_child_by_name(priv->dev->of_node, "clk");

	if (!np)
		return -ENODEV;
	if (mode > 3)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	priv->ready = of_property_read_bool(np, "acme,ready");
	of_node_put(np);
	return 0;
}

/* OK after the patch: a line of the else branch goes; the leak through the other branch was
 * there before the patch. */
int pt_del_else_ok(struct pd_priv *priv, u32 mode)
{
	struct device_node *np = of_get_child_by_name(priv->dev->of_node, "clk");

	if (!np)
		return -ENODEV;
	if (mode > 3) {
		priv->count = 0;
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	} else {
		priv->ready = 1;
	}
	of_node_put(np);
	return 0;
}
