#include "driver/Patch.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace krefcheck {

namespace fs = std::filesystem;

namespace {

std::string stripPrefix(std::string P) {
  // "a/drivers/of/base.c\t2024-..." -> "drivers/of/base.c"
  auto Tab = P.find('\t');
  if (Tab != std::string::npos) P = P.substr(0, Tab);
  while (!P.empty() && (P.back() == ' ' || P.back() == '\r')) P.pop_back();
  if (P == "/dev/null") return "";
  if (P.size() > 2 && (P.rfind("a/", 0) == 0 || P.rfind("b/", 0) == 0)) P = P.substr(2);
  return P;
}

}  // namespace

namespace {

/// Digits at Text[Pos...] as a line number or count: no sign, no overflow (a header with a
/// number above MaxLine is malformed).
constexpr unsigned long MaxLine = 1000000000;
bool hunkNumber(const std::string &Text, size_t &Pos, unsigned long &Out) {
  size_t Begin = Pos;
  unsigned long V = 0;
  while (Pos < Text.size() && Text[Pos] >= '0' && Text[Pos] <= '9') {
    V = V * 10 + static_cast<unsigned long>(Text[Pos++] - '0');
    if (V > MaxLine) return false;
  }
  Out = V;
  return Pos > Begin;
}

/// "@@ -OLD[,OLDN] +NEW[,NEWN] @@[ anything]", read by hand (a regex recurses per character of
/// the text after the header and overflows the stack on a long line). Counts default to 1.
bool parseHunkHeader(const std::string &L, unsigned long &OldStart, unsigned long &OldCount,
                     unsigned long &NewStart, unsigned long &NewCount) {
  size_t P = 0;
  auto Lit = [&](const char *S) {
    size_t N = std::char_traits<char>::length(S);
    if (L.compare(P, N, S) != 0) return false;
    P += N;
    return true;
  };
  auto Range = [&](unsigned long &Start, unsigned long &Count) {
    if (!hunkNumber(L, P, Start)) return false;
    Count = 1;
    if (P < L.size() && L[P] == ',') {
      ++P;
      if (!hunkNumber(L, P, Count)) return false;
    }
    return true;
  };
  return Lit("@@ -") && Range(OldStart, OldCount) && Lit(" +") && Range(NewStart, NewCount) &&
         Lit(" @@");
}

}  // namespace

bool parseUnifiedDiff(const std::string &Text, const std::string &Name,
                      std::vector<FileChange> &Changes, std::string &Error) {
  std::istringstream In(Text);
  std::string Line;
  unsigned N = 0;
  FileChange *Cur = nullptr;
  std::string PendingOld;
  bool HaveOld = false, HunkJustEnded = false, SawDiffLine = false;
  long OldLeft = 0, NewLeft = 0;
  unsigned NewLine = 0;
  auto Fail = [&](const std::string &What) {
    Error = Name + ":" + std::to_string(N) + ": " + What;
    return false;
  };
  while (std::getline(In, Line)) {
    ++N;
    if (!Line.empty() && Line.back() == '\r') Line.pop_back();
    if (OldLeft > 0 || NewLeft > 0) {
      // Inside a hunk: every line is context, removal, addition or "\ No newline".
      char C = Line.empty() ? ' ' : Line[0];
      if (C == ' ') {
        --OldLeft;
        --NewLeft;
        ++NewLine;
      } else if (C == '-') {
        --OldLeft;
        Cur->Deleted.insert(NewLine);  // removed before the line that now stands there
      } else if (C == '+') {
        Cur->Lines.insert(NewLine);
        --NewLeft;
        ++NewLine;
      } else if (C == '\\') {
        continue;
      } else {
        return Fail("hunk ends early: expected " + std::to_string(OldLeft) + " more old and " +
                    std::to_string(NewLeft) + " more new lines");
      }
      if (OldLeft < 0 || NewLeft < 0) return Fail("hunk is longer than its header says");
      HunkJustEnded = OldLeft == 0 && NewLeft == 0;
      continue;
    }
    if (HunkJustEnded) {
      // The line right after a hunk is a header, "\ No newline", the "-- " signature of
      // format-patch or text: a context, removal or addition line means the header undercounts.
      HunkJustEnded = false;
      bool More = (!Line.empty() && Line[0] == ' ') ||
                  (Line.rfind("+", 0) == 0 && Line.rfind("+++ ", 0) != 0) ||
                  (Line.rfind("-", 0) == 0 && Line.rfind("--- ", 0) != 0 && Line != "-- ");
      if (More) return Fail("hunk is longer than its header says");
    }
    if (Line.rfind("diff ", 0) == 0) SawDiffLine = true;
    if (Line.rfind("--- ", 0) == 0) {
      PendingOld = stripPrefix(Line.substr(4));
      HaveOld = true;
      continue;
    }
    if (Line.rfind("+++ ", 0) == 0) {
      if (!HaveOld) return Fail("'+++' line without a '---' line");
      Changes.push_back({PendingOld, stripPrefix(Line.substr(4)), {}, {}});
      Cur = &Changes.back();
      HaveOld = false;
      continue;
    }
    if (Line.rfind("@@", 0) == 0) {
      if (!Cur) return Fail("hunk before any '---'/'+++' file header");
      unsigned long OldStart, OldCount, NewStart, NewCount;
      if (!parseHunkHeader(Line, OldStart, OldCount, NewStart, NewCount)) {
        std::string Shown = Line.size() > 80 ? Line.substr(0, 80) + "..." : Line;
        return Fail("malformed hunk header '" + Shown + "'");
      }
      if (OldCount == 0 && NewCount == 0) return Fail("hunk header counts no lines");
      if ((OldStart == 0 && OldCount) || (NewStart == 0 && NewCount))
        return Fail("hunk header starts at line 0 with a non-zero count");
      OldLeft = static_cast<long>(OldCount);
      NewLeft = static_cast<long>(NewCount);
      NewLine = static_cast<unsigned>(NewStart);
      // "+N,0": the hunk removes lines after line N of the new file.
      if (NewLeft == 0) NewLine = NewLine + 1;
      continue;
    }
    // Anything else (mail headers, commit message, "diff --git", "index", mode lines, the
    // "-- " signature of format-patch) is not part of a hunk.
  }
  if (OldLeft > 0 || NewLeft > 0) return Fail("patch ends inside a hunk");
  if (HaveOld) return Fail("'---' line without a '+++' line");
  if (Changes.empty() && !SawDiffLine && Text.find_first_not_of(" \t\r\n") != std::string::npos) {
    Error = Name + ": not a patch: no '---'/'+++' file header and no 'diff' line";
    return false;
  }
  return true;
}

