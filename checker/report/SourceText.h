// Source text for the reporters that show it: SARIF columns and snippets, baseline matching,
// and the check that a file still holds the lines a fix was made on before --fix-patch writes
// it. Nothing here decides whether or how a finding is fixed (analysis/FixBuilder does, from
// the AST).
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

/// Does File still read as the analysis saw it around the fix (its length, final newline, and
/// the fix's Before, Original and After lines)? False when it cannot be read.
bool fixStillApplies(const FixEdit &Fx, SourceCache &Src);

}  // namespace krefcheck
