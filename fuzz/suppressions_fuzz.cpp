// Fuzz target: the suppressions reader (--suppressions FILE).
#include <cstdint>
#include <string>

#include "FuzzSupport.h"
#include "report/Baseline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Path = krefcheck::fuzz::inputFile(Data, Size, "suppressions.json");
  krefcheck::Suppressions S;
  std::string Error;
  krefcheck::loadSuppressions(Path, S, Error);
  return 0;
}
