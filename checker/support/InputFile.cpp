#include "support/InputFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>

namespace krefcheck {

bool readInputFile(const std::string &Path, std::string &Text, std::string &Error) {
  struct stat St;
  if (stat(Path.c_str(), &St) != 0) {
    Error = std::strerror(errno);
    return false;
  }
  if (S_ISDIR(St.st_mode)) {
    Error = "is a directory";
    return false;
  }
  FILE *F = std::fopen(Path.c_str(), "rb");
  if (!F) {
    Error = std::strerror(errno);
    return false;
  }
  Text.clear();
  char Buf[65536];
  size_t N;
  while ((N = std::fread(Buf, 1, sizeof Buf, F)) > 0) Text.append(Buf, N);
  bool Failed = std::ferror(F);
  int Err = errno;
  std::fclose(F);
  if (Failed) {
    Error = std::strerror(Err);
    return false;
  }
  return true;
}

}  // namespace krefcheck
