// Theme: early returns after a device_node lookup (of_find_*, of_get_*, of_parse_phandle, cpu nodes).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

/* BUG: the error return after the property read keeps the of_get_child_by_name() reference. */
int er_child_read_bad(struct device *dev, u32 *freq)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "timing");
	if (!np)
		return -ENODEV;

	ret = of_property_read_u32(np, "clock-frequency", freq);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}{{'np' from of_get_child_by_name() (line 13) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (ret) {\n\t\tof_node_put(np);\n\t}}}

	of_node_put(np);
	return 0;
}

/* OK: same lookup, put before the single return. */
int er_child_read_ok(struct device *dev, u32 *freq)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "timing");
	if (!np)
		return -ENODEV;

	ret = of_property_read_u32(np, "clock-frequency", freq);
	of_node_put(np);
	return ret;
}

/* OK: the error path puts too. */
int er_child_read_ok2(struct device *dev, u32 *freq)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "timing");
	if (!np)
		return -ENODEV;

	ret = of_property_read_u32(np, "clock-frequency", freq);
	if (ret) {
		of_node_put(np);
		return ret;
	}

	of_node_put(np);
	return 0;
}

/* BUG: a disabled node is returned from early without dropping the of_find_compatible_node() reference. */
int er_compat_disabled_bad(void)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,timer");
	if (!np)
		return -ENODEV;

	if (!of_device_is_available(np))
		return -ENODEV; // expect-warning{{krefcheck-leak}}{{'np' from of_find_compatible_node() (line 65) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (!of_device_is_available(np)) {\n\t\tof_node_put(np);\n\t}}}

	of_node_put(np);
	return 0;
}

/* OK: the availability is computed before the put. */
int er_compat_disabled_ok(void)
{
	struct device_node *np;
	bool avail;

	np = of_find_compatible_node(NULL, NULL, "acme,timer");
	if (!np)
		return -ENODEV;

	avail = of_device_is_available(np);
	of_node_put(np);
	if (!avail)
		return -ENODEV;
	return 0;
}

/* BUG: of_get_parent() reference leaked when the parent is not "soc". */
int er_parent_bad(struct device_node *np)
{
	struct device_node *parent;

	parent = of_get_parent(np);
	if (!parent)
		return -EINVAL;

	if (!of_node_name_eq(parent, "soc"))
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'parent' from of_get_parent() (line 98) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (!of_node_name_eq(parent, "soc")) {\n\t\tof_node_put(parent);\n\t}}}

	of_node_put(parent);
	return 0;
}

/* OK: of_get_parent() result is put on every path. */
int er_parent_ok(struct device_node *np)
{
	struct device_node *parent;
	int ret = 0;

	parent = of_get_parent(np);
	if (!parent)
		return -EINVAL;

	if (!of_node_name_eq(parent, "soc"))
		ret = -EINVAL;

	of_node_put(parent);
	return ret;
}

/* BUG: of_find_node_by_path() reference leaked on the read error. */
int er_path_bad(u32 *version)
{
	struct device_node *np;

	np = of_find_node_by_path("/firmware/acme");
	if (!np)
		return -ENODEV;

	if (of_property_read_u32(np, "version", version))
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'np' from of_find_node_by_path() (line 131) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (of_property_read_u32(np, "version", version)) {\n\t\tof_node_put(np);\n\t}}}

	of_node_put(np);
	return 0;
}

/* OK: of_find_node_opts_by_path() result put before both returns. */
int er_path_opts_ok(const char **opts)
{
	struct device_node *np;
	const char *model;
	int ret;

	np = of_find_node_opts_by_path("/chosen:console", opts);
	if (!np)
		return -ENODEV;

	ret = of_property_read_string(np, "model", &model);
	if (!ret)
		pr_info("model %s\n", model);
	of_node_put(np);
	return ret;
}

/* BUG: of_get_cpu_node() reference leaked when the cluster property is missing. */
int er_cpu_node_bad(int cpu, u32 *cluster)
{
	struct device_node *cpu_np;

	cpu_np = of_get_cpu_node(cpu, NULL);
	if (!cpu_np)
		return -ENODEV;

	if (!of_property_present(cpu_np, "acme,cluster"))
		return -ENOENT; // expect-warning{{krefcheck-leak}}{{'cpu_np' from of_get_cpu_node() (line 165) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (!of_property_present(cpu_np, "acme,cluster")) {\n\t\tof_node_put(cpu_np);\n\t}}}

	*cluster = 0;
	of_property_read_u32(cpu_np, "acme,cluster", cluster);
	of_node_put(cpu_np);
	return 0;
}

/* OK: of_cpu_device_node_get() result put. */
int er_cpu_device_node_ok(int cpu)
{
	struct device_node *cpu_np;
	int compatible;

	cpu_np = of_cpu_device_node_get(cpu);
	if (!cpu_np)
		return -ENODEV;

	compatible = of_device_is_compatible(cpu_np, "acme,core-v2");
	of_node_put(cpu_np);
	return compatible ? 0 : -ENODEV;
}

/* BUG: of_find_node_by_phandle() reference leaked when the node is not a clock provider. */
int er_phandle_bad(phandle ph)
{
	struct device_node *np;

	np = of_find_node_by_phandle(ph);
	if (!np)
		return -ENOENT;

	if (!of_property_present(np, "#clock-cells"))
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'np' from of_find_node_by_phandle() (line 198) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (!of_property_present(np, "#clock-cells")) {\n\t\tof_node_put(np);\n\t}}}

	of_node_put(np);
	return 0;
}

/* OK: of_get_compatible_child() borrows the parent and its own result is put. */
int er_compat_child_ok(struct device *dev)
{
	struct device_node *mdio;
	int ret = 0;

	mdio = of_get_compatible_child(dev->of_node, "acme,mdio");
	if (!mdio)
		return 0;

	if (!of_device_is_available(mdio))
		ret = -ENODEV;

	of_node_put(mdio);
	return ret;
}

/* OK: of_find_matching_node_and_match() result and its match data, put before returning. */
int er_match_ok(const struct of_device_id *ids, const void **data)
{
	const struct of_device_id *match;
	struct device_node *np;

	np = of_find_matching_node_and_match(NULL, ids, &match);
	if (!np)
		return -ENODEV;

	*data = match->data;
	of_node_put(np);
	return 0;
}

/* BUG: of_find_matching_node_and_match() result leaked when there is no match data. */
int er_match_bad(const struct of_device_id *ids, const void **data)
{
	const struct of_device_id *match;
	struct device_node *np;

	np = of_find_matching_node_and_match(NULL, ids, &match);
	if (!np)
		return -ENODEV;

	if (!match->data)
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'np' from of_find_matching_node_and_match() (line 247) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (!match->data) {\n\t\tof_node_put(np);\n\t}}}

	*data = match->data;
	of_node_put(np);
	return 0;
}

/* BUG: a void function falls off its end holding the of_find_node_by_type() reference. */
void er_memory_reg_bad(u32 *base)
{
	struct device_node *np = of_find_node_by_type(NULL, "memory");

	if (np)
		of_property_read_u32(np, "reg", base);
} // expect-warning{{krefcheck-leak}}{{'np' from of_find_node_by_type() (line 262) is not released on this path (of_node_put() missing)}} expect-fix{{+0}}{{\tof_node_put(np);}}

/* OK: of_node_put(NULL) is fine, so no NULL check is needed before the put. */
void er_memory_reg_ok(u32 *base)
{
	struct device_node *np = of_find_node_by_type(NULL, "memory");

	if (np)
		of_property_read_u32(np, "reg", base);
	of_node_put(np);
}
