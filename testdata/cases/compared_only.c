// Theme: a pointer whose last reference is gone, used only as a value to compare with (a
// lookup key: drivers/hte/hte.c of_node_to_htedevice(), device_match_fwnode() in
// drivers/media/v4l2-core/v4l2-subdev.c): no use of the object. Reading through it still is.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>

struct co_provider {
	struct device *dev;
};

static struct co_provider co_providers[4];

/* Compares np with each provider's node (device_match_of_node()), never reads it. */
static struct co_provider *co_find(struct device_node *np)
{
	int i;

	for (i = 0; i < 4; i++)
		if (co_providers[i].dev && device_match_of_node(co_providers[i].dev, np))
			return &co_providers[i];
	return NULL;
}

/* Compares np itself, never reads it. */
static struct co_provider *co_find_direct(struct device_node *np)
{
	int i;

	for (i = 0; i < 4; i++)
		if (co_providers[i].dev && co_providers[i].dev->of_node == np)
			return &co_providers[i];
	return NULL;
}

/* Compares np, and reads it to print it. */
static struct co_provider *co_find_verbose(struct device_node *np)
{
	int i;

	for (i = 0; i < 4; i++)
		if (co_providers[i].dev && co_providers[i].dev->of_node == np)
			return &co_providers[i];
	pr_info("no provider for %s\n", np->full_name);
	return NULL;
}

/* OK: the stale pointer is only a lookup key. */
struct co_provider *co_get(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);

	if (!np)
		return NULL;
	of_node_put(np);
	return co_find(np);
}

/* OK: the same, the helper compares it directly. */
struct co_provider *co_get_direct(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);

	if (!np)
		return NULL;
	of_node_put(np);
	return co_find_direct(np);
}

/* OK: device_match_fwnode() compares the fwnode with the device's, nothing else. */
int co_is_port_parent(struct device *dev, struct fwnode_handle *ep)
{
	struct fwnode_handle *fwnode = fwnode_graph_get_port_parent(ep);

	fwnode_handle_put(fwnode);
	return device_match_fwnode(dev, fwnode);
}

/* BUG: the helper reads the node it was given. */
struct co_provider *co_get_verbose(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);

	if (!np)
		return NULL;
	of_node_put(np);
	return co_find_verbose(np); // expect-warning{{krefcheck-use-after-put}}
}

/* BUG: a lookup by the stale node, then a property read of it. */
struct co_provider *co_get_then_read(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);
	struct co_provider *p;

	if (!np)
		return NULL;
	of_node_put(np);
	p = co_find(np);
	if (p && of_property_read_bool(np, "shared")) // expect-warning{{krefcheck-use-after-put}}
		return NULL;
	return p;
}
