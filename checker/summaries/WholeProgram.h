// Whole-program summaries (phase 1): every TU of the run is parsed once and its non-static
// functions are summarised (returns +1, releases / takes over argument k...) with the rules plus
// the summaries of the other TUs, round after round until no summary changes (wrappers of
// wrappers across files). Phase 2, the checker, then applies them like rules.
// With a store (--summaries), TUs whose key did not change are not parsed again, and the
// summaries of TUs outside this run (the rest of the tree, in patch mode) are used as stored.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compdb/CompileDb.h"
#include "driver/Runner.h"
#include "rules/Rules.h"
#include "summaries/SummaryStore.h"

namespace krefcheck {

struct WholeProgramOptions {
  std::string StorePath;  // "" = no store
  unsigned MaxRounds = 6;
  bool Quiet = false;
  /// Run the checker in the phase-1 parse too and keep the findings that stay valid
  /// (`rules infer` needs only the summaries).
  bool Analyse = true;
};

struct WholeProgram {
  /// Summaries of functions defined in other TUs, by name (a name two TUs summarise
  /// differently is left out).
  std::map<std::string, FunctionRule> Imported;
  /// The phase-1 record of each TU of the run that may matter (by file).
  std::map<std::string, TUSummary> Records;
  /// Files of the run that cannot matter (no tracked name, or no function the checker would
  /// analyse): phase 2 skips them.
  std::set<std::string> Irrelevant;
  /// Phase 1 parses each file with the full analysis (same parse): a file whose imported
  /// summaries did not change after that run keeps its findings, phase 2 skips it.
  std::map<std::string, TUResult> Final;
  unsigned Parsed = 0, Reused = 0, Rounds = 0;
  std::vector<std::string> Conflicts;
  std::vector<std::string> Warnings;  // one line each (an unreadable store...)
};

/// Phase 1 over Cmds. Never fails: a TU that does not parse is left to phase 2 to report.
WholeProgram buildWholeProgram(const std::vector<CompileCommand> &Cmds, const RuleSet &Rules,
                               const RunOptions &Run, const WholeProgramOptions &Opts);

/// Rules plus the imported summaries, for phase 2.
RuleSet withImports(const RuleSet &Rules, const WholeProgram &WP);

}  // namespace krefcheck
