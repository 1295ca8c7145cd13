// Runs every testdata case through the analysis and compares the findings with the
// expectations written in the source (clang -verify style):
//   // expect-warning{{krefcheck-leak}}        a finding with that rule id on this line
//   // expect-warning@+1{{...}} / @-2 / @7     on a line relative to this one, or absolute
//   // expect-warning{{krefcheck-leak}}{{'np' from ...}}  ... with exactly that message
//   // expect-no-findings                      the file must produce no finding
//   // expect-fix{{-1,2}}{{\tif (x) {\n...}}     the fix of the finding on this line (see
//                                              testdata/README.md); a file with one pins all
// Any missing or extra finding (or, in a file that pins fixes, fix) fails the case.
#include "analysis/TUAnalyzer.h"
#include "compdb/CompileDb.h"
#include "rules/Rules.h"
#include "run/Runner.h"
#include "summaries/WholeProgram.h"

#include <gtest/gtest.h>

#include "TestSupport.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace krefcheck;

namespace {

const std::string Src = KREFCHECK_SOURCE_DIR;

/// A pinned fix: the first line it touches, how many it deletes, and the lines it adds (its
/// new lines that are not unchanged copies of deleted ones).
struct FixPin {
  unsigned Start = 0, Deleted = 0;
  std::vector<std::string> Added;
  bool operator<(const FixPin &O) const {
    return std::tie(Start, Deleted, Added) < std::tie(O.Start, O.Deleted, O.Added);
  }
  std::string str() const {
    std::string S =
        "line " + std::to_string(Start) + ", " + std::to_string(Deleted) + " deleted, adds";
    for (const std::string &A : Added) S += " [" + A + "]";
    return S;
  }
};

/// The FixPin of an edit: Added are the new lines not found, in order, among the deleted ones.
FixPin pinOf(const FixEdit &E) {
  FixPin P{E.StartLine, E.DeletedLines, {}};
  std::vector<std::string> New;
  std::istringstream In(E.Text);
  for (std::string L; std::getline(In, L);) New.push_back(L);
  size_t J = 0;
  for (const std::string &L : New) {
    size_t K = J;
    while (K < E.Original.size() && E.DeletedLines && E.Original[K] != L) ++K;
    if (E.DeletedLines && K < E.Original.size()) J = K + 1;
    else P.Added.push_back(L);
  }
  return P;
}

/// `\t` is a tab, `\n` separates lines, `\\` is a backslash.
std::vector<std::string> unescapeLines(const std::string &S) {
  std::vector<std::string> Out(1);
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] == '\\' && I + 1 < S.size()) {
      char C = S[++I];
      if (C == 'n') Out.emplace_back();
      else Out.back() += C == 't' ? '\t' : C;
    } else {
      Out.back() += S[I];
    }
  }
  return Out;
}

struct Expectations {
  std::multiset<std::pair<unsigned, std::string>> Want;  // (line, rule)
  // Finding line -> the fixes pinned for the findings there (`expect-fix{{...}}{{...}}`).
  std::map<unsigned, std::multiset<FixPin>> Fixes;
  bool PinsFixes = false;  // the file has an expect-fix: every fix in it must be pinned
  // (line, rule) -> the exact messages pinned there (`expect-warning{{rule}}{{message}}`)
  std::map<std::pair<unsigned, std::string>, std::multiset<std::string>> Messages;
  bool NoFindings = false;
};

