// Theme: a getter that hands the found device's reference to its caller through a handle
// derived from the device (a pointer read from one of its fields, its driver data), where the
// file's put function of the handle's type releases the device through the handle
// (mux_get()/mux_control_put(), of_led_get()/led_put() in Linux 6.12).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/device.h>
#include <linux/device/class.h>
#include <linux/module.h>
#include <linux/of.h>

static const struct class hp_class;

struct hp_mux;

struct hp_regs {
	int base;
};

struct hp_peer {
	struct device dev;
	int id;
};

struct hp_chip {
	unsigned int controllers;
	struct hp_mux *mux; /* allocated with the chip, after it */
	struct hp_regs *regs;
	struct hp_peer *peer;
	struct device dev;
};

struct hp_mux {
	struct hp_chip *chip;
	int state;
};

/* OK: the lookup's reference goes to the caller with the mux: hp_mux_put() drops it through
 * mux->chip->dev. */
struct hp_mux *hp_mux_get(struct device_node *np, unsigned int idx)
{
	struct device *dev;
	struct hp_chip *chip;

	dev = class_find_device_by_of_node(&hp_class, np);
	if (!dev)
		return ERR_PTR(-EPROBE_DEFER);
	chip = container_of(dev, struct hp_chip, dev);
	if (idx >= chip->controllers) {
		put_device(&chip->dev);
		return ERR_PTR(-EINVAL);
	}
	return &chip->mux[idx];
}

void hp_mux_put(struct hp_mux *mux)
{
	put_device(&mux->chip->dev);
}

/* BUG: the registers are only read from the chip; nothing in the file puts a device through
 * a struct hp_regs, so the lookup's reference is lost. */
struct hp_regs *hp_regs_get(struct device_node *np)
{
	struct device *dev;
	struct hp_chip *chip;

	dev = class_find_device_by_of_node(&hp_class, np);
	if (!dev)
		return ERR_PTR(-EPROBE_DEFER);
	chip = container_of(dev, struct hp_chip, dev);
	return chip->regs; // expect-warning{{krefcheck-leak}}
}

void hp_peer_put(struct hp_peer *peer)
{
	put_device(&peer->dev);
}

/* BUG: hp_peer_put() puts the peer itself (its embedded device), not a device the peer leads
 * to: the peer is not a handle to the chip, and the chip's reference is lost. */
struct hp_peer *hp_peer_get(struct device_node *np)
{
	struct device *dev;
	struct hp_chip *chip;

	dev = class_find_device_by_of_node(&hp_class, np);
	if (!dev)
		return ERR_PTR(-EPROBE_DEFER);
	chip = container_of(dev, struct hp_chip, dev);
	return chip->peer; // expect-warning{{krefcheck-leak}}
}

struct hp_led {
	struct device *dev;
	struct device *parent;
	struct module *owner;
	int brightness;
};

/* Hands the device's reference over with its driver data, or drops it (through led->dev, the
 * field hp_led_put() releases) when the module is going away. */
static struct hp_led *hp_led_module_get(struct device *led_dev)
{
	struct hp_led *led;

	if (!led_dev)
		return ERR_PTR(-EPROBE_DEFER);
	led = dev_get_drvdata(led_dev);
	if (!try_module_get(led->owner)) {
		put_device(led->dev);
		return ERR_PTR(-ENODEV);
	}
	return led;
}

/* OK: of_led_get()'s shape: every path hands the reference over or drops it. */
struct hp_led *hp_led_get(struct device_node *np)
{
	struct device *led_dev;

	led_dev = class_find_device_by_of_node(&hp_class, np);
	return hp_led_module_get(led_dev);
}

void hp_led_put(struct hp_led *led)
{
	module_put(led->owner);
	put_device(led->dev);
}

/* BUG: the failure path puts led->parent, which is not the field hp_led_put() releases: the
 * found device's reference is lost there. */
struct hp_led *hp_led_get_parent_bad(struct device_node *np)
{
	struct device *led_dev;
	struct hp_led *led;

	led_dev = class_find_device_by_of_node(&hp_class, np);
	if (!led_dev)
		return ERR_PTR(-EPROBE_DEFER);
	led = dev_get_drvdata(led_dev);
	if (!try_module_get(led->owner)) {
		put_device(led->parent);
		return ERR_PTR(-ENODEV); // expect-warning{{krefcheck-leak}}
	}
	return led;
}

struct hp_gadget {
	struct device *dev;
	struct module *owner;
};

/* Reported: nothing in the file releases a device through a struct hp_gadget, so nothing says
 * gadget->dev is the device found here (a driver's data may point at another device). */
struct hp_gadget *hp_gadget_get(struct device_node *np)
{
	struct device *dev;
	struct hp_gadget *gadget;

