// krefcheck: finds reference-count bugs (of_node_get/put, get/put_device, fwnode_handle_get/put
// and any pair declared in rules/*.json) in C sources described by a compile database.
#include "compdb/CompileDb.h"
#include "driver/Cli.h"
#include "driver/Patch.h"
#include "driver/Runner.h"
#include "report/SarifReport.h"
#include "report/TextReporter.h"
#include "rules/Rules.h"
#include "infer/InferCommand.h"
#include "summaries/WholeProgram.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

using namespace krefcheck;
namespace fs = std::filesystem;

static const char *Usage =
    "usage: krefcheck -p <build-dir|compile_commands.json> [options] [FILE...]\n"
    "       krefcheck [options] FILE... -- <compiler arguments>\n"
    "       krefcheck --kbuild <compiler arguments> FILE.c   (make C=1 CHECK=\"krefcheck --kbuild\")\n"
    "       krefcheck merge [options] SHARD.json...\n"
    "       krefcheck rules infer -p <build-dir> [-o inferred.json]   (see --help there)\n"
    "\n"
    "Finds reference-count bugs (leaks, double puts, puts of unowned references, uses after\n"
    "put) on struct device_node, struct device and struct fwnode_handle, and on any get/put\n"
    "pair declared in a rules file. With no FILE every database entry is analysed.\n"
    "\n"
    "options:\n"
    "  -p PATH             compile database (a compile_commands.json or its directory)\n"
    "  --rules FILE        add a rules file (repeatable); see docs/rules-format.md\n"
    "  --rules-dir DIR     the base rules directory (default: rules/ next to the binary)\n"
    "  -j N                analyse N files in parallel (default: all cores)\n"
    "  --tu-timeout SEC    give up on one file after SEC seconds (default 300)\n"
    "  --format text|json|sarif\n"
    "                      output format (default text); json keeps every file's result\n"
    "                      (findings, failures) and is what `krefcheck merge` reads;\n"
    "                      sarif is SARIF 2.1.0 (GitHub code scanning, SARIF viewers)\n"
    "  --shard I/N         analyse only the I-th of N deterministic parts of the database\n"
    "  -o FILE             write the findings to FILE instead of stdout\n"
    "  --quiet             no progress line, no summary line\n"
    "  --no-isolation      analyse in this process (no worker processes)\n"
    "  --no-skip           analyse every function body (default: only those that can matter)\n"
    "  --no-prefilter      parse every file (default: skip files that name no tracked API)\n"
    "  --dump-summaries    print the per-function summaries computed for each file\n"
    "  --summaries PATH    keep the whole-program summaries in PATH (a .jsonl file, or a\n"
    "                      directory for PATH/summaries.jsonl): a rerun re-summarises only the\n"
    "                      files that changed; in patch mode the stored summaries of the whole\n"
    "                      tree are used (docs/summaries.md)\n"
    "  --no-cross-tu       no whole-program summaries (each file with its own summaries only)\n"
    "  --srcroot DIR       SARIF paths and --fix-patch paths are relative to DIR\n"
    "                      (default: the current directory)\n"
    "  --doc-base-uri URI  where the docs live, for SARIF helpUri/informationUri\n"
    "                      (default: file:// URI of the krefcheck source tree)\n"
    "  --baseline FILE     compare with an earlier SARIF output: new/unchanged/updated/absent\n"
    "  --only-new          report only findings not in the baseline (exit status counts them)\n"
    "  --suppressions FILE accepted findings (JSON list, each with a justification)\n"
    "  --fix-patch FILE    write the unambiguous fixes (a missing put) as a unified diff\n"
    "  --diff PATCH|-      patch mode: analyse only the files the patch touches and report only\n"
    "                      findings whose path passes through a changed or deleted line (git\n"
    "                      diff, format-patch)\n"
    "  --diff-base REV     with --diff: also analyse the pre-image (git show REV:file) and drop\n"
    "                      findings it already had\n"
    "  --diff-root DIR     the directory the patch's paths are relative to (default: the current\n"
    "                      directory if the patch's files are there, else the git top level)\n"
    "  --version           print the version\n"
    "\n"
    "exit status: 0 no findings, 1 findings, 2 usage or fatal error\n";

