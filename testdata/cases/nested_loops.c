// Theme: nested for_each_* loops: leaving the inner or the outer loop early.
#include <linux/kernel.h>
#include <linux/cleanup.h>
#include <linux/errno.h>
#include <linux/of.h>

/* BUG: the inner break keeps the endpoint; the outer loop goes on. */
int nl_inner_break_bad(struct device_node *np)
{
	struct device_node *port;
	int n = 0;

	for_each_child_of_node(np, port) {
		struct device_node *ep;

		for_each_child_of_node(port, ep) {
			if (of_property_present(ep, "remote-endpoint"))
				break;
		}
		n++;
	}
	return n; // expect-warning{{krefcheck-loop-leak}}
}

/* OK: the endpoint is put before the inner break. */
int nl_inner_break_ok(struct device_node *np)
{
	struct device_node *port;
	int n = 0;

	for_each_child_of_node(np, port) {
		struct device_node *ep;

		for_each_child_of_node(port, ep) {
			if (of_property_present(ep, "remote-endpoint")) {
				of_node_put(ep);
				break;
			}
		}
		n++;
	}
	return n;
}

/* BUG: return from a scoped inner loop: the endpoint is released, the outer port is not. */
int nl_return_outer_bad(struct device_node *np)
{
	struct device_node *port;

	for_each_child_of_node(np, port) {
		for_each_child_of_node_scoped(port, ep) {
			if (!of_property_present(ep, "reg"))
				return -EINVAL; // expect-warning{{krefcheck-loop-leak}} expect-fix{{-1,2}}{{\t\t\tif (!of_property_present(ep, "reg")) {\n\t\t\t\tof_node_put(port);\n\t\t\t}}}
		}
	}
	return 0;
}

/* OK: the port is put before returning from the scoped inner loop. */
int nl_return_outer_ok(struct device_node *np)
{
	struct device_node *port;

	for_each_child_of_node(np, port) {
		for_each_child_of_node_scoped(port, ep) {
			if (!of_property_present(ep, "reg")) {
				of_node_put(port);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* OK: plain nested loops, both nodes put before the return. */
int nl_return_both_ok(struct device_node *np)
{
	struct device_node *port, *ep;

	for_each_child_of_node(np, port) {
		for_each_child_of_node(port, ep) {
			if (!of_property_present(ep, "reg")) {
				of_node_put(ep);
				of_node_put(port);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* OK: both loops run to completion. */
int nl_count_ok(struct device_node *np)
{
	struct device_node *port, *ep;
	int n = 0;

	for_each_available_child_of_node(np, port)
		for_each_available_child_of_node(port, ep)
			n++;
	return n;
}

/* BUG: the outer loop is left with break after the inner loop finished. */
int nl_outer_break_bad(struct device_node *np)
{
	struct device_node *port, *ep;
	int n = 0;

	for_each_child_of_node(np, port) {
		for_each_child_of_node(port, ep)
			n++;
		if (of_property_read_bool(port, "acme,last-port"))
			break;
	}
	return n; // expect-warning{{krefcheck-loop-leak}} expect-fix{{+0}}{{\tof_node_put(port);}}
}
