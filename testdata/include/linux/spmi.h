/* SPDX-License-Identifier: GPL-2.0 */
/* Our own declarations, shaped like Linux 6.12 include/linux/spmi.h: the controller's put is a
 * header `static inline` wrapper of put_device(). */
#ifndef _LINUX_SPMI_H
#define _LINUX_SPMI_H

#include <linux/device.h>

struct spmi_controller {
	struct device dev;
	unsigned int nr;
};

static inline void *spmi_controller_get_drvdata(const struct spmi_controller *ctrl)
{
	return dev_get_drvdata(&ctrl->dev);
}

static inline void spmi_controller_put(struct spmi_controller *ctrl)
{
	if (ctrl)
		put_device(&ctrl->dev);
}

#endif
