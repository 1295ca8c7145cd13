// Theme: leaving a for_each_* loop (or an open-coded iterator walk) with break.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>

/* BUG: break keeps the reference of the child that matched. */
int ib_child_bad(struct device_node *parent)
{
	struct device_node *child;
	int found = 0;

	for_each_child_of_node(parent, child) {
		found = of_property_read_bool(child, "acme,primary");
		if (found)
			break;
	}
	return found; // expect-warning{{krefcheck-loop-leak}}{{'child' from of_get_next_child() (line 12) is not released when leaving the loop early (of_node_put() missing)}} expect-fix{{+0}}{{\tof_node_put(child);}}
}

/* OK: the child is put before the break. */
int ib_child_ok(struct device_node *parent)
{
	struct device_node *child;
	int found = 0;

	for_each_child_of_node(parent, child) {
		if (of_property_read_bool(child, "acme,primary")) {
			found = 1;
			of_node_put(child);
			break;
		}
	}
	return found;
}

/* OK: the loop variable is used after the loop (found pattern) and put there. */
int ib_found_ok(struct device_node *parent, u32 *reg)
{
	struct device_node *child;
	int ret;

	for_each_child_of_node(parent, child) {
		if (of_node_name_eq(child, "bank"))
			break;
	}
	if (!child)
		return -ENODEV;

	ret = of_property_read_u32(child, "reg", reg);
	of_node_put(child);
	return ret;
}

/* BUG: for_each_available_child_of_node left with break, nothing put. */
int ib_available_bad(struct device_node *parent, u32 *first_reg)
{
	struct device_node *child;

	*first_reg = 0;
	for_each_available_child_of_node(parent, child) {
		if (!of_property_read_u32(child, "reg", first_reg))
			break;
	}
	pr_debug("first reg %u\n", *first_reg);
	return 0; // expect-warning{{krefcheck-loop-leak}}{{'child' from of_get_next_available_child() (line 60) is not released when leaving the loop early (of_node_put() missing)}} expect-fix{{+0}}{{\tof_node_put(child);}}
}

/* BUG: for_each_compatible_node left with break. */
bool ib_compatible_bad(void)
{
	struct device_node *np;
	bool enabled = false;

	for_each_compatible_node(np, NULL, "acme,watchdog") {
		enabled = of_device_is_available(np);
		if (enabled)
			break;
	}
	return enabled; // expect-warning{{krefcheck-loop-leak}}{{'np' from of_find_compatible_node() (line 74) is not released when leaving the loop early (of_node_put() missing)}} expect-fix{{+0}}{{\tof_node_put(np);}}
}

/* OK: for_each_compatible_node, put before break. */
bool ib_compatible_ok(void)
{
	struct device_node *np;
	bool enabled = false;

	for_each_compatible_node(np, NULL, "acme,watchdog") {
		if (of_device_is_available(np)) {
			enabled = true;
			of_node_put(np);
			break;
		}
	}
	return enabled;
}

/* BUG: for_each_node_by_name left with break. */
int ib_by_name_bad(void)
{
	struct device_node *np;
	int cells = 0;

	for_each_node_by_name(np, "interrupt-controller") {
		cells = of_property_present(np, "#interrupt-cells");
		if (cells)
			break;
	}
	return cells; // expect-warning{{krefcheck-loop-leak}}{{'np' from of_find_node_by_name() (line 104) is not released when leaving the loop early (of_node_put() missing)}} expect-fix{{+0}}{{\tof_node_put(np);}}
}

/* OK: for_each_node_by_type runs to completion. */
int ib_by_type_complete_ok(void)
{
	struct device_node *np;
	int n = 0;

	for_each_node_by_type(np, "memory")
		n++;
	return n;
}

/* OK: for_each_node_with_property, put before break. */
int ib_with_property_ok(void)
{
	struct device_node *np;
	int ret = -ENODEV;

	for_each_node_with_property(np, "acme,boot-device") {
		if (of_device_is_available(np)) {
			ret = 0;
			of_node_put(np);
			break;
		}
	}
	return ret;
}

/* BUG: for_each_of_cpu_node left with break. */
int ib_cpu_bad(void)
{
	struct device_node *cpu;
	int smt = 0;

	for_each_of_cpu_node(cpu) {
		smt = of_property_present(cpu, "ibm,ppc-interrupt-server#s");
		if (smt)
			break;
	}
	return smt; // expect-warning{{krefcheck-loop-leak}}{{'cpu' from of_get_next_cpu_node() (line 145) is not released when leaving the loop early (of_node_put() missing)}} expect-fix{{+0}}{{\tof_node_put(cpu);}}
}

/* BUG: open-coded of_find_compatible_node(np, ...) walk left with break. */
int ib_open_coded_bad(void)
{
	struct device_node *np = NULL;
	int found = 0;

	while ((np = of_find_compatible_node(np, NULL, "acme,port")) != NULL) {
		found = of_device_is_available(np);
		if (found)
			break;
	}
	return found; // expect-warning{{krefcheck-loop-leak}}{{'np' from of_find_compatible_node() (line 159) is not released when leaving the loop early (of_node_put() missing)}} expect-fix{{+0}}{{\tof_node_put(np);}}
}

/* OK: open-coded walk, put before break. */
int ib_open_coded_ok(void)
{
	struct device_node *np = NULL;
	int found = 0;

	while ((np = of_find_compatible_node(np, NULL, "acme,port")) != NULL) {
		if (of_device_is_available(np)) {
			found = 1;
			of_node_put(np);
			break;
		}
	}
	return found;
}

/* OK: walking up with of_get_next_parent(); the node is put before leaving. */
int ib_parent_walk_ok(struct device_node *start)
{
	struct device_node *np = of_node_get(start);

	while (np) {
		if (of_property_read_bool(np, "acme,root")) {
			of_node_put(np);
			return 1;
		}
		np = of_get_next_parent(np);
	}
	return 0;
}

/* BUG (max77693_led_parse_dt() in 6.1): the iterator's node is kept in a table without a
 * reference of its own; the next step of the loop drops it, the table entry dangles. */
int ib_collect_bad(struct device_node *np, struct device_node **table)
{
	struct device_node *child;
	int n = 0;

	for_each_available_child_of_node(np, child) {
		if (n >= 4) {
			of_node_put(child);
			return -E2BIG;
		}
		table[n++] = child; // expect-warning{{krefcheck-use-after-put}}{{'child' from of_get_next_available_child() (line 205) is stored in 'table[n++]' (line 210) without a reference of its own; the next of_get_next_available_child() drops the only one and leaves the stored pointer dangling (of_node_get() missing)}}
	}
	return n;
}

/* OK: each table entry takes its own reference. */
int ib_collect_ok(struct device_node *np, struct device_node **table)
{
	struct device_node *child;
	int n = 0;

	for_each_available_child_of_node(np, child) {
		if (n >= 4) {
			of_node_put(child);
			return -E2BIG;
		}
		table[n++] = of_node_get(child);
	}
	return n;
}

/* OK: stored, then the loop is left with its reference (the table keeps it). */
int ib_find_first(struct device_node *np, struct device_node **table)
{
	struct device_node *child;

	for_each_available_child_of_node(np, child) {
		if (of_device_is_available(child)) {
			table[0] = child;
			break;
		}
	}
	return 0;
}
