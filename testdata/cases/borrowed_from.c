// Theme: the `from` of an of_find_*() search is dropped; a borrowed global or a field the file
// only fills with borrowed pointers must not be passed there without a get.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/platform_device.h>

struct bf_priv {
	struct device *dev;
	struct device_node *np;
};

struct bf_owner {
	struct device_node *np;
};

static struct device_node *bf_cached;
static struct device_node *bf_owned;

/* BUG: of_root belongs to the OF core; the search drops a reference on it. */
int bf_root_bad(void)
{
	struct device_node *np;

	np = of_find_node_by_name(of_root, "acme"); // expect-warning{{krefcheck-put-unowned}}{{of_find_node_by_name() drops a reference on 'of_root', a reference this function does not hold (no matching get)}}
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: a reference of its own on of_root is handed to the search. */
int bf_root_ok(void)
{
	struct device_node *np;

	np = of_find_node_by_name(of_node_get(of_root), "acme");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* (stores the device's own node: borrowed) */
int bf_probe(struct platform_device *pdev, struct bf_priv *priv)
{
	priv->dev = &pdev->dev;
	priv->np = pdev->dev.of_node;
	return 0;
}

/* BUG: priv->np only ever holds dev->of_node (borrowed): the search drops its reference. */
int bf_field_bad(struct bf_priv *priv)
{
	struct device_node *np;

	np = of_find_node_by_name(priv->np, "acme"); // expect-warning{{krefcheck-put-unowned}}{{of_find_node_by_name() drops a reference on 'priv->np', a reference this function does not hold (no matching get)}}
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: the owner's field holds a reference of its own (of_node_get() below). */
int bf_owner_set(struct bf_owner *o, struct device *dev)
{
	o->np = of_node_get(dev->of_node);
	return 0;
}

int bf_owner_field_ok(struct bf_owner *o)
{
	struct device_node *np;

	np = of_find_node_by_name(o->np, "acme");
	o->np = NULL;
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* BUG: a file-static global only ever set to a device's own node. */
int bf_cache(struct device *dev)
{
	bf_cached = dev->of_node;
	return 0;
}

int bf_global_bad(void)
{
	struct device_node *np;

	np = of_find_compatible_node(bf_cached, NULL, "acme,x"); // expect-warning{{krefcheck-put-unowned}}{{of_find_compatible_node() drops a reference on 'bf_cached', a reference this function does not hold (no matching get)}}
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: a file-static global that holds a reference of its own. */
int bf_own(struct device *dev)
{
	bf_owned = of_node_get(dev->of_node);
	return 0;
}

int bf_global_ok(void)
{
	struct device_node *np;

	np = of_find_compatible_node(bf_owned, NULL, "acme,x");
	bf_owned = NULL;
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}
