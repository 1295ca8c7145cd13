/* krefcheck test headers: clock providers. */
#ifndef _KREF_TEST_LINUX_CLK_PROVIDER_H
#define _KREF_TEST_LINUX_CLK_PROVIDER_H

#include <linux/types.h>
#include <linux/init.h>
#include <linux/of.h>

struct clk_hw;
struct clk_core;
struct clk;
struct device;

struct clk_ops {
	unsigned long (*recalc_rate)(struct clk_hw *hw, unsigned long parent_rate);
	int (*enable)(struct clk_hw *hw);
	void (*disable)(struct clk_hw *hw);
};

struct clk_init_data {
	const char *name;
	const struct clk_ops *ops;
	const char * const *parent_names;
	u8 num_parents;
	unsigned long flags;
};

struct clk_hw {
	struct clk_core *core;
	struct clk *clk;
	const struct clk_init_data *init;
};

int __must_check clk_hw_register(struct device *dev, struct clk_hw *hw);
void clk_hw_unregister(struct clk_hw *hw);
const char *of_clk_get_parent_name(const struct device_node *np, int index);

struct clk_hw *of_clk_hw_simple_get(struct of_phandle_args *clkspec, void *data);
int of_clk_add_hw_provider(struct device_node *np,
			   struct clk_hw *(*get)(struct of_phandle_args *clkspec,
						 void *data),
			   void *data);
void of_clk_del_provider(struct device_node *np);

typedef void (*of_clk_init_cb_t)(struct device_node *);

#define CLK_OF_DECLARE(name, compat, fn)				\
	static const struct of_device_id __clk_of_table_##name		\
	__used __section("__clk_of_table") = {				\
		.compatible = compat,					\
		.data = (const void *)(of_clk_init_cb_t)(fn)	\
	}

#endif
