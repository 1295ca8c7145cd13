// Theme: references held in the fields of an object, lost when the object goes away.
// - stored by this function (or an inlined helper) into an object that is then kfree()d;
// - stored by another function of the file (probe) and the object kfree()d elsewhere (remove):
//   every store into the field is a reference, so the field owns one;
// - stored into a struct device whose last reference is dropped while its release callback
//   (set on this path) releases nothing.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_graph.h>

struct fh_sub {
	int flags;
};

struct fh_phy {
	struct fh_sub sub;
	struct device_node *ep;
	struct device_node *remote;
	int instance;
};

extern void fh_sub_init(struct fh_sub *sub);
extern int fh_sub_register(struct fh_sub *sub);

static int fh_parse_dt(struct fh_phy *phy, struct device_node *np)
{
	phy->ep = of_graph_get_next_endpoint(np, NULL);
	if (!phy->ep)
		return -ENODEV;
	phy->remote = of_graph_get_remote_port_parent(phy->ep);
	if (!phy->remote) {
		of_node_put(phy->ep);
		return -ENODEV;
	}
	return 0;
}

/* BUG (cal_camerarx_create() in 6.1): the error path frees phy with both references in it. */
struct fh_phy *fh_create_bad(struct device_node *np)
{
	struct fh_phy *phy;
	int ret;

	phy = kzalloc(sizeof(*phy), GFP_KERNEL);
	if (!phy)
		return ERR_PTR(-ENOMEM);
	ret = fh_parse_dt(phy, np);
	if (ret)
		goto error;
	fh_sub_init(&phy->sub);
	ret = fh_sub_register(&phy->sub);
	if (ret)
		goto error;
	return phy;

error:
	kfree(phy); // expect-warning{{krefcheck-leak}} expect-warning{{krefcheck-leak}}
	return ERR_PTR(ret);
}

/* OK: the error path puts what parse_dt stored. */
struct fh_phy *fh_create_ok(struct device_node *np)
{
	struct fh_phy *phy;
	int ret;

	phy = kzalloc(sizeof(*phy), GFP_KERNEL);
	if (!phy)
		return ERR_PTR(-ENOMEM);
	ret = fh_parse_dt(phy, np);
	if (ret)
		goto free;
	fh_sub_init(&phy->sub);
	ret = fh_sub_register(&phy->sub);
	if (ret)
		goto put;
	return phy;

put:
	of_node_put(phy->remote);
	of_node_put(phy->ep);
free:
	kfree(phy);
	return ERR_PTR(ret);
}

/* Probe/remove pair: probe keeps a node in q->np for the device's lifetime. */
struct fh_port {
	struct fh_sub port;
	struct device_node *np;
	struct device_node *peer;
};

extern int fh_port_add(struct fh_sub *port);
extern void fh_port_remove(struct fh_sub *port);
extern void fh_port_teardown(struct fh_port *q);

int fh_probe(struct platform_device *pdev)
{
	struct fh_port *q;
	struct device_node *np;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "fh,qe");
	if (!np)
		return -ENODEV;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q) {
		of_node_put(np);
		return -ENOMEM;
	}
	q->np = np;
	q->peer = pdev->dev.of_node;	/* borrowed: peer is not an owning field */
	ret = fh_port_add(&q->port);
	if (ret) {
		of_node_put(np);
		kfree(q);
		return ret;
	}
	platform_set_drvdata(pdev, q);
	return 0;
}

/* BUG (ucc_uart_remove() in 6.1): q->np holds the reference probe took. */
int fh_remove_bad(struct platform_device *pdev)
{
	struct fh_port *q = platform_get_drvdata(pdev);

	fh_port_remove(&q->port);
	kfree(q); // expect-warning{{krefcheck-leak}}{{kfree() frees 'q' while its field 'np' holds a reference (stored in fh_probe() line 116, from of_find_compatible_node()) that is not released on this path (of_node_put() missing)}}
	return 0;
}

/* OK: put before the free. */
int fh_remove_ok(struct platform_device *pdev)
{
	struct fh_port *q = platform_get_drvdata(pdev);

	fh_port_remove(&q->port);
	of_node_put(q->np);
	kfree(q);
	return 0;
}

/* OK: a function that receives the whole object may release its fields. */
int fh_remove_teardown(struct platform_device *pdev)
{
	struct fh_port *q = platform_get_drvdata(pdev);

	fh_port_teardown(q);
	kfree(q);
	return 0;
}

/* OK: the reference is moved out of the field before the free. */
struct device_node *fh_take(struct platform_device *pdev)
{
	struct fh_port *q = platform_get_drvdata(pdev);
	struct device_node *np = q->np;

	kfree(q);
	return np;
}

/* A struct device whose release callback frees the container and nothing else. */
struct fh_slave {
	struct device dev;
	int id;
};

static void fh_slave_release(struct device *dev)
{
	kfree(container_of(dev, struct fh_slave, dev));
}

static void fh_slave_release_node(struct device *dev)
{
	of_node_put(dev->of_node);
	kfree(container_of(dev, struct fh_slave, dev));
}

/* BUG (__w1_attach_slave_device() in 6.1): put_device() frees sl, of_node is never put. */
int fh_attach_bad(struct fh_slave *sl, struct device_node *parent)
{
	int err;

	sl->dev.release = fh_slave_release;
	sl->dev.of_node = of_get_child_by_name(parent, "slave");
	dev_set_name(&sl->dev, "fh-%d", sl->id);
	err = device_register(&sl->dev);
	if (err) {
		put_device(&sl->dev); // expect-warning{{krefcheck-leak}}{{the reference from of_get_child_by_name() (line 192) is held in field 'of_node' of '&sl->dev'; put_device() drops the last reference to '&sl->dev' and its release callback fh_slave_release() releases nothing (of_node_put() missing)}}
		return err;
	}
	return 0;
}

