// Theme: setters that replace the reference a field holds, and APIs that fill a field with one.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct fs_child {
	struct device dev;
	int id;
};

/* OK: a setter drops the reference the field holds and stores a new one. */
void fs_set_node(struct device *dev, struct device_node *np)
{
	of_node_put(dev->of_node);
	dev->of_node = of_node_get(np);
}

/* BUG: dropping the field's reference without replacing it is not this function's to do. */
void fs_clear_node_bad(struct device *dev)
{
	of_node_put(dev->of_node); // expect-warning{{krefcheck-put-unowned}}
}

int fs_register(struct fs_child *child);

/* OK: device_set_of_node_from_dev() gives child->dev.of_node a reference; the error path puts
 * it, and on success the registered device keeps it. */
int fs_add_child_ok(struct device *parent, struct fs_child *child)
{
	int ret;

	device_set_of_node_from_dev(&child->dev, parent);
	ret = fs_register(child);
	if (ret) {
		of_node_put(child->dev.of_node);
		return ret;
	}
	return 0;
}

/* BUG: the error path frees the child while its dev.of_node still holds the reference
 * device_set_of_node_from_dev() took. */
int fs_new_child_bad(struct device *parent, int id)
{
	struct fs_child *child = kzalloc(sizeof(*child), GFP_KERNEL);

	if (!child)
		return -ENOMEM;
	child->id = id;
	device_set_of_node_from_dev(&child->dev, parent);
	if (id < 0) {
		kfree(child); // expect-warning{{krefcheck-leak}}
		return -EINVAL;
	}
	return fs_register(child);
}

struct fs_slave {
	struct device dev;
	struct device *master;
};

/* BUG (__w1_attach_slave_device() in 6.12): of_find_matching_node() drops a reference on its
 * `from`, the master's borrowed of_node. Storing into the slave's own dev.of_node is a setter
 * of another object's field: it does not make the master's reference this function's. */
void fs_attach_slave_bad(struct fs_slave *sl, const struct of_device_id *match)
{
	sl->dev.of_node = of_find_matching_node(sl->master->of_node, match); // expect-warning{{krefcheck-put-unowned}}
}
