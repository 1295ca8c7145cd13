// Theme: OF graph and fwnode graph: endpoints, remote ports and their parents.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/of_graph.h>
#include <linux/property.h>

/* BUG: break out of for_each_endpoint_of_node keeps the endpoint. */
int gr_endpoint_break_bad(struct device_node *np)
{
	struct device_node *ep;
	bool connected = false;

	for_each_endpoint_of_node(np, ep) {
		connected = of_graph_is_present(ep);
		if (connected)
			break;
	}
	return connected ? 1 : 0; // expect-warning{{krefcheck-loop-leak}}
}

/* OK: the endpoint is put before the break. */
int gr_endpoint_break_ok(struct device_node *np)
{
	struct device_node *ep;
	bool connected = false;

	for_each_endpoint_of_node(np, ep) {
		connected = of_graph_is_present(ep);
		if (connected) {
			of_node_put(ep);
			break;
		}
	}
	return connected ? 1 : 0;
}

/* OK: of_graph_get_remote_node() result checked and put. */
int gr_remote_node_ok(struct device_node *np)
{
	struct device_node *remote;
	int ret = 0;

	remote = of_graph_get_remote_node(np, 0, 0);
	if (!remote)
		return -ENODEV;
	if (!of_device_is_compatible(remote, "acme,panel"))
		ret = -EINVAL;
	of_node_put(remote);
	return ret;
}

/* BUG: of_graph_get_remote_port_parent() result leaked on the compatible check. */
int gr_remote_parent_bad(struct device_node *ep)
{
	struct device_node *remote;

	remote = of_graph_get_remote_port_parent(ep);
	if (!remote)
		return -ENODEV;
	if (!of_device_is_compatible(remote, "acme,bridge"))
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	of_node_put(remote);
	return 0;
}

/* OK: endpoint by regs, then its remote parent; both put. */
struct device_node *gr_remote_by_regs_ok(struct device_node *np)
{
	struct device_node *ep, *remote;

	ep = of_graph_get_endpoint_by_regs(np, 1, -1);
	if (!ep)
		return NULL;
	remote = of_graph_get_remote_port_parent(ep);
	of_node_put(ep);
	return remote;
}

/* BUG: of_graph_get_remote_port_parent() borrows the endpoint; the endpoint leaks. */
struct device_node *gr_remote_by_regs_bad(struct device_node *np)
{
	struct device_node *ep;

	ep = of_graph_get_endpoint_by_regs(np, 1, -1);
	if (!ep)
		return NULL;
	return of_graph_get_remote_port_parent(ep); // expect-warning{{krefcheck-leak}}
}

/* OK: remote endpoint and its port parent (which borrows its argument), both put. */
int gr_remote_endpoint_ok(struct device_node *ep)
{
	struct device_node *rep, *parent;
	bool avail;

	rep = of_graph_get_remote_endpoint(ep);
	if (!rep)
		return -ENODEV;
	parent = of_graph_get_port_parent(rep);
	of_node_put(rep);
	if (!parent)
		return -ENODEV;
	avail = of_device_is_available(parent);
	of_node_put(parent);
	return avail ? 0 : -ENODEV;
}

/* OK: open-coded of_graph_get_next_endpoint() walk to the end. */
int gr_count_endpoints_ok(struct device_node *np)
{
	struct device_node *ep = NULL;
	int n = 0;

	while ((ep = of_graph_get_next_endpoint(np, ep)) != NULL)
		n++;
	return n;
}

/* BUG: return from fwnode_graph_for_each_endpoint keeps the endpoint. */
int gr_fwnode_endpoint_return_bad(struct device *dev)
{
	struct fwnode_handle *ep;
	struct fwnode_endpoint fwep;

	fwnode_graph_for_each_endpoint(dev_fwnode(dev), ep) {
		if (fwnode_graph_parse_endpoint(ep, &fwep))
			return -EINVAL; // expect-warning{{krefcheck-loop-leak}}
	}
	return 0;
}

/* OK: fwnode remote port parent put. */
int gr_fwnode_remote_ok(struct fwnode_handle *ep)
{
	struct fwnode_handle *remote;
	bool avail;

	remote = fwnode_graph_get_remote_port_parent(ep);
	if (!remote)
		return -ENODEV;
	avail = fwnode_device_is_available(remote);
	fwnode_handle_put(remote);
	return avail ? 0 : -ENODEV;
}

/* OK: fwnode endpoint by id, its remote endpoint, both put. */
int gr_fwnode_by_id_ok(struct device *dev)
{
	struct fwnode_handle *ep, *rep;

	ep = fwnode_graph_get_endpoint_by_id(dev_fwnode(dev), 0, 0, 0);
	if (!ep)
		return -ENODEV;
	rep = fwnode_graph_get_remote_endpoint(ep);
	fwnode_handle_put(ep);
	if (!rep)
		return -ENOTSUPP;
	fwnode_handle_put(rep);
	return 0;
}
