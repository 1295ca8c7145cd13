#include "report/SarifReport.h"

namespace krefcheck {

bool ReportPipeline::load(std::string &Error) {
  if (!Cfg.BaselinePath.empty() && !loadBaseline(Cfg.BaselinePath, Base, Error)) return false;
  if (!Cfg.SuppressionsPath.empty() && !loadSuppressions(Cfg.SuppressionsPath, Supp, Error))
    return false;
  if (!Cfg.FixPatchPath.empty() && !FixPatch.open(Cfg.FixPatchPath, Error)) return false;
  return true;
}

void ReportPipeline::build(const std::vector<TUResult> &TUs,
                           const std::vector<std::string> &InputErrors) {
  std::vector<Finding> All;
  for (const std::string &E : InputErrors) Failures.push_back(ToolFailure{"", E});
  for (const TUResult &R : TUs) {
    if (!R.Ok) Failures.push_back(ToolFailure{R.File, R.Error});
    All.insert(All.end(), R.Findings.begin(), R.Findings.end());
  }
  std::vector<std::string> Fps = fingerprintAll(All, Cfg.SrcRoot);
  for (size_t I = 0; I < All.size(); ++I) {
    ReportedResult RR;
    RR.F = std::move(All[I]);
    RR.Fingerprint = Fps[I];
    if (!Cfg.SuppressionsPath.empty()) RR.Justification = matchSuppression(Supp, RR, Cfg.SrcRoot);
    Results.push_back(std::move(RR));
  }
  if (!Cfg.BaselinePath.empty()) Absent = applyBaseline(Results, Base, Src);
  AbsentTotal = Absent.size();
  for (const ReportedResult &R : Results) ++StateCounts[R.State];
  if (Cfg.OnlyNew) {
    std::vector<ReportedResult> New;
    for (ReportedResult &R : Results)
      if (R.State == BaselineState::New) New.push_back(std::move(R));
    Results = std::move(New);
    Absent.clear();
  }
  if (Cfg.WantFixes || !Cfg.FixPatchPath.empty())
    for (ReportedResult &R : Results)
      if (!R.suppressed()) R.Fix = R.F.Fix;
}

size_t ReportPipeline::reportedCount() const {
  size_t N = 0;
  for (const ReportedResult &R : Results) N += !R.suppressed();
  return N;
}

size_t ReportPipeline::suppressedCount() const { return Results.size() - reportedCount(); }

size_t ReportPipeline::count(BaselineState S) const {
  auto It = StateCounts.find(S);
  return It == StateCounts.end() ? 0 : It->second;
}

std::string ReportPipeline::sarif(std::vector<std::string> *Truncation) const {
  SarifOptions O;
  O.SrcRoot = Cfg.SrcRoot;
  O.DocBaseUri = Cfg.DocBaseUri;
  O.Argv = Cfg.Argv;
  O.WorkingDirectory = Cfg.WorkingDirectory;
  SarifRun Run;
  Run.Results = Results;
  if (!Cfg.WantFixes)
    for (ReportedResult &R : Run.Results) R.Fix.reset();
  Run.AbsentJson = Absent;
  Run.Failures = Failures;
  return writeSarif(Run, O, Truncation);
}

bool ReportPipeline::writeFixPatch(size_t &Written, std::vector<std::string> &Skipped,
                                   std::string &Error) {
  Written = 0;
  if (Cfg.FixPatchPath.empty()) return true;
  // A file that changed since the analysis (a --format json run merged later) keeps its fixes
  // out of the patch: the diff is built from the text the analysis read.
  std::vector<FixEdit> Fixes;
  size_t Wanted = 0;
  for (const ReportedResult &R : Results) {
    if (!R.Fix || R.suppressed()) continue;
    ++Wanted;
    if (fixStillApplies(*R.Fix, Src)) Fixes.push_back(*R.Fix);
    else Skipped.push_back(R.Fix->File);
  }
  std::string Diff = unifiedDiff(Fixes, Cfg.SrcRoot, Skipped);
  Written = Wanted - Skipped.size();
  return FixPatch.write(Diff, Error);
}

}  // namespace krefcheck
