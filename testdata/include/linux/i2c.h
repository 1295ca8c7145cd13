/* krefcheck test headers: I2C clients and adapters. */
#ifndef _KREF_TEST_LINUX_I2C_H
#define _KREF_TEST_LINUX_I2C_H

#include <linux/types.h>
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/of.h>

struct i2c_algorithm;
struct module;

struct i2c_adapter {
	struct module *owner;
	unsigned int class;
	const struct i2c_algorithm *algo;
	void *algo_data;
	int timeout;
	int retries;
	struct device dev;
	int nr;
	char name[48];
};
#define to_i2c_adapter(d) container_of(d, struct i2c_adapter, dev)

struct i2c_client {
	unsigned short flags;
	unsigned short addr;
	char name[I2C_NAME_SIZE];
	struct i2c_adapter *adapter;
	struct device dev;
	int init_irq;
	int irq;
};
#define to_i2c_client(d) container_of(d, struct i2c_client, dev)

struct i2c_msg {
	u16 addr;
	u16 flags;
	u16 len;
	u8 *buf;
};

int i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num);
s32 i2c_smbus_read_byte_data(const struct i2c_client *client, u8 command);

static inline void *i2c_get_clientdata(const struct i2c_client *client)
{
	return dev_get_drvdata(&client->dev);
}

static inline void i2c_set_clientdata(struct i2c_client *client, void *data)
{
	dev_set_drvdata(&client->dev, data);
}

void i2c_unregister_device(struct i2c_client *client);

/* i2c_get_adapter() pins the adapter and its module: undo with i2c_put_adapter() */
struct i2c_adapter *i2c_get_adapter(int nr);
void i2c_put_adapter(struct i2c_adapter *adap);

struct i2c_client *i2c_find_device_by_fwnode(struct fwnode_handle *fwnode);
struct i2c_adapter *i2c_find_adapter_by_fwnode(struct fwnode_handle *fwnode);
struct i2c_adapter *i2c_get_adapter_by_fwnode(struct fwnode_handle *fwnode);

/* must put_device() the returned client / adapter device */
struct i2c_client *of_find_i2c_device_by_node(struct device_node *node);
struct i2c_adapter *of_find_i2c_adapter_by_node(struct device_node *node);
/* must i2c_put_adapter() the returned adapter */
struct i2c_adapter *of_get_i2c_adapter_by_node(struct device_node *node);

#endif
