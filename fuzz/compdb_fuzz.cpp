// Fuzz target: the compile database reader (compile_commands.json), and the argument vector
// built from each entry it accepts.
#include <cstdint>
#include <string>

#include "FuzzSupport.h"
#include "compdb/CompileDb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Path = krefcheck::fuzz::inputFile(Data, Size, "compile_commands.json");
  krefcheck::CompileDb Db;
  std::string Error;
  if (krefcheck::loadCompileDb(Path, Db, Error))
    for (const krefcheck::CompileCommand &C : Db.Commands) krefcheck::analysisArguments(C);
  return 0;
}
