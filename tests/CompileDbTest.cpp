// The compile-database layer and the command line, end to end: bad input gets one clear line
// naming it and the run goes on; crashes and hangs in one TU lose nothing else; output does
// not depend on -j.
#include "compdb/CompileDb.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "TestSupport.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>

using namespace krefcheck;
namespace fs = std::filesystem;

namespace {

const std::string Src = KREFCHECK_SOURCE_DIR;
const std::string Bin = KREFCHECK_BINARY;

using Outcome = CliOutcome;

Outcome run(const std::string &Args, const std::string &Env = "") { return runCli(Args, ".", Env); }

/// A database in a temporary directory with entries for the given testdata files.
struct TempDb {
  fs::path Dir;
  explicit TempDb(const std::vector<std::string> &Files, const std::string &Extra = "") {
    Dir = fs::temp_directory_path() /
          ("krefcheck-db-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
    fs::create_directories(Dir);
    std::ofstream Out(Dir / "compile_commands.json");
    Out << "[\n";
    bool First = true;
    for (const std::string &F : Files) {
      Out << (First ? "" : ",\n") << R"({"directory": ")" << Src << R"(/testdata", "file": ")" << F
          << R"(", "command": "gcc -nostdinc -Iinclude -std=gnu11 -D__KERNEL__ -c )" << F
          << R"( -o x.o"})";
      First = false;
    }
    if (!Extra.empty()) Out << (First ? "" : ",\n") << Extra;
    Out << "\n]\n";
  }
  ~TempDb() { fs::remove_all(Dir); }
  std::string path() const { return (Dir / "compile_commands.json").string(); }
};

size_t count(const std::string &S, const std::string &Sub) {
  size_t N = 0;
  for (size_t P = S.find(Sub); P != std::string::npos; P = S.find(Sub, P + 1)) ++N;
  return N;
}

TEST(CommandLine, SplitsShellQuoting) {
  EXPECT_EQ(splitCommandLine(R"(gcc -DFOO="a b" -I'x y' a\ b.c)"),
            (std::vector<std::string>{"gcc", "-DFOO=a b", "-Ix y", "a b.c"}));
  EXPECT_EQ(splitCommandLine(R"(cc -DKBUILD_MODNAME=\"of\" -c x.c)"),
            (std::vector<std::string>{"cc", "-DKBUILD_MODNAME=\"of\"", "-c", "x.c"}));
}

TEST(CompileDb, RelativeDirectoryIsResolvedAgainstTheDatabase) {
  CompileDb Db;
  std::string Err;
  ASSERT_TRUE(loadCompileDb(Src + "/testdata/demo/compile_commands.json", Db, Err)) << Err;
  ASSERT_FALSE(Db.Commands.empty());
  for (const CompileCommand &C : Db.Commands) {
    EXPECT_EQ(C.Directory, Src + "/testdata/demo");
    EXPECT_TRUE(fs::exists(C.File)) << C.File;
  }
}

TEST(CompileDb, AnalysisArgumentsDropOutputsAndWarnings) {
  CompileCommand C;
  C.Arguments = {"gcc", "-Wp,-MMD,x.d", "-Wall", "-c", "-o", "x.o", "-DA=1", "x.c"};
  std::vector<std::string> A = analysisArguments(C);
  EXPECT_EQ(A[0], "clang");
  EXPECT_EQ(std::count(A.begin(), A.end(), "-o"), 0);
  EXPECT_EQ(std::count(A.begin(), A.end(), "x.o"), 0);
  EXPECT_EQ(std::count(A.begin(), A.end(), "-Wall"), 0);
  EXPECT_EQ(std::count(A.begin(), A.end(), "-DA=1"), 1);
  EXPECT_EQ(std::count(A.begin(), A.end(), "-fsyntax-only"), 1);
}

TEST(CompileDb, EntryErrorsAreListedAndTheRestLoads) {
  TempDb Db({"cases/early_return.c"},
            R"({"file": "x.c", "command": "cc x.c"}, 42, {"directory": "/", "file": "y.c"})");
  CompileDb D;
  std::string Err;
  ASSERT_TRUE(loadCompileDb(Db.path(), D, Err)) << Err;
  EXPECT_EQ(D.Commands.size(), 1u);
  ASSERT_EQ(D.Errors.size(), 3u);
  EXPECT_NE(D.Errors[0].find("entry 1: missing \"directory\" or \"file\""), std::string::npos);
  EXPECT_NE(D.Errors[1].find("entry 2: not an object"), std::string::npos);
  EXPECT_NE(D.Errors[2].find("entry 3 (y.c): no \"arguments\" or \"command\""), std::string::npos);
}