Expectations parseExpectations(const std::string &Path) {
  Expectations E;
  std::ifstream In(Path);
  std::string Line;
  static const std::regex Re(
      R"(expect-warning(@([+-]?)(\d+))?\{\{([a-z-]+)\}\}(\{\{(([^}]|\}[^}])*)\}\})?)");
  // The text ends at the "}}" that ends the annotation (a line may end in "}": `\t}}}`).
  static const std::regex FixRe(
      R"(expect-fix(@([+-]?)(\d+))?\{\{([+-]?)(\d+)(,(\d+))?\}\}\{\{(.*?)\}\}(?=\s|$|\{\{))");
  unsigned N = 0;
  while (std::getline(In, Line)) {
    ++N;
    if (Line.find("expect-no-findings") != std::string::npos) E.NoFindings = true;
    for (std::sregex_iterator It(Line.begin(), Line.end(), FixRe), End; It != End; ++It) {
      const std::smatch &M = *It;
      unsigned At = N;
      if (M[1].matched) {
        unsigned Off = std::stoul(M[3].str());
        At = M[2].str() == "+" ? N + Off : M[2].str() == "-" ? N - Off : Off;
      }
      FixPin P;
      unsigned L = std::stoul(M[5].str());
      P.Start = M[4].str() == "+" ? At + L : M[4].str() == "-" ? At - L : L;
      P.Deleted = M[6].matched ? std::stoul(M[7].str()) : 0;
      P.Added = unescapeLines(M[8].str());
      E.Fixes[At].insert(P);
      E.PinsFixes = true;
    }
    for (std::sregex_iterator It(Line.begin(), Line.end(), Re), End; It != End; ++It) {
      const std::smatch &M = *It;
      unsigned At = N;
      if (M[1].matched) {
        unsigned Off = std::stoul(M[3].str());
        if (M[2].str() == "+") At = N + Off;
        else if (M[2].str() == "-") At = N - Off;
        else At = Off;
      }
      E.Want.insert({At, M[4].str()});
      if (M[5].matched) E.Messages[{At, M[4].str()}].insert(M[6].str());
    }
  }
  return E;
}

std::string compare(const std::string &Path, const Expectations &E, const TUResult &R) {
  std::ostringstream Msg;
  if (!R.Ok) Msg << "analysis failed: " << R.Error << "\n";
  std::multiset<std::pair<unsigned, std::string>> Got;
  std::map<std::pair<unsigned, std::string>, std::string> Text;
  std::map<std::pair<unsigned, std::string>, std::multiset<std::string>> GotMessages;
  std::map<unsigned, std::multiset<FixPin>> GotFixes;
  for (const Finding &F : R.Findings) {
    if (fs::path(F.Loc.File).lexically_normal() != fs::path(Path).lexically_normal()) {
      Msg << "finding outside the case file: " << F.Loc.File << ":" << F.Loc.Line << " " << F.RuleId
          << "\n";
      continue;
    }
    Got.insert({F.Loc.Line, F.RuleId});
    Text[{F.Loc.Line, F.RuleId}] = F.Message + " [in " + F.Function + "()]";
    GotMessages[{F.Loc.Line, F.RuleId}].insert(F.Message);
    if (F.Fix) GotFixes[F.Loc.Line].insert(pinOf(*F.Fix));
    // The checker's facts reached the finding (by its report's tag, not its message).
    if (F.MessageKey.empty())
      Msg << "finding without the checker's facts: line " << F.Loc.Line << " " << F.RuleId << "\n";
  }
  // Pinned messages: each must be the exact text of a finding with that rule on that line.
  for (auto &[Key, Msgs] : E.Messages) {
    std::multiset<std::string> Have = GotMessages[Key];
    for (const std::string &M : Msgs) {
      auto It = Have.find(M);
      if (It != Have.end()) {
        Have.erase(It);
        continue;
      }
      Msg << "message: line " << Key.first << " " << Key.second << ": expected \"" << M
          << "\", got";
      for (const std::string &H : GotMessages[Key]) Msg << " \"" << H << "\"";
      Msg << "\n";
    }
  }
  // Pinned fixes: in a file that pins any, the fixes on each line are exactly the pinned ones.
  if (E.PinsFixes) {
    std::set<unsigned> Lines;
    for (auto &[L, P] : E.Fixes) Lines.insert(L);
    for (auto &[L, P] : GotFixes) Lines.insert(L);
    for (unsigned L : Lines) {
      auto WIt = E.Fixes.find(L);
      const std::multiset<FixPin> Want =
          WIt == E.Fixes.end() ? std::multiset<FixPin>() : WIt->second;
      const std::multiset<FixPin> &Have = GotFixes[L];
      std::vector<FixPin> NotMade, NotPinned;
      std::set_difference(Want.begin(), Want.end(), Have.begin(), Have.end(),
                          std::back_inserter(NotMade));
      std::set_difference(Have.begin(), Have.end(), Want.begin(), Want.end(),
                          std::back_inserter(NotPinned));
      for (const FixPin &P : NotMade) Msg << "fix missing: line " << L << ": " << P.str() << "\n";
      for (const FixPin &P : NotPinned) Msg << "fix extra:   line " << L << ": " << P.str() << "\n";
    }
  }
  std::vector<std::pair<unsigned, std::string>> Missing, Extra;
  std::set_difference(E.Want.begin(), E.Want.end(), Got.begin(), Got.end(),
                      std::back_inserter(Missing));
  std::set_difference(Got.begin(), Got.end(), E.Want.begin(), E.Want.end(),
                      std::back_inserter(Extra));
  for (auto &[L, Rule] : Missing) Msg << "missing: line " << L << " " << Rule << "\n";
  for (auto &[L, Rule] : Extra)
    Msg << "extra:   line " << L << " " << Rule << ": " << Text[{L, Rule}] << "\n";
  if (E.Want.empty() && !E.NoFindings)
    Msg << "the case declares no expectation: add '// expect-no-findings' if none is wanted\n";
  if (E.NoFindings && !E.Want.empty())
    Msg << "the case says expect-no-findings but also expects warnings\n";
  return Msg.str();
}

