// Patch mode (pre-commit): which lines a unified diff changes, which TUs it touches, and which
// findings it introduces.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compdb/CompileDb.h"
#include "findings/Finding.h"

namespace krefcheck {

struct FileChange {
  std::string OldPath;  // as in the diff, a/ b/ prefixes removed; "" for a new file
  std::string NewPath;  // "" for a deleted file
  std::set<unsigned> Lines;  // lines of the new file that the patch adds or next to a removal
};

/// Parses `git diff`, `git format-patch` (mail headers and all) or plain `diff -u` output,
/// several files per patch. On a malformed hunk: false, Error = "NAME:LINE: what".
bool parseUnifiedDiff(const std::string &Text, const std::string &Name,
                      std::vector<FileChange> &Changes, std::string &Error);

/// Absolute paths of the changed files, resolved against Root (the diff's top directory).
std::map<std::string, const FileChange *> changedFiles(const std::vector<FileChange> &Changes,
                                                       const std::string &Root);

/// Does the TU depend on this changed file? Its own file, or a header it includes: read from the
/// build's dependency files (Kbuild's .<obj>.cmd, a -MD .d file) where they exist, else from
/// the file's #include lines.
bool tuDependsOn(const CompileCommand &Cmd, const std::string &ChangedAbs);

/// Does a step of the finding's path (or its location, or its acquisition) touch a changed line?
bool touchesChange(const Finding &F, const std::map<std::string, const FileChange *> &Changed);

}  // namespace krefcheck
