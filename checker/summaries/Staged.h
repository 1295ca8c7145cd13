// Staged runs (docs/summaries.md, "Staged runs"): the whole-program summaries computed by N
// jobs, each over its own shard of the database, then solved into one store that every check
// job reads:
//   1. summary stage, per shard: summarizeShard() -> a SummaryPart (summaryPartText)
//   2. merge: mergeSummaryParts() -> the solved store (a --summaries store)
//   3. check stage, per shard: a --shard run with --summaries (WholeProgramOptions::SolvedStore)
#pragma once

#include <string>
#include <vector>

#include "compdb/CompileDb.h"
#include "rules/Rules.h"
#include "run/Runner.h"
#include "summaries/SummaryStore.h"
#include "summaries/WholeProgram.h"

namespace krefcheck {

/// The shard (0-based) of a file among N: FNV-1a of its name, so a file's shard does not
/// depend on the database's order.
unsigned shardOf(const std::string &File, unsigned N);

/// The files of a database as a run reads them: the first entry of each file, in order.
std::vector<CompileCommand> distinctFiles(const std::vector<CompileCommand> &Db);

/// Stage 1: summarises the files of shard Index (1-based) of Count of the database Db (every
/// file of it, deduplicated) with the summaries of its own files only (rounds within the
/// shard), for the merge. Opts gives Database; StoreError when the rules cannot be fingerprinted
/// is not possible here, so this does not fail: a file that fails is an entry with its error.
SummaryPart summarizeShard(const std::vector<CompileCommand> &Db, unsigned Index, unsigned Count,
                           const RuleSet &Rules, const RunOptions &Run,
                           const WholeProgramOptions &Opts, std::vector<std::string> &Warnings);

struct MergeOutcome {
  unsigned Parsed = 0;  // files summarised again by the merge
  unsigned Rounds = 0;
  size_t Functions = 0;  // summaries in the solved store
  std::vector<std::string> Warnings;
};

/// Stage 2: checks that Parts are the Count parts (one each) of the database Db, written by
/// this build with these rules for Db as it is now (no entry stale), then solves the cross-file
/// fixpoint: the files whose summaries were made without another shard's summaries they
/// depend on are summarised again, round after round (as in one run), and the solved store is
/// written to StorePath (--summaries syntax). False with Error (one line naming the input)
/// when a part is missing, duplicated, of another database or stale, when the summaries do
/// not settle within Opts.MaxRounds, or when the store cannot be written.
bool mergeSummaryParts(const std::vector<std::string> &Parts, const std::vector<CompileCommand> &Db,
                       const RuleSet &Rules, const RunOptions &Run, const WholeProgramOptions &Opts,
                       const std::string &StorePath, MergeOutcome &Out, std::string &Error);

}  // namespace krefcheck
