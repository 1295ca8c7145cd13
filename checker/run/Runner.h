// Runs the per-TU analysis over many compile commands: in worker processes (a crash or hang in
// one TU is recorded as a failed TU, every other result is kept), N at a time, results in the
// database's order whatever N is.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analysis/TUAnalyzer.h"
#include "compdb/CompileDb.h"

#include <nlohmann/json_fwd.hpp>

namespace krefcheck {

class RuleSet;

/// The most worker processes -j accepts (and runAll starts).
constexpr unsigned MaxJobs = 1024;

struct RunOptions {
  unsigned Jobs = 1;
  double TUTimeoutSeconds = 300;
  bool Progress = false;  // a status line on stderr
  bool Isolate = true;    // fork a worker per TU
  bool Prefilter = true;  // skip files that name no tracked API
  TUOptions TU;
};

/// TUResult <-> JSON (worker results, shard files for `krefcheck merge`).
nlohmann::json resultToJson(const TUResult &R);
TUResult resultFromJson(const nlohmann::json &J);

std::vector<TUResult> runAll(const std::vector<CompileCommand> &Cmds, const RuleSet &Rules,
                             const RunOptions &Opts);

/// The same, in the order given by Order (indexes into Cmds; results still in Cmds' order),
/// with the rules each TU starts with asked of RulesFor(index) just before it starts, and
/// OnResult(index, result) called as each one ends: what a finished TU taught (its summaries)
/// reaches the TUs started after it. OnResult may move from the result (the returned vector
/// then holds what it left).
/// The size of C's source file in bytes (0 if it cannot be read): a cheap estimate of its cost.
size_t sourceSize(const CompileCommand &C);

struct LiveRules {
  std::function<const RuleSet &(size_t)> RulesFor;
  std::function<void(size_t, TUResult &)> OnResult;
  std::function<bool(size_t)> SummariesOnly;  // per TU, instead of Opts.TU.SummariesOnly
  /// May the next TU of the order start now? When it says no, no later TU starts before it
  /// either (starts stay in order); the TU waits until a running one finishes (and starts
  /// anyway when none is running).
  std::function<bool(size_t)> Ready;
  /// Asked when a TU's turn to start comes (once Ready): true = not run at all (no result).
  std::function<bool(size_t)> Skip;
};
std::vector<TUResult> runAll(const std::vector<CompileCommand> &Cmds, const RuleSet &Rules,
                             const RunOptions &Opts, const std::vector<size_t> &Order,
                             const LiveRules &Live);

}  // namespace krefcheck
