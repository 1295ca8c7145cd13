// Theme: of_node_get() on a borrowed node creates a reference that must be stored, returned or put.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>

struct gs_priv {
	struct device *dev;
	struct device_node *np;
};

struct gs_child {
	struct device dev;
	int id;
};

static struct device_node *gs_root;

/* OK: extra reference kept in priv. */
void gs_store_priv_ok(struct gs_priv *priv, struct device *dev)
{
	priv->dev = dev;
	priv->np = of_node_get(dev->of_node);
}

/* OK: a child device takes its own reference on the node. */
void gs_child_of_node_ok(struct gs_child *child, struct device_node *np)
{
	child->dev.of_node = of_node_get(np);
}

/* OK: a reference kept in a global. */
void gs_store_global_ok(struct device_node *np)
{
	gs_root = of_node_get(np);
}

/* OK: got, used, put. */
int gs_get_put_ok(struct device *dev, u32 *val)
{
	struct device_node *np = of_node_get(dev->of_node);
	int ret;

	ret = of_property_read_u32(np, "acme,val", val);
	of_node_put(np);
	return ret;
}

/* BUG: the disabled case returns without putting the extra reference. */
int gs_get_early_return_bad(struct device *dev)
{
	struct device_node *np = of_node_get(dev->of_node);

	if (!of_device_is_available(np))
		return -ENODEV; // expect-warning{{krefcheck-leak}}{{'np' from of_node_get() (line 54) is not released on this path (of_node_put() missing)}}

	of_node_put(np);
	return 0;
}

/* BUG: a void function takes a reference and never drops it. */
void gs_read_bad(struct device_node *node, u32 *val)
{
	struct device_node *np = of_node_get(node);

	of_property_read_u32(np, "acme,val", val);
} // expect-warning{{krefcheck-leak}}{{'np' from of_node_get() (line 66) is not released on this path (of_node_put() missing)}}

/* OK: the %pOF argument of a print only borrows. */
void gs_log_ok(struct device_node *node)
{
	struct device_node *np = of_node_get(node);

	pr_info("probing %pOF\n", np);
	of_node_put(np);
}

/* OK: a heap-allocated child device owns the reference. */
struct gs_child *gs_new_child_ok(struct device_node *np, int id)
{
	struct gs_child *child;

	child = kzalloc(sizeof(*child), GFP_KERNEL);
	if (!child)
		return NULL;
	child->id = id;
	child->dev.of_node = of_node_get(np);
	return child;
}

/* OK: the remove path releases the reference the functions above store in the field. */
void gs_release_fields(struct gs_priv *p)
{
	of_node_put(p->np);
}
