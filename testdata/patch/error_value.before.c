// Patch: the value an error path sets is changed, which makes a later error exit reachable.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

struct ev_priv {
	struct device *dev;
	u32 rate;
};

/* BUG after the patch: a missing "acme,fast" now sets an error, and the error exit keeps the
 * node. */
int pt_err_bad(struct ev_priv *priv)
{
	struct device_node *np;
	int ret = 0;

	np = of_get_child_by_name(priv->dev->of_node, "clk");
	if (!np)
		return -ENODEV;
	if (!of_property_read_bool(np, "acme,fast"))
		ret = 0;
	if (ret)
		return ret;
	priv->rate = 100;
	of_node_put(np);
	return 0;
}

/* OK after the patch: the same error now reaches an exit that puts. The early mode return
 * leaked before the patch already and does not pass the changed line. */
int pt_err_ok(struct ev_priv *priv, u32 mode)
{
	struct device_node *np;
	int ret = 0;

	np = of_get_child_by_name(priv->dev->of_node, "clk");
	if (!np)
		return -ENODEV;
	if (mode > 3)
		return -EINVAL;
	if (!of_property_read_bool(np, "acme,fast"))
		ret = 0;
	if (ret)
		goto out;
	priv->rate = 100;
out:
	of_node_put(np);
	return ret;
}
