// Theme: a reference stored into fields of long-lived objects in a loop (a card's dai links),
// then put through the local variable or array element that still holds it: the fields keep
// borrowed pointers. The loop runs past the analyzer's bound (its state is widened), and the
// put after the loop must still name the reference.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>

struct fp_component {
	const char *name;
	struct device_node *of_node;
};

struct fp_link {
	struct fp_component *codecs;
	struct fp_component *platforms;
};

struct fp_card {
	struct fp_link *links;
	int num_links;
	struct device *dev;
};

int fp_register_card(struct fp_card *card);

/* OK: both nodes are put through their locals after the loops, on every path. */
int fp_probe_ok(struct platform_device *pdev, struct fp_card *card)
{
	struct device_node *platform_node, *codec_node;
	int ret, i;

	platform_node = of_parse_phandle(pdev->dev.of_node, "platform", 0);
	if (!platform_node)
		return -EINVAL;
	for (i = 0; i < card->num_links; i++) {
		if (card->links[i].platforms->name)
			continue;
		card->links[i].platforms->of_node = platform_node;
	}
	codec_node = of_parse_phandle(pdev->dev.of_node, "codec", 0);
	if (!codec_node) {
		ret = -EINVAL;
		goto put_platform;
	}
	for (i = 0; i < card->num_links; i++)
		card->links[i].codecs->of_node = codec_node;
	card->dev = &pdev->dev;
	ret = fp_register_card(card);
	of_node_put(codec_node);
put_platform:
	of_node_put(platform_node);
	return ret;
}

/* BUG: the same stores, but the codec node is put only when the registration fails. */
int fp_probe_bad(struct platform_device *pdev, struct fp_card *card)
{
	struct device_node *codec_node;
	int ret, i;

	codec_node = of_parse_phandle(pdev->dev.of_node, "codec", 0);
	if (!codec_node)
		return -EINVAL;
	for (i = 0; i < card->num_links; i++)
		card->links[i].codecs->of_node = codec_node;
	ret = fp_register_card(card);
	if (ret)
		of_node_put(codec_node);
	return ret; // expect-warning{{krefcheck-leak}}{{'codec_node' from of_parse_phandle() (line 64) is not released on this path (of_node_put() missing)}}
}

/* OK: two array elements and a local, stored in the loop and put right after it. */
int fp_array_ok(struct platform_device *pdev, struct fp_card *card)
{
	struct device_node *np = pdev->dev.of_node;
	struct device_node *cpu_np[2], *codec_np;
	int i;

	cpu_np[0] = of_parse_phandle(np, "cpus", 0);
	cpu_np[1] = of_parse_phandle(np, "cpus", 1);
	codec_np = of_parse_phandle(np, "codec", 0);
	if (!cpu_np[0] || !cpu_np[1] || !codec_np) {
		of_node_put(codec_np);
		of_node_put(cpu_np[0]);
		of_node_put(cpu_np[1]);
		return -EINVAL;
	}
	for (i = 0; i < card->num_links; i++) {
		card->links[i].codecs->of_node = codec_np;
		card->links[i].platforms->of_node = cpu_np[i & 1];
	}
	of_node_put(codec_np);
	of_node_put(cpu_np[0]);
	of_node_put(cpu_np[1]);
	card->dev = &pdev->dev;
	return fp_register_card(card);
}

/* BUG: the same, but cpu_np[1] is never put. */
int fp_array_bad(struct platform_device *pdev, struct fp_card *card)
{
	struct device_node *np = pdev->dev.of_node;
	struct device_node *cpu_np[2];
	int i;

	cpu_np[0] = of_parse_phandle(np, "cpus", 0);
	if (!cpu_np[0])
		return -EINVAL;
	cpu_np[1] = of_parse_phandle(np, "cpus", 1);
	if (!cpu_np[1]) {
		of_node_put(cpu_np[0]);
		return -EINVAL;
	}
	for (i = 0; i < card->num_links; i++)
		card->links[i].platforms->of_node = cpu_np[i & 1];
	of_node_put(cpu_np[0]);
	card->dev = &pdev->dev;
	return fp_register_card(card); // expect-warning{{krefcheck-leak}}{{the reference from of_parse_phandle() (line 112) is not released on this path (of_node_put() missing)}}
}

/* BUG: stored straight into the first link, never held by a local, never put. */
int fp_direct_bad(struct platform_device *pdev, struct fp_card *card)
{
	int i;

	card->links[0].codecs->of_node = of_parse_phandle(pdev->dev.of_node, "codec", 0);
	if (!card->links[0].codecs->of_node)
		return -EINVAL;
	for (i = 1; i < card->num_links; i++)
		card->links[i].codecs->of_node = card->links[0].codecs->of_node;
	card->dev = &pdev->dev;
	return fp_register_card(card); // expect-warning{{krefcheck-leak}}
}

/* OK: a local assigned twice is not restored after the loop; it is put before the loop. */
int fp_reassigned_ok(struct platform_device *pdev, struct fp_card *card)
{
	struct device_node *np;
	int i;

	np = of_parse_phandle(pdev->dev.of_node, "codec", 0);
	if (!np)
		return -EINVAL;
	card->links[0].codecs->of_node = np;
	of_node_put(np);
	np = pdev->dev.of_node;
	for (i = 1; i < card->num_links; i++)
		card->links[i].codecs->of_node = np;
	return fp_register_card(card);
}
