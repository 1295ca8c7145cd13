// Theme: a reference returned or used through the structure that embeds the object
// (to_auxiliary_dev(dev), a static inline container_of()).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/auxiliary_bus.h>

/* OK: the bus_find_device() reference goes to the caller as the embedding auxiliary_device. */
struct auxiliary_device *cr_find_aux(struct device *start, const void *data,
				     int (*match)(struct device *dev, const void *data))
{
	struct device *dev;

	dev = bus_find_device(&auxiliary_bus_type, start, data, match);
	if (!dev)
		return NULL;
	return to_auxiliary_dev(dev);
}

/* OK: the caller of the helper above puts the device it was given. */
int cr_aux_id_ok(struct device *start, const void *data,
		 int (*match)(struct device *dev, const void *data))
{
	struct auxiliary_device *adev = cr_find_aux(start, data, match);
	u32 id;

	if (!adev)
		return -ENODEV;
	id = adev->id;
	put_device(&adev->dev);
	return id;
}

/* BUG: the lookup's reference is lost on the error return; the converted pointer is the same
 * object. */
int cr_aux_name_bad(struct device *start, const void *data,
		    int (*match)(struct device *dev, const void *data))
{
	struct device *dev = bus_find_device(&auxiliary_bus_type, start, data, match);
	struct auxiliary_device *adev;

	if (!dev)
		return -ENODEV;
	adev = to_auxiliary_dev(dev);
	if (!adev->name)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	put_device(&adev->dev);
	return 0;
}
