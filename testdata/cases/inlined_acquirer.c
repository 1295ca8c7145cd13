// Theme: a reference returned by a same-file function that is inlined (no summary: it
// converts the object, or returns from inside a scoped loop): for the caller it is acquired
// by that call, named after that function, and a plain leak (the callee's loop is left
// behind when it returns).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/of.h>
#include <linux/cleanup.h>
#include <linux/container_of.h>

extern int ih_match(struct device *dev, const void *data);
extern const struct bus_type ih_bus;
struct i2c_board_info;
extern int ih_new_client(struct i2c_adapter *adap, struct i2c_board_info *info);
extern struct i2c_adapter *i2c_verify_adapter(struct device *dev);

struct i2c_adapter *ih_find_adapter(void *handle)
{
	struct i2c_adapter *adapter;
	struct device *dev;

	dev = bus_find_device(&ih_bus, NULL, handle, ih_match);
	if (!dev)
		return NULL;

	adapter = i2c_verify_adapter(dev);
	if (!adapter)
		put_device(dev);

	return adapter;
}

/* BUG: the adapter the helper returns holds a bus_find_device() reference. */
int ih_new_device_bad(void *handle, struct i2c_board_info *info)
{
	struct i2c_adapter *adapter;

	adapter = ih_find_adapter(handle);
	if (!adapter)
		return -EPROBE_DEFER;

	return ih_new_client(adapter, info); // expect-warning{{krefcheck-leak}}{{'adapter' from ih_find_adapter() (line 41) is not released on this path (put_device() missing)}}
}

/* OK: the same, and the adapter is put once the client holds its own reference. */
int ih_new_device_ok(void *handle, struct i2c_board_info *info)
{
	struct i2c_adapter *adapter;
	int ret;

	adapter = ih_find_adapter(handle);
	if (!adapter)
		return -EPROBE_DEFER;

	ret = ih_new_client(adapter, info);
	put_device(&adapter->dev);
	return ret;
}

struct ih_zone { int id; };

static struct device_node *ih_zone_find(int id)
{
	struct device_node *np, *tz;
	u32 v;

	np = of_find_node_by_name(NULL, "zones");
	if (!np)
		return ERR_PTR(-ENODEV);

	for_each_available_child_of_node_scoped(np, child) {
		if (of_property_read_u32(child, "id", &v)) {
			tz = ERR_PTR(-EINVAL);
			goto out;
		}
		if (v == id) {
			tz = no_free_ptr(child);
			goto out;
		}
	}
	tz = ERR_PTR(-ENODEV);
out:
	of_node_put(np);
	return tz;
}

/* OK: the same, and the zone node is put. */
int ih_zone_register_ok(int id, struct ih_zone *z)
{
	struct device_node *np;

	np = ih_zone_find(id);
	if (IS_ERR(np))
		return PTR_ERR(np);
	z->id = id;
	of_node_put(np);
	return 0;
}

/* BUG: the zone node the helper returns from its loop is never put. */
int ih_zone_register_bad(int id, struct ih_zone *z)
{
	struct device_node *np;

	np = ih_zone_find(id);
	if (IS_ERR(np))
		return PTR_ERR(np);
	z->id = id;
	return 0; // expect-warning{{krefcheck-leak}}{{'np' from ih_zone_find() (line 108) is not released on this path (of_node_put() missing)}}
}

struct ih_rdev {
	int id;
	struct device dev;
};
#define dev_to_ih_rdev(d) container_of(d, struct ih_rdev, dev)
extern const struct bus_type ih_rbus;

static struct ih_rdev *ih_lookup_by_name(const char *name)
{
	struct device *dev;

	dev = bus_find_device(&ih_rbus, NULL, name, ih_match);
	if (!dev)
		return NULL;
	return dev_to_ih_rdev(dev);
}

/* OK: the device the lookup returns (through container_of()) is put on every path. */
int ih_resolve_ok(struct ih_rdev *rdev, const char *name)
{
	struct ih_rdev *r;

	r = ih_lookup_by_name(name);
	if (!r)
		return -EPROBE_DEFER;
	if (r->id == rdev->id) {
		put_device(&r->dev);
		return -EINVAL;
	}
	put_device(&r->dev);
	return 0;
}

/* BUG: the lookup's reference (returned through container_of()) leaks when the ids match. */
int ih_resolve_bad(struct ih_rdev *rdev, const char *name)
{
	struct ih_rdev *r;

	r = ih_lookup_by_name(name);
	if (!r)
		return -EPROBE_DEFER;
	if (r->id == rdev->id)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	put_device(&r->dev);
	return 0;
}
