// Theme: compile-time checks (min()/max()'s signedness check, BUILD_BUG_ON_MSG()) call a
// noreturn __attribute__((error)) function under a condition only the optimiser folds; the
// call never runs (the build fails if it is not removed), so the paths go on past it.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

struct ca_priv {
	u32 nports;
};

/* BUG: the lookup's reference is not dropped when the clamped port count is too small. */
int ca_ports_bad(struct ca_priv *priv, struct device_node *np, u32 max_port)
{
	struct platform_device *pdev = of_find_device_by_node(np);

	if (!pdev)
		return -ENODEV;
	priv->nports = min(32, max_port + 1);
	if (priv->nports < 2)
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'pdev' from of_find_device_by_node() (line 18) is not released on this path (put_device() missing)}}
	put_device(&pdev->dev);
	return 0;
}

/* OK: the same, with the put on both paths. */
int ca_ports_ok(struct ca_priv *priv, struct device_node *np, u32 max_port)
{
	struct platform_device *pdev = of_find_device_by_node(np);
	int ret = 0;

	if (!pdev)
		return -ENODEV;
	priv->nports = max(1, max_port);
	if (priv->nports > 8)
		ret = -EINVAL;
	put_device(&pdev->dev);
	return ret;
}
