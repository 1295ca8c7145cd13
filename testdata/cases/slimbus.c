// Theme: of_slim_get_device() returns a device reference (device_find_child()).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/slimbus.h>

struct sb_codec {
	struct slim_device *slim_ifc_dev;
	int ready;
};

struct sb_keep {
	struct slim_device *slim_ifc_dev;
	int ready;
};

/* BUG: the interface device is kept in wcd->slim_ifc_dev and nothing in this file puts it. */
int sb_status_bad(struct slim_device *sdev, struct sb_codec *wcd, struct device_node *np)
{
	wcd->slim_ifc_dev = of_slim_get_device(sdev->ctrl, np);
	if (!wcd->slim_ifc_dev)
		return -EINVAL;
	slim_get_logical_addr(wcd->slim_ifc_dev);
	return 0; // expect-warning{{krefcheck-leak}}
}

/* OK: the same, and sb_keep_remove() drops the reference. */
int sb_status_ok(struct slim_device *sdev, struct sb_keep *wcd, struct device_node *np)
{
	wcd->slim_ifc_dev = of_slim_get_device(sdev->ctrl, np);
	if (!wcd->slim_ifc_dev)
		return -EINVAL;
	slim_get_logical_addr(wcd->slim_ifc_dev);
	return 0;
}

void sb_keep_remove(struct sb_keep *wcd)
{
	put_device(&wcd->slim_ifc_dev->dev);
}

static void sb_put_device_action(void *data)
{
	struct device *dev = data;

	put_device(dev);
}

/* BUG: the devm action owns the reference; the error path puts it a second time. */
int sb_action_bad(struct device *dev, struct slim_device *sdev, struct device_node *np)
{
	struct slim_device *ifc;
	int ret;

	ifc = of_slim_get_device(sdev->ctrl, np);
	if (!ifc)
		return -EINVAL;
	ret = devm_add_action_or_reset(dev, sb_put_device_action, &ifc->dev);
	if (ret)
		return ret;
	if (slim_get_logical_addr(ifc)) {
		put_device(&ifc->dev); // expect-warning{{krefcheck-double-put}}
		return -EIO;
	}
	return 0;
}

/* OK: the devm action owns the reference; the error path leaves it to the action. */
int sb_action_ok(struct device *dev, struct slim_device *sdev, struct device_node *np)
{
	struct slim_device *ifc;
	int ret;

	ifc = of_slim_get_device(sdev->ctrl, np);
	if (!ifc)
		return -EINVAL;
	ret = devm_add_action_or_reset(dev, sb_put_device_action, &ifc->dev);
	if (ret)
		return ret;
	if (slim_get_logical_addr(ifc))
		return -EIO;
	return 0;
}