	dev = class_find_device_by_of_node(&hp_class, np);
	if (!dev)
		return ERR_PTR(-EPROBE_DEFER);
	gadget = dev_get_drvdata(dev);
	if (!try_module_get(gadget->owner)) {
		put_device(gadget->dev);
		return ERR_PTR(-ENODEV); // expect-warning{{krefcheck-leak}}
	}
	return gadget;
}

/* A handle given out by a getter that keeps the found device's reference (wwan_get_debugfs_dir()
 * in Linux 6.12 returns wwandev->debugfs_dir), taken back by a put function that finds the
 * device again by the handle and drops two references: its own lookup's and the one the
 * handle carried (wwan_put_debugfs_dir()). */
struct hp_dir {
	int mode;
};

struct hp_other {
	int mode;
};

struct hp_wdev {
	struct device dev;
	struct hp_dir *dir;
	struct hp_other *other;
	int busy;
};

static int hp_parent_match(struct device *dev, const void *parent)
{
	return dev->parent == parent;
}

static int hp_dir_match(struct device *dev, const void *dir)
{
	return container_of(dev, struct hp_wdev, dev)->dir == dir;
}

static struct hp_wdev *hp_wdev_by_parent(struct device *parent)
{
	struct device *dev;

	dev = class_find_device(&hp_class, NULL, parent, hp_parent_match);
	if (!dev)
		return ERR_PTR(-ENODEV);
	return container_of(dev, struct hp_wdev, dev);
}

static struct hp_wdev *hp_wdev_by_dir(struct hp_dir *dir)
{
	struct device *dev;

	dev = class_find_device(&hp_class, NULL, dir, hp_dir_match);
	if (!dev)
		return ERR_PTR(-ENODEV);
	return container_of(dev, struct hp_wdev, dev);
}

/* OK: the device's reference stays with the directory until hp_put_dir(). */
struct hp_dir *hp_get_dir(struct device *parent)
{
	struct hp_wdev *w;

	w = hp_wdev_by_parent(parent);
	if (IS_ERR(w))
		return ERR_CAST(w);
	return w->dir;
}

/* OK: the first put drops the lookup's reference, the second the one hp_get_dir() kept. */
void hp_put_dir(struct hp_dir *dir)
{
	struct hp_wdev *w = hp_wdev_by_dir(dir);

	if (IS_ERR(w))
		return;
	put_device(&w->dev);
	put_device(&w->dev);
}

/* BUG: nothing in the file takes a struct hp_other back and drops a device's reference for
 * it: the lookup's reference is lost. */
struct hp_other *hp_get_other(struct device *parent)
{
	struct hp_wdev *w;

	w = hp_wdev_by_parent(parent);
	if (IS_ERR(w))
		return ERR_CAST(w);
	return w->other; // expect-warning{{krefcheck-leak}}
}

/* BUG: a third put drops a reference nobody held. */
void hp_put_dir_thrice(struct hp_dir *dir)
{
	struct hp_wdev *w = hp_wdev_by_dir(dir);

	if (IS_ERR(w))
		return;
	put_device(&w->dev);
	put_device(&w->dev);
	put_device(&w->dev); // expect-warning{{krefcheck-double-put}}
}

/* BUG: the busy path returns before any put: the lookup's own reference is lost. (The path
 * that puts once leaves only the handle's, which the function may keep.) */
void hp_put_dir_busy(struct hp_dir *dir)
{
	struct hp_wdev *w = hp_wdev_by_dir(dir);

	if (IS_ERR(w))
		return;
	if (w->busy)
		return; // expect-warning{{krefcheck-leak}}
	if (w->busy > 1) {
		put_device(&w->dev);
		return;
	}
	put_device(&w->dev);
	put_device(&w->dev);
}

/* BUG: a static function no caller outside the file reaches is no handle's put function: its
 * second put is a double put. */
static void hp_put_dir_local(struct hp_dir *dir)
{
	struct hp_wdev *w = hp_wdev_by_dir(dir);

	if (IS_ERR(w))
		return;
	put_device(&w->dev);
	put_device(&w->dev); // expect-warning{{krefcheck-double-put}}
}

void hp_use_local(struct hp_dir *dir)
{
	hp_put_dir_local(dir);
}

/* BUG: the second put is on one branch only: not the put function's shape; a double put. */
void hp_put_dir_branch(struct hp_dir *dir, int again)
{
	struct hp_wdev *w = hp_wdev_by_dir(dir);

	if (IS_ERR(w))
		return;
	put_device(&w->dev);
	if (again)
		put_device(&w->dev); // expect-warning{{krefcheck-double-put}}
}

/* BUG: the parent is a key, a counted object itself, not a handle the file gives out: the
 * second put is a double put. */
void hp_put_parent_twice(struct device *parent)
{
	struct hp_wdev *w = hp_wdev_by_parent(parent);

	if (IS_ERR(w))
		return;
	put_device(&w->dev);
	put_device(&w->dev); // expect-warning{{krefcheck-double-put}}
}
