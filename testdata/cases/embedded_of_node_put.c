// Theme: a reference stored into the of_node of a struct device embedded in a struct
// i2c_adapter (whose release does not put it, rules/device_node.json "not_released_in"),
// put by the file itself on the error path and in remove: no finding. (A file that puts the
// field anywhere releases it; embedded_of_node.c has the file that never does.)
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/i2c.h>

// expect-no-findings

extern int eo_add_adapter(struct i2c_adapter *adap);
extern void eo_del_adapter(struct i2c_adapter *adap);
extern void *eo_get_clk(struct device *dev);

struct eo_bus_put {
	struct i2c_adapter adapter;
	void *clk;
};

/* OK: the same store, put by eo_remove_put_ok() (and on the error path). */
int eo_probe_put_ok(struct platform_device *pdev)
{
	struct eo_bus_put *bus = devm_kzalloc(&pdev->dev, sizeof(*bus), GFP_KERNEL);

	if (!bus)
		return -ENOMEM;
	platform_set_drvdata(pdev, bus);
	bus->adapter.dev.of_node = of_node_get(pdev->dev.of_node);
	bus->clk = eo_get_clk(&pdev->dev);
	if (IS_ERR(bus->clk)) {
		of_node_put(bus->adapter.dev.of_node);
		return PTR_ERR(bus->clk);
	}
	return eo_add_adapter(&bus->adapter);
}

void eo_remove_put_ok(struct platform_device *pdev)
{
	struct eo_bus_put *bus = platform_get_drvdata(pdev);

	eo_del_adapter(&bus->adapter);
	of_node_put(bus->adapter.dev.of_node);
}
