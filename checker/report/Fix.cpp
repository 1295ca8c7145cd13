#include "report/Fix.h"

#include "report/Sarif.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace krefcheck {

// ---------------------------------------------------------------------------------------------
// Unified diff

std::string unifiedDiff(const std::vector<FixEdit> &Fixes, const std::string &SrcRoot,
                        std::vector<std::string> &Skipped) {
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
  // Per file (relative path): what the fixes say of its text (line -> text, its length and
  // final newline) and its edits, in order, none overlapping.
  struct FileText {
    std::map<unsigned, std::string> Lines;
    unsigned N = 0;
    bool FinalNL = true;
  };
  std::map<std::string, std::pair<FileText, std::vector<Edit>>> ByFile;
  for (const FixEdit &Fx : Fixes) {
    std::string Rel = relativeTo(Fx.File, SrcRoot);
    unsigned Span = std::max(Fx.DeletedLines, 1u);
    // The context lines the hunk needs: 3 (or up to the file's start) before, 3 (or up to its
    // end) after.
    unsigned Last = Fx.StartLine + Span - 1;
    if (Rel.empty() || Fx.StartLine == 0 || Fx.Original.size() != Span || Last > Fx.FileLines ||
        Fx.Before.size() != std::min(Fx.StartLine - 1, 3u) ||
        Fx.After.size() != std::min(Fx.FileLines - Last, 3u)) {
      Skipped.push_back(Fx.File);
      continue;
    }
    // The file's text as this fix carries it must agree with what the other fixes carry.
    FileText Mine;
    Mine.N = Fx.FileLines;
    Mine.FinalNL = Fx.FinalNewline;
    unsigned Ln = Fx.StartLine - Fx.Before.size();
    for (const auto *Part : {&Fx.Before, &Fx.Original, &Fx.After})
      for (const std::string &T : *Part) Mine.Lines[Ln++] = T;
    auto Found = ByFile.find(Rel);
    if (Found != ByFile.end()) {
      const FileText &Have = Found->second.first;
      bool Agree = Have.N == Mine.N && Have.FinalNL == Mine.FinalNL;
      for (const auto &[L, T] : Mine.Lines) {
        auto It = Have.Lines.find(L);
        if (It != Have.Lines.end() && It->second != T) Agree = false;
      }
      if (!Agree) {
        Skipped.push_back(Fx.File);
        continue;
      }
    }
    auto &Entry = ByFile[Rel];
    Entry.first.N = Mine.N;
    Entry.first.FinalNL = Mine.FinalNL;
    Entry.first.Lines.insert(Mine.Lines.begin(), Mine.Lines.end());
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
    const std::map<unsigned, std::string> &L = Entry.first.Lines;
    const bool FinalNL = Entry.first.FinalNL;
    const unsigned N = Entry.first.N;
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
        Body += " " + L.at(Ln) + "\n";
        if (Ln == N && !FinalNL) Body += "\\ No newline at end of file\n";
        ++OldCount;
        ++NewCount;
      };
      for (unsigned Ln = Lo; Ln <= Hi;) {
        if (E <= B && Edits[E].Start == Ln) {
          for (unsigned D = 0; D < Edits[E].Deleted; ++D) {
            Body += "-" + L.at(Ln + D) + "\n";
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
