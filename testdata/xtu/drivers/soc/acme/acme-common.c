// Cross-TU case, part 1: helpers of the ACME SoC driver, defined in this file and used from
// the others. Nothing here is a bug; each function gets a whole-program summary.
// expect-no-findings
#include <linux/device.h>
#include <linux/export.h>
#include <linux/of.h>

static struct device_node *acme_registry;
extern struct device_node *acme_cache[8];
extern struct device *acme_bus_lookup(int id);

/**
 * acme_find_ctrl - find the ACME controller node
 *
 * Return: a node pointer with refcount incremented, use of_node_put() on it when done.
 */
struct device_node *acme_find_ctrl(void)
{
	return of_find_compatible_node(NULL, NULL, "acme,ctrl");
}
EXPORT_SYMBOL_GPL(acme_find_ctrl);

/**
 * acme_put_ctrl - release the controller node
 * @np: node from acme_find_ctrl()
 *
 * Drops the reference count of @np.
 */
void acme_put_ctrl(struct device_node *np)
{
	of_node_put(np);
}
EXPORT_SYMBOL_GPL(acme_put_ctrl);

/* Takes over the caller's reference: it lives as long as the registry. */
int acme_register_node(struct device_node *np)
{
	acme_registry = np;
	return 0;
}
EXPORT_SYMBOL_GPL(acme_register_node);

/**
 * acme_next_port - iterate over the ports of a controller
 * @ctrl: the controller
 * @prev: previous port, or NULL to start
 *
 * of_node_put() will be called on @prev.
 *
 * Return: a port node pointer with refcount incremented, use of_node_put() on it when done.
 */
struct device_node *acme_next_port(struct device_node *ctrl, struct device_node *prev)
{
	return of_get_next_child(ctrl, prev);
}
EXPORT_SYMBOL(acme_next_port);

/**
 * acme_lookup_cached - a cached node
 * @idx: cache slot
 *
 * Return: the node with its refcount incremented; the caller must call of_node_put().
 */
struct device_node *acme_lookup_cached(int idx)
{
	struct device_node *np = acme_cache[idx];

	of_node_get(np);
	return np;
}
EXPORT_SYMBOL(acme_lookup_cached);

/**
 * acme_bus_get_device - look up a device on the ACME bus
 * @id: bus id
 *
 * The caller must call put_device() on the returned device when done.
 */
struct device *acme_bus_get_device(int id)
{
	return get_device(acme_bus_lookup(id));
}
EXPORT_SYMBOL_GPL(acme_bus_get_device);

/* Copies the node into a parser the caller passes (the caller decides what that means). */
struct acme_parser {
	struct device_node *node;
	int pos;
};

void acme_parser_init(struct acme_parser *parser, struct device_node *np)
{
	parser->node = np;
	parser->pos = 0;
}
EXPORT_SYMBOL_GPL(acme_parser_init);

/* Two modules both define a non-static acme_dup_get() (acme-alt.c returns a borrowed
 * pointer): which one a caller gets is not known, so neither summary is used. */
struct device_node *acme_dup_get(void)
{
	return of_find_node_by_path("/acme");
}

/* Static: a file-local helper, never visible to other files (acme-user.c has its own). */
static struct device_node *acme_node(void)
{
	return of_find_node_by_path("/acme/local");
}

void acme_common_init(void)
{
	acme_register_node(acme_node());
}

extern int acme_check_node(struct device_node *np);
extern int acme_is_multi(struct device_node *np);

/* Takes over the caller's reference only when it returns 0. */
int acme_publish_node(struct device_node *np)
{
	if (acme_check_node(np))
		return -EINVAL;
	acme_registry = np;
	return 0;
}
EXPORT_SYMBOL_GPL(acme_publish_node);

/* Looks at np (or its parent) under a reference of its own: a borrow. */
void acme_peek_node(struct device_node *np)
{
	of_node_get(np);
	if (acme_is_multi(np)) {
		struct device_node *parent = of_get_parent(np);

		of_node_put(np);
		np = parent;
	}
	of_node_put(np);
}
EXPORT_SYMBOL_GPL(acme_peek_node);

/* Touches no reference: defined in the run, without a summary. */
int acme_node_index(struct device_node *np)
{
	return np ? 1 : 0;
}
EXPORT_SYMBOL_GPL(acme_node_index);

#include <linux/slab.h>

#include "acme-pipe.h"

/* The release path of acme_pipe.of_output_port for the whole run: acme-alt.c stores the
 * reference and does not put it itself. */
void acme_pipe_destroy(struct acme_pipe *pipe)
{
	of_node_put(pipe->of_output_port);
	kfree(pipe);
}
