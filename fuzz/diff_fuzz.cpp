// Fuzz target: the unified diff parser of patch mode (--patch).
#include <cstdint>
#include <string>
#include <vector>

#include "driver/Patch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::vector<krefcheck::FileChange> Changes;
  std::string Error;
  if (krefcheck::parseUnifiedDiff(std::string(reinterpret_cast<const char *>(Data), Size),
                                  "fuzz.diff", Changes, Error))
    krefcheck::changedFiles(Changes, "/src");
  return 0;
}
