// Theme: a same-file helper that only gets its argument (drivers/media/v4l2-core/v4l2-dev.c
// video_get(): get_device(&vdev->dev)) acts as the get itself. On a device this function
// looked up without a reference, the reference is kept for the open file (v4l2_open() keeps
// it on success, v4l2_release() drops it), as when the helper is inlined; on a device it
// already holds, it is one more reference to drop.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/of_platform.h>

struct sg_video {
	struct device dev;
	int minor;
};

struct sg_video *sg_lookup(int minor);
int sg_do_open(struct sg_video *v);
int sg_use(struct device *dev);

static void sg_get(struct device *dev)
{
	get_device(dev);
}

static void sg_put(struct device *dev)
{
	put_device(dev);
}

/* OK: the open file keeps the reference on success; a failed open drops it. */
int sg_open(int minor)
{
	struct sg_video *v = sg_lookup(minor);
	int ret;

	if (!v)
		return -ENODEV;
	sg_get(&v->dev);
	ret = sg_do_open(v);
	if (ret)
		sg_put(&v->dev);
	return ret;
}

/* BUG: the lookup's reference and sg_get()'s are two; only one is dropped. */
int sg_use_found_bad(struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	int ret;

	if (!pdev)
		return -ENODEV;
	sg_get(&pdev->dev);
	ret = sg_use(&pdev->dev);
	sg_put(&pdev->dev);
	return ret; // expect-warning{{krefcheck-leak}}
}
