// Theme: of_find_*(from, ...) consumes 'from'; of_get_child_by_name() and friends only borrow their parent.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>

/* OK: the second search drops the first node. */
int fc_chain_ok(void)
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

/* OK: a borrowed start node gets its own reference before being consumed. */
int fc_from_get_ok(struct device_node *from)
{
	struct device_node *np;

	np = of_find_compatible_node(of_node_get(from), NULL, "acme,sibling");
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* BUG: 'from' was already consumed by of_find_node_by_name(); putting it again is not ours. */
int fc_from_param_put_bad(struct device_node *from)
{
	struct device_node *np;

	np = of_find_node_by_name(from, "codec");
	of_node_put(from); // expect-warning{{krefcheck-put-unowned}}
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* BUG: searching from pdev->dev.of_node drops the device's borrowed node. */
int fc_from_pdev_node_bad(struct platform_device *pdev)
{
	struct device_node *np;

	np = of_find_node_by_type(pdev->dev.of_node, "dma"); // expect-warning{{krefcheck-put-unowned}}
	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* BUG: of_get_child_by_name() does not drop the parent; the /soc reference leaks. */
struct device_node *fc_soc_bus_bad(void)
{
	struct device_node *soc;

	soc = of_find_node_by_path("/soc");
	if (!soc)
		return NULL;
	return of_get_child_by_name(soc, "bus"); // expect-warning{{krefcheck-leak}}
}

/* OK: the parent is put after the child lookup. */
struct device_node *fc_soc_bus_ok(void)
{
	struct device_node *soc, *bus;

	soc = of_find_node_by_path("/soc");
	bus = of_get_child_by_name(soc, "bus");
	of_node_put(soc);
	return bus;
}

/* OK: of_get_parent() then of_get_next_parent() walk to the root. */
int fc_depth_ok(struct device_node *np)
{
	struct device_node *p;
	int depth = 0;

	p = of_get_parent(np);
	while (p) {
		depth++;
		p = of_get_next_parent(p);
	}
	return depth;
}

/* OK: of_find_all_nodes() walk run to completion. */
int fc_all_nodes_ok(void)
{
	struct device_node *np;
	int n = 0;

	for_each_of_allnodes(np)
		n++;
	return n;
}
