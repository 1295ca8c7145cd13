/* Minimal <linux/nvmem-provider.h> for krefcheck testdata (shaped like Linux 6.12). */
#ifndef _LINUX_NVMEM_PROVIDER_H
#define _LINUX_NVMEM_PROVIDER_H

#include <linux/types.h>
#include <linux/of.h>

struct nvmem_device;

struct nvmem_cell_info {
	const char		*name;
	unsigned int		offset;
	size_t			raw_len;
	unsigned int		bytes;
	unsigned int		bit_offset;
	unsigned int		nbits;
	struct device_node	*np;
	void			*priv;
};

extern int nvmem_add_one_cell(struct nvmem_device *nvmem, const struct nvmem_cell_info *info);

#endif
