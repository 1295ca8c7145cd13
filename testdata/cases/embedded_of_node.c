// Theme: a reference stored into the of_node of a struct device is the device's to put when
// its release does (a platform device), and the storing file's when the struct device is
// embedded in an object whose release does not (struct i2c_adapter: rules/device_node.json
// "not_released_in").
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/i2c.h>

extern int eo_add_adapter(struct i2c_adapter *adap);
extern void eo_del_adapter(struct i2c_adapter *adap);
extern void *eo_get_clk(struct device *dev);

struct eo_bus {
	struct i2c_adapter adapter;
	void *clk;
};

struct eo_bus_lent {
	struct i2c_adapter adapter;
	void *clk;
};

struct eo_child {
	struct platform_device pdev;
	int id;
};

/* BUG: the adapter's of_node reference: nothing in this file ever puts it. */
int eo_probe_bad(struct platform_device *pdev)
{
	struct eo_bus *bus = devm_kzalloc(&pdev->dev, sizeof(*bus), GFP_KERNEL);

	if (!bus)
		return -ENOMEM;
	platform_set_drvdata(pdev, bus);
	bus->adapter.dev.of_node = of_node_get(pdev->dev.of_node);
	bus->clk = eo_get_clk(&pdev->dev);
	if (IS_ERR(bus->clk))
		return PTR_ERR(bus->clk);
	return eo_add_adapter(&bus->adapter); // expect-warning{{krefcheck-leak}}{{the reference from of_node_get() (line 40) is stored in field 'of_node' of an object that outlives this function, and nothing in this file releases that field (no put of 'struct device.of_node') (of_node_put() missing)}}
}

/* OK: the adapter only borrows its parent's node (no get). */
int eo_probe_lent_ok(struct platform_device *pdev)
{
	struct eo_bus_lent *bus = devm_kzalloc(&pdev->dev, sizeof(*bus), GFP_KERNEL);

	if (!bus)
		return -ENOMEM;
	platform_set_drvdata(pdev, bus);
	bus->adapter.dev.of_node = pdev->dev.of_node;
	bus->clk = eo_get_clk(&pdev->dev);
	if (IS_ERR(bus->clk))
		return PTR_ERR(bus->clk);
	return eo_add_adapter(&bus->adapter);
}

/* OK: a platform device's release puts its of_node (platform_device_release()). */
int eo_child_ok(struct eo_child *child, struct device_node *np)
{
	child->pdev.dev.of_node = of_node_get(np);
	child->id = 1;
	return 0;
}
