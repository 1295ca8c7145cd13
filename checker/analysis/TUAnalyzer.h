// Per-TU analysis: parse one compile command with Clang, run the pre-pass and the Static
// Analyzer with krefcheck's checker, and collect findings with their paths.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compdb/CompileDb.h"
#include "findings/Finding.h"
#include "rules/Rules.h"

namespace krefcheck {

class RuleSet;

struct TUOptions {
  bool StripIrrelevantBodies = true;
  unsigned MaxNodes = 100000;  // Static Analyzer budget per top-level function
  bool DumpSummaries = false;
  /// Phase 1 of the whole-program summaries: parse and summarise, no Static Analyzer.
  bool SummariesOnly = false;
  /// File contents to analyse instead of what is on disk (absolute path -> text): the
  /// pre-image of a patch.
  std::map<std::string, std::string> Overrides;
};

struct TUResult {
  std::string File;  // the entry's file (absolute)
  bool Ok = true;
  bool Skipped = false;  // the prefilter found no tracked API in the file
  std::string Error;     // one line, when !Ok
  std::vector<Finding> Findings;
  unsigned Functions = 0;  // main-file functions with a body
  unsigned Analysed = 0;   // of which the Static Analyzer looked at
  unsigned Summaries = 0;
  std::vector<std::string> SummaryLines;
  // Phase 1 (SummariesOnly): what other TUs need to know about this one.
  std::vector<FunctionRule> Exported;      // summaries of its non-static functions
  std::vector<std::string> ExternalCalls;  // functions it calls that are defined elsewhere
  std::vector<std::string> SummaryCalls;   // ... that its exported summaries can depend on
  std::vector<std::string> ExportSymbols;  // EXPORT_SYMBOL*() names
  std::vector<std::string> ExternalDefs;   // its non-static functions

  // Fields of header structs it releases (fields::sharedFieldKey).
  std::vector<std::string> ReleasedFields;
  double Seconds = 0;
};

/// Analyses one TU in this process (the caller isolates crashes, see run/Runner).
TUResult analyzeTU(const CompileCommand &Cmd, const RuleSet &Rules, const TUOptions &Opts);

}  // namespace krefcheck
