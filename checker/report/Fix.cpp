#include "report/Fix.h"

#include "report/Sarif.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace krefcheck {

// ---------------------------------------------------------------------------------------------
// Source text

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

// ---------------------------------------------------------------------------------------------
// Unified diff

std::string unifiedDiff(const std::vector<FixEdit> &Fixes, const std::string &SrcRoot,
                        SourceCache &Src, std::vector<std::string> &Skipped) {
  struct Edit {
    unsigned Start, Deleted;
    std::vector<std::string> Added;
  };
  auto SplitLines = [](const std::string &T) {
    std::vector<std::string> Out;
    std::istringstream In(T);
    std::string Ln;
    while (std::getline(In, Ln)) Out.push_back(Ln);
    return Out;
  };
  // Per file (relative path): its absolute path and its edits, in order, none overlapping.
  std::map<std::string, std::pair<std::string, std::vector<Edit>>> ByFile;
  for (const FixEdit &Fx : Fixes) {
    std::string Rel = relativeTo(Fx.File, SrcRoot);
    const std::vector<std::string> *L = Src.lines(Fx.File);
    // The file must still hold the lines the analysis made the edit on.
    unsigned Span = std::max(Fx.DeletedLines, 1u);
    if (Rel.empty() || !L || Fx.StartLine == 0 || Fx.StartLine + Span > L->size() + 1 ||
        Fx.Original.size() != Span ||
        !std::equal(Fx.Original.begin(), Fx.Original.end(), L->begin() + (Fx.StartLine - 1))) {
      Skipped.push_back(Fx.File);
      continue;
    }
    auto &Entry = ByFile[Rel];
    Entry.first = Fx.File;
    Edit E{Fx.StartLine, Fx.DeletedLines, SplitLines(Fx.Text)};
    bool Drop = false;
    for (Edit &O : Entry.second) {
      if (!O.Deleted && !E.Deleted && O.Start == E.Start) {
        // Two insertions before the same line: both, once.
        if (std::search(O.Added.begin(), O.Added.end(), E.Added.begin(), E.Added.end()) ==
            O.Added.end())
          O.Added.insert(O.Added.end(), E.Added.begin(), E.Added.end());
        Drop = true;
        break;
      }
      unsigned OEnd = O.Start + std::max(O.Deleted, 1u), EEnd = E.Start + std::max(E.Deleted, 1u);
      if (E.Start < OEnd && O.Start < EEnd) {
        if (!(O.Start == E.Start && O.Deleted == E.Deleted && O.Added == E.Added))
          Skipped.push_back(Fx.File);  // overlaps an edit already in the patch
        Drop = true;
        break;
      }
    }
    if (!Drop) Entry.second.push_back(std::move(E));
  }

  const unsigned Ctx = 3;
  std::string Out;
  for (auto &[Rel, Entry] : ByFile) {
    const std::vector<std::string> &L = *Src.lines(Entry.first);
    const bool FinalNL = Src.endsWithNewline(Entry.first);
    const unsigned N = L.size();
    std::vector<Edit> &Edits = Entry.second;
    std::stable_sort(Edits.begin(), Edits.end(),
                     [](const Edit &A, const Edit &B) { return A.Start < B.Start; });
    Out += "diff --git a/" + Rel + " b/" + Rel + "\n--- a/" + Rel + "\n+++ b/" + Rel + "\n";
    // Hunks: runs of edits whose context windows touch.
    std::vector<std::pair<size_t, size_t>> Hunks;  // [first edit, last edit]
    unsigned PrevHi = 0;
    for (size_t I = 0; I < Edits.size(); ++I) {
      unsigned Lo = Edits[I].Start > Ctx ? Edits[I].Start - Ctx : 1;
      if (I && Lo <= PrevHi + 1) Hunks.back().second = I;
      else Hunks.push_back({I, I});
      PrevHi = std::min(N, Edits[I].Start + Edits[I].Deleted + Ctx - 1);
    }
    long Shift = 0;
    for (auto [A, B] : Hunks) {
      unsigned Lo = Edits[A].Start > Ctx ? Edits[A].Start - Ctx : 1;
      unsigned Hi = std::min(N, Edits[B].Start + Edits[B].Deleted + Ctx - 1);
      std::string Body;
      unsigned OldCount = 0, NewCount = 0;
      size_t E = A;
      auto Context = [&](unsigned Ln) {
        Body += " " + L[Ln - 1] + "\n";
        if (Ln == N && !FinalNL) Body += "\\ No newline at end of file\n";
        ++OldCount;
        ++NewCount;
      };
      for (unsigned Ln = Lo; Ln <= Hi;) {
        if (E <= B && Edits[E].Start == Ln) {
          for (unsigned D = 0; D < Edits[E].Deleted; ++D) {
            Body += "-" + L[Ln + D - 1] + "\n";
            ++OldCount;
          }
          for (const std::string &Add : Edits[E].Added) {
            Body += "+" + Add + "\n";
            ++NewCount;
          }
          Ln += Edits[E].Deleted;
          ++E;
          continue;
        }
        Context(Ln++);
      }
      Out += "@@ -" + std::to_string(Lo) + "," + std::to_string(OldCount) + " +" +
             std::to_string(long(Lo) + Shift) + "," + std::to_string(NewCount) + " @@\n" + Body;
      Shift += long(NewCount) - long(OldCount);
    }
  }
  return Out;
}

}  // namespace krefcheck
