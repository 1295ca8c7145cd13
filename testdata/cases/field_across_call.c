// Theme: a reference this function stored in a field stays there across a call that is handed
// the object (the analyzer invalidates what the call can reach; the code puts the reference
// through the field afterwards).
// - a local struct's field (nvmem_add_cells_from_dt() in 6.12: info.np = of_node_get(child),
//   nvmem_add_one_cell(nvmem, &info), then of_node_put(info.np) when it fails);
// - a field of the caller's object holding a device this function initialised
//   (pmu_dev_alloc() in 6.12: dev_set_name(pmu->dev, ...) reaches pmu through the device's
//   driver_data, then put_device(pmu->dev) on failure);
// and the same shapes with the put missing, still reported.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct nvmem_device;

struct nvmem_cell_info {
	const char *name;
	unsigned int offset;
	struct device_node *np;
	/* a callback member, as in 6.12: the call's invalidation reaches info's fields */
	int (*read_post_process)(void *priv, const char *id, int index, unsigned int offset,
				 void *buf, size_t bytes);
	void *priv;
};

extern char *kasprintf(gfp_t gfp, const char *fmt, ...);

/* 6.12 signature; rules/device_node.json: hands info->np over on success only. */
int nvmem_add_one_cell(struct nvmem_device *nvmem, const struct nvmem_cell_info *info);

/* OK (nvmem_add_cells_from_dt()): both references dropped when adding the cell fails. */
int fa_add_cells(struct nvmem_device *nvmem, struct device_node *np)
{
	struct device_node *child;
	int ret;

	for_each_child_of_node(np, child) {
		struct nvmem_cell_info info = {0};

		info.offset = 4;
		info.name = kasprintf(GFP_KERNEL, "%pOFn", child);
		info.np = of_node_get(child);
		ret = nvmem_add_one_cell(nvmem, &info);
		kfree(info.name);
		if (ret) {
			of_node_put(child);
			of_node_put(info.np);
			return ret;
		}
	}
	return 0;
}

/* BUG: the reference stored in info.np is not dropped when adding the cell fails. */
int fa_add_cells_bad(struct nvmem_device *nvmem, struct device_node *np)
{
	struct device_node *child;
	int ret;

	for_each_child_of_node(np, child) {
		struct nvmem_cell_info info = {0};

		info.offset = 4;
		info.np = of_node_get(child);
		ret = nvmem_add_one_cell(nvmem, &info);
		if (ret) {
			of_node_put(child);
			return ret; // expect-warning{{krefcheck-loop-leak}}
		}
	}
	return 0;
}

struct fa_pmu {
	struct device *dev;
	const char *name;
};

static void fa_pmu_dev_release(struct device *dev)
{
	kfree(dev);
}

/* OK (pmu_dev_alloc()): the device's reference is put through pmu->dev on failure. */
int fa_pmu_dev_alloc(struct fa_pmu *pmu)
{
	int ret = -ENOMEM;

	pmu->dev = kzalloc(sizeof(struct device), GFP_KERNEL);
	if (!pmu->dev)
		goto out;
	device_initialize(pmu->dev);
	dev_set_drvdata(pmu->dev, pmu);
	pmu->dev->release = fa_pmu_dev_release;
	ret = dev_set_name(pmu->dev, "%s", pmu->name);
	if (ret)
		goto free_dev;
	ret = device_add(pmu->dev);
	if (ret)
		goto free_dev;
out:
	return ret;

free_dev:
	put_device(pmu->dev);
	goto out;
}

/* BUG: a dev_set_name() failure leaves the initialised device's reference behind. */
int fa_pmu_dev_alloc_bad(struct fa_pmu *pmu)
{
	int ret = -ENOMEM;

	pmu->dev = kzalloc(sizeof(struct device), GFP_KERNEL);
	if (!pmu->dev)
		return ret;
	device_initialize(pmu->dev);
	dev_set_drvdata(pmu->dev, pmu);
	pmu->dev->release = fa_pmu_dev_release;
	ret = dev_set_name(pmu->dev, "%s", pmu->name);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}
	ret = device_add(pmu->dev);
	if (ret)
		put_device(pmu->dev);
	return ret;
}

/*
 * A reference stored in a field stays there across a call handed a pointer to the const
 * object: such a reader (drm_core_check_feature(const struct drm_device *dev, ..) in 6.12)
 * cannot clear the field, so it takes nothing out of it (drm_dev_alloc() in 6.12:
 * drm_dev_init() takes dev->dev = get_device(parent), then fails before it registers the
 * release action that puts it; drm_dev_alloc() kfree()s dev).
 */
struct fa_drm {
	struct device *dev;
	struct list_head resources;
	unsigned int features;
};

/* Defined elsewhere (a header's inline whose body the analysis does not see). */
extern int fa_drm_has(const struct fa_drm *drm, unsigned int feature);
extern void fa_drm_list_init(struct list_head *list);

static void fa_drm_release(struct fa_drm *drm)
{
	put_device(drm->dev);
	drm->dev = NULL;
}

static int fa_drm_init(struct fa_drm *drm, struct device *parent)
{
	drm->dev = get_device(parent);
	fa_drm_list_init(&drm->resources);
	if (fa_drm_has(drm, 1) && fa_drm_has(drm, 2))
		return -EINVAL;
	return 0;
}

