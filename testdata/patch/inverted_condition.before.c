// Patch: a condition is inverted, which opens a path that skips the put.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

struct ic_priv {
	struct device *dev;
	u32 rate;
	int legacy;
};

/* BUG after the patch: the legacy test is inverted; the legacy exit keeps the node. */
int pt_cond_bad(struct ic_priv *priv)
{
	struct device_node *np;
	int legacy = priv->legacy;

	if (legacy)
		return 0;
	np = of_get_child_by_name(priv->dev->of_node, "clk");
	if (!np)
		return -ENODEV;
	of_property_read_u32(np, "clock-frequency", &priv->rate);
	if (priv->rate > 100 &&
	    legacy)
		return 1;
	of_node_put(np);
	return 0;
}

/* OK after the patch: the inverted test guards a path that puts. The early mode return leaked
 * before the patch already and does not pass the changed line. */
int pt_cond_ok(struct ic_priv *priv, u32 mode)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "clk");
	if (!np)
		return -ENODEV;
	if (mode > 3)
		return -EINVAL;
	of_property_read_u32(np, "clock-frequency", &priv->rate);
	if (priv->legacy) {
		of_node_put(np);
		return 1;
	}
	of_node_put(np);
	return 0;
}
