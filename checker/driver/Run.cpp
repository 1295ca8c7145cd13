#include "driver/Run.h"

#include "compdb/CompileDb.h"
#include "driver/Cli.h"
#include "driver/Git.h"
#include "infer/InferCommand.h"
#include "report/TextReporter.h"
#include "summaries/Staged.h"
#include "summaries/WholeProgram.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace krefcheck {

namespace fs = std::filesystem;

namespace {

/// CROSS_COMPILE / ARCH as exported by Kbuild -> a target triple, for GCC flags that carry none.
std::string kbuildTarget() {
  if (const char *CC = getenv("CROSS_COMPILE")) {
    std::string T = fs::path(CC).filename().string();
    while (!T.empty() && T.back() == '-') T.pop_back();
    if (!T.empty()) return T;
  }
  std::string Arch = getenv("SRCARCH") ? getenv("SRCARCH") : (getenv("ARCH") ? getenv("ARCH") : "");
  static const std::map<std::string, std::string> Triples = {{"arm64", "aarch64-linux-gnu"},
                                                             {"arm", "arm-linux-gnueabi"},
                                                             {"powerpc", "powerpc64le-linux-gnu"},
                                                             {"x86", "x86_64-linux-gnu"},
                                                             {"x86_64", "x86_64-linux-gnu"},
                                                             {"riscv", "riscv64-linux-gnu"},
                                                             {"s390", "s390x-linux-gnu"},
                                                             {"loongarch", "loongarch64-linux-gnu"},
                                                             {"mips", "mips-linux-gnu"}};
  auto It = Triples.find(Arch);
  return It == Triples.end() ? std::string() : It->second;
}

bool matchesFilter(const CompileCommand &C, const std::vector<std::string> &Files) {
  if (Files.empty()) return true;
  for (const std::string &F : Files) {
    std::error_code EC;
    fs::path A = fs::absolute(F, EC).lexically_normal();
    if (A.string() == C.File) return true;
    if (C.File.size() >= F.size() && C.File.compare(C.File.size() - F.size(), F.size(), F) == 0 &&
        (C.File.size() == F.size() || C.File[C.File.size() - F.size() - 1] == '/'))
      return true;
  }
  return false;
}

}  // namespace

int driverMain(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  setCrashBanner();
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();

  if (argc > 2 && std::string(argv[1]) == "rules" && std::string(argv[2]) == "infer")
    return runRulesInfer(argc, argv, 3);
  DriverOptions O;
  if (int Status = parseCommandLine(argc, argv, O); Status >= 0) return Status;
  return Run(std::move(O), argv[0]).run();
}

int Run::run() {
  if (O.Summarize) return summarize();
  if (O.SummariesMerge) return mergeSummaries();
  for (int (Run::*Step)() : {&Run::loadRulesAndReport, &Run::loadInputs, &Run::selectPatch,
                             &Run::analyse, &Run::keepIntroduced})
    if (int Status = (this->*Step)(); Status != Continue) return Status;
  return report();
}

