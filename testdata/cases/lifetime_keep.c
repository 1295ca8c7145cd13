// Theme: a reference a file keeps on a borrowed field's object for the lifetime of what it
// builds, and drops in its teardown (pinctrl_dt_to_map() / pinctrl_dt_free_maps(): the maps
// point at property names inside the device's node).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/fwnode.h>

struct lk_pinctrl {
	struct device *dev;
	int nmaps;
};

/* OK: the reference is kept on purpose (result unused), for the maps' lifetime. */
int lk_dt_to_map(struct lk_pinctrl *p)
{
	struct device_node *np = p->dev->of_node;

	if (!np)
		return 0;
	/* We may store pointers to property names within the node */
	of_node_get(np);
	p->nmaps = 1;
	return 0;
}

/* OK: the teardown drops the reference lk_dt_to_map() kept. */
void lk_dt_free_maps(struct lk_pinctrl *p)
{
	p->nmaps = 0;
	of_node_put(p->dev->of_node);
}

/* BUG: nothing in this file keeps a reference on dev->fwnode: this put is unowned. */
void lk_drop_fwnode(struct lk_pinctrl *p)
{
	fwnode_handle_put(p->dev->fwnode); // expect-warning{{krefcheck-put-unowned}}
}