// The runner itself: a pinned message is compared exactly, a rule-only annotation is not.
TEST(Expectations, PinnedMessagesAreComparedExactly) {
  fs::path File = fs::temp_directory_path() / ("krefcheck-pin-" + std::to_string(getpid()) + ".c");
  std::ofstream(File) << "x; // expect-warning{{krefcheck-leak}}{{'np' leaks}}\n"
                         "y; // expect-warning{{krefcheck-double-put}}\n"
                         "// expect-warning@1{{krefcheck-leak}}{{a {brace} }}\n";
  Expectations E = parseExpectations(File.string());
  fs::remove(File);
  ASSERT_EQ(E.Want.size(), 3u);
  auto Msgs = E.Messages[{1, "krefcheck-leak"}];
  EXPECT_EQ(Msgs, (std::multiset<std::string>{"'np' leaks", "a {brace} "}));
  EXPECT_EQ(E.Messages.count({2, "krefcheck-double-put"}), 0u);
  TUResult R;
  Finding F;
  F.Loc = {File.string(), 1, 1};
  F.RuleId = "krefcheck-leak";
  F.MessageKey = "k";
  F.Message = "'np' leaks";
  R.Findings.push_back(F);
  F.Message = "a {brace} ";
  R.Findings.push_back(F);
  F.Loc.Line = 2;
  F.RuleId = "krefcheck-double-put";
  F.Message = "anything";
  R.Findings.push_back(F);
  EXPECT_EQ(compare(File.string(), E, R), "");
  R.Findings[0].Message = "'np' leaks (reworded)";
  EXPECT_EQ(
      compare(File.string(), E, R),
      "message: line 1 krefcheck-leak: expected \"'np' leaks\", got \"'np' leaks (reworded)\" "
      "\"a {brace} \"\n");
}

