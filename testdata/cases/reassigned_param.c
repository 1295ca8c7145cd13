// Theme: a summary of a parameter that the function reassigns before a get: the get is on
// the new object (`rdev = dummy_rdev; get_device(&rdev->dev);`, drivers/regulator/core.c
// _regulator_get_common()), not the caller's; the caller's reference is put or stored.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct rp_rdev {
	struct device dev;
	int exclusive;
};

struct rp_reg {
	struct rp_rdev *rdev;
	struct device *dev;
};

extern struct rp_rdev *rp_dummy_rdev;

static struct rp_reg *rp_create(struct rp_rdev *rdev, struct device *dev)
{
	struct rp_reg *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->rdev = rdev;
	r->dev = dev;
	return r;
}

/* Takes over rdev: puts it on failure, keeps it in the new rp_reg on success. */
struct rp_reg *rp_get_common(struct rp_rdev *rdev, struct device *dev)
{
	struct rp_reg *reg;

	if (IS_ERR(rdev)) {
		rdev = rp_dummy_rdev;
		if (!rdev)
			return ERR_PTR(-EPROBE_DEFER);
		get_device(&rdev->dev);
	}
	if (rdev->exclusive) {
		put_device(&rdev->dev);
		return ERR_PTR(-EPERM);
	}
	reg = rp_create(rdev, dev);
	if (!reg) {
		put_device(&rdev->dev);
		return ERR_PTR(-ENOMEM);
	}
	return reg;
}

static struct rp_rdev *rp_lookup(const char *name)
{
	struct device *d = bus_find_device_by_name(NULL, NULL, name);

	return d ? container_of(d, struct rp_rdev, dev) : ERR_PTR(-ENODEV);
}

/* OK: rp_get_common() takes the lookup's reference. */
struct rp_reg *rp_get_ok(struct device *dev, const char *name)
{
	struct rp_rdev *rdev = rp_lookup(name);

	return rp_get_common(rdev, dev);
}

/* BUG: a busy device returns without passing the lookup's reference on or putting it. */
struct rp_reg *rp_get_bad(struct device *dev, const char *name, bool busy)
{
	struct rp_rdev *rdev = rp_lookup(name);

	if (!IS_ERR(rdev) && busy)
		return ERR_PTR(-EBUSY); // expect-warning{{krefcheck-leak}}
	return rp_get_common(rdev, dev);
}

/* Borrows root: the get inside the reassignment is on the caller's node (the shape of
 * drivers/of/platform.c of_platform_populate()). */
int rp_populate(struct device_node *root)
{
	root = root ? of_node_get(root) : of_find_node_by_path("/");
	if (!root)
		return -EINVAL;
	of_node_put(root);
	return 0;
}

/* OK: dev->of_node is only lent to rp_populate(). */
int rp_populate_dev_ok(struct device *dev)
{
	return rp_populate(dev->of_node);
}

/* Borrows np: the put is of the +1 reference np was given (drivers/net/ethernet/cadence/
 * macb_main.c macb_phy_handle_exists(); v4l2_fwnode_parse_link() likewise). */
static bool rp_has_handle(struct device_node *np)
{
	np = of_parse_phandle(np, "phy-handle", 0);
	of_node_put(np);
	return np != NULL;
}

/* OK: the caller's node is not put by rp_has_handle(); this put is the only one. */
int rp_has_handle_ok(const char *path)
{
	struct device_node *np = of_find_node_by_path(path);
	bool has;

	if (!np)
		return -ENODEV;
	has = rp_has_handle(np);
	of_node_put(np);
	return has;
}

/* Puts the caller's np when asked to skip: the goto jumps over the reassignment. */
static int rp_parent_or_self_put(struct device_node *np, int self)
{
	if (self)
		goto out;
	np = of_get_parent(np);
	if (!np)
		return -ENODEV;
out:
	of_node_put(np);
	return 0;
}

/* BUG: with self set, rp_parent_or_self_put() already put np. */
int rp_parent_or_self_bad(const char *path)
{
	struct device_node *np = of_find_node_by_path(path);

	if (!np)
		return -ENODEV;
	rp_parent_or_self_put(np, 1);
	of_node_put(np); // expect-warning{{krefcheck-double-put}}
	return 0;
}
