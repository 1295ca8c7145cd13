// tool.driver.rules metadata: one reportingDescriptor per rule id of allRuleIds(). The longer
// documentation of each rule is docs/rules/<id>.md (helpUri).
#include "report/Sarif.h"

#include <stdexcept>

namespace krefcheck {

static std::vector<RuleInfo> makeRules() {
  std::vector<RuleInfo> R;
  R.push_back(RuleInfo{
      "krefcheck-leak", "ReferenceLeak",
      "A counted reference is not released on some path.",
      "A reference taken by an acquiring API (of_get_child_by_name(), of_find_device_by_node(), "
      "fwnode_handle_get(), a same-file helper that returns one, ...) is still held when the "
      "function leaves on some path and no pointer to it survives: the object can never be "
      "freed. Reported at the return statement (or closing brace) through which the function "
      "leaves on the leaking path.",
      "What is wrong: the function leaves while it still holds a reference it took; nothing "
      "will ever drop it, so the object is never freed.\n"
      "Fix: release the reference with the family's put function (of_node_put(), put_device(), "
      "fwnode_handle_put()) on every exit after the acquire, typically in a goto unwind "
      "ladder, or declare the variable with __free(device_node) / __free(put_device) / "
      "__free(fwnode_handle).\n"
      "Example:\n"
      "  np = of_get_child_by_name(dev->of_node, \"timing\");\n"
      "  if (of_property_read_u32(np, \"delay\", &v))\n"
      "          return -EINVAL;      /* leaks np: of_node_put(np) missing */\n"
      "  of_node_put(np);\n",
      "**What is wrong:** the function leaves while it still holds a reference it took; "
      "nothing will ever drop it, so the object is never freed.\n\n"
      "**Fix:** release the reference with the family's put function (`of_node_put()`, "
      "`put_device()`, `fwnode_handle_put()`) on every exit after the acquire, typically in a "
      "`goto` unwind ladder, or declare the variable with `__free(device_node)` / "
      "`__free(put_device)` / `__free(fwnode_handle)`.\n\n"
      "**Example:**\n\n"
      "```c\n"
      "np = of_get_child_by_name(dev->of_node, \"timing\");\n"
      "if (of_property_read_u32(np, \"delay\", &v))\n"
      "\treturn -EINVAL;\t/* leaks np */\n"
      "of_node_put(np);\n"
      "```\n\n"
      "Fixed:\n\n"
      "```c\n"
      "np = of_get_child_by_name(dev->of_node, \"timing\");\n"
      "ret = of_property_read_u32(np, \"delay\", &v);\n"
      "of_node_put(np);\n"
      "if (ret)\n"
      "\treturn -EINVAL;\n"
      "```\n",
      "warning", "high", {"reliability", "correctness", "resource-leak", "linux-kernel"}});
  R.push_back(RuleInfo{
      "krefcheck-loop-leak", "IteratorReferenceLeak",
      "A reference from a node iterator is not released when leaving the loop early.",
      "Each step of an iterator (for_each_child_of_node(), for_each_compatible_node(), "
      "fwnode_for_each_child_node(), an open-coded of_get_next_child() walk, ...) holds a "
      "reference on the current node and drops it when it advances. Leaving the loop with "
      "break, return or goto keeps the current node's reference, which must then be released "
      "(or handed over). Reported at the exit through which the function leaves.",
      "What is wrong: the loop was left early (break, return, goto) while the iterator "
      "variable still holds the reference of the current node; only advancing the iterator "
      "drops it.\n"
      "Fix: put the node before leaving (of_node_put(child); break;), keep it on purpose by "
      "returning or storing it, or use the _scoped iterator (for_each_child_of_node_scoped()) "
      "which releases it automatically.\n"
      "Example:\n"
      "  for_each_child_of_node(parent, child)\n"
      "          if (of_property_read_bool(child, \"primary\"))\n"
      "                  break;       /* child still held after the loop */\n",
      "**What is wrong:** the loop was left early (`break`, `return`, `goto`) while the "
      "iterator variable still holds the reference of the current node; only advancing the "
      "iterator drops it.\n\n"
      "**Fix:** put the node before leaving (`of_node_put(child); break;`), keep it on purpose "
      "by returning or storing it, or use the `_scoped` iterator "
      "(`for_each_child_of_node_scoped()`) which releases it automatically.\n\n"
      "**Example:**\n\n"
      "```c\n"
      "for_each_child_of_node(parent, child)\n"
      "\tif (of_property_read_bool(child, \"primary\"))\n"
      "\t\tbreak;\t/* child still held after the loop */\n"
      "```\n\n"
      "Fixed:\n\n"
      "```c\n"
      "for_each_child_of_node(parent, child) {\n"
      "\tif (of_property_read_bool(child, \"primary\")) {\n"
      "\t\tof_node_put(child);\n"
      "\t\tbreak;\n"
      "\t}\n"
      "}\n"
      "```\n",
      "warning", "high", {"reliability", "correctness", "resource-leak", "linux-kernel"}});
  R.push_back(RuleInfo{
      "krefcheck-double-put", "DoublePut",
      "A reference is released twice.",
      "The same reference is dropped twice: an explicit put followed by the iterator's next "
      "step (which drops the previous node itself), puts on two paths that join, or an "
      "explicit put of a variable whose __free() cleanup puts it again at scope exit. The "
      "count goes below what the other holders own and the object can be freed while still "
      "in use.",
      "What is wrong: the reference is dropped twice; the second put takes away a reference "
      "owned by someone else and can free the object under them.\n"
      "Fix: drop the reference exactly once: no of_node_put() before continue inside a "
      "for_each loop (the next step puts it), no explicit put of a __free() variable (or take "
      "it out first with no_free_ptr()), and clear the pointer after a put that a later put "
      "can reach.\n"
      "Example:\n"
      "  for_each_child_of_node(parent, child) {\n"
      "          if (!of_device_is_available(child)) {\n"
      "                  of_node_put(child);  /* the next step puts it again */\n"
      "                  continue;\n"
      "          }\n"
      "  }\n",
      "**What is wrong:** the reference is dropped twice; the second put takes away a "
      "reference owned by someone else and can free the object under them.\n\n"
      "**Fix:** drop the reference exactly once: no `of_node_put()` before `continue` inside a "
      "`for_each` loop (the next step puts it), no explicit put of a `__free()` variable (or "
      "take it out first with `no_free_ptr()`), and clear the pointer after a put that a later "
      "put can reach.\n\n"
      "**Example:**\n\n"
      "```c\n"
      "for_each_child_of_node(parent, child) {\n"
      "\tif (!of_device_is_available(child)) {\n"
      "\t\tof_node_put(child);\t/* the next step puts it again */\n"
      "\t\tcontinue;\n"
      "\t}\n"
      "}\n"
      "```\n\n"
      "Fixed: remove the `of_node_put(child);` before `continue`.\n",
      "error", "high", {"reliability", "correctness", "use-after-free", "security", "linux-kernel"}});
  R.push_back(RuleInfo{
      "krefcheck-put-unowned", "PutOfUnownedReference",
      "A reference this function does not hold is released.",
      "The function releases a reference it never took: a borrowed pointer such as "
      "dev->of_node or dev->fwnode (owned by the device), a copy of one, or the from node "
      "of an of_find_*(from, ...) call that already dropped it. The put steals the owner's "
      "reference and the object can be freed while the owner still uses it.",
      "What is wrong: the put drops a reference that belongs to someone else (the device "
      "owns dev->of_node; of_find_*(from, ...) already dropped from).\n"
      "Fix: remove the put, or take a reference of your own first with of_node_get() / "
      "get_device() / fwnode_handle_get() if the function really needs one; pass "
      "of_node_get(from) to of_find_*() when the caller's node must survive.\n"
      "Example:\n"
      "  static void foo_remove(struct platform_device *pdev)\n"
      "  {\n"
      "          of_node_put(pdev->dev.of_node);  /* never taken here */\n"
      "  }\n",
      "**What is wrong:** the put drops a reference that belongs to someone else (the device "
      "owns `dev->of_node`; `of_find_*(from, ...)` already dropped `from`).\n\n"
      "**Fix:** remove the put, or take a reference of your own first with `of_node_get()` / "
      "`get_device()` / `fwnode_handle_get()` if the function really needs one; pass "
      "`of_node_get(from)` to `of_find_*()` when the caller's node must survive.\n\n"
      "**Example:**\n\n"
      "```c\n"
      "static void foo_remove(struct platform_device *pdev)\n"
      "{\n"
      "\tof_node_put(pdev->dev.of_node);\t/* never taken here */\n"
      "}\n"
      "```\n\n"
      "Fixed: remove the `of_node_put()`.\n",
      "error", "medium", {"reliability", "correctness", "use-after-free", "security", "linux-kernel"}});
  R.push_back(RuleInfo{
      "krefcheck-use-after-put", "UseAfterPut",
      "An object is used after the function dropped its last reference.",
      "The object is dereferenced or passed to a call after this function released the last "
      "reference it held: nothing keeps it alive any more, so the use can touch freed memory "
      "(a classic pattern is printing the node's name in an error message after the put).",
      "What is wrong: after the put nothing guarantees the object still exists; the later "
      "use can read freed memory.\n"
      "Fix: move the put after the last use (often: into the error path after the message), "
      "or copy what is needed before the put.\n"
      "Example:\n"
      "  of_node_put(np);\n"
      "  pr_info(\"found %pOF\\n\", np);   /* use after put */\n",
      "**What is wrong:** after the put nothing guarantees the object still exists; the later "
      "use can read freed memory.\n\n"
      "**Fix:** move the put after the last use (often: into the error path after the "
      "message), or copy what is needed before the put.\n\n"
      "**Example:**\n\n"
      "```c\n"
      "of_node_put(np);\n"
      "pr_info(\"found %pOF\\n\", np);\t/* use after put */\n"
      "```\n\n"
      "Fixed:\n\n"
      "```c\n"
      "pr_info(\"found %pOF\\n\", np);\n"
      "of_node_put(np);\n"
      "```\n",
      "error", "high", {"reliability", "correctness", "use-after-free", "security", "linux-kernel"}});
  R.push_back(RuleInfo{
      "krefcheck-wrong-release", "WrongRelease",
      "A reference-counted object is freed with kfree() instead of its put function.",
      "Memory that holds a counted object is freed directly while a reference is held: after "
      "device_initialize() or a failed device_register() the embedded struct device owns the "
      "memory, and only put_device() (which calls the release callback when the count drops "
      "to zero) may free it.",
      "What is wrong: the object's memory is freed with kfree() while its embedded kobject "
      "is still counted; other holders (sysfs, the driver core) may still reach it and the "
      "release callback never runs.\n"
      "Fix: drop the reference with put_device() and free the memory in the release "
      "callback.\n"
      "Example:\n"
      "  ret = device_register(&c->dev);\n"
      "  if (ret) {\n"
      "          kfree(c);        /* must be put_device(&c->dev) */\n"
      "          return ret;\n"
      "  }\n",
      "**What is wrong:** the object's memory is freed with `kfree()` while its embedded "
      "kobject is still counted; other holders (sysfs, the driver core) may still reach it and "
      "the release callback never runs.\n\n"
      "**Fix:** drop the reference with `put_device()` and free the memory in the release "
      "callback.\n\n"
      "**Example:**\n\n"
      "```c\n"
      "ret = device_register(&c->dev);\n"
      "if (ret) {\n"
      "\tkfree(c);\t/* must be put_device(&c->dev) */\n"
      "\treturn ret;\n"
      "}\n"
      "```\n",
      "error", "high", {"reliability", "correctness", "memory-corruption", "linux-kernel"}});
  // Keep in step with allRuleIds(): the SARIF writer indexes rules by that order.
  const std::vector<std::string> &Ids = allRuleIds();
  if (Ids.size() != R.size()) throw std::logic_error("sarifRules: rule table out of date");
  for (size_t I = 0; I < Ids.size(); ++I)
    if (Ids[I] != R[I].Id) throw std::logic_error("sarifRules: rule table out of date: " + Ids[I]);
  return R;
}

const std::vector<RuleInfo> &sarifRules() {
  static const std::vector<RuleInfo> Rules = makeRules();
  return Rules;
}

}  // namespace krefcheck
