// Theme: acpi_dev_get()/acpi_dev_put(), static inline wrappers of get_device()/put_device() on
// the struct device embedded in struct acpi_device (rules/device.json names them, so the rules
// decide, whatever the header's body looks like).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <acpi/acpi_bus.h>

extern int ad_link(struct device *dev, struct acpi_device *adev);

/* OK (acpi_bind_one() shape): the get and the put on the failure exit balance; on success
 * the reference is the caller's (a get on an object the caller gave). */
int ad_bind(struct device *dev, struct acpi_device *adev)
{
	if (!adev)
		return -EINVAL;
	acpi_dev_get(adev);
	if (ad_link(dev, adev)) {
		acpi_dev_put(adev);
		return -EIO;
	}
	return 0;
}

/* OK (acpi_bind_one() with no companion given): the get is on the device's companion or on
 * the caller's object; the failure exit's put balances it. Not "a parameter released on one
 * failure exit but not on another". */
int ad_bind_companion(struct device *dev, struct acpi_device *adev)
{
	if (has_acpi_companion(dev)) {
		if (adev)
			return -EINVAL;
		adev = ACPI_COMPANION(dev);
	}
	if (!adev)
		return -EINVAL;
	acpi_dev_get(adev);
	if (ad_link(dev, adev)) {
		acpi_dev_put(adev);
		return -EIO;
	}
	return 0;
}

/* BUG: a local reference taken with acpi_dev_get() is not dropped on the error return. */
int ad_probe_bad(struct acpi_device *parent)
{
	struct acpi_device *adev = acpi_dev_get(parent);

	if (!adev)
		return -ENODEV;
	if (ad_link(&adev->dev, adev))
		return -EIO; // expect-warning{{krefcheck-leak}}{{'adev' from acpi_dev_get() (line 48) is not released on this path (put_device() missing)}}
	acpi_dev_put(adev);
	return 0;
}
