// Theme: same-file static helpers that return a reference or release one.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

struct sh_priv {
	struct device *dev;
	struct device_node *ctrl;
	u32 ctrl_reg;
};

/* helper: returns a new reference (or NULL) */
static struct device_node *sh_find_ctrl(void)
{
	return of_find_compatible_node(NULL, NULL, "acme,ctrl");
}

/* helper: returns a new reference on the device's own node */
static struct device_node *sh_get_dev_node(struct device *dev)
{
	return of_node_get(dev->of_node);
}

/* helper: releases its argument */
static void sh_put_ctrl(struct device_node *np)
{
	of_node_put(np);
}

/* helper: takes over the reference by storing it */
static void sh_set_ctrl(struct sh_priv *priv, struct device_node *np)
{
	priv->ctrl = np;
}

/* helper: returns the matching child from a loop (ownership to the caller) */
static struct device_node *sh_find_port(struct device_node *np, u32 id)
{
	struct device_node *child;
	u32 reg;

	for_each_child_of_node(np, child) {
		if (!of_property_read_u32(child, "reg", &reg) && reg == id)
			return child;
	}
	return NULL;
}

/* helper: looks up and releases internally, returns an int */
static int sh_read_ctrl_reg(u32 *reg)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL, "acme,ctrl");
	int ret;

	if (!np)
		return -ENODEV;
	ret = of_property_read_u32(np, "reg", reg);
	of_node_put(np);
	return ret;
}

/* OK: helper result released through the put helper. */
int sh_use_ctrl_ok(u32 *reg)
{
	struct device_node *np;
	int ret;

	np = sh_find_ctrl();
	if (!np)
		return -ENODEV;
	ret = of_property_read_u32(np, "reg", reg);
	sh_put_ctrl(np);
	return ret;
}

/* BUG: helper result leaked on the disabled path. */
int sh_use_ctrl_bad(void)
{
	struct device_node *np;

	np = sh_find_ctrl();
	if (!np)
		return -ENODEV;
	if (!of_device_is_available(np))
		return -ENODEV; // expect-warning{{krefcheck-leak}}{{'np' from sh_find_ctrl() (line 82) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (!of_device_is_available(np)) {\n\t\tof_node_put(np);\n\t}}}
	sh_put_ctrl(np);
	return 0;
}

/* OK: helper result stored through the store helper. */
int sh_store_ctrl_ok(struct sh_priv *priv)
{
	struct device_node *np;

	np = sh_find_ctrl();
	if (!np)
		return -ENODEV;
	sh_set_ctrl(priv, np);
	return 0;
}

/* BUG: the of_node_get() inside the helper is never balanced on the read error. */
int sh_dev_node_bad(struct sh_priv *priv)
{
	struct device_node *np;

	np = sh_get_dev_node(priv->dev);
	if (of_property_read_u32(np, "acme,ctrl-reg", &priv->ctrl_reg))
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'np' from sh_get_dev_node() (line 108) is not released on this path (of_node_put() missing)}} expect-fix{{-1,2}}{{\tif (of_property_read_u32(np, "acme,ctrl-reg", &priv->ctrl_reg)) {\n\t\tof_node_put(np);\n\t}}}
	of_node_put(np);
	return 0;
}

/* OK: the helper's reference is put on both paths. */
int sh_dev_node_ok(struct sh_priv *priv)
{
	struct device_node *np;
	int ret;

	np = sh_get_dev_node(priv->dev);
	ret = of_property_read_u32(np, "acme,ctrl-reg", &priv->ctrl_reg);
	of_node_put(np);
	return ret;
}

/* OK: the port returned by the looping helper is put. */
int sh_port_ok(struct device_node *np)
{
	struct device_node *port;
	bool avail;

	port = sh_find_port(np, 1);
	if (!port)
		return -ENODEV;
	avail = of_device_is_available(port);
	of_node_put(port);
	return avail ? 0 : -ENODEV;
}

/* OK: a helper that balances internally needs nothing from the caller. */
int sh_read_ok(struct sh_priv *priv)
{
	return sh_read_ctrl_reg(&priv->ctrl_reg);
}

/* A helper that copies the node into a parser the caller passes. */
struct sh_parser {
	struct device_node *node;
	int pos;
};

static void sh_parser_init(struct sh_parser *p, struct device_node *np)
{
	p->node = np;
	p->pos = 0;
}

/* BUG: the parser lives on this stack; it only borrows np, which is never put. */
int sh_parse_bad(void)
{
	struct sh_parser parser;
	struct device_node *np = of_find_node_by_path("/sh");

	if (!np)
		return -ENODEV;
	sh_parser_init(&parser, np);
	return parser.pos; // expect-warning{{krefcheck-leak}}{{'np' from of_find_node_by_path() (line 163) is not released on this path (of_node_put() missing)}}
}

/* OK: the same helper storing into the driver's long-lived state takes the reference. */
int sh_parse_keep(struct sh_parser *keep)
{
	struct device_node *np = of_find_node_by_path("/sh");

	if (!np)
		return -ENODEV;
	sh_parser_init(keep, np);
	return 0;
}

struct sh_banks {
	struct device_node *nodes[4];
	int n;
};

/* helper: an iterator step. It drops `prev` on every path (in the branch that ends the walk,
 * and before taking the next node) and returns a new reference or NULL. */
static struct device_node *sh_next_bank(struct sh_banks *b, struct device_node *prev, int *pos)
{
	if (*pos >= b->n) {
		of_node_put(prev);
		return NULL;
	}
	of_node_put(prev);
	return of_node_get(b->nodes[(*pos)++]);
}

/* OK: the walk ends with the step returning NULL after dropping the last node. */
int sh_count_banks_ok(struct sh_banks *b)
{
	struct device_node *np = NULL;
	int pos = 0, n = 0;

	while ((np = sh_next_bank(b, np, &pos)))
		n++;
	return n;
}

/* BUG: leaving the walk early keeps the current node's reference. */
int sh_find_bank_bad(struct sh_banks *b)
{
	struct device_node *np = NULL;
	int pos = 0;

	while ((np = sh_next_bank(b, np, &pos)))
		if (of_device_is_available(np))
			return pos; // expect-warning{{krefcheck-loop-leak}}{{'np' from sh_next_bank() (line 216) is not released when leaving the loop early (of_node_put() missing)}} expect-fix{{-1,2}}{{\t\tif (of_device_is_available(np)) {\n\t\t\tof_node_put(np);\n\t\t}}}
	return -ENODEV;
}
