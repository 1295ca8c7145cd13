// Theme: handing one reference over (return, store, consuming API) while another is still held.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

struct ho_priv {
	struct device_node *np;
};

/* BUG: returns a new reference from inside the loop; the loop's own reference is lost. */
struct device_node *ho_find_get_bad(struct device_node *parent)
{
	struct device_node *child;

	for_each_child_of_node(parent, child) {
		if (of_property_read_bool(child, "acme,main"))
			return of_node_get(child); // expect-warning{{krefcheck-loop-leak}}{{'child' from of_get_next_child() (line 16) is not released when leaving the loop early (of_node_put() missing)}}
	}
	return NULL;
}

/* OK: returns the loop's reference itself. */
struct device_node *ho_find_ok(struct device_node *parent)
{
	struct device_node *child;

	for_each_child_of_node(parent, child) {
		if (of_property_read_bool(child, "acme,main"))
			return child;
	}
	return NULL;
}

/* BUG: stores a second reference and keeps the first. */
int ho_store_extra_bad(struct ho_priv *priv)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, "acme,ctl");

	if (!np)
		return -ENODEV;
	priv->np = of_node_get(np);
	return 0; // expect-warning{{krefcheck-leak}}{{'np' from of_find_compatible_node() (line 38) is not released on this path (of_node_put() missing)}}
}

/* OK: stores a second reference and drops the first. */
int ho_store_extra_ok(struct ho_priv *priv)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, "acme,ctl");

	if (!np)
		return -ENODEV;
	priv->np = of_node_get(np);
	of_node_put(np);
	return 0;
}

static void ho_put_node(void *data)
{
	of_node_put(data);
}

/* BUG: the action already owns the node (and runs on failure too); the error path puts it again. */
int ho_devm_then_put_bad(struct device *dev, struct ho_priv *priv)
{
	struct device_node *np = of_get_child_by_name(dev->of_node, "ctl");
	int ret;

	if (!np)
		return -ENODEV;
	ret = devm_add_action_or_reset(dev, ho_put_node, np);
	if (ret) {
		of_node_put(np); // expect-warning{{krefcheck-double-put}}{{'np' from of_get_child_by_name() (line 66) was handed to devm_add_action_or_reset() (line 71), which releases it; of_node_put() releases it again}}
		return ret;
	}
	priv->np = np;
	return 0;
}

/* OK: the node is used after the hand-over; the action puts it at detach. */
int ho_devm_then_use_ok(struct device *dev, struct ho_priv *priv)
{
	struct device_node *np = of_get_child_by_name(dev->of_node, "ctl");
	int ret;

	if (!np)
		return -ENODEV;
	ret = devm_add_action_or_reset(dev, ho_put_node, np);
	if (ret)
		return ret;
	if (!of_property_read_bool(np, "acme,enable"))
		return -ENODEV;
	priv->np = np;
	return 0;
}
