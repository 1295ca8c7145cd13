// The cheap first look at a file: a TU whose main file names no API of the rule set, no
// iterator macro and no cleanup macro of the rules (for_each_*, __free()) cannot hold a
// tracked reference, so it is not parsed at all. (A driver-private header with static inline
// helpers around the APIs is the case this misses; --no-prefilter analyses everything.)
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

namespace krefcheck {

class RuleSet;

class Prefilter {
public:
  explicit Prefilter(const RuleSet &Rules);
  /// False when the file cannot involve a tracked API; true when it may (or is unreadable:
  /// the analysis then reports why).
  bool mayMatter(const std::string &File) const;

private:
  std::unordered_set<std::string> Names;  // rule APIs, release functions, cleanup macros
  std::vector<std::string> NameParts;     // iterator macros: a part of the identifier
};

}  // namespace krefcheck
