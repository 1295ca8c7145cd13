// Theme: __free() cleanup variables: released at scope exit, moved out by return_ptr()/no_free_ptr().
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/cleanup.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/property.h>

struct cf_priv {
	struct device *dev;
	struct device_node *np;
	u32 reg;
};

/* OK: __free(device_node) releases on every return. */
int cf_basic_ok(struct device *dev, u32 *reg)
{
	struct device_node *np __free(device_node) =
		of_get_child_by_name(dev->of_node, "bank");

	if (!np)
		return -ENODEV;
	if (!of_device_is_available(np))
		return -ENODEV;
	return of_property_read_u32(np, "reg", reg);
}

/* OK: return_ptr() hands the reference to the caller. */
struct device_node *cf_return_ptr_ok(struct device *dev)
{
	struct device_node *np __free(device_node) =
		of_parse_phandle(dev->of_node, "acme,bridge", 0);

	if (!np)
		return NULL;
	if (!of_device_is_available(np))
		return NULL;
	return_ptr(np);
}

/* OK: no_free_ptr() moves the reference into priv. */
int cf_no_free_ptr_ok(struct cf_priv *priv)
{
	struct device_node *np __free(device_node) =
		of_get_child_by_name(priv->dev->of_node, "ctrl");

	if (!np)
		return -ENODEV;
	if (of_property_read_u32(np, "reg", &priv->reg))
		return -EINVAL;
	priv->np = no_free_ptr(np);
	return 0;
}

/* BUG: explicit of_node_put() on a __free(device_node) variable: released again at scope exit. */
int cf_explicit_put_bad(struct device *dev, u32 *reg)
{
	struct device_node *np __free(device_node) =
		of_get_child_by_name(dev->of_node, "bank");
	int ret;

	if (!np)
		return -ENODEV;
	ret = of_property_read_u32(np, "reg", reg);
	of_node_put(np); // expect-warning{{krefcheck-double-put}}{{'np' from of_get_child_by_name() (line 62) is released here and again by its __free() cleanup at scope exit}}
	return ret;
}

/* OK: a __free variable that starts NULL and is only assigned on one branch. */
int cf_late_assign_ok(struct device *dev, bool secondary)
{
	struct device_node *np __free(device_node) = NULL;

	if (secondary)
		np = of_get_child_by_name(dev->of_node, "secondary");
	else
		np = of_get_child_by_name(dev->of_node, "primary");
	if (!np)
		return -ENODEV;
	return of_device_is_available(np) ? 0 : -ENODEV;
}

/* OK: __free(put_device) on a bus lookup. */
int cf_put_device_ok(struct device_node *np)
{
	struct device *dev __free(put_device) =
		bus_find_device_by_of_node(&platform_bus_type, np);

	if (!dev)
		return -EPROBE_DEFER;
	return dev->driver ? 0 : -EPROBE_DEFER;
}

/* BUG: explicit put_device() on a __free(put_device) variable. */
int cf_put_device_explicit_bad(struct device_node *np)
{
	struct device *dev __free(put_device) =
		bus_find_device_by_of_node(&platform_bus_type, np);
	int ret;

	if (!dev)
		return -EPROBE_DEFER;
	ret = dev->driver ? 0 : -EPROBE_DEFER;
	put_device(dev); // expect-warning{{krefcheck-double-put}}{{'dev' from bus_find_device_by_of_node() (line 101) is released here and again by its __free() cleanup at scope exit}}
	return ret;
}

/* OK (rzg2l_irqc_common_init() in 6.12): the __free(put_device) variable holds the address of
 * the looked-up platform device's struct device: its cleanup puts that device. */
int cf_put_device_member_ok(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct device *dev __free(put_device) = pdev ? &pdev->dev : NULL;

	if (!pdev)
		return -ENODEV;
	return dev->driver ? 0 : -EPROBE_DEFER;
}

/* BUG: the same device put explicitly and again by the cleanup of its member's variable. */
int cf_put_device_member_bad(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	int ret;

	if (!pdev)
		return -ENODEV;
	struct device *dev __free(put_device) = &pdev->dev;

	ret = dev->driver ? 0 : -EPROBE_DEFER;
	platform_device_put(pdev); // expect-warning{{krefcheck-double-put}}
	return ret;
}

