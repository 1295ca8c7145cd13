// Theme: overwriting a pointer that still holds a reference (np = f(np) where f does not drop np).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

/* BUG: of_get_parent() does not drop its argument, so np = of_get_parent(np) loses the child's reference. */
int ra_get_parent_bad(struct device *dev, u32 *reg)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "port");
	if (!np)
		return -ENODEV;
	np = of_get_parent(np);
	ret = of_property_read_u32(np, "reg", reg);
	of_node_put(np);
	return ret; // expect-warning{{krefcheck-leak}}
}

/* OK: of_get_next_parent() drops its argument, so the overwrite is fine. */
int ra_next_parent_ok(struct device *dev, u32 *reg)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "port");
	if (!np)
		return -ENODEV;
	np = of_get_next_parent(np);
	ret = of_property_read_u32(np, "reg", reg);
	of_node_put(np);
	return ret;
}

/* BUG: of_get_child_by_name(np, ...) borrows np, so overwriting np loses the /soc reference. */
int ra_child_overwrite_bad(void)
{
	struct device_node *np;
	bool avail;

	np = of_find_node_by_path("/soc");
	if (!np)
		return -ENODEV;
	np = of_get_child_by_name(np, "interrupt-controller");
	avail = of_device_is_available(np);
	of_node_put(np);
	return avail ? 0 : -ENODEV; // expect-warning{{krefcheck-leak}}
}

/* OK: the parent is kept in its own variable and put after the child lookup. */
int ra_child_separate_ok(void)
{
	struct device_node *soc, *np;

	soc = of_find_node_by_path("/soc");
	if (!soc)
		return -ENODEV;
	np = of_get_child_by_name(soc, "interrupt-controller");
	of_node_put(soc);
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: of_find_node_by_name(np, ...) consumes np, so the overwrite is fine. */
int ra_find_from_ok(void)
{
	struct device_node *np;

	np = of_find_node_by_name(NULL, "acme-bus");
	if (!np)
		return -ENODEV;
	np = of_find_node_by_name(np, "acme-dev");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: put before the pointer is reused. */
int ra_put_then_reuse_ok(u32 *a, u32 *b)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,block-a");
	if (!np)
		return -ENODEV;
	of_property_read_u32(np, "reg", a);
	of_node_put(np);
	np = of_find_compatible_node(NULL, NULL, "acme,block-b");
	if (!np)
		return -ENODEV;
	of_property_read_u32(np, "reg", b);
	of_node_put(np);
	return 0;
}

/* OK: open-coded child iteration through of_get_next_child(parent, np). */
int ra_next_child_ok(struct device_node *parent)
{
	struct device_node *np = NULL;
	int n = 0;

	while ((np = of_get_next_child(parent, np)))
		n++;
	return n;
}
