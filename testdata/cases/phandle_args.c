// Theme: phandle parsing with out-arguments: of_parse_phandle*(), fwnode_property_get_reference_args().
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/property.h>

struct pa_priv {
	struct device_node *syscon;
	u32 offset;
};

/* OK: args.np is put after the cells are read. */
int pa_args_ok(struct device_node *np, u32 *cell)
{
	struct of_phandle_args args;
	int ret;

	ret = of_parse_phandle_with_args(np, "acme,clocks", "#clock-cells", 0, &args);
	if (ret)
		return ret;
	*cell = args.args_count > 0 ? args.args[0] : 0;
	of_node_put(args.np);
	return 0;
}

/* BUG: args.np leaked when the provider is disabled. */
int pa_args_bad(struct device_node *np, u32 *cell)
{
	struct of_phandle_args args;
	int ret;

	ret = of_parse_phandle_with_args(np, "acme,clocks", "#clock-cells", 0, &args);
	if (ret)
		return ret;
	if (!of_device_is_available(args.np))
		return -ENODEV; // expect-warning{{krefcheck-leak}}
	*cell = args.args_count > 0 ? args.args[0] : 0;
	of_node_put(args.np);
	return 0;
}

/* OK: fixed-args variant; the node is kept in priv. */
int pa_fixed_args_store_ok(struct pa_priv *priv, struct device_node *np)
{
	struct of_phandle_args args;
	int ret;

	ret = of_parse_phandle_with_fixed_args(np, "acme,syscon", 1, 0, &args);
	if (ret)
		return ret;
	priv->syscon = args.np;
	priv->offset = args.args[0];
	return 0;
}

/* OK: a failed parse fills nothing, so there is nothing to put. */
int pa_count_ok(struct device_node *np)
{
	struct of_phandle_args args;
	int n = 0;

	while (!of_parse_phandle_with_fixed_args(np, "acme,ports", 0, n, &args)) {
		of_node_put(args.np);
		n++;
	}
	return n;
}

/* OK: of_parse_phandle() by index, each result put within the iteration. */
int pa_index_loop_ok(struct device *dev)
{
	struct device_node *np;
	int i, avail = 0;

	for (i = 0; i < 4; i++) {
		np = of_parse_phandle(dev->of_node, "acme,lanes", i);
		if (!np)
			break;
		if (of_device_is_available(np))
			avail++;
		of_node_put(np);
	}
	return avail;
}

/* BUG: of_parse_phandle() inside a loop, leaked by the error return (not an iterator step: plain leak). */
int pa_index_loop_bad(struct device *dev)
{
	struct device_node *np;
	int i;

	for (i = 0; i < 4; i++) {
		np = of_parse_phandle(dev->of_node, "acme,lanes", i);
		if (!np)
			break;
		if (!of_device_is_available(np))
			return -ENODEV; // expect-warning{{krefcheck-leak}}
		of_node_put(np);
	}
	return 0;
}

/* OK: fwnode reference args, args.fwnode put. */
int pa_fwnode_args_ok(struct device *dev, u64 *arg)
{
	struct fwnode_reference_args args;
	int ret;

	ret = fwnode_property_get_reference_args(dev_fwnode(dev), "acme,gpios",
						 "#gpio-cells", 0, 0, &args);
	if (ret)
		return ret;
	*arg = args.nargs ? args.args[0] : 0;
	fwnode_handle_put(args.fwnode);
	return 0;
}

/* BUG: args.fwnode leaked when there are no cells. */
int pa_fwnode_args_bad(struct device *dev, u64 *arg)
{
	struct fwnode_reference_args args;
	int ret;

	ret = fwnode_property_get_reference_args(dev_fwnode(dev), "acme,gpios",
						 "#gpio-cells", 0, 0, &args);
	if (ret)
		return ret;
	if (!args.nargs)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	*arg = args.args[0];
	fwnode_handle_put(args.fwnode);
	return 0;
}

/* OK: irq_of_parse_and_map()'s own shape: the mapping only reads oirq, then oirq.np is put. */
unsigned int pa_irq_map_ok(struct device_node *np, int index)
{
	struct of_phandle_args oirq;
	unsigned int virq;

	if (of_irq_parse_one(np, index, &oirq))
		return 0;
	virq = irq_create_of_mapping(&oirq);
	of_node_put(oirq.np);
	return virq;
}

/* BUG: irq_create_of_mapping() does not put oirq.np: the reference of_irq_parse_one() took leaks. */
unsigned int pa_irq_map_bad(struct device_node *np, int index)
{
	struct of_phandle_args oirq;

	if (of_irq_parse_one(np, index, &oirq))
		return 0;
	return irq_create_of_mapping(&oirq); // expect-warning{{krefcheck-leak}}{{'oirq' from of_irq_parse_one() (line 155) is not released on this path (of_node_put() missing)}}
}

/* BUG: of_irq_get()'s shape without the put on the deferral path. */
int pa_irq_get_bad(struct device_node *np, int index)
{
	struct of_phandle_args oirq;
	int rc;

	rc = of_irq_parse_one(np, index, &oirq);
	if (rc)
		return rc;
	if (!irq_find_host(oirq.np))
		return -EPROBE_DEFER; // expect-warning{{krefcheck-leak}}{{'oirq' from of_irq_parse_one() (line 166) is not released on this path (of_node_put() missing)}}
	rc = irq_create_of_mapping(&oirq);
	of_node_put(oirq.np);
	return rc;
}

/* OK: of_irq_parse_raw() on a synthesised specifier: the parent passed in is only read, the
 * translated node it fills in is put. */
int pa_irq_raw_ok(struct device_node *parent, const __be32 *addr, u32 *hwirq)
{
	struct of_phandle_args oirq;

	oirq.np = parent;
	oirq.args_count = 1;
	oirq.args[0] = 0;
	if (of_irq_parse_raw(addr, &oirq))
		return -EINVAL;
	*hwirq = oirq.args[0];
	of_node_put(oirq.np);
	return 0;
}

/* BUG: the translated node of of_irq_parse_raw() is never put. */
int pa_irq_raw_bad(struct device_node *parent, const __be32 *addr, u32 *hwirq)
{
	struct of_phandle_args oirq;

	oirq.np = parent;
	oirq.args_count = 1;
	oirq.args[0] = 0;
	if (of_irq_parse_raw(addr, &oirq))
		return -EINVAL;
	*hwirq = oirq.args[0];
	return 0; // expect-warning{{krefcheck-leak}}{{'oirq' from of_irq_parse_raw() (line 200) is not released on this path (of_node_put() missing)}}
}

/* OK: the remove path releases the reference the functions above store in the field. */
void pa_release_fields(struct pa_priv *p)
{
	of_node_put(p->syscon);
}
