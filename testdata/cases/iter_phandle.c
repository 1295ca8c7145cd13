// Theme: of_for_each_phandle(): the iterator's state lives in a struct; it.node holds a
// reference the next step drops. Running to the end leaves none; a break keeps it.node.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>

int ph_use(struct device_node *np);

/* OK: the loop runs to its end: the last step dropped the last node. */
int ph_count_providers(struct device_node *np)
{
	struct of_phandle_iterator it;
	int err, n = 0;

	of_for_each_phandle(&it, err, np, "clocks", "#clock-cells", 0) {
		if (ph_use(it.node))
			n++;
	}
	return n;
}

/* BUG: the break keeps it.node, never put. */
int ph_find_first(struct device_node *np)
{
	struct of_phandle_iterator it;
	int err, found = 0;

	of_for_each_phandle(&it, err, np, "clocks", "#clock-cells", 0) {
		if (ph_use(it.node)) {
			found = 1;
			break;
		}
	}
	return found; // expect-warning{{krefcheck-leak}}
}

/* OK: the node kept by the break is put. */
int ph_find_first_put(struct device_node *np)
{
	struct of_phandle_iterator it;
	int err, found = 0;

	of_for_each_phandle(&it, err, np, "clocks", "#clock-cells", 0) {
		if (ph_use(it.node)) {
			found = 1;
			of_node_put(it.node);
			break;
		}
	}
	return found;
}

/* OK: the node kept by the break is handed to the caller. */
struct device_node *ph_get_first(struct device_node *np)
{
	struct of_phandle_iterator it;
	int err;

	of_for_each_phandle(&it, err, np, "clocks", "#clock-cells", 0) {
		if (ph_use(it.node))
			return it.node;
	}
	return NULL;
}

/* BUG: the body puts the node the next step drops again. */
int ph_put_in_body(struct device_node *np)
{
	struct of_phandle_iterator it;
	int err, n = 0;

	of_for_each_phandle(&it, err, np, "clocks", "#clock-cells", 0) { // expect-warning{{krefcheck-double-put}}
		n++;
		of_node_put(it.node);
	}
	return n;
}
