// Theme: calls to functions the run knows nothing of (no body, no rule, no summary) on a
// finding's path; the finding carries a note naming them (tests/UnsummarisedTest.cpp checks
// the notes' text).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>

/* Defined in no file of the run and no rule: what it does to np is not known. */
extern int acme_external_setup(struct device_node *np);
/* Defined in no file of the run: it returns a node, with or without a reference. */
extern struct device_node *acme_external_lookup(struct device *dev);

/* Defined here: its body is seen (it only reads np). */
static int acme_local_setup(struct device_node *np)
{
	return of_property_read_bool(np, "acme,enable") ? 0 : -EINVAL;
}

/* BUG: np is handed to an external function, then the error return keeps it. */
int unsum_external_leak(struct device *dev)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "acme");
	if (!np)
		return -ENODEV;
	ret = acme_external_setup(np);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}{{'np' from of_get_child_by_name() (line 26) is not released on this path (of_node_put() missing)}}
	of_node_put(np);
	return 0;
}

/* OK: the same with the put on both paths. */
int unsum_external_ok(struct device *dev)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "acme");
	if (!np)
		return -ENODEV;
	ret = acme_external_setup(np);
	of_node_put(np);
	return ret;
}

/* BUG: the same leak through a function defined in this file (no note: its body is seen). */
int unsum_local_leak(struct device *dev)
{
	struct device_node *np;
	int ret;

	np = of_get_child_by_name(dev->of_node, "acme");
	if (!np)
		return -ENODEV;
	ret = acme_local_setup(np);
	if (ret)
		return ret; // expect-warning{{krefcheck-leak}}
	of_node_put(np);
	return 0;
}

/* BUG: the same leak through a function with a rule (of_get_child_by_name(): no note). */
int unsum_rule_leak(struct device *dev)
{
	struct device_node *np, *sub;

	np = of_get_child_by_name(dev->of_node, "acme");
	if (!np)
		return -ENODEV;
	sub = of_get_child_by_name(np, "sub");
	if (!sub)
		return -ENODEV; // expect-warning{{krefcheck-leak}}
	of_node_put(sub);
	of_node_put(np);
	return 0;
}

/* BUG: np is put twice after it went through an external function (which may have dropped
 * or kept it too: the note says so). */
void unsum_external_double_put(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "acme");
	acme_external_setup(np);
	of_node_put(np);
	of_node_put(np); // expect-warning{{krefcheck-double-put}}
}

/* OK: a node from an external function, only passed to another one. */
int unsum_external_lookup_ok(struct device *dev)
{
	return acme_external_setup(acme_external_lookup(dev));
}

/* Defined in no file of the run, but it takes a pointer to const: it cannot put or keep np. */
extern int acme_external_read(const struct device_node *np, const char *name);
/* Defined in no file of the run, variadic (a printf-like logger). */
extern void acme_external_log(const char *fmt, ...);

/* BUG: the leak, with np given only to a const reader and a variadic logger: no note. */
int unsum_const_and_variadic_leak(struct device *dev)
{
	struct device_node *np;

	np = of_get_child_by_name(dev->of_node, "acme");
	if (!np)
		return -ENODEV;
	acme_external_log("node %p\n", np);
	if (acme_external_read(np, "acme,mode"))
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	of_node_put(np);
	return 0;
}
