// Cross-TU case: the callers of acme-fm.c. acme_fm_bind() and acme_fm_hold_node() take a
// reference on their argument for the caller (their summaries say `acquire`), so a caller
// holds two after a lookup and a bind (Linux 6.12 mac_probe(): of_find_device_by_node() then
// fman_bind(), one put_device() at once, the other in mac_remove()).
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>

struct acme_fm;
struct acme_fm *acme_fm_bind(struct device *dev);
struct acme_fm *acme_fm_peek(struct device *dev);
struct acme_fm *acme_fm_try_bind(struct device *dev);
void acme_fm_publish(struct device *dev, int slot);
void acme_fm_hold_node(struct device_node *np);
void acme_fm_hold(struct device *dev);
struct device *acme_fm_get(struct device *dev);
extern int acme_fm_start(struct acme_fm *fm);

/* OK: the lookup's reference and the bind's, two puts. */
int acme_mac_bind(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct acme_fm *fm;
	int ret;

	if (!pdev)
		return -ENODEV;
	fm = acme_fm_bind(&pdev->dev);
	put_device(&pdev->dev);
	ret = acme_fm_start(fm);
	put_device(&pdev->dev);
	return ret;
}

/* BUG: acme_fm_peek() takes no reference: the second put is one too many. */
int acme_mac_peek(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct acme_fm *fm;
	int ret;

	if (!pdev)
		return -ENODEV;
	fm = acme_fm_peek(&pdev->dev);
	put_device(&pdev->dev);
	ret = acme_fm_start(fm);
	put_device(&pdev->dev); // expect-warning{{krefcheck-double-put}}
	return ret;
}

/* BUG: the bind's reference is never put. */
int acme_mac_bind_leak(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct acme_fm *fm;

	if (!pdev)
		return -ENODEV;
	fm = acme_fm_bind(&pdev->dev);
	put_device(&pdev->dev);
	return acme_fm_start(fm); // expect-warning{{krefcheck-leak}}
}

/* BUG: acme_fm_publish() keeps its own reference in its table, not one for this caller. */
int acme_mac_publish(struct device_node *np, int slot)
{
	struct platform_device *pdev = of_find_device_by_node(np);

	if (!pdev)
		return -ENODEV;
	acme_fm_publish(&pdev->dev, slot);
	put_device(&pdev->dev);
	put_device(&pdev->dev); // expect-warning{{krefcheck-double-put}}
	return 0;
}

/* OK: acme_fm_try_bind() takes one only on some paths: no claim, no finding either way. */
int acme_mac_try_bind(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct acme_fm *fm;

	if (!pdev)
		return -ENODEV;
	fm = acme_fm_try_bind(&pdev->dev);
	put_device(&pdev->dev);
	return fm ? 0 : -ENODEV;
}

/* OK: a node held by acme_fm_hold_node() for this caller, put with the parent's. */
int acme_mac_node(struct device_node *np)
{
	struct device_node *parent = of_get_parent(np);

	if (!parent)
		return -ENODEV;
	acme_fm_hold_node(parent);
	of_node_put(parent);
	of_node_put(parent);
	return 0;
}

/* BUG: the reference acme_fm_hold_node() took is lost. */
int acme_mac_node_leak(struct device_node *np)
{
	struct device_node *parent = of_get_parent(np);

	if (!parent)
		return -ENODEV;
	acme_fm_hold_node(parent);
	of_node_put(parent);
	return 0; // expect-warning{{krefcheck-leak}}
}

/* OK: a device this function was given: the bind's reference is kept for its owner. */
int acme_mac_bind_given(struct platform_device *pdev)
{
	return acme_fm_start(acme_fm_bind(&pdev->dev));
}

/* OK: acme_fm_hold() took one more on the device: two puts. */
int acme_mac_hold(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);

	if (!pdev)
		return -ENODEV;
	acme_fm_hold(&pdev->dev);
	put_device(&pdev->dev);
	put_device(&pdev->dev);
	return 0;
}

/* OK: acme_fm_get() returns the device with one more reference, put through its result. */
int acme_mac_get(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	struct device *dev;

	if (!pdev)
		return -ENODEV;
	dev = acme_fm_get(&pdev->dev);
	put_device(&pdev->dev);
	put_device(dev);
	return 0;
}
