// Theme: which functions a kfree() makes worth the path-sensitive analysis. Freeing, by name,
// a struct with an owning field (probe stores a reference in it) can lose that reference: the
// function is analysed. Freeing a string or a byte buffer cannot: the function is not analysed
// at all (TestdataTest.cpp, FreeOfAStringIsNotAnalysed: 3 of the 5 functions are).
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/of.h>

struct frel_port {
	struct device_node *np;
	char *label;
};

int frel_probe(struct frel_port *p)
{
	p->np = of_find_compatible_node(NULL, NULL, "frel,port");
	return p->np ? 0 : -ENODEV;
}

/* OK: the put before the free. */
void frel_remove(struct frel_port *p)
{
	of_node_put(p->np);
	kfree(p);
}

/* BUG: p->np still holds the reference probe stored. */
void frel_remove_early(struct frel_port *p)
{
	kfree(p); // expect-warning{{krefcheck-leak}}
}

/* Not analysed: a string is freed, not the port. */
void frel_drop_label(struct frel_port *p)
{
	char *s = p->label;

	p->label = NULL;
	kfree(s);
}

/* Not analysed: a byte buffer. */
void frel_free_buf(u8 *buf)
{
	kfree(buf);
}
