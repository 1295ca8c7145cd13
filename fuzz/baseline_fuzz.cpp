// Fuzz target: the baseline reader (--baseline old.sarif).
#include <cstdint>
#include <string>

#include "FuzzSupport.h"
#include "report/Baseline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Path = krefcheck::fuzz::inputFile(Data, Size, "baseline.sarif");
  krefcheck::Baseline B;
  std::string Error;
  krefcheck::loadBaseline(Path, B, Error);
  return 0;
}
