// Cross-TU case, part 4: the users. Every API used here is defined in another file of this
// database (acme-common.c, acme-wrap.c); none is in rules/. Only the whole-program summaries
// tell krefcheck what they do.
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/of.h>

struct device_node *acme_find_ctrl(void);
struct device_node *acme_find_ctrl_checked(void);
void acme_put_ctrl(struct device_node *np);
int acme_register_node(struct device_node *np);
int acme_publish_node(struct device_node *np);
void acme_peek_node(struct device_node *np);
struct device_node *acme_next_port(struct device_node *ctrl, struct device_node *prev);
struct device *acme_bus_get_device(int id);
struct device_node *acme_dup_get(void);
int acme_port_setup(struct device_node *port);
struct acme_parser {
	struct device_node *node;
	int pos;
};
void acme_parser_init(struct acme_parser *parser, struct device_node *np);
int acme_node_index(struct device_node *np);

/* Leak on the early return: acme_find_ctrl() returns a reference (acme-common.c). */
int acme_user_probe(int mode)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	if (mode > 3)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	acme_put_ctrl(np);
	return 0;
}

/* The same, through a wrapper of the wrapper (acme-wrap.c -> acme-common.c). */
int acme_user_checked(int mode)
{
	struct device_node *np = acme_find_ctrl_checked();

	if (!np)
		return -ENODEV;
	if (mode)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	of_node_put(np);
	return 0;
}

/* Correct: released through acme_put_ctrl(). */
int acme_user_ok(void)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	acme_put_ctrl(np);
	return 0;
}

/* Correct: acme_register_node() takes the reference over. */
int acme_user_register(void)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	return acme_register_node(np);
}

/* Double put: acme_put_ctrl() already dropped it. */
void acme_user_double(void)
{
	struct device_node *np = acme_find_ctrl();

	acme_put_ctrl(np);
	of_node_put(np); // expect-warning{{krefcheck-double-put}}
}

/* Breaking out of an iteration with a summarised step function leaks the current port. */
int acme_user_ports(struct device_node *ctrl)
{
	struct device_node *port = NULL;

	while ((port = acme_next_port(ctrl, port)) != NULL) {
		if (acme_port_setup(port))
			return -EIO; // expect-warning{{krefcheck-loop-leak}}
	}
	return 0;
}

/* A struct device from another file's lookup, never put. */
int acme_user_bus(int id)
{
	struct device *dev = acme_bus_get_device(id);

	if (!dev)
		return -ENODEV;
	return dev->id; // expect-warning{{krefcheck-leak}}
}

/* Two modules define acme_dup_get() differently: not trusted either way, no finding. */
int acme_user_dup(void)
{
	struct device_node *np = acme_dup_get();

	return np ? 0 : -ENODEV;
}

/* This file's own static acme_node() returns a borrowed pointer; acme-common.c's static
 * acme_node() (a reference) is another function. */
extern struct device_node *acme_root;
static struct device_node *acme_node(void)
{
	return acme_root;
}

int acme_user_local(void)
{
	struct device_node *np = acme_node();

	return np ? 0 : -ENODEV;
}

/* A parser on this stack only borrows the node: leaked. */
int acme_user_parse(void)
{
	struct acme_parser parser;
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	acme_parser_init(&parser, np);
	return parser.pos; // expect-warning{{krefcheck-leak}}
}

/* The driver's long-lived parser keeps it. */
int acme_user_parse_keep(struct acme_parser *keep)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	acme_parser_init(keep, np);
	return 0;
}

/* Handed over only when acme_publish_node() succeeds: the failure path still owns it. */
int acme_user_publish(void)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	if (acme_publish_node(np))
		return -EBUSY; // expect-warning{{krefcheck-leak}}
	return 0;
}

int acme_user_publish_put(void)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	if (acme_publish_node(np)) {
		acme_put_ctrl(np);
		return -EBUSY;
	}
	return 0;
}

/* acme_peek_node() borrows: this put balances acme_find_ctrl(). */
int acme_user_peek(void)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	acme_peek_node(np);
	acme_put_ctrl(np);
	return 0;
}

/* Leak after a call to a function another file of the run defines without a summary: the
 * finding has no "has no summary" note on it (acme_port_setup(), defined nowhere, has one:
 * tests/UnsummarisedTest.cpp). */
int acme_user_index(int mode)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return -ENODEV;
	if (acme_node_index(np) > mode)
		return -EINVAL; // expect-warning{{krefcheck-leak}}
	acme_put_ctrl(np);
	return 0;
}
