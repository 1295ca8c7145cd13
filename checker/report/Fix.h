// Fix suggestions for leaks whose fix is unambiguous (insert the family's put before the
// statement through which the function leaves), source text access, and the unified diff
// written by --fix-patch.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "findings/Finding.h"
#include "report/Sarif.h"

namespace krefcheck {

class RuleSet;

/// Reads source files once and hands out their lines (1-based, without the '\n').
class SourceCache {
public:
  /// nullptr when the file cannot be read.
  const std::vector<std::string> *lines(const std::string &File);
  /// Did the file's last line end with '\n'?
  bool endsWithNewline(const std::string &File);
  /// The text of line Line (1-based) or nullopt.
  std::optional<std::string> line(const std::string &File, unsigned Line);
  /// The lines with comments and the insides of string and character literals blanked (same
  /// columns), or nullptr.
  const std::vector<std::string> *codeLines(const std::string &File);
  /// Names of the functions defined (with a body) in the file.
  const std::set<std::string> &definedFunctions(const std::string &File);

private:
  struct Text {
    bool Ok = false;
    bool FinalNewline = true;
    std::vector<std::string> Lines;
    std::optional<std::vector<std::string>> Code;
    std::optional<std::set<std::string>> Defined;
  };
  Text &load(const std::string &File);
  std::map<std::string, Text> Files;
};

/// The fix for one finding, or nullopt when it is not unambiguous: a krefcheck-leak or
/// krefcheck-loop-leak reported at a `return` (or at the closing brace of the function), of a
/// variable declared as a struct pointer in that function, whose family's release function is
/// known, that no statement between the acquire and that exit releases, hands over, reassigns
/// or otherwise lets escape, and that the return expression does not use.
std::optional<FixSuggestion> suggestFix(const Finding &F, const RuleSet &Rules, SourceCache &Src);

/// One unified diff (a/ b/ prefixes, paths relative to SrcRoot, 3 lines of context) with every
/// fix; fixes on files outside SrcRoot are left out and listed in Skipped.
std::string unifiedDiff(const std::vector<FixSuggestion> &Fixes, const std::string &SrcRoot,
                        SourceCache &Src, std::vector<std::string> &Skipped);

}  // namespace krefcheck
