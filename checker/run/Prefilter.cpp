#include "run/Prefilter.h"

#include "rules/Rules.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace krefcheck {

Prefilter::Prefilter(const RuleSet &Rules) {
  for (auto &[Name, R] : Rules.functions())
    if (R.acquiresOrReleases()) Names.insert(Name);
  for (auto &[Name, F] : Rules.families()) Names.insert(F.Release);
  // Cleanup variables and iterator macros expand to rule APIs the file never names itself.
  Names.insert(Rules.cleanupMacros().begin(), Rules.cleanupMacros().end());
  NameParts.assign(Rules.iteratorMacros().begin(), Rules.iteratorMacros().end());
}

bool Prefilter::mayMatter(const std::string &File) const {
  std::ifstream In(File, std::ios::binary);
  if (!In) return true;
  std::stringstream SS;
  SS << In.rdbuf();
  const std::string Text = SS.str();
  const size_t N = Text.size();
  for (size_t I = 0; I < N;) {
    unsigned char C = Text[I];
    if (std::isalpha(C) || C == '_') {
      size_t J = I + 1;
      while (J < N && (std::isalnum((unsigned char)Text[J]) || Text[J] == '_')) ++J;
      std::string Id = Text.substr(I, J - I);
      if (Names.count(Id)) return true;
      for (const std::string &P : NameParts)
        if (Id.find(P) != std::string::npos) return true;
      I = J;
    } else {
      ++I;
    }
  }
  return false;
}

}  // namespace krefcheck
