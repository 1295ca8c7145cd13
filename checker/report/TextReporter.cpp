#include "report/TextReporter.h"

#include <filesystem>

namespace krefcheck {

namespace fs = std::filesystem;

std::string displayPath(const std::string &Abs) {
  static const std::string Cwd = [] {
    std::error_code EC;
    std::string C = fs::current_path(EC).string();
    return C.empty() || C.back() == '/' ? C : C + "/";
  }();
  if (!Cwd.empty() && Abs.compare(0, Cwd.size(), Cwd) == 0) return Abs.substr(Cwd.size());
  return Abs;
}

static std::string loc(const Location &L) {
  return displayPath(L.File) + ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
}

void printFinding(std::ostream &OS, const Finding &F) {
  OS << loc(F.Loc) << ": warning: " << F.Message << " [" << F.RuleId << "]";
  if (!F.Function.empty()) OS << " in " << F.Function << "()";
  OS << "\n";
  for (const PathStep &S : F.Path) OS << loc(S.Loc) << ": note: " << S.Message << "\n";
}

}  // namespace krefcheck
