// Demo: a correct HDMI bridge platform driver (DDC adapter, graph, scoped child loop, devm release).
// expect-no-findings
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/i2c.h>
#include <linux/of.h>
#include <linux/of_graph.h>

struct acme_hdmi {
	struct device *dev;
	struct i2c_adapter *ddc;
	struct device_node *panel;
	u32 lanes[4];
	int nlanes;
};

static void acme_hdmi_put_ddc(void *data)
{
	struct i2c_adapter *ddc = data;

	put_device(&ddc->dev);
}

static void acme_hdmi_put_node(void *data)
{
	of_node_put(data);
}

static int acme_hdmi_get_ddc(struct acme_hdmi *hdmi)
{
	struct device_node *ddc_np;
	struct i2c_adapter *ddc;

	ddc_np = of_parse_phandle(hdmi->dev->of_node, "ddc-i2c-bus", 0);
	if (!ddc_np)
		return 0;

	ddc = of_find_i2c_adapter_by_node(ddc_np);
	of_node_put(ddc_np);
	if (!ddc)
		return -EPROBE_DEFER;

	hdmi->ddc = ddc;
	return devm_add_action_or_reset(hdmi->dev, acme_hdmi_put_ddc, ddc);
}

static int acme_hdmi_parse_lanes(struct acme_hdmi *hdmi)
{
	struct device_node *lanes_np __free(device_node) =
		of_get_child_by_name(hdmi->dev->of_node, "lanes");
	u32 reg;

	if (!lanes_np)
		return 0;

	hdmi->nlanes = 0;
	for_each_available_child_of_node_scoped(lanes_np, lane) {
		if (of_property_read_u32(lane, "reg", &reg))
			return dev_err_probe(hdmi->dev, -EINVAL, "lane without reg\n");
		if (hdmi->nlanes < 4)
			hdmi->lanes[hdmi->nlanes++] = reg;
	}
	return 0;
}

static int acme_hdmi_find_panel(struct acme_hdmi *hdmi)
{
	struct device_node *panel;

	panel = of_graph_get_remote_node(hdmi->dev->of_node, 1, 0);
	if (!panel)
		return -ENODEV;
	if (!of_device_is_available(panel)) {
		of_node_put(panel);
		return -ENODEV;
	}

	hdmi->panel = panel;
	return devm_add_action_or_reset(hdmi->dev, acme_hdmi_put_node, panel);
}

static int acme_hdmi_probe(struct platform_device *pdev)
{
	struct acme_hdmi *hdmi;
	int ret;

	hdmi = devm_kzalloc(&pdev->dev, sizeof(*hdmi), GFP_KERNEL);
	if (!hdmi)
		return -ENOMEM;
	hdmi->dev = &pdev->dev;

	ret = acme_hdmi_get_ddc(hdmi);
	if (ret)
		return ret;

	ret = acme_hdmi_parse_lanes(hdmi);
	if (ret)
		return ret;

	ret = acme_hdmi_find_panel(hdmi);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "no panel\n");

	platform_set_drvdata(pdev, hdmi);
	return 0;
}

static void acme_hdmi_remove(struct platform_device *pdev)
{
	platform_set_drvdata(pdev, NULL);
}

static const struct of_device_id acme_hdmi_of_match[] = {
	{ .compatible = "acme,hdmi-tx" },
	{ }
};
MODULE_DEVICE_TABLE(of, acme_hdmi_of_match);

static struct platform_driver acme_hdmi_driver = {
	.probe = acme_hdmi_probe,
	.remove = acme_hdmi_remove,
	.driver = {
		.name = "acme-hdmi",
		.of_match_table = acme_hdmi_of_match,
	},
};
module_platform_driver(acme_hdmi_driver);

MODULE_DESCRIPTION("ACME HDMI bridge");
MODULE_LICENSE("GPL");
