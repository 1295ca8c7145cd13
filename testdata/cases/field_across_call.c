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
