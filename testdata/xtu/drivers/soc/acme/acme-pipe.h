/* The ACME display pipeline object: acme-alt.c fills it from the device tree, acme-common.c
 * tears it down (drivers/gpu/drm/arm/display/komeda's komeda_pipeline.h shape). */
#ifndef ACME_PIPE_H
#define ACME_PIPE_H

struct device_node;

struct acme_pipe {
	int id;
	struct device_node *of_output_port; /* put by acme_pipe_destroy() */
	struct device_node *of_peer;        /* put nowhere */
};

void acme_pipe_destroy(struct acme_pipe *pipe);

#endif