/* BUG (drm_dev_alloc()): the failed init leaves the parent's reference in drm->dev. */
struct fa_drm *fa_drm_alloc(struct device *parent)
{
	struct fa_drm *drm;
	int ret;

	drm = kzalloc(sizeof(*drm), GFP_KERNEL);
	if (!drm)
		return ERR_PTR(-ENOMEM);
	ret = fa_drm_init(drm, parent);
	if (ret) {
		kfree(drm); // expect-warning{{krefcheck-leak}}{{'parent' from get_device() (line 156) is held in field 'dev' of 'drm'; kfree() frees 'drm' here (put_device() missing)}}
		return ERR_PTR(ret);
	}
	return drm;
}

/* OK: the same with the reference put through the field before the free. */
struct fa_drm *fa_drm_alloc_put(struct device *parent)
{
	struct fa_drm *drm;
	int ret;

	drm = kzalloc(sizeof(*drm), GFP_KERNEL);
	if (!drm)
		return ERR_PTR(-ENOMEM);
	ret = fa_drm_init(drm, parent);
	if (ret) {
		fa_drm_release(drm);
		kfree(drm);
		return ERR_PTR(ret);
	}
	return drm;
}

static int fa_drm_init_read(struct fa_drm *drm, struct device *parent)
{
	drm->dev = get_device(parent);
	if (fa_drm_has(drm, 1))
		return -EINVAL;
	return 0;
}

/* BUG: the same with the const reader right after the store (no call invalidated drm). */
struct fa_drm *fa_drm_alloc_read(struct device *parent)
{
	struct fa_drm *drm;
	int ret;

	drm = kzalloc(sizeof(*drm), GFP_KERNEL);
	if (!drm)
		return ERR_PTR(-ENOMEM);
	ret = fa_drm_init_read(drm, parent);
	if (ret) {
		kfree(drm); // expect-warning{{krefcheck-leak}}
		return ERR_PTR(ret);
	}
	return drm;
}

/*
 * An element of an array field keeps the object this function allocated and stored there across
 * a call handed the holder, also before the object holds a reference (usb_set_configuration()
 * in 6.12: cp->interface[i] = intf, find_iad(dev, cp, ..), device_initialize(&intf->dev), and
 * put_device(&cp->interface[i]->dev) when SET_CONFIGURATION fails).
 */
struct fa_intf {
	int minor;
	struct device dev;
};

struct fa_config {
	int num;
	struct fa_intf *interface[4];
};

struct fa_udev {
	struct fa_config *config;
	struct fa_config *actconfig;
};

extern int fa_udev_send(struct fa_udev *udev, int value);
extern int fa_config_find(struct fa_udev *udev, struct fa_config *cp);

/* OK (usb_set_configuration()): the interface is put through the array on failure. */
int fa_set_config(struct fa_udev *udev)
{
	struct fa_config *cp = &udev->config[0];
	struct fa_intf *intf;
	int ret;

	intf = kzalloc(sizeof(*intf), GFP_KERNEL);
	if (!intf)
		return -ENOMEM;
	cp->interface[0] = intf;
	intf->minor = fa_config_find(udev, cp);
	device_initialize(&intf->dev);
	ret = fa_udev_send(udev, 1);
	if (ret) {
		put_device(&cp->interface[0]->dev);
		cp->interface[0] = NULL;
		cp = NULL;
	}
	udev->actconfig = cp;
	if (!cp)
		return ret;
	return 0;
}

/* BUG: the same without the put on failure. */
int fa_set_config_bad(struct fa_udev *udev)
{
	struct fa_config *cp = &udev->config[0];
	struct fa_intf *intf;
	int ret;

	intf = kzalloc(sizeof(*intf), GFP_KERNEL);
	if (!intf)
		return -ENOMEM;
	cp->interface[0] = intf;
	intf->minor = fa_config_find(udev, cp);
	device_initialize(&intf->dev);
	ret = fa_udev_send(udev, 1);
	if (ret) {
		cp->interface[0] = NULL;
		cp = NULL;
	}
	udev->actconfig = cp;
	if (!cp)
		return ret; // expect-warning{{krefcheck-leak}}
	return 0;
}

/*
 * A call given the holder as a pointer to const may still copy the reference into another
 * object it is given (snd_soc_of_get_dlc() in 6.12: of_parse_phandle_with_args() fills
 * args->np, then snd_soc_get_dlc(const struct of_phandle_args *args, dlc) sets
 * dlc->of_node = args->np): the reference goes with it, as with a non-const holder.
 */
struct fa_dlc {
	const char *name;
	struct device_node *of_node;
};

extern int fa_get_dlc(const struct of_phandle_args *args, struct fa_dlc *dlc);

/* OK: the reference reaches dlc (or stays in the caller's args). */
int fa_of_get_dlc(struct device_node *of_node, struct of_phandle_args *args,
		  struct fa_dlc *dlc, int index)
{
	struct of_phandle_args __args;
	int ret;

	if (!args)
		args = &__args;
	ret = of_parse_phandle_with_args(of_node, "sound-dai", "#sound-dai-cells", index, args);
	if (ret)
		return ret;
	return fa_get_dlc(args, dlc);
}
