// From the per-file results to what is reported: fingerprints, suppressions, baseline states,
// --only-new, the fixes the analysis attached; then SARIF and the --fix-patch diff. Used by
// main.cpp.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/TUAnalyzer.h"
#include "report/Baseline.h"
#include "report/Fix.h"
#include "report/Output.h"
#include "report/Sarif.h"
#include "report/SourceText.h"

namespace krefcheck {

struct ReportConfig {
  std::string SrcRoot;           // absolute, normalised
  std::string DocBaseUri;        // ends in '/'
  std::string BaselinePath;      // --baseline
  std::string SuppressionsPath;  // --suppressions
  std::string FixPatchPath;      // --fix-patch
  bool OnlyNew = false;
  bool WantFixes = false;  // SARIF output: attach fixes
  std::vector<std::string> Argv;
  std::string WorkingDirectory;
};

class ReportPipeline {
public:
  explicit ReportPipeline(ReportConfig C) : Cfg(std::move(C)) {}

  /// Reads the baseline and the suppressions and opens --fix-patch (before any analysis).
  /// False: one line in Error.
  bool load(std::string &Error);

  /// Turns the results (in database order) into reported results.
  void build(const std::vector<TUResult> &TUs, const std::vector<std::string> &InputErrors);

  /// Every result of this run (after --only-new), suppressed ones included.
  const std::vector<ReportedResult> &results() const { return Results; }
  size_t reportedCount() const;  // not suppressed: what the exit status counts
  size_t suppressedCount() const;
  /// Baseline states of this run's findings, counted before --only-new drops the old ones.
  size_t count(BaselineState S) const;
  size_t absentCount() const { return AbsentTotal; }
  bool hasBaseline() const { return !Cfg.BaselinePath.empty(); }
  const std::string &suppressionsPath() const { return Cfg.SuppressionsPath; }

  /// The SARIF log; Truncation (if given) gets what the size limits cut (notification texts).
  std::string sarif(std::vector<std::string> *Truncation = nullptr) const;

  /// Writes --fix-patch (if asked). Returns false with Error when the file cannot be written;
  /// Written is the number of fixes in the patch, Skipped the files it could not cover.
  bool writeFixPatch(size_t &Written, std::vector<std::string> &Skipped, std::string &Error);

private:
  ReportConfig Cfg;
  Baseline Base;
  Suppressions Supp;
  SourceCache Src;
  std::vector<ReportedResult> Results;
  std::vector<std::string> Absent;
  size_t AbsentTotal = 0;
  std::map<BaselineState, size_t> StateCounts;
  std::vector<ToolFailure> Failures;
  OutputSink FixPatch;
};

}  // namespace krefcheck
