// One run of `krefcheck`: the command line parsed (driver/CommandLine.h) into a Run, which
// reads its inputs by mode (whole database or some of its files, files with compiler flags,
// --kbuild, merge of shard outputs), narrows them to a patch (--diff), computes the
// whole-program summaries, checks every file, and reports (text, json, SARIF; baseline,
// suppressions, fix patch) with the exit status of the README. `rules infer` is
// infer/InferCommand.cpp.
#pragma once

#include "driver/CommandLine.h"
#include "driver/Patch.h"
#include "rules/Rules.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace krefcheck {

/// The whole program: InitLLVM, the mode (`rules infer`, or the command line below), the exit
/// status. Every bad input is one error line and status 2 (README, "Exit status").
int driverMain(int argc, char **argv);

class Run {
public:
  Run(DriverOptions Options, const char *Argv0) : O(std::move(Options)), Argv0(Argv0) {}

  /// The exit status: 0 no findings, 1 findings, 2 a fatal error or an incomplete result.
  int run();

private:
  static constexpr int Continue = -1;  // a step's "go on" (else: the exit status)

  int loadRulesAndReport();  // rules, --srcroot, baseline/suppressions, the output file
  int loadInputs();          // Cmds (or Merged) for the mode
  int loadMerge();
  int loadKbuild();
  int loadFiles();
  int loadDatabase();
  int selectPatch();     // --diff: only the TUs the patch touches
  int analyse();         // phase 1 (summaries) and phase 2 (checks)
  int keepIntroduced();  // --diff: only the findings the patch introduces
  int report();          // output, fix patch, summary lines, exit status
  // The stages of a staged run (driver/Staged.cpp).
  int summarize();        // `krefcheck summarize`: one shard's summary part
  int mergeSummaries();   // `krefcheck summaries merge`: the solved store
  int checkStageUsage();  // options the two stages do not take: one error line

  DriverOptions O;
  const char *Argv0;
  std::string Error;
  RuleSet Rules;
  std::optional<ReportPipeline> Pipeline;
  OutputSink Out;  // -o FILE or stdout, checked before the analysis

  std::vector<CompileCommand> Cmds;
  std::vector<std::string> InputErrors;
  // --shard: every file of the database (the shard's and the others'). Phase 1 summarises
  // them all, so a shard's findings through another shard's files are those of a single run.
  std::vector<CompileCommand> ShardPeers;
  std::vector<TUResult> Merged;
  // --shard --format json: each file's position in the database (its "position"), so `merge`
  // puts the shards' files back in the database's order, as one run reports them.
  std::map<std::string, size_t> Position;

  std::vector<FileChange> Changes;
  std::map<std::string, const FileChange *> Changed;

  RuleSet Effective;
  std::vector<TUResult> Results;
};

}  // namespace krefcheck
