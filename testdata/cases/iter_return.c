// Theme: returning from inside a for_each_* loop.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>

struct ir_priv {
	u32 regs[8];
	int nregs;
};

/* BUG: the error return inside the loop keeps the current child. */
int ir_parse_bad(struct ir_priv *priv, struct device_node *parent)
{
	struct device_node *child;
	u32 reg;

	priv->nregs = 0;
	for_each_available_child_of_node(parent, child) {
		if (of_property_read_u32(child, "reg", &reg))
			return -EINVAL; // expect-warning{{krefcheck-loop-leak}}
		if (priv->nregs < 8)
			priv->regs[priv->nregs++] = reg;
	}
	return 0;
}

/* OK: the child is put before the error return. */
int ir_parse_ok(struct ir_priv *priv, struct device_node *parent)
{
	struct device_node *child;
	u32 reg;

	priv->nregs = 0;
	for_each_available_child_of_node(parent, child) {
		if (of_property_read_u32(child, "reg", &reg)) {
			of_node_put(child);
			return -EINVAL;
		}
		if (priv->nregs < 8)
			priv->regs[priv->nregs++] = reg;
	}
	return 0;
}

/* OK: returning the child hands its reference to the caller. */
struct device_node *ir_find_bank(struct device_node *parent, u32 id)
{
	struct device_node *child;
	u32 reg;

	for_each_child_of_node(parent, child) {
		if (!of_property_read_u32(child, "reg", &reg) && reg == id)
			return child;
	}
	return NULL;
}

/* BUG: returning an int from inside for_each_node_by_type keeps the node. */
int ir_by_type_bad(const char *model)
{
	struct device_node *np;
	const char *m;

	for_each_node_by_type(np, "cpu") {
		if (!of_property_read_string(np, "model", &m) && !strcmp(m, model))
			return 1; // expect-warning{{krefcheck-loop-leak}}
	}
	return 0;
}

/* OK: as above, put first. */
int ir_by_type_ok(const char *model)
{
	struct device_node *np;
	const char *m;

	for_each_node_by_type(np, "cpu") {
		if (!of_property_read_string(np, "model", &m) && !strcmp(m, model)) {
			of_node_put(np);
			return 1;
		}
	}
	return 0;
}

/* OK: for_each_matching_node_and_match returns the node (ownership to the caller). */
struct device_node *ir_first_match(const struct of_device_id *ids,
				   const void **data)
{
	const struct of_device_id *match;
	struct device_node *np;

	for_each_matching_node_and_match(np, ids, &match) {
		if (of_device_is_available(np)) {
			*data = match->data;
			return np;
		}
	}
	return NULL;
}

/* BUG: for_each_matching_node left by return. */
int ir_matching_bad(const struct of_device_id *ids)
{
	struct device_node *np;

	for_each_matching_node(np, ids) {
		if (of_property_read_bool(np, "acme,broken"))
			return -EIO; // expect-warning{{krefcheck-loop-leak}}
	}
	return 0;
}

/* OK: for_each_of_cpu_node, put before returning the id. */
int ir_cpu_id_ok(u32 hwid)
{
	struct device_node *cpu;
	u32 reg;
	int id = 0;

	for_each_of_cpu_node(cpu) {
		if (!of_property_read_u32(cpu, "reg", &reg) && reg == hwid) {
			of_node_put(cpu);
			return id;
		}
		id++;
	}
	return -ENODEV;
}
