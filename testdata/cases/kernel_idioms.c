// Theme: ownership idioms seen in real kernel code (release callbacks, detach teardown,
// references kept on purpose, helpers that put their argument on error, __free in loops).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>

struct ki_dev {
	struct device dev;
	int id;
};

/* OK: a release callback drops the device's own of_node reference (vio_dev_release()). */
static void ki_dev_release(struct device *dev)
{
	of_node_put(dev->of_node);
	kfree(container_of(dev, struct ki_dev, dev));
}

int ki_register(struct ki_dev *k, struct device_node *np)
{
	k->dev.of_node = of_node_get(np);
	k->dev.release = ki_dev_release;
	return device_register(&k->dev);
}

/* OK: release callbacks named in designated initialisers, the kernel's way (usb_device_type's
 * .release = usb_release_dev, ulpi_dev_type, mipi_dsi_device_type; a class's .dev_release). */
static void ki_type_release(struct device *dev)
{
	of_node_put(dev->of_node);
	kfree(container_of(dev, struct ki_dev, dev));
}

static const struct device_type ki_type = {
	.name = "ki",
	.release = ki_type_release,
};

static void ki_class_release(struct device *dev)
{
	of_node_put(dev->of_node);
	kfree(container_of(dev, struct ki_dev, dev));
}

const struct class ki_class = {
	.name = "ki",
	.dev_release = ki_class_release,
};

int ki_register_typed(struct ki_dev *k, struct device_node *np)
{
	k->dev.of_node = of_node_get(np);
	k->dev.type = &ki_type;
	return device_register(&k->dev);
}

/* BUG: the same put in a function that is no release callback. */
void ki_not_a_release(struct device *dev)
{
	of_node_put(dev->of_node); // expect-warning{{krefcheck-put-unowned}}
}

/* OK: recursive detach (pseries dlpar_detach_node()): of_detach_node() hands the tree's
 * reference to the caller, which drops it; the iterator's own reference is untouched. */
int ki_detach(struct device_node *dn)
{
	struct device_node *child;
	int rc;

	for_each_child_of_node(dn, child)
		ki_detach(child);

	rc = of_detach_node(dn);
	if (rc)
		return rc;
	of_node_put(dn);
	return 0;
}

/* OK: a reference kept for the object's lifetime on purpose (__of_attach_node_sysfs()). */
int ki_keep_for_sysfs(struct device_node *np)
{
	if (!of_node_name_eq(np, "acme"))
		return -EINVAL;
	of_node_get(np);
	return 0;
}

/* OK: a bus probe keeps the device reference while bound, drops it on failure. */
int ki_bus_probe(struct device *dev, int (*probe)(struct device *))
{
	int error;

	get_device(dev);
	error = probe(dev);
	if (error)
		put_device(dev);
	return error;
}

/* A helper that drops the node on its error path only (find_nx_device_tree()). */
static int ki_setup_node(struct device_node *dn, int type)
{
	int ret = 0;

	if (of_device_is_compatible(dn, "acme,nx")) {
		ret = type ? -EINVAL : 0;
		if (ret)
			of_node_put(dn);
	}
	return ret;
}

/* BUG: the helper already dropped dn when it failed; the caller drops it again. */
int ki_setup_all_bad(struct device_node *pn)
{
	struct device_node *dn;
	int ret;

	for_each_child_of_node(pn, dn) {
		ret = ki_setup_node(dn, 1);
		if (ret) {
			of_node_put(dn); // expect-warning{{krefcheck-double-put}}
			return ret;
		}
	}
	return 0;
}

/* OK: the caller leaves the failed node to the helper. */
int ki_setup_all_ok(struct device_node *pn)
{
	struct device_node *dn;
	int ret;

	for_each_child_of_node(pn, dn) {
		ret = ki_setup_node(dn, 1);
		if (ret)
			return ret;
	}
	return 0;
}

/* A helper returning a counted node (__find_pe_total_msi()). */
static struct device_node *ki_find_with_prop(struct device_node *node, int *total)
{
	struct device_node *dn = of_node_get(node);

