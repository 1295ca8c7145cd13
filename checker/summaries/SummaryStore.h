// The whole-program summary database: what phase 1 learnt about every TU, on disk, so a rerun
// (or a patch-mode run) re-summarises only the TUs that changed.
//
// Format: JSON lines (docs/summaries.md). The first line is a header
// {"krefcheck_summaries": 1, "rules": "<fingerprint of the rule files>"}; then one object per TU:
//   {"file": abs path, "key": content key, "ok": bool, "error": "...",
//    "functions": [{"rule": <rules-format entry>, "origin": "summary of f() at file:line"}],
//    "calls": [names called but defined elsewhere],
//    "summary_calls": [those of them its exported summaries can depend on],
//    "imports": {name: fingerprint of the summary of another TU that was in effect},
//    "export_symbols": [EXPORT_SYMBOL names], "defines": [its non-static functions],
//    "relevant": n}
#pragma once

#include <map>
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
  unsigned Relevant = 0;  // main-file functions the checker would analyse
};

class SummaryStore {
public:
  /// Reads Path (a missing file is an empty store). False with Error (one line naming the file
  /// and line) when it is malformed or was written for other rules; the store is then empty.
  bool load(const std::string &Path, const std::string &RulesFingerprint, std::string &Error);
  /// Writes atomically (temporary file + rename). False with Error on an I/O failure.
  bool save(const std::string &Path, const std::string &RulesFingerprint, std::string &Error) const;

  std::map<std::string, TUSummary> &tus() { return TUs; }
  const std::map<std::string, TUSummary> &tus() const { return TUs; }

private:
  std::map<std::string, TUSummary> TUs;  // by file
};

/// A stable fingerprint of the rule set (file rules only, not derived summaries) and of the
/// krefcheck build: a store written with other rules or by another build is not reused.
std::string rulesFingerprint(const RuleSet &Rules);
/// A fingerprint of one summary (what a caller's summary depends on).
std::string summaryFingerprint(const FunctionRule &R);
/// The TU's key: its command line, the main file's content and, from Kbuild's .<obj>.cmd (or a
/// -MD .d file), the size and modification time of every header it depends on.
std::string tuKey(const CompileCommand &Cmd);

/// Path of the summary file for --summaries PATH: PATH itself when it names a .jsonl file,
/// else PATH/summaries.jsonl (PATH a directory, created when missing).
std::string summaryFilePath(const std::string &Path);

}  // namespace krefcheck
