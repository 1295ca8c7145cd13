// Shared by the test suites: the rule set shipped in rules/, loaded once.
#pragma once

#include "rules/Rules.h"

#include <gtest/gtest.h>

#include <string>

namespace krefcheck {

inline const RuleSet &shippedRules() {
  static RuleSet Rules = [] {
    RuleSet R;
    std::string Err;
    if (!loadRules(R, std::string(KREFCHECK_SOURCE_DIR) + "/rules", {}, Err)) ADD_FAILURE() << Err;
    return R;
  }();
  return Rules;
}

}  // namespace krefcheck
