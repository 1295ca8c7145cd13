/* krefcheck test headers: firmware node handle. */
#ifndef _KREF_TEST_LINUX_FWNODE_H
#define _KREF_TEST_LINUX_FWNODE_H

#include <linux/types.h>

struct device;
struct fwnode_operations;

struct fwnode_handle {
	struct fwnode_handle *secondary;
	const struct fwnode_operations *ops;
	struct device *dev;
	u8 flags;
};

#define NR_FWNODE_REFERENCE_ARGS	8

struct fwnode_reference_args {
	struct fwnode_handle *fwnode;
	unsigned int nargs;
	u64 args[NR_FWNODE_REFERENCE_ARGS];
};

struct fwnode_endpoint {
	unsigned int port;
	unsigned int id;
	const struct fwnode_handle *local_fwnode;
};

#endif
