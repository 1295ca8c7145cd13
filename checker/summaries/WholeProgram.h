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
#include "rules/Rules.h"
#include "run/Runner.h"
#include "summaries/SummaryStore.h"

namespace krefcheck {

struct WholeProgramOptions {
  std::string StorePath;  // "" = no store
  unsigned MaxRounds = 6;
  bool Quiet = false;
  /// Run the checker in the phase-1 parse too and keep the findings that stay valid
  /// (`rules infer` needs only the summaries).
  bool Analyse = true;
  /// Non-empty (a --shard run): only these files are analysed; the others of the run are
  /// summarised only, for their summaries.
  std::set<std::string> CheckOnly;
  /// The compile database the run's files come from (absolute path; "" for files given with
  /// compiler flags) and how many distinct files it lists: the store records the first, and a
  /// run over some of them warns when the store knows nothing of the others.
  std::string Database;
  size_t DatabaseFiles = 0;
  /// The check stage of a staged run (`--shard` with `--summaries`): the store must already
  /// hold the solved summaries of every file of the run (`krefcheck summaries merge`). A stale
  /// entry, a file that needs summaries the store lacks, or summaries that are not a fixpoint
  /// are a StoreError; nothing is parsed in phase 1 and the store is not written.
  bool SolvedStore = false;
  /// Keep the entries of files that failed in the store (`summaries merge`: the check stage
  /// runs them again and reports their error) instead of dropping them.
  bool KeepFailed = false;
  /// Warn when the rounds stop at MaxRounds (a summary stage leaves that to the merge).
  bool WarnUnsettled = true;
};

struct WholeProgram {
  /// Summaries of functions defined in other TUs, by name (a name two TUs summarise
  /// differently is left out).
  std::map<std::string, FunctionRule> Imported;
  /// Every non-static function some TU of the run (or of the store) defines, with or without a
  /// summary: a call to one of them is not to an unknown function.
  std::set<std::string> Defined;
  /// Fields of header structs some TU of the run (or of the store) releases
  /// (fields::sharedFieldKey): a reference stored there has a release path in another file.
  std::set<std::string> ReleasedFields;
  /// The phase-1 record of each TU of the run that may matter (by file).
  std::map<std::string, TUSummary> Records;
  /// Files of the run that cannot matter (no tracked name, or no function the checker would
  /// analyse): phase 2 skips them.
  std::set<std::string> Irrelevant;
  /// Phase 1 parses each file with the full analysis (same parse): a file whose imported
  /// summaries did not change after that run keeps its findings, phase 2 skips it; so does a
  /// file that failed in phase 1 (reported once, a hanging file costs one --tu-timeout).
  std::map<std::string, TUResult> Final;
  unsigned Parsed = 0, Reused = 0, Rounds = 0;
  bool Settled = true;  // false: MaxRounds reached with summaries still changing
  /// The files still changing when the rounds stopped unsettled (sorted), for the message.
  std::vector<std::string> Unsettled;
  std::vector<std::string> Conflicts;
  std::vector<std::string> Warnings;  // one line each
  /// The store cannot be used (malformed, another build, other rules, another database): one
  /// line; nothing was run and the store is left as it is. The caller stops (exit 2).
  std::string StoreError;
};

/// "a.c, b.c, c.c and 4 other files": the first three of Files, for a one-line message.
std::string unsettledList(const std::vector<std::string> &Files);

/// Phase 1 over Cmds. A TU that fails (does not parse, crashes, times out) is in Final with its
/// error: phase 2 does not run it again. Fails only on a store it cannot use (StoreError).
WholeProgram buildWholeProgram(const std::vector<CompileCommand> &Cmds, const RuleSet &Rules,
                               const RunOptions &Run, const WholeProgramOptions &Opts);

/// Drops the path notes on calls to functions \p Defined holds (StepKind::Unsummarised made by
/// a TU that did not know the rest of the run).
void dropKnownCallees(std::vector<Finding> &Findings, const std::set<std::string> &Defined);

/// Drops the findings of a reference stored into a field (Finding::HeldField) that a file of
/// the run releases (\p Released, WholeProgram::ReleasedFields): the TU alone did not see it.
void dropReleasedElsewhere(std::vector<Finding> &Findings, const std::set<std::string> &Released);

/// Fills Opts.Database and Opts.DatabaseFiles from the compile database.
void describeDatabase(const CompileDb &Db, WholeProgramOptions &Opts);

/// Rules plus the imported summaries, for phase 2.
RuleSet withImports(const RuleSet &Rules, const WholeProgram &WP);

}  // namespace krefcheck
