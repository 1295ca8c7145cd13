// Theme: struct device lifetime: device_initialize()/device_add()/device_register() failures, device lookups.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct dr_bus {
	struct device dev;
	struct dr_child *last;
};

struct dr_child {
	struct device dev;
	int id;
};

struct dr_priv {
	struct device *peer;
};

extern const struct bus_type dr_bus_type;
extern const struct class dr_class;
extern struct device_driver dr_driver;

/* the release callback frees the child (not an entry point) */
static void dr_child_release(struct device *dev)
{
	kfree(container_of(dev, struct dr_child, dev));
}

static int dr_match_id(struct device *dev, void *data)
{
	return dev->id == *(u32 *)data;
}

/* OK: device_register() failure is undone with put_device(). */
int dr_register_ok(struct dr_bus *bus, int id)
{
	struct dr_child *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->dev.parent = &bus->dev;
	c->dev.release = dr_child_release;
	ret = device_register(&c->dev);
	if (ret) {
		put_device(&c->dev);
		return ret;
	}
	bus->last = c;
	return 0;
}

/* BUG: kfree() after a failed device_register(); the reference must be dropped with put_device(). */
int dr_register_kfree_bad(struct dr_bus *bus, int id)
{
	struct dr_child *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->dev.parent = &bus->dev;
	c->dev.release = dr_child_release;
	ret = device_register(&c->dev);
	if (ret) {
		kfree(c); // expect-warning{{krefcheck-wrong-release}}{{'c' from device_register() (line 70) is a counted reference: free it with put_device(), not kfree()}}
		return ret;
	}
	bus->last = c;
	return 0;
}

/* BUG: a failed device_register() still leaves a reference that nobody drops. */
int dr_register_leak_bad(struct dr_bus *bus, int id)
{
	struct dr_child *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->dev.parent = &bus->dev;
	c->dev.release = dr_child_release;
	ret = device_register(&c->dev);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}{{'c' from device_register() (line 91) is not released on this path (put_device() missing)}} expect-fix{{-1,2}}{{\tif (ret) {\n\t\tput_device(&c->dev);\n\t}}}
	bus->last = c;
	return 0;
}

/* OK: device_initialize() + device_add(), put_device() on every failure. */
int dr_init_add_ok(struct dr_bus *bus, int id)
{
	struct dr_child *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	device_initialize(&c->dev);
	c->id = id;
	c->dev.parent = &bus->dev;
	c->dev.release = dr_child_release;
	ret = dev_set_name(&c->dev, "acme%d", id);
	if (ret)
		goto err_put;
	ret = device_add(&c->dev);
	if (ret)
		goto err_put;
	bus->last = c;
	return 0;

err_put:
	put_device(&c->dev);
	return ret;
}

/* BUG: kfree() after device_initialize(). */
int dr_init_kfree_bad(struct dr_bus *bus, int id)
{
	struct dr_child *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	device_initialize(&c->dev);
	c->id = id;
	c->dev.parent = &bus->dev;
	c->dev.release = dr_child_release;
	ret = dev_set_name(&c->dev, "acme%d", id);
	if (ret) {
		kfree(c); // expect-warning{{krefcheck-wrong-release}}{{'c' from device_initialize() (line 134) is a counted reference: free it with put_device(), not kfree()}}
		return ret;
	}
	ret = device_add(&c->dev);
	if (ret) {
		put_device(&c->dev);
		return ret;
	}
	bus->last = c;
	return 0;
}

/* OK: kfree() before device_initialize() is plain memory. */
int dr_kfree_before_init_ok(struct dr_bus *bus, int id)
{
	struct dr_child *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	if (id < 0) {
		kfree(c);
		return -EINVAL;
	}
	c->id = id;
	c->dev.parent = &bus->dev;
	c->dev.release = dr_child_release;
	ret = device_register(&c->dev);
	if (ret) {
		put_device(&c->dev);
		return ret;
	}
	bus->last = c;
	return 0;
}

