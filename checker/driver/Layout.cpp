#include "driver/Layout.h"

#include "report/Sarif.h"

#include <filesystem>

namespace krefcheck {

namespace fs = std::filesystem;

std::string defaultDocBaseUri(const char *Argv0) {
  std::error_code EC;
  fs::path Exe = fs::read_symlink("/proc/self/exe", EC);
  if (EC && Argv0) Exe = fs::absolute(Argv0, EC);
  // A build tree (or rules/ copied beside the binary): the docs are beside the rules.
  fs::path Beside = Exe.parent_path() / "rules";
  if (fs::is_directory(Beside, EC)) {
    fs::path Rules = fs::canonical(Beside, EC);
    if (!EC) return fileUri(Rules.parent_path().string(), /*Directory=*/true);
  }
  // Installed: <prefix>/bin/krefcheck -> <prefix>/share/doc/krefcheck/.
  fs::path Doc =
      (Exe.parent_path() / KREFCHECK_BIN_TO_PREFIX / KREFCHECK_INSTALL_DOC_DIR).lexically_normal();
  return fileUri(Doc.string(), /*Directory=*/true);
}

}  // namespace krefcheck
