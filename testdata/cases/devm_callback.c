// Theme: devm_add_action[_or_reset](dev, action, data) hands data over only if action puts it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/clk-provider.h>

struct dc_priv {
	struct device *dev;
	struct clk_hw hw;
	u32 rate;
};

/* helper: a devm action that only unregisters the clock provider, no put (not an entry point) */
static void dc_clk_release_provider(void *res)
{
	of_clk_del_provider(res);
}

/* helper: a devm action that puts its node through another helper of the file */
static void dc_drop(struct device_node *np)
{
	of_node_put(np);
}

/* helper: devm action calling dc_drop() */
static void dc_put_node_action(void *data)
{
	dc_drop(data);
}

/* an action defined in another file: what it does is unknown */
extern void dc_ext_release(void *data);

/* OK: registers np as a clock provider; the devm action keeps the caller's reference. */
static int dc_register_clocks(struct dc_priv *priv, struct device_node *np)
{
	int ret;

	ret = of_clk_add_hw_provider(np, of_clk_hw_simple_get, &priv->hw);
	if (ret)
		return ret;

	return devm_add_action_or_reset(priv->dev, dc_clk_release_provider, np);
}

/* OK: the QMP PHY shape: np is still this function's after the devm action; it puts it. */
int dc_qmp_probe_ok(struct dc_priv *priv)
{
	struct device_node *np;
	int ret;

	np = of_node_get(priv->dev->of_node);
	ret = dc_register_clocks(priv, np);
	if (ret)
		goto err_node_put;

	if (of_property_read_u32(np, "clock-frequency", &priv->rate)) {
		ret = -EINVAL;
		goto err_node_put;
	}

	of_node_put(np);
	return 0;

err_node_put:
	of_node_put(np);
	return ret;
}

/* BUG: the devm action does not put np; the success path forgets to. */
int dc_qmp_probe_leak_bad(struct dc_priv *priv)
{
	struct device_node *np;
	int ret;

	np = of_node_get(priv->dev->of_node);
	ret = dc_register_clocks(priv, np);
	if (ret) {
		of_node_put(np);
		return ret;
	}

	return 0; // expect-warning{{krefcheck-leak}}{{'np' from of_node_get() (line 77) is not released on this path (of_node_put() missing)}}
}

/* BUG: handed straight to an action that only unregisters the provider. */
int dc_direct_keep_bad(struct dc_priv *priv)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "clocks");
	if (!np)
		return -ENODEV;

	return devm_add_action_or_reset(priv->dev, dc_clk_release_provider, np); // expect-warning{{krefcheck-leak}}
}

/* OK: the action puts np through a helper of the file: a hand-over. */
int dc_helper_put_ok(struct dc_priv *priv)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "clocks");
	if (!np)
		return -ENODEV;

	return devm_add_action_or_reset(priv->dev, dc_put_node_action, np);
}

/* OK: the action is of_node_put() itself, cast to the action type. */
int dc_cast_put_ok(struct dc_priv *priv)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "clocks");
	if (!np)
		return -ENODEV;

	return devm_add_action_or_reset(priv->dev, (void (*)(void *))of_node_put, np);
}

/* BUG: of_node_put() is the action, so the put after it is a second one. */
int dc_cast_put_twice_bad(struct dc_priv *priv)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(priv->dev->of_node, "clocks");
	if (!np)
		return -ENODEV;

	ret = devm_add_action_or_reset(priv->dev, (void (*)(void *))of_node_put, np);
	of_node_put(np); // expect-warning{{krefcheck-double-put}}
	return ret;
}

/* OK (unknown action: taken as a hand-over, as before). */
int dc_extern_action_ok(struct dc_priv *priv)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "clocks");
	if (!np)
		return -ENODEV;

	return devm_add_action_or_reset(priv->dev, dc_ext_release, np);
}
