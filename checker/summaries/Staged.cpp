#include "summaries/Staged.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>

#include <unistd.h>

namespace krefcheck {

namespace fs = std::filesystem;

unsigned shardOf(const std::string &File, unsigned N) {
  uint64_t H = 1469598103934665603ull;
  for (unsigned char C : File) H = (H ^ C) * 1099511628211ull;
  return static_cast<unsigned>(H % N);
}

std::vector<CompileCommand> distinctFiles(const std::vector<CompileCommand> &Db) {
  std::vector<CompileCommand> Out;
  std::set<std::string> Seen;
  for (const CompileCommand &C : Db)
    if (Seen.insert(C.File).second) Out.push_back(C);
  return Out;
}

SummaryPart summarizeShard(const std::vector<CompileCommand> &Db, unsigned Index, unsigned Count,
                           const RuleSet &Rules, const RunOptions &Run,
                           const WholeProgramOptions &Opts, std::vector<std::string> &Warnings) {
  const std::vector<CompileCommand> All = distinctFiles(Db);
  std::vector<CompileCommand> Mine;
  for (const CompileCommand &C : All)
    if (shardOf(C.File, Count) == Index - 1) Mine.push_back(C);
  WholeProgramOptions O = Opts;
  O.StorePath.clear();
  O.Analyse = false;
  O.CheckOnly.clear();
  O.SolvedStore = false;
  O.WarnUnsettled = false;  // the merge goes on with the rounds
  WholeProgram WP = buildWholeProgram(Mine, Rules, Run, O);
  Warnings = WP.Warnings;
  SummaryPart P;
  P.Id = StoreIdentity{buildFingerprint(), rulesFingerprint(Rules), Opts.Database};
  P.DatabaseKey = databaseKey(All);
  P.Shard = Index;
  P.Count = Count;
  for (const CompileCommand &C : Mine) {
    auto It = WP.Records.find(C.File);
    if (It != WP.Records.end()) {
      P.Entries.push_back(It->second);
      continue;
    }
    // Skipped by the prefilter with this shard's summaries: the merge decides again with
    // every shard's.
    TUSummary S;
    S.File = C.File;
    S.Key = tuKey(C);
    S.Skipped = true;
    P.Entries.push_back(std::move(S));
  }
  return P;
}

bool mergeSummaryParts(const std::vector<std::string> &Parts, const std::vector<CompileCommand> &Db,
                       const RuleSet &Rules, const RunOptions &Run, const WholeProgramOptions &Opts,
                       const std::string &StorePath, MergeOutcome &Out, std::string &Error) {
  if (Parts.empty()) {
    Error = "summaries merge: no parts given (the files `krefcheck summarize` wrote)";
    return false;
  }
  const StoreIdentity Id{buildFingerprint(), rulesFingerprint(Rules), Opts.Database};
  const std::vector<CompileCommand> All = distinctFiles(Db);
  const std::string DbKey = databaseKey(All);
  std::map<std::string, size_t> IndexOf;
  for (size_t I = 0; I < All.size(); ++I) IndexOf[All[I].File] = I;

  unsigned Count = 0;
  std::string CountFrom;
  std::vector<std::string> ByShard;
  std::map<std::string, TUSummary> Records;
  for (const std::string &Path : Parts) {
    SummaryPart P;
    if (!readSummaryPart(Path, Id, P, Error)) return false;
    const std::string Shard = std::to_string(P.Shard) + "/" + std::to_string(P.Count);
    if (!P.Id.Database.empty() && !Opts.Database.empty() && P.Id.Database != Opts.Database) {
      Error = Path + ": written for another compile database (" + P.Id.Database + ", not " +
              Opts.Database + ")";
      return false;
    }
    if (P.DatabaseKey != DbKey) {
      Error = Path + ": written for another version of the compile database " + Opts.Database +
              " (its files or commands changed since); run `krefcheck summarize` again";
      return false;
    }
    if (!Count) {
      Count = P.Count;
      CountFrom = Path;
      ByShard.assign(Count, "");
    } else if (P.Count != Count) {
      Error = Path + ": shard " + Shard + ", but " + CountFrom + " is a shard of " +
              std::to_string(Count) + ": every part must come from the same --shard I/N split";
      return false;
    }
    std::string &Slot = ByShard[P.Shard - 1];
    if (!Slot.empty()) {
      Error = Path + ": shard " + Shard + " given twice (also " + Slot + ")";
      return false;
    }
    Slot = Path;
    std::set<std::string> Seen;
    for (TUSummary &S : P.Entries) {
      auto It = IndexOf.find(S.File);
      if (It == IndexOf.end() || shardOf(S.File, Count) != P.Shard - 1) {
        Error = Path + ": " + S.File + " is not a file of shard " + Shard + " of the database";
        return false;
      }
      if (!Seen.insert(S.File).second) {
        Error = Path + ": " + S.File + " is listed twice";
        return false;
      }
      if (S.Key != tuKey(All[It->second])) {
        Error = Path + ": stale: " + S.File +
                " (or a header it includes) changed since this part was written; run `krefcheck "
                "summarize --shard " +
                Shard + "` again (every stage must see the same files, modification times too)";
        return false;
      }
      if (!S.Skipped) Records[S.File] = std::move(S);
    }
    for (const CompileCommand &C : All)
      if (shardOf(C.File, Count) == P.Shard - 1 && !Seen.count(C.File)) {
        Error = Path + ": no entry for " + C.File + " of shard " + Shard + " (a partial part)";
        return false;
      }
  }
  std::string Missing;
  for (unsigned I = 0; I < Count; ++I)
    if (ByShard[I].empty())
      Missing +=
          (Missing.empty() ? "" : ", ") + std::to_string(I + 1) + "/" + std::to_string(Count);
  if (!Missing.empty()) {
    Error = "summaries merge: no part for shard " + Missing + " (give the parts of all " +
            std::to_string(Count) + " shards)";
    return false;
  }

  // The parts' summaries as one store, then the rounds of one run from there: only the files
  // whose summaries depend on another shard's are parsed again.
  const std::string Final = summaryFilePath(StorePath);
  const std::string Tmp = Final + ".merging." + std::to_string(getpid()) + ".jsonl";
  std::error_code EC;
  auto Cleanup = [&] {
    fs::remove(Tmp, EC);
    fs::remove(Tmp + ".lock", EC);
  };
  {
    SummaryStore Start;
    Start.tus() = std::move(Records);
    std::set<std::string> Files;
    for (auto &[File, S] : Start.tus()) Files.insert(File);
    if (!Start.save(Tmp, Id, Files, Error)) {
      Cleanup();
      return false;
    }
  }
  WholeProgramOptions O = Opts;
  O.StorePath = Tmp;
  O.Analyse = false;
  O.CheckOnly.clear();
  O.SolvedStore = false;
  O.KeepFailed = true;
  O.WarnUnsettled = false;
  WholeProgram WP = buildWholeProgram(All, Rules, Run, O);
  if (!WP.StoreError.empty()) {
    Error = WP.StoreError;
    Cleanup();
    return false;
  }
  if (!WP.Settled) {
    Error = "summaries merge: the summaries did not settle after " +
            std::to_string(Opts.MaxRounds) +
            " rounds (a cycle of wrappers across files: " + unsettledList(WP.Unsettled) +
            " still changing): the staged result could differ from one run's; run over the "
            "whole database in one job";
    Cleanup();
    return false;
  }
  Out.Parsed = WP.Parsed;
  Out.Rounds = WP.Rounds;
  Out.Functions = WP.Imported.size();
  Out.Warnings = WP.Warnings;
  fs::rename(Tmp, Final, EC);
  if (EC) {
    Error = Final + ": cannot write the summary store: " + EC.message();
    Cleanup();
    return false;
  }
  Cleanup();
  return true;
}

}  // namespace krefcheck
