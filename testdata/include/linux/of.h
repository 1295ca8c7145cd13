/* krefcheck test headers: device tree nodes and their reference counting. */
#ifndef _KREF_TEST_LINUX_OF_H
#define _KREF_TEST_LINUX_OF_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/cleanup.h>
#include <linux/errno.h>
#include <linux/fwnode.h>
#include <linux/property.h>
#include <linux/mod_devicetable.h>

struct property {
	char	*name;
	int	length;
	void	*value;
	struct property *next;
};

struct device_node {
	const char *name;
	phandle phandle;
	const char *full_name;
	struct fwnode_handle fwnode;

	struct property *properties;
	struct property *deadprops;
	struct device_node *parent;
	struct device_node *child;
	struct device_node *sibling;
	unsigned long _flags;
	void	*data;
};

#define MAX_PHANDLE_ARGS 16
struct of_phandle_args {
	struct device_node *np;
	int args_count;
	uint32_t args[MAX_PHANDLE_ARGS];
};

/* iterator over a phandle list: it->node holds a reference the next step drops */
struct of_phandle_iterator {
	const char *cells_name;
	int cell_count;
	const struct device_node *parent;
	const __be32 *list_end;
	const __be32 *phandle_end;
	const __be32 *cur;
	uint32_t cur_count;
	phandle phandle;
	struct device_node *node;
};

extern int of_phandle_iterator_init(struct of_phandle_iterator *it,
				    const struct device_node *np,
				    const char *list_name,
				    const char *cells_name,
				    int cell_count);
extern int of_phandle_iterator_next(struct of_phandle_iterator *it);

#define of_for_each_phandle(it, err, np, ln, cn, cc)			\
	for (of_phandle_iterator_init((it), (np), (ln), (cn), (cc)),	\
	     err = of_phandle_iterator_next(it);			\
	     err == 0;							\
	     err = of_phandle_iterator_next(it))

/* reference counting */
extern struct device_node *of_node_get(struct device_node *node);
extern void of_node_put(struct device_node *node);

DEFINE_FREE(device_node, struct device_node *, if (_T) of_node_put(_T))

extern struct device_node *of_root;
extern struct device_node *of_chosen;
extern struct device_node *of_aliases;

extern const struct fwnode_operations of_fwnode_ops;

static inline bool is_of_node(const struct fwnode_handle *fwnode)
{
	return fwnode && fwnode->ops == &of_fwnode_ops;
}

#define to_of_node(__fwnode)						\
	({								\
		typeof(__fwnode) __to_of_node_fwnode = (__fwnode);	\
									\
		is_of_node(__to_of_node_fwnode) ?			\
			container_of(__to_of_node_fwnode,		\
				     struct device_node, fwnode) :	\
			NULL;						\
	})

#define of_fwnode_handle(node)						\
	({								\
		typeof(node) __of_fwnode_handle_node = (node);		\
									\
		__of_fwnode_handle_node ?				\
			&__of_fwnode_handle_node->fwnode : NULL;	\
	})

extern bool of_node_name_eq(const struct device_node *np, const char *name);
extern bool of_node_name_prefix(const struct device_node *np, const char *prefix);

static inline const char *of_node_full_name(const struct device_node *np)
{
	return np ? np->full_name : "<no-node>";
}

/* lookups: every one returns a node with its refcount raised (or NULL) */
extern struct device_node *of_find_all_nodes(struct device_node *prev);
extern struct device_node *of_find_node_by_name(struct device_node *from,
	const char *name);
extern struct device_node *of_find_node_by_type(struct device_node *from,
	const char *type);
extern struct device_node *of_find_compatible_node(struct device_node *from,
	const char *type, const char *compat);
extern struct device_node *of_find_matching_node_and_match(
	struct device_node *from,
	const struct of_device_id *matches,
	const struct of_device_id **match);
extern struct device_node *of_find_matching_node(struct device_node *from,
	const struct of_device_id *matches);

extern struct device_node *of_find_node_opts_by_path(const char *path,
	const char **opts);
extern struct device_node *of_find_node_by_path(const char *path);

extern struct device_node *of_find_node_by_phandle(phandle handle);
extern int of_detach_node(struct device_node *np);
extern int of_attach_node(struct device_node *np);
extern struct device_node *of_get_parent(const struct device_node *node);
extern struct device_node *of_get_next_parent(struct device_node *node);
extern struct device_node *of_get_next_child(const struct device_node *node,
					     struct device_node *prev);
extern struct device_node *of_get_next_available_child(
	const struct device_node *node, struct device_node *prev);
extern struct device_node *of_get_next_reserved_child(
	const struct device_node *node, struct device_node *prev);

extern struct device_node *of_get_compatible_child(const struct device_node *parent,
					const char *compatible);
extern struct device_node *of_get_child_by_name(const struct device_node *node,
					const char *name);

extern struct device_node *of_find_node_with_property(
	struct device_node *from, const char *prop_name);

