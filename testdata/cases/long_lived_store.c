// Theme: a reference stored where it outlives the function (through a pointer into the
// object, into an element of an array field, into a global variable) that nothing in the file
// ever releases: leaked with the holder.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/fwnode.h>

struct lls_priv {
	struct device *elm_dev;
	struct device *comps[4];
};

struct lls_keep {
	struct device *elm_dev;
	struct device *comps[4];
};

/* BUG: info->elm_dev keeps the device reference; nothing in this file puts that field. */
int lls_elm_bad(struct lls_priv *info, struct device_node *elm_node)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(elm_node);
	if (!pdev)
		return -EPROBE_DEFER;
	info->elm_dev = &pdev->dev;
	return 0; // expect-warning{{krefcheck-leak}}{{'pdev' from of_find_device_by_node() (line 27) is stored in field 'elm_dev' of an object that outlives this function, and nothing in this file releases that field (no put of 'struct lls_priv.elm_dev') (put_device() missing)}}
}

/* OK: the same store; lls_keep_remove() puts the field. */
int lls_elm_ok(struct lls_keep *info, struct device_node *elm_node)
{
	struct platform_device *pdev;

	pdev = of_find_device_by_node(elm_node);
	if (!pdev)
		return -EPROBE_DEFER;
	info->elm_dev = &pdev->dev;
	return 0;
}

void lls_keep_remove(struct lls_keep *info)
{
	int i;

	put_device(info->elm_dev);
	for (i = 0; i < 4; i++)
		put_device(info->comps[i]);
}

/* BUG: an element of priv->comps keeps the reference; nothing puts lls_priv.comps. */
int lls_comp_bad(struct lls_priv *priv, struct device_node *node, int id)
{
	struct platform_device *comp_pdev;

	comp_pdev = of_find_device_by_node(node);
	if (!comp_pdev)
		return -EPROBE_DEFER;
	priv->comps[id] = &comp_pdev->dev;
	return 0; // expect-warning{{krefcheck-leak}}
}

/* OK: lls_keep_remove() puts every element of lls_keep.comps. */
int lls_comp_ok(struct lls_keep *priv, struct device_node *node, int id)
{
	struct platform_device *comp_pdev;

	comp_pdev = of_find_device_by_node(node);
	if (!comp_pdev)
		return -EPROBE_DEFER;
	priv->comps[id] = &comp_pdev->dev;
	return 0;
}

static struct device_node *lls_stdout;
static struct device_node *lls_cached;

/* BUG: the global keeps the node and nothing in this file ever puts lls_stdout. */
void lls_init_stdout(const char *path)
{
	struct device_node *np;

	np = of_find_node_by_path(path);
	if (!np)
		return;
	lls_stdout = np;
} // expect-warning{{krefcheck-leak}}{{'np' from of_find_node_by_path() (line 87) is stored in global variable 'lls_stdout', and nothing in this file releases that variable (of_node_put() missing)}}

/* OK: the same store; lls_exit() puts the global. */
void lls_init_cached(const char *path)
{
	struct device_node *np;

	np = of_find_node_by_path(path);
	if (!np)
		return;
	lls_cached = np;
}

void lls_exit(void)
{
	of_node_put(lls_cached);
	lls_cached = NULL;
}

/* OK: a kernel API's result struct (declared in a header elsewhere) filled for the caller,
 * whose file releases args->fwnode. */
int lls_get_reference_ok(struct device_node *np, struct fwnode_reference_args *args)
{
	struct device_node *ref;

	ref = of_parse_phandle(np, "ref", 0);
	if (!ref)
		return -ENOENT;
	args->fwnode = of_fwnode_handle(ref);
	return 0;
}

struct device_node *lls_shared_aliases;

/* OK: a global other files see; one of them may release it. */
void lls_init_aliases(void)
{
	struct device_node *np;

	np = of_find_node_by_path("/aliases");
	if (!np)
		return;
	lls_shared_aliases = np;
}
