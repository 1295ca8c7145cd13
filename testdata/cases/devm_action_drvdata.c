// Theme: a devm action that puts a device through a field of its data (`struct tegra_mc *mc =
// data; put_device(mc->dev);`), handed data that is the driver data of the device the caller
// found (devm_tegra_memory_controller_get() in Linux 6.12 drivers/memory/tegra/mc.c): the
// device's reference goes to the action, on success (run at detach) and on failure (run at
// once by devm_add_action_or_reset()).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>

struct da_mc {
	struct device *dev;
	struct device *parent;
	struct device_node *np;
	int id;
};

static void da_put_mc_device(void *data)
{
	struct da_mc *mc = data;

	put_device(mc->dev);
}

static void da_put_mc_parent(void *data)
{
	struct da_mc *mc = data;

	put_device(mc->parent);
}

static void da_put_mc_node(void *data)
{
	struct da_mc *mc = data;

	of_node_put(mc->np);
}

static void da_log_mc(void *data)
{
	struct da_mc *mc = data;

	mc->id = 0;
}

/* The driver's probe: mc->dev is the device itself, mc->parent another one. */
int da_probe(struct platform_device *pdev)
{
	struct da_mc *mc;

	mc = devm_kzalloc(&pdev->dev, sizeof(*mc), GFP_KERNEL);
	if (!mc)
		return -ENOMEM;
	mc->dev = &pdev->dev;
	mc->parent = pdev->dev.parent;
	platform_set_drvdata(pdev, mc);
	return 0;
}

/* OK: whether devm_add_action_or_reset() fails or not, da_put_mc_device() drops the device's
 * reference through mc->dev. */
struct da_mc *da_mc_get(struct device *dev)
{
	struct platform_device *pdev;
	struct device_node *np;
	struct da_mc *mc;
	int err;

	np = of_parse_phandle(dev->of_node, "memory-controller", 0);
	if (!np)
		return ERR_PTR(-ENOENT);
	pdev = of_find_device_by_node(np);
	of_node_put(np);
	if (!pdev)
		return ERR_PTR(-ENODEV);
	mc = platform_get_drvdata(pdev);
	if (!mc) {
		put_device(&pdev->dev);
		return ERR_PTR(-EPROBE_DEFER);
	}
	err = devm_add_action_or_reset(dev, da_put_mc_device, mc);
	if (err)
		return ERR_PTR(err);
	return mc;
}

/* BUG: the action only clears a field: on failure nothing drops the device's reference. */
struct da_mc *da_mc_get_log(struct device *dev, struct device_node *np)
{
	struct platform_device *pdev;
	struct da_mc *mc;
	int err;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return ERR_PTR(-ENODEV);
	mc = platform_get_drvdata(pdev);
	if (!mc) {
		put_device(&pdev->dev);
		return ERR_PTR(-EPROBE_DEFER);
	}
	err = devm_add_action_or_reset(dev, da_log_mc, mc);
	if (err)
		return ERR_PTR(err); // expect-warning{{krefcheck-leak}}
	return mc;
}

/* BUG: the action puts the node mc->np, another family: the device's reference is lost on
 * failure. */
struct da_mc *da_mc_get_node(struct device *dev, struct device_node *np)
{
	struct platform_device *pdev;
	struct da_mc *mc;
	int err;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return ERR_PTR(-ENODEV);
	mc = platform_get_drvdata(pdev);
	if (!mc) {
		put_device(&pdev->dev);
		return ERR_PTR(-EPROBE_DEFER);
	}
	err = devm_add_action_or_reset(dev, da_put_mc_node, mc);
	if (err)
		return ERR_PTR(err); // expect-warning{{krefcheck-leak}}
	return mc;
}

/* BUG: the data is not the found device's driver data but memory of the caller's: nothing says
 * its dev field is that device. */
struct da_mc *da_mc_get_other(struct device *dev, struct device_node *np, struct da_mc *mine)
{
	struct platform_device *pdev;
	int err;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return ERR_PTR(-ENODEV);
	err = devm_add_action_or_reset(dev, da_put_mc_device, mine);
	if (err)
		return ERR_PTR(err); // expect-warning{{krefcheck-leak}}
	return platform_get_drvdata(pdev);
}

/* BUG: the action puts mc->parent, which the probe fills with another device (not the address
 * of the platform device's own): the found device's reference is lost on failure. */
struct da_mc *da_mc_get_parent(struct device *dev, struct device_node *np)
{
	struct platform_device *pdev;
	struct da_mc *mc;
	int err;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return ERR_PTR(-ENODEV);
	mc = platform_get_drvdata(pdev);
	if (!mc) {
		put_device(&pdev->dev);
		return ERR_PTR(-EPROBE_DEFER);
	}
	err = devm_add_action_or_reset(dev, da_put_mc_parent, mc);
	if (err)
		return ERR_PTR(err); // expect-warning{{krefcheck-leak}}
	return mc;
}