/* OK (the 6.12 fix): the node is put first; no put of an unowned reference either. */
int fh_attach_fixed(struct fh_slave *sl, struct device_node *parent)
{
	int err;

	sl->dev.release = fh_slave_release;
	sl->dev.of_node = of_get_child_by_name(parent, "slave");
	dev_set_name(&sl->dev, "fh-%d", sl->id);
	err = device_register(&sl->dev);
	if (err) {
		of_node_put(sl->dev.of_node);
		put_device(&sl->dev);
		return err;
	}
	return 0;
}

/* OK: the release callback drops the node. */
int fh_attach_callback_puts(struct fh_slave *sl, struct device_node *parent)
{
	int err;

	sl->dev.release = fh_slave_release_node;
	sl->dev.of_node = of_get_child_by_name(parent, "slave");
	err = device_register(&sl->dev);
	if (err) {
		put_device(&sl->dev);
		return err;
	}
	return 0;
}

/* OK: the release callback is not known on this path (set elsewhere): no guess. */
int fh_attach_callback_unknown(struct fh_slave *sl, struct device_node *parent)
{
	int err;

	sl->dev.of_node = of_get_child_by_name(parent, "slave");
	err = device_register(&sl->dev);
	if (err) {
		put_device(&sl->dev);
		return err;
	}
	return 0;
}

/* OK: a release callback for bare struct devices made elsewhere in this file. That one function
 * stores a node reference in some device's of_node (fh_attach_*() above) does not make every
 * struct device's of_node an owning field: the rules say dev->of_node is borrowed. */
static void fh_plain_release(struct device *dev)
{
	kfree(dev);
}

struct device *fh_plain_create(void)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	dev->release = fh_plain_release;
	return dev;
}

struct fh_card {
	struct device *dev;
	int number;
};

extern int fh_card_slot(int idx);

/* OK (snd_card_init() in 6.12): the function that stores the field's reference is the one that
 * initialises the field; its kfree() on the slot failure comes before the store, so the object
 * it was handed holds no reference there yet. */
int fh_card_init(struct fh_card *card, struct device *parent, int idx)
{
	if (fh_card_slot(idx) < 0) {
		kfree(card);
		return -ENODEV;
	}
	card->dev = get_device(parent);
	card->number = idx;
	return 0;
}

/* BUG: an initialiser that frees the card on a failure after the store. */
int fh_card_init_late(struct fh_card *card, struct device *parent, int idx)
{
	card->dev = get_device(parent);
	if (fh_card_slot(idx) < 0) {
		kfree(card); // expect-warning{{krefcheck-leak}}
		return -ENODEV;
	}
	card->number = idx;
	return 0;
}

/* OK: the teardown that releases the field. */
void fh_card_release(struct fh_card *card)
{
	put_device(card->dev);
	kfree(card);
}

/* BUG: another function of the file frees a card it was handed: the field holds the reference
 * an initialiser stored. */
void fh_card_free_bad(struct fh_card *card)
{
	kfree(card); // expect-warning{{krefcheck-leak}}{{kfree() frees 'card' while its field 'dev' holds a reference (stored in fh_card_init() line 282, from get_device()) that is not released on this path (put_device() missing)}}
}

struct fh_stm_dev {
	struct device dev;
	int owner;
};

struct fh_stm_file {
	struct fh_stm_dev *stm;
	int output;
};

extern int fh_stm_try_get(int owner);

/* The file's release: drops the device the open took. */
void fh_stm_release(struct fh_stm_file *stmf)
{
	put_device(&stmf->stm->dev);
	kfree(stmf);
}

/* OK (stm_char_open() in 6.12): the object holding the device is freed on the error path, but
 * the function still has the device in its own variable and puts it right after: a reference
 * held in a field is not lost with the object while a variable of the function still holds it. */
int fh_stm_open(struct device *parent, struct fh_stm_file **out)
{
	struct fh_stm_file *stmf;
	struct device *dev;
	int err = -ENOMEM;

	dev = device_find_child_by_name(parent, "stm");
	if (!dev)
		return -ENODEV;
	stmf = kzalloc(sizeof(*stmf), GFP_KERNEL);
	if (!stmf)
		goto err_put_device;
	err = -ENODEV;
	stmf->stm = container_of(dev, struct fh_stm_dev, dev);
	if (!fh_stm_try_get(stmf->stm->owner))
		goto err_free;
	*out = stmf;
	return 0;

err_free:
	kfree(stmf);
err_put_device:
	put_device(dev);
	return err;
}

/* BUG: the same, but the error path after the free forgets the device: lost with stmf. */
int fh_stm_open_bad(struct device *parent, struct fh_stm_file **out)
{
	struct fh_stm_file *stmf;
	struct device *dev;

	dev = device_find_child_by_name(parent, "stm");
	if (!dev)
		return -ENODEV;
	stmf = kzalloc(sizeof(*stmf), GFP_KERNEL);
	if (!stmf) {
		put_device(dev);
		return -ENOMEM;
	}
	stmf->stm = container_of(dev, struct fh_stm_dev, dev);
	if (!fh_stm_try_get(stmf->stm->owner)) {
		kfree(stmf); // expect-warning{{krefcheck-leak}}{{'dev' from device_find_child_by_name() (line 367) is held in field 'stm' of 'stmf'; kfree() frees 'stmf' here (put_device() missing)}}
		return -ENODEV;
	}
	*out = stmf;
	return 0;
}