int Run::loadRulesAndReport() {
  if (O.RulesDir.empty()) O.RulesDir = defaultRulesDir(Argv0);
  if (!loadRules(Rules, O.RulesDir, O.ExtraRules, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  ReportConfig &Report = O.Report;
  if (Report.OnlyNew && Report.BaselinePath.empty()) {
    std::cerr << "krefcheck: --only-new needs --baseline FILE\n";
    return 2;
  }
  {
    std::error_code EC;
    Report.WorkingDirectory = fs::current_path(EC).string();
    fs::path Root = fs::absolute(O.SrcRootArg, EC).lexically_normal();
    if (!fs::is_directory(Root, EC)) {
      std::cerr << "krefcheck: error: --srcroot " << O.SrcRootArg << ": not a directory\n";
      return 2;
    }
    Report.SrcRoot = Root.string();
    while (Report.SrcRoot.size() > 1 && Report.SrcRoot.back() == '/') Report.SrcRoot.pop_back();
  }
  Report.WantFixes = O.Format == "sarif";
  Pipeline.emplace(Report);
  if (!Pipeline->load(Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  if (!Out.open(O.OutPath, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  return Continue;
}

int Run::loadInputs() {
  int Status = Continue;
  switch (O.mode()) {
  case DriverOptions::Mode::Merge: Status = loadMerge(); break;
  case DriverOptions::Mode::Kbuild: Status = loadKbuild(); break;
  case DriverOptions::Mode::Files: Status = loadFiles(); break;
  case DriverOptions::Mode::Database: Status = loadDatabase(); break;
  }
  if (Status != Continue) return Status;
  for (const std::string &E : InputErrors) std::cerr << "krefcheck: error: " << E << "\n";
  return Continue;
}

/// Shard outputs (--format json) back into one result, in file order.
int Run::loadMerge() {
  if (O.Files.empty()) {
    std::cerr << "krefcheck: merge needs the shard files (written with --format json)\n";
    return 2;
  }
  // Each file's database position ("position" of a --shard run's output), when every file has
  // one: the merged output is then in the database's order, byte for byte one run's.
  std::vector<std::pair<bool, size_t>> Pos;
  for (const std::string &F : O.Files) {
    std::string Text;
    if (!readInputFile(F, Text, Error)) {
      std::cerr << "krefcheck: error: " << F << ": cannot read shard: " << Error << "\n";
      return 2;
    }
    nlohmann::json J;
    try {
      if (Text.find('\0') != std::string::npos) throw std::runtime_error("contains a NUL byte");
      J = nlohmann::json::parse(Text);
      for (const nlohmann::json &R : J.at("files")) {
        Merged.push_back(resultFromJson(R));
        const bool Has = R.contains("position") && R.at("position").is_number_unsigned();
        Pos.emplace_back(Has, Has ? R.at("position").get<size_t>() : 0);
      }
    } catch (const std::exception &E) {
      std::string Msg = E.what();
      for (char &C : Msg)
        if (C == '\n') C = ' ';
      std::cerr << "krefcheck: error: " << F << ": not a krefcheck --format json file: " << Msg
                << "\n";
      return 2;
    }
  }
  std::vector<size_t> Order(Merged.size());
  bool AllPositions = true;
  for (size_t I = 0; I < Merged.size(); ++I) {
    Order[I] = I;
    AllPositions = AllPositions && Pos[I].first;
  }
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    if (AllPositions) return Pos[A].second < Pos[B].second;
    return Merged[A].File < Merged[B].File;
  });
  std::vector<TUResult> Sorted;
  for (size_t I : Order) Sorted.push_back(std::move(Merged[I]));
  Merged.swap(Sorted);
  return Continue;
}

int Run::loadKbuild() {
  std::string Src;
  for (const std::string &A : O.KbuildArgs)
    if (A.size() > 2 && A.compare(A.size() - 2, 2, ".c") == 0) Src = A;
  if (Src.empty()) {
    std::cerr << "krefcheck: --kbuild: no .c file among the arguments\n";
    return 2;
  }
  std::error_code EC;
  CompileCommand C;
  C.Directory = fs::current_path(EC).string();
  C.File = fs::absolute(Src, EC).lexically_normal().string();
  C.DisplayFile = Src;
  C.Arguments.push_back("cc");
  bool HaveTarget = false;
  for (const std::string &A : O.KbuildArgs)
    if (A.rfind("--target=", 0) == 0) HaveTarget = true;
  std::string T = kbuildTarget();
  if (!HaveTarget && !T.empty()) C.Arguments.push_back("--target=" + T);
  C.Arguments.insert(C.Arguments.end(), O.KbuildArgs.begin(), O.KbuildArgs.end());
  Cmds.push_back(C);
  O.Run.Jobs = 1;
  O.Quiet = true;
  return Continue;
}

int Run::loadFiles() {
  if (O.Files.empty()) {
    std::cerr << "krefcheck: give the files to analyse before '--'\n" << Usage;
    return 2;
  }
  std::error_code EC;
  for (const std::string &F : O.Files) {
    CompileCommand C;
    C.Directory = fs::current_path(EC).string();
    C.File = fs::absolute(F, EC).lexically_normal().string();
    C.DisplayFile = F;
    C.Arguments.push_back("clang");
    C.Arguments.insert(C.Arguments.end(), O.FixedArgs.begin(), O.FixedArgs.end());
    C.Arguments.push_back(C.File);
    Cmds.push_back(C);
  }
  return Continue;
}

int Run::loadDatabase() {
  if (O.DbPath.empty()) {
    std::cerr << "krefcheck: no compile database: use -p <build-dir>, or FILE... -- <flags>\n"
              << Usage;
    return 2;
  }
  CompileDb Db;
  if (!loadCompileDb(O.DbPath, Db, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  InputErrors = Db.Errors;
  describeDatabase(Db, O.WP);  // what a --summaries store records and checks
  std::set<std::string> Seen;
  for (CompileCommand &C : Db.Commands)
    if (matchesFilter(C, O.Files) && Seen.insert(C.File).second) {
      Position[C.File] = Position.size();
      if (O.ShardCount) ShardPeers.push_back(C);
      if (!O.ShardCount || shardOf(C.File, O.ShardCount) == O.ShardIndex - 1) Cmds.push_back(C);
    }
  for (const std::string &F : O.Files) {
    bool Found = false;
    for (const CompileCommand &C : Cmds)
      if (matchesFilter(C, {F})) Found = true;
    if (!Found) InputErrors.push_back(F + ": not in the compile database " + Db.Path);
  }
  return Continue;
}

/// Patch mode: only the TUs the patch touches, only the findings it introduces.
int Run::selectPatch() {
  if (!O.DiffBase.empty() && O.DiffPath.empty()) {
    std::cerr << "krefcheck: --diff-base needs --diff\n";
    return 2;
  }
  if (O.DiffPath.empty()) return Continue;
  const std::string Name = O.DiffPath == "-" ? "<stdin>" : O.DiffPath;
  std::string Text;
  if (!readInputFile(O.DiffPath == "-" ? "/dev/stdin" : O.DiffPath, Text, Error)) {
    std::cerr << "krefcheck: error: " << Name << ": cannot read the patch: " << Error << "\n";
    return 2;
  }
  if (!parseUnifiedDiff(Text, Name, Changes, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  std::error_code EC;
  std::string Cwd = fs::current_path(EC).string(), Top = gitTopLevel(".");
  std::string Given =
      O.DiffRoot.empty() ? "" : fs::absolute(O.DiffRoot, EC).lexically_normal().string();
  O.DiffRoot = findPatchRoot(
      Changes, Given.empty() ? std::vector<std::string>{Cwd, Top} : std::vector<std::string>{Given},
      Error);
  if (O.DiffRoot.empty()) {
    std::cerr << "krefcheck: error: " << Name << ": " << Error << "\n";
    return 2;
  }
  if (!O.Quiet)
    std::cerr << "krefcheck: the patch's paths are relative to " << O.DiffRoot << " ("
              << (!Given.empty()      ? "--diff-root"
                  : O.DiffRoot == Cwd ? "the current directory"
                                      : "the git top level")
              << ")\n";
  Changed = changedFiles(Changes, O.DiffRoot);
  std::vector<CompileCommand> Touched;
  for (const CompileCommand &C : Cmds)
    for (auto &[File, Change] : Changed)
      if (tuDependsOn(C, File)) {
        Touched.push_back(C);
        break;
      }
  Cmds.swap(Touched);
  if (!O.Quiet)
    std::cerr << "krefcheck: the patch changes " << Changed.size() << " file"
              << (Changed.size() == 1 ? "" : "s") << "; " << Cmds.size() << " of them or their "
              << "includers are in the compile database\n";
  return Continue;
}

int Run::analyse() {
  O.Run.Progress = !O.Quiet && isatty(2);
  // Phase 1: whole-program summaries of every TU of the run (and of the rest of the tree from
  // --summaries); phase 2 checks with the rules plus those summaries.
  Effective = Rules;
  std::set<std::string> Irrelevant, Defined, ReleasedFields;
  std::map<std::string, TUResult> FinalResults;  // phase-1 analyses still valid
  const std::vector<CompileCommand> &Phase1 = O.ShardCount ? ShardPeers : Cmds;
  if (!O.Merge && !O.Kbuild && O.CrossTU && (Phase1.size() > 1 || !O.WP.StorePath.empty())) {
    O.WP.Quiet = O.Quiet;
    if (O.ShardCount)
      for (const CompileCommand &C : Cmds) O.WP.CheckOnly.insert(C.File);
    // A shard with a store: the check stage of a staged run, with the solved summaries of
    // `krefcheck summaries merge` (it summarises nothing; a store that is not solved for this
    // database is an error, never fewer findings).
    O.WP.SolvedStore = O.ShardCount && !O.WP.StorePath.empty();
    WholeProgram WP = buildWholeProgram(Phase1, Rules, O.Run, O.WP);
    if (!WP.StoreError.empty()) {  // a --summaries store this run must not use nor overwrite
      std::cerr << "krefcheck: error: " << WP.StoreError << "\n";
      return 2;
    }
    for (const std::string &W : WP.Warnings) std::cerr << "krefcheck: warning: " << W << "\n";
    Effective = withImports(Rules, WP);
    Defined = WP.Defined;
    ReleasedFields = WP.ReleasedFields;
    Irrelevant = WP.Irrelevant;
    FinalResults = std::move(WP.Final);
    if (!O.Quiet)
      std::cerr << "krefcheck: whole-program summaries: " << WP.Imported.size() << " functions; "
                << WP.Parsed << " files summarised, " << WP.Reused << " reused"
                << (O.WP.StorePath.empty() ? "" : " from " + O.WP.StorePath) << ", " << WP.Rounds
                << " round" << (WP.Rounds == 1 ? "" : "s") << "; " << FinalResults.size()
                << " files analysed in the same parse\n";
  }
  if (O.Merge) {
    Results = Merged;
    return Continue;
  }
  std::vector<CompileCommand> Work;
  for (const CompileCommand &C : Cmds)
    if (!Irrelevant.count(C.File) && !FinalResults.count(C.File)) Work.push_back(C);
  std::vector<TUResult> Done = runAll(Work, Effective, O.Run);
  size_t K = 0;
  for (const CompileCommand &C : Cmds) {
    if (Irrelevant.count(C.File)) {
      TUResult R;
      R.File = C.File;
      R.Skipped = true;
      Results.push_back(std::move(R));
    } else if (auto It = FinalResults.find(C.File); It != FinalResults.end()) {
      Results.push_back(std::move(It->second));
      FinalResults.erase(It);
    } else {
      Results.push_back(std::move(Done[K++]));
    }
  }
  // A note on a call to a function the TU did not know is dropped when another file of the
  // run defines it (phase 1 analyses a file before the rest of the run is known).
  for (TUResult &R : Results) dropKnownCallees(R.Findings, Defined);
  // A reference stored into a field that another file of the run releases (a probe's
  // `pipe->of_output_port`, put by the pipeline's destroy in the next file): handed over.
  for (TUResult &R : Results) dropReleasedElsewhere(R.Findings, ReleasedFields);
  return Continue;
}

int Run::keepIntroduced() {
  if (O.DiffPath.empty()) return Continue;
  const std::string &SrcRoot = O.Report.SrcRoot;
  // What the pre-image already had is not introduced by the patch.
  std::set<std::string> Before;
  if (!O.DiffBase.empty()) {
    RunOptions Pre = O.Run;
    Pre.Progress = false;
    for (const FileChange &C : Changes) {
      if (C.OldPath.empty() || C.NewPath.empty()) continue;
      std::string Old;
      if (!gitShow(O.DiffRoot, O.DiffBase, C.OldPath, Old)) {
        std::cerr << "krefcheck: error: git show " << O.DiffBase << ":" << C.OldPath
                  << " failed in " << O.DiffRoot << "\n";
        return 2;
      }
      Pre.TU.Overrides[(fs::path(O.DiffRoot) / C.NewPath).lexically_normal().string()] = Old;
    }
    // Only files with findings to compare: a file that failed is not run again.
    std::vector<CompileCommand> PreCmds;
    for (size_t I = 0; I < Cmds.size() && I < Results.size(); ++I)
      if (Results[I].Ok && !Results[I].Findings.empty()) PreCmds.push_back(Cmds[I]);
    for (const TUResult &R : runAll(PreCmds, Effective, Pre))
      for (const Finding &F : R.Findings) Before.insert(fingerprintOf(F, SrcRoot));
  }
  for (TUResult &R : Results) {
    std::vector<Finding> Kept;
    for (Finding &F : R.Findings)
      if (touchesChange(F, Changed) && !Before.count(fingerprintOf(F, SrcRoot)))
        Kept.push_back(std::move(F));
    R.Findings.swap(Kept);
  }
  return Continue;
}

int Run::report() {
  const ReportConfig &Report = O.Report;
  std::ostringstream Text;
  std::ostream *OS = &Text;
  size_t NFindings = 0, NFailed = 0, NSkipped = 0;
  nlohmann::json J = nlohmann::json::array();
  for (const TUResult &R : Results) {
    if (R.Skipped) ++NSkipped;
    if (O.Format == "json") {
      J.push_back(resultToJson(R));
      if (auto It = Position.find(R.File); O.ShardCount && It != Position.end())
        J.back()["position"] = It->second;
    }
    if (!R.Ok) {
      ++NFailed;
      std::cerr << "krefcheck: error: " << displayPath(R.File) << ": " << R.Error << "\n";
    }
    for (const std::string &L : R.SummaryLines)
      std::cerr << "krefcheck: summary: " << displayPath(R.File) << ": " << L << "\n";
  }
  // What is reported: suppressed findings and, with --only-new, those already in the
  // baseline are not printed and do not count for the exit status.
  Pipeline->build(Results, InputErrors);
  NFindings = Pipeline->reportedCount();
  if (O.Format == "text")
    for (const ReportedResult &R : Pipeline->results())
      if (!R.suppressed()) printFinding(*OS, R.F);
  if (O.Format == "sarif") {
    std::vector<std::string> Cut;  // stderr says what the log says it left out
    *OS << Pipeline->sarif(&Cut);
    for (const std::string &C : Cut) std::cerr << "krefcheck: warning: SARIF log: " << C << "\n";
  }
  if (O.Format == "json")
    *OS << nlohmann::json{{"tool", "krefcheck"}, {"version", KREFCHECK_VERSION}, {"files", J}}.dump(
               1, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  bool WriteFailed = !Out.write(Text.str(), Error);  // a full disk, a closed pipe
  if (WriteFailed) std::cerr << "krefcheck: error: " << Error << "\n";
  {
    size_t Fixes = 0;
    std::vector<std::string> Skipped;
    bool PatchOk = Pipeline->writeFixPatch(Fixes, Skipped, Error);
    if (!PatchOk) {
      std::cerr << "krefcheck: error: " << Error << "\n";
      WriteFailed = true;
    }
    std::set<std::string> SkippedFiles(Skipped.begin(), Skipped.end());
    for (const std::string &F : SkippedFiles)
      std::cerr << "krefcheck: warning: " << displayPath(F)
                << ": fix left out of the patch (outside --srcroot, unreadable, changed since "
                   "the analysis or overlapping another fix)\n";
    if (!Report.FixPatchPath.empty() && !O.Quiet && PatchOk)
      std::cerr << "krefcheck: " << Fixes << " fix" << (Fixes == 1 ? "" : "es") << " written to "
                << Report.FixPatchPath << "\n";
  }
  if (size_t N = Pipeline->suppressedCount())
    std::cerr << "krefcheck: " << N << " finding" << (N == 1 ? "" : "s") << " suppressed by "
              << Report.SuppressionsPath << "\n";
  if (Pipeline->hasBaseline() && !O.Quiet)
    std::cerr << "krefcheck: baseline " << Report.BaselinePath << ": "
              << Pipeline->count(BaselineState::New) << " new, "
              << Pipeline->count(BaselineState::Unchanged) << " unchanged, "
              << Pipeline->count(BaselineState::Updated) << " updated, " << Pipeline->absentCount()
              << " absent" << (Report.OnlyNew ? " (only new ones reported)" : "") << "\n";
  if (!O.Quiet) {
    size_t Analysed = Results.size() - NFailed - NSkipped;
    std::cerr << "krefcheck: " << Results.size() << " files: " << Analysed << " analysed, "
              << NSkipped << " skipped (nothing to analyse), " << NFailed << " failed; "
              << NFindings << " finding" << (NFindings == 1 ? "" : "s") << "\n";
  }
  if (WriteFailed) return 2;
  if (O.Kbuild) return 0;  // like sparse: report, never fail the build
  if (!O.Merge && NFailed && NFailed + NSkipped == Results.size()) {
    std::cerr << "krefcheck: error: no file could be analysed\n";
    return 2;  // nothing was checked: not a clean result
  }
  if (!O.Merge && Cmds.empty() && !InputErrors.empty()) return 2;
  // A file that failed was not checked: without findings that is not a clean result either.
  if (!NFindings && (NFailed || !InputErrors.empty())) {
    std::cerr << "krefcheck: error: " << NFailed + InputErrors.size() << " input"
              << (NFailed + InputErrors.size() == 1 ? "" : "s")
              << " could not be analysed (see above): the result is incomplete\n";
    return 2;
  }
  return NFindings ? 1 : 0;
}

}  // namespace krefcheck
