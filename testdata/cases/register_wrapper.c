// Theme: a registration written out in a helper of the file (register_virtio_device()'s
// shape): device_initialize() on the parameter, then device_add() the only way to a
// `return 0`. Like device_register(): on success the registration keeps the initial
// reference; on failure the caller holds it and must put_device() it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/slab.h>

struct rw_vdev {
	struct device dev;
	int index;
};

struct rw_host {
	struct rw_vdev vdev;
	int irq;
};

int rw_index_alloc(void);
void rw_index_free(int index);
void rw_release(struct device *dev);

int rw_register_device(struct rw_vdev *vdev)
{
	int err;

	device_initialize(&vdev->dev);

	err = rw_index_alloc();
	if (err < 0)
		goto out;
	vdev->index = err;
	err = dev_set_name(&vdev->dev, "rw%d", vdev->index);
	if (err)
		goto out_index;

	err = device_add(&vdev->dev);
	if (err)
		goto out_index;

	return 0;

out_index:
	rw_index_free(vdev->index);
out:
	return err;
}

/* OK (virtio_mmio_probe()'s shape): on success the registration holds the device; on
 * failure the caller puts it. */
int rw_probe_ok(struct device *parent)
{
	struct rw_host *host;
	int rc;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	host->vdev.dev.parent = parent;
	host->vdev.dev.release = rw_release;
	rc = rw_register_device(&host->vdev);
	if (rc)
		put_device(&host->vdev.dev);
	return rc;
}

/* OK: the same through a goto, the success path returning 0. */
int rw_probe_ok_goto(struct device *parent)
{
	struct rw_host *host;
	int rc;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	host->vdev.dev.release = rw_release;
	rc = rw_register_device(&host->vdev);
	if (rc)
		goto err_put;
	return 0;

err_put:
	put_device(&host->vdev.dev);
	return rc;
}

/* BUG: nothing puts the device when the helper fails. */
int rw_probe_bad(struct device *parent)
{
	struct rw_host *host;
	int rc;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	host->vdev.dev.release = rw_release;
	rc = rw_register_device(&host->vdev);
	if (rc)
		return rc; // expect-warning{{krefcheck-leak}}{{'host' from rw_register_device() (line 98) is not released on this path (put_device() missing)}} expect-fix{{-1,2}}{{\tif (rc) {\n\t\tput_device(&host->vdev.dev);\n\t}}}
	return 0;
}