TEST(Cli, DemoFindsItsBugsWithPaths) {
  Outcome R = run("-p " + Src + "/testdata/demo -j2 --quiet");
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_GE(count(R.Out, ": warning: "), 3u) << R.Out;
  EXPECT_GE(count(R.Out, ": note: "), 6u) << R.Out;
  EXPECT_NE(R.Out.find("[krefcheck-loop-leak]"), std::string::npos) << R.Out;
  EXPECT_TRUE(R.Err.empty()) << R.Err;
}

TEST(Cli, MissingDatabase) {
  Outcome R = run("-p /nonexistent/build");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Err, "krefcheck: error: /nonexistent/build/compile_commands.json: cannot read "
                   "compile database\n");
}

TEST(Cli, MalformedDatabase) {
  fs::path P = fs::temp_directory_path() / "krefcheck-bad-db.json";
  std::ofstream(P) << "[{\"directory\": \"/\", ";
  Outcome R = run("-p " + P.string());
  fs::remove(P);
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(count(R.Err, "\n"), 1u) << R.Err;
  EXPECT_NE(R.Err.find("krefcheck-bad-db.json: malformed compile database"), std::string::npos);
}

TEST(Cli, BadRulesFileStopsEverything) {
  fs::path P = fs::temp_directory_path() / "krefcheck-bad-rules.json";
  std::ofstream(P) << R"({"functions": [{"name": "f", "family": "nope", "returns": "acquired"}]})";
  Outcome R = run("-p " + Src + "/testdata/demo --rules " + P.string());
  fs::remove(P);
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Out, "");
  EXPECT_EQ(R.Err, "krefcheck: error: " + P.string() +
                       ": functions[0] (f): field 'family': unknown family 'nope'\n");
}

TEST(Cli, UserRulesAddAnApiWithoutRecompiling) {
  std::string Args = Src + "/testdata/custom/acme_ref.c --quiet -- -std=gnu11";
  Outcome Without = run(Args);
  EXPECT_EQ(Without.Exit, 0) << Without.Out << Without.Err;
  Outcome With = run("--rules " + Src + "/testdata/custom/acme_ref.json " + Args);
  EXPECT_EQ(With.Exit, 1) << With.Err;
  EXPECT_EQ(count(With.Out, ": warning: "), 1u) << With.Out;
  EXPECT_NE(With.Out.find("acme_ref.c:15:"), std::string::npos) << With.Out;
  EXPECT_NE(With.Out.find("acme_ref_lookup()"), std::string::npos) << With.Out;
}

TEST(Cli, BadEntriesAreReportedAndTheRestAnalysed) {
  TempDb Db({"cases/early_return.c", "broken/does_not_parse.c", "cases/missing_file.c"});
  Outcome R = run("-p " + Db.path() + " -j2");
  EXPECT_EQ(R.Exit, 1);
  EXPECT_GE(count(R.Out, "[krefcheck-leak]"), 5u);
  EXPECT_NE(R.Err.find("does_not_parse.c: does not parse: "), std::string::npos) << R.Err;
  EXPECT_NE(R.Err.find("missing_file.c: source file not found"), std::string::npos) << R.Err;
  EXPECT_NE(R.Err.find("3 files: 1 analysed, 0 skipped (nothing to analyse), 2 failed"),
            std::string::npos)
      << R.Err;
}

