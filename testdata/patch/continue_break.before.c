// Patch: a `continue` inside for_each_child_of_node() becomes a `break`.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>

/* BUG after the patch: the break keeps the reference of the disabled child. */
int pt_loop_bad(struct device_node *parent)
{
	struct device_node *child;
	int n = 0;

	for_each_child_of_node(parent, child) {
		if (!of_device_is_available(child))
			continue;
		n++;
	}
	return n;
}

/* OK after the patch: the child the loop stops at is put after the loop. The early return
 * leaked before the patch already and does not pass the changed line. */
int pt_loop_ok(struct device_node *parent, u32 mode)
{
	struct device_node *child;
	struct device_node *np = of_get_child_by_name(parent, "ports");
	int n = 0;

	if (!np)
		return -ENODEV;
	if (mode > 3)
		return -EINVAL;
	for_each_child_of_node(np, child) {
		if (!of_device_is_available(child))
			continue;
		n++;
	}
	of_node_put(child);
	of_node_put(np);
	return n;
}
