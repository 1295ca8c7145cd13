#include "report/SourceText.h"

#include <algorithm>
#include <fstream>

namespace krefcheck {

SourceCache::Text &SourceCache::load(const std::string &File) {
  auto It = Files.find(File);
  if (It != Files.end()) return It->second;
  Text T;
  std::ifstream In(File, std::ios::binary);
  if (In) {
    std::string All((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    T.Ok = true;
    T.FinalNewline = All.empty() || All.back() == '\n';
    size_t Start = 0;
    while (Start < All.size()) {
      size_t NL = All.find('\n', Start);
      if (NL == std::string::npos) {
        T.Lines.push_back(All.substr(Start));
        break;
      }
      T.Lines.push_back(All.substr(Start, NL - Start));
      Start = NL + 1;
    }
  }
  return Files.emplace(File, std::move(T)).first->second;
}

const std::vector<std::string> *SourceCache::lines(const std::string &File) {
  const Text &T = load(File);
  return T.Ok ? &T.Lines : nullptr;
}

bool SourceCache::endsWithNewline(const std::string &File) { return load(File).FinalNewline; }

std::optional<std::string> SourceCache::line(const std::string &File, unsigned Line) {
  const std::vector<std::string> *L = lines(File);
  if (!L || Line == 0 || Line > L->size()) return std::nullopt;
  return (*L)[Line - 1];
}

bool fixStillApplies(const FixEdit &Fx, SourceCache &Src) {
  const std::vector<std::string> *L = Src.lines(Fx.File);
  // An empty file reads as no lines; the analysis counts it as one empty line.
  size_t N = L ? std::max<size_t>(L->size(), 1) : 0;
  if (!L || N != Fx.FileLines || Src.endsWithNewline(Fx.File) != Fx.FinalNewline) return false;
  auto Holds = [&](unsigned First, const std::vector<std::string> &Want) {
    if (First == 0 || First + Want.size() > L->size() + 1) return Want.empty();
    return std::equal(Want.begin(), Want.end(), L->begin() + (First - 1));
  };
  unsigned Span = std::max(Fx.DeletedLines, 1u);
  return Fx.StartLine > Fx.Before.size() && Holds(Fx.StartLine - Fx.Before.size(), Fx.Before) &&
         Holds(Fx.StartLine, Fx.Original) && Holds(Fx.StartLine + Span, Fx.After);
}

}  // namespace krefcheck