TEST(Cli, CrashingAndHangingFilesLoseNothingElse) {
  TempDb Db({"cases/early_return.c", "cases/iter_break.c", "cases/goto_unwind.c"});
  Outcome Clean = run("-p " + Db.path() + " -j2 --quiet");
  Outcome R =
      run("-p " + Db.path() + " -j2 --tu-timeout 2", "KREFCHECK_FAULT_INJECT=crash:iter_break.c");
  EXPECT_EQ(R.Exit, 1);
  EXPECT_NE(R.Err.find("iter_break.c: crashed inside the analysis (signal 11"), std::string::npos)
      << R.Err;
  EXPECT_EQ(count(R.Out, "iter_break.c:"), 0u);
  EXPECT_GT(count(Clean.Out, "iter_break.c:"), 0u);
  EXPECT_EQ(count(R.Out, "early_return.c:"), count(Clean.Out, "early_return.c:"));
  EXPECT_EQ(count(R.Out, "goto_unwind.c:"), count(Clean.Out, "goto_unwind.c:"));
  Outcome H =
      run("-p " + Db.path() + " -j2 --tu-timeout 2", "KREFCHECK_FAULT_INJECT=hang:goto_unwind");
  EXPECT_NE(H.Err.find("goto_unwind.c: timed out after 2 s"), std::string::npos) << H.Err;
  EXPECT_EQ(count(H.Out, "early_return.c:"), count(Clean.Out, "early_return.c:"));
}

TEST(Cli, OutputDoesNotDependOnJobs) {
  Outcome A = run("-p " + Src + "/testdata/demo -j1 --quiet");
  Outcome B = run("-p " + Src + "/testdata/demo -j3 --quiet");
  Outcome C = run("-p " + Src + "/testdata/demo --no-isolation --quiet");
  EXPECT_EQ(A.Out, B.Out);
  EXPECT_EQ(A.Out, C.Out);
  EXPECT_FALSE(A.Out.empty());
}

TEST(Cli, PrefilterSkipsFilesWithoutTrackedApis) {
  TempDb Db({"cases/early_return.c", "broken/no_api.c"});
  Outcome R = run("-p " + Db.path() + " -j2");
  EXPECT_EQ(R.Exit, 1);
  EXPECT_NE(R.Err.find("2 files: 1 analysed, 1 skipped (nothing to analyse), 0 failed"),
            std::string::npos)
      << R.Err;
  Outcome All = run("-p " + Db.path() + " -j2 --no-prefilter");
  EXPECT_NE(All.Err.find("no_api.c: does not parse"), std::string::npos) << All.Err;
  EXPECT_EQ(All.Out, R.Out);
}