// Pinned fixes: a missing, extra or different fix fails; copies of deleted lines are not pinned.
TEST(Expectations, PinnedFixesAreComparedExactly) {
  fs::path File = fs::temp_directory_path() / ("krefcheck-fix-" + std::to_string(getpid()) + ".c");
  std::ofstream(File)
      << "\tif (x)\n"
         "\t\treturn 1; // expect-fix{{-1,2}}{{\\tif (x) {\\n\\t\\tput(np);\\n\\t}}}\n"
         "\treturn 0; // expect-fix{{+0}}{{\\tput(\"\\\\n\");}}\n"
         "\treturn 2;\n";
  Expectations E = parseExpectations(File.string());
  fs::remove(File);
  ASSERT_TRUE(E.PinsFixes);
  ASSERT_EQ(E.Fixes.size(), 2u);
  EXPECT_EQ(E.Fixes[2].begin()->str(), "line 1, 2 deleted, adds [\tif (x) {] [\t\tput(np);] [\t}]");
  EXPECT_EQ(E.Fixes[3].begin()->str(), "line 3, 0 deleted, adds [\tput(\"\\n\");]");
  TUResult R;
  Finding F;
  F.Loc = {File.string(), 2, 3};
  F.RuleId = "krefcheck-leak";
  F.MessageKey = "k";
  F.Fix = FixEdit{"",
                  File.string(),
                  1,
                  2,
                  "\tif (x) {\n\t\tput(np);\n\t\treturn 1;\n\t}\n",
                  {"\tif (x)", "\t\treturn 1;"}};
  R.Findings.push_back(F);
  F.Loc.Line = 3;
  F.Fix = FixEdit{"", File.string(), 3, 0, "\tput(\"\\n\");\n", {"\treturn 0;"}};
  R.Findings.push_back(F);
  F.Loc.Line = 4;
  F.Fix.reset();
  R.Findings.push_back(F);
  E.Want = {{2, "krefcheck-leak"}, {3, "krefcheck-leak"}, {4, "krefcheck-leak"}};
  EXPECT_EQ(compare(File.string(), E, R), "");
  R.Findings[1].Fix->Text = "\tput(np);\n";  // different
  R.Findings[2].Fix = R.Findings[0].Fix;     // not pinned
  EXPECT_EQ(compare(File.string(), E, R),
            "fix missing: line 3: line 3, 0 deleted, adds [\tput(\"\\n\");]\n"
            "fix extra:   line 3: line 3, 0 deleted, adds [\tput(np);]\n"
            "fix extra:   line 4: line 1, 2 deleted, adds [\tif (x) {] [\t\tput(np);] [\t}]\n");
  R.Findings[0].Fix.reset();  // missing
  EXPECT_NE(compare(File.string(), E, R).find("fix missing: line 2: line 1, 2 deleted"),
            std::string::npos);
}

std::vector<std::string> caseFiles() {
  std::vector<std::string> Files;
  for (auto &E : fs::directory_iterator(Src + "/testdata/cases"))
    if (E.path().extension() == ".c") Files.push_back(E.path().filename().string());
  std::sort(Files.begin(), Files.end());
  return Files;
}

CompileCommand caseCommand(const std::string &File) {
  CompileCommand C;
  C.Directory = Src + "/testdata";
  C.File = Src + "/testdata/cases/" + File;
  C.Arguments = {"clang",        "-nostdinc", "-Iinclude",    "-std=gnu11",
                 "-D__KERNEL__", "-c",        "cases/" + File};
  return C;
}

class Case : public ::testing::TestWithParam<std::string> {};

TEST_P(Case, FindingsMatchExpectations) {
  CompileCommand C = caseCommand(GetParam());
  Expectations E = parseExpectations(C.File);
  TUResult R = analyzeTU(C, shippedRules(), TUOptions());
  std::string Diff = compare(C.File, E, R);
  EXPECT_TRUE(Diff.empty()) << GetParam() << ":\n" << Diff;
}

// The same findings whether or not irrelevant bodies are skipped: skipping is an
// optimisation, never a change in results.
TEST_P(Case, SkippingBodiesChangesNothing) {
  CompileCommand C = caseCommand(GetParam());
  TUOptions Full;
  Full.StripIrrelevantBodies = false;
  TUResult A = analyzeTU(C, shippedRules(), TUOptions());
  TUResult B = analyzeTU(C, shippedRules(), Full);
  ASSERT_TRUE(A.Ok && B.Ok);
  ASSERT_EQ(A.Findings.size(), B.Findings.size());
  for (size_t I = 0; I < A.Findings.size(); ++I) {
    EXPECT_EQ(A.Findings[I].Loc.Line, B.Findings[I].Loc.Line);
    EXPECT_EQ(A.Findings[I].RuleId, B.Findings[I].RuleId);
  }
}

