// Theme: a get/put pair declared by the user in acme_ref.json (run with --rules).
struct acme_obj;
struct acme_obj *acme_ref_lookup(const char *name);
void acme_ref_put(struct acme_obj *obj);
int acme_obj_ready(struct acme_obj *obj);

/* BUG: the not-ready exit keeps the lookup's reference. */
int acme_bad(void)
{
	struct acme_obj *o = acme_ref_lookup("a");

	if (!o)
		return -19;
	if (!acme_obj_ready(o))
		return -11; // expect-warning{{krefcheck-leak}}
	acme_ref_put(o);
	return 0;
}

/* OK: both exits put. */
int acme_ok(void)
{
	struct acme_obj *o = acme_ref_lookup("a");
	int ret;

	if (!o)
		return -19;
	ret = acme_obj_ready(o) ? 0 : -11;
	acme_ref_put(o);
	return ret;
}