TEST(Cli, ShardsPartitionTheDatabaseAndMergeBack) {
  TempDb Db({"cases/early_return.c", "cases/iter_break.c", "cases/goto_unwind.c",
             "cases/double_put.c", "cases/fwnode.c", "broken/does_not_parse.c"});
  fs::path Tmp = fs::temp_directory_path() / ("krefcheck-shards-" + std::to_string(getpid()));
  fs::create_directories(Tmp);
  Outcome Whole =
      run("-p " + Db.path() + " -j2 --quiet --format json -o " + (Tmp / "all.json").string());
  std::string Shards;
  for (int I = 1; I <= 3; ++I) {
    std::string Out = (Tmp / ("s" + std::to_string(I) + ".json")).string();
    run("-p " + Db.path() + " -j1 --quiet --format json --shard " + std::to_string(I) + "/3 -o " +
        Out);
    Shards += " " + Out;
  }
  Outcome Merged = run("merge --quiet" + Shards);
  Outcome Direct = run("-p " + Db.path() + " -j2 --quiet");
  EXPECT_EQ(Merged.Exit, 1);
  EXPECT_FALSE(Direct.Out.empty());
  // Every file lands in exactly one shard: the merged text equals the direct run's findings
  // (merge orders by file name).
  auto Lines = [](const std::string &S) {
    std::multiset<std::string> L;
    std::istringstream In(S);
    for (std::string X; std::getline(In, X);) L.insert(X);
    return L;
  };
  EXPECT_EQ(Lines(Merged.Out), Lines(Direct.Out));
  Outcome MergedJson = run("merge --quiet --format json" + Shards);
  EXPECT_NE(MergedJson.Out.find("does_not_parse.c"), std::string::npos);
  // The fixes travel with the findings through the shards: the merged SARIF has the direct
  // run's fixes and the merged patch is the direct run's.
  const std::string Root = " --srcroot " + Src + "/testdata --fix-patch ";
  Outcome DirectSarif = run("-p " + Db.path() + " -j2 --quiet --format sarif" + Root +
                            (Tmp / "direct.diff").string());
  Outcome MergedSarif =
      run("merge --quiet --format sarif" + Root + (Tmp / "merged.diff").string() + Shards);
  auto Fixes = [](const std::string &Sarif) {
    std::multiset<std::string> F;
    const nlohmann::json Log = nlohmann::json::parse(Sarif);
    for (const auto &R : Log["runs"][0]["results"])
      if (R.contains("fixes")) F.insert(R["fixes"].dump());
    return F;
  };
  std::multiset<std::string> DirectFixes = Fixes(DirectSarif.Out);
  EXPECT_GE(DirectFixes.size(), 10u);
  EXPECT_EQ(Fixes(MergedSarif.Out), DirectFixes);
  auto Slurp = [](const fs::path &P) {
    std::ifstream In(P);
    return std::string((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  };
  EXPECT_NE(Slurp(Tmp / "direct.diff").find("+\tof_node_put(np);\n"), std::string::npos);
  EXPECT_EQ(Slurp(Tmp / "merged.diff"), Slurp(Tmp / "direct.diff"));
  EXPECT_EQ(run("--shard 4/3 -p " + Db.path()).Exit, 2);
  EXPECT_EQ(run("merge " + Db.path()).Exit, 2);
  fs::remove_all(Tmp);
}

// The staged form over files of testdata/cases, one of which does not parse: byte for byte the
// output of one run (in the database's order, which is not the file names' order here), and the
// failure is reported once, by the check stage of its shard, and again by `merge`.
TEST(Cli, StagedShardsKeepFailedFiles) {
  TempDb Db({"cases/early_return.c", "cases/iter_break.c", "cases/goto_unwind.c",
             "cases/double_put.c", "cases/fwnode.c", "broken/does_not_parse.c"});
  const fs::path Tmp = Db.Dir / "staged";
  fs::create_directories(Tmp);
  Outcome Direct = run("-p " + Db.path() + " -j2 --quiet");
  ASSERT_EQ(Direct.Exit, 1) << Direct.Err;
  std::string Parts, Outs;
  for (int I = 1; I <= 3; ++I) {
    const std::string Shard = std::to_string(I) + "/3";
    const std::string Part = (Tmp / ("part" + std::to_string(I) + ".jsonl")).string();
    Outcome P = run("summarize -q -p " + Db.path() + " --shard " + Shard + " -o " + Part);
    ASSERT_EQ(P.Exit, 0) << P.Err;
    Parts += " " + Part;
  }
  const std::string Store = (Tmp / "store").string();
  Outcome M = run("summaries merge -q -o " + Store + Parts);
  ASSERT_EQ(M.Exit, 0) << M.Err;
  std::string CheckErr;
  for (int I = 1; I <= 3; ++I) {
    const std::string Out = (Tmp / ("out" + std::to_string(I) + ".json")).string();
    Outcome C = run("-p " + Db.path() + " -j1 --quiet --summaries " + Store + " --shard " +
                    std::to_string(I) + "/3 --format json -o " + Out);
    ASSERT_LE(C.Exit, 2) << C.Err;
    CheckErr += C.Err;
    Outs += " " + Out;
  }
  // The file that does not parse is reported once, by the check stage of its shard.
  EXPECT_EQ(count(CheckErr, "does_not_parse.c: does not parse"), 1u) << CheckErr;
  Outcome Merged = run("merge --quiet" + Outs);
  EXPECT_EQ(Merged.Exit, Direct.Exit) << Merged.Err;
  EXPECT_EQ(Merged.Out, Direct.Out);
  EXPECT_NE(Merged.Err.find("does_not_parse.c: does not parse"), std::string::npos) << Merged.Err;
}

TEST(Cli, KbuildModeTakesTheCompilerCommandLine) {
  // As `make C=1 CHECK="krefcheck --kbuild"` calls it: $(CHECKFLAGS) $(c_flags) file.c,
  // run from the build directory; findings in text, exit 0 so the build goes on.
  std::string Cmd = "cd " + Src + "/testdata && " + Bin +
                    " --kbuild -D__linux__ -Dlinux -Wbitwise -Wno-return-void -nostdinc "
                    "-Iinclude -std=gnu11 -D__KERNEL__ -Wp,-MMD,cases/.iter_break.o.d "
                    "-c -o cases/iter_break.o cases/iter_break.c > /tmp/krefcheck-kbuild.out 2>&1";
  int St = std::system(Cmd.c_str());
  EXPECT_TRUE(WIFEXITED(St) && WEXITSTATUS(St) == 0);
  std::ifstream In("/tmp/krefcheck-kbuild.out");
  std::string Out((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  EXPECT_GE(count(Out, "[krefcheck-loop-leak]"), 5u) << Out;
  EXPECT_NE(Out.find("cases/iter_break.c:"), std::string::npos) << Out;
}

TEST(Cli, NothingAnalysedIsAnError) {
  // Every file failing is not a clean result, even with no finding.
  TempDb Db({"broken/does_not_parse.c"});
  Outcome R = run("-p " + Db.path());
  EXPECT_EQ(R.Exit, 2);
  EXPECT_NE(R.Err.find("krefcheck: error: no file could be analysed"), std::string::npos) << R.Err;
}

TEST(Cli, AFailedFileWithoutFindingsIsNotACleanResult) {
  // One file clean, one that does not parse: exit 2, not 0 (a finding elsewhere makes it 1).
  TempDb Db({"cases/correct_probe.c", "broken/does_not_parse.c"});
  Outcome R = run("-p " + Db.path());
  EXPECT_EQ(R.Exit, 2) << R.Err;
  EXPECT_NE(R.Err.find("krefcheck: error: 1 input could not be analysed (see above): the result "
                       "is incomplete"),
            std::string::npos)
      << R.Err;
  TempDb Clean({"cases/correct_probe.c", "broken/no_api.c"});
  EXPECT_EQ(run("-p " + Clean.path()).Exit, 0);
}

TEST(Cli, UsageErrors) {
  EXPECT_EQ(run("--frobnicate").Exit, 2);
  EXPECT_EQ(run("").Exit, 2);
  EXPECT_EQ(run("-j x -p .").Exit, 2);
}

}  // namespace

namespace {

TEST(CompileDb, GccCommandsAreTranslatedForClang) {
  CompileCommand C;
  C.Arguments = {"aarch64-linux-gnu-gcc",
                 "-Wp,-MMD,drivers/of/.base.o.d",
                 "-nostdinc",
                 "-isystem",
                 "/usr/lib/gcc-cross/aarch64-linux-gnu/12/include",
                 "-fconserve-stack",
                 "-mrecord-mcount",
                 "-fno-allow-store-data-races",
                 "-mstack-protector-guard=sysreg",
                 "-mstack-protector-guard-reg=sp_el0",
                 "-fno-ipa-sra",
                 "-falign-jumps=8",
                 "-fplugin=./x.so",
                 "-fsome-future-gcc-flag",
                 "-femit-struct-debug-baseonly",
                 "-DLATENT_ENTROPY_PLUGIN",
                 "-mabi=lp64",
                 "-O2",
                 "-DKBUILD_MODNAME=\"base\"",
                 "-c",
                 "-o",
                 "drivers/of/base.o",
                 "drivers/of/base.c"};
  std::vector<std::string> A = analysisArguments(C);
  auto Has = [&](const std::string &S) { return std::count(A.begin(), A.end(), S) > 0; };
  EXPECT_TRUE(Has("--target=aarch64-linux-gnu"));
  EXPECT_FALSE(Has("-mabi=lp64"));
  EXPECT_TRUE(Has("-O2"));
  EXPECT_TRUE(Has("-DKBUILD_MODNAME=\"base\""));
  EXPECT_TRUE(Has("drivers/of/base.c"));
  for (const char *Gone :
       {"-fconserve-stack", "-mrecord-mcount", "-fno-allow-store-data-races",
        "-mstack-protector-guard=sysreg", "-fno-ipa-sra", "-falign-jumps=8", "-fplugin=./x.so",
        "-fsome-future-gcc-flag", "-femit-struct-debug-baseonly", "-DLATENT_ENTROPY_PLUGIN",
        "/usr/lib/gcc-cross/aarch64-linux-gnu/12/include", "-c"})
    EXPECT_FALSE(Has(Gone)) << Gone;
  // Clang's builtin headers replace GCC's.
  auto It = std::find(A.begin(), A.end(), "-isystem");
  ASSERT_NE(It, A.end());
  EXPECT_NE((It + 1)->find("/clang/"), std::string::npos) << *(It + 1);
}

TEST(CompileDb, ClangCommandsKeepTheirTarget) {
  CompileCommand C;
  C.Arguments = {"clang-19", "--target=powerpc64le-linux-gnu", "-mbig-endian", "-c", "x.c"};
  std::vector<std::string> A = analysisArguments(C);
  EXPECT_EQ(std::count(A.begin(), A.end(), "--target=powerpc64le-linux-gnu"), 1);
  EXPECT_EQ(std::count(A.begin(), A.end(), "-mbig-endian"), 1);
  for (const std::string &S : A) EXPECT_NE(S.rfind("--target=clang", 0), 0u) << S;
}

}  // namespace

namespace {

/// A build directory in a temporary folder, as a kernel build leaves it: a source whose
/// compile command names files relative to the directory (a randstruct seed, a forced
/// include, an -imacros header, response files), analysed from another current directory.
struct RelativeBuild {
  fs::path Root, Build, Elsewhere;
  RelativeBuild() {
    Root = fs::temp_directory_path() /
           ("krefcheck-rel-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
    Build = Root / "build";
    Elsewhere = Root / "elsewhere";
    fs::create_directories(Build / "rsp");
    fs::create_directories(Elsewhere);
    write("seed", "7c2b45c6e5fba0e7d6a9b2c1f0e3d4c5b6a79881726354453627180918273645\n");
    write("inc.h", "#define FROM_INCLUDE 1\n");
    write("macros.h", "#define FROM_IMACROS 1\n");
    // The source refuses to parse unless both prefix headers were read; one leak on line 10.
    write("t.c", "#include <linux/of.h>\n"
                 "#if !defined(FROM_INCLUDE) || !defined(FROM_IMACROS)\n"
                 "#error prefix headers not read\n"
                 "#endif\n"
                 "int f(struct device_node *p)\n"
                 "{\n"
                 "\tstruct device_node *np = of_get_child_by_name(p, \"x\");\n"
                 "\tif (!np)\n"
                 "\t\treturn -1;\n"
                 "\treturn 0;\n"
                 "}\n");
  }
  ~RelativeBuild() { fs::remove_all(Root); }
  void write(const std::string &Name, const std::string &Text) {
    std::ofstream(Build / Name) << Text;
  }
  /// One entry compiling t.c with `Compiler <common flags> Flags`, run from elsewhere.
  Outcome analyse(const std::string &Compiler, const std::string &Flags,
                  const std::string &Extra = "") {
    std::ofstream(Build / "compile_commands.json")
        << R"([{"directory": ")" << Build.string() << R"(", "file": "t.c", "command": ")"
        << Compiler << " -nostdinc -I" << Src << "/testdata/include -std=gnu11 -D__KERNEL__ "
        << Flags << R"( -c -o t.o t.c"}])";
    return runCli("-p " + Build.string() + " --quiet " + Extra, Elsewhere.string());
  }
};

/// The one finding of t.c, exactly.
void expectTheLeak(const Outcome &R) {
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_EQ(R.Err, "");
  EXPECT_EQ(count(R.Out, ": warning: "), 1u) << R.Out;
  EXPECT_NE(R.Out.find("t.c:10:2: warning: 'np' from of_get_child_by_name() (line 7) is not "
                       "released on this path"),
            std::string::npos)
      << R.Out;
  EXPECT_NE(R.Out.find("[krefcheck-leak] in f()"), std::string::npos) << R.Out;
}

TEST(RelativePaths, RandstructSeedIncludeAndImacrosAreReadFromTheEntryDirectory) {
  RelativeBuild B;
  // As clang allmodconfig builds write it (RANDSTRUCT): -frandomize-layout-seed-file=./scripts/...
  std::string Flags = "-frandomize-layout-seed-file=./seed -include ./inc.h -imacros ./macros.h";
  expectTheLeak(B.analyse("clang-19", Flags));
  expectTheLeak(B.analyse("clang-19", Flags, "--no-isolation"));
  expectTheLeak(B.analyse("clang-19", Flags, "-j2"));
}

TEST(RelativePaths, ResponseFilesAreReadFromTheEntryDirectory) {
  RelativeBuild B;
  // The response file, and the one it names, hold relative paths themselves.
  B.write("rsp/outer.rsp", "-include ./inc.h @rsp/inner.rsp\n");
  B.write("rsp/inner.rsp", "-imacros './macros.h' -frandomize-layout-seed-file=./seed\n");
  expectTheLeak(B.analyse("clang-19", "@rsp/outer.rsp"));
  expectTheLeak(B.analyse("gcc", "@rsp/outer.rsp", "--no-isolation"));
}

TEST(RelativePaths, MissingResponseFileIsOneLineForThatFile) {
  RelativeBuild B;
  Outcome R = B.analyse("clang-19", "@rsp/none.rsp");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(count(R.Err, "\n"), 2u) << R.Err;  // the file's error, and "no file could be analysed"
  EXPECT_NE(R.Err.find("t.c: does not parse: no such file or directory: '@rsp/none.rsp'"),
            std::string::npos)
      << R.Err;
}

TEST(RelativePaths, ACommandLineErrorFailsTheFileWithoutAnalysingIt) {
  RelativeBuild B;
  Outcome R = B.analyse(
      "clang-19", "-frandomize-layout-seed-file=./no-seed -include ./inc.h -imacros ./macros.h",
      "--format json");
  EXPECT_EQ(R.Exit, 2) << R.Err;
  nlohmann::json J = nlohmann::json::parse(R.Out);
  ASSERT_EQ(J.at("files").size(), 1u) << R.Out;
  const nlohmann::json &F = J["files"][0];
  EXPECT_FALSE(F.at("ok").get<bool>());
  EXPECT_EQ(F.at("error").get<std::string>(),
            "does not parse: cannot read randomize layout seed file './no-seed'");
  // Not parsed, not analysed: the result would be thrown away.
  EXPECT_EQ(F.at("functions").get<int>(), 0);
  EXPECT_EQ(F.at("analysed").get<int>(), 0);
  EXPECT_TRUE(F.at("findings").empty());
}

TEST(GccCross, OptionsClangRejectsForTheTargetAreDropped) {
  RelativeBuild B;
  // GCC accepts -fzero-call-used-regs on every target, Clang only on x86 and AArch64.
  for (const char *Cc :
       {"powerpc64-linux-gnu-gcc", "powerpc-linux-gnu-gcc", "sparc64-linux-gnu-gcc"}) {
    SCOPED_TRACE(Cc);
    expectTheLeak(B.analyse(Cc, "-include ./inc.h -imacros ./macros.h "
                                "-fzero-call-used-regs=used-gpr -mcmodel=medium"));
  }
  expectTheLeak(B.analyse("powerpc-linux-gnu-gcc", "-include ./inc.h -imacros ./macros.h "
                                                   "-mcpu=8540 -msoft-float"));
}

TEST(GccCross, TheDriverDecidesWhatTheTargetRejects) {
  auto Args = [](const std::string &Cc) {
    CompileCommand C;
    C.Directory = "/";
    C.Arguments = {Cc, "-fzero-call-used-regs=used-gpr", "-O2", "-c", "x.c"};
    return analysisArguments(C);
  };
  auto Has = [](const std::vector<std::string> &A, const std::string &S) {
    return std::count(A.begin(), A.end(), S) > 0;
  };
  std::vector<std::string> Ppc = Args("powerpc64-linux-gnu-gcc");
  EXPECT_TRUE(Has(Ppc, "--target=powerpc64-linux-gnu"));
  EXPECT_FALSE(Has(Ppc, "-fzero-call-used-regs=used-gpr"));
  EXPECT_TRUE(Has(Ppc, "-O2"));
  EXPECT_TRUE(Has(Ppc, "x.c"));
  // Clang supports it for x86-64 and AArch64: kept there.
  EXPECT_TRUE(Has(Args("x86_64-linux-gnu-gcc"), "-fzero-call-used-regs=used-gpr"));
  EXPECT_TRUE(Has(Args("aarch64-linux-gnu-gcc"), "-fzero-call-used-regs=used-gpr"));
  // A CPU Clang does not know for the target (GCC's e500 -mcpu=8540) goes, a known one stays.
  auto Cpu = [](const std::string &Cc, const std::string &Mcpu) {
    CompileCommand C;
    C.Directory = "/";
    C.Arguments = {Cc, Mcpu, "-msoft-float", "-c", "x.c"};
    return analysisArguments(C);
  };
  std::vector<std::string> E500 = Cpu("powerpc-linux-gnu-gcc", "-mcpu=8540");
  EXPECT_FALSE(Has(E500, "-mcpu=8540"));
  EXPECT_TRUE(Has(E500, "-msoft-float"));
  EXPECT_TRUE(Has(Cpu("powerpc64-linux-gnu-gcc", "-mcpu=power8"), "-mcpu=power8"));
  EXPECT_TRUE(Has(Cpu("powerpc-linux-gnu-gcc", "-mcpu=e500"), "-mcpu=e500"));
}

TEST(CompileDb, ResponseFilesExpandAtLoad) {
  RelativeBuild B;
  B.write("rsp/outer.rsp", "-DA=1 @rsp/inner.rsp\n");
  B.write("rsp/inner.rsp", "-o t.o\n");
  std::ofstream(B.Build / "compile_commands.json")
      << R"([{"directory": ")" << B.Build.string()
      << R"(", "file": "t.c", "arguments": ["gcc", "@rsp/outer.rsp", "-c", "t.c"]}])";
  CompileDb D;
  std::string Err;
  ASSERT_TRUE(loadCompileDb((B.Build / "compile_commands.json").string(), D, Err)) << Err;
  ASSERT_EQ(D.Commands.size(), 1u);
  EXPECT_EQ(D.Commands[0].Arguments,
            (std::vector<std::string>{"gcc", "-DA=1", "-o", "t.o", "-c", "t.c"}));
  EXPECT_TRUE(D.Errors.empty());
}

