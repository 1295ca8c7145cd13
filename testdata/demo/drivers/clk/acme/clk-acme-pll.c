// Demo: an OF clock provider set up with a goto unwind ladder; one error path skips the syscon put.
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/clk-provider.h>

struct acme_pll {
	struct clk_hw hw;
	void __iomem *base;
	u32 offset;
};

#define to_acme_pll(_hw) container_of(_hw, struct acme_pll, hw)

static unsigned long acme_pll_recalc_rate(struct clk_hw *hw,
					  unsigned long parent_rate)
{
	struct acme_pll *pll = to_acme_pll(hw);
	u32 val = readl(pll->base + pll->offset);

	return parent_rate * ((val & 0xff) + 1);
}

static const struct clk_ops acme_pll_ops = {
	.recalc_rate = acme_pll_recalc_rate,
};

/* BUG: when of_iomap() fails the syscon node is never put. */
static void __init acme_pll_setup(struct device_node *np)
{
	struct clk_init_data init = { 0 };
	const char *parent_name;
	struct device_node *syscon;
	struct acme_pll *pll;
	int ret;

	pll = kzalloc(sizeof(*pll), GFP_KERNEL);
	if (!pll)
		return;

	syscon = of_parse_phandle(np, "acme,syscon", 0);
	if (!syscon)
		goto err_free;

	pll->base = of_iomap(syscon, 0);
	if (!pll->base)
		goto err_free;
	of_node_put(syscon);

	if (of_property_read_u32(np, "acme,pll-offset", &pll->offset))
		goto err_unmap;

	parent_name = of_clk_get_parent_name(np, 0);
	init.name = np->name;
	init.ops = &acme_pll_ops;
	init.parent_names = parent_name ? &parent_name : NULL;
	init.num_parents = parent_name ? 1 : 0;
	pll->hw.init = &init;

	ret = clk_hw_register(NULL, &pll->hw);
	if (ret)
		goto err_unmap;

	ret = of_clk_add_hw_provider(np, of_clk_hw_simple_get, &pll->hw);
	if (ret)
		goto err_unregister;
	return;

err_unregister:
	clk_hw_unregister(&pll->hw);
err_unmap:
	iounmap(pll->base);
err_free:
	kfree(pll);
} // expect-warning{{krefcheck-leak}}{{'syscon' from of_parse_phandle() (line 45) is not released on this path (of_node_put() missing)}}
CLK_OF_DECLARE(acme_pll, "acme,pll", acme_pll_setup);
