/* krefcheck test headers: device tree interrupts (shaped like Linux 6.12 include/linux/of_irq.h). */
#ifndef _KREF_TEST_LINUX_OF_IRQ_H
#define _KREF_TEST_LINUX_OF_IRQ_H

#include <linux/of.h>

struct irq_domain;

extern int of_irq_parse_raw(const __be32 *addr, struct of_phandle_args *out_irq);
extern unsigned int irq_create_of_mapping(struct of_phandle_args *irq_data);
extern int of_irq_parse_one(struct device_node *device, int index,
			    struct of_phandle_args *out_irq);
extern struct irq_domain *irq_find_host(struct device_node *node);

#endif
