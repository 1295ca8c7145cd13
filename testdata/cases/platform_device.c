// Theme: platform device references: of_find_device_by_node(), platform_device_alloc()/add()/put().
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

struct pd_priv {
	struct platform_device *companion;
	int irq;
};

struct pd_pdata {
	int channels;
};

static struct platform_device *pd_sub_pdev;

/* OK: lookup, use, put_device(&pdev->dev). */
int pd_lookup_ok(struct pd_priv *priv, struct device_node *np)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	priv->irq = platform_get_irq(pdev, 0);
	put_device(&pdev->dev);
	return priv->irq < 0 ? priv->irq : 0;
}

/* BUG: the drvdata check returns without dropping the lookup reference. */
int pd_lookup_bad(struct pd_priv *priv, struct device_node *np)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	if (!platform_get_drvdata(pdev))
		return -EPROBE_DEFER; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (!platform_get_drvdata(pdev)) {\n\t\tput_device(&pdev->dev);\n\t}}}
	priv->irq = platform_get_irq(pdev, 0);
	put_device(&pdev->dev);
	return 0;
}

/* OK: the lookup is kept in priv. */
int pd_lookup_store_ok(struct pd_priv *priv, struct device_node *np)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(np);
	if (!pdev)
		return -EPROBE_DEFER;
	priv->companion = pdev;
	return 0;
}

/* OK: generic bus lookup turned into a platform device; put through the struct device pointer. */
int pd_bus_lookup_ok(struct pd_priv *priv, struct device_node *np)
{
	struct device *dev;
	struct platform_device *pdev;

	dev = bus_find_device_by_of_node(&platform_bus_type, np);
	if (!dev)
		return -EPROBE_DEFER;
	pdev = to_platform_device(dev);
	priv->irq = platform_get_irq(pdev, 0);
	put_device(dev);
	return 0;
}

/* OK: alloc / add_data / add, with platform_device_put() on failure and the device kept on success. */
int pd_create_ok(int channels)
{
	struct platform_device *pdev;
	struct pd_pdata pdata = { .channels = channels };
	int ret;

	pdev = platform_device_alloc("acme-sub", PLATFORM_DEVID_AUTO);
	if (!pdev)
		return -ENOMEM;

	ret = platform_device_add_data(pdev, &pdata, sizeof(pdata));
	if (ret)
		goto err_put;

	ret = platform_device_add(pdev);
	if (ret)
		goto err_put;

	pd_sub_pdev = pdev;
	return 0;

err_put:
	platform_device_put(pdev);
	return ret;
}

/* BUG: add_data failure returns without platform_device_put(). */
int pd_create_leak_bad(int channels)
{
	struct platform_device *pdev;
	struct pd_pdata pdata = { .channels = channels };
	int ret;

	pdev = platform_device_alloc("acme-sub", PLATFORM_DEVID_AUTO);
	if (!pdev)
		return -ENOMEM;

	ret = platform_device_add_data(pdev, &pdata, sizeof(pdata));
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (ret) {\n\t\tput_device(&pdev->dev);\n\t}}}

	ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		return ret;
	}

	pd_sub_pdev = pdev;
	return 0;
}

/* BUG: an allocated platform device must not be kfree()d. */
int pd_create_kfree_bad(int channels)
{
	struct platform_device *pdev;
	struct pd_pdata pdata = { .channels = channels };
	int ret;

	pdev = platform_device_alloc("acme-sub", PLATFORM_DEVID_AUTO);
	if (!pdev)
		return -ENOMEM;

	ret = platform_device_add_data(pdev, &pdata, sizeof(pdata));
	if (ret) {
		kfree(pdev); // expect-warning{{krefcheck-wrong-release}}
		return ret;
	}

	ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		return ret;
	}

	pd_sub_pdev = pdev;
	return 0;
}

/* OK: teardown of a registered device (no lookup in this function). */
void pd_destroy_ok(void)
{
	platform_device_unregister(pd_sub_pdev);
	pd_sub_pdev = NULL;
}

/* OK: the remove path releases the reference the functions above store in the field. */
void pd_release_fields(struct pd_priv *p)
{
	platform_device_put(p->companion);
}
