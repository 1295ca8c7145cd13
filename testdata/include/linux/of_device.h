/* krefcheck test headers: OF match helpers for devices. */
#ifndef _KREF_TEST_LINUX_OF_DEVICE_H
#define _KREF_TEST_LINUX_OF_DEVICE_H

#include <linux/device.h>
#include <linux/of.h>

extern const struct of_device_id *of_match_device(
	const struct of_device_id *matches, const struct device *dev);
extern const void *of_device_get_match_data(const struct device *dev);

#endif
