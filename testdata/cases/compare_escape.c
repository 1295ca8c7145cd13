// Theme: a pointer comparison the analyzer cannot evaluate (a container_of() of one object's
// field against a pointer of another unknown object: `ACPI_COMPANION(dev) != adev`). Clang's
// engine then makes both operands escape (no call involved); a comparison neither stores nor
// hands over a reference, so the reference held on either operand is still the function's.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <acpi/acpi_bus.h>

extern int ce_link(struct device *dev, struct acpi_device *adev);

/* OK (acpi_bind_one() "already associated" exit): the get is balanced by one put on every
 * exit but the success one, where the reference is the binding's. */
int ce_bind(struct device *dev, struct acpi_device *adev)
{
	if (!adev)
		adev = ACPI_COMPANION(dev);
	if (!adev)
		return -EINVAL;
	acpi_dev_get(adev);
	if (!ce_link(dev, adev))
		return 0;
	if (ACPI_COMPANION(dev) != adev)
		goto err;
	acpi_dev_put(adev);
	return 0;
err:
	acpi_dev_put(adev);
	return -EIO;
}

/* BUG (look-alike): the child found is compared with the companion's device; the exit where
 * they differ keeps the lookup's reference. */
int ce_child_leak(struct device *dev, const char *name)
{
	struct device *child = device_find_child_by_name(dev, name);

	if (!child)
		return -ENODEV;
	if (ce_link(child, NULL)) {
		put_device(child);
		return -EIO;
	}
	if (&ACPI_COMPANION(dev)->dev != child)
		return -EBUSY; // expect-warning{{krefcheck-leak}}{{'child' from device_find_child_by_name() (line 36) is not released on this path (put_device() missing)}}
	put_device(child);
	return 0;
}