	while (dn) {
		if (of_property_read_u32(dn, "acme,total", (u32 *)total) == 0)
			return dn;
		dn = of_get_next_parent(dn);
	}
	return NULL;
}

/* BUG: the result is only tested, never put (pseries_msi_allocate_domains()). */
int ki_total_bad(struct device_node *np)
{
	int total;

	if (!ki_find_with_prop(np, &total))
		return -ENOSPC;
	return total; // expect-warning{{krefcheck-leak}}
}

/* OK: the node is put after the test. */
int ki_total_ok(struct device_node *np)
{
	struct device_node *dn;
	int total;

	dn = ki_find_with_prop(np, &total);
	if (!dn)
		return -ENOSPC;
	of_node_put(dn);
	return total;
}

/* OK: a __free() variable declared in a loop body is released at the end of every iteration
 * (of_link_property()). */
int ki_free_in_loop(struct device_node *con_np, int n)
{
	int i, found = 0;

	for (i = 0; i < n; i++) {
		struct device_node *np __free(device_node) = of_node_get(con_np);

		if (of_property_read_bool(np, "acme,x"))
			found++;
	}
	return found;
}

static int ki_match(struct device *dev, void *data)
{
	return dev->id == *(u32 *)data;
}

/* OK (pwm_unexport_child()): the lookup's reference is put, then the device is unregistered:
 * the registration's reference keeps it until device_unregister() drops it. */
void ki_unexport(struct device *parent, u32 id)
{
	struct device *d = device_find_child(parent, &id, ki_match);

	if (!d)
		return;
	put_device(d);
	device_unregister(d);
}

/* BUG: the same put followed by a use that is no unregistration. */
u32 ki_put_then_read(struct device *parent, u32 id)
{
	struct device *d = device_find_child(parent, &id, ki_match);

	if (!d)
		return 0;
	put_device(d);
	return d->id; // expect-warning{{krefcheck-use-after-put}}
}

struct ki_bridge {
	struct device dev;
	int busy;
};

extern int ki_bridge_check(struct ki_bridge *b);

static struct ki_bridge *ki_bridge_claim(struct device *d)
{
	struct ki_bridge *b = container_of(d, struct ki_bridge, dev);
	int ret;

	if (b->busy)
		return ERR_PTR(-EBUSY);
	ret = ki_bridge_check(b);
	if (ret)
		return ERR_PTR(ret);
	b->busy = 1;
	return b;
}

/* OK (fpga_bridge_get()): the found device goes back inside its container; when the claim
 * fails (an ERR_PTR() from the callee, constant or not), the device is put. */
struct ki_bridge *ki_bridge_get(struct device *parent, u32 id)
{
	struct device *d = device_find_child(parent, &id, ki_match);
	struct ki_bridge *b;

	if (!d)
		return ERR_PTR(-ENODEV);
	b = ki_bridge_claim(d);
	if (IS_ERR(b))
		put_device(d);
	return b;
}

/* BUG: no put when the claim fails. */
struct ki_bridge *ki_bridge_get_bad(struct device *parent, u32 id)
{
	struct device *d = device_find_child(parent, &id, ki_match);

	if (!d)
		return ERR_PTR(-ENODEV);
	return ki_bridge_claim(d); // expect-warning{{krefcheck-leak}}
}

static struct ki_bridge *ki_bridge_lookup(struct device *parent, u32 id)
{
	struct device *d = device_find_child(parent, &id, ki_match);

	if (!d)
		return ERR_PTR(-ENODEV);
	return container_of(d, struct ki_bridge, dev);
}

/* OK (wwan_dev_get_by_parent() and its callers): IS_ERR() of what the inlined lookup returned
 * inside its container is false, so no path leaves with the reference as an "error". */
int ki_bridge_use(struct device *parent, u32 id)
{
	struct ki_bridge *b = ki_bridge_lookup(parent, id);

	if (IS_ERR(b))
		return PTR_ERR(b);
	b->busy = 1;
	put_device(&b->dev);
	return 0;
}