/* OK: __free(fwnode_handle) on a named child. */
int cf_fwnode_ok(struct device *dev, u32 *val)
{
	struct fwnode_handle *child __free(fwnode_handle) =
		device_get_named_child_node(dev, "sensor");

	if (!child)
		return -ENODEV;
	return fwnode_property_read_u32(child, "reg", val);
}

/* OK: __free(kfree) buffer alongside a __free(device_node) node. */
int cf_mixed_ok(struct device *dev)
{
	u32 *buf __free(kfree) = kzalloc(16 * sizeof(u32), GFP_KERNEL);
	struct device_node *np __free(device_node) =
		of_get_child_by_name(dev->of_node, "table");
	int i;

	if (!buf || !np)
		return -ENOMEM;
	for (i = 0; i < 16; i++)
		if (of_property_read_u32_index(np, "values", i, &buf[i]))
			return -EINVAL;
	return 0;
}

/* OK: walk up the cache hierarchy; each old node goes into an inner-block __free() `prev`,
 * released when that block ends, while `np` (also __free) takes the next one. */
int cf_cache_walk_ok(int cpu, int levels)
{
	struct device_node *np __free(device_node) = of_cpu_device_node_get(cpu);
	int level = 0;

	if (!np)
		return -ENOENT;
	while (level < levels) {
		if (level > 0) {
			struct device_node *prev __free(device_node) = np;
			np = of_find_next_cache_node(np);
			if (!np)
				break;
		}
		if (!of_device_is_compatible(np, "cache"))
			return -EINVAL;
		level++;
	}
	return level == levels ? 0 : -ENOENT;
}

/* OK: the same walk with the inner __free() `prev` in the loop body itself. */
int cf_cache_walk_loop_ok(int cpu)
{
	struct device_node *np __free(device_node) = of_cpu_device_node_get(cpu);
	int levels = 0;

	while (1) {
		struct device_node *prev __free(device_node) = np;
		np = of_find_next_cache_node(np);
		if (!np)
			break;
		if (!of_device_is_compatible(np, "cache"))
			return -EINVAL;
		levels++;
	}
	return levels;
}

/* BUG: the old node is moved into a plain `prev` that nobody releases. */
int cf_cache_walk_plain_prev_bad(int cpu)
{
	struct device_node *np __free(device_node) = of_cpu_device_node_get(cpu);
	struct device_node *prev;
	int levels = 0;

	while (np) {
		prev = np;
		np = of_find_next_cache_node(np);
		if (!np)
			break;
		levels++;
		(void)prev;
	}
	return levels; // expect-warning{{krefcheck-leak}} expect-warning{{krefcheck-leak}}
}

/* OK: the remove path releases the reference the functions above store in the field. */
void cf_release_fields(struct cf_priv *p)
{
	of_node_put(p->np);
}

/* A put function of the file and a DEFINE_FREE() named after it (include/linux/gpio/driver.h's
 * DEFINE_FREE(gpio_device_put, ...) over drivers/gpio/gpiolib.c's gpio_device_put()). */
struct cf_gdev {
	struct device dev;
	int ngpio;
};

void cf_gdev_put(struct cf_gdev *gdev)
{
	put_device(&gdev->dev);
}

int cf_gdev_lock(struct cf_gdev *gdev);

DEFINE_FREE(cf_gdev_put, struct cf_gdev *, if (_T) cf_gdev_put(_T))
DEFINE_FREE(cf_gdev_lock, struct cf_gdev *, if (_T) cf_gdev_lock(_T))

static struct cf_gdev *cf_gdev_find(const char *label)
{
	struct device *d = bus_find_device_by_name(NULL, NULL, label);

	return d ? container_of(d, struct cf_gdev, dev) : NULL;
}

/* OK: __free(cf_gdev_put) puts the lookup's reference on every return (gpiod_find()). */
int cf_gdev_ok(const char *label, int hw)
{
	struct cf_gdev *gdev __free(cf_gdev_put) = cf_gdev_find(label);

	if (!gdev)
		return -EPROBE_DEFER;
	if (gdev->ngpio <= hw)
		return -EINVAL;
	return 0;
}

/* BUG: a DEFINE_FREE() named after a function that does not put. */
int cf_gdev_bad(const char *label, int hw)
{
	struct cf_gdev *gdev __free(cf_gdev_lock) = cf_gdev_find(label);

	if (!gdev)
		return -EPROBE_DEFER;
	if (gdev->ngpio <= hw)
		return -EINVAL;
	return 0; // expect-warning{{krefcheck-leak}}
}
