// The path note on a call to a function the run has no summary of (issue 12): on which calls
// it is made, its exact text in every output, and that a function another file of the run
// defines gets none.
#include "analysis/TUAnalyzer.h"
#include "compdb/CompileDb.h"
#include "report/Sarif.h"
#include "run/Runner.h"
#include "summaries/WholeProgram.h"

#include <gtest/gtest.h>

#include "TestSupport.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

using namespace krefcheck;

namespace {

const std::string Src = KREFCHECK_SOURCE_DIR;
const std::string Flags = " -- -nostdinc -I " + Src + "/testdata/include -std=gnu11 -D__KERNEL__";

std::string noteText(const std::string &Callee) {
  return Callee + "() has no summary (its definition is not in the files analysed): if it "
                  "releases or keeps the reference, this finding is wrong";
}

/// "line:callee" of every unsummarised-call note of the finding in function Fn.
std::vector<std::string> notesOf(const nlohmann::json &Out, const std::string &Fn) {
  std::vector<std::string> Notes;
  bool Found = false;
  for (const auto &File : Out.at("files"))
    for (const auto &F : File.at("findings")) {
      if (F.at("function") != Fn) continue;
      Found = true;
      for (const auto &S : F.at("path")) {
        if (S.at("kind") != "unsummarised") continue;
        std::string Callee = S.at("callee").get<std::string>();
        EXPECT_EQ(S.at("message").get<std::string>(), noteText(Callee));
        Notes.push_back(std::to_string(S.at("location").at("line").get<unsigned>()) + ":" + Callee);
      }
    }
  EXPECT_TRUE(Found) << "no finding in " << Fn;
  return Notes;
}

using V = std::vector<std::string>;

TEST(Unsummarised, NoteOnTheCallThatGotTheReference) {
  CliOutcome R = runCli("--format json " + Src + "/testdata/cases/unsummarised_callee.c" + Flags);
  ASSERT_EQ(R.Exit, 1) << R.Err;
  nlohmann::json J = nlohmann::json::parse(R.Out);
  EXPECT_EQ(notesOf(J, "unsum_external_leak"), V{"29:acme_external_setup"});
  EXPECT_EQ(notesOf(J, "unsum_external_double_put"), V{"89:acme_external_setup"});
  // Defined in the file, or with a rule: no note.
  EXPECT_EQ(notesOf(J, "unsum_local_leak"), V{});
  EXPECT_EQ(notesOf(J, "unsum_rule_leak"), V{});
  // A pointer-to-const parameter or a variadic argument cannot drop or keep the reference.
  EXPECT_EQ(notesOf(J, "unsum_const_and_variadic_leak"), V{});
}

TEST(Unsummarised, NoteInTextAndSarif) {
  std::string File = Src + "/testdata/cases/unsummarised_callee.c";
  CliOutcome T = runCli(File + Flags);
  EXPECT_NE(T.Out.find(File + ":29:8: note: " + noteText("acme_external_setup") + "\n"),
            std::string::npos)
      << T.Out;
  CliOutcome S = runCli("--format sarif " + File + Flags);
  nlohmann::json J = nlohmann::json::parse(S.Out);
  unsigned Seen = 0;
  for (const auto &Res : J.at("runs").at(0).at("results"))
    for (const auto &L : Res.at("codeFlows").at(0).at("threadFlows").at(0).at("locations"))
      if (L.at("location").at("message").at("text") == noteText("acme_external_setup")) {
        EXPECT_EQ(L.at("location").at("physicalLocation").at("region").at("startLine"),
                  29 + 60 * Seen);
        ++Seen;
      }
  EXPECT_EQ(Seen, 2u);
}

// The note depends on the files of the run, not on the code: the fingerprint ignores it.
TEST(Unsummarised, NotPartOfTheFingerprint) {
  Finding F;
  F.RuleId = "krefcheck-leak";
  F.Loc = {"/src/x.c", 10, 2};
  F.Function = "f";
  F.Path.push_back(PathStep{{"/src/x.c", 3, 2}, "acquired", StepKind::Acquire, ""});
  F.Path.push_back(PathStep{{"/src/x.c", 10, 2}, "lost", StepKind::Lost, ""});
  Finding G = F;
  G.Path.insert(G.Path.begin() + 1,
                PathStep{{"/src/x.c", 5, 2}, noteText("g"), StepKind::Unsummarised, "g"});
  EXPECT_EQ(fingerprintOf(F, "/src"), fingerprintOf(G, "/src"));
}

// testdata/xtu: acme_node_index() is defined in acme-common.c without a summary (it touches no
// reference). The user file alone notes it; the run over the database knows it and does not.
// acme_port_setup() is defined nowhere: noted in both.
TEST(Unsummarised, CalleeDefinedElsewhereInTheRunGetsNoNote) {
  CompileDb Db;
  std::string Err;
  ASSERT_TRUE(loadCompileDb(Src + "/testdata/xtu", Db, Err)) << Err;
  RunOptions Run;
  Run.Isolate = false;
  WholeProgram WP = buildWholeProgram(Db.Commands, shippedRules(), Run, WholeProgramOptions());
  EXPECT_TRUE(WP.Defined.count("acme_node_index"));
  EXPECT_FALSE(WP.Imported.count("acme_node_index"));
  RuleSet Rules = withImports(shippedRules(), WP);
  bool Saw = false;
  for (const CompileCommand &C : Db.Commands) {
    if (C.File.find("acme-user.c") == std::string::npos) continue;
    TUResult R = analyzeTU(C, Rules, TUOptions());
    for (const Finding &F : R.Findings)
      if (F.Function == "acme_user_index")
        for (const PathStep &S : F.Path)
          if (S.Kind == StepKind::Unsummarised && S.Callee == "acme_node_index") Saw = true;
  }
  EXPECT_TRUE(Saw) << "the TU alone does not know acme_node_index()";

  CliOutcome R = runCli("--format json -j1 -p " + Src + "/testdata/xtu");
  ASSERT_EQ(R.Exit, 1) << R.Err;
  nlohmann::json J = nlohmann::json::parse(R.Out);
  EXPECT_EQ(notesOf(J, "acme_user_index"), V{});
  EXPECT_EQ(notesOf(J, "acme_user_ports"), V{"87:acme_port_setup"});
}

// One file of the database run with the stored summaries of the others (--summaries): the
// store knows acme-common.c defines acme_node_index(), so no note there either.
TEST(Unsummarised, OneFileWithTheStoredTreeKnowsTheCallee) {
  namespace fs = std::filesystem;
  fs::path Store = fs::temp_directory_path() / ("krefcheck-unsum-" + std::to_string(getpid()));
  fs::remove_all(Store);
  CliOutcome All = runCli("-q -j1 -p " + Src + "/testdata/xtu --summaries " + Store.string());
  ASSERT_EQ(All.Exit, 1) << All.Err;
  CliOutcome One = runCli("--format json -q -p " + Src + "/testdata/xtu --summaries " +
                          Store.string() + " drivers/misc/acme-user.c");
  fs::remove_all(Store);
  ASSERT_EQ(One.Exit, 1) << One.Err;
  nlohmann::json J = nlohmann::json::parse(One.Out);
  EXPECT_EQ(notesOf(J, "acme_user_index"), V{});
  EXPECT_EQ(notesOf(J, "acme_user_ports"), V{"87:acme_port_setup"});
}

}  // namespace
