// Theme: a device found among the devices bound to a driver (driver_find_device*(), rule
// attribute alive_after_put) is kept by its binding: reading it after the caller's put_device()
// is not a use after put (Linux 6.12 arm_smmu_get_by_fwnode(): `put_device(dev); return dev ?
// dev_get_drvdata(dev) : NULL;`). The lookup's reference is still counted: leaks and double
// puts are reported. A bus lookup gives no such guarantee.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/fwnode.h>
#include <linux/platform_device.h>

struct bl_smmu {
	int id;
};

static struct platform_driver bl_driver;
extern const struct bus_type bl_bus;
extern int bl_use(struct device *dev);

/* OK: the binding keeps the device; its drvdata is read after the lookup's put. */
struct bl_smmu *bl_get_by_fwnode(struct fwnode_handle *fwnode)
{
	struct device *dev = driver_find_device_by_fwnode(&bl_driver.driver, fwnode);

	put_device(dev);
	return dev ? dev_get_drvdata(dev) : NULL;
}

/* BUG: a bus lookup: nothing but the put reference held the device. */
struct bl_smmu *bl_bus_get_by_fwnode(struct fwnode_handle *fwnode)
{
	struct device *dev = bus_find_device_by_fwnode(&bl_bus, fwnode);

	put_device(dev);
	return dev ? dev_get_drvdata(dev) : NULL; // expect-warning{{krefcheck-use-after-put}}
}

/* BUG: the lookup's reference is never dropped. */
int bl_probe_leak(struct fwnode_handle *fwnode)
{
	struct device *dev = driver_find_device_by_fwnode(&bl_driver.driver, fwnode);

	if (!dev)
		return -EPROBE_DEFER;
	return bl_use(dev); // expect-warning{{krefcheck-leak}}
}

/* BUG: put twice: the binding's hold is not a reference of this function. */
int bl_put_twice(struct fwnode_handle *fwnode)
{
	struct device *dev = driver_find_device_by_fwnode(&bl_driver.driver, fwnode);
	int ret;

	if (!dev)
		return -EPROBE_DEFER;
	put_device(dev);
	ret = bl_use(dev);
	put_device(dev); // expect-warning{{krefcheck-double-put}}
	return ret;
}
