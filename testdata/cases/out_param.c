// Theme: references returned through `T **` out-parameters of same-file helpers.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

/* helper: *o receives a new reference (or NULL) */
static void op_find(u32 h, struct device_node **o)
{
	*o = of_find_node_by_phandle(h);
}

/* helper: *o receives a new reference on success only */
static int op_find_checked(u32 h, struct device_node **o)
{
	struct device_node *np;

	np = of_find_node_by_phandle(h);
	if (!np)
		return -ENODEV;
	*o = np;
	return 0;
}

/* BUG: the node found through the out-parameter is never put. */
int op_user_bad(u32 h)
{
	struct device_node *np;

	op_find(h, &np);
	if (!np)
		return -ENODEV;
	return of_property_read_bool(np, "acme,on") ? 1 : 0; // expect-warning{{krefcheck-leak}}{{'np' from op_find() (line 30) is not released on this path (of_node_put() missing)}}
}

/* OK: the caller puts what the helper found. */
int op_user_ok(u32 h)
{
	struct device_node *np;
	int on;

	op_find(h, &np);
	if (!np)
		return -ENODEV;
	on = of_property_read_bool(np, "acme,on");
	of_node_put(np);
	return on;
}

/* BUG: success of the checked helper leaves a reference that is not put. */
int op_user_checked_bad(u32 h)
{
	struct device_node *np;

	if (op_find_checked(h, &np))
		return -ENODEV;
	return 0; // expect-warning{{krefcheck-leak}}{{'np' from op_find_checked() (line 55) is not released on this path (of_node_put() missing)}}
}

/* OK: put after success; failure filled nothing. */
int op_user_checked_ok(u32 h)
{
	struct device_node *np;

	if (op_find_checked(h, &np))
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* OK: the out-parameter is handed on to this function's own caller. */
static int op_find_for(u32 h, struct device_node **o)
{
	return op_find_checked(h, o);
}

int op_find_for_user_ok(u32 h)
{
	struct device_node *np;

	if (op_find_for(h, &np))
		return -ENODEV;
	of_node_put(np);
	return 0;
}

/* BUG: the same through the pass-through helper, not put. */
int op_find_for_user_bad(u32 h)
{
	struct device_node *np;

	if (op_find_for(h, &np))
		return -ENODEV;
	return 0; // expect-warning{{krefcheck-leak}}
}
