// Theme: a pointer whose last reference is gone, used only as a value to compare with (a
// lookup key: drivers/hte/hte.c of_node_to_htedevice(), device_match_fwnode() in
// drivers/media/v4l2-core/v4l2-subdev.c): no use of the object. Reading through it still is.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>
#include <linux/slab.h>

struct co_provider {
	struct device *dev;
};

static struct co_provider co_providers[4];

/* Compares np with each provider's node (device_match_of_node()), never reads it. */
static struct co_provider *co_find(struct device_node *np)
{
	int i;

	for (i = 0; i < 4; i++)
		if (co_providers[i].dev && device_match_of_node(co_providers[i].dev, np))
			return &co_providers[i];
	return NULL;
}

/* Compares np itself, never reads it. */
static struct co_provider *co_find_direct(struct device_node *np)
{
	int i;

	for (i = 0; i < 4; i++)
		if (co_providers[i].dev && co_providers[i].dev->of_node == np)
			return &co_providers[i];
	return NULL;
}

/* Compares np, and reads it to print it. */
static struct co_provider *co_find_verbose(struct device_node *np)
{
	int i;

	for (i = 0; i < 4; i++)
		if (co_providers[i].dev && co_providers[i].dev->of_node == np)
			return &co_providers[i];
	pr_info("no provider for %s\n", np->full_name);
	return NULL;
}

/* OK: the stale pointer is only a lookup key. */
struct co_provider *co_get(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);

	if (!np)
		return NULL;
	of_node_put(np);
	return co_find(np);
}

/* OK: the same, the helper compares it directly. */
struct co_provider *co_get_direct(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);

	if (!np)
		return NULL;
	of_node_put(np);
	return co_find_direct(np);
}

/* OK: device_match_fwnode() compares the fwnode with the device's, nothing else. */
int co_is_port_parent(struct device *dev, struct fwnode_handle *ep)
{
	struct fwnode_handle *fwnode = fwnode_graph_get_port_parent(ep);

	fwnode_handle_put(fwnode);
	return device_match_fwnode(dev, fwnode);
}

/* BUG: the helper reads the node it was given. */
struct co_provider *co_get_verbose(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);

	if (!np)
		return NULL;
	of_node_put(np);
	return co_find_verbose(np); // expect-warning{{krefcheck-use-after-put}}
}

/* BUG: a lookup by the stale node, then a property read of it. */
struct co_provider *co_get_then_read(struct device_node *node)
{
	struct device_node *np = of_parse_phandle(node, "provider", 0);
	struct co_provider *p;

	if (!np)
		return NULL;
	of_node_put(np);
	p = co_find(np);
	if (p && of_property_read_bool(np, "shared")) // expect-warning{{krefcheck-use-after-put}}
		return NULL;
	return p;
}

/*
 * A helper that only compares one pointer (intf) but works on another object (serial) is
 * still run for what it does to that object: the ports serial->port[] holds are the ones
 * co_serial_destroy() puts (drivers/usb/serial/usb-serial.c usb_serial_probe(),
 * release_sibling() then usb_serial_put() on a port allocation failure).
 */
struct co_port {
	struct device dev;
};

struct co_serial {
	struct device *iface;
	struct device *sibling;
	int num_ports;
	struct co_port *port[4];
};

void co_release_interface(struct device *dev);

static void co_release_sibling(struct co_serial *serial, struct device *intf)
{
	struct device *sibling;

	if (!serial->sibling)
		return;
	if (intf == serial->sibling)
		sibling = serial->iface;
	else
		sibling = serial->sibling;
	co_release_interface(sibling);
}

static void co_serial_destroy(struct co_serial *serial)
{
	int i;

	for (i = 0; i < serial->num_ports; ++i)
		if (serial->port[i])
			put_device(&serial->port[i]->dev);
	kfree(serial);
}

/* OK: each initialised port is in serial->port[], which the error path's destroy puts. */
int co_serial_probe(struct device *intf, struct device *sibling)
{
	struct co_serial *serial;
	struct co_port *port;
	int i;

	serial = kzalloc(sizeof(*serial), GFP_KERNEL);
	if (!serial)
		return -ENOMEM;
	serial->iface = intf;
	serial->sibling = sibling;
	serial->num_ports = 2;
	for (i = 0; i < serial->num_ports; ++i) {
		port = kzalloc(sizeof(*port), GFP_KERNEL);
		if (!port)
			goto err_free;
		serial->port[i] = port;
		device_initialize(&port->dev);
	}
	dev_set_drvdata(intf, serial);
	return 0;

err_free:
	co_release_sibling(serial, intf);
	co_serial_destroy(serial);
	return -ENOMEM;
}

int co_port_setup(struct co_port *port);

/* BUG: a port that fails its setup before it is stored in serial->port[] is never put. */
int co_serial_probe_unstored(struct device *intf, struct device *sibling)
{
	struct co_serial *serial;
	struct co_port *port;

	serial = kzalloc(sizeof(*serial), GFP_KERNEL);
	if (!serial)
		return -ENOMEM;
	serial->iface = intf;
	serial->sibling = sibling;
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		goto err_free;
	device_initialize(&port->dev);
	if (co_port_setup(port))
		goto err_free;
	serial->port[0] = port;
	serial->num_ports = 1;
	dev_set_drvdata(intf, serial);
	return 0;

err_free:
	co_release_sibling(serial, intf);
	co_serial_destroy(serial);
	return -ENOMEM; // expect-warning{{krefcheck-leak}}
}
