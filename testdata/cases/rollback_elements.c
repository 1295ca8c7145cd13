// Theme: references stored into the fields of array elements (`priv->chan[i].np = np`) and
// a rollback loop over the elements filled so far (drivers/i2c/muxes/i2c-demux-pinctrl.c
// i2c_demux_pinctrl_probe()): another element's field holds another reference.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct rb_chan {
	struct device_node *parent_np;
	int id;
	long chgset;
};

struct rb_priv {
	int num_chan;
	struct rb_chan chan[];
};

int rb_setup(struct device_node *np);
void rb_changeset_init(long *chgset);

/* OK: the failing channel's node is put at once; the rollback puts only channels j < i. */
int rb_probe(struct device *dev, struct device_node *np, int num_chan)
{
	struct rb_priv *priv;
	int i, j, err;

	priv = devm_kzalloc(dev, sizeof(*priv) + num_chan * sizeof(priv->chan[0]), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	for (i = 0; i < num_chan; i++) {
		struct device_node *adap_np = of_parse_phandle(np, "i2c-parent", i);

		if (!adap_np) {
			err = -ENOENT;
			goto err_rollback;
		}
		priv->chan[i].parent_np = adap_np;
		if (rb_setup(adap_np)) {
			err = -ENOMEM;
			of_node_put(adap_np);
			goto err_rollback;
		}
		rb_changeset_init(&priv->chan[i].chgset);
	}
	priv->num_chan = num_chan;
	return 0;

err_rollback:
	for (j = 0; j < i; j++)
		of_node_put(priv->chan[j].parent_np);
	return err;
}

/* BUG: the rollback runs to j == i and puts the failing channel's node a second time. */
int rb_probe_twice(struct device *dev, struct device_node *np, int num_chan)
{
	struct rb_priv *priv;
	int i, j, err;

	priv = devm_kzalloc(dev, sizeof(*priv) + num_chan * sizeof(priv->chan[0]), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	for (i = 0; i < num_chan; i++) {
		struct device_node *adap_np = of_parse_phandle(np, "i2c-parent", i);

		if (!adap_np) {
			err = -ENOENT;
			goto err_rollback;
		}
		priv->chan[i].parent_np = adap_np;
		if (rb_setup(adap_np)) {
			err = -ENOMEM;
			of_node_put(adap_np);
			goto err_rollback;
		}
		rb_changeset_init(&priv->chan[i].chgset);
	}
	priv->num_chan = num_chan;
	return 0;

err_rollback:
	for (j = 0; j <= i && j < num_chan; j++)
		of_node_put(priv->chan[j].parent_np); // expect-warning{{krefcheck-double-put}}
	return err;
}
