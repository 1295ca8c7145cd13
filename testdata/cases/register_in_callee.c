// Theme: an object registered by a same-file helper (device_add() inside it): when the helper
// returns 0 the registration holds the initial reference; when it fails the caller still
// owns it and must put it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/slab.h>

struct rc_bus {
	struct device *bridge;
	int nr;
};

struct rc_host {
	struct device dev;
	struct rc_bus *bus;
	int nr;
};

int rc_find_domain(struct rc_host *host);
void rc_release(struct device *dev);

/* The bus's release drops the reference its field holds (as pci_release_bus() does). */
void rc_bus_release(struct rc_bus *bus)
{
	put_device(bus->bridge);
	kfree(bus);
}

/* The helper: registers host->dev and takes one more reference for the bus's field. */
static int rc_register(struct rc_host *host)
{
	struct rc_bus *bus;
	int err;

	bus = kzalloc(sizeof(*bus), GFP_KERNEL);
	if (!bus)
		return -ENOMEM;
	host->bus = bus;
	err = rc_find_domain(host);
	if (err)
		goto free;
	err = device_add(&host->dev);
	if (err)
		goto free;
	bus->bridge = get_device(&host->dev);
	if (host->nr < 0) {
		err = -EINVAL;
		goto unregister;
	}
	return 0;

unregister:
	put_device(&host->dev);
	device_del(&host->dev);
free:
	host->bus = NULL;
	kfree(bus);
	return err;
}

/* OK: registered on success; put when the helper fails. */
struct rc_bus *rc_create_ok(struct device *parent)
{
	struct rc_host *host;
	int error;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return NULL;
	host->dev.parent = parent;
	host->dev.release = rc_release;
	device_initialize(&host->dev);
	error = rc_register(host);
	if (error < 0)
		goto err_out;
	return host->bus;

err_out:
	put_device(&host->dev);
	return NULL;
}

/* BUG: the same, but nothing puts the host when the helper fails. */
struct rc_bus *rc_create_bad(struct device *parent)
{
	struct rc_host *host;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return NULL;
	host->dev.parent = parent;
	host->dev.release = rc_release;
	device_initialize(&host->dev);
	if (rc_register(host) < 0)
		return NULL; // expect-warning{{krefcheck-leak}}
	return host->bus;
}