// A kfree() makes a function worth analysing only when it frees a struct with an owning
// field, not a string or a buffer (drivers/of/overlay.c's find_dup_cset_prop() frees two
// kasprintf() strings and cost a second of analysis for nothing).
TEST(Relevance, FreeOfAStringIsNotAnalysed) {
  CompileCommand C = caseCommand("free_relevance.c");
  TUResult R = analyzeTU(C, shippedRules(), TUOptions());
  ASSERT_TRUE(R.Ok) << R.Error;
  EXPECT_EQ(R.Functions, 5u);
  EXPECT_EQ(R.Analysed, 3u);
  ASSERT_EQ(R.Findings.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Testdata, Case, ::testing::ValuesIn(caseFiles()),
                         [](const ::testing::TestParamInfo<std::string> &I) {
                           std::string N = I.param.substr(0, I.param.size() - 2);
                           for (char &Ch : N)
                             if (!isalnum((unsigned char)Ch)) Ch = '_';
                           return N;
                         });

TEST(Demo, EveryEntryMatchesItsExpectations) {
  CompileDb Db;
  std::string Err;
  ASSERT_TRUE(loadCompileDb(Src + "/testdata/demo", Db, Err)) << Err;
  ASSERT_TRUE(Db.Errors.empty());
  ASSERT_GE(Db.Commands.size(), 3u);
  for (const CompileCommand &C : Db.Commands) {
    TUResult R = analyzeTU(C, shippedRules(), TUOptions());
    std::string Diff = compare(C.File, parseExpectations(C.File), R);
    EXPECT_TRUE(Diff.empty()) << C.File << ":\n" << Diff;
  }
}

// Cross-TU: testdata/xtu is a small tree whose APIs are defined in one file and used in another
// (a wrapper of a wrapper, a release wrapper, a registration that takes the reference, an
// iterator step, two modules defining one name differently, a static helper shadowing a
// name). Every file's findings must match its annotations with the whole-program summaries.
struct XtuRun {
  CompileDb Db;
  WholeProgram WP;
  RuleSet Rules;
};

const XtuRun &xtu() {
  static XtuRun R = [] {
    XtuRun X;
    std::string Err;
    if (!loadCompileDb(Src + "/testdata/xtu", X.Db, Err)) ADD_FAILURE() << Err;
    RunOptions Run;
    Run.Isolate = false;
    X.WP = buildWholeProgram(X.Db.Commands, shippedRules(), Run, WholeProgramOptions());
    X.Rules = withImports(shippedRules(), X.WP);
    return X;
  }();
  return R;
}

TEST(CrossTU, EveryFileMatchesItsExpectations) {
  const XtuRun &X = xtu();
  ASSERT_EQ(X.Db.Commands.size(), 4u);
  EXPECT_TRUE(X.WP.Warnings.empty());
  for (const CompileCommand &C : X.Db.Commands) {
    TUResult R = analyzeTU(C, X.Rules, TUOptions());
    dropReleasedElsewhere(R.Findings, X.WP.ReleasedFields);  // as a run does (driver/Run.cpp)
    std::string Diff = compare(C.File, parseExpectations(C.File), R);
    EXPECT_TRUE(Diff.empty()) << C.File << ":\n" << Diff;
  }
}

// A field of a struct of the driver's own header that one file fills and another releases
// (acme-wrap.c's acme_parse_pipe(), acme-common.c's acme_pipe_destroy()): the file alone reports
// it, with the field's key; the run knows the release and drops it. The field no file releases
// stays reported either way.
TEST(CrossTU, FieldReleasedInAnotherFile) {
  const XtuRun &X = xtu();
  std::vector<std::string> Keys(X.WP.ReleasedFields.begin(), X.WP.ReleasedFields.end());
  auto EndsWith = [](const std::string &S, const std::string &T) {
    return S.size() >= T.size() && S.compare(S.size() - T.size(), T.size(), T) == 0;
  };
  std::vector<std::string> Pipe;
  for (const std::string &K : Keys)
    if (K.find("acme_pipe.") != std::string::npos) Pipe.push_back(K);
  ASSERT_EQ(Pipe.size(), 1u);
  EXPECT_TRUE(
      EndsWith(Pipe[0], "/testdata/xtu/drivers/soc/acme/acme-pipe.h:acme_pipe.of_output_port"))
      << Pipe[0];
  for (const CompileCommand &C : X.Db.Commands) {
    if (C.File.find("acme-wrap.c") == std::string::npos) continue;
    TUResult R = analyzeTU(C, X.Rules, TUOptions());
    ASSERT_TRUE(R.Ok) << R.Error;
    std::vector<std::string> Held;
    for (const Finding &F : R.Findings) Held.push_back(F.HeldField);
    ASSERT_EQ(Held.size(), 2u);
    std::sort(Held.begin(), Held.end());
    EXPECT_EQ(Held[0], Pipe[0]);
    EXPECT_TRUE(EndsWith(Held[1], "acme-pipe.h:acme_pipe.of_peer")) << Held[1];
    dropReleasedElsewhere(R.Findings, X.WP.ReleasedFields);
    ASSERT_EQ(R.Findings.size(), 1u);
    EXPECT_EQ(R.Findings[0].HeldField, Held[1]);
  }
}

TEST(CrossTU, SummariesLearntAcrossFiles) {
  const XtuRun &X = xtu();
  const auto &I = X.WP.Imported;
  auto Has = [&](const char *N) { return I.count(N) != 0; };
  ASSERT_TRUE(Has("acme_find_ctrl"));
  EXPECT_EQ(I.at("acme_find_ctrl").Returns, ReturnEffect::Acquired);
  EXPECT_EQ(I.at("acme_find_ctrl").Family, "device_node");
  ASSERT_TRUE(Has("acme_find_ctrl_checked"));  // wrapper of a wrapper: a later round
  EXPECT_EQ(I.at("acme_find_ctrl_checked").Returns, ReturnEffect::Acquired);
  ASSERT_TRUE(Has("acme_put_ctrl"));
  ASSERT_NE(I.at("acme_put_ctrl").argRule(0), nullptr);
  EXPECT_EQ(I.at("acme_put_ctrl").argRule(0)->Effect, ArgEffect::Release);
  ASSERT_TRUE(Has("acme_register_node"));
  EXPECT_EQ(I.at("acme_register_node").argRule(0)->Effect, ArgEffect::Transfer);
  ASSERT_TRUE(Has("acme_next_port"));
  EXPECT_TRUE(I.at("acme_next_port").isIteratorStep());
  EXPECT_EQ(I.at("acme_bus_get_device").Family, "device");
  ASSERT_TRUE(Has("acme_parser_init"));  // stored into the caller's object: the call decides
  EXPECT_EQ(I.at("acme_parser_init").argRule(1)->Effect, ArgEffect::Transfer);
  EXPECT_EQ(I.at("acme_parser_init").argRule(1)->Into, 0);
  // Stored only by its `return 0` exit; a reference of its own, got and put: a borrow.
  ASSERT_TRUE(Has("acme_publish_node"));
  ASSERT_NE(I.at("acme_publish_node").argRule(0), nullptr);
  EXPECT_EQ(I.at("acme_publish_node").argRule(0)->Effect, ArgEffect::TransferOnSuccess);
  ASSERT_TRUE(Has("acme_peek_node"));
  ASSERT_NE(I.at("acme_peek_node").argRule(0), nullptr);
  EXPECT_EQ(I.at("acme_peek_node").argRule(0)->Effect, ArgEffect::Borrow);
  // Defined in two modules, differently: not used. Static: never exported.
  EXPECT_FALSE(Has("acme_dup_get"));
  EXPECT_NE(std::find(X.WP.Conflicts.begin(), X.WP.Conflicts.end(), "acme_dup_get"),
            X.WP.Conflicts.end());
  EXPECT_FALSE(Has("acme_node"));
  EXPECT_GE(X.WP.Rounds, 2u);
}

// testdata/xtu-argref: a function that gets its parameter's object and keeps the reference for
// its caller (fman_bind(): `return dev_get_drvdata(get_device(dev));`) is summarised `acquire`
// on that argument; one that stores it, gets it on some paths only, or takes none is not.
TEST(CrossTU, ArgumentReferenceKeptForTheCaller) {
  CompileDb Db;
  std::string Err;
  ASSERT_TRUE(loadCompileDb(Src + "/testdata/xtu-argref", Db, Err)) << Err;
  ASSERT_EQ(Db.Commands.size(), 2u);
  RunOptions Run;
  Run.Isolate = false;
  WholeProgram WP = buildWholeProgram(Db.Commands, shippedRules(), Run, WholeProgramOptions());
  const auto &I = WP.Imported;
  auto Effect0 = [&](const char *N) -> int {
    auto It = I.find(N);
    const ArgRule *A = It == I.end() ? nullptr : It->second.argRule(0);
    return A ? static_cast<int>(A->Effect) : -1;
  };
  EXPECT_EQ(Effect0("acme_fm_bind"), static_cast<int>(ArgEffect::Acquire));
  EXPECT_EQ(I.at("acme_fm_bind").argRule(0)->Family, "device");
  EXPECT_EQ(Effect0("acme_fm_hold_node"), static_cast<int>(ArgEffect::Acquire));
  EXPECT_EQ(I.at("acme_fm_hold_node").argRule(0)->Family, "device_node");
  EXPECT_EQ(Effect0("acme_fm_hold"), static_cast<int>(ArgEffect::Acquire));
  EXPECT_EQ(Effect0("acme_fm_get"), -1);  // hands the parameter back: inlined
  EXPECT_EQ(Effect0("acme_fm_peek"), -1);
  EXPECT_EQ(Effect0("acme_fm_publish"), -1);
  EXPECT_EQ(Effect0("acme_fm_try_bind"), -1);
  RuleSet Rules = withImports(shippedRules(), WP);
  for (const CompileCommand &C : Db.Commands) {
    TUResult R = analyzeTU(C, Rules, TUOptions());
    std::string Diff = compare(C.File, parseExpectations(C.File), R);
    EXPECT_TRUE(Diff.empty()) << C.File << ":\n" << Diff;
  }
}

// Without them the user file has nothing to say: the findings come from the summaries.
TEST(CrossTU, WithoutSummariesTheUsesAreOpaque) {
  const XtuRun &X = xtu();
  for (const CompileCommand &C : X.Db.Commands) {
    if (C.File.find("acme-user.c") == std::string::npos) continue;
    TUResult R = analyzeTU(C, shippedRules(), TUOptions());
    ASSERT_TRUE(R.Ok) << R.Error;
    EXPECT_TRUE(R.Findings.empty());
  }
}

// The explanation names the summarised callee, its source and where it is defined.
TEST(CrossTU, FindingExplainsTheSummarisedCallee) {
  const XtuRun &X = xtu();
  bool Saw = false;
  for (const CompileCommand &C : X.Db.Commands) {
    if (C.File.find("acme-user.c") == std::string::npos) continue;
    TUResult R = analyzeTU(C, X.Rules, TUOptions());
    for (const Finding &F : R.Findings) {
      if (F.Function != "acme_user_checked") continue;
      for (const PathStep &S : F.Path)
        if (S.Kind == StepKind::Acquire &&
            S.Message.find(
                "acme_find_ctrl_checked() returns a reference from acme_find_ctrl() (") !=
                std::string::npos &&
            S.Message.find("acme-wrap.c:") != std::string::npos)
          Saw = true;
    }
  }
  EXPECT_TRUE(Saw);
}

// Every finding explains itself: variable, API, acquire line, and a path that starts with the
// acquisition and ends where the reference is lost.
TEST(Explanation, LeakNamesVariableApiAndPath) {
  CompileCommand C = caseCommand("early_return.c");
  TUResult R = analyzeTU(C, shippedRules(), TUOptions());
  ASSERT_TRUE(R.Ok);
  ASSERT_FALSE(R.Findings.empty());
  const Finding &F = R.Findings.front();
  EXPECT_EQ(F.RuleId, "krefcheck-leak");
  EXPECT_FALSE(F.Variable.empty());
  EXPECT_FALSE(F.Api.empty());
  EXPECT_GT(F.AcquireLoc.Line, 0u);
  EXPECT_NE(F.Message.find("'" + F.Variable + "'"), std::string::npos);
  EXPECT_NE(F.Message.find(F.Api + "()"), std::string::npos);
  ASSERT_GE(F.Path.size(), 2u);
  bool SawAcquire = false;
  for (const PathStep &S : F.Path)
    if (S.Kind == StepKind::Acquire && S.Loc.Line == F.AcquireLoc.Line) SawAcquire = true;
  EXPECT_TRUE(SawAcquire);
  EXPECT_EQ(F.Path.back().Kind, StepKind::Lost);
  EXPECT_EQ(F.Path.back().Loc.Line, F.Loc.Line);
}

// Step kinds are set where the step is made, never read from its text: a variable named
// "loop_np" does not make "'loop_np' is not used after this point..." a loop step (it did when
// kinds were recovered by substring: "oop"), and the loop event is still a loop step.
TEST(Explanation, StepKindsDoNotDependOnTheWording) {
  fs::path Dir = fs::temp_directory_path() / ("krefcheck-kinds-" + std::to_string(getpid()));
  fs::create_directories(Dir);
  std::ofstream(Dir / "kinds.c") << "#include <linux/of.h>\n"
                                    "int count_branches(struct device_node *parent, int n)\n"
                                    "{\n"
                                    "\tstruct device_node *loop_np;\n"
                                    "\tint i, sum = 0;\n"
                                    "\n"
                                    "\tloop_np = of_get_child_by_name(parent, \"x\");\n"
                                    "\tif (!loop_np)\n"
                                    "\t\treturn -1;\n"
                                    "\tfor (i = 0; i < n; i++)\n"
                                    "\t\tsum += i;\n"
                                    "\treturn sum;\n"
                                    "}\n";
  CompileCommand C;
  C.Directory = Dir.string();
  C.File = (Dir / "kinds.c").string();
  C.Arguments = {"clang",      "-nostdinc",    "-I" + Src + "/testdata/include",
                 "-std=gnu11", "-D__KERNEL__", "-c",
                 "kinds.c"};
  TUResult R = analyzeTU(C, shippedRules(), TUOptions());
  fs::remove_all(Dir);
  ASSERT_TRUE(R.Ok) << R.Error;
  ASSERT_EQ(R.Findings.size(), 1u);
  const Finding &F = R.Findings[0];
  EXPECT_EQ(F.Family, "device_node");
  EXPECT_EQ(F.ReleaseFunction, "of_node_put");
  unsigned Unused = 0, Loops = 0;
  for (const PathStep &S : F.Path) {
    if (S.Message.rfind("'loop_np' is not used after this point", 0) == 0) {
      ++Unused;
      EXPECT_EQ(S.Kind, StepKind::Note) << toString(S.Kind);
    }
    if (S.Message == "Entering loop body" || S.Message == "Loop body executed 0 times") {
      ++Loops;
      EXPECT_EQ(S.Kind, StepKind::Loop) << toString(S.Kind);
    }
  }
  EXPECT_EQ(Unused, 1u);
  EXPECT_GE(Loops, 1u);
}

}  // namespace
