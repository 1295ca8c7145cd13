// Demo: power domain provider walking its children; a skipped child is put and then continued.
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>

#define ACME_MAX_DOMAINS 8

struct acme_pd {
	const char *name;
	u32 id;
};

struct acme_pmu {
	struct device *dev;
	struct acme_pd domains[ACME_MAX_DOMAINS];
	int ndomains;
	struct device_node *always_on;
};

/* BUG: of_node_put() then continue: the loop step drops the same reference again. */
static int acme_pmu_add_domains(struct acme_pmu *pmu, struct device_node *np)
{
	struct device_node *child;
	u32 id;

	pmu->ndomains = 0;
	for_each_child_of_node(np, child) { // expect-warning{{krefcheck-double-put}}{{'child' from of_get_next_child() (line 31) is released twice: again by of_get_next_child() after line 34}}
		if (of_property_read_u32(child, "reg", &id)) {
			dev_warn(pmu->dev, "%pOF: no reg, skipped\n", child);
			of_node_put(child);
			continue;
		}
		if (pmu->ndomains >= ACME_MAX_DOMAINS)
			continue;
		pmu->domains[pmu->ndomains].name = child->name;
		pmu->domains[pmu->ndomains].id = id;
		pmu->ndomains++;
	}
	return pmu->ndomains ? 0 : -ENODEV;
}

/* OK: the always-on domain node is looked up, kept in pmu and dropped in remove. */
static int acme_pmu_find_always_on(struct acme_pmu *pmu, struct device_node *np)
{
	struct device_node *child;

	for_each_available_child_of_node(np, child) {
		if (of_property_read_bool(child, "acme,always-on")) {
			pmu->always_on = child;
			return 0;
		}
	}
	return 0;
}

static int acme_pmu_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	struct acme_pmu *pmu;
	int ret;

	pmu = devm_kzalloc(&pdev->dev, sizeof(*pmu), GFP_KERNEL);
	if (!pmu)
		return -ENOMEM;
	pmu->dev = &pdev->dev;

	ret = acme_pmu_add_domains(pmu, np);
	if (ret)
		return ret;

	ret = acme_pmu_find_always_on(pmu, np);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, pmu);
	return 0;
}

static void acme_pmu_remove(struct platform_device *pdev)
{
	struct acme_pmu *pmu = platform_get_drvdata(pdev);

	of_node_put(pmu->always_on);
}

static const struct of_device_id acme_pmu_of_match[] = {
	{ .compatible = "acme,pmu" },
	{ }
};
MODULE_DEVICE_TABLE(of, acme_pmu_of_match);

static struct platform_driver acme_pmu_driver = {
	.probe = acme_pmu_probe,
	.remove = acme_pmu_remove,
	.driver = {
		.name = "acme-pmu",
		.of_match_table = acme_pmu_of_match,
	},
};
module_platform_driver(acme_pmu_driver);

MODULE_LICENSE("GPL");
