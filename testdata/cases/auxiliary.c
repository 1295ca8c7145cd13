// Theme: auxiliary_device_init()/auxiliary_device_add()/auxiliary_device_uninit(): device_add()'s contract.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/auxiliary_bus.h>

/* the release callback frees the object (not an entry point) */
static void ax_release(struct device *dev)
{
	kfree(to_auxiliary_dev(dev));
}

/* OK: the documented sequence (include/linux/auxiliary_bus.h). */
int ax_create_ok(struct device *parent, struct auxiliary_device **out)
{
	struct auxiliary_device *adev;
	int ret;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev)
		return -ENOMEM;
	adev->name = "ax";
	adev->dev.parent = parent;
	adev->dev.release = ax_release;

	ret = auxiliary_device_init(adev);
	if (ret) {
		kfree(adev);
		return ret;
	}

	ret = auxiliary_device_add(adev);
	if (ret) {
		auxiliary_device_uninit(adev);
		return ret;
	}

	*out = adev;
	return 0;
}

/* BUG: a failed auxiliary_device_add() leaves the reference of auxiliary_device_init(). */
int ax_add_fail_bad(struct device *parent, struct auxiliary_device **out)
{
	struct auxiliary_device *adev;
	int ret;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev)
		return -ENOMEM;
	adev->name = "ax";
	adev->dev.parent = parent;
	adev->dev.release = ax_release;

	ret = auxiliary_device_init(adev);
	if (ret) {
		kfree(adev);
		return ret;
	}

	ret = auxiliary_device_add(adev);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}

	*out = adev;
	return 0;
}

/* BUG: kfree() once the device is initialised: the release callback must free it. */
int ax_add_fail_kfree_bad(struct device *parent, struct auxiliary_device **out)
{
	struct auxiliary_device *adev;
	int ret;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev)
		return -ENOMEM;
	adev->name = "ax";
	adev->dev.parent = parent;
	adev->dev.release = ax_release;

	ret = auxiliary_device_init(adev);
	if (ret) {
		kfree(adev);
		return ret;
	}

	ret = auxiliary_device_add(adev);
	if (ret) {
		kfree(adev); // expect-warning{{krefcheck-wrong-release}}
		return ret;
	}

	*out = adev;
	return 0;
}

/* OK: teardown: delete, then drop the reference. */
void ax_destroy_ok(void *data)
{
	struct auxiliary_device *adev = data;

	auxiliary_device_delete(adev);
	auxiliary_device_uninit(adev);
}
