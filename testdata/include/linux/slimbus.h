/* Minimal <linux/slimbus.h> for krefcheck testdata (shaped like Linux 6.12). */
#ifndef _LINUX_SLIMBUS_H
#define _LINUX_SLIMBUS_H

#include <linux/device.h>
#include <linux/of.h>

struct slim_controller {
	struct device *dev;
	unsigned int id;
};

struct slim_device {
	struct device dev;
	struct slim_controller *ctrl;
	u8 laddr;
};

extern struct slim_device *of_slim_get_device(struct slim_controller *ctrl,
					      struct device_node *np);
extern int slim_get_logical_addr(struct slim_device *sbdev);

#endif
