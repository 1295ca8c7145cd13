// Theme: a reference stored into a field of a long-lived object (devm-allocated priv, the
// caller's object) that nothing in the file ever releases: leaked with the object.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>

struct fu_priv {
	struct device_node *phy_np;
	int id;
};

struct fu_keep {
	struct device_node *phy_np;
	int id;
};

struct fu_local {
	struct device_node *np;
	int id;
};

/* BUG: priv->phy_np keeps the reference; no function of this file ever puts that field. */
int fu_probe_bad(struct platform_device *pdev)
{
	struct fu_priv *priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -ENOMEM;
	priv->phy_np = of_get_child_by_name(pdev->dev.of_node, "phy");
	platform_set_drvdata(pdev, priv);
	return 0; // expect-warning{{krefcheck-leak}}{{the reference from of_get_child_by_name() (line 31) is stored in field 'phy_np' of an object that outlives this function, and nothing in this file releases that field (no put of 'struct fu_priv.phy_np') (of_node_put() missing)}}
}

/* OK: the same store, and fu_remove_ok() releases the field. */
int fu_probe_ok(struct platform_device *pdev)
{
	struct fu_keep *priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -ENOMEM;
	priv->phy_np = of_get_child_by_name(pdev->dev.of_node, "phy");
	platform_set_drvdata(pdev, priv);
	return 0;
}

/* OK: the remove path puts the field. */
void fu_remove_ok(struct platform_device *pdev)
{
	struct fu_keep *priv = platform_get_drvdata(pdev);

	of_node_put(priv->phy_np);
}

/* OK: the caller's object keeps the node; fu_local_release() puts it through a local. */
void fu_set_ok(struct fu_local *l, struct device_node *parent)
{
	l->np = of_get_child_by_name(parent, "cfg");
}

void fu_local_release(struct fu_local *l)
{
	struct device_node *np = l->np;

	l->np = NULL;
	of_node_put(np);
}

struct fu_obj {
	struct device_node *np;
	int id;
};

/* BUG: the caller's object keeps the node, and nothing in the file ever puts fu_obj.np. */
void fu_attach_bad(struct fu_obj *o, struct device_node *parent)
{
	o->np = of_get_child_by_name(parent, "cfg");
} // expect-warning{{krefcheck-leak}}

void fu_take_obj(struct fu_obj *o);

/* OK: a function whose body is not seen receives the object itself: it may release np. */
void fu_attach_handed_ok(struct fu_obj *o, struct device_node *parent)
{
	o->np = of_get_child_by_name(parent, "cfg");
	fu_take_obj(o);
}
