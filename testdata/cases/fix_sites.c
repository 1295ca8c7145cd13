// Theme: fixes made from the AST where reading the text goes wrong: macros, multi-line declarations, #ifdef blocks, returns over several lines, an exit in a loop that puts later.
#include <linux/device.h>
#include <linux/dev_printk.h>
#include <linux/errno.h>
#include <linux/of.h>

#define FS_DROP(n) of_node_put(n)
#define FS_READY of_device_is_available(np)
#define FS_DECLARE_CHILD(n, p) struct device_node *n = of_get_child_by_name(p, "fs")
#define FS_CHECK(n)                                 \
	do {                                        \
		if (!of_device_is_available(n))     \
			return -ENODEV;             \
	} while (0)

/* BUG: the put on the flag path is a macro: a second put before the return would be a double put (no fix). */
int fs_macro_put_bad(struct device *dev, int flag)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	if (flag)
		FS_DROP(np);
	return 0; // expect-warning{{krefcheck-leak}}
}

/* OK: the macro puts on every path. */
int fs_macro_put_ok(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	FS_DROP(np);
	return 0;
}

/* BUG: the return reads np through a macro: a put before it would be a use after put (no fix). */
int fs_macro_return_bad(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	return FS_READY ? 0 : -ENODEV; // expect-warning{{krefcheck-leak}}
}

/* OK: the answer is taken before the put. */
int fs_macro_return_ok(struct device *dev)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	ret = FS_READY ? 0 : -ENODEV;
	of_node_put(np);
	return ret;
}

/* BUG: declared and acquired by a macro; the early return leaks (fixed with braces). */
int fs_macro_decl_bad(struct device *dev)
{
	FS_DECLARE_CHILD(np, dev->of_node);

	if (!np)
		return -ENODEV;
	if (of_property_read_bool(np, "acme,off"))
		return -EINVAL; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (of_property_read_bool(np, "acme,off")) {\n\t\tof_node_put(np);\n\t}}}
	of_node_put(np);
	return 0;
}

/* OK: declared by the macro, put on both paths. */
int fs_macro_decl_ok(struct device *dev)
{
	FS_DECLARE_CHILD(np, dev->of_node);
	int ret = 0;

	if (!np)
		return -ENODEV;
	if (of_property_read_bool(np, "acme,off"))
		ret = -EINVAL;
	of_node_put(np);
	return ret;
}

/* BUG: the exit is a return inside a macro that also reads np: nothing can go before it (no fix). */
int fs_macro_exit_bad(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	FS_CHECK(np); // expect-warning{{krefcheck-leak}}
	of_node_put(np);
	return 0;
}

/* OK: the check is done before the node is taken. */
int fs_macro_exit_ok(struct device *dev, struct device_node *parent)
{
	struct device_node *np;

	FS_CHECK(parent);
	np = of_get_child_by_name(parent, "fs");
	of_node_put(np);
	return 0;
}

/* BUG: np is declared after a neighbour whose initialiser calls a function, over two lines. */
int fs_multiline_decl_bad(struct device *dev)
{
	struct device_node *parent = dev_of_node(dev),
			   *np;

	np = of_get_child_by_name(parent, "fs");
	if (!np)
		return -ENODEV;
	if (of_property_read_bool(np, "acme,off"))
		return -EINVAL; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (of_property_read_bool(np, "acme,off")) {\n\t\tof_node_put(np);\n\t}}}
	of_node_put(np);
	return 0;
}

/* OK: the same declaration, put on every path. */
int fs_multiline_decl_ok(struct device *dev)
{
	struct device_node *parent = dev_of_node(dev),
			   *np;

	np = of_get_child_by_name(parent, "fs");
	of_node_put(np);
	return 0;
}

/* BUG: the only put is in a block that is compiled out (CONFIG_ACME_FS_DEBUG is not set). */
int fs_ifdef_put_bad(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
#ifdef CONFIG_ACME_FS_DEBUG
	of_node_put(np);
#endif
	return 0; // expect-warning{{krefcheck-leak}} expect-fix{{+0}}{{\tof_node_put(np);}}
}

/* OK: the put is in a block that is compiled in. */
int fs_ifdef_put_ok(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
#ifndef CONFIG_ACME_FS_DEBUG
	of_node_put(np);
#endif
	return 0;
}

/* BUG: np is stored only in a compiled-out block; the error return leaks it. */
int fs_ifdef_store_bad(struct device *dev, int a)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	if (a) {
#ifdef CONFIG_ACME_FS_KEEP
		dev->platform_data = np;
#endif
		return -EINVAL; // expect-warning{{krefcheck-leak}} expect-fix{{+0}}{{\t\tof_node_put(np);}}
	}
	of_node_put(np);
	return 0;
}

/* OK: the error return puts first. */
int fs_ifdef_store_ok(struct device *dev, int a)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	if (a) {
#ifdef CONFIG_ACME_FS_KEEP
		dev->platform_data = np;
#endif
		of_node_put(np);
		return -EINVAL;
	}
	of_node_put(np);
	return 0;
}

/* BUG: a braceless early return over two lines: the braces go around all of it. */
int fs_multiline_return_bad(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	if (of_property_read_bool(np, "acme,off"))
		return dev_err_probe(dev, -EINVAL, // expect-warning{{krefcheck-leak}} expect-fix{{-1,3}}{{\tif (of_property_read_bool(np, "acme,off")) {\n\t\tof_node_put(np);\n\t}}}
				     "fs disabled\n");
	of_node_put(np);
	return 0;
}

/* BUG: the second line of the return reads np (no fix). */
int fs_multiline_return_use_bad(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	return dev_err_probe(dev, -EINVAL, "%s disabled\n", // expect-warning{{krefcheck-leak}}
			     np->name);
}

/* OK: the message is printed before the put, over two lines. */
int fs_multiline_return_ok(struct device *dev)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "fs");
	if (!np)
		return -ENODEV;
	ret = dev_err_probe(dev, -EINVAL, "%s disabled\n",
			    np->name);
	of_node_put(np);
	return ret;
}

/* BUG: a negative value before the first round's put leaks np; on a later round np is already put, so a put before the return would be a second one (no fix). */
int fs_loop_put_bad(struct device *dev, const int *vals, int n)
{
	struct device_node *np;
	int i, held = 1;

	np = of_get_child_by_name(dev->of_node, "fs");
	for (i = 0; i < n; i++) {
		if (vals[i] < 0)
			return -EINVAL; // expect-warning{{krefcheck-leak}}
		if (held) {
			of_node_put(np);
			held = 0;
		}
	}
	if (held)
		of_node_put(np);
	return 0;
}

/* OK: the node is held for the whole loop and put on both ways out. */
int fs_loop_put_ok(struct device *dev, const int *vals, int n)
{
	struct device_node *np;
	int i;

	np = of_get_child_by_name(dev->of_node, "fs");
	for (i = 0; i < n; i++) {
		if (vals[i] < 0) {
			of_node_put(np);
			return -EINVAL;
		}
	}
	of_node_put(np);
	return 0;
}
