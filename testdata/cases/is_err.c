// Theme: ERR_PTR-returning lookups (fwnode_find_reference): an IS_ERR() result owes nothing.
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/device.h>
#include <linux/property.h>

struct ie_priv {
	struct device *dev;
	struct fwnode_handle *supply;
	u32 id;
};

/* OK: IS_ERR() result returned, the valid reference is put. */
int ie_ref_ok(struct device *dev, u32 *id)
{
	struct fwnode_handle *ref;
	int ret;

	ref = fwnode_find_reference(dev_fwnode(dev), "acme,companion", 0);
	if (IS_ERR(ref))
		return PTR_ERR(ref);

	ret = fwnode_property_read_u32(ref, "reg", id);
	fwnode_handle_put(ref);
	return ret;
}

/* BUG: the valid reference is leaked on the read error. */
int ie_ref_bad(struct device *dev, u32 *id)
{
	struct fwnode_handle *ref;

	ref = fwnode_find_reference(dev_fwnode(dev), "acme,companion", 0);
	if (IS_ERR(ref))
		return PTR_ERR(ref);

	if (fwnode_property_read_u32(ref, "reg", id))
		return -EINVAL; // expect-warning{{krefcheck-leak}}

	fwnode_handle_put(ref);
	return 0;
}

/* OK: IS_ERR_OR_NULL() spelling. */
bool ie_or_null_ok(struct device *dev)
{
	struct fwnode_handle *ref;
	bool avail;

	ref = fwnode_find_reference(dev_fwnode(dev), "acme,peer", 0);
	if (IS_ERR_OR_NULL(ref))
		return false;

	avail = fwnode_device_is_available(ref);
	fwnode_handle_put(ref);
	return avail;
}

/* OK: PTR_ERR_OR_ZERO() spelling. */
int ie_ptr_err_or_zero_ok(struct device *dev)
{
	struct fwnode_handle *ref;
	int ret;

	ref = fwnode_find_reference(dev_fwnode(dev), "acme,peer", 1);
	ret = PTR_ERR_OR_ZERO(ref);
	if (ret)
		return ret;

	fwnode_handle_put(ref);
	return 0;
}

/* OK: error path returns dev_err_probe(); the good reference is stored in priv. */
int ie_probe_store_ok(struct ie_priv *priv)
{
	struct fwnode_handle *ref;

	ref = fwnode_find_reference(dev_fwnode(priv->dev), "acme,supply", 0);
	if (IS_ERR(ref))
		return dev_err_probe(priv->dev, PTR_ERR(ref), "no supply\n");

	priv->supply = ref;
	return 0;
}

/* BUG: success path forgets the put entirely. */
int ie_forgot_put_bad(struct ie_priv *priv)
{
	struct fwnode_handle *ref;

	ref = fwnode_find_reference(dev_fwnode(priv->dev), "acme,supply", 0);
	if (IS_ERR(ref))
		return PTR_ERR(ref);

	priv->id = fwnode_device_is_available(ref) ? 1 : 0;
	return 0; // expect-warning{{krefcheck-leak}}
}

/* OK: the remove path releases the reference the functions above store in the field. */
void ie_release_fields(struct ie_priv *p)
{
	fwnode_handle_put(p->supply);
}