extern struct device_node *of_get_cpu_node(int cpu, unsigned int *thread);
extern struct device_node *of_cpu_device_node_get(int cpu);
extern struct device_node *of_get_next_cpu_node(struct device_node *prev);
extern struct device_node *of_find_next_cache_node(const struct device_node *np);

/* properties */
extern struct property *of_find_property(const struct device_node *np,
					 const char *name, int *lenp);
extern const void *of_get_property(const struct device_node *node,
				   const char *name, int *lenp);
extern int of_property_read_u32(const struct device_node *np,
				const char *propname, u32 *out_value);
extern int of_property_read_u32_index(const struct device_node *np,
				      const char *propname,
				      u32 index, u32 *out_value);
extern int of_property_read_string(const struct device_node *np,
				   const char *propname,
				   const char **out_string);
extern bool of_property_read_bool(const struct device_node *np,
				  const char *propname);

static inline bool of_property_present(const struct device_node *np,
				       const char *propname)
{
	return of_property_read_bool(np, propname);
}

extern int of_device_is_compatible(const struct device_node *device,
				   const char *compat);
extern bool of_device_is_available(const struct device_node *device);
extern const struct of_device_id *of_match_node(
	const struct of_device_id *matches, const struct device_node *node);
extern int of_alias_get_id(struct device_node *np, const char *stem);

/* phandles: the returned node (or out_args->np) carries a reference */
extern int __of_parse_phandle_with_args(const struct device_node *np,
	const char *list_name, const char *cells_name, int cell_count,
	int index, struct of_phandle_args *out_args);
extern struct device_node *of_parse_phandle(const struct device_node *np,
					    const char *phandle_name,
					    int index);
extern int of_parse_phandle_with_args(const struct device_node *np,
				      const char *list_name,
				      const char *cells_name,
				      int index,
				      struct of_phandle_args *out_args);
extern int of_parse_phandle_with_fixed_args(const struct device_node *np,
					    const char *list_name,
					    int cell_count,
					    int index,
					    struct of_phandle_args *out_args);
extern int of_count_phandle_with_args(const struct device_node *np,
				      const char *list_name,
				      const char *cells_name);

/* iterators: each step drops the previous node's reference */
#define for_each_of_allnodes(dn) \
	for (dn = of_find_all_nodes(NULL); dn; dn = of_find_all_nodes(dn))

#define for_each_node_by_name(dn, name) \
	for (dn = of_find_node_by_name(NULL, name); dn; \
	     dn = of_find_node_by_name(dn, name))
#define for_each_node_by_type(dn, type) \
	for (dn = of_find_node_by_type(NULL, type); dn; \
	     dn = of_find_node_by_type(dn, type))
#define for_each_compatible_node(dn, type, compatible) \
	for (dn = of_find_compatible_node(NULL, type, compatible); dn; \
	     dn = of_find_compatible_node(dn, type, compatible))
#define for_each_matching_node(dn, matches) \
	for (dn = of_find_matching_node(NULL, matches); dn; \
	     dn = of_find_matching_node(dn, matches))
#define for_each_matching_node_and_match(dn, matches, match) \
	for (dn = of_find_matching_node_and_match(NULL, matches, match); \
	     dn; dn = of_find_matching_node_and_match(dn, matches, match))

#define for_each_child_of_node(parent, child) \
	for (child = of_get_next_child(parent, NULL); child != NULL; \
	     child = of_get_next_child(parent, child))

#define for_each_child_of_node_scoped(parent, child) \
	for (struct device_node *child __free(device_node) =		\
	     of_get_next_child(parent, NULL);				\
	     child != NULL;						\
	     child = of_get_next_child(parent, child))

#define for_each_available_child_of_node(parent, child) \
	for (child = of_get_next_available_child(parent, NULL); child != NULL; \
	     child = of_get_next_available_child(parent, child))

#define for_each_reserved_child_of_node(parent, child) \
	for (child = of_get_next_reserved_child(parent, NULL); child != NULL; \
	     child = of_get_next_reserved_child(parent, child))

#define for_each_available_child_of_node_scoped(parent, child) \
	for (struct device_node *child __free(device_node) =		\
	     of_get_next_available_child(parent, NULL);			\
	     child != NULL;						\
	     child = of_get_next_available_child(parent, child))

#define for_each_of_cpu_node(cpu) \
	for (cpu = of_get_next_cpu_node(NULL); cpu != NULL; \
	     cpu = of_get_next_cpu_node(cpu))

#define for_each_node_with_property(dn, prop_name) \
	for (dn = of_find_node_with_property(NULL, prop_name); dn; \
	     dn = of_find_node_with_property(dn, prop_name))

static inline int of_get_child_count(const struct device_node *np)
{
	struct device_node *child;
	int num = 0;

	for_each_child_of_node(np, child)
		num++;

	return num;
}

#endif
