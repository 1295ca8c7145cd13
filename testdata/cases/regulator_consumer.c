// Theme: regulator_get() and its devm_ forms borrow the consumer device (rules/device.json):
// the regulator keeps a plain pointer, the device link takes references of its own. Here
// regulator_get() has a body like drivers/regulator/core.c's, which stores dev into the new
// consumer: without the rule its summary would hand the caller's reference over.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

struct regulator {
	struct device *dev;
	const char *supply_name;
};

struct regulator *regulator_get(struct device *dev, const char *id)
{
	struct regulator *regulator = kzalloc(sizeof(*regulator), GFP_KERNEL);

	if (!regulator)
		return ERR_PTR(-ENOMEM);
	regulator->dev = dev;
	regulator->supply_name = id;
	return regulator;
}

struct rc_priv {
	struct regulator *target_pwr;
};

/* BUG: the port device is only looked up to get its regulator, and never put. */
int rc_port_supply_bad(struct rc_priv *priv, struct device_node *child)
{
	struct platform_device *port_dev = of_find_device_by_node(child);

	if (!port_dev)
		return 0;
	priv->target_pwr = regulator_get(&port_dev->dev, "target");
	if (IS_ERR(priv->target_pwr))
		return PTR_ERR(priv->target_pwr);
	return 0; // expect-warning{{krefcheck-leak}}{{'port_dev' from of_find_device_by_node() (line 36) is not released on this path (put_device() missing)}}
}

/* OK: the 6.12 version puts the port device once its regulator is taken. */
int rc_port_supply_ok(struct rc_priv *priv, struct device_node *child)
{
	struct platform_device *port_dev = of_find_device_by_node(child);
	int ret = 0;

	if (!port_dev)
		return 0;
	priv->target_pwr = regulator_get(&port_dev->dev, "target");
	if (IS_ERR(priv->target_pwr))
		ret = PTR_ERR(priv->target_pwr);
	put_device(&port_dev->dev);
	return ret;
}