TEST(CompileDb, BadResponseFilesAreErrorsOfTheirEntryOnly) {
  RelativeBuild B;
  B.write("rsp/self.rsp", "-DA @rsp/self.rsp\n");
  std::string Dir = B.Build.string();
  std::ofstream(B.Build / "compile_commands.json")
      << R"([{"directory": ")" << Dir << R"(", "file": "t.c", "command": "cc @rsp -c t.c"},)"
      << R"({"directory": ")" << Dir << R"(", "file": "t.c", "command": "cc @rsp/self.rsp t.c"},)"
      << R"({"directory": ")" << Dir << R"(", "file": "t.c", "command": "cc -c t.c"}])";
  CompileDb D;
  std::string Err;
  ASSERT_TRUE(loadCompileDb((B.Build / "compile_commands.json").string(), D, Err)) << Err;
  EXPECT_EQ(D.Commands.size(), 1u);
  ASSERT_EQ(D.Errors.size(), 2u);
  EXPECT_NE(D.Errors[0].find("entry 0 (t.c): response file: "), std::string::npos) << D.Errors[0];
  EXPECT_NE(D.Errors[0].find("Is a directory"), std::string::npos) << D.Errors[0];
  EXPECT_NE(D.Errors[1].find("entry 1 (t.c): response file: recursive expansion"),
            std::string::npos)
      << D.Errors[1];
}

