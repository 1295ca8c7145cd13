/* krefcheck test headers: MMIO. */
#ifndef _KREF_TEST_LINUX_IO_H
#define _KREF_TEST_LINUX_IO_H

#include <linux/types.h>
#include <linux/compiler.h>

void __iomem *ioremap(phys_addr_t offset, size_t size);
void iounmap(volatile void __iomem *addr);
u32 readl(const volatile void __iomem *addr);
void writel(u32 value, volatile void __iomem *addr);

#endif
