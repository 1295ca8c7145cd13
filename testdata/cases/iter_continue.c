// Theme: continue inside for_each_* loops; the next step already drops the current node.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>

struct ic_priv {
	struct device_node *nodes[8];
	int n;
};

/* BUG: of_node_put() then continue: the iterator step puts the child a second time. */
int ic_put_continue_bad(struct device_node *np)
{
	struct device_node *child;
	int count = 0;

	for_each_child_of_node(np, child) { // expect-warning{{krefcheck-double-put}}
		if (!of_device_is_available(child)) {
			of_node_put(child);
			continue;
		}
		count++;
	}
	return count;
}

/* OK: plain continue, the iterator drops the node. */
int ic_continue_ok(struct device_node *np)
{
	struct device_node *child;
	int count = 0;

	for_each_child_of_node(np, child) {
		if (!of_device_is_available(child))
			continue;
		count++;
	}
	return count;
}

/* BUG: same double put with for_each_available_child_of_node. */
int ic_available_put_continue_bad(struct device_node *np)
{
	struct device_node *child;
	int count = 0;

	for_each_available_child_of_node(np, child) { // expect-warning{{krefcheck-double-put}}
		if (!of_property_present(child, "reg")) {
			of_node_put(child);
			continue;
		}
		count++;
	}
	return count;
}

/* OK: nodes kept across iterations take their own reference with of_node_get(). */
int ic_keep_ok(struct ic_priv *priv, struct device_node *np)
{
	struct device_node *child;

	priv->n = 0;
	for_each_available_child_of_node(np, child) {
		if (priv->n >= 8)
			continue;
		priv->nodes[priv->n++] = of_node_get(child);
	}
	return priv->n;
}

/* BUG: fwnode_handle_put() then continue in device_for_each_child_node. */
int ic_fwnode_put_continue_bad(struct device *dev)
{
	struct fwnode_handle *child;
	int leds = 0;

	device_for_each_child_node(dev, child) { // expect-warning{{krefcheck-double-put}}
		if (!fwnode_property_present(child, "label")) {
			fwnode_handle_put(child);
			continue;
		}
		leds++;
	}
	return leds;
}

/* OK: device_for_each_child_node with plain continue. */
int ic_fwnode_continue_ok(struct device *dev)
{
	struct fwnode_handle *child;
	int leds = 0;

	device_for_each_child_node(dev, child) {
		if (!fwnode_property_present(child, "label"))
			continue;
		leds++;
	}
	return leds;
}

/* BUG: double put on continue in for_each_node_by_name. */
int ic_by_name_put_continue_bad(void)
{
	struct device_node *np;
	int n = 0;

	for_each_node_by_name(np, "serial") { // expect-warning{{krefcheck-double-put}}
		if (!of_device_is_available(np)) {
			of_node_put(np);
			continue;
		}
		n++;
	}
	return n;
}