TEST(BadDatabase, NumberOverflowIsOneLineNamingTheFile) {
  fs::path P =
      fs::temp_directory_path() / ("krefcheck-overflow-" + std::to_string(getpid()) + ".json");
  std::ofstream(P) << R"([{"directory": "/tmp", "file": "x.c", "command": "cc x.c", "n": 1e999}])";
  Outcome R = run("-p " + P.string());
  fs::remove(P);
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(count(R.Err, "\n"), 1u) << R.Err;
  EXPECT_EQ(R.Err.rfind("krefcheck: error: " + P.string() + ": malformed compile database: ", 0),
            0u)
      << R.Err;
  EXPECT_NE(R.Err.find("number overflow"), std::string::npos) << R.Err;
}

TEST(BadDatabase, EmptyDatabaseIsAnError) {
  fs::path P =
      fs::temp_directory_path() / ("krefcheck-empty-" + std::to_string(getpid()) + ".json");
  std::ofstream(P) << "[]\n";
  Outcome R = run("-p " + P.string());
  fs::remove(P);
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Out, "");
  EXPECT_EQ(R.Err, "krefcheck: error: " + P.string() + ": compile database has no entries\n");
}

TEST(BadDatabase, DirectoryAsSourceIsAnErrorForThatEntryOnly) {
  TempDb Db({"cases/early_return.c"},
            R"({"directory": ")" + Src +
                R"(/testdata", "file": "cases", "command": "cc -c cases"})");
  Outcome Clean = run("-p " + TempDb({"cases/early_return.c"}).path() + " --quiet");
  Outcome R = run("-p " + Db.path() + " --quiet");
  EXPECT_EQ(R.Exit, 1);
  EXPECT_EQ(R.Out, Clean.Out);
  EXPECT_GE(count(R.Out, "[krefcheck-leak]"), 5u);
  EXPECT_EQ(R.Err, "krefcheck: error: " + Db.path() +
                       ": entry 1 (cases): is a directory, not a source file\n");
}

}  // namespace
