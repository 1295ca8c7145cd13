// Fuzz target: the baseline reader (--baseline old.sarif), and the message normalisation the
// baseline comparison applies to each result read.
#include <cstdint>
#include <string>

#include "FuzzSupport.h"
#include "report/Baseline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Path = krefcheck::fuzz::inputFile(Data, Size, "baseline.sarif");
  krefcheck::Baseline B;
  std::string Error;
  if (krefcheck::loadBaseline(Path, B, Error))
    for (const krefcheck::BaselineResult &R : B.Results) krefcheck::normalizeMessage(R.Message);
  return 0;
}
