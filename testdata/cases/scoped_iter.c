// Theme: scoped iterators (for_each_*_scoped, device_for_each_child_node_scoped) release on every exit.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>

/* OK: break out of a scoped loop. */
int si_break_ok(struct device_node *np)
{
	int found = 0;

	for_each_child_of_node_scoped(np, child) {
		if (of_property_read_bool(child, "acme,primary")) {
			found = 1;
			break;
		}
	}
	return found;
}

/* OK: error return from inside a scoped loop. */
int si_return_ok(struct device_node *np)
{
	u32 reg;

	for_each_available_child_of_node_scoped(np, child) {
		if (of_property_read_u32(child, "reg", &reg))
			return -EINVAL;
	}
	return 0;
}

/* OK: the found child is moved out with no_free_ptr(). */
struct device_node *si_find_ok(struct device_node *np, const char *name)
{
	for_each_child_of_node_scoped(np, child) {
		if (of_node_name_eq(child, name))
			return no_free_ptr(child);
	}
	return NULL;
}

/* BUG: explicit put of the scoped child; scope exit puts it again. */
int si_explicit_put_bad(struct device_node *np)
{
	int found = 0;

	for_each_child_of_node_scoped(np, child) {
		if (of_property_read_bool(child, "acme,primary")) {
			found = 1;
			of_node_put(child); // expect-warning{{krefcheck-double-put}}
			break;
		}
	}
	return found;
}

/* OK: goto out of a scoped loop. */
int si_goto_ok(struct device_node *np)
{
	int ret = 0;

	for_each_available_child_of_node_scoped(np, child) {
		if (!of_property_present(child, "reg")) {
			ret = -EINVAL;
			goto out;
		}
	}
out:
	return ret;
}

/* OK: device_for_each_child_node_scoped left by return. */
int si_fwnode_return_ok(struct device *dev)
{
	u32 reg;

	device_for_each_child_node_scoped(dev, child) {
		if (fwnode_property_read_u32(child, "reg", &reg))
			return -EINVAL;
	}
	return 0;
}

/* BUG: a phandle parsed inside a scoped loop leaks on the early return (the loop node itself is fine). */
int si_inner_phandle_bad(struct device_node *np)
{
	for_each_child_of_node_scoped(np, child) {
		struct device_node *remote;

		remote = of_parse_phandle(child, "remote", 0);
		if (!remote)
			continue;
		if (!of_device_is_available(remote))
			return -ENODEV; // expect-warning{{krefcheck-leak}}
		of_node_put(remote);
	}
	return 0;
}

/* OK: same, the phandle is put before returning. */
int si_inner_phandle_ok(struct device_node *np)
{
	for_each_child_of_node_scoped(np, child) {
		struct device_node *remote;
		bool avail;

		remote = of_parse_phandle(child, "remote", 0);
		if (!remote)
			continue;
		avail = of_device_is_available(remote);
		of_node_put(remote);
		if (!avail)
			return -ENODEV;
	}
	return 0;
}
