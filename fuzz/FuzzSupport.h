// Shared by the fuzz harnesses: readers that take a path get the input through a file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace krefcheck::fuzz {

inline const std::string &scratchDir() {
  // Never destroyed: the atexit handler below needs it after static destructors have run.
  static const std::string &Dir = *new std::string([] {
    const char *Tmp = getenv("TMPDIR");
    std::string D =
        std::string(Tmp && *Tmp ? Tmp : "/tmp") + "/krefcheck-fuzz-" + std::to_string(getpid());
    std::filesystem::create_directories(D);
    atexit([] {
      std::error_code EC;
      std::filesystem::remove_all(scratchDir(), EC);
    });
    return D;
  }());
  return Dir;
}

/// Writes the input to a file of this process (rewritten on every call) and returns its path.
/// The folder is removed at exit.
inline std::string inputFile(const uint8_t *Data, size_t Size, const char *Name) {
  std::string Path = scratchDir() + "/" + Name;
  FILE *F = fopen(Path.c_str(), "wb");
  if (!F) abort();
  if (Size && fwrite(Data, 1, Size, F) != Size) abort();
  fclose(F);
  return Path;
}

}  // namespace krefcheck::fuzz
