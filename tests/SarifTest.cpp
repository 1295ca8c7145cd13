// SARIF output, baselines, suppressions and fix suggestions: the writer and the matching on
// their own, and the command line end to end (demo tree, temporary copies of testdata cases).
#include "report/Sarif.h"
#include "analysis/TUAnalyzer.h"
#include "findings/RuleDocs.h"
#include "report/Baseline.h"
#include "report/Fix.h"
#include "report/SourceText.h"
#include "rules/Rules.h"

#include <gtest/gtest.h>

#include "TestSupport.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

using namespace krefcheck;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::string Src = KREFCHECK_SOURCE_DIR;
const std::string Bin = KREFCHECK_BINARY;
const std::string CaseFlags =
    "-- -nostdinc -I " + Src + "/testdata/include -std=gnu11 -D__KERNEL__";

std::string slurp(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
}

/// A temporary directory, removed at the end of the test.
struct TempDir {
  fs::path Dir;
  TempDir() {
    static unsigned N = 0;
    Dir = fs::temp_directory_path() /
          ("krefcheck-sarif-" + std::to_string(getpid()) + "-" + std::to_string(++N));
    fs::remove_all(Dir);
    fs::create_directories(Dir);
  }
  ~TempDir() { fs::remove_all(Dir); }
  std::string operator/(const std::string &Name) const { return (Dir / Name).string(); }
  std::string str() const { return Dir.string(); }
};

using Outcome = CliOutcome;

/// Runs krefcheck with Args in directory Cwd (default: the source tree).
Outcome run(const std::string &Args, const std::string &Cwd = Src) { return runCli(Args, Cwd); }

size_t count(const std::string &S, const std::string &Sub) {
  size_t N = 0;
  for (size_t P = S.find(Sub); P != std::string::npos; P = S.find(Sub, P + 1)) ++N;
  return N;
}

json parse(const std::string &Text) {
  json J = json::parse(Text, nullptr, false);
  EXPECT_FALSE(J.is_discarded()) << Text.substr(0, 500);
  return J;
}

Finding sampleFinding(const std::string &File, unsigned Shift = 0) {
  Finding F;
  F.RuleId = "krefcheck-leak";
  F.Loc = {File, 19 + Shift, 3};
  F.Message = "'np' from of_get_child_by_name() (line " + std::to_string(13 + Shift) +
              ") is not released on this path (of_node_put() missing)";
  F.MessageKey = "'np' from of_get_child_by_name() (line N) is not released on this path "
                 "(of_node_put() missing)";
  F.Function = "er_child_read_bad";
  F.Variable = "np";
  F.Api = "of_get_child_by_name";
  F.AcquireLoc = {File, 13 + Shift, 7};
  F.Family = "device_node";
  F.ReleaseFunction = "of_node_put";
  F.Path = {
      {{File, 13 + Shift, 7}, "reference acquired by of_get_child_by_name()", StepKind::Acquire},
      {{File, 14 + Shift, 6}, "Assuming 'np' is non-null", StepKind::Branch},
      {{File, 19 + Shift, 3}, "reference lost here", StepKind::Lost}};
  return F;
}

// ---------------------------------------------------------------------------------------------
// The writer

TEST(Sarif, RulesCoverEveryRuleIdWithDocs) {
  const std::vector<RuleDoc> &Rules = ruleDocs();
  ASSERT_EQ(Rules.size(), allRuleIds().size());
  for (size_t I = 0; I < Rules.size(); ++I) {
    const RuleDoc &R = Rules[I];
    EXPECT_EQ(R.Id, allRuleIds()[I]);
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(R.Name[0])) &&
                R.Name.find_first_of("-_ ") == std::string::npos)
        << R.Name;
    EXPECT_FALSE(R.Short.empty() || R.Full.empty() || R.HelpText.empty() || R.HelpMarkdown.empty());
    EXPECT_NE(R.HelpMarkdown.find("```c"), std::string::npos) << R.Id << ": no example";
    EXPECT_TRUE(R.Level == "warning" || R.Level == "error") << R.Level;
    EXPECT_FALSE(R.Tags.empty());
    EXPECT_TRUE(fs::exists(Src + "/docs/rules/" + R.Id + ".md")) << R.Id;
  }
}

TEST(Sarif, FingerprintSurvivesLineShiftsOnly) {
  const std::string Root = "/src";
  Finding A = sampleFinding("/src/drivers/x.c"), B = sampleFinding("/src/drivers/x.c", 7);
  EXPECT_EQ(fingerprintOf(A, Root), fingerprintOf(B, Root));
  // Another checkout of the same tree: same fingerprint.
  Finding C = sampleFinding("/elsewhere/drivers/x.c", 2);
  EXPECT_EQ(fingerprintOf(A, Root), fingerprintOf(C, "/elsewhere"));
  Finding D = A;
  D.Variable = "child";
  EXPECT_NE(fingerprintOf(A, Root), fingerprintOf(D, Root));
  Finding E = A;
  E.Path.insert(E.Path.begin() + 1,
                PathStep{{"/src/drivers/x.c", 15, 2}, "Entering loop body", StepKind::Loop});
  EXPECT_NE(fingerprintOf(A, Root), fingerprintOf(E, Root));
  std::vector<std::string> Fps = fingerprintAll({A, B, D}, Root);
  EXPECT_EQ(Fps[0].substr(Fps[0].size() - 2), ":1");
  EXPECT_EQ(Fps[1].substr(Fps[1].size() - 2), ":2");
  EXPECT_EQ(Fps[2].substr(Fps[2].size() - 2), ":1");
  EXPECT_EQ(A.MessageKey, B.MessageKey);
}

