// Theme: a lookup that returns a handle (the device's driver data) and keeps the device
// reference for it; the handle's put function drops it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

struct hr_ctrl {
	struct device *dev;
	int id;
};

/* OK: the device reference travels with the returned drvdata; hr_put() drops it. */
struct hr_ctrl *hr_get(struct device *dev)
{
	struct platform_device *pdev;
	struct device_node *np;
	struct hr_ctrl *ctrl;

	np = of_parse_phandle(dev->of_node, "acme,ctrl", 0);
	if (!np)
		return ERR_PTR(-ENODEV);
	pdev = of_find_device_by_node(np);
	of_node_put(np);
	if (!pdev)
		return ERR_PTR(-EINVAL);
	ctrl = platform_get_drvdata(pdev);
	if (!ctrl) {
		put_device(&pdev->dev);
		return ERR_PTR(-EPROBE_DEFER);
	}
	return ctrl;
}

void hr_put(struct hr_ctrl *ctrl)
{
	put_device(ctrl->dev);
}

/* BUG: the drvdata is only read here: the device reference is lost. */
int hr_ctrl_id_bad(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct hr_ctrl *ctrl;

	if (!pdev)
		return -ENODEV;
	ctrl = platform_get_drvdata(pdev);
	if (!ctrl) {
		put_device(&pdev->dev);
		return -EPROBE_DEFER;
	}
	return ctrl->id; // expect-warning{{krefcheck-leak}}
}