/// FNV-1a of the file name: a file's shard does not depend on the database's order.
static unsigned shardOf(const std::string &File, unsigned N) {
  uint64_t H = 1469598103934665603ull;
  for (unsigned char C : File) H = (H ^ C) * 1099511628211ull;
  return static_cast<unsigned>(H % N);
}

/// CROSS_COMPILE / ARCH as exported by Kbuild -> a target triple, for GCC flags that carry none.
static std::string kbuildTarget() {
  if (const char *CC = getenv("CROSS_COMPILE")) {
    std::string T = fs::path(CC).filename().string();
    while (!T.empty() && T.back() == '-') T.pop_back();
    if (!T.empty()) return T;
  }
  std::string Arch = getenv("SRCARCH") ? getenv("SRCARCH") : (getenv("ARCH") ? getenv("ARCH") : "");
  static const std::map<std::string, std::string> Triples = {
      {"arm64", "aarch64-linux-gnu"},     {"arm", "arm-linux-gnueabi"},
      {"powerpc", "powerpc64le-linux-gnu"}, {"x86", "x86_64-linux-gnu"},
      {"x86_64", "x86_64-linux-gnu"},     {"riscv", "riscv64-linux-gnu"},
      {"s390", "s390x-linux-gnu"},        {"loongarch", "loongarch64-linux-gnu"},
      {"mips", "mips-linux-gnu"}};
  auto It = Triples.find(Arch);
  return It == Triples.end() ? std::string() : It->second;
}

/// `git rev-parse --show-toplevel` of Dir ("" outside a work tree).
static std::string gitTopLevel(const std::string &Dir) {
  std::string Cmd = "git -C '" + Dir + "' rev-parse --show-toplevel 2>/dev/null";
  FILE *P = popen(Cmd.c_str(), "r");
  if (!P) return {};
  char Buf[4096];
  std::string Out;
  while (fgets(Buf, sizeof Buf, P)) Out += Buf;
  pclose(P);
  while (!Out.empty() && (Out.back() == '\n' || Out.back() == '\r')) Out.pop_back();
  return Out;
}

/// The content of Path at revision Rev (`git show Rev:Path`).
static bool gitShow(const std::string &Root, const std::string &Rev, const std::string &Path,
                    std::string &Out) {
  for (const std::string &S : {Root, Rev, Path})
    if (S.find('\'') != std::string::npos) return false;
  // "./": relative to Root, which need not be the top of the git work tree.
  std::string Cmd = "git -C '" + Root + "' show '" + Rev + ":./" + Path + "' 2>/dev/null";
  FILE *P = popen(Cmd.c_str(), "r");
  if (!P) return false;
  char Buf[65536];
  size_t N;
  while ((N = fread(Buf, 1, sizeof Buf, P)) > 0) Out.append(Buf, N);
  return pclose(P) == 0;
}

