// Theme: an iterator's current node stored into a field or a global without a reference of its
// own: the next step of the walk drops the only reference (use after put), unless the loop is
// left right after the store (the iterator's reference is handed over).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

struct isf_data {
	struct device_node *np;
	int id;
};

static struct device_node *isf_global_np;

/* BUG: d->np keeps the node, the loop goes on and the next step drops it. */
void isf_field_bad(struct isf_data *d, struct device_node *parent)
{
	struct device_node *np;

	for_each_child_of_node(parent, np) {
		if (of_property_read_bool(np, "acme,main"))
			d->np = np; // expect-warning{{krefcheck-use-after-put}}{{'np' from of_get_next_child() (line 21) is stored in 'd->np' (line 23) without a reference of its own; the next of_get_next_child() drops the only one and leaves the stored pointer dangling (of_node_get() missing)}}
	}
}

/* OK: the field takes a reference of its own. */
void isf_field_get_ok(struct isf_data *d, struct device_node *parent)
{
	struct device_node *np;

	for_each_child_of_node(parent, np) {
		if (of_property_read_bool(np, "acme,main"))
			d->np = of_node_get(np);
	}
}

/* OK: the loop is left right after the store: the iterator's reference goes to d->np. */
void isf_field_break_ok(struct isf_data *d, struct device_node *parent)
{
	struct device_node *np;

	for_each_child_of_node(parent, np) {
		if (of_property_read_bool(np, "acme,main")) {
			d->np = np;
			break;
		}
	}
}

/* BUG: the same with a global. */
void isf_global_bad(struct device_node *parent)
{
	struct device_node *np;

	for_each_child_of_node(parent, np) {
		if (of_property_read_bool(np, "acme,main"))
			isf_global_np = np; // expect-warning{{krefcheck-use-after-put}}{{'np' from of_get_next_child() (line 56) is stored in 'isf_global_np' (line 58) without a reference of its own; the next of_get_next_child() drops the only one and leaves the stored pointer dangling (of_node_get() missing)}}
	}
}

/* OK: the global keeps the node the break hands over. */
void isf_global_break_ok(struct device_node *parent)
{
	struct device_node *np;

	for_each_child_of_node(parent, np) {
		if (of_property_read_bool(np, "acme,main")) {
			isf_global_np = np;
			break;
		}
	}
}

struct isf_port {
	struct device_node *np;
	int index;
};

/* BUG (tegra_pcie_parse_dt() in 6.12): rp->np = port inside the walk, which goes on. */
int isf_parse_ports_bad(struct device *dev, struct device_node *parent)
{
	struct device_node *port;
	struct isf_port *rp;

	for_each_child_of_node(parent, port) {
		rp = devm_kzalloc(dev, sizeof(*rp), GFP_KERNEL);
		if (!rp) {
			of_node_put(port);
			return -ENOMEM;
		}
		rp->np = port; // expect-warning{{krefcheck-use-after-put}}
		rp->index = 1;
	}
	return 0;
}

/* OK: freeing a port loses no reference: its np never held one of its own (the store above
 * is the bug, not a missing put here). */
void isf_port_free(struct device *dev, struct isf_port *rp)
{
	devm_kfree(dev, rp);
}
