// The unified diff written by --fix-patch, and source text access for the reporters (SARIF
// columns and snippets, the diff's context lines). The fixes themselves are made by the
// analysis from the AST (analysis/FixBuilder) and carried in each Finding: nothing here reads
// the source to decide whether or how a finding can be fixed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "findings/Finding.h"

namespace krefcheck {

/// Reads source files once and hands out their lines (1-based, without the '\n').
class SourceCache {
public:
  /// nullptr when the file cannot be read.
  const std::vector<std::string> *lines(const std::string &File);
  /// Did the file's last line end with '\n'?
  bool endsWithNewline(const std::string &File);
  /// The text of line Line (1-based) or nullopt.
  std::optional<std::string> line(const std::string &File, unsigned Line);

private:
  struct Text {
    bool Ok = false;
    bool FinalNewline = true;
    std::vector<std::string> Lines;
  };
  Text &load(const std::string &File);
  std::map<std::string, Text> Files;
};

/// One unified diff (a/ b/ prefixes, paths relative to SrcRoot, 3 lines of context) with every
/// fix; a fix on a file outside SrcRoot, unreadable, no longer holding the lines the fix was
/// made on (FixEdit::Original), or overlapping another fix is left out and its file listed in
/// Skipped.
std::string unifiedDiff(const std::vector<FixEdit> &Fixes, const std::string &SrcRoot,
                        SourceCache &Src, std::vector<std::string> &Skipped);

}  // namespace krefcheck
