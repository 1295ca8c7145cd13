// Theme: the find / unregister / put idiom (drivers/spi/spi.c of_spi_notify()): an unregister
// helper ends the registration (device_del()) and drops the registration's reference; the
// reference of the lookup that found the device is still the caller's to put.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

struct ur_device {
	struct device dev;
	int cs;
};

extern const struct bus_type ur_bus;

static struct ur_device *ur_find_by_node(struct device_node *np)
{
	struct device *dev = bus_find_device_by_of_node(&ur_bus, np);

	return dev ? container_of(dev, struct ur_device, dev) : NULL;
}

/* OK: device_del() ends the registration, put_device() drops the registration's reference. */
void ur_unregister(struct ur_device *ud)
{
	if (!ud)
		return;
	device_del(&ud->dev);
	put_device(&ud->dev);
}

/* OK: a put of the device only (not an unregistration): it drops its caller's reference. */
void ur_drop(struct ur_device *ud)
{
	put_device(&ud->dev);
}

/* OK: the unregister drops the registration's reference, the put the lookup's. */
void ur_remove_node(struct device_node *np)
{
	struct ur_device *ud = ur_find_by_node(np);

	if (!ud)
		return;
	ur_unregister(ud);
	put_device(&ud->dev);
}

/* BUG: the lookup's reference is never dropped: the unregister does not drop it. */
void ur_remove_node_leak(struct device_node *np)
{
	struct ur_device *ud = ur_find_by_node(np);

	if (!ud)
		return;
	ur_unregister(ud);
} // expect-warning{{krefcheck-leak}}

/* BUG: ur_drop() already dropped the lookup's reference. */
void ur_drop_twice(struct device_node *np)
{
	struct ur_device *ud = ur_find_by_node(np);

	if (!ud)
		return;
	ur_drop(ud);
	put_device(&ud->dev); // expect-warning{{krefcheck-double-put}}
}
