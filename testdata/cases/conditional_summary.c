// Theme: what a same-file helper does to its parameter depends on the path: it takes and drops
// a reference of its own (a borrow, also through another family's view of the object), hands
// the parameter over only when it succeeds, or releases it on some failure exits but not on
// others.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>
#include <linux/property.h>
#include <linux/slab.h>

struct cs_priv {
	struct device_node *np;
	struct fwnode_handle *fwnode;
};

static struct cs_priv *cs_global;

extern int cs_is_multi(struct device_node *port);
extern int cs_check(struct device_node *np);
extern int cs_register(struct cs_priv *p);

/* The next port after *port: an iterator step on an out-parameter. */
static struct device_node *cs_next_ep(struct device_node **port)
{
	struct device_node *parent = of_get_parent(*port);
	struct device_node *ep = NULL;

	*port = of_get_next_child(parent, *port);
	if (*port)
		ep = of_get_next_child(*port, NULL);
	of_node_put(parent);
	return ep;
}

/*
 * Gets its own reference on port and drops it at its end; on the multi branch port is
 * replaced through an out-parameter step. Balanced: a borrow for its callers.
 */
static void cs_link_init(struct device_node *port)
{
	struct device_node *ep;

	of_node_get(port);
	if (cs_is_multi(port)) {
		ep = cs_next_ep(&port);
		of_node_put(port);
		port = of_get_parent(ep);
	} else {
		ep = of_get_next_child(port, NULL);
	}
	of_node_put(port);
	of_node_put(ep);
}

int cs_link_user(struct device_node *parent)
{
	struct device_node *port = of_get_child_by_name(parent, "port");

	if (!port)
		return -ENODEV;
	cs_link_init(port);
	of_node_put(port);
	return 0;
}

/* The bug next to it: the caller's own reference is never dropped. */
int cs_link_user_leak(struct device_node *parent)
{
	struct device_node *port = of_get_child_by_name(parent, "port");

	if (!port)
		return -ENODEV;
	cs_link_init(port);
	return 0; // expect-warning{{krefcheck-leak}}
}

/*
 * Takes a fwnode reference on np (another family's view of the same object) for the priv and
 * drops it through of_node_put(np) when registration fails: balanced, np is borrowed.
 */
static int cs_add_fwnode(struct device_node *np, struct cs_priv *p)
{
	int ret;

	p->fwnode = fwnode_handle_get(of_fwnode_handle(np));
	ret = cs_register(p);
	if (ret)
		goto err;
	return 0;
err:
	of_node_put(np);
	return ret;
}

int cs_fwnode_user(struct device_node *parent, struct cs_priv *p)
{
	struct device_node *np = of_get_child_by_name(parent, "chip");
	int ret;

	if (!np)
		return -ENODEV;
	ret = cs_add_fwnode(np, p);
	of_node_put(np);
	return ret;
}

/* The look-alike without the get: np is released when registration fails. */
static int cs_add_consume(struct device_node *np, struct cs_priv *p)
{
	int ret;

	ret = cs_register(p);
	if (ret)
		goto err;
	return 0;
err:
	of_node_put(np);
	return ret;
}

int cs_consume_user(struct device_node *parent, struct cs_priv *p)
{
	struct device_node *np = of_get_child_by_name(parent, "chip");
	int ret;

	if (!np)
		return -ENODEV;
	ret = cs_add_consume(np, p);
	of_node_put(np); // expect-warning{{krefcheck-double-put}}
	return ret;
}

/* Hands np over (to a global) only when it returns 0. */
static int cs_publish(struct device_node *np)
{
	if (cs_check(np))
		return -EINVAL;
	cs_global->np = np;
	return 0;
}

int cs_publish_leak(struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "x");
	int ret;

	ret = cs_publish(np);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}
	return 0;
}

int cs_publish_ok(struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "x");
	int ret;

	ret = cs_publish(np);
	if (ret) {
		of_node_put(np);
		return ret;
	}
	return 0;
}

/* Releases np on one failure exit and forgets it on the other. */
static int cs_setup(struct device_node *np)
{
	if (cs_check(np)) {
		of_node_put(np);
		return -EINVAL;
	}
	if (!cs_global)
		return -EIO; // expect-warning{{krefcheck-leak}}{{parameter 'np' is released by of_node_put() on a failure exit (line 170) but not on this one: a caller cannot tell whether it still holds the reference (of_node_put() missing)}}
	cs_global->np = np;
	return 0;
}

int cs_setup_user(struct device_node *parent)
{
	return cs_setup(of_get_child_by_name(parent, "x"));
}

/* The look-alike: released on every failure exit, stored on success. */
static int cs_setup_consistent(struct device_node *np)
{
	if (cs_check(np)) {
		of_node_put(np);
		return -EINVAL;
	}
	if (!cs_global) {
		of_node_put(np);
		return -EIO;
	}
	cs_global->np = np;
	return 0;
}

int cs_setup_consistent_user(struct device_node *parent)
{
	return cs_setup_consistent(of_get_child_by_name(parent, "x"));
}

/* Released only on failure, by every failure exit: the caller keeps it on success. */
static int cs_check_or_put(struct device_node *np)
{
	if (cs_check(np)) {
		of_node_put(np);
		return -EINVAL;
	}
	if (!cs_global) {
		of_node_put(np);
		return -EIO;
	}
	return 0;
}

int cs_check_user(struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "x");

	if (cs_check_or_put(np))
		return -EINVAL;
	of_node_put(np);
	return 0;
}

/* An error pointer holds nothing: the exit that tests for it keeps nothing. */
static int cs_setup_err(struct device_node *np)
{
	if (IS_ERR(np))
		return -EINVAL;
	if (cs_check(np)) {
		of_node_put(np);
		return -EIO;
	}
	cs_global->np = np;
	return 0;
}

int cs_setup_err_user(struct device_node *parent)
{
	return cs_setup_err(of_get_child_by_name(parent, "x"));
}
