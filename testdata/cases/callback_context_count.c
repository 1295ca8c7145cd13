// Theme: a callee with no body that keeps its `void *` argument for a callback it is given
// (component_match_add_release(..., release, compare, data)) takes one reference; any other
// the function holds on that object is still owed (an extra of_node_get() before the call).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>

struct component_match;
extern void component_match_add_release(struct device *parent, struct component_match **matchptr,
					void (*release)(struct device *, void *),
					int (*compare)(struct device *, void *), void *compare_data);
extern void component_release_of(struct device *dev, void *data);
extern int component_compare_of(struct device *dev, void *data);

struct cc_priv {
	struct device_node *rxnode;
	int id;
};

struct cc_keep {
	struct device_node *rxnode;
	int id;
};

struct cc_plain {
	struct device_node *rxnode;
	int id;
};

/* BUG: the match's release drops one reference; the extra get is never put. */
int cc_add_extra_get_bad(struct cc_priv *priv, struct device *dev, struct component_match **m)
{
	priv->rxnode = of_parse_phandle(dev->of_node, "qcom,rx-device", 0);
	if (!priv->rxnode)
		return -ENODEV;
	of_node_get(priv->rxnode);
	component_match_add_release(dev, m, component_release_of, component_compare_of,
				    priv->rxnode);
	return 0; // expect-warning{{krefcheck-leak}}{{the reference from of_node_get() (line 38) is stored in field 'rxnode' of an object that outlives this function, and nothing in this file releases that field (no put of 'struct cc_priv.rxnode') (of_node_put() missing)}}
}

/* OK: without the extra get, the match owns the only reference; the field is a copy. */
int cc_add_ok(struct cc_plain *priv, struct device *dev, struct component_match **m)
{
	priv->rxnode = of_parse_phandle(dev->of_node, "qcom,rx-device", 0);
	if (!priv->rxnode)
		return -ENODEV;
	component_match_add_release(dev, m, component_release_of, component_compare_of,
				    priv->rxnode);
	return 0;
}

/* OK: the extra get is the field's, which cc_remove_ok() puts. */
int cc_add_kept_ok(struct cc_keep *priv, struct device *dev, struct component_match **m)
{
	priv->rxnode = of_parse_phandle(dev->of_node, "qcom,rx-device", 0);
	if (!priv->rxnode)
		return -ENODEV;
	of_node_get(priv->rxnode);
	component_match_add_release(dev, m, component_release_of, component_compare_of,
				    priv->rxnode);
	return 0;
}

void cc_remove_ok(struct cc_keep *priv)
{
	of_node_put(priv->rxnode);
}

/* BUG: a local with two references, one handed to the match. */
int cc_local_extra_get_bad(struct device *dev, struct component_match **m)
{
	struct device_node *np = of_parse_phandle(dev->of_node, "qcom,tx-device", 0);

	if (!np)
		return -ENODEV;
	of_node_get(np);
	component_match_add_release(dev, m, component_release_of, component_compare_of, np);
	return 0; // expect-warning{{krefcheck-leak}}{{'np' from of_node_get() (line 79) is not released on this path (of_node_put() missing)}}
}
