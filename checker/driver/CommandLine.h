// The command line of `krefcheck` (not `krefcheck rules infer`, which has its own, in
// infer/InferCommand.cpp): every option into one DriverOptions, with the usage text and the
// one-line errors of a bad value.
#pragma once

#include "report/SarifReport.h"
#include "run/Runner.h"
#include "summaries/WholeProgram.h"

#include <string>
#include <vector>

namespace krefcheck {

/// What the command line asked for. The input mode is mode(); the flags stay separate because
/// `merge --kbuild ...` keeps the --kbuild exit status (the input is the shards).
struct DriverOptions {
  enum class Mode {
    Database,  // -p DB [FILE...]
    Files,     // FILE... -- <compiler arguments>
    Kbuild,    // --kbuild <compiler arguments> FILE.c
    Merge,     // merge SHARD.json...
  };
  Mode mode() const {
    return Merge ? Mode::Merge : Kbuild ? Mode::Kbuild : HaveFixed ? Mode::Files : Mode::Database;
  }

  bool Merge = false, Kbuild = false, HaveFixed = false;
  // The stages of a staged run (README, "Shards"): `krefcheck summarize` (the summary stage
  // of one shard) and `krefcheck summaries merge` (the solved store from every shard's part).
  bool Summarize = false, SummariesMerge = false;
  std::string DbPath, RulesDir, Format = "text", OutPath;
  std::vector<std::string> ExtraRules, Files, FixedArgs, KbuildArgs;
  RunOptions Run;
  WholeProgramOptions WP;
  bool CrossTU = true;
  bool Quiet = false;
  unsigned ShardIndex = 0, ShardCount = 0;  // --shard I/N (0: no shard)
  ReportConfig Report;
  std::string SrcRootArg = ".";
  std::string DiffPath, DiffBase, DiffRoot;
};

/// The usage text (-h, and after a usage error).
extern const char *const Usage;

/// Reads argv into O (O's defaults: all cores, the docs found by defaultDocBaseUri). Returns
/// -1 to go on, else the exit status (0 after --help/--version, 2 after an error line).
int parseCommandLine(int argc, char **argv, DriverOptions &O);

}  // namespace krefcheck
