// Cross-TU case: functions that take a reference on the object their caller passes and keep
// it for the caller (the shape of Linux 6.12 fman_bind() / fman_port_bind():
// `return dev_get_drvdata(get_device(dev));`), and look-alikes that do not. Their summaries
// (argument `acquire`, or nothing) decide the findings of acme-mac.c.
// expect-no-findings
#include <linux/device.h>
#include <linux/export.h>
#include <linux/of.h>

struct acme_fm {
	int id;
	struct device *dev;
};

extern struct device *acme_fm_table[4];
extern int acme_fm_ready(struct device *dev);

/* Takes a reference on @dev: the caller puts it when it unbinds. */
struct acme_fm *acme_fm_bind(struct device *dev)
{
	return (struct acme_fm *)dev_get_drvdata(get_device(dev));
}
EXPORT_SYMBOL(acme_fm_bind);

/* Takes one on @np the same way, as a statement. */
void acme_fm_hold_node(struct device_node *np)
{
	of_node_get(np);
}
EXPORT_SYMBOL(acme_fm_hold_node);

/* Takes one when there is a device: the body of an `if`. */
void acme_fm_hold(struct device *dev)
{
	if (dev)
		get_device(dev);
}
EXPORT_SYMBOL(acme_fm_hold);

/* Hands @dev back with a reference: inlined, the reference flows with the value. */
struct device *acme_fm_get(struct device *dev)
{
	if (dev)
		get_device(dev);
	return dev;
}
EXPORT_SYMBOL(acme_fm_get);

/* Looks at the driver data only: no reference. */
struct acme_fm *acme_fm_peek(struct device *dev)
{
	return (struct acme_fm *)dev_get_drvdata(dev);
}
EXPORT_SYMBOL(acme_fm_peek);

/* The reference goes into the driver's table, not to the caller: a store. */
void acme_fm_publish(struct device *dev, int slot)
{
	acme_fm_table[slot] = get_device(dev);
}
EXPORT_SYMBOL(acme_fm_publish);

/* Only when the device is ready: not a reference the caller always holds. */
struct acme_fm *acme_fm_try_bind(struct device *dev)
{
	if (!acme_fm_ready(dev))
		return NULL;
	return (struct acme_fm *)dev_get_drvdata(get_device(dev));
}
EXPORT_SYMBOL(acme_fm_try_bind);
