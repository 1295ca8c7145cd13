// Cross-TU case, part 2: a wrapper of a wrapper. acme_find_ctrl_checked() returns what
// acme_find_ctrl() (acme-common.c) returns: a second round of summaries learns it. (And, at the end, fields of acme-pipe.h.)
#include <linux/of.h>

struct device_node *acme_find_ctrl(void);

struct device_node *acme_find_ctrl_checked(void)
{
	struct device_node *np = acme_find_ctrl();

	if (!np)
		return NULL;
	if (!of_device_is_available(np)) {
		of_node_put(np);
		return NULL;
	}
	return np;
}

/* A parser that stores references into the fields of a struct of the driver's own header: the
 * field another file of the run releases (acme-common.c's acme_pipe_destroy()) is handed over;
 * the one no file releases is a leak (drivers/gpu/drm/arm/display/komeda/komeda_dev.c
 * komeda_parse_pipe_dt() and komeda_pipeline.c komeda_pipeline_destroy()). */
#include "acme-pipe.h"

int acme_parse_pipe(struct acme_pipe *pipe, struct device_node *np)
{
	pipe->of_output_port = of_get_child_by_name(np, "port");
	pipe->of_peer = of_parse_phandle(np, "peer", 0);
	return 0; // expect-warning{{krefcheck-leak}}{{the reference from of_parse_phandle() (line 29) is stored in field 'of_peer' of an object that outlives this function, and nothing in this file releases that field (no put of 'struct acme_pipe.of_peer') (of_node_put() missing)}}
}
