// Theme: I2C client/adapter lookups by OF node hold a struct device reference.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/of.h>

struct ic2_priv {
	struct device *dev;
	struct i2c_adapter *ddc;
	unsigned short addr;
};

/* OK: client lookup, address copied, put_device(&client->dev). */
int i2c_client_ok(struct ic2_priv *priv, struct device_node *np)
{
	struct i2c_client *client;

	client = of_find_i2c_device_by_node(np);
	if (!client)
		return -EPROBE_DEFER;
	priv->addr = client->addr;
	put_device(&client->dev);
	return 0;
}

/* BUG: the client reference is never dropped. */
int i2c_client_bad(struct ic2_priv *priv, struct device_node *np)
{
	struct i2c_client *client;

	client = of_find_i2c_device_by_node(np);
	if (!client)
		return -EPROBE_DEFER;
	priv->addr = client->addr;
	return 0; // expect-warning{{krefcheck-leak}} expect-fix{{+0}}{{\tput_device(&client->dev);}}
}

/* OK: adapter lookup, put_device(&adap->dev). */
int i2c_adapter_ok(struct device_node *np)
{
	struct i2c_adapter *adap;
	int nr;

	adap = of_find_i2c_adapter_by_node(np);
	if (!adap)
		return -EPROBE_DEFER;
	nr = adap->nr;
	put_device(&adap->dev);
	return nr;
}

/* BUG: adapter leaked when it has no algorithm. */
int i2c_adapter_bad(struct device_node *np)
{
	struct i2c_adapter *adap;
	int nr;

	adap = of_find_i2c_adapter_by_node(np);
	if (!adap)
		return -EPROBE_DEFER;
	if (!adap->algo)
		return -ENODEV; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (!adap->algo) {\n\t\tput_device(&adap->dev);\n\t}}}
	nr = adap->nr;
	put_device(&adap->dev);
	return nr;
}

/* OK: the classic DDC pattern: phandle node put right after the lookup, adapter kept. */
int i2c_ddc_ok(struct ic2_priv *priv)
{
	struct device_node *ddc_np;
	struct i2c_adapter *adap;

	ddc_np = of_parse_phandle(priv->dev->of_node, "ddc-i2c-bus", 0);
	if (!ddc_np)
		return 0;
	adap = of_find_i2c_adapter_by_node(ddc_np);
	of_node_put(ddc_np);
	if (!adap)
		return -EPROBE_DEFER;
	priv->ddc = adap;
	return 0;
}

/* BUG: the DDC phandle node leaks when the adapter is not there yet. */
int i2c_ddc_bad(struct ic2_priv *priv)
{
	struct device_node *ddc_np;
	struct i2c_adapter *adap;

	ddc_np = of_parse_phandle(priv->dev->of_node, "ddc-i2c-bus", 0);
	if (!ddc_np)
		return 0;
	adap = of_find_i2c_adapter_by_node(ddc_np);
	if (!adap)
		return -EPROBE_DEFER; // expect-warning{{krefcheck-leak}} expect-fix{{-1,2}}{{\tif (!adap) {\n\t\tof_node_put(ddc_np);\n\t}}}
	of_node_put(ddc_np);
	priv->ddc = adap;
	return 0;
}

/* OK: of_get_i2c_adapter_by_node() paired with i2c_put_adapter(). */
int i2c_get_adapter_ok(struct device_node *np)
{
	struct i2c_adapter *adap;
	int nr;

	adap = of_get_i2c_adapter_by_node(np);
	if (!adap)
		return -EPROBE_DEFER;
	nr = adap->nr;
	i2c_put_adapter(adap);
	return nr;
}

/* OK: the remove path releases the reference the functions above store in the field. */
void ic2_release_fields(struct ic2_priv *p)
{
	i2c_put_adapter(p->ddc);
}
