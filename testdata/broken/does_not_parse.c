// Not valid C: krefcheck must report this file as failed and go on with the others.
struct device_node;
void of_node_put(struct device_node *np);
int broken(struct device_node *np) { of_node_put(np); return undeclared_identifier + ; }
