// Theme: an iterator step drops a reference on a pointer the function was given (its `from`
// or `prev`), and the function goes on using that pointer: it never held that reference.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>

extern int sdu_count(struct device_node *np);

/* BUG: of_get_next_child() drops the caller's reference on lnk, which is used afterwards. */
int sdu_count_c2c_bad(struct device_node *lnk)
{
	struct device_node *ports = of_get_parent(lnk);
	struct device_node *port0 = lnk;
	struct device_node *port1 = of_get_next_child(ports, lnk); // expect-warning{{krefcheck-put-unowned}}{{of_get_next_child() drops a reference on 'lnk', a reference this function does not hold (no matching get), and the function still uses it afterwards (line 15)}}
	int n = sdu_count(port0);

	n += sdu_count(port1);
	of_node_get(lnk);
	of_node_put(ports);
	of_node_put(port1);
	return n;
}

/* OK: the step is given a reference of its own (the 6.12 fix). */
int sdu_count_c2c_ok(struct device_node *lnk)
{
	struct device_node *ports = of_get_parent(lnk);
	struct device_node *port0 = lnk;
	struct device_node *port1 = of_get_next_child(ports, of_node_get(lnk));
	int n = sdu_count(port0);

	n += sdu_count(port1);
	of_node_put(ports);
	of_node_put(port1);
	return n;
}
