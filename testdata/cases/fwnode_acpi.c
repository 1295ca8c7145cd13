// Theme: ACPI fwnodes count no references (drivers/acpi/property.c: the ACPI fwnode ops have
// no .get/.put). Where is_acpi_node() / is_acpi_device_node() / is_acpi_data_node() (rules:
// "uncounted_if_true") returned true, the fwnode calls on that handle, and on the handles
// derived from it, take and drop nothing. Where it returned false, or was never asked, they
// count as usual.
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/property.h>
#include <acpi/acpi_bus.h>

extern bool fa_present(const struct fwnode_handle *fwnode, const char *name);

/* OK (mvpp2_use_acpi_compat_mode() shape): the child lookup runs on an ACPI fwnode only. */
bool fa_acpi_compat(struct fwnode_handle *fw)
{
	if (!is_acpi_node(fw))
		return false;
	return !fa_present(fw, "phy-handle") && !fwnode_get_named_child_node(fw, "fixed-link");
}

/* OK: an ACPI device node's parent and its child: derived handles count nothing either. */
int fa_acpi_walk(struct fwnode_handle *fw)
{
	struct fwnode_handle *parent, *child;

	if (!is_acpi_device_node(fw))
		return -ENODEV;
	parent = fwnode_get_parent(fw);
	if (!parent)
		return -ENODEV;
	child = fwnode_get_named_child_node(parent, "port");
	if (!child)
		return -ENOENT;
	return fa_present(child, "reg") ? 0 : -EINVAL;
}

/* BUG (look-alike): the same lookup on the path where the fwnode is NOT an ACPI one (OF,
 * software node): the child's reference is counted and never put. */
bool fa_of_compat(struct fwnode_handle *fw)
{
	if (is_acpi_node(fw))
		return false;
	return !fwnode_get_named_child_node(fw, "fixed-link"); // expect-warning{{krefcheck-leak}}{{the reference from fwnode_get_named_child_node() (line 43) is not released on this path (fwnode_handle_put() missing)}}
}

/* BUG (look-alike): a predicate on another handle says nothing of this one. */
int fa_other_handle(struct fwnode_handle *fw, struct fwnode_handle *other)
{
	struct fwnode_handle *child;

	if (!is_acpi_data_node(other))
		return -ENODEV;
	child = fwnode_get_named_child_node(fw, "port");
	if (!child)
		return -ENOENT;
	if (!fa_present(child, "reg"))
		return -EINVAL; // expect-warning{{krefcheck-leak}}{{'child' from fwnode_get_named_child_node() (line 53) is not released on this path (fwnode_handle_put() missing)}}
	fwnode_handle_put(child);
	return 0;
}

/* OK (acpi_fwnode_get_named_child_node() shape): a child the walk yields that turns out to be
 * an ACPI node counted nothing: the walk's next step drops nothing of it, and leaving the loop
 * with it owes nothing. */
int fa_acpi_children(const struct fwnode_handle *fw, const char *name)
{
	struct fwnode_handle *child;

	fwnode_for_each_child_node(fw, child) {
		if (is_acpi_data_node(child)) {
			if (fa_present(child, name))
				return 1;
			continue;
		}
		fwnode_handle_put(child);
		return 0;
	}
	return -ENOENT;
}

/* BUG (look-alike): the child kept after the loop is one that is not an ACPI node. */
int fa_of_child_kept(const struct fwnode_handle *fw)
{
	struct fwnode_handle *child;

	fwnode_for_each_child_node(fw, child) {
		if (is_acpi_data_node(child))
			continue;
		if (fa_present(child, "reg"))
			break;
	}
	if (!child)
		return -ENOENT;
	return 0; // expect-warning{{krefcheck-loop-leak}}{{'child' from fwnode_get_next_child_node() (line 86) is not released when leaving the loop early (fwnode_handle_put() missing)}}
}
