// Theme: a function that takes its own reference on its parameter's object through a getter
// of the file that hands the parameter back (hci_conn_get(): `get_device(&conn->dev); return
// conn;`), and puts it on its exits: the puts balance its own get, not the caller's
// reference. Without the get, a put on one failure exit and not on another is inconsistent.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/slab.h>

struct og_conn {
	struct device dev;
	int state;
	int role;
};

int og_conn_valid(struct og_conn *conn);
int og_send(struct og_conn *conn);
void og_abort(struct og_conn *conn);
void og_release(struct device *dev);

static inline struct og_conn *og_conn_get(struct og_conn *conn)
{
	get_device(&conn->dev);
	return conn;
}

static inline void og_conn_put(struct og_conn *conn)
{
	put_device(&conn->dev);
}

/* OK (hci_le_create_conn_sync()'s shape): the early exit is before the function's own get;
 * every put after it balances that get. */
int og_create_sync(void *data)
{
	struct og_conn *conn = data;
	int err;

	if (!og_conn_valid(conn))
		return -ENODEV;

	og_conn_get(conn);
	conn->state = 1;

	if (conn->role) {
		og_abort(conn);
		og_conn_put(conn);
		return -EBUSY;
	}

	err = og_send(conn);
	conn->state = 2;
	og_conn_put(conn);
	return err;
}

/* BUG: no get of its own; the caller's reference is put on one failure exit and kept on the
 * other. */
int og_create_sync_bad(void *data)
{
	struct og_conn *conn = data;

	if (!og_conn_valid(conn))
		return -ENODEV; // expect-warning{{krefcheck-leak}}{{parameter 'data' is released by og_conn_put() on a failure exit (line 68) but not on this one: a caller cannot tell whether it still holds the reference (put_device() missing)}}

	if (conn->role) {
		og_abort(conn);
		og_conn_put(conn);
		return -EBUSY;
	}

	return og_send(conn);
}

/* A helper whose get through the getter stays on the caller's object: the caller holds one
 * more reference after it. */
void og_hold(struct og_conn *conn)
{
	og_conn_get(conn);
	conn->state = 3;
}

/* Gets (through og_hold()) and puts its own: the caller's reference is untouched. */
int og_use_ok(struct og_conn *conn)
{
	int err;

	og_hold(conn);
	err = og_send(conn);
	og_conn_put(conn);
	return err;
}

/* Keeps the reference og_hold() took for its caller. */
int og_use_bad(struct og_conn *conn)
{
	og_hold(conn);
	return og_send(conn);
}

/* OK: og_use_ok() balances its own get; the put here drops the initial reference. */
int og_new_ok(void)
{
	struct og_conn *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int err;

	if (!c)
		return -ENOMEM;
	c->dev.release = og_release;
	device_initialize(&c->dev);
	err = og_use_ok(c);
	put_device(&c->dev);
	return err;
}

/* BUG: og_use_bad() leaves one more reference on c; one put is not enough. */
int og_new_bad(void)
{
	struct og_conn *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int err;

	if (!c)
		return -ENOMEM;
	c->dev.release = og_release;
	device_initialize(&c->dev);
	err = og_use_bad(c);
	put_device(&c->dev);
	return err; // expect-warning{{krefcheck-leak}}
}