TEST(Sarif, UrisAreRelativeToSrcRootOrAbsolute) {
  SarifOptions O;
  O.SrcRoot = "/src/linux";
  O.DocBaseUri = "https://docs.example.org/krefcheck/";
  O.WorkingDirectory = "/src/linux";
  O.Argv = {"krefcheck", "-p", "build dir"};
  SarifRun Run;
  ReportedResult In{sampleFinding("/src/linux/drivers/of/base.c"), "ab:1"};
  ReportedResult Out{sampleFinding("/opt/my tree/x.c"), "cd:1"};
  Run.Results = {In, Out};
  Run.Failures = {{"/src/linux/drivers/bad.c", "does not parse: x.c:1:1: error: oops"}};
  json J = parse(writeSarif(Run, O));
  const json &R = J["runs"][0];
  EXPECT_EQ(R["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///src/linux/");
  const json &A0 = R["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(A0["uri"], "drivers/of/base.c");
  EXPECT_EQ(A0["uriBaseId"], "SRCROOT");
  const json &A1 = R["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(A1["uri"], "file:///opt/my%20tree/x.c");
  EXPECT_FALSE(A1.contains("uriBaseId"));
  // Rules are ordered by id; the help's relative links (docs/rules/*.md) point into the docs.
  const json &Leak = R["tool"]["driver"]["rules"][1];
  EXPECT_EQ(Leak["id"], "krefcheck-leak");
  EXPECT_EQ(Leak["helpUri"], "https://docs.example.org/krefcheck/docs/rules/krefcheck-leak.md");
  const std::string Md = Leak["help"]["markdown"];
  EXPECT_NE(Md.find("[krefcheck-loop-leak](https://docs.example.org/krefcheck/docs/rules/"
                    "krefcheck-loop-leak.md)"),
            std::string::npos)
      << Md;
  EXPECT_NE(Md.find("[format](https://docs.example.org/krefcheck/docs/rules-format.md)"),
            std::string::npos)
      << Md;
  EXPECT_EQ(Leak.dump().find(DocBaseMarker), std::string::npos);
  EXPECT_EQ(R["tool"]["driver"]["informationUri"], "https://docs.example.org/krefcheck/README.md");
  const json &Inv = R["invocations"][0];
  EXPECT_EQ(Inv["executionSuccessful"], false);
  EXPECT_EQ(Inv["commandLine"], "krefcheck -p 'build dir'");
  EXPECT_EQ(Inv["arguments"], json({"-p", "build dir"}));
  ASSERT_EQ(Inv["toolExecutionNotifications"].size(), 1u);
  const json &N = Inv["toolExecutionNotifications"][0];
  EXPECT_EQ(N["level"], "error");
  EXPECT_EQ(N["message"]["text"], "drivers/bad.c: does not parse: x.c:1:1: error: oops");
  EXPECT_EQ(N["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "drivers/bad.c");
}

TEST(Sarif, StaysWithinGitHubLimits) {
  SarifOptions O;
  O.SrcRoot = "/src";
  O.DocBaseUri = "file:///doc/";
  O.WorkingDirectory = "/src";
  SarifRun Run;
  for (unsigned I = 0; I < 6; ++I) {
    Finding F = sampleFinding("/src/f" + std::to_string(I) + ".c");
    for (unsigned S = 0; S < 20; ++S)
      F.Path.insert(F.Path.begin(),
                    PathStep{{F.Loc.File, 2 + S, 1}, "Entering loop body", StepKind::Loop});
    Run.Results.push_back(ReportedResult{F, "fp" + std::to_string(I) + ":1"});
  }
  // Result count and path length.
  O.MaxResults = 4;
  O.MaxThreadFlowLocations = 5;
  json J = parse(writeSarif(Run, O));
  const json &R = J["runs"][0];
  ASSERT_EQ(R["results"].size(), 4u);
  const json &TFL = R["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"];
  ASSERT_EQ(TFL.size(), 5u);
  EXPECT_EQ(TFL[4]["location"]["message"]["text"], "reference lost here");
  std::string Notes = R["invocations"][0]["toolExecutionNotifications"].dump();
  EXPECT_NE(Notes.find("4 of 6 results kept"), std::string::npos) << Notes;
  EXPECT_NE(Notes.find("6 result path(s) were cut to 5"), std::string::npos) << Notes;
  // Size.
  O.MaxResults = 25000;
  O.MaxThreadFlowLocations = 10000;
  size_t Full = writeSarif(Run, O).size();
  O.MaxBytes = Full - 1;
  std::string Cut = writeSarif(Run, O);
  EXPECT_LE(Cut.size(), O.MaxBytes);
  json C = parse(Cut);
  EXPECT_LT(C["runs"][0]["results"].size(), 6u);
  EXPECT_GT(C["runs"][0]["results"].size(), 0u);
  EXPECT_NE(
      C["runs"][0]["invocations"][0]["toolExecutionNotifications"].dump().find("output truncated"),
      std::string::npos);
  // What is cut is reported to the caller (for stderr) with the notifications' own words.
  std::vector<std::string> Cuts;
  json D = parse(writeSarif(Run, O, &Cuts));
  std::vector<std::string> Said;
  for (const json &N : D["runs"][0]["invocations"][0]["toolExecutionNotifications"])
    if (N["descriptor"]["id"] == "krefcheck-output-truncated") Said.push_back(N["message"]["text"]);
  ASSERT_EQ(Cuts.size(), 1u);
  EXPECT_EQ(Cuts, Said);
  EXPECT_EQ(Cuts[0], "output truncated: " + std::to_string(D["runs"][0]["results"].size()) +
                         " of 6 results kept to stay within the GitHub code scanning limits "
                         "(25000 results, " +
                         std::to_string(O.MaxBytes) + " bytes); the other " +
                         std::to_string(6 - D["runs"][0]["results"].size()) +
                         " are left out (run with --format text to see them all).");
  Cuts.clear();
  O.MaxBytes = 10u * 1000u * 1000u;
  writeSarif(Run, O, &Cuts);
  EXPECT_TRUE(Cuts.empty());
}

TEST(Sarif, TooManyFailedFilesAreCutToo) {
  SarifOptions O;
  O.SrcRoot = "/src";
  O.DocBaseUri = "file:///doc/";
  O.WorkingDirectory = "/src";
  SarifRun Run;
  Run.Results.push_back(ReportedResult{sampleFinding("/src/a.c"), "fp:1"});
  for (unsigned I = 0; I < 400; ++I)
    Run.Failures.push_back(ToolFailure{"/src/f" + std::to_string(I) + ".c", "does not parse"});
  size_t Full = writeSarif(Run, O).size();
  O.MaxBytes = Full / 2;
  std::vector<std::string> Cuts;
  std::string Text = writeSarif(Run, O, &Cuts);
  EXPECT_LE(Text.size(), O.MaxBytes);
  json J = parse(Text);
  const json &Inv = J["runs"][0]["invocations"][0];
  EXPECT_EQ(Inv["executionSuccessful"], false);
  EXPECT_EQ(J["runs"][0]["results"].size(), 0u);
  size_t Failed = 0;
  for (const json &N : Inv["toolExecutionNotifications"])
    Failed += N["descriptor"]["id"] == "krefcheck-analysis-failed";
  EXPECT_GT(Failed, 0u);
  EXPECT_LT(Failed, 400u);
  ASSERT_EQ(Cuts.size(), 2u);
  EXPECT_EQ(Cuts[0].rfind("output truncated: 0 of 1 results kept", 0), 0u) << Cuts[0];
  EXPECT_EQ(Cuts[1], "output truncated: " + std::to_string(Failed) +
                         " of 400 failed-file notifications kept to stay within " +
                         std::to_string(O.MaxBytes) + " bytes; stderr lists every failed file.");
}

TEST(Sarif, TextIsMadeValidUtf8) {
  const std::string R = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_EQ(toValidUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(toValidUtf8("caf\xe9"), "caf" + R);
  EXPECT_EQ(toValidUtf8("\xb0\xf0 x"), R + R + " x");
  EXPECT_EQ(toValidUtf8("\xc0\x80"), R + R);          // overlong NUL
  EXPECT_EQ(toValidUtf8("\xed\xa0\x80"), R + R + R);  // a UTF-16 surrogate
  EXPECT_EQ(toValidUtf8("\xe2\x82"), R + R);          // cut short
  EXPECT_TRUE(isValidUtf8("\xf0\x9f\x98\x80"));
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_EQ(utf16Length("\xf0\x9f\x98\x80"), 2u);
  EXPECT_EQ(utf16Length("a\xe9 \xb0\xb0\xf0"), 6u);  // each stray byte is one U+FFFD
  EXPECT_EQ(utf16Length(toValidUtf8("a\xe9 \xb0\xb0\xf0")), 6u);
  EXPECT_EQ(toValidUtf8("\xe9\xb0\xb0"),
            "\xe9\xb0\xb0");  // Latin-1 that happens to be UTF-8 (U+9C30)
}

// ---------------------------------------------------------------------------------------------
// The command line

TEST(SarifCli, DemoResultsCarryEverything) {
  Outcome R = run("-p testdata/demo --format sarif --quiet");
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_EQ(R.Err, "");
  json J = parse(R.Out);
  EXPECT_EQ(J["version"], "2.1.0");
  ASSERT_EQ(J["runs"].size(), 1u);
  const json &Run = J["runs"][0];
  const json &Drv = Run["tool"]["driver"];
  EXPECT_EQ(Drv["name"], "krefcheck");
  EXPECT_EQ(Drv["version"], KREFCHECK_VERSION);
  EXPECT_EQ(Drv["informationUri"], "file://" + Src + "/README.md");
  ASSERT_EQ(Drv["rules"].size(), allRuleIds().size());
  for (const json &Rule : Drv["rules"]) {
    for (const char *K : {"id", "name", "shortDescription", "fullDescription", "help", "helpUri",
                          "defaultConfiguration", "properties"})
      EXPECT_TRUE(Rule.contains(K)) << Rule["id"] << " " << K;
    EXPECT_EQ(Rule["helpUri"],
              "file://" + Src + "/docs/rules/" + Rule["id"].get<std::string>() + ".md");
    EXPECT_TRUE(Rule["properties"].contains("precision"));
    EXPECT_TRUE(Rule["properties"]["tags"].is_array());
  }
  EXPECT_EQ(Run["originalUriBaseIds"]["SRCROOT"]["uri"], "file://" + Src + "/");
  EXPECT_EQ(Run["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(Run["invocations"][0]["arguments"][0], "-p");
  const json &Results = Run["results"];
  ASSERT_EQ(Results.size(), 3u);
  std::set<std::string> Fps;
  for (const json &Res : Results) {
    std::string Rule = Res["ruleId"];
    EXPECT_EQ(allRuleIds()[Res["ruleIndex"].get<size_t>()], Rule);
    const json &Loc = Res["locations"][0];
    std::string Uri = Loc["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_EQ(Uri.rfind("testdata/demo/drivers/", 0), 0u) << Uri;
    EXPECT_EQ(Loc["physicalLocation"]["artifactLocation"]["uriBaseId"], "SRCROOT");
    EXPECT_GT(Loc["physicalLocation"]["region"]["startLine"].get<unsigned>(), 0u);
    EXPECT_GT(Loc["physicalLocation"]["region"]["startColumn"].get<unsigned>(), 0u);
    EXPECT_EQ(Loc["logicalLocations"][0]["kind"], "function");
    std::string Fn = Loc["logicalLocations"][0]["name"];
    std::string Msg = Res["message"]["text"];
    EXPECT_NE(Msg.find(Fn + "()"), std::string::npos) << Msg;
    EXPECT_NE(Msg.find("of_get_next_child()") + Msg.find("of_parse_phandle()"),
              2 * std::string::npos);
    EXPECT_EQ(Res["relatedLocations"].size(), 1u);
    ASSERT_EQ(Res["codeFlows"].size(), 1u);
    ASSERT_EQ(Res["codeFlows"][0]["threadFlows"].size(), 1u);
    const json &Steps = Res["codeFlows"][0]["threadFlows"][0]["locations"];
    EXPECT_GE(Steps.size(), 3u);
    for (const json &S : Steps)
      EXPECT_FALSE(S["location"]["message"]["text"].get<std::string>().empty());
    std::string Fp = Res["partialFingerprints"]["krefcheck/v2"];
    EXPECT_TRUE(Fps.insert(Fp).second) << Fp;
    EXPECT_FALSE(Res.contains("baselineState"));
  }
  std::string Loop = Results[0]["message"]["text"];
  EXPECT_NE(Loop.find("'dn' from of_get_next_child()"), std::string::npos) << Loop;
  EXPECT_NE(Loop.find("in acme_facilities_init()"), std::string::npos) << Loop;
}

TEST(SarifCli, OutputFileAndSrcRoot) {
  TempDir T;
  Outcome R =
      run("-p testdata/demo --format sarif -q --srcroot testdata/demo -o " + (T / "o.sarif"));
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_EQ(R.Out, "");
  json J = parse(slurp(T / "o.sarif"));
  EXPECT_EQ(J["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"],
            "file://" + Src + "/testdata/demo/");
  std::string Uri =
      J["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  EXPECT_EQ(Uri.rfind("drivers/", 0), 0u) << Uri;
  Outcome Bad = run("-p testdata/demo --format sarif --srcroot /nonexistent/dir");
  EXPECT_EQ(Bad.Exit, 2);
  EXPECT_EQ(Bad.Err, "krefcheck: error: --srcroot /nonexistent/dir: not a directory\n");
  Outcome Doc = run("-p testdata/demo --format sarif -q --doc-base-uri https://example.org/kc");
  EXPECT_EQ(parse(Doc.Out)["runs"][0]["tool"]["driver"]["informationUri"],
            "https://example.org/kc/README.md");
}

TEST(SarifCli, BytesDoNotDependOnJobs) {
  Outcome A = run("-p testdata/demo --format sarif -q -j1");
  Outcome B = run("-p testdata/demo --format sarif -q -j3");
  ASSERT_FALSE(A.Out.empty());
  // Only the recorded command line differs.
  std::string AOut = A.Out;
  for (size_t P = AOut.find("-j1"); P != std::string::npos; P = AOut.find("-j1", P))
    AOut[P + 2] = '3';
  EXPECT_EQ(AOut, B.Out);
  EXPECT_EQ(count(A.Out, "-j1"), 2u);  // commandLine and arguments
}

TEST(SarifCli, FailedFilesAreNotifications) {
  TempDir T;
  std::ofstream(T / "compile_commands.json")
      << R"([{"directory": ")" << Src << R"(/testdata", "file": "cases/early_return.c",)"
      << R"( "command": "cc -nostdinc -Iinclude -std=gnu11 -D__KERNEL__ -c cases/early_return.c"},)"
      << R"( {"directory": ")" << Src << R"(/testdata", "file": "broken/does_not_parse.c",)"
      << R"( "command": "cc -nostdinc -Iinclude -c broken/does_not_parse.c"},)"
      << R"( {"directory": ")" << Src << R"(/testdata", "file": "cases/missing_file.c",)"
      << R"( "command": "cc -c cases/missing_file.c"}])";
  Outcome R = run("-p " + T.str() + " --no-prefilter --format sarif -q");
  EXPECT_EQ(R.Exit, 1) << R.Err;
  json J = parse(R.Out);
  const json &Inv = J["runs"][0]["invocations"][0];
  EXPECT_EQ(Inv["executionSuccessful"], false);
  ASSERT_EQ(Inv["toolExecutionNotifications"].size(), 2u);
  std::string N0 = Inv["toolExecutionNotifications"][0]["message"]["text"];
  std::string N1 = Inv["toolExecutionNotifications"][1]["message"]["text"];
  EXPECT_EQ(N0.rfind("testdata/broken/does_not_parse.c: does not parse", 0), 0u) << N0;
  EXPECT_EQ(N1.rfind("testdata/cases/missing_file.c: source file not found", 0), 0u) << N1;
  for (const json &N : Inv["toolExecutionNotifications"]) {
    EXPECT_EQ(N["level"], "error");
    EXPECT_TRUE(N["locations"][0]["physicalLocation"]["artifactLocation"].contains("uri"));
  }
  EXPECT_GE(J["runs"][0]["results"].size(), 5u);
}

// ---------------------------------------------------------------------------------------------
// Baselines and suppressions

/// A copy of one testdata case in a temporary directory, analysed from there.
struct CaseCopy {
  TempDir T;
  std::string Name;
  explicit CaseCopy(const std::string &Case) : Name(Case) {
    fs::copy_file(Src + "/testdata/cases/" + Case, T / Case);
  }
  std::string file() const { return T / Name; }
  Outcome check(const std::string &Extra) const {
    return run(Name + " --srcroot . -q " + Extra + " " + CaseFlags, T.str());
  }
  void edit(const std::function<std::string(std::string)> &Fn) const {
    std::string Text = Fn(slurp(file()));
    std::ofstream(file(), std::ios::binary) << Text;
  }
};

std::string replaceAll(std::string S, const std::string &From, const std::string &To) {
  for (size_t P = S.find(From); P != std::string::npos; P = S.find(From, P + To.size()))
    S.replace(P, From.size(), To);
  return S;
}

std::vector<std::string> states(const json &Log) {
  std::vector<std::string> Out;
  for (const json &R : Log["runs"][0]["results"]) Out.push_back(R.value("baselineState", ""));
  return Out;
}

TEST(Baseline, CodeMovedByBlankLinesIsUnchanged) {
  CaseCopy C("early_return.c");
  Outcome Base = C.check("--format sarif -o base.sarif");
  ASSERT_EQ(Base.Exit, 1) << Base.Err;
  size_t N = parse(slurp(C.T / "base.sarif"))["runs"][0]["results"].size();
  ASSERT_GE(N, 5u);
  C.edit(
      [](std::string S) { return "\n\n\n\n\n\n\n" + replaceAll(S, "\n\n/* OK", "\n\n\n\n/* OK"); });
  Outcome Now = C.check("--format sarif --baseline base.sarif");
  json J = parse(Now.Out);
  EXPECT_EQ(states(J), std::vector<std::string>(N, "unchanged")) << Now.Out.substr(0, 2000);
  // The lines did move.
  EXPECT_NE(J["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            parse(slurp(C.T / "base.sarif"))["runs"][0]["results"][0]["locations"][0]
                                            ["physicalLocation"]["region"]["startLine"]);
  Outcome OnlyNew = C.check("--baseline base.sarif --only-new");
  EXPECT_EQ(OnlyNew.Exit, 0) << OnlyNew.Err;
  EXPECT_EQ(OnlyNew.Out, "");
  Outcome Text = run(C.Name + " --srcroot . --baseline base.sarif " + CaseFlags, C.T.str());
  EXPECT_NE(Text.Err.find("baseline base.sarif: 0 new, " + std::to_string(N) +
                          " unchanged, 0 updated, 0 absent"),
            std::string::npos)
      << Text.Err;
}

TEST(Baseline, NewUpdatedAndAbsent) {
  CaseCopy C("early_return.c");
  ASSERT_EQ(C.check("--format sarif -o base.sarif").Exit, 1);
  json Base = parse(slurp(C.T / "base.sarif"));
  size_t N = Base["runs"][0]["results"].size();
  // Renamed function: its finding is new, the old one absent. A changed return statement:
  // updated.
  C.edit([](std::string S) {
    S = replaceAll(S, "int er_phandle_bad(", "int er_phandle_renamed_bad(");
    return replaceAll(S, "\t\treturn ret; // expect-warning{{krefcheck-leak}}",
                      "\t\treturn ret ; // expect-warning{{krefcheck-leak}}");
  });
  json J = parse(C.check("--format sarif --baseline base.sarif").Out);
  std::map<std::string, std::string> ByFn;
  for (const json &R : J["runs"][0]["results"])
    ByFn[R["locations"][0]["logicalLocations"][0]["name"].get<std::string>() + "/" +
         R["baselineState"].get<std::string>()] = R["ruleId"];
  EXPECT_TRUE(ByFn.count("er_phandle_renamed_bad/new"));
  EXPECT_TRUE(ByFn.count("er_phandle_bad/absent"));
  EXPECT_TRUE(ByFn.count("er_child_read_bad/updated"));
  EXPECT_TRUE(ByFn.count("er_compat_disabled_bad/unchanged"));
  EXPECT_EQ(J["runs"][0]["results"].size(), N + 1);
  // --only-new: just the new one, in text and SARIF; the exit status counts it.
  Outcome Text = C.check("--baseline base.sarif --only-new");
  EXPECT_EQ(Text.Exit, 1);
  EXPECT_EQ(count(Text.Out, ": warning: "), 1u) << Text.Out;
  EXPECT_NE(Text.Out.find("in er_phandle_renamed_bad()"), std::string::npos) << Text.Out;
  json Only = parse(C.check("--format sarif --baseline base.sarif --only-new").Out);
  EXPECT_EQ(states(Only), std::vector<std::string>{"new"});
}

// The fingerprint reads structured fields only: rewording the message or a note keeps it (a
// v1 fingerprint hashed step kinds recovered from the notes' wording), the family and each
// step's kind change it.
TEST(Sarif, FingerprintReadsFieldsNeverText) {
  const std::string Root = "/src";
  Finding A = sampleFinding("/src/drivers/x.c");
  Finding B = A;
  B.Message = "'np' leaks (reworded)";
  for (PathStep &S : B.Path) S.Message = "a loop note, reworded: Assuming Calling oop branch";
  EXPECT_EQ(fingerprintOf(A, Root), fingerprintOf(B, Root));
  Finding C = A;
  C.Family = "fwnode";
  EXPECT_NE(fingerprintOf(A, Root), fingerprintOf(C, Root));
  Finding D = A;
  D.Path[1].Kind = StepKind::Note;
  EXPECT_NE(fingerprintOf(A, Root), fingerprintOf(D, Root));
  EXPECT_EQ(fingerprintOf(A, Root).size(), 32u);
}

// Workers send findings to the parent as JSON: every structured field survives, each step's
// kind by name; JSON from before the fields existed still reads; an unknown kind is an error.
TEST(Sarif, FindingFieldsRoundTripThroughJson) {
  Finding F = sampleFinding("/src/drivers/x.c");
  F.Path.insert(F.Path.begin() + 1,
                PathStep{{"/src/drivers/x.c", 15, 2}, "Entering loop body", StepKind::Loop});
  F.Path.insert(F.Path.begin() + 1,
                PathStep{{"/src/drivers/x.c", 14, 2}, "Calling 'h'", StepKind::Call});
  F.Path.insert(F.Path.begin() + 1, PathStep{{"/src/drivers/x.c", 14, 2}, "x", StepKind::Release});
  F.Path.insert(F.Path.begin() + 1, PathStep{{"/src/drivers/x.c", 14, 2}, "y", StepKind::Note});
  json J = F;
  EXPECT_EQ(J.at("family"), "device_node");
  EXPECT_EQ(J.at("release"), "of_node_put");
  EXPECT_EQ(J.at("message_key"), F.MessageKey);
  std::vector<std::string> Kinds;
  for (const json &S : J.at("path")) Kinds.push_back(S.at("kind"));
  EXPECT_EQ(Kinds, (std::vector<std::string>{"acquire", "note", "release", "call", "loop", "branch",
                                             "lost"}));
  Finding G = J.get<Finding>();
  EXPECT_EQ(G.Family, F.Family);
  EXPECT_EQ(G.ReleaseFunction, F.ReleaseFunction);
  EXPECT_EQ(G.MessageKey, F.MessageKey);
  ASSERT_EQ(G.Path.size(), F.Path.size());
  for (size_t I = 0; I < F.Path.size(); ++I) EXPECT_EQ(G.Path[I].Kind, F.Path[I].Kind);
  EXPECT_EQ(fingerprintOf(G, "/src"), fingerprintOf(F, "/src"));
  J.erase("family");
  J.erase("release");
  J.erase("message_key");
  EXPECT_TRUE(J.get<Finding>().Family.empty());
  J["path"][0]["kind"] = "acquired";
  EXPECT_THROW(J.get<Finding>(), std::invalid_argument);
}

// A baseline written by a krefcheck with v1 fingerprints cannot be matched: one line saying
// to re-create it, exit 2 (not every finding "new" and every old one "absent").
TEST(Baseline, OlderVersionBaselineIsRefused) {
  TempDir T;
  Outcome S = run("-p testdata/demo -j 2 --quiet --format sarif -o " + (T / "new.sarif"));
  ASSERT_EQ(S.Exit, 1) << S.Err;
  json J = json::parse(std::ifstream(T / "new.sarif"));
  for (json &R : J["runs"][0]["results"]) {
    json Fp = R["partialFingerprints"]["krefcheck/v2"];
    R["partialFingerprints"] = json{{"krefcheck/v1", Fp}};
  }
  std::ofstream(T / "v1.sarif") << J.dump();
  Outcome R = run("-p testdata/demo -j 2 --quiet --baseline " + (T / "v1.sarif"));
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Err, "krefcheck: error: " + (T / "v1.sarif") +
                       ": baseline written by an older krefcheck (fingerprint \"krefcheck/v1\", "
                       "this version writes \"krefcheck/v2\"): re-create it with this version\n");
  // The same log with its v2 fingerprints is a baseline: nothing new.
  Outcome N = run("-p testdata/demo -j 2 --quiet --only-new --baseline " + (T / "new.sarif"));
  EXPECT_EQ(N.Exit, 0) << N.Err;
}

// "updated" compares the message keys the checker made (line numbers as N), not the texts.
TEST(Baseline, UpdatedComparesMessageKeys) {
  Baseline B;
  BaselineResult Old;
  Old.Fingerprint = "f:1";
  Old.MessageKey = "'np' from x() (line N) is not released";
  B.Results.push_back(Old);
  SourceCache SC;
  std::vector<ReportedResult> Rs(3);
  for (ReportedResult &R : Rs) {
    R.Fingerprint = "f:1";
    R.F.Loc = {"/nonexistent/x.c", 20, 3};
  }
  Rs[0].F.Message = "'np' from x() (line 12) is not released";  // moved: same key
  Rs[0].F.MessageKey = Old.MessageKey;
  Rs[1].F.Message = "'np' from x() (line 12) is not released";
  Rs[1].F.MessageKey = "'np' from x() (line N) is not released (of_node_put() missing)";
  Rs[2].Fingerprint = "g:1";
  EXPECT_TRUE(applyBaseline(Rs, B, SC).empty());
  EXPECT_EQ(Rs[0].State, BaselineState::Unchanged);
  EXPECT_EQ(Rs[1].State, BaselineState::Updated);
  EXPECT_EQ(Rs[2].State, BaselineState::New);
}

TEST(Baseline, BadBaselineAndOnlyNewWithoutOne) {
  TempDir T;
  std::ofstream(T / "bad.sarif") << "{\"runs\": [{\"results\": [{\"ruleId\": \"x\"}]}]}";
  Outcome R = run("-p testdata/demo --baseline " + (T / "bad.sarif"));
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(count(R.Err, "\n"), 1u) << R.Err;
  EXPECT_NE(
      R.Err.find("bad.sarif: malformed baseline: runs[0].results[0] has no partialFingerprints"),
      std::string::npos)
      << R.Err;
  Outcome M = run("-p testdata/demo --only-new");
  EXPECT_EQ(M.Exit, 2);
  EXPECT_EQ(M.Err, "krefcheck: --only-new needs --baseline FILE\n");
}

TEST(Suppressions, MatchedFindingsAreKeptOutOfTextAndExitStatus) {
  CaseCopy C("iter_break.c");
  json All = parse(C.check("--format sarif").Out);
  const json &Res = All["runs"][0]["results"];
  ASSERT_GE(Res.size(), 3u);
  json Supp = json::array();
  Supp.push_back({{"fingerprint", Res[0]["partialFingerprints"]["krefcheck/v2"]},
                  {"justification", "the child is put by the caller (see commit abc)"}});
  Supp.push_back({{"rule", "krefcheck-loop-leak"},
                  {"file", "iter_break.c"},
                  {"function", Res[1]["locations"][0]["logicalLocations"][0]["name"]},
                  {"justification", "false positive, reported upstream"}});
  std::ofstream(C.T / "supp.json") << Supp.dump(1);
  Outcome Text = run(C.Name + " --srcroot . --suppressions supp.json " + CaseFlags, C.T.str());
  EXPECT_EQ(Text.Exit, 1);
  EXPECT_EQ(count(Text.Out, ": warning: "), Res.size() - 2) << Text.Out;
  EXPECT_EQ(count(Text.Err, "2 findings suppressed by supp.json\n"), 1u) << Text.Err;
  json J = parse(C.check("--format sarif --suppressions supp.json").Out);
  ASSERT_EQ(J["runs"][0]["results"].size(), Res.size());
  const json &S0 = J["runs"][0]["results"][0]["suppressions"];
  ASSERT_EQ(S0.size(), 1u);
  EXPECT_EQ(S0[0]["kind"], "external");
  EXPECT_EQ(S0[0]["justification"], "the child is put by the caller (see commit abc)");
  EXPECT_EQ(J["runs"][0]["results"][1]["suppressions"][0]["justification"],
            "false positive, reported upstream");
  EXPECT_FALSE(J["runs"][0]["results"][2].contains("suppressions"));
  // Everything suppressed: exit 0.
  std::ofstream(C.T / "all.json")
      << R"([{"file": "iter_break.c", "justification": "legacy file, tracked in #12"}])";
  Outcome None = C.check("--suppressions all.json");
  EXPECT_EQ(None.Exit, 0);
  EXPECT_EQ(None.Out, "");
  EXPECT_NE(None.Err.find("suppressed by all.json"), std::string::npos);
}

TEST(Suppressions, MalformedFileIsOneLineAndExit2) {
  TempDir T;
  struct Case {
    std::string Text, Error;
  } Cases[] = {
      {R"([{"fingerprint": "abc:1"}])", ": entry 0: missing \"justification\""},
      {R"([{"rule": "krefcheck-leak", "justification": "ok"}, {"file": 3, "justification": "x"}])",
       ": entry 1: field 'file': expected a string"},
      {R"([{"rule": "krefcheck-leek", "justification": "ok"}])",
       ": entry 0: field 'rule': unknown rule id 'krefcheck-leek'"},
      {R"([{"justification": "ok"}])", ": entry 0: needs \"fingerprint\""},
      {R"([{"fingerprint": "a", "why": "b", "justification": "c"}])",
       ": entry 0: unknown field 'why'"},
      {R"({"fingerprint": "a"})", ": malformed suppressions file: expected a JSON list"},
      {R"([{"fingerprint": )", ": malformed suppressions file (not JSON: "},
  };
  for (const Case &C : Cases) {
    std::ofstream(T / "s.json") << C.Text;
    Outcome R = run("-p testdata/demo --suppressions " + (T / "s.json"));
    EXPECT_EQ(R.Exit, 2) << C.Text;
    EXPECT_EQ(count(R.Err, "\n"), 1u) << R.Err;
    EXPECT_EQ(R.Err.rfind("krefcheck: error: " + (T / "s.json") + C.Error, 0), 0u) << R.Err;
    EXPECT_EQ(R.Out, "");
  }
  Outcome Missing = run("-p testdata/demo --suppressions /nonexistent.json");
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_EQ(Missing.Err, "krefcheck: error: /nonexistent.json: cannot read suppressions file: No "
                         "such file or directory\n");
}

// ---------------------------------------------------------------------------------------------
// Fix suggestions

/// Writes Code to a file (the testdata headers are included on the command line, so the
/// lines are the code's own), analyses it and returns the fix of the leak reported on the line
/// containing ExitMark. Fails the test when no leak is reported there: a "no fix" expectation
/// is about a finding that exists.
std::optional<FixEdit> fixFor(const std::string &Code, const std::string &ExitMark,
                              const RuleSet &Rules = shippedRules()) {
  TempDir T;
  std::ofstream(T / "f.c") << Code;
  unsigned Line = 0;
  std::istringstream In(Code);
  unsigned N = 0;
  for (std::string L; std::getline(In, L);)
    if (++N && !Line && L.find(ExitMark) != std::string::npos) Line = N;
  CompileCommand C;
  C.Directory = T.str();
  C.File = T / "f.c";
  C.Arguments = {"clang",
                 "-nostdinc",
                 "-I",
                 Src + "/testdata/include",
                 "-std=gnu11",
                 "-D__KERNEL__",
                 "-Wno-implicit-function-declaration"};
  for (const char *H :
       {"linux/kernel.h", "linux/errno.h", "linux/err.h", "linux/slab.h", "linux/of.h",
        "linux/device.h", "linux/platform_device.h", "linux/of_platform.h"})
    C.Arguments.insert(C.Arguments.end(), {"-include", H});
  C.Arguments.insert(C.Arguments.end(), {"-c", "f.c"});
  TUResult R = analyzeTU(C, Rules, TUOptions());
  EXPECT_TRUE(R.Ok) << R.Error;
  for (const Finding &F : R.Findings)
    if (F.Loc.Line == Line && (F.RuleId == "krefcheck-leak" || F.RuleId == "krefcheck-loop-leak")) {
      // The edit carries the lines it was made on.
      if (F.Fix) {
        std::vector<std::string> Lines;
        std::istringstream Src(Code);
        for (std::string L; std::getline(Src, L);) Lines.push_back(L);
        unsigned Span = std::max(F.Fix->DeletedLines, 1u);
        EXPECT_EQ(F.Fix->Original,
                  std::vector<std::string>(Lines.begin() + F.Fix->StartLine - 1,
                                           Lines.begin() + F.Fix->StartLine - 1 + Span));
        EXPECT_EQ(F.Fix->File, C.File);
      }
      return F.Fix;
    }
  ADD_FAILURE() << "no leak reported on line " << Line << " (" << ExitMark << ")";
  return std::nullopt;
}

TEST(Fix, InsertsThePutOrWrapsTheBracelessIf) {
  std::string Code = "int f(struct device *dev)\n"
                     "{\n"
                     "\tstruct device_node *np;\n"
                     "\n"
                     "\tnp = of_get_child_by_name(dev->of_node, \"x\");\n"
                     "\tif (!np)\n"
                     "\t\treturn -ENODEV;\n"
                     "\tif (of_property_read_bool(np, \"y\"))\n"
                     "\t\treturn -EINVAL; /* leak */\n"
                     "\tpr_info(\"%pOF\\n\", np);\n"
                     "\treturn 0; /* leak2 */\n"
                     "}\n";
  // (One leak per acquire is reported: the early return goes for the first exit.)
  std::optional<FixEdit> A = fixFor(
      replaceAll(Code, "\tif (of_property_read_bool(np, \"y\"))\n\t\treturn -EINVAL; /* leak */\n",
                 "\tof_property_read_bool(np, \"y\");\n\tpr_info(\"y\\n\");\n"),
      "leak2");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->StartLine, 11u);
  EXPECT_EQ(A->DeletedLines, 0u);
  EXPECT_EQ(A->Text, "\tof_node_put(np);\n");
  EXPECT_EQ(A->Description, "Release 'np' with of_node_put() before returning");
  std::optional<FixEdit> B = fixFor(Code, "/* leak */");
  ASSERT_TRUE(B);
  EXPECT_EQ(B->StartLine, 8u);
  EXPECT_EQ(B->DeletedLines, 2u);
  EXPECT_EQ(B->Text, "\tif (of_property_read_bool(np, \"y\")) {\n\t\tof_node_put(np);\n"
                     "\t\treturn -EINVAL; /* leak */\n\t}\n");
  // The embedded device of a platform_device-like variable: the rules' embedding member.
  std::string Pdev = "int g(struct device_node *n)\n{\n\tstruct platform_device *pdev;\n\n"
                     "\tpdev = of_find_device_by_node(n);\n\tif (!pdev)\n\t\treturn -ENODEV;\n"
                     "\treturn 0; /* leak */\n}\n";
  std::optional<FixEdit> C = fixFor(Pdev, "leak");
  ASSERT_TRUE(C);
  EXPECT_EQ(C->Text, "\tput_device(&pdev->dev);\n");
  std::string Dev = replaceAll(replaceAll(Pdev, "platform_device", "device"),
                               "of_find_device_by_node(n)", "bus_find_device_by_of_node(NULL, n)");
  std::optional<FixEdit> D = fixFor(Dev, "leak");
  ASSERT_TRUE(D);
  EXPECT_EQ(D->Text, "\tput_device(pdev);\n");
}

TEST(Fix, PutBeforeTheGotoOfTheLeakingPath) {
  std::string Code = "u32 v; int f(struct device *dev)\n"
                     "{\n"
                     "\tstruct device_node *np;\n"
                     "\tint ret;\n"
                     "\n"
                     "\tnp = of_get_child_by_name(dev->of_node, \"x\");\n"
                     "\tif (!np)\n"
                     "\t\treturn -ENODEV;\n"
                     "\tret = of_property_read_u32(np, \"y\", &v);\n"
                     "\tif (ret) /* BRANCH */\n"
                     "\t\tgoto err;\n"
                     "\tof_node_put(np);\n"
                     "\treturn 0;\n"
                     "err:\n"
                     "\tkfree(dev->platform_data);\n"
                     "\treturn ret; /* EXIT */\n"
                     "}\n";
  std::optional<FixEdit> A = fixFor(Code, "EXIT");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->StartLine, 10u);
  EXPECT_EQ(A->DeletedLines, 2u);
  EXPECT_EQ(A->Text, "\tif (ret) { /* BRANCH */\n\t\tof_node_put(np);\n\t\tgoto err;\n\t}\n");
  EXPECT_EQ(A->Description, "Release 'np' with of_node_put() before the goto err");
  // A block ending in the goto.
  std::string Block =
      replaceAll(Code, "\tif (ret) /* BRANCH */\n\t\tgoto err;\n",
                 "\tif (ret) { /* BRANCH */\n\t\tpr_err(\"no y\\n\");\n\t\tgoto err;\n\t}\n");
  std::optional<FixEdit> B = fixFor(Block, "EXIT");
  ASSERT_TRUE(B);
  EXPECT_EQ(B->StartLine, 12u);
  EXPECT_EQ(B->DeletedLines, 0u);
  EXPECT_EQ(B->Text, "\t\tof_node_put(np);\n");
  // The label's code still uses the node: no fix.
  EXPECT_FALSE(
      fixFor(replaceAll(Code, "kfree(dev->platform_data)", "pr_err(\"%pOF\\n\", np)"), "EXIT"));
  // A put between the acquire and the goto (on another path): no fix.
  EXPECT_FALSE(fixFor(replaceAll(Code, "\tif (ret) /* BRANCH */",
                                 "\tif (v == 7)\n\t\tof_node_put(np);\n\tif (ret) /* BRANCH */"),
                      "EXIT"));
}

// The release comes from the finding's family, as the checker filled it, also for an API the
// base rules do not know (a same-file helper's summary).
TEST(Fix, ReleaseFromTheSummarysFamily) {
  std::string Code = "static struct device_node *zz_helper_find_ctrl(struct device_node *p)\n"
                     "{\n"
                     "\treturn of_get_child_by_name(p, \"ctrl\");\n"
                     "}\n"
                     "int f(struct device *dev)\n"
                     "{\n"
                     "\tstruct device_node *np;\n"
                     "\n"
                     "\tnp = zz_helper_find_ctrl(dev->of_node);\n"
                     "\tif (!np)\n"
                     "\t\treturn -ENODEV;\n"
                     "\treturn 0; /* X */\n"
                     "}\n";
  std::optional<FixEdit> Fx = fixFor(Code, "X");
  ASSERT_TRUE(Fx);
  EXPECT_EQ(Fx->StartLine, 12u);
  EXPECT_EQ(Fx->Text, "\tof_node_put(np);\n");
}

// The member through which a struct embeds the family's object comes from the rules
// ("embedding_member"), checked against the struct's fields, for any family.
TEST(Fix, EmbeddingMemberFromTheRules) {
  std::string Code = "struct kobj { int n; };\n"
                     "struct wrap { int x; struct kobj base; };\n"
                     "struct wrap *wrap_find(int id);\n"
                     "void kobj_put(struct kobj *o);\n"
                     "int f(int id)\n"
                     "{\n"
                     "\tstruct wrap *w;\n"
                     "\n"
                     "\tw = wrap_find(id);\n"
                     "\tif (!w)\n"
                     "\t\treturn -ENODEV;\n"
                     "\treturn 0; /* X */\n"
                     "}\n";
  auto Rules = [](const std::string &Member) {
    RuleSet R = shippedRules();
    std::string Err;
    EXPECT_TRUE(R.loadString(
        R"({"families": [{"name": "kobj", "release": "kobj_put", "type": "struct kobj")" + Member +
            R"(}], "functions": [{"name": "wrap_find", "family": "kobj", "returns": "acquired"},
             {"name": "kobj_put", "family": "kobj", "args": [{"index": 0, "effect": "release"}]}]})",
        "kobj.json", Err))
        << Err;
    EXPECT_TRUE(R.finalize(Err)) << Err;
    return R;
  };
  std::optional<FixEdit> Fx = fixFor(Code, "X", Rules(R"(, "embedding_member": "base")"));
  ASSERT_TRUE(Fx);
  EXPECT_EQ(Fx->Text, "\tkobj_put(&w->base);\n");
  // No embedding member in the rules, or one the struct does not have: the variable is not the
  // family's object and nothing says how to reach it, so no fix.
  EXPECT_FALSE(fixFor(Code, "X", Rules("")));
  EXPECT_FALSE(fixFor(Code, "X", Rules(R"(, "embedding_member": "obj")")));
}

TEST(Fix, NoFixWhenItIsNotUnambiguous) {
  auto Func = [](const std::string &Body) {
    return "int f(struct device *dev, int a)\n{\n\tstruct device_node *np;\n\tint ret = 0;\n\n" +
           Body + "}\n";
  };
  const std::string Get = "\tnp = of_get_child_by_name(dev->of_node, \"x\");\n";
  // The return expression uses the variable.
  EXPECT_FALSE(fixFor(Func(Get + "\treturn of_property_read_bool(np, \"y\"); /* X */\n"), "X"));
  // Another path through the exit already put it.
  EXPECT_FALSE(fixFor(Func(Get + "\tif (a)\n\t\tof_node_put(np);\n\treturn 0; /* X */\n"), "X"));
  // Stored on another path.
  EXPECT_FALSE(
      fixFor(Func(Get + "\tif (a)\n\t\tdev->platform_data = np;\n\treturn 0; /* X */\n"), "X"));
  // A jump from before the acquire reaches the exit: np is not set there.
  EXPECT_FALSE(fixFor(
      Func("\tif (a)\n\t\tgoto out;\n" + Get + "\tret = 1;\nout:\n\treturn ret; /* X */\n"), "X"));
  // Acquired in an inner block only.
  EXPECT_FALSE(
      fixFor(Func("\tif (a) {\n\t" + Get + "\t\tret = 1;\n\t}\n\treturn ret; /* X */\n"), "X"));
  // if/else: adding braces to one arm is left to the author.
  EXPECT_FALSE(fixFor(Func(Get + "\tif (a)\n\t\treturn -EINVAL; /* X */\n\telse\n\t\tret = 1;\n"
                                 "\treturn ret;\n"),
                      "X"));
  // The return on the same line as its if.
  EXPECT_FALSE(fixFor(
      Func(Get + "\tif (a) return -EINVAL; /* X */\n\tof_node_put(np);\n\treturn 0;\n"), "X"));
  // An error pointer may reach the exit.
  EXPECT_FALSE(
      fixFor(Func("\tnp = of_find_node_opts_by_path(\"/x\", NULL);\n"
                  "\tif (IS_ERR(np)) {\n\t\tret = PTR_ERR(np);\n\t\tgoto out;\n\t}\n"
                  "\tret = of_property_read_bool(np, \"y\");\nout:\n\treturn ret; /* X */\n"),
             "X"));
  EXPECT_TRUE(fixFor(Func("\tnp = of_find_node_opts_by_path(\"/x\", NULL);\n"
                          "\tif (IS_ERR(np))\n\t\treturn PTR_ERR(np);\n\treturn ret; /* X */\n"),
                     "X"));
  // A pointer given to an indirect call, to a helper of the file, or a second declaration of
  // the name (shadowing).
  EXPECT_FALSE(
      fixFor(Func(Get + "\tif (a)\n\t\t((int (*)(struct device_node *))dev->platform_data)(np);\n"
                        "\treturn 0; /* X */\n"),
             "X"));
  EXPECT_FALSE(fixFor("static void keep(struct device *d, struct device_node *n)\n{\n"
                      "\td->platform_data = n;\n}\n" +
                          Func(Get + "\tif (a)\n\t\tkeep(dev, np);\n\treturn 0; /* X */\n"),
                      "X"));
  EXPECT_FALSE(fixFor(
      Func(Get + "\tif (a) {\n\t\tstruct device_node *np = NULL;\n\n\t\tpr_info(\"%p\", np);\n"
                 "\t}\n\treturn 0; /* X */\n"),
      "X"));
  // Sanity: the plain case does get a fix.
  EXPECT_TRUE(fixFor(Func(Get + "\tret = a;\n\treturn ret; /* X */\n"), "X"));
}

/// Runs Cmd in Dir, returns its exit status.
int shell(const std::string &Dir, const std::string &Cmd) {
  std::string Full = "cd '" + Dir + "' && " + Cmd + " >/dev/null 2>&1";
  int St = std::system(Full.c_str());
  return WIFEXITED(St) ? WEXITSTATUS(St) : -1;
}

/// (file, function, rule, message key) of each finding of a SARIF log.
std::multiset<std::string> findingKeys(const json &Log, bool OnlyFixed = false) {
  std::multiset<std::string> Out;
  for (const json &R : Log["runs"][0]["results"]) {
    if (OnlyFixed && !R.contains("fixes")) continue;
    std::string Msg = R["properties"]["krefcheck/messageKey"];
    Out.insert(R["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>() +
               " " + R["locations"][0]["logicalLocations"][0]["name"].get<std::string>() + " " +
               R["ruleId"].get<std::string>() + " " + Msg);
  }
  return Out;
}

TEST(Fix, PatchAppliesWithGitAndRemovesTheFixedFindingsOnly) {
  TempDir T;
  std::string Files;
  for (const auto &E : fs::directory_iterator(Src + "/testdata/cases")) {
    fs::copy_file(E.path(), T / E.path().filename().string());
    Files += " " + E.path().filename().string();
  }
  ASSERT_EQ(shell(T.str(), "git init -q . && git add . && git -c user.name=t -c user.email=t@t "
                           "commit -qm cases"),
            0);
  Outcome Before =
      run(Files + " --srcroot . -q --format sarif --fix-patch fix.diff " + CaseFlags, T.str());
  ASSERT_EQ(Before.Exit, 1) << Before.Err;
  json B = parse(Before.Out);
  std::multiset<std::string> Fixed = findingKeys(B, true), All = findingKeys(B);
  ASSERT_GE(Fixed.size(), 10u);
  // Every SARIF fix is in the patch.
  std::string Patch = slurp(T / "fix.diff");
  EXPECT_EQ(Patch.rfind("diff --git a/", 0), 0u) << Patch.substr(0, 300);
  for (const json &R : B["runs"][0]["results"])
    if (R.contains("fixes")) {
      std::istringstream Ins(
          R["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
              .get<std::string>());
      for (std::string L; std::getline(Ins, L);)
        EXPECT_NE(Patch.find("\n+" + L + "\n"), std::string::npos) << L;
    }
  ASSERT_EQ(shell(T.str(), "git apply --check fix.diff && git apply fix.diff"), 0) << Patch;
  Outcome After = run(Files + " --srcroot . -q --format sarif " + CaseFlags, T.str());
  std::multiset<std::string> Now = findingKeys(parse(After.Out));
  for (const std::string &K : Fixed) EXPECT_EQ(Now.count(K), 0u) << "still there: " << K;
  for (const std::string &K : Now) EXPECT_GE(All.count(K), Now.count(K)) << "new finding: " << K;
  EXPECT_EQ(Now.size(), All.size() - Fixed.size());
  // The patched sources still compile cleanly.
  EXPECT_EQ(shell(T.str(), "for f in" + Files +
                               "; do clang-19 -fsyntax-only -Werror -Wall -nostdinc -I " + Src +
                               "/testdata/include -std=gnu11 -D__KERNEL__ $f || exit 1; done"),
            0);
}

// The fix travels in the finding's JSON (workers, --format json shards) and back.
TEST(Fix, CarriedInTheFindingsJson) {
  Finding F;
  F.RuleId = "krefcheck-leak";
  json J = F;
  EXPECT_FALSE(J.contains("fix"));
  F.Fix = FixEdit{"Release 'np' with of_node_put() before returning",
                  "/x/f.c",
                  7,
                  0,
                  "\tof_node_put(np);\n",
                  {"\treturn 0;"}};
  J = F;
  EXPECT_EQ(J["fix"]["start_line"], 7);
  EXPECT_EQ(J["fix"]["original"], json::array({"\treturn 0;"}));
  Finding Back = J.get<Finding>();
  ASSERT_TRUE(Back.Fix);
  EXPECT_EQ(*Back.Fix, *F.Fix);
  // A fix does not change the fingerprint.
  Finding NoFix = F;
  NoFix.Fix.reset();
  EXPECT_EQ(fingerprintOf(F, "/x"), fingerprintOf(NoFix, "/x"));
}

// The patch holds the fixes the analysis made: a file that changed since (between a
// --format json run and its merge) keeps its fixes out of the patch, with a warning.
TEST(Fix, PatchLeavesOutFixesWhoseLinesChanged) {
  CaseCopy C("iter_break.c");
  Outcome J = C.check("--format json -o run.json");
  ASSERT_EQ(J.Exit, 1) << J.Err;
  Outcome Same = run("merge run.json --srcroot . -q --fix-patch same.diff", C.T.str());
  EXPECT_EQ(Same.Exit, 1) << Same.Err;
  EXPECT_EQ(Same.Err, "");
  EXPECT_NE(slurp(C.T / "same.diff").find("+\tof_node_put(child);\n"), std::string::npos);
  C.edit([](std::string S) {
    return replaceAll(S, "\treturn found;", "\treturn found; /* changed */");
  });
  Outcome Changed = run("merge run.json --srcroot . -q --fix-patch changed.diff", C.T.str());
  EXPECT_EQ(Changed.Exit, 1);
  EXPECT_NE(
      Changed.Err.find("iter_break.c: fix left out of the patch (outside --srcroot, unreadable, "
                       "changed since the analysis or overlapping another fix)"),
      std::string::npos)
      << Changed.Err;
  EXPECT_EQ(slurp(C.T / "changed.diff").find("return found; /* changed */"), std::string::npos);
}

// The diff is built from the edits and the text they carry: no source file is read (the file
// here does not exist). Edits whose context windows touch share a hunk; an edit whose carried
// text disagrees with another's of the same file is left out.
TEST(Fix, DiffIsBuiltFromTheEditsAlone) {
  auto Edit = [](unsigned Start, std::vector<std::string> Before, std::string Orig,
                 std::vector<std::string> After) {
    FixEdit E;
    E.File = "/nonexistent/src/a.c";
    E.StartLine = Start;
    E.Text = "\tof_node_put(np);\n";
    E.Original = {Orig};
    E.Before = Before;
    E.After = After;
    E.FileLines = 12;
    E.FinalNewline = false;
    return E;
  };
  std::vector<FixEdit> Fixes = {
      Edit(4, {"l1", "l2", "l3"}, "\treturn -EINVAL;", {"l5", "l6", "l7"}),
      Edit(10, {"l7", "l8", "l9"}, "\treturn 0;", {"l11", "}"}),
      Edit(11, {"l8", "l9", "\treturn 0;"}, "DIFFERENT", {"}"})};
  std::vector<std::string> Skipped;
  std::string D = unifiedDiff(Fixes, "/nonexistent/src", Skipped);
  EXPECT_EQ(D, "diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n"
               "@@ -1,12 +1,14 @@\n l1\n l2\n l3\n+\tof_node_put(np);\n \treturn -EINVAL;\n l5\n"
               " l6\n l7\n l8\n l9\n+\tof_node_put(np);\n \treturn 0;\n l11\n }\n"
               "\\ No newline at end of file\n");
  EXPECT_EQ(Skipped, std::vector<std::string>{"/nonexistent/src/a.c"});
}

TEST(Fix, PatchPathsAreRelativeToSrcRoot) {
  CaseCopy C("iter_break.c");
  fs::create_directories(C.T / "sub");
  fs::rename(C.file(), C.T / "sub/iter_break.c");
  Outcome R = run("sub/iter_break.c --srcroot . -q --fix-patch p.diff " + CaseFlags, C.T.str());
  EXPECT_EQ(R.Exit, 1) << R.Err;
  std::string P = slurp(C.T / "p.diff");
  EXPECT_EQ(P.rfind("diff --git a/sub/iter_break.c b/sub/iter_break.c\n--- a/sub/iter_break.c\n"
                    "+++ b/sub/iter_break.c\n@@ ",
                    0),
            0u)
      << P;
  // Outside --srcroot: left out, and said so.
  fs::create_directories(C.T / "other");
  Outcome Out =
      run("sub/iter_break.c --srcroot other -q --fix-patch p2.diff " + CaseFlags, C.T.str());
  EXPECT_EQ(Out.Exit, 1);
  EXPECT_NE(Out.Err.find("iter_break.c: fix left out of the patch (outside --srcroot"),
            std::string::npos)
      << Out.Err;
  EXPECT_EQ(slurp(C.T / "p2.diff"), "");
}

}  // namespace

namespace {
std::string base64Decode(const std::string &In) {
  static const std::string B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string Out;
  uint32_t V = 0;
  int Bits = 0;
  for (char C : In) {
    if (C == '=') break;
    V = (V << 6) | uint32_t(B64.find(C));
    Bits += 6;
    if (Bits >= 8) {
      Bits -= 8;
      Out += char((V >> Bits) & 0xFF);
    }
  }
  return Out;
}
}  // namespace

// Kernel sources hold Latin-1 bytes (comments, strings) and so may file names: SARIF and JSON
// are valid UTF-8 (U+FFFD for such bytes, percent-encoded bytes in URIs), never an abort.
TEST(SarifCli, Latin1BytesInSourcesAndNamesGiveValidUtf8) {
  TempDir T;
  fs::create_directories(T / "src\xe9");
  std::ofstream(T / "src\xe9/dr\xe9v.c", std::ios::binary)
      << "#include <linux/of.h>\n"
         "#include <linux/errno.h>\n"
         "int f(struct device_node *parent, u32 *v)\n"
         "{\n"
         "\tstruct device_node *np;\n"
         "\tint ret;\n"
         "\tnp = of_get_child_by_name(parent, \"t\xe9iming\"); /* caf\xe9 */\n"
         "\tif (!np)\n"
         "\t\treturn -ENODEV;\n"
         "\tret = of_property_read_u32(np, \"clock\xb0\", v);\n"
         "\tif (ret)\n"
         "\t\t/* r\xe9s\xb0\xb0\xf0 */ return ret; /* caf\xe9 */\n"  // line 12
         "\tof_node_put(np);\n"
         "\treturn 0;\n"
         "}\n";
  const std::string Flags = " -- -nostdinc -I " + Src + "/testdata/include -std=gnu11";
  Outcome R =
      run("--format sarif -q --srcroot 'src\xe9' -o 'out\xe9.sarif' 'src\xe9/dr\xe9v.c'" + Flags,
          T.str());
  ASSERT_EQ(R.Exit, 1) << R.Err;
  EXPECT_EQ(R.Err, "");
  std::string Text = slurp(T / "out\xe9.sarif");
  EXPECT_TRUE(isValidUtf8(Text));
  json J = parse(Text);
  const json &Run = J["runs"][0];
  EXPECT_EQ(Run["originalUriBaseIds"]["SRCROOT"]["uri"], "file://" + T.str() + "/src%E9/");
  EXPECT_NE(Run["invocations"][0]["commandLine"].get<std::string>().find("out\xEF\xBF\xBD.sarif"),
            std::string::npos);
  ASSERT_EQ(Run["results"].size(), 1u);
  const json &Res = Run["results"][0];
  const json &Phys = Res["locations"][0]["physicalLocation"];
  EXPECT_EQ(Phys["artifactLocation"]["uri"], "dr%E9v.c");
  EXPECT_EQ(Phys["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(Phys["region"]["startLine"], 12);
  // Two tabs, "/* r", then five bytes that are not UTF-8 (five U+FFFD, one unit each), " */ ".
  EXPECT_EQ(Phys["region"]["startColumn"], 16);
  EXPECT_EQ(Phys["region"]["snippet"]["text"], "return ret; /* caf\xEF\xBF\xBD */");
  // The fix copies the Latin-1 line: its bytes are kept (base64), not replaced.
  const json &Ins = Res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"];
  ASSERT_TRUE(Ins.contains("binary")) << Ins.dump();
  EXPECT_NE(
      base64Decode(Ins["binary"]).find("/* r\xe9s\xb0\xb0\xf0 */ return ret; /* caf\xe9 */\n"),
      std::string::npos);

  Outcome JR = run("--format json -q 'src\xe9/dr\xe9v.c'" + Flags, T.str());
  ASSERT_EQ(JR.Exit, 1) << JR.Err;
  EXPECT_TRUE(isValidUtf8(JR.Out));
  json JJ = parse(JR.Out);
  EXPECT_EQ(JJ["files"][0]["findings"][0]["location"]["file"],
            T.str() + "/src\xEF\xBF\xBD/dr\xEF\xBF\xBDv.c");

  // Text output keeps the bytes of the file name.
  Outcome TR = run("-q 'src\xe9/dr\xe9v.c'" + Flags, T.str());
  EXPECT_EQ(TR.Exit, 1) << TR.Err;
  EXPECT_EQ(TR.Out.rfind("src\xe9/dr\xe9v.c:12:", 0), 0u) << TR.Out;
}

// ---------------------------------------------------------------------------------------------
// Write errors: one line with the OS reason and exit 2; destinations checked before the analysis

namespace {

/// krefcheck run in the source tree with its stdout on StdoutFd (-1: closed); stderr returned.
Outcome runWithStdout(const std::vector<std::string> &Args, int StdoutFd) {
  TempDir T;
  std::string ErrFile = T / "err";
  pid_t Pid = fork();
  if (Pid == 0) {
    int E = open(ErrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(E, 2);
    if (StdoutFd < 0) close(1);
    else dup2(StdoutFd, 1);
    if (chdir(Src.c_str()) != 0) _exit(127);
    std::vector<char *> Argv{const_cast<char *>(Bin.c_str())};
    for (const std::string &A : Args) Argv.push_back(const_cast<char *>(A.c_str()));
    Argv.push_back(nullptr);
    execv(Bin.c_str(), Argv.data());
    _exit(127);
  }
  int St = 0;
  waitpid(Pid, &St, 0);
  Outcome R;
  R.Exit = WIFEXITED(St) ? WEXITSTATUS(St) : -1;
  R.Err = slurp(ErrFile);
  return R;
}

}  // namespace

TEST(OutputErrors, FullDiskIsOneLineWithTheReasonAndExit2) {
  Outcome O = run("-p testdata/demo -q -o /dev/full");
  EXPECT_EQ(O.Exit, 2);
  EXPECT_EQ(O.Err, "krefcheck: error: /dev/full: cannot write: No space left on device\n");

  int Full = open("/dev/full", O_WRONLY);
  ASSERT_GE(Full, 0);
  Outcome S = runWithStdout({"-p", "testdata/demo", "-q", "--format", "sarif"}, Full);
  close(Full);
  EXPECT_EQ(S.Exit, 2);
  EXPECT_EQ(S.Err, "krefcheck: error: <stdout>: cannot write: No space left on device\n");

  // --fix-patch: its own error, and the run goes on (the SARIF log is written).
  TempDir T;
  Outcome P = run("-p testdata/demo -q --srcroot testdata/demo --format sarif -o " +
                  (T / "o.sarif") + " --fix-patch /dev/full");
  EXPECT_EQ(P.Exit, 2);
  EXPECT_EQ(P.Err, "krefcheck: error: /dev/full: cannot write: No space left on device\n");
  EXPECT_EQ(parse(slurp(T / "o.sarif"))["runs"][0]["results"].size(), 3u);
}

TEST(OutputErrors, ClosedPipeAndClosedStdout) {
  int P[2];
  ASSERT_EQ(pipe(P), 0);
  close(P[0]);  // nobody reads: the first write gets EPIPE (SIGPIPE must not kill silently)
  Outcome R = runWithStdout({"-p", "testdata/demo", "-q"}, P[1]);
  close(P[1]);
  EXPECT_EQ(R.Exit, 2);
  EXPECT_EQ(R.Err, "krefcheck: error: <stdout>: cannot write: Broken pipe\n");

  // A closed stdout is seen before the analysis: no summaries written, no progress line.
  TempDir T;
  Outcome C = runWithStdout({"-p", "testdata/demo", "--summaries", T / "store"}, -1);
  EXPECT_EQ(C.Exit, 2);
  EXPECT_EQ(C.Err, "krefcheck: error: <stdout>: cannot write: Bad file descriptor\n");
  EXPECT_FALSE(fs::exists(T / "store"));
}

TEST(OutputErrors, DestinationsAreCheckedBeforeTheAnalysis) {
  TempDir T;
  // Not quiet, with a summary store: an error before the analysis prints nothing else and
  // writes no store.
  Outcome O = run("-p testdata/demo --summaries " + (T / "store") + " -o /nonexistent/dir/o.sarif");
  EXPECT_EQ(O.Exit, 2);
  EXPECT_EQ(
      O.Err,
      "krefcheck: error: /nonexistent/dir/o.sarif: cannot write: No such file or directory\n");
  EXPECT_FALSE(fs::exists(T / "store"));
  Outcome F =
      run("-p testdata/demo --summaries " + (T / "store") + " --fix-patch /nonexistent/p.diff");
  EXPECT_EQ(F.Exit, 2);
  EXPECT_EQ(F.Err,
            "krefcheck: error: /nonexistent/p.diff: cannot write: No such file or directory\n");
  EXPECT_FALSE(fs::exists(T / "store"));
  Outcome D = run("-p testdata/demo -o " + T.str());
  EXPECT_EQ(D.Exit, 2);
  EXPECT_EQ(D.Err, "krefcheck: error: " + T.str() + ": cannot write: Is a directory\n");

  // A run that stops on an error leaves an existing -o file as it was and creates none.
  std::ofstream(T / "old.sarif") << "old";
  Outcome E = run("-p " + (T / "nodb") + " -o " + (T / "old.sarif"));
  EXPECT_EQ(E.Exit, 2);
  EXPECT_EQ(slurp(T / "old.sarif"), "old");
  Outcome N = run("-p " + (T / "nodb") + " -o " + (T / "new.sarif"));
  EXPECT_EQ(N.Exit, 2);
  EXPECT_FALSE(fs::exists(T / "new.sarif"));
  // A good run replaces the old content entirely.
  Outcome G = run("-p testdata/demo -q --format json -o " + (T / "old.sarif"));
  EXPECT_EQ(G.Exit, 1) << G.Err;
  EXPECT_EQ(parse(slurp(T / "old.sarif"))["tool"], "krefcheck");
}
