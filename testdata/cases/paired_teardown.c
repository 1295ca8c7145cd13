// Theme: a field the file fills with an owned reference in one function and releases in its
// paired teardown (i2c_new_client_device() / i2c_unregister_device()): the object owns it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>

struct pt_client {
	struct device dev;
	int addr;
};

struct pt_bus {
	struct device dev;
};

struct pt_port {
	struct device dev;
};

struct pt_mux_priv {
	struct pt_port port;
	int chan;
};

struct pt_wrap {
	struct pt_client client;
};

struct pt_other {
	struct device dev;
};

int pt_register(struct device *dev);

/* OK: the registration stores its own reference in client->dev.of_node. */
int pt_new_client(struct pt_client *client, struct device_node *np)
{
	client->dev.of_node = of_node_get(np);
	return pt_register(&client->dev);
}

/* OK: the paired teardown drops the reference pt_new_client() stored. */
void pt_unregister_client(struct pt_client *client)
{
	if (client->dev.of_node)
		of_node_put(client->dev.of_node);
}

/* OK: a setter rule (device_set_node) stores a reference the function took itself. */
void pt_bus_set_node(struct pt_bus *bus, struct device_node *parent)
{
	struct device_node *node = of_get_child_by_name(parent, "bus");

	device_set_node(&bus->dev, of_fwnode_handle(node));
}

/* OK: ... and the release puts it. */
void pt_bus_release_node(struct pt_bus *bus)
{
	of_node_put(bus->dev.of_node);
	device_set_node(&bus->dev, NULL);
}

/* OK: the mux stores an iterator's node (kept by the break) in priv->port.dev.of_node. */
void pt_mux_add(struct pt_mux_priv *priv, struct device_node *mux_node)
{
	struct device_node *child;

	for_each_child_of_node(mux_node, child) {
		if (of_property_read_bool(child, "acme,chan"))
			break;
	}
	priv->port.dev.of_node = child;
}

/* OK: the teardown reaches the same kind of object through a pointer to it. */
void pt_mux_del(struct pt_port *port)
{
	struct device_node *np = port->dev.of_node;

	of_node_put(np);
}

/* BUG: this file only ever fills other->dev.of_node with a borrowed pointer. */
void pt_other_init(struct pt_other *other, struct device *parent)
{
	other->dev.of_node = parent->of_node;
}

void pt_other_remove_bad(struct pt_other *other)
{
	of_node_put(other->dev.of_node); // expect-warning{{krefcheck-put-unowned}}{{of_node_put() releases 'other->dev.of_node', a reference this function does not hold (no matching get)}}
}

/* BUG: a plain struct device's of_node names no kind of object: still not this function's,
 * although pt_new_client() stores a reference into some device's of_node. */
void pt_plain_remove_bad(struct device *dev)
{
	of_node_put(dev->of_node); // expect-warning{{krefcheck-put-unowned}}
}

struct pt_pcidev {
	struct device dev;
	int devfn;
};

struct pt_pcidev2 {
	struct device dev;
	int devfn;
};

/* OK: the setter stores the __free() node, handed over with no_free_ptr() (the shape of
 * drivers/pci/of.c pci_set_of_node()). */
int pt_pci_set_node(struct pt_pcidev *pdev, struct device_node *bus_np)
{
	struct device_node *node __free(device_node) = of_get_child_by_name(bus_np, "dev");

	if (!node)
		return 0;
	device_set_node(&pdev->dev, of_fwnode_handle(no_free_ptr(node)));
	return 0;
}

/* OK: ... and its paired teardown (pci_release_of_node()) puts it. */
void pt_pci_release_node(struct pt_pcidev *pdev)
{
	of_node_put(pdev->dev.of_node);
	device_set_node(&pdev->dev, NULL);
}

/* Gives pdev2 only the node it was lent. */
void pt_pci2_set_node(struct pt_pcidev2 *pdev, struct device_node *np)
{
	struct device_node *node = np;

	device_set_node(&pdev->dev, of_fwnode_handle(node));
}

/* BUG: the look-alike's setter stored a borrowed node: this put is not the device's. */
void pt_pci2_release_node(struct pt_pcidev2 *pdev)
{
	of_node_put(pdev->dev.of_node); // expect-warning{{krefcheck-put-unowned}}
	device_set_node(&pdev->dev, NULL);
}

struct pt_aux_ep {
	struct device dev;
	int id;
};

struct pt_aux_ep2 {
	struct device dev;
	int id;
};

static const struct bus_type pt_aux_bus_type;
static const struct bus_type pt_aux2_bus_type;

/* Registers an endpoint device that owns a reference on its node. */
int pt_aux_populate(struct pt_aux_ep *ep, struct device_node *np)
{
	ep->dev.bus = &pt_aux_bus_type;
	ep->dev.of_node = of_node_get(np);
	return device_register(&ep->dev);
}

/*
 * OK: the destroy callback (device_for_each_child()) first tests that the device is one of
 * those endpoints, then drops the node reference the populate step gave it (the shape of
 * drivers/gpu/drm/display/drm_dp_aux_bus.c of_dp_aux_ep_destroy()).
 */
int pt_aux_destroy(struct device *dev, void *data)
{
	struct device_node *np = dev->of_node;

	if (dev->bus != &pt_aux_bus_type)
		return 0;
	of_node_put(np);
	device_unregister(dev);
	return 0;
}

/* BUG: no kind test: any child device's node is put. */
int pt_aux_destroy_any(struct device *dev, void *data)
{
	of_node_put(dev->of_node); // expect-warning{{krefcheck-put-unowned}}{{of_node_put() releases 'dev->of_node', a reference this function does not hold (no matching get)}}
	device_unregister(dev);
	return 0;
}

/* BUG: the put comes before the test. */
int pt_aux_destroy_early(struct device *dev, void *data)
{
	of_node_put(dev->of_node); // expect-warning{{krefcheck-put-unowned}}
	if (dev->bus != &pt_aux_bus_type)
		return 0;
	device_unregister(dev);
	return 0;
}

/* Registers the look-alike endpoint with the node it was lent, no reference of its own. */
int pt_aux2_populate(struct pt_aux_ep2 *ep, struct device_node *np)
{
	ep->dev.bus = &pt_aux2_bus_type;
	ep->dev.of_node = np;
	return device_register(&ep->dev);
}

/* BUG: the look-alike's devices hold a borrowed node: this put is not theirs. */
int pt_aux2_destroy(struct device *dev, void *data)
{
	struct device_node *np = dev->of_node;

	if (dev->bus != &pt_aux2_bus_type)
		return 0;
	of_node_put(np); // expect-warning{{krefcheck-put-unowned}}{{of_node_put() releases 'np', a reference this function does not hold (no matching get)}}
	device_unregister(dev);
	return 0;
}
