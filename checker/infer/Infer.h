// `krefcheck rules infer`: rules proposed from the tree itself.
//  (a) whole-program summaries of exported functions (EXPORT_SYMBOL*) that return a +1 reference
//      or release an argument;
//  (b) kernel-doc comments that say so ("Return: a node pointer with refcount incremented, use
//      of_node_put() on it when done", "The caller must call put_device()", "of_node_put() will
//      be called on @from").
// Every proposed rule carries its evidence (file:line and the sentence, or the summary).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rules/Rules.h"

namespace krefcheck {

/// What one kernel-doc comment says about its function.
struct DocClaim {
  std::string Function;
  std::string File;
  unsigned Line = 0;        // of the sentence
  bool ReturnsRef = false;  // the return value is a reference the caller must drop
  std::string Family;       // from the put API the text names, or the return type
  std::vector<std::pair<unsigned, std::string>> Releases;  // (param index, family)
  std::vector<std::string> Sentences;
  bool PointerReturn = false;
};

/// Scans one C source text for kernel-doc comments (`/** ... */`) right before a function
/// definition or declaration and returns what they claim about references.
/// The family of a claim comes from the put API the sentence names (a family's `release`) or
/// from the C type of the return value / parameter (a family's `type`).
std::vector<DocClaim> scanKernelDoc(const std::string &Text, const std::string &File,
                                    const RuleSet &Rules);

struct InferredRule {
  FunctionRule Rule;  // with Evidence filled
  bool FromSummary = false;
  bool FromDoc = false;
  bool Shipped = false;  // the name already has a rule in the loaded rule files
  bool AgreesWithShipped = true;
  std::string Disagreement;
};

/// Combines summaries (name -> rule, only exported names) and doc claims into proposed rules.
std::vector<InferredRule> combineInferred(const std::vector<FunctionRule> &Summaries,
                                          const std::vector<DocClaim> &Claims,
                                          const RuleSet &Shipped);

}  // namespace krefcheck
