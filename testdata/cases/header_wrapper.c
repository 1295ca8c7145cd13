// Theme: a header's `static inline` wrapper of a counting API (include/linux/spmi.h's
// spmi_controller_put() is put_device(&ctrl->dev); iio_device_put() likewise): a call to it
// releases, though header bodies are otherwise skipped.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/spmi.h>

int hw_ida_alloc(void);

/* OK: the early failure puts the initialised device through the header wrapper
 * (drivers/spmi/spmi.c's spmi_controller_alloc()). */
struct spmi_controller *hw_controller_alloc(struct device *parent)
{
	struct spmi_controller *ctrl;
	int id;

	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return NULL;
	device_initialize(&ctrl->dev);
	ctrl->dev.parent = parent;
	id = hw_ida_alloc();
	if (id < 0) {
		spmi_controller_put(ctrl);
		return NULL;
	}
	ctrl->nr = id;
	return ctrl;
}

/* Bug: the look-alike calls a header wrapper that does not put. */
struct spmi_controller *hw_controller_alloc_leak(struct device *parent)
{
	struct spmi_controller *ctrl;
	int id;

	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return NULL;
	device_initialize(&ctrl->dev);
	ctrl->dev.parent = parent;
	id = hw_ida_alloc();
	if (id < 0) {
		spmi_controller_get_drvdata(ctrl);
		return NULL; // expect-warning{{krefcheck-leak}}
	}
	ctrl->nr = id;
	return ctrl;
}