/* OK: teardown of a registered child (nothing acquired here). */
void dr_remove_ok(struct dr_bus *bus)
{
	if (bus->last)
		device_unregister(&bus->last->dev);
	bus->last = NULL;
}

/* OK: device_find_child() result is put. */
int dr_find_child_ok(struct dr_bus *bus, u32 id)
{
	struct device *dev;
	int ret;

	dev = device_find_child(&bus->dev, &id, dr_match_id);
	if (!dev)
		return -ENODEV;
	ret = dev->driver ? 0 : -EPROBE_DEFER;
	put_device(dev);
	return ret;
}

/* BUG: device_find_child() result leaked when there is no driver. */
int dr_find_child_bad(struct dr_bus *bus, u32 id)
{
	struct device *dev;

	dev = device_find_child(&bus->dev, &id, dr_match_id);
	if (!dev)
		return -ENODEV;
	if (!dev->driver)
		return -EPROBE_DEFER; // expect-warning{{krefcheck-leak}}{{'dev' from device_find_child() (line 204) is not released on this path (put_device() missing)}} expect-fix{{-1,2}}{{\tif (!dev->driver) {\n\t\tput_device(dev);\n\t}}}
	put_device(dev);
	return 0;
}

/* OK: class lookup by name, put. */
int dr_class_lookup_ok(const char *name)
{
	struct device *dev;
	int id;

	dev = class_find_device_by_name(&dr_class, name);
	if (!dev)
		return -ENODEV;
	id = dev->id;
	put_device(dev);
	return id;
}

/* BUG: class lookup by node leaked on the parent check. */
int dr_class_lookup_bad(struct device_node *np)
{
	struct device *dev;

	dev = class_find_device_by_of_node(&dr_class, np);
	if (!dev)
		return -ENODEV;
	if (!dev->parent)
		return -ENODEV; // expect-warning{{krefcheck-leak}}{{'dev' from class_find_device_by_of_node() (line 232) is not released on this path (put_device() missing)}} expect-fix{{-1,2}}{{\tif (!dev->parent) {\n\t\tput_device(dev);\n\t}}}
	put_device(dev);
	return 0;
}

/* OK: driver lookup, result kept in priv. */
int dr_driver_lookup_ok(struct dr_priv *priv, struct device_node *np)
{
	struct device *dev;

	dev = driver_find_device_by_of_node(&dr_driver, np);
	if (!dev)
		return -EPROBE_DEFER;
	priv->peer = dev;
	return 0;
}

/* OK: bus lookup by name, put. */
int dr_bus_lookup_ok(const char *name)
{
	struct device *dev;
	bool bound;

	dev = bus_find_device_by_name(&dr_bus_type, NULL, name);
	if (!dev)
		return -ENODEV;
	bound = dev->driver != NULL;
	put_device(dev);
	return bound ? 0 : -EPROBE_DEFER;
}

/* BUG: get_device() on a parameter, not dropped on the early exit. */
int dr_get_device_bad(struct dr_priv *priv, struct device *dev)
{
	struct device *d = get_device(dev);

	if (!d->driver)
		return -EPROBE_DEFER; // expect-warning{{krefcheck-leak}}{{'d' from get_device() (line 270) is not released on this path (put_device() missing)}} expect-fix{{-1,2}}{{\tif (!d->driver) {\n\t\tput_device(d);\n\t}}}
	priv->peer = d;
	return 0;
}

/* OK: bus lookup while holding a node reference; the node is only passed as match data. */
int dr_bus_lookup_node_ok(struct device *parent)
{
	struct device_node *np;
	struct device *dev;

	np = of_get_child_by_name(parent->of_node, "companion");
	if (!np)
		return -ENODEV;
	dev = bus_find_device_by_of_node(&dr_bus_type, np);
	of_node_put(np);
	if (!dev)
		return -EPROBE_DEFER;
	put_device(dev);
	return 0;
}

/* OK: the remove path releases the reference the functions above store in the field. */
void dr_release_fields(struct dr_priv *p)
{
	put_device(p->peer);
}
