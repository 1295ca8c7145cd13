// Theme: storing a reference somewhere that outlives the function (field via pointer, global, heap, callback data).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/of.h>

struct os_priv {
	struct device *dev;
	struct device_node *led;
	struct device_node *phy;
};

struct os_entry {
	struct device_node *np;
	int id;
};

struct os_cfg {
	struct device_node *node;
	u32 rate;
};

static struct device_node *os_global_np;
static struct os_entry *os_table[4];

/* registration data: the callee keeps the cookie until unregistration */
extern int os_register_notifier(int (*fn)(void *cookie), void *cookie);
extern int os_notifier_fn(void *cookie);
extern void os_free_irq(unsigned int irq, void *dev_id);

/* OK: stored into a field reached through a pointer parameter. */
int os_store_field_ok(struct os_priv *priv)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "led");
	if (!np)
		return -ENODEV;
	priv->led = np;
	return 0;
}

/* OK: stored into a global. */
int os_store_global_ok(void)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,sysctrl");
	if (!np)
		return -ENODEV;
	os_global_np = np;
	return 0;
}

/* OK: stored into a heap object that is itself kept in a global table. */
int os_store_heap_ok(int id)
{
	struct os_entry *e;
	struct device_node *np;

	if (id < 0 || id >= 4)
		return -EINVAL;
	np = of_find_node_by_name(NULL, "acme-slot");
	if (!np)
		return -ENODEV;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		of_node_put(np);
		return -ENOMEM;
	}
	e->np = np;
	e->id = id;
	os_table[id] = e;
	return 0;
}

/* OK: dev->of_node = np on a pointer parameter takes the reference. */
int os_store_of_node_ok(struct device *dev, struct device_node *parent)
{
	struct device_node *np;

	np = of_get_child_by_name(parent, "child-dev");
	if (!np)
		return -ENODEV;
	dev->of_node = np;
	return 0;
}

/* OK: dev_set_drvdata() stores the node in the device (a rule: its body is a field store). */
int os_store_drvdata_ok(struct device *dev)
{
	struct device_node *np;

	np = of_parse_phandle(dev->of_node, "acme,ctrl", 0);
	if (!np)
		return -ENODEV;
	dev_set_drvdata(dev, np);
	return 0;
}

/* BUG: free_irq() only reads its `void *` dev_id: the node is still owed. */
int os_free_irq_cookie_bad(int irq)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,irq");
	if (!np)
		return -ENODEV;
	os_free_irq(irq, np);
	return 0; // expect-warning{{krefcheck-leak}}{{'np' from of_find_compatible_node() (line 107) is not released on this path (of_node_put() missing)}}
}

/* OK: free_irq() reads the cookie, then the node is put. */
int os_free_irq_cookie_ok(int irq)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,irq");
	if (!np)
		return -ENODEV;
	os_free_irq(irq, np);
	of_node_put(np);
	return 0;
}

/* OK: passed as the void * cookie of an extern registration function. */
int os_store_cookie_ok(void)
{
	struct device_node *np;

	np = of_find_compatible_node(NULL, NULL, "acme,notifier");
	if (!np)
		return -ENODEV;
	return os_register_notifier(os_notifier_fn, np);
}

/* BUG: stored only when wanted; the other path leaks. */
int os_store_cond_bad(struct os_priv *priv, bool want)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "phy");
	if (!np)
		return -ENODEV;
	if (want)
		priv->phy = np;
	return 0; // expect-warning{{krefcheck-leak}}{{'np' from of_get_child_by_name() (line 143) is not released on this path (of_node_put() missing)}}
}

/* OK: the unwanted path puts. */
int os_store_cond_ok(struct os_priv *priv, bool want)
{
	struct device_node *np;

	np = of_get_child_by_name(priv->dev->of_node, "phy");
	if (!np)
		return -ENODEV;
	if (want)
		priv->phy = np;
	else
		of_node_put(np);
	return 0;
}

/* BUG: a struct on the stack does not outlive the function. */
int os_store_local_bad(struct device *dev)
{
	struct os_cfg cfg = { 0 };

	cfg.node = of_get_child_by_name(dev->of_node, "cfg");
	if (!cfg.node)
		return -ENODEV;
	cfg.rate = of_device_is_available(cfg.node) ? 100 : 0;
	return cfg.rate; // expect-warning{{krefcheck-leak}}{{the reference from of_get_child_by_name() (line 171) is not released on this path (of_node_put() missing)}}
}

/* OK: the remove path releases the reference the functions above store in the field. */
void os_release_fields(struct os_priv *p)
{
	of_node_put(p->led);
	of_node_put(p->phy);
}

/* OK: the remove path releases the reference the functions above store in the field. */
void os_release_entry(struct os_entry *p)
{
	of_node_put(p->np);
}

/* OK: the exit path releases the reference os_store_global_ok() stores in the global. */
void os_release_global(void)
{
	of_node_put(os_global_np);
	os_global_np = NULL;
}
