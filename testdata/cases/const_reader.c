// Theme: a reference held in a local struct out-parameter (`struct of_phandle_args args`:
// args.np, `struct fwnode_reference_args`: args.fwnode) stays this function's when &args is
// given to a function that only reads it: its parameter is a pointer to a const struct, and the
// call gets no pointer to a non-const object nor variadic arguments it could copy the reference
// into. A callee that can take the reference (a non-const pointer to the struct, a non-const
// pointer elsewhere, variadic arguments, a rule that hands it over, a body that puts it) still
// takes it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>

struct cr_priv {
	struct device_node *np;
	int cells;
};

struct nvmem_device;
struct nvmem_cell_info {
	const char *name;
	unsigned int offset;
	struct device_node *np;
};

/* 6.12 signature; rules/device_node.json: hands info->np over on success only. */
int nvmem_add_one_cell(struct nvmem_device *nvmem, const struct nvmem_cell_info *info);

/* Readers: a pointer to a const struct, nowhere to copy a reference to. */
extern int cr_cells(const struct of_phandle_args *a);
extern int cr_check(const struct of_phandle_args *a, int max, const char *what);
extern int cr_fw_cells(const struct fwnode_reference_args *a);
/* Could take it: a non-const pointer to the struct, or somewhere else to copy it to. */
extern int cr_take(struct of_phandle_args *a);
extern int cr_copy(const struct of_phandle_args *a, struct cr_priv *priv);
extern int cr_log(const struct of_phandle_args *a, const char *fmt, ...);

/* BUG: cr_cells() only reads args: the reference in args.np is never dropped. */
int cr_read_bad(struct device_node *np)
{
	struct of_phandle_args args;

	if (of_parse_phandle_with_args(np, "acme,x", "#x-cells", 0, &args))
		return -EINVAL;
	cr_cells(&args);
	return 0; // expect-warning{{krefcheck-leak}}{{'args' from of_parse_phandle_with_args() (line 43) is not released on this path (of_node_put() missing)}}
}

/* OK: read through a const pointer, then put. */
int cr_read_put_ok(struct device_node *np)
{
	struct of_phandle_args args;
	int n;

	if (of_parse_phandle_with_args(np, "acme,x", "#x-cells", 0, &args))
		return -EINVAL;
	n = cr_cells(&args);
	of_node_put(args.np);
	return n;
}

/* BUG: the check fails after a const read: the error return leaks args.np. */
int cr_check_bad(struct device_node *np)
{
	struct of_phandle_args args;
	int ret;

	ret = of_parse_phandle_with_fixed_args(np, "acme,y", 1, 0, &args);
	if (ret)
		return ret;
	ret = cr_check(&args, 1, "acme,y");
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}
	of_node_put(args.np);
	return 0;
}

/* OK: cr_take() gets a non-const pointer to args: it may take args.np. */
int cr_take_ok(struct device_node *np)
{
	struct of_phandle_args args;

	if (of_parse_phandle_with_args(np, "acme,x", "#x-cells", 0, &args))
		return -EINVAL;
	return cr_take(&args);
}

/* OK: cr_copy() may copy args.np into priv (a non-const pointer beside the const one). */
int cr_copy_ok(struct device_node *np, struct cr_priv *priv)
{
	struct of_phandle_args args;

	if (of_parse_phandle_with_args(np, "acme,x", "#x-cells", 0, &args))
		return -EINVAL;
	return cr_copy(&args, priv);
}

/* OK: variadic arguments: cr_log() may be given somewhere to copy the reference to. */
int cr_log_ok(struct device_node *np, int *where)
{
	struct of_phandle_args args;

	if (of_parse_phandle_with_args(np, "acme,x", "#x-cells", 0, &args))
		return -EINVAL;
	return cr_log(&args, "%p", where);
}

static void cr_done(const struct of_phandle_args *a)
{
	of_node_put(a->np);
}

/* OK: this file's cr_done() puts a->np through its const pointer. */
int cr_done_ok(struct device_node *np)
{
	struct of_phandle_args args;

	if (of_parse_phandle_with_args(np, "acme,x", "#x-cells", 0, &args))
		return -EINVAL;
	cr_done(&args);
	return 0;
}

/* OK: nvmem_add_one_cell() takes a const pointer, and its rule hands info.np over on success. */
int cr_rule_takes_ok(struct nvmem_device *nvmem, struct device_node *np)
{
	struct of_phandle_args args;
	struct nvmem_cell_info info = {0};
	int ret;

	if (of_parse_phandle_with_args(np, "acme,cell", "#x-cells", 0, &args))
		return -EINVAL;
	info.np = args.np;
	ret = nvmem_add_one_cell(nvmem, &info);
	if (ret)
		of_node_put(info.np);
	return ret;
}

/* BUG: args.fwnode leaked after a const read of args. */
int cr_fw_read_bad(struct device *dev)
{
	struct fwnode_reference_args args;
	int ret;

	ret = fwnode_property_get_reference_args(dev_fwnode(dev), "acme,gpios", "#gpio-cells", 0,
						 0, &args);
	if (ret)
		return ret;
	return cr_fw_cells(&args); // expect-warning{{krefcheck-leak}}
}

/* OK: the same, args.fwnode put after the read. */
int cr_fw_read_ok(struct device *dev)
{
	struct fwnode_reference_args args;
	int ret;

	ret = fwnode_property_get_reference_args(dev_fwnode(dev), "acme,gpios", "#gpio-cells", 0,
						 0, &args);
	if (ret)
		return ret;
	ret = cr_fw_cells(&args);
	fwnode_handle_put(args.fwnode);
	return ret;
}

/* Two readers at once (of_genpd_add_subdomain(const struct of_phandle_args *parent, const
 * struct of_phandle_args *child) in 6.12), then a print of the node. */
extern int cr_add_subdomain(const struct of_phandle_args *parent,
			    const struct of_phandle_args *child);

/* BUG (exynos_pd_probe() in 6.12): parent.np is read, printed, and never put. */
int cr_subdomain_bad(struct device_node *np)
{
	struct of_phandle_args parent, child;

	if (of_parse_phandle_with_args(np, "power-domains", "#power-domain-cells", 0, &parent) == 0) {
		child.np = np;
		child.args_count = 0;
		if (cr_add_subdomain(&parent, &child))
			pr_warn("%p failed to add subdomain: %p\n", parent.np, child.np);
	}
	return 0; // expect-warning{{krefcheck-leak}}{{'parent' from of_parse_phandle_with_args() (line 178) is not released on this path (of_node_put() missing)}}
}

/* OK (apple_pmgr_ps_probe() in 6.12): the iterator's node is copied into parent.np and read;
 * the iterator step drops it, and the error exit puts it. */
int cr_subdomain_iter_ok(struct device_node *node)
{
	struct of_phandle_iterator it;
	int ret;

	of_for_each_phandle(&it, ret, node, "power-domains", "#power-domain-cells", -1) {
		struct of_phandle_args parent, child;

		parent.np = it.node;
		parent.args_count = 0;
		child.np = node;
		child.args_count = 0;
		ret = cr_add_subdomain(&parent, &child);
		if (ret < 0) {
			of_node_put(parent.np);
			return ret;
		}
	}
	return 0;
}
