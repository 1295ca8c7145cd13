// Fuzz target: the rules loader (one rules/*.json file, then the cross-file checks).
#include <cstdint>
#include <string>

#include "rules/Rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  krefcheck::RuleSet Rules;
  std::string Error;
  if (Rules.loadString(std::string(reinterpret_cast<const char *>(Data), Size), "fuzz.json", Error))
    Rules.finalize(Error);
  return 0;
}