static bool matchesFilter(const CompileCommand &C, const std::vector<std::string> &Files) {
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

static int krefcheckMain(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  setCrashBanner();
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();

  std::string DbPath, RulesDir, Format = "text", OutPath;
  std::vector<std::string> ExtraRules, Files, FixedArgs;
  RunOptions Opts;
  WholeProgramOptions WPOpts;
  bool CrossTU = true;
  Opts.Jobs = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  bool Quiet = false, HaveFixed = false, Kbuild = false, Merge = false;
  unsigned ShardIndex = 0, ShardCount = 0;
  std::vector<std::string> KbuildArgs;
  ReportConfig Report;
  std::string SrcRootArg = ".";
  std::string DiffPath, DiffBase, DiffRoot;
  Report.DocBaseUri = fileUri(KREFCHECK_SOURCE_DIR, /*Directory=*/true);
  Report.Argv.assign(argv, argv + argc);
  std::string Error;

  auto Need = [&](int &I, const char *Opt) -> std::string {
    if (I + 1 >= argc) {
      std::cerr << "krefcheck: option " << Opt << " needs a value\n" << Usage;
      std::exit(2);
    }
    return argv[++I];
  };
  int First = 1;
  if (argc > 2 && std::string(argv[1]) == "rules" && std::string(argv[2]) == "infer")
    return runRulesInfer(argc, argv, 3);
  if (argc > 1 && std::string(argv[1]) == "merge") {
    Merge = true;
    First = 2;
  }
  for (int I = First; I < argc; ++I) {
    std::string A = argv[I];
    if (A == "--kbuild") {
      // Called by Kbuild as $(CHECK) $(CHECKFLAGS) $(c_flags) file.c: the rest is the
      // compiler's command line.
      Kbuild = true;
      KbuildArgs.assign(argv + I + 1, argv + argc);
      break;
    }
    if (A == "--") {
      HaveFixed = true;
      FixedArgs.assign(argv + I + 1, argv + argc);
      break;
    }
    if (A == "-h" || A == "--help") {
      std::cout << Usage;
      return 0;
    } else if (A == "--version") {
      std::cout << "krefcheck " KREFCHECK_VERSION "\n";
      return 0;
    } else if (A == "-p") {
      DbPath = Need(I, "-p");
    } else if (A.rfind("-p", 0) == 0 && A.size() > 2 && A[2] != '-') {
      DbPath = A.substr(2);
    } else if (A == "--rules") {
      ExtraRules.push_back(Need(I, "--rules"));
    } else if (A == "--rules-dir") {
      RulesDir = Need(I, "--rules-dir");
    } else if (A == "-j" || A.rfind("-j", 0) == 0) {
      std::string V = A == "-j" ? Need(I, "-j") : A.substr(2);
      if (!parseJobs(V, Opts.Jobs, Error)) {
        std::cerr << "krefcheck: error: " << Error << "\n";
        return 2;
      }
    } else if (A == "--tu-timeout") {
      if (!parseTimeout(Need(I, "--tu-timeout"), Opts.TUTimeoutSeconds, Error)) {
        std::cerr << "krefcheck: error: " << Error << "\n";
        return 2;
      }
    } else if (A == "--format") {
      Format = Need(I, "--format");
      if (Format != "text" && Format != "json" && Format != "sarif") {
        std::cerr << "krefcheck: --format must be text, json or sarif, got '" << Format << "'\n";
        return 2;
      }
    } else if (A == "-o") {
      OutPath = Need(I, "-o");
    } else if (A == "--quiet" || A == "-q") {
      Quiet = true;
    } else if (A == "--no-isolation") {
      Opts.Isolate = false;
    } else if (A == "--no-prefilter") {
      Opts.Prefilter = false;
    } else if (A == "--shard") {
      if (!parseShard(Need(I, "--shard"), ShardIndex, ShardCount, Error)) {
        std::cerr << "krefcheck: error: " << Error << "\n";
        return 2;
      }
    } else if (A == "--no-skip") {
      Opts.TU.StripIrrelevantBodies = false;
    } else if (A == "--dump-summaries") {
      Opts.TU.DumpSummaries = true;
    } else if (A == "--summaries") {
      WPOpts.StorePath = Need(I, "--summaries");
      if (WPOpts.StorePath.empty()) {
        std::cerr << "krefcheck: error: --summaries needs a path, got ''\n";
        return 2;
      }
    } else if (A == "--no-cross-tu") {
      CrossTU = false;
    } else if (A == "--diff") {
      DiffPath = Need(I, "--diff");
    } else if (A == "--diff-base") {
      DiffBase = Need(I, "--diff-base");
    } else if (A == "--diff-root") {
      DiffRoot = Need(I, "--diff-root");
    } else if (A == "--srcroot") {
      SrcRootArg = Need(I, "--srcroot");
    } else if (A == "--doc-base-uri") {
      Report.DocBaseUri = Need(I, "--doc-base-uri");
      if (Report.DocBaseUri.empty() || Report.DocBaseUri.back() != '/') Report.DocBaseUri += '/';
    } else if (A == "--baseline") {
      Report.BaselinePath = Need(I, "--baseline");
    } else if (A == "--only-new") {
      Report.OnlyNew = true;
    } else if (A == "--suppressions") {
      Report.SuppressionsPath = Need(I, "--suppressions");
    } else if (A == "--fix-patch") {
      Report.FixPatchPath = Need(I, "--fix-patch");
    } else if (!A.empty() && A[0] == '-') {
      std::cerr << "krefcheck: unknown option '" << A << "'\n" << Usage;
      return 2;
    } else {
      Files.push_back(A);
    }
  }

  RuleSet Rules;
  if (RulesDir.empty()) RulesDir = defaultRulesDir(argv[0]);
  if (!loadRules(Rules, RulesDir, ExtraRules, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  if (Report.OnlyNew && Report.BaselinePath.empty()) {
    std::cerr << "krefcheck: --only-new needs --baseline FILE\n";
    return 2;
  }
  {
    std::error_code EC;
    Report.WorkingDirectory = fs::current_path(EC).string();
    fs::path Root = fs::absolute(SrcRootArg, EC).lexically_normal();
    if (!fs::is_directory(Root, EC)) {
      std::cerr << "krefcheck: error: --srcroot " << SrcRootArg << ": not a directory\n";
      return 2;
    }
    Report.SrcRoot = Root.string();
    while (Report.SrcRoot.size() > 1 && Report.SrcRoot.back() == '/') Report.SrcRoot.pop_back();
  }
  Report.WantFixes = Format == "sarif";
  ReportPipeline Pipeline(Report);
  if (!Pipeline.load(Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  OutputSink Out;  // -o FILE or stdout, checked before the analysis
  if (!Out.open(OutPath, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }

  std::vector<CompileCommand> Cmds;
  std::vector<std::string> InputErrors;
  // --shard: every file of the database (the shard's and the others'). Phase 1 summarises them
  // all, so a shard's findings through another shard's files are those of a single run.
  std::vector<CompileCommand> ShardPeers;
  std::vector<TUResult> Merged;
  if (Merge) {
    // Shard outputs (--format json) back into one result, in file order.
    if (Files.empty()) {
      std::cerr << "krefcheck: merge needs the shard files (written with --format json)\n";
      return 2;
    }
    for (const std::string &F : Files) {
      std::string Text;
      if (!readInputFile(F, Text, Error)) {
        std::cerr << "krefcheck: error: " << F << ": cannot read shard: " << Error << "\n";
        return 2;
      }
      nlohmann::json J;
      try {
        if (Text.find('\0') != std::string::npos) throw std::runtime_error("contains a NUL byte");
        J = nlohmann::json::parse(Text);
        for (const nlohmann::json &R : J.at("files")) Merged.push_back(resultFromJson(R));
      } catch (const std::exception &E) {
        std::string Msg = E.what();
        for (char &C : Msg)
          if (C == '\n') C = ' ';
        std::cerr << "krefcheck: error: " << F << ": not a krefcheck --format json file: " << Msg
                  << "\n";
        return 2;
      }
    }
    std::stable_sort(Merged.begin(), Merged.end(),
                     [](const TUResult &A, const TUResult &B) { return A.File < B.File; });
  } else if (Kbuild) {
    std::string Src;
    for (const std::string &A : KbuildArgs)
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
    for (const std::string &A : KbuildArgs)
      if (A.rfind("--target=", 0) == 0) HaveTarget = true;
    std::string T = kbuildTarget();
    if (!HaveTarget && !T.empty()) C.Arguments.push_back("--target=" + T);
    C.Arguments.insert(C.Arguments.end(), KbuildArgs.begin(), KbuildArgs.end());
    Cmds.push_back(C);
    Opts.Jobs = 1;
    Quiet = true;
  } else if (HaveFixed) {
    if (Files.empty()) {
      std::cerr << "krefcheck: give the files to analyse before '--'\n" << Usage;
      return 2;
    }
    std::error_code EC;
    for (const std::string &F : Files) {
      CompileCommand C;
      C.Directory = fs::current_path(EC).string();
      C.File = fs::absolute(F, EC).lexically_normal().string();
      C.DisplayFile = F;
      C.Arguments.push_back("clang");
      C.Arguments.insert(C.Arguments.end(), FixedArgs.begin(), FixedArgs.end());
      C.Arguments.push_back(C.File);
      Cmds.push_back(C);
    }
  } else {
    if (DbPath.empty()) {
      std::cerr << "krefcheck: no compile database: use -p <build-dir>, or FILE... -- <flags>\n"
                << Usage;
      return 2;
    }
    CompileDb Db;
    if (!loadCompileDb(DbPath, Db, Error)) {
      std::cerr << "krefcheck: error: " << Error << "\n";
      return 2;
    }
    InputErrors = Db.Errors;
    describeDatabase(Db, WPOpts);  // what a --summaries store records and checks
    std::set<std::string> Seen;
    for (CompileCommand &C : Db.Commands)
      if (matchesFilter(C, Files) && Seen.insert(C.File).second) {
        if (ShardCount) ShardPeers.push_back(C);
        if (!ShardCount || shardOf(C.File, ShardCount) == ShardIndex - 1) Cmds.push_back(C);
      }
    for (const std::string &F : Files) {
      bool Found = false;
      for (const CompileCommand &C : Cmds)
        if (matchesFilter(C, {F})) Found = true;
      if (!Found) InputErrors.push_back(F + ": not in the compile database " + Db.Path);
    }
  }
  for (const std::string &E : InputErrors) std::cerr << "krefcheck: error: " << E << "\n";

  // Patch mode: only the TUs the patch touches, only the findings it introduces.
  std::vector<FileChange> Changes;
  std::map<std::string, const FileChange *> Changed;
  if (!DiffBase.empty() && DiffPath.empty()) {
    std::cerr << "krefcheck: --diff-base needs --diff\n";
    return 2;
  }
  if (!DiffPath.empty()) {
    std::string Text;
    if (!readInputFile(DiffPath == "-" ? "/dev/stdin" : DiffPath, Text, Error)) {
      std::cerr << "krefcheck: error: " << (DiffPath == "-" ? "<stdin>" : DiffPath)
                << ": cannot read the patch: " << Error << "\n";
      return 2;
    }
    if (!parseUnifiedDiff(Text, DiffPath == "-" ? "<stdin>" : DiffPath, Changes, Error)) {
      std::cerr << "krefcheck: error: " << Error << "\n";
      return 2;
    }
    std::error_code EC;
    std::string Cwd = fs::current_path(EC).string(), Top = gitTopLevel(".");
    std::string Given = DiffRoot.empty() ? "" : fs::absolute(DiffRoot, EC).lexically_normal().string();
    DiffRoot = findPatchRoot(Changes, Given.empty() ? std::vector<std::string>{Cwd, Top}
                                                    : std::vector<std::string>{Given}, Error);
    if (DiffRoot.empty()) {
      std::cerr << "krefcheck: error: " << (DiffPath == "-" ? "<stdin>" : DiffPath) << ": "
                << Error << "\n";
      return 2;
    }
    if (!Quiet)
      std::cerr << "krefcheck: the patch's paths are relative to " << DiffRoot << " ("
                << (!Given.empty() ? "--diff-root" : DiffRoot == Cwd ? "the current directory"
                                                                     : "the git top level")
                << ")\n";
    Changed = changedFiles(Changes, DiffRoot);
    std::vector<CompileCommand> Touched;
    for (const CompileCommand &C : Cmds)
      for (auto &[File, Change] : Changed)
        if (tuDependsOn(C, File)) {
          Touched.push_back(C);
          break;
        }
    Cmds.swap(Touched);
    if (!Quiet)
      std::cerr << "krefcheck: the patch changes " << Changed.size() << " file"
                << (Changed.size() == 1 ? "" : "s") << "; " << Cmds.size() << " of them or their "
                << "includers are in the compile database\n";
  }

  Opts.Progress = !Quiet && isatty(2);
  // Phase 1: whole-program summaries of every TU of the run (and of the rest of the tree from
  // --summaries); phase 2 checks with the rules plus those summaries.
  RuleSet Effective = Rules;
  std::set<std::string> Irrelevant;
  std::map<std::string, TUResult> FinalResults;  // phase-1 analyses still valid
  const std::vector<CompileCommand> &Phase1 = ShardCount ? ShardPeers : Cmds;
  if (!Merge && !Kbuild && CrossTU && (Phase1.size() > 1 || !WPOpts.StorePath.empty())) {
    WPOpts.Quiet = Quiet;
    if (ShardCount)
      for (const CompileCommand &C : Cmds) WPOpts.CheckOnly.insert(C.File);
    WholeProgram WP = buildWholeProgram(Phase1, Rules, Opts, WPOpts);
    if (!WP.StoreError.empty()) {  // a --summaries store this run must not use nor overwrite
      std::cerr << "krefcheck: error: " << WP.StoreError << "\n";
      return 2;
    }
    for (const std::string &W : WP.Warnings) std::cerr << "krefcheck: warning: " << W << "\n";
    Effective = withImports(Rules, WP);
    Irrelevant = WP.Irrelevant;
    FinalResults = std::move(WP.Final);
    if (!Quiet)
      std::cerr << "krefcheck: whole-program summaries: " << WP.Imported.size()
                << " functions; " << WP.Parsed << " files summarised, " << WP.Reused
                << " reused" << (WPOpts.StorePath.empty() ? "" : " from " + WPOpts.StorePath)
                << ", " << WP.Rounds << " round" << (WP.Rounds == 1 ? "" : "s") << "; "
                << FinalResults.size() << " files analysed in the same parse\n";
  }
  std::vector<TUResult> Results;
  if (Merge) {
    Results = Merged;
  } else {
    std::vector<CompileCommand> Work;
    for (const CompileCommand &C : Cmds)
      if (!Irrelevant.count(C.File) && !FinalResults.count(C.File)) Work.push_back(C);
    std::vector<TUResult> Done = runAll(Work, Effective, Opts);
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
  }

  if (!DiffPath.empty()) {
    // What the pre-image already had is not introduced by the patch.
    std::set<std::string> Before;
    if (!DiffBase.empty()) {
      RunOptions Pre = Opts;
      Pre.Progress = false;
      for (const FileChange &C : Changes) {
        if (C.OldPath.empty() || C.NewPath.empty()) continue;
        std::string Old;
        if (!gitShow(DiffRoot, DiffBase, C.OldPath, Old)) {
          std::cerr << "krefcheck: error: git show " << DiffBase << ":" << C.OldPath
                    << " failed in " << DiffRoot << "\n";
          return 2;
        }
        Pre.TU.Overrides[(fs::path(DiffRoot) / C.NewPath).lexically_normal().string()] = Old;
      }
      // Only files with findings to compare: a file that failed is not run again.
      std::vector<CompileCommand> PreCmds;
      for (size_t I = 0; I < Cmds.size() && I < Results.size(); ++I)
        if (Results[I].Ok && !Results[I].Findings.empty()) PreCmds.push_back(Cmds[I]);
      for (const TUResult &R : runAll(PreCmds, Effective, Pre))
        for (const Finding &F : R.Findings) Before.insert(fingerprintOf(F, Report.SrcRoot));
    }
    for (TUResult &R : Results) {
      std::vector<Finding> Kept;
      for (Finding &F : R.Findings)
        if (touchesChange(F, Changed) && !Before.count(fingerprintOf(F, Report.SrcRoot)))
          Kept.push_back(std::move(F));
      R.Findings.swap(Kept);
    }
  }

  std::ostringstream Text;
  std::ostream *OS = &Text;
  size_t NFindings = 0, NFailed = 0, NSkipped = 0;
  nlohmann::json J = nlohmann::json::array();
  for (const TUResult &R : Results) {
    if (R.Skipped) ++NSkipped;
    if (Format == "json") J.push_back(resultToJson(R));
    if (!R.Ok) {
      ++NFailed;
      std::cerr << "krefcheck: error: " << displayPath(R.File) << ": " << R.Error << "\n";
    }
    for (const std::string &L : R.SummaryLines)
      std::cerr << "krefcheck: summary: " << displayPath(R.File) << ": " << L << "\n";
  }
  // What is reported: suppressed findings and, with --only-new, those already in the
  // baseline are not printed and do not count for the exit status.
  Pipeline.build(Results, InputErrors, Rules);
  NFindings = Pipeline.reportedCount();
  if (Format == "text")
    for (const ReportedResult &R : Pipeline.results())
      if (!R.suppressed()) printFinding(*OS, R.F);
  if (Format == "sarif") {
    std::vector<std::string> Cut;  // stderr says what the log says it left out
    *OS << Pipeline.sarif(&Cut);
    for (const std::string &C : Cut) std::cerr << "krefcheck: warning: SARIF log: " << C << "\n";
  }
  if (Format == "json")
    *OS << nlohmann::json{{"tool", "krefcheck"}, {"version", KREFCHECK_VERSION}, {"files", J}}
               .dump(1, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  bool WriteFailed = !Out.write(Text.str(), Error);  // a full disk, a closed pipe
  if (WriteFailed) std::cerr << "krefcheck: error: " << Error << "\n";
  {
    size_t Fixes = 0;
    std::vector<std::string> Skipped;
    bool PatchOk = Pipeline.writeFixPatch(Fixes, Skipped, Error);
    if (!PatchOk) {
      std::cerr << "krefcheck: error: " << Error << "\n";
      WriteFailed = true;
    }
    std::set<std::string> SkippedFiles(Skipped.begin(), Skipped.end());
    for (const std::string &F : SkippedFiles)
      std::cerr << "krefcheck: warning: " << displayPath(F)
                << ": fix left out of the patch (outside --srcroot, unreadable or overlapping "
                   "another fix)\n";
    if (!Report.FixPatchPath.empty() && !Quiet && PatchOk)
      std::cerr << "krefcheck: " << Fixes << " fix" << (Fixes == 1 ? "" : "es") << " written to "
                << Report.FixPatchPath << "\n";
  }
  if (size_t N = Pipeline.suppressedCount())
    std::cerr << "krefcheck: " << N << " finding" << (N == 1 ? "" : "s") << " suppressed by "
              << Report.SuppressionsPath << "\n";
  if (Pipeline.hasBaseline() && !Quiet)
    std::cerr << "krefcheck: baseline " << Report.BaselinePath << ": "
              << Pipeline.count(BaselineState::New) << " new, "
              << Pipeline.count(BaselineState::Unchanged) << " unchanged, "
              << Pipeline.count(BaselineState::Updated) << " updated, " << Pipeline.absentCount()
              << " absent" << (Report.OnlyNew ? " (only new ones reported)" : "") << "\n";
  if (!Quiet) {
    size_t Analysed = Results.size() - NFailed - NSkipped;
    std::cerr << "krefcheck: " << Results.size() << " files: " << Analysed << " analysed, "
              << NSkipped << " skipped (nothing to analyse), " << NFailed << " failed; " << NFindings
              << " finding" << (NFindings == 1 ? "" : "s") << "\n";
  }
  if (WriteFailed) return 2;
  if (Kbuild) return 0;  // like sparse: report, never fail the build
  if (!Merge && NFailed && NFailed + NSkipped == Results.size()) {
    std::cerr << "krefcheck: error: no file could be analysed\n";
    return 2;  // nothing was checked: not a clean result
  }
  if (!Merge && Cmds.empty() && !InputErrors.empty()) return 2;
  // A file that failed was not checked: without findings that is not a clean result either.
  if (!NFindings && (NFailed || !InputErrors.empty())) {
    std::cerr << "krefcheck: error: " << NFailed + InputErrors.size()
              << " input" << (NFailed + InputErrors.size() == 1 ? "" : "s")
              << " could not be analysed (see above): the result is incomplete\n";
    return 2;
  }
  return NFindings ? 1 : 0;
}

int main(int argc, char **argv) {
  // Every bad input has its own error line; this only keeps a missed exception from ending in
  // std::terminate and a crash banner.
  try {
    return krefcheckMain(argc, argv);
  } catch (const std::exception &E) {
    std::cerr << "krefcheck: error: internal error: " << E.what() << "\n";
    return 2;
  }
}
