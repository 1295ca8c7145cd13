// Theme: a function that takes a reference on an object its caller gave it and keeps it when
// it returns 0 is an acquire-on-success API for that caller (drivers/scsi/scsi.c
// scsi_device_get(), drivers/pwm/core.c pwm_device_request(): scsi_device_put() / pwm_put()
// drop it later). Its failure exits must not keep it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/module.h>

struct aos_host {
	struct module *owner;
};

struct aos_sdev {
	struct aos_host *host;
	int state;
	struct device gendev;
};

struct aos_chip {
	struct device dev;
	struct module *owner;
	int (*request)(struct aos_chip *chip);
};

struct aos_pwm {
	struct aos_chip *chip;
	unsigned long flags;
};

/* OK: scsi_device_get()'s shape, the checked get is the reference handed to the caller. */
int aos_sdev_get(struct aos_sdev *sdev)
{
	if (sdev->state == 2)
		goto fail;
	if (!try_module_get(sdev->host->owner))
		goto fail;
	if (!get_device(&sdev->gendev))
		goto fail_put_module;
	return 0;

fail_put_module:
	module_put(sdev->host->owner);
fail:
	return -ENXIO;
}

/* OK: pwm_device_request()'s shape, a get on the chip the caller's object points to, put when
 * the request fails, kept as the requested state's reference. */
int aos_pwm_request(struct aos_pwm *pwm)
{
	struct aos_chip *chip = pwm->chip;
	int err;

	if (!try_module_get(chip->owner))
		return -ENODEV;
	if (!get_device(&chip->dev)) {
		err = -ENODEV;
		goto err_get_device;
	}
	if (chip->request) {
		err = chip->request(chip);
		if (err) {
			put_device(&chip->dev);
err_get_device:
			module_put(chip->owner);
			return err;
		}
	}
	pwm->flags |= 1;
	return 0;
}

/* BUG: the same request, but the failure exit keeps the reference. */
int aos_pwm_request_bad(struct aos_pwm *pwm)
{
	struct aos_chip *chip = pwm->chip;
	int err;

	if (!get_device(&chip->dev))
		return -ENODEV;
	if (chip->request) {
		err = chip->request(chip);
		if (err)
			return err; // expect-warning{{krefcheck-leak}}
	}
	pwm->flags |= 1;
	return 0;
}

/* BUG: a checked get on the caller's object in a function that does not return an int status:
 * nothing tells the caller it holds a reference. */
void aos_sdev_touch_bad(struct aos_sdev *sdev)
{
	if (!get_device(&sdev->gendev))
		return;
	sdev->state = 1;
} // expect-warning{{krefcheck-leak}}
