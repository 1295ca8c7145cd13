// Theme: leaving a for_each_* loop with goto to an error label.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>

struct ig_priv {
	int nchan;
	u32 chan[4];
};

/* BUG: goto err leaves the loop holding the child; err does not put it. */
int ig_channels_bad(struct ig_priv *priv, struct device_node *np)
{
	struct device_node *child;
	u32 reg;
	int ret = 0;

	priv->nchan = 0;
	for_each_child_of_node(np, child) {
		ret = of_property_read_u32(child, "reg", &reg);
		if (ret)
			goto err;
		if (priv->nchan < 4)
			priv->chan[priv->nchan++] = reg;
	}
	return 0;

err:
	priv->nchan = 0;
	return ret; // expect-warning{{krefcheck-loop-leak}}
}

/* OK: the error label puts the child. */
int ig_channels_ok(struct ig_priv *priv, struct device_node *np)
{
	struct device_node *child;
	u32 reg;
	int ret = 0;

	priv->nchan = 0;
	for_each_child_of_node(np, child) {
		ret = of_property_read_u32(child, "reg", &reg);
		if (ret)
			goto err_put;
		if (priv->nchan < 4)
			priv->chan[priv->nchan++] = reg;
	}
	return 0;

err_put:
	of_node_put(child);
	priv->nchan = 0;
	return ret;
}

/* OK: the child is put before the goto. */
int ig_put_then_goto_ok(struct device_node *np)
{
	struct device_node *child;
	int ret = 0;

	for_each_available_child_of_node(np, child) {
		if (!of_property_present(child, "reg")) {
			of_node_put(child);
			ret = -EINVAL;
			goto out;
		}
	}
out:
	return ret;
}

/* OK: a goto to a label inside the loop body does not leave the loop. */
int ig_goto_inside_ok(struct device_node *np)
{
	struct device_node *child;
	int n = 0;

	for_each_child_of_node(np, child) {
		if (!of_device_is_available(child))
			goto skip;
		n++;
skip:
		;
	}
	return n;
}

/* BUG: goto out of for_each_node_with_property to a label that does not put. */
int ig_with_property_bad(void)
{
	struct device_node *np;
	int ret = 0;

	for_each_node_with_property(np, "acme,mbox") {
		ret = of_device_is_available(np) ? 0 : -ENODEV;
		if (ret)
			goto fail;
	}
	return 0;
fail:
	pr_err("acme: disabled mailbox\n");
	return ret; // expect-warning{{krefcheck-loop-leak}}
}
