// Theme: a put whose release callback does not free the memory: the function frees the object
// itself after the put (drivers/thermal/thermal_core.c thermal_zone_device_register_with_trips():
// put_device(&tz->device), wait_for_completion(&tz->removal), kfree(tz)). Using it between the
// put and the kfree() is no use after put; without that kfree() it is. Also a release callback
// (here a class's dev_release, named by the static class the device is given) that calls
// nothing frees nothing.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>

struct kz_zone {
	struct device dev;
	int removal;
	int id;
};

extern void kz_wait_removal(int *removal);

/* OK: the release only signals kz->removal; the function frees kz itself. */
struct kz_zone *kz_register(struct device *parent)
{
	struct kz_zone *kz = kzalloc(sizeof(*kz), GFP_KERNEL);
	int ret;

	if (!kz)
		return ERR_PTR(-ENOMEM);
	kz->dev.parent = parent;
	ret = device_register(&kz->dev);
	if (ret) {
		put_device(&kz->dev);
		kz_wait_removal(&kz->removal);
		kfree(kz);
		return ERR_PTR(ret);
	}
	return kz;
}

/* BUG: nothing frees kz afterwards: the put freed it, the read is a use after it. */
int kz_register_bad(struct device *parent)
{
	struct kz_zone *kz = kzalloc(sizeof(*kz), GFP_KERNEL);
	int ret;

	if (!kz)
		return -ENOMEM;
	kz->dev.parent = parent;
	ret = device_register(&kz->dev);
	if (ret) {
		put_device(&kz->dev);
		pr_err("zone %d failed\n", kz->id); // expect-warning{{krefcheck-use-after-put}}
		return ret;
	}
	return 0;
}

/* BUG: the memory outlives the put, but a second put is still one too many. */
struct kz_zone *kz_register_twice(struct device *parent)
{
	struct kz_zone *kz = kzalloc(sizeof(*kz), GFP_KERNEL);
	int ret;

	if (!kz)
		return ERR_PTR(-ENOMEM);
	kz->dev.parent = parent;
	ret = device_register(&kz->dev);
	if (ret) {
		put_device(&kz->dev);
		kz_wait_removal(&kz->removal);
		put_device(&kz->dev); // expect-warning{{krefcheck-double-put}}
		kfree(kz);
		return ERR_PTR(ret);
	}
	return kz;
}

/*
 * A class whose release callback frees nothing (drivers/dma/ti/k3-udma-glue.c: "the struct
 * containing the device is devm managed"), and one whose release frees the container.
 */
struct kz_chan {
	struct device dev;
	int id;
};

static void kz_chan_release_nothing(struct device *dev)
{
}

static void kz_chan_release_free(struct device *dev)
{
	kfree(container_of(dev, struct kz_chan, dev));
}

static struct class kz_devm_class = {
	.name = "kz_devm",
	.dev_release = kz_chan_release_nothing,
};

static struct class kz_free_class = {
	.name = "kz_free",
	.dev_release = kz_chan_release_free,
};

/* OK: the class's release frees nothing; kc (devm memory) outlives the put. */
int kz_chan_register(struct device *parent)
{
	struct kz_chan *kc = devm_kzalloc(parent, sizeof(*kc), GFP_KERNEL);
	int ret;

	if (!kc)
		return -ENOMEM;
	kc->dev.class = &kz_devm_class;
	kc->dev.parent = parent;
	ret = device_register(&kc->dev);
	if (ret) {
		put_device(&kc->dev);
		kc->dev.parent = NULL;
		return ret;
	}
	return 0;
}

/* BUG: this class's release frees kc: the store after the put writes into freed memory. */
int kz_chan_register_freed(struct device *parent)
{
	struct kz_chan *kc = devm_kzalloc(parent, sizeof(*kc), GFP_KERNEL);
	int ret;

	if (!kc)
		return -ENOMEM;
	kc->dev.class = &kz_free_class;
	kc->dev.parent = parent;
	ret = device_register(&kc->dev);
	if (ret) {
		put_device(&kc->dev);
		kc->dev.parent = NULL; // expect-warning{{krefcheck-use-after-put}}
		return ret;
	}
	return 0;
}

/* A class whose release hands the work on (drivers/base/core.c devlink_dev_release()). */
struct kz_link {
	struct device dev;
	struct device *supplier;
};

extern void kz_queue_release(struct kz_link *link);

static void kz_link_release(struct device *dev)
{
	kz_queue_release(container_of(dev, struct kz_link, dev));
}

static struct class kz_link_class = {
	.name = "kz_link",
	.dev_release = kz_link_release,
};

/* OK: the class's release is not seen to drop link->supplier, nor known not to. */
struct kz_link *kz_link_add(struct device *supplier)
{
	struct kz_link *link = kzalloc(sizeof(*link), GFP_KERNEL);

	if (!link)
		return NULL;
	get_device(supplier);
	link->supplier = supplier;
	link->dev.class = &kz_link_class;
	if (device_register(&link->dev)) {
		put_device(&link->dev);
		return NULL;
	}
	return link;
}
