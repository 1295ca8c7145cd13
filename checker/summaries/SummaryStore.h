// The whole-program summary database: what phase 1 learnt about every TU, on disk, so a rerun
// (or a patch-mode run) re-summarises only the TUs that changed.
//
// Format: JSON lines (docs/summaries.md). The first line is a header saying what the store was
// built from: {"krefcheck_summaries": 2, "build": "<krefcheck build>", "rules": "<fingerprint of
// the rule files>", "database": "<compile_commands.json>"}; then one object per TU:
//   {"file": abs path, "key": content key, "ok": bool, "error": "...",
//    "functions": [{"rule": <rules-format entry>, "origin": "summary of f() at file:line"}],
//    "calls": [names called but defined elsewhere],
//    "summary_calls": [those of them its exported summaries can depend on],
//    "imports": {name: fingerprint of the summary of another TU that was in effect},
//    "export_symbols": [EXPORT_SYMBOL names], "defines": [its non-static functions],
//    "relevant": n, "released_fields": ["<header>:<struct>.<field>" it releases]}
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compdb/CompileDb.h"
#include "rules/Rules.h"

namespace krefcheck {

struct TUSummary {
  std::string File;
  std::string Key;
  bool Ok = true;
  bool Skipped = false;  // the prefilter saw no tracked name: not parsed
  std::string Error;
  std::vector<FunctionRule> Functions;
  std::vector<std::string> Calls;
  std::vector<std::string> SummaryCalls;  // the Calls its exported summaries can depend on
  std::map<std::string, std::string> Imports;
  std::vector<std::string> ExportSymbols;
  std::vector<std::string> Defines;  // its non-static functions (with or without a summary)
  unsigned Relevant = 0;             // main-file functions the checker would analyse

  // Fields of header structs it releases (fields::sharedFieldKey).
  std::vector<std::string> ReleasedFields;
};

/// What a store was built from. A store is used only by the same build with the same rules
/// (and, when both name one, for the same compile database).
struct StoreIdentity {
  std::string Build;     // buildFingerprint()
  std::string Rules;     // rulesFingerprint()
  std::string Database;  // absolute path of the compile_commands.json; "" = files with flags
};

class SummaryStore {
public:
  /// Reads Path; a missing or empty file is an empty store. False with Error (one line: the
  /// file, the line when malformed, why, and what to do) when it is malformed or was written by
  /// another build, for other rules or for another compile database: the caller must then
  /// neither use it nor overwrite it.
  bool load(const std::string &Path, const StoreIdentity &Id, std::string &Error);
  /// Writes atomically (temporary file + rename) under an exclusive lock on Path.lock: the
  /// entries of the files in \p Mine (this run's files) come from this store, those of every
  /// other file from the store as it is on disk now (another run may have written it since
  /// load), so runs sharing a store add to it and none empties it. False with Error on an
  /// I/O failure, or when the file on disk is now one this run must not overwrite.
  bool save(const std::string &Path, const StoreIdentity &Id, const std::set<std::string> &Mine,
            std::string &Error);

  std::map<std::string, TUSummary> &tus() { return TUs; }
  const std::map<std::string, TUSummary> &tus() const { return TUs; }

private:
  std::map<std::string, TUSummary> TUs;  // by file
  std::string Database;                  // as read from the header
  std::string LoadedStat;                // inode, size and mtime of the file load() read
};

/// The krefcheck build: its version and the size and modification time of the running
/// executable (another build may summarise differently).
std::string buildFingerprint();
/// A stable fingerprint of the rule set (file rules only, not derived summaries).
std::string rulesFingerprint(const RuleSet &Rules);
/// A fingerprint of one summary (what a caller's summary depends on).
std::string summaryFingerprint(const FunctionRule &R);
/// The TU's key: its command line, the main file's content and, from Kbuild's .<obj>.cmd (or a
/// -MD .d file), the size and modification time of every header it depends on.
std::string tuKey(const CompileCommand &Cmd);

/// One shard's summaries, as `krefcheck summarize --shard I/N` writes them (docs/summaries.md,
/// "Staged runs"): a header {"krefcheck_summary_part": 1, "build", "rules", "database",
/// "database_key", "shard": I, "shards": N}, then one store entry per file of the shard (a file
/// the prefilter skipped has "skipped": true and no summaries).
struct SummaryPart {
  StoreIdentity Id;
  std::string DatabaseKey;  // databaseKey() of the whole database
  unsigned Shard = 0, Count = 0;
  std::vector<TUSummary> Entries;
};
/// The part as text (JSON lines).
std::string summaryPartText(const SummaryPart &P);
/// Reads a part written by summaryPartText. False with Error (one line naming Path: not a
/// part, malformed at line N, another build or other rules than \p Id).
bool readSummaryPart(const std::string &Path, const StoreIdentity &Id, SummaryPart &P,
                     std::string &Error);
/// A fingerprint of a compile database: its files and their commands (deduplicated by file,
/// the first entry of a file counts, as a run reads it).
std::string databaseKey(const std::vector<CompileCommand> &Cmds);

/// Path of the summary file for --summaries PATH: PATH itself when it names a .jsonl file,
/// else PATH/summaries.jsonl (PATH a directory, created when missing).
std::string summaryFilePath(const std::string &Path);

}  // namespace krefcheck
