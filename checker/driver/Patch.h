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
  std::string OldPath;         // as in the diff, a/ b/ prefixes removed; "" for a new file
  std::string NewPath;         // "" for a deleted file
  std::set<unsigned> Lines;    // lines of the new file that the patch adds
  std::set<unsigned> Deleted;  // P: lines removed just before line P of the new file (also
                               // when lines replace them: those may hold no code)
};

/// Parses `git diff`, `git format-patch` (mail headers and all) or plain `diff -u` output,
/// several files per patch. On a malformed hunk: false, Error = "NAME:LINE: what".
bool parseUnifiedDiff(const std::string &Text, const std::string &Name,
                      std::vector<FileChange> &Changes, std::string &Error);

/// The directory the patch's paths are relative to: the first of Candidates (absolute paths,
/// "" skipped) in which one of the patch's new-side files exists, as `git apply` and `patch -p1`
/// find them. A patch that names no such file (empty, or only deletions) takes the first
/// candidate. "" when none matches: Error then says which files were looked for, and where.
std::string findPatchRoot(const std::vector<FileChange> &Changes,
                          const std::vector<std::string> &Candidates, std::string &Error);

/// Absolute paths of the changed files, resolved against Root (the diff's top directory).
std::map<std::string, const FileChange *> changedFiles(const std::vector<FileChange> &Changes,
                                                       const std::string &Root);

/// Does the TU depend on this changed file? Its own file, or a header it includes: read from the
/// build's dependency files (Kbuild's .<obj>.cmd, a -MD .d file) where they exist, else from
/// the file's #include lines.
bool tuDependsOn(const CompileCommand &Cmd, const std::string &ChangedAbs);

/// Is the finding the patch's? Its path passes through a changed line: its location, its
/// acquisition, a step, or any line it traverses (Finding::Traversed: statements, jumps, labels,
/// taken conditions), or through the position of deleted lines (a Traversed.Between pair that
/// encloses it).
bool touchesChange(const Finding &F, const std::map<std::string, const FileChange *> &Changed);

}  // namespace krefcheck
