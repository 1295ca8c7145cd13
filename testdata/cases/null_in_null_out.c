// Theme: of_get_parent(NULL) and friends return NULL: a NULL argument gives no reference.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

extern int nn_use(struct device_node *np);

/* OK: the gpio-rockchip shape: when np is NULL so is the parent, nothing is owed. */
int nn_parent_or_check_ok(struct device *dev)
{
	struct device_node *np = dev->of_node;
	struct device_node *pctlnp = of_get_parent(np);
	int ret;

	if (!np || !pctlnp)
		return -ENODEV;

	ret = nn_use(pctlnp);
	of_node_put(pctlnp);
	return ret;
}

/* BUG: after the same check, an error return forgets the parent. */
int nn_parent_later_leak_bad(struct device *dev)
{
	struct device_node *np = dev->of_node;
	struct device_node *pctlnp = of_get_parent(np);

	if (!np || !pctlnp)
		return -ENODEV;

	if (nn_use(np))
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'pctlnp' from of_get_parent() (line 28) is not released on this path (of_node_put() missing)}}

	of_node_put(pctlnp);
	return 0;
}

/* BUG: only np is checked; its parent may still be held (np not NULL). */
int nn_parent_np_check_bad(struct device *dev)
{
	struct device_node *np = dev->of_node;
	struct device_node *pctlnp = of_get_parent(np);

	if (!np)
		return -ENODEV;

	return nn_use(pctlnp); // expect-warning{{krefcheck-leak}}
}

/* OK: a child looked up under a NULL node is NULL too. */
int nn_child_ok(struct device *dev)
{
	struct device_node *np = dev->of_node;
	struct device_node *child = of_get_child_by_name(np, "ports");
	int ret;

	if (!np)
		return -ENODEV;
	if (!child)
		return -ENOENT;

	ret = nn_use(child);
	of_node_put(child);
	return ret;
}
