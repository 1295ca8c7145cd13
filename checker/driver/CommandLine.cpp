#include "driver/CommandLine.h"

#include "driver/Cli.h"
#include "driver/Layout.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <unistd.h>

namespace krefcheck {

const char *const Usage =
    "usage: krefcheck -p <build-dir|compile_commands.json> [options] [FILE...]\n"
    "       krefcheck [options] FILE... -- <compiler arguments>\n"
    "       krefcheck --kbuild <compiler arguments> FILE.c   (make C=1 CHECK=\"krefcheck "
    "--kbuild\")\n"
    "       krefcheck merge [options] SHARD.json...\n"
    "       krefcheck summarize -p <build-dir> --shard I/N -o PART   (staged run: summary stage)\n"
    "       krefcheck summaries merge [-p <build-dir>] -o STORE PART...   (staged run: merge)\n"
    "       krefcheck rules infer -p <build-dir> [-o inferred.json]   (see --help there)\n"
    "\n"
    "Finds reference-count bugs (leaks, double puts, puts of unowned references, uses after\n"
    "put) on struct device_node, struct device and struct fwnode_handle, and on any get/put\n"
    "pair declared in a rules file. With no FILE every database entry is analysed.\n"
    "\n"
    "options:\n"
    "  -p PATH             compile database (a compile_commands.json or its directory)\n"
    "  --rules FILE        add a rules file (repeatable); see docs/rules-format.md\n"
    "  --rules-dir DIR     the base rules directory (default: rules/ next to the binary, else\n"
    "                      <prefix>/share/krefcheck/rules of an installed binary)\n"
    "  -j N                analyse N files in parallel (default: all cores)\n"
    "  --tu-timeout SEC    give up on one file after SEC seconds (default 300)\n"
    "  --format text|json|sarif\n"
    "                      output format (default text); json keeps every file's result\n"
    "                      (findings, failures) and is what `krefcheck merge` reads;\n"
    "                      sarif is SARIF 2.1.0 (GitHub code scanning, SARIF viewers)\n"
    "  --shard I/N         analyse only the I-th of N deterministic parts of the database\n"
    "                      (with --summaries STORE of `summaries merge`: the check stage)\n"
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
    "  --doc-base-uri URI  where the docs live, for SARIF helpUri/informationUri (default:\n"
    "                      file:// URI of <prefix>/share/doc/krefcheck/ for an installed binary,\n"
    "                      of the source tree for a build-tree binary)\n"
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

int parseCommandLine(int argc, char **argv, DriverOptions &O) {
  O.Run.Jobs = static_cast<unsigned>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  O.Report.DocBaseUri = defaultDocBaseUri(argv[0]);
  O.Report.Argv.assign(argv, argv + argc);
  std::string Error;

  auto Need = [&](int &I, const char *Opt) -> std::string {
    if (I + 1 >= argc) {
      std::cerr << "krefcheck: option " << Opt << " needs a value\n" << Usage;
      std::exit(2);
    }
    return argv[++I];
  };
  int First = 1;
  if (argc > 1 && std::string(argv[1]) == "merge") {
    O.Merge = true;
    First = 2;
  } else if (argc > 1 && std::string(argv[1]) == "summarize") {
    O.Summarize = true;
    First = 2;
  } else if (argc > 1 && std::string(argv[1]) == "summaries") {
    if (argc < 3 || std::string(argv[2]) != "merge") {
      std::cerr << "krefcheck: error: `krefcheck summaries` needs a command: merge (got '"
                << (argc < 3 ? "" : argv[2]) << "')\n";
      return 2;
    }
    O.SummariesMerge = true;
    First = 3;
  }
  for (int I = First; I < argc; ++I) {
    std::string A = argv[I];
    if (A == "--kbuild") {
      // Called by Kbuild as $(CHECK) $(CHECKFLAGS) $(c_flags) file.c: the rest is the
      // compiler's command line.
      O.Kbuild = true;
      O.KbuildArgs.assign(argv + I + 1, argv + argc);
      break;
    }
    if (A == "--") {
      O.HaveFixed = true;
      O.FixedArgs.assign(argv + I + 1, argv + argc);
      break;
    }
    if (A == "-h" || A == "--help") {
      std::cout << Usage;
      return 0;
    } else if (A == "--version") {
      std::cout << "krefcheck " KREFCHECK_VERSION "\n";
      return 0;
    } else if (A == "-p") {
      O.DbPath = Need(I, "-p");
    } else if (A.rfind("-p", 0) == 0 && A.size() > 2 && A[2] != '-') {
      O.DbPath = A.substr(2);
    } else if (A == "--rules") {
      O.ExtraRules.push_back(Need(I, "--rules"));
    } else if (A == "--rules-dir") {
      O.RulesDir = Need(I, "--rules-dir");
    } else if (A == "-j" || A.rfind("-j", 0) == 0) {
      std::string V = A == "-j" ? Need(I, "-j") : A.substr(2);
      if (!parseJobs(V, O.Run.Jobs, Error)) {
        std::cerr << "krefcheck: error: " << Error << "\n";
        return 2;
      }
    } else if (A == "--tu-timeout") {
      if (!parseTimeout(Need(I, "--tu-timeout"), O.Run.TUTimeoutSeconds, Error)) {
        std::cerr << "krefcheck: error: " << Error << "\n";
        return 2;
      }
    } else if (A == "--format") {
      O.Format = Need(I, "--format");
      if (O.Format != "text" && O.Format != "json" && O.Format != "sarif") {
        std::cerr << "krefcheck: --format must be text, json or sarif, got '" << O.Format << "'\n";
        return 2;
      }
    } else if (A == "-o") {
      O.OutPath = Need(I, "-o");
    } else if (A == "--quiet" || A == "-q") {
      O.Quiet = true;
    } else if (A == "--no-isolation") {
      O.Run.Isolate = false;
    } else if (A == "--no-prefilter") {
      O.Run.Prefilter = false;
    } else if (A == "--shard") {
      if (!parseShard(Need(I, "--shard"), O.ShardIndex, O.ShardCount, Error)) {
        std::cerr << "krefcheck: error: " << Error << "\n";
        return 2;
      }
    } else if (A == "--no-skip") {
      O.Run.TU.StripIrrelevantBodies = false;
    } else if (A == "--dump-summaries") {
      O.Run.TU.DumpSummaries = true;
    } else if (A == "--summaries") {
      O.WP.StorePath = Need(I, "--summaries");
      if (O.WP.StorePath.empty()) {
        std::cerr << "krefcheck: error: --summaries needs a path, got ''\n";
        return 2;
      }
    } else if (A == "--no-cross-tu") {
      O.CrossTU = false;
    } else if (A == "--diff") {
      O.DiffPath = Need(I, "--diff");
    } else if (A == "--diff-base") {
      O.DiffBase = Need(I, "--diff-base");
    } else if (A == "--diff-root") {
      O.DiffRoot = Need(I, "--diff-root");
    } else if (A == "--srcroot") {
      O.SrcRootArg = Need(I, "--srcroot");
    } else if (A == "--doc-base-uri") {
      O.Report.DocBaseUri = Need(I, "--doc-base-uri");
      if (O.Report.DocBaseUri.empty() || O.Report.DocBaseUri.back() != '/')
        O.Report.DocBaseUri += '/';
    } else if (A == "--baseline") {
      O.Report.BaselinePath = Need(I, "--baseline");
    } else if (A == "--only-new") {
      O.Report.OnlyNew = true;
    } else if (A == "--suppressions") {
      O.Report.SuppressionsPath = Need(I, "--suppressions");
    } else if (A == "--fix-patch") {
      O.Report.FixPatchPath = Need(I, "--fix-patch");
    } else if (!A.empty() && A[0] == '-') {
      std::cerr << "krefcheck: unknown option '" << A << "'\n" << Usage;
      return 2;
    } else {
      O.Files.push_back(A);
    }
  }
  return -1;
}

}  // namespace krefcheck
