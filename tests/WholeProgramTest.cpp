// The whole-program summaries on disk (--summaries): a rerun re-summarises only what changed,
// a run over some files uses the stored summaries of the others, a broken store is one warning.
#include <gtest/gtest.h>

#include "TestSupport.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using namespace krefcheck;

namespace {

const std::string Src = KREFCHECK_SOURCE_DIR;

/// A copy of testdata/xtu (and the headers it uses) that a test may change.
struct XtuCopy {
  fs::path Root;
  XtuCopy() {
    Root = fs::temp_directory_path() /
           ("krefcheck-xtu-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
    fs::create_directories(Root);
    fs::copy(Src + "/testdata/xtu", Root / "xtu", fs::copy_options::recursive);
    fs::copy(Src + "/testdata/include", Root / "include", fs::copy_options::recursive);
  }
  ~XtuCopy() { fs::remove_all(Root); }
  std::string db() const { return (Root / "xtu").string(); }
  std::string store() const { return (Root / "store").string(); }
};

/// "N files summarised, M reused" from the summary line.
std::pair<int, int> parsedReused(const std::string &Err) {
  static const std::regex Re(R"((\d+) files summarised, (\d+) reused)");
  std::smatch M;
  if (!std::regex_search(Err, M, Re)) return {-1, -1};
  return {std::stoi(M[1]), std::stoi(M[2])};
}

int countFindings(const std::string &Out) {
  int N = 0;
  std::istringstream In(Out);
  for (std::string L; std::getline(In, L);)
    if (L.find(": warning: ") != std::string::npos) ++N;
  return N;
}

TEST(SummaryStore, RerunReusesEverySummary) {
  XtuCopy X;
  CliOutcome A = runCli("-p " + X.db() + " -j2 --summaries " + X.store());
  ASSERT_EQ(A.Exit, 1) << A.Err;
  EXPECT_EQ(countFindings(A.Out), 6);
  EXPECT_EQ(parsedReused(A.Err).second, 0) << A.Err;
  EXPECT_GE(parsedReused(A.Err).first, 3) << A.Err;
  ASSERT_TRUE(fs::exists(fs::path(X.store()) / "summaries.jsonl"));
  // A .jsonl path is the file itself.
  CliOutcome F = runCli("-p " + X.db() + " --summaries " + X.store() + "/one.jsonl");
  EXPECT_TRUE(fs::is_regular_file(fs::path(X.store()) / "one.jsonl")) << F.Err;

  CliOutcome B = runCli("-p " + X.db() + " -j2 --summaries " + X.store());
  EXPECT_EQ(B.Exit, 1) << B.Err;
  EXPECT_EQ(B.Out, A.Out);
  EXPECT_EQ(parsedReused(B.Err).first, 0) << B.Err;
  EXPECT_EQ(parsedReused(B.Err).second, parsedReused(A.Err).first) << B.Err;
}

TEST(SummaryStore, OneChangedFileIsSummarisedAgain) {
  XtuCopy X;
  CliOutcome A = runCli("-p " + X.db() + " -j2 --summaries " + X.store());
  ASSERT_EQ(A.Exit, 1) << A.Err;
  // acme_put_ctrl() stops releasing its argument: the users' findings change.
  fs::path Common = fs::path(X.db()) / "drivers/soc/acme/acme-common.c";
  std::string Text;
  {
    std::ifstream In(Common);
    std::stringstream SS;
    SS << In.rdbuf();
    Text = SS.str();
  }
  auto P = Text.find("void acme_put_ctrl(struct device_node *np)\n{\n\tof_node_put(np);");
  ASSERT_NE(P, std::string::npos);
  Text.replace(P, std::string("void acme_put_ctrl(struct device_node *np)\n{\n\tof_node_put(np);").size(),
               "void acme_put_ctrl(struct device_node *np)\n{\n\t(void)np;");
  std::ofstream(Common) << Text;
  CliOutcome B = runCli("-p " + X.db() + " -j2 --summaries " + X.store());
  // acme-common.c changed; acme-user.c calls acme_put_ctrl(): both are summarised again.
  EXPECT_EQ(parsedReused(B.Err).first, 2) << B.Err;
  // No more double put; the two users that relied on acme_put_ctrl() now leak.
  EXPECT_EQ(B.Out.find("krefcheck-double-put"), std::string::npos) << B.Out;
  EXPECT_NE(B.Out.find("in acme_user_ok()"), std::string::npos) << B.Out;
}

// A run over one file (patch mode, a single file of the database) uses the stored summaries
// of the rest of the tree.
TEST(SummaryStore, OneFileRunUsesTheStoredTree) {
  XtuCopy X;
  ASSERT_EQ(runCli("-p " + X.db() + " --summaries " + X.store()).Exit, 1);
  CliOutcome One =
      runCli("-p " + X.db() + " --summaries " + X.store() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(One.Exit, 1) << One.Err;
  EXPECT_EQ(countFindings(One.Out), 6) << One.Out << One.Err;
  EXPECT_EQ(parsedReused(One.Err), std::make_pair(0, 1)) << One.Err;
  // Without the store, one file alone knows nothing of the others.
  CliOutcome Alone = runCli("-p " + X.db() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(Alone.Exit, 0) << Alone.Out << Alone.Err;
}

// Another krefcheck build may summarise differently: its run does not reuse the store.
TEST(SummaryStore, AnotherBuildDoesNotReuseTheStore) {
  XtuCopy X;
  CliOutcome A = runCli("-p " + X.db() + " --summaries " + X.store());
  ASSERT_EQ(A.Exit, 1) << A.Err;
  ASSERT_EQ(parsedReused(runCli("-p " + X.db() + " --summaries " + X.store()).Err).first, 0);
  fs::path Other = X.Root / "krefcheck-other";
  fs::copy_file(KREFCHECK_BINARY, Other);
  fs::last_write_time(Other, fs::last_write_time(KREFCHECK_BINARY) - std::chrono::hours(1));
  fs::path Err = X.Root / "other.err";
  std::string Cmd = "cd '" + X.db() + "' && '" + Other.string() + "' -p . --rules-dir '" + Src +
                    "/rules' --summaries '" + X.store() + "' >/dev/null 2>'" + Err.string() + "'";
  ASSERT_NE(std::system(Cmd.c_str()), -1);
  std::ifstream In(Err);
  std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  EXPECT_EQ(parsedReused(Text).second, 0) << Text;
  EXPECT_EQ(parsedReused(Text).first, parsedReused(A.Err).first) << Text;
}

TEST(SummaryStore, MalformedStoreIsOneWarningAndTheRunGoesOn) {
  XtuCopy X;
  fs::create_directories(X.store());
  std::ofstream(fs::path(X.store()) / "summaries.jsonl") << "{\"krefcheck_summaries\": 1, \"rules\": \"x\"\n";
  CliOutcome A = runCli("-p " + X.db() + " --summaries " + X.store());
  EXPECT_EQ(A.Exit, 1) << A.Err;
  EXPECT_EQ(countFindings(A.Out), 6);
  EXPECT_NE(A.Err.find("summaries.jsonl:1: malformed summary file"), std::string::npos) << A.Err;
  // ... and the store is rewritten, valid.
  CliOutcome B = runCli("-p " + X.db() + " --summaries " + X.store());
  EXPECT_EQ(B.Err.find("malformed"), std::string::npos) << B.Err;
  EXPECT_EQ(parsedReused(B.Err).first, 0) << B.Err;
}

/// A two-file tree: a library (EXPORT_SYMBOL) and its user, the user listed first.
struct LibraryAndUser {
  fs::path Root;
  LibraryAndUser() {
    Root = fs::temp_directory_path() /
           ("krefcheck-lib-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
    fs::create_directories(Root / "src");
    fs::copy(Src + "/testdata/include", Root / "include", fs::copy_options::recursive);
    std::ofstream(Root / "src/user.c")
        << "#include <linux/errno.h>\n#include <linux/of.h>\n"
           "struct device_node *lib_find(void);\n"
           "extern int other_helper(void);\n"
           "static int only_static(void) { return 0; }\n"
           "static int user_remove(void) { return other_helper(); }\n"
           "int (*user_remove_cb)(void) = user_remove;\n"
           "int user_probe(void)\n{\n\tstruct device_node *np = lib_find();\n\n"
           "\tif (!np)\n\t\treturn -ENODEV;\n"
           "\tif (!of_device_is_available(np))\n\t\treturn -ENODEV;\n"
           "\tof_node_put(np);\n\treturn only_static();\n}\n";
    std::ofstream(Root / "src/lib.c")
        << "#include <linux/export.h>\n#include <linux/of.h>\n"
           "struct device_node *lib_find(void)\n{\n"
           "\treturn of_find_compatible_node(NULL, NULL, \"acme,lib\");\n}\n"
           "EXPORT_SYMBOL(lib_find);\n";
    std::ofstream(Root / "src/compile_commands.json")
        << "[{\"directory\": \".\", \"file\": \"user.c\", \"arguments\": [\"clang\", "
           "\"-nostdinc\", \"-I\", \"../include\", \"-c\", \"user.c\"]},\n"
           " {\"directory\": \".\", \"file\": \"lib.c\", \"arguments\": [\"clang\", "
           "\"-nostdinc\", \"-I\", \"../include\", \"-c\", \"lib.c\"]}]\n";
  }
  ~LibraryAndUser() { fs::remove_all(Root); }
  std::string db() const { return (Root / "src").string(); }
};

// Libraries are summarised first and their summaries reach the files started after them, in
// the same round: the user, listed first, is parsed once and its leak found in that parse.
TEST(WholeProgram, LibrariesFirstSoUsersNeedOneParse) {
  LibraryAndUser T;
  for (const char *J : {"-j1", "-j1 --no-isolation"}) {
    CliOutcome A = runCli("-p " + T.db() + " " + J, T.db());
    EXPECT_EQ(A.Exit, 1) << A.Out << A.Err;
    EXPECT_EQ(countFindings(A.Out), 1) << A.Out;
    EXPECT_NE(A.Out.find("lib_find() returns a reference from of_find_compatible_node()"),
              std::string::npos) << A.Out;
    EXPECT_NE(A.Err.find("2 files summarised, 0 reused, 1 round; 2 files analysed in the same parse"),
              std::string::npos) << A.Err;
  }
}

// A file's exported summaries depend only on what its non-static functions (and the same-file
// functions they call) call: the store says which of its calls those are.
TEST(WholeProgram, SummaryCallsAreThoseOfTheExportedFunctions) {
  LibraryAndUser T;
  fs::path Store = T.Root / "store";
  CliOutcome A = runCli("-p " + T.db() + " --summaries " + Store.string(), T.db());
  ASSERT_EQ(A.Exit, 1) << A.Err;
  std::ifstream In(Store / "summaries.jsonl");
  std::string Line, User;
  while (std::getline(In, Line))
    if (Line.find("user.c\"") != std::string::npos) User = Line;
  ASSERT_FALSE(User.empty());
  // user_remove() (static, reached only through a pointer) calls other_helper(): a change in
  // its summary changes user.c's findings, not its exports.
  EXPECT_NE(User.find("\"calls\":[\"lib_find\",\"of_device_is_available\",\"other_helper\"]"), std::string::npos) << User;
  EXPECT_NE(User.find("\"summary_calls\":[\"lib_find\",\"of_device_is_available\"]"), std::string::npos) << User;
}

TEST(SummaryStore, NoCrossTuTurnsItOff) {
  CliOutcome A = runCli("-p " + Src + "/testdata/xtu --no-cross-tu");
  EXPECT_EQ(A.Exit, 0) << A.Out << A.Err;
  EXPECT_EQ(A.Err.find("whole-program summaries"), std::string::npos);
}

}  // namespace
