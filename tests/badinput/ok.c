// A valid file for the bad-input cases: each run must fail on its bad input, not on this.
struct device_node;
void of_node_put(struct device_node *np);

void acme_release(struct device_node *np) { of_node_put(np); }
