// Theme: registration failures leave a reference (platform_device_register(),
// device_register(), amba_device_register()), also on objects with static storage and through
// same-file wrappers that return the registration's result.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/amba/bus.h>

struct rg_foo {
	struct device dev;
	int id;
};

extern int rg_create_files(struct device *dev);

static void rg_release(struct device *dev)
{
}

static struct platform_device rg_pdev = {
	.name = "acme-rg",
	.id = -1,
};

static struct platform_device rg_pdev2 = {
	.name = "acme-rg2",
	.id = -1,
};

static struct device rg_mdev;
static struct device rg_mdev2;

/* BUG: a failed platform_device_register() of a static device leaves its initial reference. */
int rg_static_pdev_bad(void)
{
	return platform_device_register(&rg_pdev); // expect-warning{{krefcheck-leak}}{{'rg_pdev' from platform_device_register() (line 38) is not released on this path (put_device() missing)}}
}

/* OK: the failure is undone with platform_device_put(). */
int rg_static_pdev_ok(void)
{
	int ret;

	ret = platform_device_register(&rg_pdev2);
	if (ret)
		platform_device_put(&rg_pdev2);
	return ret;
}

/* BUG: a static struct device whose device_register() failure jumps past any put. */
int rg_static_dev_bad(void)
{
	int ret;

	rg_mdev.release = rg_release;
	ret = device_register(&rg_mdev);
	if (ret)
		goto err;
	return 0;
err:
	return ret; // expect-warning{{krefcheck-leak}}{{'rg_mdev' from device_register() (line 58) is not released on this path (put_device() missing)}}
}

/* OK: same, with put_device() on the failure path. */
int rg_static_dev_ok(void)
{
	int ret;

	rg_mdev2.release = rg_release;
	ret = device_register(&rg_mdev2);
	if (ret)
		goto err;
	return 0;
err:
	put_device(&rg_mdev2);
	return ret;
}

/* BUG: kfree() of a platform device whose registration failed. */
int rg_heap_pdev_bad(void)
{
	struct platform_device *pd;
	int ret;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return -ENOMEM;
	pd->name = "acme-heap";
	ret = platform_device_register(pd);
	if (ret)
		kfree(pd); // expect-warning{{krefcheck-wrong-release}}{{'pd' from platform_device_register() (line 91) is a counted reference: free it with put_device(), not kfree()}}
	return ret;
}

/* helper: returns the registration's result (failure: the caller owes a put_device()) */
static int rg_reg(struct rg_foo *f)
{
	return device_register(&f->dev);
}

/* helper: the same through a local */
static int rg_reg_log(struct rg_foo *f)
{
	int ret;

	ret = device_register(&f->dev);
	if (ret)
		pr_err("rg: register failed\n");
	return ret;
}

/* BUG: kfree() after the wrapper's registration failed. */
int rg_wrapper_kfree_bad(int id)
{
	struct rg_foo *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->id = id;
	f->dev.release = rg_release;
	if (rg_reg(f)) {
		kfree(f); // expect-warning{{krefcheck-wrong-release}}{{'f' from rg_reg() (line 124) is a counted reference: free it with put_device(), not kfree()}}
		return -EIO;
	}
	return 0;
}

/* BUG: the wrapper's failure is returned without the put. */
int rg_wrapper_leak_bad(int id)
{
	struct rg_foo *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->id = id;
	f->dev.release = rg_release;
	ret = rg_reg_log(f);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}{{'f' from rg_reg_log() (line 142) is not released on this path (put_device() missing)}}
	return 0;
}

/* OK: put_device() after the wrapper failed. */
int rg_wrapper_ok(int id)
{
	struct rg_foo *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->id = id;
	f->dev.release = rg_release;
	ret = rg_reg(f);
	if (ret)
		put_device(&f->dev);
	return ret;
}

/* BUG: amba_device_register() failure leaves the reference of amba_device_initialize(). */
int rg_amba_bad(struct amba_device *adev, struct resource *parent)
{
	struct amba_device *d;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->periphid = adev->periphid;
	ret = amba_device_register(d, parent);
	if (ret)
		kfree(d); // expect-warning{{krefcheck-wrong-release}}{{'d' from amba_device_register() (line 175) is a counted reference: free it with put_device(), not kfree()}}
	return ret;
}

/* OK: amba_device_alloc() + amba_device_add(), amba_device_put() on failure. */
int rg_amba_ok(struct resource *parent)
{
	struct amba_device *d;
	int ret;

	d = amba_device_alloc("acme-amba", 0x1000, 0x100);
	if (!d)
		return -ENOMEM;
	ret = amba_device_add(d, parent);
	if (ret)
		amba_device_put(d);
	return ret;
}

/* OK: registration returns 0 or a negative errno: `ret >= 0` is its success. */
int rg_negative_check_ok(void)
{
	struct platform_device *pd;
	int ret;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return -ENOMEM;
	pd->name = "acme-neg";
	ret = platform_device_register(pd);
	if (ret < 0) {
		platform_device_put(pd);
		return ret;
	}
	return 0;
}

/* helper: also fails after a successful registration, which it undoes itself */
static int rg_reg_files(struct rg_foo *f)
{
	int ret;

	ret = device_register(&f->dev);
	if (ret)
		return ret;
	ret = rg_create_files(&f->dev);
	if (ret)
		device_unregister(&f->dev);
	return ret;
}

/* OK here: a failure of rg_reg_files() may come after its device_unregister() dropped the
 * last reference, so its summary claims nothing for its failures (the put missing after its
 * own failed device_register() is the helper's to fix). */
int rg_wrapper_files_ok(int id)
{
	struct rg_foo *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->id = id;
	f->dev.release = rg_release;
	ret = rg_reg_files(f);
	if (ret)
		return ret;
	return 0;
}

static struct platform_device rg_pdev3 = {
	.name = "acme-rg3",
	.id = -1,
};

/* A same-file wrapper: a failed registration leaves the reference with its caller. */
static int rg_register_checked(struct platform_device *pdev, int nres)
{
	if (pdev->num_resources != nres)
		return -ENXIO;
	return platform_device_register(pdev);
}

/* BUG: the wrapper's failed registration of a static device is never undone. */
void rg_static_wrapped_bad(void)
{
	int ret = rg_register_checked(&rg_pdev3, 1);

	if (ret)
		pr_warn("acme: no rg3\n");
} // expect-warning{{krefcheck-leak}}
