// The compile database layer: reads compile_commands.json (as written by the kernel's
// gen_compile_commands.py, `bear`, CMake...), and turns each entry into the argument vector
// krefcheck hands to Clang.
#pragma once

#include <string>
#include <vector>

namespace krefcheck {

struct CompileCommand {
  std::string Directory;               // absolute
  std::string File;                    // absolute, lexically normal
  std::string DisplayFile;             // as named in the database (for messages)
  std::vector<std::string> Arguments;  // argv, argv[0] is the compiler
};

struct CompileDb {
  std::string Path;
  std::vector<CompileCommand> Commands;
  std::vector<std::string> Errors;  // one line each: entries that could not be used
};

/// Path may be a compile_commands.json or a directory holding one. Returns false (with Error
/// set) when the database itself cannot be used; bad entries are listed in Db.Errors.
bool loadCompileDb(const std::string &Path, CompileDb &Db, std::string &Error);

/// Replaces each `@file` argument by the arguments in that file, read relative to
/// Cmd.Directory as the compiler did (nested `@file`s too; a missing file stays `@file`).
/// False with Error set when a response file cannot be expanded.
bool expandResponseFiles(CompileCommand &Cmd, std::string &Error);

/// The headers (and the source) the build recorded for this TU: Kbuild's `.<obj>.cmd`
/// (`deps_x.o := ...`, `$(wildcard ...)` entries left out) or a `-MD` `.d` file next to the
/// object. Paths as written there (absolute or relative to Directory). False when the build
/// left no dependency file.
bool buildDependencies(const CompileCommand &Cmd, std::vector<std::string> &Deps);

/// Splits a shell-quoted command line the way the build wrote it.
std::vector<std::string> splitCommandLine(const std::string &Cmd);

/// The arguments for a Clang syntax-only run of C: output/dependency flags removed, warnings
/// off, the builtin headers of our Clang used, GCC-only options and the options Clang's driver
/// rejects for the command's target dropped. Relative paths in them are relative to
/// Cmd.Directory: analyzeTU runs the compiler there.
std::vector<std::string> analysisArguments(const CompileCommand &Cmd);

}  // namespace krefcheck
