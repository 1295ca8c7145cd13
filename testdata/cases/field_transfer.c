// Theme: a call that takes over the reference held in a field of the struct it is given
// (`transfer_on_success` with `field`): nvmem_add_one_cell() keeps info->np only on success.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/of.h>
#include <linux/nvmem-provider.h>

/* BUG: when nvmem_add_one_cell() fails, info.np is still ours and is never put. */
int ft_add_cells_bad(struct nvmem_device *nvmem, struct device_node *layout_np, int n)
{
	struct nvmem_cell_info info = {0};
	int i, ret;

	for (i = 0; i < n; i++) {
		info.offset = i;
		info.np = of_get_child_by_name(layout_np, "cell");
		ret = nvmem_add_one_cell(nvmem, &info);
		if (ret)
			return ret; // expect-warning{{krefcheck-leak}}{{the reference from of_get_child_by_name() (line 16) is not released on this path (of_node_put() missing)}}
	}
	return 0;
}

/* OK: the failure path puts info.np; on success the cell owns it. */
int ft_add_cells_ok(struct nvmem_device *nvmem, struct device_node *layout_np, int n)
{
	struct nvmem_cell_info info = {0};
	int i, ret;

	for (i = 0; i < n; i++) {
		info.offset = i;
		info.np = of_get_child_by_name(layout_np, "cell");
		ret = nvmem_add_one_cell(nvmem, &info);
		if (ret) {
			of_node_put(info.np);
			return ret;
		}
	}
	return 0;
}
