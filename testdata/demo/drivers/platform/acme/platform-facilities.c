// Demo: pseries-style walk of "/acme,platform-facilities"; the walk leaves the child loop with break.
#define pr_fmt(fmt) "acme-pf: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/of.h>

struct acme_facility {
	const char *name;
	u32 resource_id;
	u32 type;
	struct acme_facility *next;
};

static struct acme_facility *acme_facilities;

/* record one facility node; borrows dn */
static int __init acme_add_facility(struct device_node *dn)
{
	struct acme_facility *f;
	u32 id, type;

	if (of_property_read_u32(dn, "ibm,resource-id", &id))
		return -EINVAL;
	if (of_property_read_u32(dn, "ibm,max-sync-cop", &type))
		type = 0;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->name = dn->name;
	f->resource_id = id;
	f->type = type;
	f->next = acme_facilities;
	acme_facilities = f;
	return 0;
}

/* BUG: a failing child stops the walk with break and its reference is never dropped. */
static int __init acme_facilities_init(void)
{
	struct device_node *pf, *dn;
	int ret = 0;

	pf = of_find_node_by_path("/acme,platform-facilities");
	if (!pf)
		return 0;

	for_each_child_of_node(pf, dn) {
		if (!of_device_is_compatible(dn, "ibm,sym-encryption-v1"))
			continue;
		ret = acme_add_facility(dn);
		if (ret)
			break;
	}

	of_node_put(pf);
	if (ret)
		pr_err("facility setup failed: %d\n", ret);
	return ret; // expect-warning{{krefcheck-loop-leak}}{{'dn' from of_get_next_child() (line 51) is not released when leaving the loop early (of_node_put() missing)}}
}
device_initcall(acme_facilities_init);
