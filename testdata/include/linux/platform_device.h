/* krefcheck test headers: platform devices and drivers. */
#ifndef _KREF_TEST_LINUX_PLATFORM_DEVICE_H
#define _KREF_TEST_LINUX_PLATFORM_DEVICE_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>

#define PLATFORM_DEVID_NONE	(-1)
#define PLATFORM_DEVID_AUTO	(-2)

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
};

struct platform_device {
	const char	*name;
	int		id;
	bool		id_auto;
	struct device	dev;
	u32		num_resources;
	struct resource	*resource;
	const struct platform_device_id *id_entry;
};

#define to_platform_device(x) container_of((x), struct platform_device, dev)

extern const struct bus_type platform_bus_type;
extern struct device platform_bus;

extern int platform_device_register(struct platform_device *);
extern void platform_device_unregister(struct platform_device *);

extern struct resource *platform_get_resource(struct platform_device *,
					      unsigned int, unsigned int);
extern void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev,
						    unsigned int index);
extern int platform_get_irq(struct platform_device *, unsigned int);

/* allocated device holds one reference: drop it with platform_device_put() */
extern struct platform_device *platform_device_alloc(const char *name, int id);
extern int platform_device_add_resources(struct platform_device *pdev,
					 const struct resource *res,
					 unsigned int num);
extern int platform_device_add_data(struct platform_device *pdev,
				    const void *data, size_t size);
extern int platform_device_add(struct platform_device *pdev);
extern void platform_device_del(struct platform_device *pdev);
extern void platform_device_put(struct platform_device *pdev);

struct platform_driver {
	int (*probe)(struct platform_device *);
	void (*remove)(struct platform_device *);
	void (*shutdown)(struct platform_device *);
	struct device_driver driver;
	const struct platform_device_id *id_table;
};

#define to_platform_driver(drv)	(container_of((drv), struct platform_driver, driver))

#define platform_driver_register(drv) \
	__platform_driver_register(drv, THIS_MODULE)
extern int __platform_driver_register(struct platform_driver *,
				      struct module *);
extern void platform_driver_unregister(struct platform_driver *);

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev,
					void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

#define module_platform_driver(__platform_driver)			\
static int __init __platform_driver##_init(void)			\
{									\
	return platform_driver_register(&(__platform_driver));		\
}									\
module_init(__platform_driver##_init);					\
static void __exit __platform_driver##_exit(void)			\
{									\
	platform_driver_unregister(&(__platform_driver));		\
}									\
module_exit(__platform_driver##_exit)

#endif
