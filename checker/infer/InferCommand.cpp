#include "infer/InferCommand.h"

#include "compdb/CompileDb.h"
#include "infer/Infer.h"
#include "rules/Rules.h"
#include "summaries/WholeProgram.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace krefcheck {

namespace {

const char *InferUsage =
    "usage: krefcheck rules infer -p <build-dir|compile_commands.json> [-o FILE] [options]\n"
    "\n"
    "Proposes rules from the tree itself: whole-program summaries of exported functions\n"
    "(EXPORT_SYMBOL*) that return a reference or release an argument, and kernel-doc comments\n"
    "that say so. Writes the rules that are not in the loaded rule files as a --rules file\n"
    "(each with its evidence) and reports how many are new and how many agree with rules/.\n"
    "\n"
    "options:\n"
    "  -p PATH            compile database\n"
    "  -o FILE            write the new rules there (default: stdout)\n"
    "  --all              also non-exported (non-static) functions\n"
    "  --summaries PATH   reuse / keep the whole-program summaries (docs/summaries.md)\n"
    "  --rules FILE       add a rules file (repeatable)\n"
    "  --rules-dir DIR    the base rules directory (default: rules/ next to the binary)\n"
    "  -j N               files in parallel (default: all cores)\n"
    "  --quiet            no report on stderr\n";

std::string slurp(const std::string &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

}  // namespace

int runRulesInfer(int argc, char **argv, int First) {
  std::string DbPath, OutPath, RulesDir;
  std::vector<std::string> ExtraRules;
  bool All = false, Quiet = false;
  RunOptions Run;
  Run.Jobs = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  WholeProgramOptions WPOpts;
  for (int I = First; I < argc; ++I) {
    std::string A = argv[I];
    auto Need = [&](const char *Opt) -> std::string {
      if (I + 1 >= argc) {
        std::cerr << "krefcheck rules infer: option " << Opt << " needs a value\n" << InferUsage;
        std::exit(2);
      }
      return argv[++I];
    };
    if (A == "-h" || A == "--help") {
      std::cout << InferUsage;
      return 0;
    } else if (A == "-p") {
      DbPath = Need("-p");
    } else if (A == "-o") {
      OutPath = Need("-o");
    } else if (A == "--all") {
      All = true;
    } else if (A == "--summaries") {
      WPOpts.StorePath = Need("--summaries");
    } else if (A == "--rules") {
      ExtraRules.push_back(Need("--rules"));
    } else if (A == "--rules-dir") {
      RulesDir = Need("--rules-dir");
    } else if (A.rfind("-j", 0) == 0) {
      try {
        Run.Jobs = std::max(1UL, std::stoul(A == "-j" ? Need("-j") : A.substr(2)));
      } catch (...) {
        std::cerr << "krefcheck rules infer: -j needs a number\n";
        return 2;
      }
    } else if (A == "--quiet" || A == "-q") {
      Quiet = true;
    } else {
      std::cerr << "krefcheck rules infer: unknown argument '" << A << "'\n" << InferUsage;
      return 2;
    }
  }
  if (DbPath.empty()) {
    std::cerr << "krefcheck rules infer: -p is required\n" << InferUsage;
    return 2;
  }
  RuleSet Rules;
  std::string Error;
  if (RulesDir.empty()) RulesDir = defaultRulesDir(argv[0]);
  if (!loadRules(Rules, RulesDir, ExtraRules, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  CompileDb Db;
  if (!loadCompileDb(DbPath, Db, Error)) {
    std::cerr << "krefcheck: error: " << Error << "\n";
    return 2;
  }
  for (const std::string &E : Db.Errors) std::cerr << "krefcheck: error: " << E << "\n";

  Run.Progress = !Quiet && isatty(2);
  WPOpts.Quiet = Quiet;
  WPOpts.Analyse = false;
  describeDatabase(Db, WPOpts);
  WholeProgram WP = buildWholeProgram(Db.Commands, Rules, Run, WPOpts);
  if (!WP.StoreError.empty()) {
    std::cerr << "krefcheck: error: " << WP.StoreError << "\n";
    return 2;
  }
  for (const std::string &W : WP.Warnings) std::cerr << "krefcheck: warning: " << W << "\n";
  size_t Failed = 0;
  for (auto &[File, S] : WP.Records)
    if (!S.Ok) {
      ++Failed;
      std::cerr << "krefcheck: error: " << File << ": " << S.Error << "\n";
    }

  // Which names may become rules: exported ones (or every non-static one with --all).
  std::set<std::string> Eligible;
  for (auto &[File, S] : WP.Records) {
    Eligible.insert(S.ExportSymbols.begin(), S.ExportSymbols.end());
    if (All) Eligible.insert(S.Defines.begin(), S.Defines.end());
  }
  std::vector<FunctionRule> Summaries;
  for (auto &[File, S] : WP.Records)
    for (const FunctionRule &R : S.Functions)
      if (Eligible.count(R.Name)) Summaries.push_back(R);
  std::vector<DocClaim> Claims;
  std::set<std::string> Seen;
  for (const CompileCommand &C : Db.Commands) {
    if (!Seen.insert(C.File).second) continue;
    for (DocClaim &D : scanKernelDoc(slurp(C.File), C.File, Rules))
      if (Eligible.count(D.Function)) Claims.push_back(std::move(D));
  }
  std::vector<InferredRule> Inferred = combineInferred(Summaries, Claims, Rules);

  nlohmann::json Fns = nlohmann::json::array();
  size_t NSummary = 0, NDoc = 0, NBoth = 0, NShipped = 0, NAgree = 0;
  std::vector<const InferredRule *> Differ;
  for (const InferredRule &I : Inferred) {
    NSummary += I.FromSummary && !I.FromDoc;
    NDoc += I.FromDoc && !I.FromSummary;
    NBoth += I.FromSummary && I.FromDoc;
    if (I.Shipped) {
      ++NShipped;
      if (I.AgreesWithShipped) ++NAgree;
      else Differ.push_back(&I);
      continue;
    }
    Fns.push_back(functionRuleToJson(I.Rule));
  }
  nlohmann::json Doc{
      {"description", "Rules inferred by `krefcheck rules infer` from " + Db.Path +
                          " (whole-program summaries of exported functions and kernel-doc). "
                          "Review each entry's evidence before use."},
      {"functions", Fns}};
  std::string Text = Doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  // The output must be a valid --rules file next to the rules it was inferred against.
  {
    RuleSet Check = Rules;
    if (!Check.loadString(Text, OutPath.empty() ? "<stdout>" : OutPath, Error) ||
        !Check.finalize(Error)) {
      std::cerr << "krefcheck: internal error: the inferred rules do not load: " << Error << "\n";
      return 2;
    }
  }
  if (OutPath.empty()) {
    errno = 0;
    if (!(std::cout << Text) || !std::cout.flush()) {
      std::cerr << "krefcheck: error: <stdout>: cannot write: "
                << (errno ? std::strerror(errno) : "write failed") << "\n";
      return 2;
    }
  } else {
    errno = 0;
    std::ofstream Out(OutPath);
    if (!(Out << Text) || !Out.flush()) {
      std::cerr << "krefcheck: error: " << OutPath
                << ": cannot write: " << (errno ? std::strerror(errno) : "write failed") << "\n";
      return 2;
    }
  }
  if (!Quiet) {
    std::cerr << "krefcheck rules infer: " << Db.Commands.size() << " files, " << Eligible.size()
              << (All ? " non-static" : " exported") << " functions; " << Inferred.size()
              << " rules inferred (" << NSummary << " from the body only, " << NDoc
              << " from kernel-doc only, " << NBoth << " from both)\n"
              << "  already in the rule files: " << NShipped << " (" << NAgree << " agree, "
              << Differ.size() << " differ)\n"
              << "  new: " << Fns.size() << (OutPath.empty() ? "" : ", written to " + OutPath)
              << "\n";
    for (const InferredRule *I : Differ) {
      std::cerr << "  differs: " << I->Rule.Name << ": " << I->Disagreement << "\n";
      for (const std::string &E : I->Rule.Evidence) std::cerr << "    evidence: " << E << "\n";
    }
    if (Failed) std::cerr << "  " << Failed << " files could not be summarised (see above)\n";
  }
  return 0;
}

}  // namespace krefcheck
