// Cross-TU case, part 3: another module's non-static acme_dup_get(), returning a borrowed
// pointer (see acme-common.c). Conflicting summaries of one name are not used.
// expect-no-findings
#include <linux/of.h>

extern struct device_node *acme_alt_root;

struct device_node *acme_dup_get(void)
{
	return acme_alt_root;
}
