// The summary and merge stages of a staged run (README, "Shards"; summaries/Staged.h):
//   krefcheck summarize -p B --shard I/N -o part-I.jsonl
//   krefcheck summaries merge [-p B] -o store part-*.jsonl
// The check stage is a --shard run with --summaries store (Run::analyse).
#include "driver/Run.h"

#include "compdb/CompileDb.h"
#include "summaries/Staged.h"

#include <iostream>

#include <unistd.h>

namespace krefcheck {

int Run::checkStageUsage() {
  const std::string Cmd = O.Summarize ? "summarize" : "summaries merge";
  std::string Bad;
  if (O.Format != "text") Bad = "--format";
  else if (!O.DiffPath.empty()) Bad = "--diff";
  else if (!O.Report.BaselinePath.empty() || O.Report.OnlyNew) Bad = "--baseline/--only-new";
  else if (!O.Report.SuppressionsPath.empty()) Bad = "--suppressions";
  else if (!O.Report.FixPatchPath.empty()) Bad = "--fix-patch";
  else if (!O.WP.StorePath.empty()) Bad = "--summaries (-o names what it writes)";
  else if (!O.CrossTU) Bad = "--no-cross-tu";
  else if (O.HaveFixed || O.Kbuild) Bad = "compiler arguments";
  else if (O.SummariesMerge && O.ShardCount) Bad = "--shard (the parts say which shard they are)";
  if (!Bad.empty()) {
    std::cerr << "krefcheck: error: `krefcheck " << Cmd << "` does not take " << Bad << "\n";
    return 2;
  }
  if (O.OutPath.empty()) {
    std::cerr << "krefcheck: error: `krefcheck " << Cmd << "` needs -o "
              << (O.Summarize ? "PART (the summary part the merge reads)"
                              : "STORE (the solved store the check stage reads)")
              << "\n";
    return 2;
  }
  if (O.RulesDir.empty()) O.RulesDir = defaultRulesDir(Argv0);
  if (!loadRules(Rules, O.RulesDir, O.ExtraRules, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  O.Run.Progress = !O.Quiet && isatty(2);
  return Continue;
}

int Run::summarize() {
  if (int Status = checkStageUsage(); Status != Continue) return Status;
  if (O.DbPath.empty()) {
    std::cerr << "krefcheck: error: `krefcheck summarize` needs -p <build-dir>\n";
    return 2;
  }
  if (!O.Files.empty()) {
    std::cerr << "krefcheck: error: `krefcheck summarize` takes no FILE (" << O.Files[0]
              << "): it summarises every file of its shard\n";
    return 2;
  }
  if (!O.ShardCount) O.ShardIndex = O.ShardCount = 1;
  if (!Out.open(O.OutPath, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  CompileDb Db;
  if (!loadCompileDb(O.DbPath, Db, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  describeDatabase(Db, O.WP);
  std::vector<std::string> Warnings;
  SummaryPart P =
      summarizeShard(Db.Commands, O.ShardIndex, O.ShardCount, Rules, O.Run, O.WP, Warnings);
  for (const std::string &W : Warnings) std::cerr << "krefcheck: warning: " << W << "\n";
  if (!Out.write(summaryPartText(P), Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  if (!O.Quiet) {
    size_t Skipped = 0, Failed = 0, Functions = 0;
    for (const TUSummary &S : P.Entries) {
      Skipped += S.Skipped;
      Failed += !S.Ok;
      Functions += S.Functions.size();
    }
    std::cerr << "krefcheck: summary part " << O.ShardIndex << "/" << O.ShardCount << ": "
              << P.Entries.size() << " files (" << P.Entries.size() - Skipped << " summarised, "
              << Skipped << " skipped, " << Failed << " failed), " << Functions
              << " function summaries -> " << O.OutPath << "\n";
  }
  return 0;
}

int Run::mergeSummaries() {
  if (int Status = checkStageUsage(); Status != Continue) return Status;
  if (O.Files.empty()) {
    std::cerr << "krefcheck: error: `krefcheck summaries merge` needs the parts (the files "
                 "`krefcheck summarize` wrote)\n";
    return 2;
  }
  // The database: -p, else the one the parts were written for.
  std::string DbPath = O.DbPath;
  if (DbPath.empty()) {
    SummaryPart First;
    const StoreIdentity Id{buildFingerprint(), rulesFingerprint(Rules), ""};
    if (!readSummaryPart(O.Files[0], Id, First, Error)) {
      std::cerr << "krefcheck: error: " << Error << "\n";
      return 2;
    }
    DbPath = First.Id.Database;
    if (DbPath.empty()) {
      std::cerr << "krefcheck: error: " << O.Files[0]
                << ": names no compile database: give it with -p\n";
      return 2;
    }
  }
  CompileDb Db;
  if (!loadCompileDb(DbPath, Db, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  describeDatabase(Db, O.WP);
  MergeOutcome M;
  if (!mergeSummaryParts(O.Files, Db.Commands, Rules, O.Run, O.WP, O.OutPath, M, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  for (const std::string &W : M.Warnings) std::cerr << "krefcheck: warning: " << W << "\n";
  if (!O.Quiet)
    std::cerr << "krefcheck: summaries merge: " << O.Files.size() << " part"
              << (O.Files.size() == 1 ? "" : "s") << ", " << M.Functions << " functions; "
              << M.Parsed << " files summarised again, " << M.Rounds << " round"
              << (M.Rounds == 1 ? "" : "s") << " -> " << summaryFilePath(O.OutPath) << "\n";
  return 0;
}

}  // namespace krefcheck
