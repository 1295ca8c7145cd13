// Cross-TU case, part 2: a wrapper of a wrapper. acme_find_ctrl_checked() returns what
// acme_find_ctrl() (acme-common.c) returns: a second round of summaries learns it.
// expect-no-findings
#include <linux/of.h>

struct device_node *acme_find_ctrl(void);

struct device_node *acme_find_ctrl_checked(void)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return NULL;
	if (!of_device_is_available(np)) {
		of_node_put(np);
		return NULL;
	}
	return np;
}