std::string findPatchRoot(const std::vector<FileChange> &Changes,
                          const std::vector<std::string> &Candidates, std::string &Error) {
  std::vector<std::string> Files, Roots;
  for (const FileChange &C : Changes)
    if (!C.NewPath.empty() && fs::path(C.NewPath).is_relative()) Files.push_back(C.NewPath);
  for (const std::string &R : Candidates)
    if (!R.empty() && std::find(Roots.begin(), Roots.end(), R) == Roots.end()) Roots.push_back(R);
  if (Roots.empty()) {
    Error = "no directory to resolve the patch's paths in";
    return {};
  }
  if (Files.empty()) return Roots.front();
  for (const std::string &R : Roots)
    for (const std::string &F : Files) {
      std::error_code EC;
      if (fs::exists(fs::path(R) / F, EC)) return R;
    }
  Error = "none of its " + std::to_string(Files.size()) + " file" + (Files.size() == 1 ? "" : "s") +
          " (" + Files.front() + (Files.size() > 1 ? ", ..." : "") + ") exists in ";
  for (size_t I = 0; I < Roots.size(); ++I) Error += (I ? " or " : "") + Roots[I];
  Error += " (give the tree with --diff-root)";
  return {};
}

std::map<std::string, const FileChange *> changedFiles(const std::vector<FileChange> &Changes,
                                                       const std::string &Root) {
  std::map<std::string, const FileChange *> Out;
  for (const FileChange &C : Changes) {
    if (C.NewPath.empty()) continue;  // deleted: no TU can include it any more
    fs::path P(C.NewPath);
    if (P.is_relative()) P = fs::path(Root) / P;
    Out[P.lexically_normal().string()] = &C;
  }
  return Out;
}

namespace {

std::string slurp(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  if (!In) return {};
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

}  // namespace

bool tuDependsOn(const CompileCommand &Cmd, const std::string &ChangedAbs) {
  if (Cmd.File == ChangedAbs) return true;
  fs::path Changed(ChangedAbs);
  std::vector<std::string> Deps;
  if (buildDependencies(Cmd, Deps)) {
    // Paths there are absolute or relative to the build directory.
    for (const std::string &D : Deps) {
      fs::path P(D);
      if (P.is_relative()) P = fs::path(Cmd.Directory) / P;
      if (P.lexically_normal() == Changed.lexically_normal()) return true;
    }
    return false;
  }
  // No dependency information: the file's own #include lines.
  std::string Src = slurp(Cmd.File);
  std::string Base = Changed.filename().string();
  std::istringstream In(Src);
  for (std::string L; std::getline(In, L);) {
    auto P = L.find_first_not_of(" \t");
    if (P == std::string::npos || L[P] != '#') continue;
    if (L.find("include") != std::string::npos && L.find(Base) != std::string::npos) return true;
  }
  return false;
}

bool touchesChange(const Finding &F, const std::map<std::string, const FileChange *> &Changed) {
  auto Hit = [&](const Location &L) {
    auto It = Changed.find(L.File);
    return It != Changed.end() && It->second->Lines.count(L.Line);
  };
  if (Hit(F.Loc) || Hit(F.AcquireLoc)) return true;
  for (const PathStep &S : F.Path)
    if (Hit(S.Loc)) return true;
  for (const TraversedFile &T : F.Traversed) {
    auto It = Changed.find(T.File);
    if (It == Changed.end()) continue;
    const FileChange &C = *It->second;
    for (unsigned L : T.Lines)
      if (C.Lines.count(L)) return true;
    for (auto [A, B] : T.Between) {
      auto D = C.Deleted.upper_bound(A);  // the first deletion after line A
      if (D != C.Deleted.end() && *D <= B) return true;
    }
  }
  return false;
}

}  // namespace krefcheck
