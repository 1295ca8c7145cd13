// Theme: a reference released exactly where the value the function returns is an error
// (nvmem of_nvmem_cell_get(): `if (IS_ERR(cell)) __nvmem_device_put(nvmem); return cell;`):
// on the other branch it goes to the caller with the returned object. An int error code
// carries no object.
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/of.h>

struct rt_cell;
extern struct rt_cell *rt_create_cell(int index);
extern int rt_register(int index);
extern int rt_lookup(int index);

/* OK: released where the created cell is an error, handed over with it otherwise. */
struct rt_cell *rt_cell_get(int index)
{
	struct device_node *np;
	struct rt_cell *cell;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return ERR_PTR(-ENODEV);

	cell = rt_create_cell(index);
	if (IS_ERR(cell))
		of_node_put(np);

	return cell;
}

/* OK: the same with a NULL result. */
struct rt_cell *rt_cell_get_null(int index)
{
	struct device_node *np;
	struct rt_cell *cell;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return NULL;

	cell = rt_create_cell(index);
	if (!cell)
		of_node_put(np);

	return cell;
}

/* BUG: an error code carries no object: the reference is kept by nothing on success. */
int rt_register_node(int index)
{
	struct device_node *np;
	int ret;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return -ENODEV;

	ret = rt_register(index);
	if (ret < 0)
		of_node_put(np);

	return ret; // expect-warning{{krefcheck-leak}}
}

/* BUG: an earlier failure exit keeps the reference. */
struct rt_cell *rt_cell_get_early_leak(int index)
{
	struct device_node *np;
	struct rt_cell *cell;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return ERR_PTR(-ENODEV);

	if (rt_lookup(index))
		return ERR_PTR(-ENOENT); // expect-warning{{krefcheck-leak}}

	cell = rt_create_cell(index);
	if (IS_ERR(cell))
		of_node_put(np);

	return cell;
}

/* BUG: the returned value is made an error on a branch that does not release. */
struct rt_cell *rt_cell_get_branch_leak(int index)
{
	struct device_node *np;
	struct rt_cell *cell;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return ERR_PTR(-ENODEV);

	if (rt_lookup(index)) {
		cell = ERR_PTR(-ENOENT);
	} else {
		cell = rt_create_cell(index);
		if (IS_ERR(cell))
			of_node_put(np);
	}

	return cell; // expect-warning{{krefcheck-leak}}
}

/* BUG: the release depends on another value than the returned one. */
struct rt_cell *rt_cell_get_other_leak(int index)
{
	struct device_node *np;
	struct rt_cell *cell, *spare;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return ERR_PTR(-ENODEV);

	spare = rt_create_cell(index + 1);
	if (IS_ERR(spare))
		of_node_put(np);

	cell = rt_create_cell(index);
	return cell; // expect-warning{{krefcheck-leak}}
}

/* BUG: the release is a failure exit of its own; the success return keeps the reference. */
int rt_register_exit_leak(int index)
{
	struct device_node *np;
	int ret;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return -ENODEV;

	ret = rt_register(index);
	if (ret) {
		of_node_put(np);
		return ret;
	}

	ret = rt_lookup(index);
	return ret; // expect-warning{{krefcheck-leak}}
}

/* BUG: the tested cell is replaced after the test: the value returned may be an error for
 * which nothing was released. */
struct rt_cell *rt_cell_get_overwritten_leak(int index)
{
	struct device_node *np;
	struct rt_cell *cell;

	np = of_find_node_by_name(NULL, "acme-nvmem");
	if (!np)
		return ERR_PTR(-ENODEV);

	cell = rt_create_cell(index);
	if (IS_ERR(cell))
		of_node_put(np);
	else
		cell = ERR_PTR(-EBUSY);

	return cell; // expect-warning{{krefcheck-leak}}
}
