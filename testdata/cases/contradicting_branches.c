// Theme: a path that tests the same side-effect-free condition twice with opposite outcomes
// (the analyzer forgets a field across calls, or re-reads a pure getter) is not a path the
// code can take; the finding comes from a consistent path or not at all.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/property.h>
#include <linux/slab.h>

struct cb_aux {
	struct device *dev;
	int ddc;
};

struct cb_priv {
	struct cb_aux *aux;
	struct device *dev;
	int *ddc;
	int mode;
};

struct cb_button {
	int gpio;
	int wakeup;
};

struct cb_pdata {
	struct cb_button *buttons;
	int nbuttons;
};

extern struct cb_aux *cb_find_aux(struct device_node *np);
extern int cb_init(struct cb_priv *p);
extern int cb_register(struct cb_priv *p);
extern void cb_remove(struct cb_priv *p);
extern int cb_request_gpio(struct device *dev, int gpio);
extern int cb_use_child(struct device *dev, struct fwnode_handle *child);

/* OK: the reference on aux->dev is taken and put under the same `if (p->aux)`, and nothing
 * assigns p->aux in between (the calls only make the analyzer forget the field). */
int cb_same_field_ok(struct device *dev)
{
	struct device_node *np;
	struct cb_priv *p;
	int err;

	p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	np = of_parse_phandle(dev->of_node, "aux", 0);
	if (np) {
		p->aux = cb_find_aux(np);
		of_node_put(np);
		if (!p->aux)
			return -EPROBE_DEFER;
		if (get_device(p->aux->dev))
			p->ddc = &p->aux->ddc;
	}

	if (!p->aux)
		p->mode = 1;
	else
		p->mode = 2;

	err = cb_init(p);
	if (err < 0)
		goto put_aux;

	err = cb_register(p);
	if (err < 0)
		goto remove;

	return 0;

remove:
	if (p->aux)
		p->ddc = NULL;
	cb_remove(p);
put_aux:
	if (p->aux)
		put_device(p->aux->dev);
	return err;
}

/* OK: dev_get_platdata(dev) is loop-invariant: the child is only taken when there is no
 * platform data, and the legacy branch (which returns without a put) only runs when there is. */
int cb_platdata_loop_ok(struct device *dev, struct cb_pdata *pdata)
{
	struct fwnode_handle *child = NULL;
	int i, error;

	for (i = 0; i < pdata->nbuttons; i++) {
		struct cb_button *button = &pdata->buttons[i];

		if (button->wakeup) {
			fwnode_handle_put(child);
			return -EINVAL;
		}

		if (!dev_get_platdata(dev)) {
			child = device_get_next_child_node(dev, child);
			if (!child)
				return -EINVAL;
			error = cb_use_child(dev, child);
			if (error) {
				fwnode_handle_put(child);
				return error;
			}
		} else if (button->gpio >= 0) {
			error = cb_request_gpio(dev, button->gpio);
			if (error)
				return error;
		}
	}

	fwnode_handle_put(child);
	return 0;
}

/* BUG: p->aux is cleared between the get and the put: the put is skipped. */
int cb_field_cleared_bug(struct device *dev)
{
	struct device_node *np;
	struct cb_priv *p;
	int err;

	p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	np = of_parse_phandle(dev->of_node, "aux", 0);
	if (np) {
		p->aux = cb_find_aux(np);
		of_node_put(np);
		if (!p->aux)
			return -EPROBE_DEFER;
		if (get_device(p->aux->dev))
			p->ddc = &p->aux->ddc;
	}

	if (!p->aux)
		p->mode = 1;

	err = cb_init(p);
	if (err < 0) {
		p->aux = NULL;
		goto put_aux;
	}

	return 0;

put_aux:
	if (p->aux)
		put_device(p->aux->dev);
	return err; // expect-warning{{krefcheck-leak}}
}

/* BUG: besides the infeasible path of cb_same_field_ok(), a consistent path leaks: after a
 * failed registration with -EAGAIN the function returns before put_aux. */
int cb_consistent_leak_bug(struct device *dev)
{
	struct device_node *np;
	struct cb_priv *p;
	int err;

	p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	np = of_parse_phandle(dev->of_node, "aux", 0);
	if (np) {
		p->aux = cb_find_aux(np);
		of_node_put(np);
		if (!p->aux)
			return -EPROBE_DEFER;
		if (get_device(p->aux->dev))
			p->ddc = &p->aux->ddc;
	}

	err = cb_init(p);
	if (err < 0)
		goto put_aux;

	err = cb_register(p);
	if (err < 0)
		goto remove;

	return 0;

remove:
	cb_remove(p);
	if (err == -EAGAIN)
		return err; // expect-warning{{krefcheck-leak}}
put_aux:
	if (p->aux)
		put_device(p->aux->dev);
	return err;
}

static void cb_set_platdata(struct device *dev, void *data)
{
	dev->platform_data = data;
}

/* BUG: the loop itself sets the platform data after taking a child: the next iteration takes
 * the legacy branch, which returns without putting the child. */
int cb_platdata_set_bug(struct device *dev, struct cb_pdata *pdata, void *legacy)
{
	struct fwnode_handle *child = NULL;
	int i, error;

	for (i = 0; i < pdata->nbuttons; i++) {
		struct cb_button *button = &pdata->buttons[i];

		if (!dev_get_platdata(dev)) {
			child = device_get_next_child_node(dev, child);
			if (!child)
				return -EINVAL;
			cb_set_platdata(dev, legacy);
		} else if (button->gpio >= 0) {
			error = cb_request_gpio(dev, button->gpio);
			if (error)
				return error; // expect-warning{{krefcheck-leak}}
		}
	}

	fwnode_handle_put(child);
	return 0;
}

static void cb_swap_aux(struct cb_priv *p, struct cb_aux *other)
{
	p->aux = other;
}

/* BUG: a helper of the file replaces p->aux between the get and the put: the put drops a
 * reference on the other device, the one taken is never released. */
int cb_field_swapped_bug(struct device *dev, struct cb_aux *other)
{
	struct device_node *np;
	struct cb_priv *p;
	int err;

	p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	np = of_parse_phandle(dev->of_node, "aux", 0);
	if (np) {
		p->aux = cb_find_aux(np);
		of_node_put(np);
		if (!p->aux)
			return -EPROBE_DEFER;
		if (get_device(p->aux->dev))
			p->ddc = &p->aux->ddc;
	}

	err = cb_init(p);
	if (err < 0) {
		cb_swap_aux(p, other);
		goto put_aux;
	}

	return 0;

put_aux:
	if (p->aux)
		put_device(p->aux->dev);
	return err; // expect-warning{{krefcheck-leak}}
}

/* BUG: two references are taken on p->aux->dev and one is put: releasing the same expression
 * again does not make up for the second get. */
int cb_two_gets_bug(struct device *dev)
{
	struct device_node *np;
	struct cb_priv *p;
	int err;

	p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	np = of_parse_phandle(dev->of_node, "aux", 0);
	if (!np)
		return -ENODEV;
	p->aux = cb_find_aux(np);
	of_node_put(np);
	if (!p->aux)
		return -EPROBE_DEFER;
	if (!get_device(p->aux->dev))
		return -ENODEV;
	if (get_device(p->aux->dev))
		p->ddc = &p->aux->ddc;

	err = cb_init(p);
	if (err < 0)
		goto put_aux;

	return 0;

put_aux:
	put_device(p->aux->dev);
	return err; // expect-warning{{krefcheck-leak}}
}
