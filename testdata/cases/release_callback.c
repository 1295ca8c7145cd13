// Theme: a reference kept in a field of an object whose struct device's release callback (a
// function of this file, directly or through another) drops it; the pointer is copied into a
// second field of the same object (the embedded device's parent), which nothing in the file puts.
// - OK: the callback's helper puts the first field (sound/core/init.c snd_card_init());
// - BUG: the callback frees the object and puts nothing;
// - BUG: the callback puts something else; nothing in the file puts either field.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

extern int rcb_name(struct device *dev, int idx);

struct rcb_card {
	struct device *dev;
	struct device card_dev;
	int number;
};

extern int rcb_ctl_create(struct rcb_card *card);

static int rcb_card_do_free(struct rcb_card *card)
{
	put_device(card->dev);
	kfree(card);
	return 0;
}

static void rcb_release_card_device(struct device *dev)
{
	rcb_card_do_free(container_of(dev, struct rcb_card, card_dev));
}

/* OK: put_device(&card->card_dev) runs rcb_release_card_device(), which puts card->dev. */
int rcb_card_init(struct rcb_card *card, struct device *parent, int idx)
{
	int err;

	card->dev = get_device(parent);
	card->number = idx;
	device_initialize(&card->card_dev);
	card->card_dev.parent = parent;
	card->card_dev.release = rcb_release_card_device;
	err = rcb_name(&card->card_dev, idx);
	if (err < 0)
		goto error;
	err = rcb_ctl_create(card);
	if (err < 0)
		goto error;
	return 0;
error:
	put_device(&card->card_dev);
	return err;
}

struct rcb_leaky {
	struct device *dev;
	struct device card_dev;
};

static void rcb_leaky_release(struct device *dev)
{
	kfree(container_of(dev, struct rcb_leaky, card_dev));
}

/* BUG: the release callback only frees the object: the parent's reference is lost (and the
 * success path leaves it in fields nothing in the file puts). */
int rcb_leaky_init(struct rcb_leaky *card, struct device *parent, int idx)
{
	int err;

	card->dev = get_device(parent);
	device_initialize(&card->card_dev);
	card->card_dev.parent = parent;
	card->card_dev.release = rcb_leaky_release;
	err = rcb_name(&card->card_dev, idx);
	if (err < 0) {
		put_device(&card->card_dev); // expect-warning{{krefcheck-leak}}{{'parent' from get_device() (line 73) is held in field 'parent' of '&card->card_dev'; put_device() drops the last reference to '&card->card_dev' and its release callback rcb_leaky_release() releases nothing (put_device() missing)}}
		return err;
	}
	return 0; // expect-warning{{krefcheck-leak}}
}

struct rcb_other {
	struct device *dev;
	struct device card_dev;
};

static void rcb_other_release(struct device *dev)
{
	struct rcb_other *card = container_of(dev, struct rcb_other, card_dev);

	of_node_put(card->card_dev.of_node);
	kfree(card); // expect-warning{{krefcheck-leak}}{{kfree() frees 'card' while its field 'dev' holds a reference (stored in rcb_other_init() line 104, from get_device()) that is not released on this path (put_device() missing)}}
}

/* BUG: the release callback drops a node, not card->dev; nothing in the file puts card->dev (one
 * finding for the reference, on the first path that leaves it). */
int rcb_other_init(struct rcb_other *card, struct device *parent, int idx)
{
	int err;

	card->dev = get_device(parent);
	device_initialize(&card->card_dev);
	card->card_dev.parent = parent;
	card->card_dev.release = rcb_other_release;
	err = rcb_name(&card->card_dev, idx);
	if (err < 0)
		goto error;
	return 0; // expect-warning{{krefcheck-leak}}{{'parent' from get_device() (line 104) is stored in field 'parent' of an object that outlives this function, and nothing in this file releases that field (no put of 'struct device.parent') (put_device() missing)}}
error:
	put_device(&card->card_dev);
	return err;
}
