// The whole-program summaries on disk (--summaries): a rerun re-summarises only what changed,
// a run over some files uses the stored summaries of the others, a store it cannot use is refused
// and never emptied.
#include <gtest/gtest.h>

#include "TestSupport.h"
#include "summaries/Staged.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
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
  EXPECT_EQ(countFindings(A.Out), 9);
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
  Text.replace(
      P, std::string("void acme_put_ctrl(struct device_node *np)\n{\n\tof_node_put(np);").size(),
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
  EXPECT_EQ(countFindings(One.Out), 8) << One.Out << One.Err;
  EXPECT_EQ(parsedReused(One.Err), std::make_pair(0, 1)) << One.Err;
  // Without the store, one file alone knows nothing of the others.
  CliOutcome Alone = runCli("-p " + X.db() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(Alone.Exit, 0) << Alone.Out << Alone.Err;
}

std::string slurpFile(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
}

/// Runs \p Exe (another krefcheck build) in \p Cwd; returns the exit status, stderr in \p Err.
int runOther(const fs::path &Exe, const std::string &Args, const std::string &Cwd,
             std::string &Err) {
  fs::path ErrF = fs::temp_directory_path() / ("krefcheck-other-" + std::to_string(getpid()));
  std::string Cmd = "cd '" + Cwd + "' && '" + Exe.string() + "' " + Args + " --rules-dir '" + Src +
                    "/rules' >/dev/null 2>'" + ErrF.string() + "'";
  int St = std::system(Cmd.c_str());
  Err = slurpFile(ErrF);
  fs::remove(ErrF);
  return WIFEXITED(St) ? WEXITSTATUS(St) : -1;
}

// Another krefcheck build may summarise differently: it refuses the store (one line, exit 2)
// and leaves it as it is, so the build that wrote it keeps using it.
TEST(SummaryStore, AnotherBuildIsRefusedAndTheStoreKept) {
  XtuCopy X;
  CliOutcome A = runCli("-p " + X.db() + " --summaries " + X.store());
  ASSERT_EQ(A.Exit, 1) << A.Err;
  fs::path File = fs::path(X.store()) / "summaries.jsonl";
  const std::string Before = slurpFile(File);
  fs::path Other = X.Root / "krefcheck-other";
  fs::copy_file(KREFCHECK_BINARY, Other);
  fs::last_write_time(Other, fs::last_write_time(KREFCHECK_BINARY) - std::chrono::hours(1));
  for (const std::string &Args :
       {"-p . --summaries '" + X.store() + "'",
        "-p . --summaries '" + X.store() + "' drivers/misc/acme-user.c"}) {
    std::string Err;
    EXPECT_EQ(runOther(Other, Args, X.db(), Err), 2) << Err;
    EXPECT_NE(Err.find("krefcheck: error: " + File.string() +
                       ": written by another krefcheck build; delete it or use another "
                       "--summaries path"),
              std::string::npos)
        << Err;
    EXPECT_EQ(Err.find("whole-program summaries:"), std::string::npos) << Err;
    EXPECT_EQ(slurpFile(File), Before);
  }
  // The build that wrote it still finds the cross-file leaks from one file.
  CliOutcome One =
      runCli("-p " + X.db() + " --summaries " + X.store() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(countFindings(One.Out), 8) << One.Out << One.Err;
  EXPECT_EQ(parsedReused(One.Err), std::make_pair(0, 1)) << One.Err;
}

// The issue's sequence: a whole run, a one-file run with other --rules (refused, the store is
// not emptied), then a one-file run and a patch run: still the 6 cross-file findings.
TEST(SummaryStore, OtherRulesNeverEmptyTheStore) {
  XtuCopy X;
  ASSERT_EQ(runCli("-p " + X.db() + " --summaries " + X.store()).Exit, 1);
  fs::path File = fs::path(X.store()) / "summaries.jsonl";
  const std::string Before = slurpFile(File);
  CliOutcome Other = runCli("-p " + X.db() + " --summaries " + X.store() + " --rules " + Src +
                                "/testdata/custom/acme_ref.json drivers/misc/acme-user.c",
                            X.db());
  EXPECT_EQ(Other.Exit, 2) << Other.Err;
  EXPECT_NE(Other.Err.find(File.string() + ": written for other rules; delete it or use another "
                                           "--summaries path"),
            std::string::npos)
      << Other.Err;
  EXPECT_EQ(slurpFile(File), Before);
  CliOutcome One =
      runCli("-p " + X.db() + " --summaries " + X.store() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(countFindings(One.Out), 8) << One.Out << One.Err;
  // A patch touching acme-user.c: its findings on the changed lines (the file is all new).
  std::string Text = slurpFile(fs::path(X.db()) / "drivers/misc/acme-user.c");
  size_t Lines = std::count(Text.begin(), Text.end(), '\n');
  std::ofstream(X.Root / "p.diff")
      << "--- /dev/null\n+++ b/drivers/misc/acme-user.c\n@@ -0,0 +1," << Lines << " @@\n";
  {
    std::ofstream D(X.Root / "p.diff", std::ios::app);
    std::istringstream In(Text);
    for (std::string L; std::getline(In, L);) D << "+" << L << "\n";
  }
  CliOutcome Patch = runCli("-p " + X.db() + " --summaries " + X.store() + " --diff " +
                                (X.Root / "p.diff").string() + " --diff-root " + X.db(),
                            X.db());
  EXPECT_EQ(countFindings(Patch.Out), 8) << Patch.Out << Patch.Err;
  // Still the whole tree in the store.
  CliOutcome Again =
      runCli("-p " + X.db() + " --summaries " + X.store() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(countFindings(Again.Out), 8) << Again.Out << Again.Err;
}

// A store of another compile database is refused: its files are not this tree's.
TEST(SummaryStore, AnotherDatabaseIsRefused) {
  XtuCopy X;
  ASSERT_EQ(runCli("-p " + X.db() + " --summaries " + X.store()).Exit, 1);
  fs::path File = fs::path(X.store()) / "summaries.jsonl";
  const std::string Before = slurpFile(File);
  fs::copy(X.db(), X.Root / "xtu2", fs::copy_options::recursive);
  CliOutcome B = runCli("-p " + (X.Root / "xtu2").string() + " --summaries " + X.store() +
                            " drivers/misc/acme-user.c",
                        (X.Root / "xtu2").string());
  EXPECT_EQ(B.Exit, 2) << B.Err;
  EXPECT_NE(B.Err.find(File.string() + ": written for another compile database (" + X.db() +
                       "/compile_commands.json); delete it or use another --summaries path"),
            std::string::npos)
      << B.Err;
  EXPECT_EQ(slurpFile(File), Before);
}

// A malformed store is refused with its file and line, and left as it is.
TEST(SummaryStore, MalformedStoreIsRefusedAndKept) {
  XtuCopy X;
  ASSERT_EQ(runCli("-p " + X.db() + " --summaries " + X.store()).Exit, 1);
  fs::path File = fs::path(X.store()) / "summaries.jsonl";
  std::string Text = slurpFile(File);
  Text.insert(Text.find('\n', Text.find('\n') + 1) + 1, "{\"file\": \"x.c\", \"key\"\n");
  std::ofstream(File) << Text;
  for (const std::string Run : {"", " drivers/misc/acme-user.c"}) {
    CliOutcome A = runCli("-p " + X.db() + " --summaries " + X.store() + Run, X.db());
    EXPECT_EQ(A.Exit, 2) << A.Err;
    EXPECT_NE(A.Err.find("krefcheck: error: " + File.string() + ":3: malformed summary file: "),
              std::string::npos)
        << A.Err;
    EXPECT_NE(A.Err.find("; delete it or use another --summaries path"), std::string::npos)
        << A.Err;
    EXPECT_EQ(slurpFile(File), Text);
  }
  // Not a summary file at all (no header line).
  std::ofstream(File) << "hello\n";
  CliOutcome B = runCli("-p " + X.db() + " --summaries " + X.store());
  EXPECT_EQ(B.Exit, 2) << B.Err;
  EXPECT_NE(B.Err.find(File.string() + ":1: malformed summary file: "), std::string::npos) << B.Err;
  EXPECT_EQ(slurpFile(File), "hello\n");
  // Binary garbage: still one printable line.
  std::ofstream(File, std::ios::binary) << std::string("\"\x84\x1b[2J\r\x01", 7);
  CliOutcome C = runCli("-p " + X.db() + " --summaries " + X.store());
  EXPECT_EQ(C.Exit, 2) << C.Err;
  EXPECT_EQ(std::count(C.Err.begin(), C.Err.end(), '\n'), 1) << C.Err;
  for (char Ch : C.Err) EXPECT_TRUE(Ch == '\n' || (Ch >= 0x20 && Ch < 0x7f)) << C.Err;
}

// A store that cannot be written is one warning and the run's results are all reported; an
// empty --summaries path is refused.
TEST(SummaryStore, UnwritableStoreIsOneWarning) {
  XtuCopy X;
  std::ofstream(X.Root / "plain") << "x\n";
  std::string Store = (X.Root / "plain/s.jsonl").string();
  CliOutcome A = runCli("-p " + X.db() + " --summaries " + Store);
  EXPECT_EQ(A.Exit, 1) << A.Err;
  EXPECT_EQ(countFindings(A.Out), 9);
  EXPECT_NE(A.Err.find("krefcheck: warning: " + Store +
                       ": cannot write the summary file (its lock " + Store +
                       ".lock: Not a directory)\n"),
            std::string::npos)
      << A.Err;
  CliOutcome E = runCli("-p " + X.db() + " --summaries ''");
  EXPECT_EQ(E.Exit, 2) << E.Err;
  EXPECT_EQ(E.Err, "krefcheck: error: --summaries needs a path, got ''\n");
}

// An empty store file is an empty store: a whole run fills it; a one-file run over a store
// that knows nothing of the rest of the tree says so.
TEST(SummaryStore, EmptyStore) {
  XtuCopy X;
  fs::create_directories(X.store());
  fs::path File = fs::path(X.store()) / "summaries.jsonl";
  std::ofstream(File).close();
  CliOutcome One =
      runCli("-p " + X.db() + " --summaries " + X.store() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(One.Exit, 0) << One.Err;
  EXPECT_NE(One.Err.find("krefcheck: warning: " + File.string() +
                         ": no summaries of the other 3 files of the compile database yet; run "
                         "once over the whole database with this --summaries for cross-file "
                         "findings"),
            std::string::npos)
      << One.Err;
  CliOutcome A = runCli("-p " + X.db() + " --summaries " + X.store());
  EXPECT_EQ(A.Exit, 1) << A.Err;
  EXPECT_EQ(countFindings(A.Out), 9);
  EXPECT_EQ(A.Err.find("warning"), std::string::npos) << A.Err;
  CliOutcome B =
      runCli("-p " + X.db() + " --summaries " + X.store() + " drivers/misc/acme-user.c", X.db());
  EXPECT_EQ(countFindings(B.Out), 8) << B.Err;
  EXPECT_EQ(B.Err.find("warning"), std::string::npos) << B.Err;
}

/// The files a store holds entries for.
std::set<std::string> storedFiles(const fs::path &File) {
  std::set<std::string> Out;
  std::ifstream In(File);
  static const std::regex Re(R"re("file":"([^"]*)")re");
  for (std::string L; std::getline(In, L);) {
    std::smatch M;
    if (std::regex_search(L, M, Re)) Out.insert(M[1]);
  }
  return Out;
}

// Runs sharing a store at the same time: each adds its own files to what is on disk when it
// writes (under a lock), so nothing is corrupted and no run's files are lost.
TEST(SummaryStore, ConcurrentRunsMergeTheirFiles) {
  XtuCopy X;
  // (Not acme-alt.c: whether a run over it alone stores it depends on what the store holds.)
  const char *Files[] = {"drivers/soc/acme/acme-common.c", "drivers/soc/acme/acme-wrap.c",
                         "drivers/misc/acme-user.c"};
  auto RunCmd = [&](const char *F, const fs::path &Store) {
    return std::string(KREFCHECK_BINARY) + " -p . -j1 --quiet --rules-dir '" + Src +
           "/rules' --summaries '" + Store.string() + "' " + F + " >/dev/null 2>&1";
  };
  // What each run stores alone.
  std::set<std::string> Union;
  for (const char *F : Files) {
    fs::path Alone = X.Root / "alone";
    fs::remove_all(Alone);
    ASSERT_NE(std::system(("cd '" + X.db() + "' && " + RunCmd(F, Alone)).c_str()), -1);
    for (const std::string &S : storedFiles(Alone / "summaries.jsonl")) Union.insert(S);
  }
  ASSERT_EQ(Union.size(), 3u);
  for (int Rep = 0; Rep < 3; ++Rep) {
    fs::remove_all(X.store());
    std::string Cmd = "cd '" + X.db() + "' && (";
    for (const char *F : Files) Cmd += RunCmd(F, X.store()) + " & ";
    Cmd += "wait)";
    ASSERT_EQ(std::system(Cmd.c_str()), 0);
    EXPECT_EQ(storedFiles(fs::path(X.store()) / "summaries.jsonl"), Union);
    std::vector<std::string> Left;
    for (auto &E : fs::directory_iterator(X.store())) Left.push_back(E.path().filename());
    std::sort(Left.begin(), Left.end());
    EXPECT_EQ(Left, (std::vector<std::string>{"summaries.jsonl", "summaries.jsonl.lock"}));
    // A valid store: a whole run with it finds the 6 leaks.
    CliOutcome All = runCli("-p " + X.db() + " --summaries " + X.store());
    EXPECT_EQ(All.Exit, 1) << All.Err;
    EXPECT_EQ(countFindings(All.Out), 9) << All.Out << All.Err;
  }
}

// A run whose store was replaced, while it ran, by one of other rules does not overwrite it.
TEST(SummaryStore, AStoreReplacedMeanwhileIsNotOverwritten) {
  XtuCopy X;
  fs::path File = fs::path(X.store()) / "summaries.jsonl";
  fs::path ErrA = X.Root / "a.err";
  std::string K = std::string(KREFCHECK_BINARY) + " -p . --quiet --rules-dir '" + Src + "/rules'";
  // A (acme-user.c hangs 4 s) reads no store; B, with other rules, writes one meanwhile.
  std::string Cmd = "cd '" + X.db() + "' && (KREFCHECK_FAULT_INJECT=hang:acme-user.c " + K +
                    " --tu-timeout 4 --summaries '" + X.store() + "' >/dev/null 2>'" +
                    ErrA.string() + "' & sleep 1; " + K + " --rules '" + Src +
                    "/testdata/custom/acme_ref.json' --summaries '" + X.store() +
                    "' drivers/soc/acme/acme-common.c >/dev/null 2>&1; wait)";
  ASSERT_EQ(std::system(Cmd.c_str()), 0);
  std::string B = slurpFile(File);
  std::string Err = slurpFile(ErrA);
  EXPECT_NE(Err.find("krefcheck: warning: not updated: " + File.string() +
                     ": written for other rules; delete it or use another --summaries path\n"),
            std::string::npos)
      << Err;
  EXPECT_EQ(storedFiles(File), (std::set<std::string>{X.db() + "/drivers/soc/acme/acme-common.c"}));
  // B's store is as B wrote it: a run with B's rules reuses it.
  CliOutcome Again =
      runCli("-p " + X.db() + " --rules " + Src + "/testdata/custom/acme_ref.json --summaries " +
                 X.store() + " drivers/soc/acme/acme-common.c",
             X.db());
  EXPECT_EQ(parsedReused(Again.Err), std::make_pair(0, 1)) << Again.Err;
}

// A file that hangs in phase 1 costs one --tu-timeout and is reported once, not run again in
// phase 2 (KREFCHECK_FAULT_INJECT is the runner's test-only fault hook).
TEST(WholeProgram, AHangingFileCostsOneTimeout) {
  auto T0 = std::chrono::steady_clock::now();
  CliOutcome A = runCli("-p " + Src + "/testdata/xtu -j2 --tu-timeout 3", ".",
                        "KREFCHECK_FAULT_INJECT=hang:acme-user.c");
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - T0).count();
  const std::string Line = "drivers/misc/acme-user.c: timed out after 3 s (--tu-timeout)\n";
  size_t P = A.Err.find(Line);
  EXPECT_NE(P, std::string::npos) << A.Err;
  EXPECT_EQ(A.Err.find(Line, P + 1), std::string::npos) << A.Err;
  EXPECT_NE(A.Err.find("4 files: 2 analysed, 1 skipped (nothing to analyse), 1 failed"),
            std::string::npos)
      << A.Err;
  EXPECT_GE(Secs, 3.0);
  EXPECT_LT(Secs, 5.5) << "the hanging file was run twice";
  // In patch mode with --diff-base, the pre-image of a file that failed is not analysed.
  XtuCopy X;
  std::string Git = "cd '" + X.Root.string() +
                    "' && git init -q && git add -A && git -c "
                    "user.email=t@t -c user.name=t commit -qm base";
  ASSERT_EQ(std::system(Git.c_str()), 0);
  fs::path User = fs::path(X.db()) / "drivers/misc/acme-user.c";
  std::string Text = slurpFile(User);
  std::ofstream(User) << "/* changed */\n" << Text;
  ASSERT_EQ(std::system(("cd '" + X.db() + "' && git diff > ../p.diff").c_str()), 0);
  T0 = std::chrono::steady_clock::now();
  CliOutcome D = runCli("-p . --tu-timeout 3 --diff ../p.diff --diff-base HEAD", X.db(),
                        "KREFCHECK_FAULT_INJECT=hang:acme-user.c");
  Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - T0).count();
  P = D.Err.find(Line);
  EXPECT_NE(P, std::string::npos) << D.Err;
  EXPECT_EQ(D.Err.find(Line, P + 1), std::string::npos) << D.Err;
  EXPECT_LT(Secs, 5.5) << "the hanging file was run again for the pre-image";
  // A crash, too, is reported once from phase 1.
  CliOutcome C =
      runCli("-p " + Src + "/testdata/xtu -j2", ".", "KREFCHECK_FAULT_INJECT=crash:acme-user.c");
  size_t Q = C.Err.find("acme-user.c: crashed inside the analysis (signal 11");
  EXPECT_NE(Q, std::string::npos) << C.Err;
  EXPECT_EQ(C.Err.find("acme-user.c: crashed", Q + 1), std::string::npos) << C.Err;
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
              std::string::npos)
        << A.Out;
    EXPECT_NE(
        A.Err.find("2 files summarised, 0 reused, 1 round; 2 files analysed in the same parse"),
        std::string::npos)
        << A.Err;
  }
}

/// A chain of wrappers across files: w0() returns of_find_compatible_node(), each wK() in
/// file wK.c returns w(K-1)(), and the user leaks what w7() returns. The database lists every
/// file before the one it calls, so the first round learns only w0(). With \p Tracked, every
/// wK.c also names a tracked API (the prefilter lets all in at once); without, wK.c names only
/// w(K-1)() and is let in once that has a summary.
struct WrapperChain {
  fs::path Root;
  static constexpr int Links = 8;
  explicit WrapperChain(bool Tracked) {
    Root = fs::temp_directory_path() /
           ("krefcheck-chain-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
    fs::create_directories(Root / "src");
    fs::copy(Src + "/testdata/include", Root / "include", fs::copy_options::recursive);
    std::ofstream(Root / "src/user.c")
        << "#include <linux/errno.h>\n#include <linux/of.h>\n"
           "struct device_node *w7(void);\n"
           "int user_probe(void)\n{\n\tstruct device_node *np = w7();\n\n"
           "\tif (!np)\n\t\treturn -ENODEV;\n"
           "\tif (!of_device_is_available(np))\n\t\treturn -ENODEV;\n"
           "\tof_node_put(np);\n\treturn 0;\n}\n";
    std::ofstream(Root / "src/w0.c") << "#include <linux/of.h>\n"
                                        "struct device_node *w0(void)\n{\n"
                                        "\treturn of_find_compatible_node(NULL, NULL, \"x\");\n}\n";
    for (int K = 1; K < Links; ++K) {
      std::ofstream F(Root / "src" / ("w" + std::to_string(K) + ".c"));
      F << "#include <linux/of.h>\nstruct device_node *w" << K - 1
        << "(void);\nstruct device_node *w" << K << "(void)\n{\n\treturn w" << K - 1 << "();\n}\n";
      if (Tracked) F << "void w" << K << "_drop(struct device_node *n)\n{\n\tof_node_put(n);\n}\n";
    }
    std::ofstream Db(Root / "src/compile_commands.json");
    Db << "[";
    auto Entry = [&](const std::string &F, bool Last) {
      Db << "{\"directory\": \".\", \"file\": \"" << F
         << "\", \"arguments\": [\"clang\", \"-nostdinc\", \"-I\", \"../include\", \"-c\", \"" << F
         << "\"]}" << (Last ? "]\n" : ",\n");
    };
    Entry("user.c", false);
    for (int K = Links - 1; K >= 0; --K) Entry("w" + std::to_string(K) + ".c", K == 0);
  }
  ~WrapperChain() { fs::remove_all(Root); }
  std::string db() const { return (Root / "src").string(); }
};

/// The chain's run with \p Jobs: its one leak found, settled in \p Rounds rounds, every file
/// summarised once or more (9 files).
void expectChainSettles(const WrapperChain &T, const std::string &Jobs, int Rounds) {
  CliOutcome A = runCli("-p " + T.db() + " " + Jobs, T.db());
  EXPECT_EQ(A.Exit, 1) << A.Out << A.Err;
  EXPECT_EQ(countFindings(A.Out), 1) << A.Out;
  EXPECT_NE(A.Out.find("'np' from w7() (line 6) is not released"), std::string::npos) << A.Out;
  EXPECT_NE(A.Err.find("9 files summarised, 0 reused, " + std::to_string(Rounds) + " rounds;"),
            std::string::npos)
      << A.Err;
  EXPECT_EQ(A.Err.find("did not settle"), std::string::npos) << A.Err;
}

// Every file in the first round: the second goes callees first, each file waiting for those
// it calls, so the chain settles in that round (not one link per round: 8 links would not
// settle in 6), with -j2 as with -j1.
TEST(WholeProgram, AChainOfWrappersSettlesInTwoRounds) {
  WrapperChain T(true);
  expectChainSettles(T, "-j1", 2);
  expectChainSettles(T, "-j2", 2);
}

// Files let in one by one by the prefilter: a round that only parses new files is not a
// round of the cap (each file is parsed once here), so the chain settles.
TEST(WholeProgram, AChainOfUntrackedWrappersSettles) {
  expectChainSettles(WrapperChain(false), "-j2", 8);
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
  EXPECT_NE(User.find("\"calls\":[\"lib_find\",\"of_device_is_available\",\"other_helper\"]"),
            std::string::npos)
      << User;
  EXPECT_NE(User.find("\"summary_calls\":[\"lib_find\",\"of_device_is_available\"]"),
            std::string::npos)
      << User;
}

// An exported function that reaches another file's function only through a header's inline
// function (mdio_device_put() calling mdio_device_free()): the file records that call with the
// summary it used, so the next round does not find it stale again (the whole arm64 tree did not
// settle because of pcs-lynx.c and pcs-xpcs.c).
TEST(WholeProgram, ACallThroughAHeaderInlineSettles) {
  fs::path Root = fs::temp_directory_path() /
                  ("krefcheck-inline-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
  fs::create_directories(Root / "src");
  fs::copy(Src + "/testdata/include", Root / "include", fs::copy_options::recursive);
  fs::create_directories(Root / "include/acme");
  std::ofstream(Root / "include/acme/pipe.h")
      << "#include <linux/of.h>\nvoid lib_drop(struct device_node *np);\n"
         "static inline void pipe_put(struct device_node *np)\n{\n\tlib_drop(np);\n}\n";
  std::ofstream(Root / "src/user.c")
      << "#include <linux/errno.h>\n#include <acme/pipe.h>\n"
         "void user_release(struct device_node *np)\n{\n\tpipe_put(np);\n}\n"
         "int user_probe(void)\n{\n"
         "\tstruct device_node *np = of_find_compatible_node(NULL, NULL, \"acme,user\");\n\n"
         "\tif (!np)\n\t\treturn -ENODEV;\n\tif (!of_device_is_available(np))\n"
         "\t\treturn -ENODEV;\n\tuser_release(np);\n\treturn 0;\n}\n";
  std::ofstream(Root / "src/lib.c")
      << "#include <linux/export.h>\n#include <linux/of.h>\n"
         "void lib_drop(struct device_node *np)\n{\n\tof_node_put(np);\n}\n"
         "EXPORT_SYMBOL(lib_drop);\n";
  std::ofstream(Root / "src/compile_commands.json")
      << "[{\"directory\": \".\", \"file\": \"user.c\", \"arguments\": [\"clang\", "
         "\"-nostdinc\", \"-I\", \"../include\", \"-c\", \"user.c\"]},\n"
         " {\"directory\": \".\", \"file\": \"lib.c\", \"arguments\": [\"clang\", "
         "\"-nostdinc\", \"-I\", \"../include\", \"-c\", \"lib.c\"]}]\n";
  const std::string Db = (Root / "src").string();
  CliOutcome A = runCli("-p " + Db + " -j1", Db);
  EXPECT_EQ(A.Exit, 1) << A.Out << A.Err;
  EXPECT_EQ(countFindings(A.Out), 1) << A.Out;
  EXPECT_NE(A.Out.find("user.c:14:3: warning: 'np' from of_find_compatible_node() (line 9) is "
                       "not released"),
            std::string::npos)
      << A.Out;
  EXPECT_EQ(A.Err.find("did not settle"), std::string::npos) << A.Err;
  EXPECT_NE(A.Err.find("2 files summarised, 0 reused, 1 round;"), std::string::npos) << A.Err;
  // The staged merge of one part settles too.
  const std::string Part = (Root / "part.jsonl").string(), Store = (Root / "store.jsonl").string();
  CliOutcome S = runCli("summarize -p " + Db + " --shard 1/1 -o " + Part, Db);
  ASSERT_EQ(S.Exit, 0) << S.Err;
  CliOutcome M = runCli("summaries merge -p " + Db + " -o " + Store + " " + Part, Db);
  EXPECT_EQ(M.Exit, 0) << M.Err;
  EXPECT_EQ(M.Err.find("did not settle"), std::string::npos) << M.Err;
  fs::remove_all(Root);
}

TEST(SummaryStore, NoCrossTuTurnsItOff) {
  CliOutcome A = runCli("-p " + Src + "/testdata/xtu --no-cross-tu");
  // Without the other files, both acme_pipe fields acme-wrap.c fills are unreleased; nothing
  // else is reported (acme-user.c's callees are opaque).
  EXPECT_EQ(A.Exit, 1) << A.Out << A.Err;
  EXPECT_EQ(countFindings(A.Out), 2) << A.Out;
  EXPECT_EQ(A.Err.find("whole-program summaries"), std::string::npos);
}

}  // namespace

// A file name that is not UTF-8 (Latin-1) is kept exactly in the store: the run does not abort
// and a rerun finds the file's entry again.
TEST(SummaryStore, Latin1FileNameIsKeptExactly) {
  XtuCopy X;
  fs::path Dir = X.Root / "src\xe9";
  fs::create_directories(Dir);
  fs::copy_file(Src + "/testdata/cases/early_return.c", Dir / "dr\xe9v.c");
  const std::string Run = "--summaries " + X.store() + " 'src\xe9/dr\xe9v.c' -- -nostdinc -I " +
                          (X.Root / "include").string() + " -std=gnu11";
  CliOutcome A = runCli(Run, X.Root.string());
  ASSERT_EQ(A.Exit, 1) << A.Err;
  EXPECT_EQ(parsedReused(A.Err), std::make_pair(1, 0)) << A.Err;
  std::ifstream In(fs::path(X.store()) / "summaries.jsonl", std::ios::binary);
  std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
  EXPECT_NE(Text.find("\"file_hex\""), std::string::npos) << Text;
  CliOutcome B = runCli(Run, X.Root.string());
  EXPECT_EQ(B.Exit, 1) << B.Err;
  EXPECT_EQ(B.Out, A.Out);
  EXPECT_EQ(parsedReused(B.Err), std::make_pair(0, 1)) << B.Err;
}

// A sharded run summarises every file of the database (it analyses only its own): merged, the
// shards report exactly what one run reports, cross-file findings included.
TEST(WholeProgram, ShardedRunsEqualOneRun) {
  XtuCopy X;
  CliOutcome Single = runCli("-p " + X.db() + " -q");
  ASSERT_EQ(Single.Exit, 1) << Single.Err;
  ASSERT_EQ(countFindings(Single.Out), 9);
  for (int N : {1, 2, 3, 7}) {
    std::string Parts;
    for (int I = 1; I <= N; ++I) {
      std::string Part = (X.Root / ("shard" + std::to_string(I) + ".json")).string();
      CliOutcome S = runCli("-p " + X.db() + " -q --format json -o " + Part + " --shard " +
                            std::to_string(I) + "/" + std::to_string(N));
      ASSERT_LE(S.Exit, 1) << S.Err;
      Parts += " " + Part;
    }
    CliOutcome Merged = runCli("merge -q" + Parts);
    EXPECT_EQ(Merged.Exit, 1) << Merged.Err;
    EXPECT_EQ(Merged.Out, Single.Out) << N << " shards";
  }
}

namespace {

/// The staged form (README, "Shards"): `summarize` per shard, `summaries merge`, a --shard
/// check per shard with the merged store, `merge` of the check outputs.
struct Staged {
  const XtuCopy &X;
  int N;
  std::string part(int I) const {
    return (X.Root / ("part" + std::to_string(I) + ".jsonl")).string();
  }
  std::string parts() const {
    std::string P;
    for (int I = 1; I <= N; ++I) P += " " + part(I);
    return P;
  }
  std::string shard(int I) const { return std::to_string(I) + "/" + std::to_string(N); }
  CliOutcome summarize(int I) const {
    return runCli("summarize -p " + X.db() + " --shard " + shard(I) + " -o " + part(I));
  }
  CliOutcome mergeParts(const std::string &Parts) const {
    return runCli("summaries merge -o " + X.store() + Parts);
  }
  CliOutcome check(int I) const {
    return runCli("-p " + X.db() + " -q --summaries " + X.store() + " --shard " + shard(I) +
                  " --format json -o " + (X.Root / ("out" + std::to_string(I) + ".json")).string());
  }
  std::string outs() const {
    std::string P;
    for (int I = 1; I <= N; ++I)
      P += " " + (X.Root / ("out" + std::to_string(I) + ".json")).string();
    return P;
  }
};

/// One line, "krefcheck: error: " and the given text in it.
void expectOneErrorLine(const CliOutcome &R, const std::string &Text) {
  EXPECT_EQ(R.Exit, 2) << R.Err;
  EXPECT_EQ(R.Err.rfind("krefcheck: error: ", 0), 0u) << R.Err;
  EXPECT_EQ(std::count(R.Err.begin(), R.Err.end(), '\n'), 1) << R.Err;
  EXPECT_NE(R.Err.find(Text), std::string::npos) << R.Err;
}

}  // namespace

// The staged form gives exactly the single run's findings, whatever the number of shards: each
// summary stage summarises only its own files, the merge solves the cross-file rounds, each
// check stage parses only its own files.
TEST(WholeProgram, StagedRunsEqualOneRun) {
  XtuCopy X;
  CliOutcome Single = runCli("-p " + X.db() + " -q");
  ASSERT_EQ(Single.Exit, 1) << Single.Err;
  ASSERT_EQ(countFindings(Single.Out), 9);
  for (int N : {1, 2, 3, 7}) {
    Staged S{X, N};
    int Files = 0, Summarised = 0;
    for (int I = 1; I <= N; ++I) {
      CliOutcome P = S.summarize(I);
      ASSERT_EQ(P.Exit, 0) << P.Err;
      static const std::regex Re(R"((\d+) files \((\d+) summarised)");
      std::smatch M;
      ASSERT_TRUE(std::regex_search(P.Err, M, Re)) << P.Err;
      Files += std::stoi(M[1]);
      Summarised += std::stoi(M[2]);
    }
    // Each file is in one part, summarised (or skipped) by its own shard only.
    EXPECT_EQ(Files, 4) << N << " shards";
    EXPECT_LE(Summarised, 4) << N << " shards";
    CliOutcome M = S.mergeParts(S.parts());
    ASSERT_EQ(M.Exit, 0) << M.Err;
    EXPECT_NE(M.Err.find("summaries merge: " + std::to_string(N) + " part"), std::string::npos)
        << M.Err;
    for (int I = 1; I <= N; ++I) {
      CliOutcome C = S.check(I);
      ASSERT_LE(C.Exit, 1) << C.Err;
      EXPECT_EQ(C.Err, "") << C.Err;
    }
    CliOutcome Merged = runCli("merge -q" + S.outs());
    EXPECT_EQ(Merged.Exit, 1) << Merged.Err;
    EXPECT_EQ(Merged.Out, Single.Out) << N << " shards";
    // The check stage summarises nothing: every file's summaries come from the store.
    CliOutcome Whole = runCli("-p " + X.db() + " --summaries " + X.store() + " --shard 1/1");
    EXPECT_EQ(Whole.Out, Single.Out);
    EXPECT_EQ(parsedReused(Whole.Err).first, 0) << Whole.Err;
  }
}

// Parts that do not make up the database as it is now are refused in one line: a missing or
// repeated shard, parts of different splits, of another database, stale, malformed, of another
// build; a check stage with a store that is not the solved one of its database likewise.
TEST(WholeProgram, StagedRunRefusesInconsistentInputs) {
  XtuCopy X;
  Staged S3{X, 3};
  for (int I = 1; I <= 3; ++I) ASSERT_EQ(S3.summarize(I).Exit, 0);
  expectOneErrorLine(S3.mergeParts(" " + S3.part(1) + " " + S3.part(3)),
                     "summaries merge: no part for shard 2/3");
  expectOneErrorLine(S3.mergeParts(S3.parts() + " " + S3.part(2)),
                     S3.part(2) + ": shard 2/3 given twice (also " + S3.part(2) + ")");
  expectOneErrorLine(S3.mergeParts(""), "needs the parts");
  {
    XtuCopy Y;
    Staged S2{Y, 2};
    ASSERT_EQ(S2.summarize(1).Exit, 0);
    expectOneErrorLine(S3.mergeParts(S3.parts() + " " + S2.part(1)),
                       S2.part(1) + ": written for another compile database");
  }
  // Parts of a 2-way split of the same database.
  {
    std::string Two = (X.Root / "two.jsonl").string();
    ASSERT_EQ(runCli("summarize -q -p " + X.db() + " --shard 1/2 -o " + Two).Exit, 0);
    expectOneErrorLine(S3.mergeParts(S3.parts() + " " + Two),
                       Two + ": shard 1/2, but " + S3.part(1) + " is a shard of 3");
  }
  // Malformed, empty, not a part, another build.
  std::string Bad = (X.Root / "bad.jsonl").string();
  std::ofstream(Bad) << "{\"krefcheck_summary_part\": 1, \"build\": \n";
  expectOneErrorLine(S3.mergeParts(" " + Bad), Bad + ":1: malformed summary part");
  std::ofstream(Bad, std::ios::trunc) << "";
  expectOneErrorLine(S3.mergeParts(" " + Bad), Bad + ": empty file");
  expectOneErrorLine(S3.mergeParts(" " + X.db() + "/compile_commands.json"),
                     "compile_commands.json:1: malformed summary part");
  {
    std::ifstream In(S3.part(1));
    std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    std::string Other = std::regex_replace(Text, std::regex("\"build\":\"[0-9a-f]+\""),
                                           "\"build\":\"0000000000000000\"");
    ASSERT_NE(Other, Text);
    std::ofstream(Bad, std::ios::trunc) << Other;
    expectOneErrorLine(S3.mergeParts(" " + Bad + " " + S3.part(2) + " " + S3.part(3)),
                       Bad + ": written by another krefcheck build");
    // A part with a file's entry cut off (the part of a shard that has files: which shard a
    // file falls in depends on its path).
    for (int I = 1; I <= 3; ++I) {
      std::ifstream PartIn(S3.part(I));
      std::string Part((std::istreambuf_iterator<char>(PartIn)), std::istreambuf_iterator<char>());
      if (std::count(Part.begin(), Part.end(), '\n') < 2) continue;
      std::ofstream(Bad, std::ios::trunc) << Part.substr(0, Part.rfind('\n', Part.size() - 2) + 1);
      std::string Parts;
      for (int J = 1; J <= 3; ++J) Parts += " " + (J == I ? Bad : S3.part(J));
      expectOneErrorLine(S3.mergeParts(Parts),
                         " of shard " + std::to_string(I) + "/3 (a partial part)");
    }
  }
  // The same database with another command: the parts are for the database as it was.
  {
    const fs::path Db = fs::path(X.db()) / "compile_commands.json";
    const fs::path Saved = X.Root / "saved.json";
    fs::copy_file(Db, Saved);
    std::ifstream In(Db);
    std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    In.close();
    std::ofstream(Db, std::ios::trunc)
        << std::regex_replace(Text, std::regex("\"-std=gnu11\""), "\"-std=gnu11\", \"-DX\"");
    expectOneErrorLine(S3.mergeParts(S3.parts()),
                       S3.part(1) + ": written for another version of the compile database");
    fs::copy_file(Saved, Db, fs::copy_options::overwrite_existing);
  }
  // The parts are good: merged, the store is solved.
  ASSERT_EQ(S3.mergeParts(S3.parts()).Exit, 0);
  ASSERT_LE(S3.check(1).Exit, 1);
  // A store whose summaries are not a fixpoint (made with another summary of acme_find_ctrl()
  // than the store's): the check stage says so instead of using it.
  {
    const fs::path Store = fs::path(X.store()) / "summaries.jsonl";
    std::ifstream In(Store);
    std::string Text((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    std::string Unsolved = std::regex_replace(Text, std::regex("\"acme_find_ctrl\":\"[0-9a-f]+\""),
                                              "\"acme_find_ctrl\":\"0000000000000000\"");
    ASSERT_NE(Unsolved, Text);
    std::string U = (X.Root / "unsolved.jsonl").string();
    std::ofstream(U) << Unsolved;
    expectOneErrorLine(runCli("-p " + X.db() + " -q --summaries " + U + " --shard 2/3"),
                       U + ": not solved: the summaries of ");
  }
  // A file changes after the merge: the check stage says the store is stale, it does not
  // silently re-summarise or report fewer findings.
  fs::path Common = fs::path(X.db()) / "drivers/soc/acme/acme-common.c";
  {
    std::ofstream(Common, std::ios::app) << "\n/* changed */\n";
  }
  for (int I = 1; I <= 3; ++I)
    expectOneErrorLine(S3.check(I), ": stale: " + Common.string() + " (or a header it includes)");
  // ... and so does the merge of the parts written before the change.
  expectOneErrorLine(S3.mergeParts(S3.parts()), ": stale: " + Common.string());
  // A store that is not the merged one of this database (one file's run): the check stage
  // refuses it.
  std::string One = (X.Root / "one.jsonl").string();
  runCli("-p " + X.db() + " -q --summaries " + One + " drivers/misc/acme-user.c");
  ASSERT_TRUE(fs::exists(One));
  CliOutcome C = runCli("-p " + X.db() + " -q --summaries " + One + " --shard 1/1");
  expectOneErrorLine(C, One + ": no summaries of ");
  // Options the stages do not take.
  expectOneErrorLine(runCli("summarize -p " + X.db() + " --shard 1/2"), "needs -o PART");
  expectOneErrorLine(runCli("summarize -p " + X.db() + " --format json -o " + Bad),
                     "`krefcheck summarize` does not take --format");
  expectOneErrorLine(runCli("summarize -o " + Bad), "needs -p");
  expectOneErrorLine(runCli("summaries merge --shard 1/2 -o " + X.store() + S3.parts()),
                     "does not take --shard");
  expectOneErrorLine(runCli("summaries marge -o " + X.store() + S3.parts()),
                     "`krefcheck summaries` needs a command: merge (got 'marge')");
}

// A file counted as having nothing to analyse with the summaries it was parsed with is still
// analysed when a summary it calls arrived later: user.c uses the OF API only through
// late_find() of lib.c, which is summarised after user.c (both start in round 1; user.c first).
// Before, user.c was skipped and its leak lost (found only with lib.c first in the database).
TEST(WholeProgram, FileRelevantOnlyThroughALaterSummaryIsAnalysed) {
  fs::path Dir = fs::temp_directory_path() / ("krefcheck-late-" + std::to_string(getpid()));
  fs::create_directories(Dir);
  std::ofstream(Dir / "user.c") << "#include <linux/of.h>\n"
                                   "/* of_node_put() is the release of late_find()'s node. */\n"
                                   "struct device_node *late_find(void);\n"
                                   "static int user_probe(void)\n"
                                   "{\n"
                                   "\tstruct device_node *np = late_find();\n"
                                   "\tif (!np)\n"
                                   "\t\treturn -19;\n"
                                   "\treturn 0;\n"
                                   "}\n"
                                   "int (*user_probe_ptr)(void) = user_probe;\n";
  std::ofstream(Dir / "lib.c") << "#include <linux/of.h>\n"
                                  "struct device_node *late_find(void)\n"
                                  "{\n"
                                  "\treturn of_find_node_by_path(\"/late\");\n"
                                  "}\n";
  auto Entry = [&](const std::string &F) {
    return "{\"directory\": \"" + Dir.string() + "\", \"arguments\": [\"clang\", \"-nostdinc\", " +
           "\"-I\", \"" + Src + "/testdata/include\", \"-std=gnu11\", \"-c\", \"" + F +
           "\"], \"file\": \"" + F + "\"}";
  };
  for (const char *Order : {"user-first", "lib-first"}) {
    fs::create_directories(Dir / Order);
    std::ofstream(Dir / Order / "compile_commands.json")
        << "["
        << (std::string(Order) == "user-first" ? Entry("user.c") + "," + Entry("lib.c")
                                               : Entry("lib.c") + "," + Entry("user.c"))
        << "]";
    CliOutcome R = runCli("-p " + (Dir / Order).string() + " -j1 -q");
    EXPECT_EQ(R.Exit, 1) << Order << R.Err;
    EXPECT_EQ(countFindings(R.Out), 1) << Order << R.Out;
    EXPECT_NE(R.Out.find("user.c:9:2: warning: 'np' from late_find() (line 6) is not released"),
              std::string::npos)
        << Order << R.Out;
    // The same in stages, with user.c and lib.c in one shard, then in two.
    int Apart = 2;
    while (shardOf((Dir / "user.c").string(), Apart) == shardOf((Dir / "lib.c").string(), Apart))
      ++Apart;
    for (int N : {1, Apart}) {
      const std::string Db = (Dir / Order).string(), Store = (Dir / Order / "store").string();
      std::string Parts, Outs;
      for (int I = 1; I <= N; ++I) {
        const std::string Shard = std::to_string(I) + "/" + std::to_string(N);
        const std::string Part = Db + "/part" + std::to_string(I) + ".jsonl";
        ASSERT_EQ(runCli("summarize -q -p " + Db + " --shard " + Shard + " -o " + Part).Exit, 0);
        Parts += " " + Part;
      }
      ASSERT_EQ(runCli("summaries merge -q -o " + Store + Parts).Exit, 0);
      for (int I = 1; I <= N; ++I) {
        const std::string Out = Db + "/out" + std::to_string(I) + ".json";
        ASSERT_LE(runCli("-p " + Db + " -q --summaries " + Store + " --shard " + std::to_string(I) +
                         "/" + std::to_string(N) + " --format json -o " + Out)
                      .Exit,
                  1);
        Outs += " " + Out;
      }
      EXPECT_EQ(runCli("merge -q" + Outs).Out, R.Out) << Order << " in " << N << " shards";
    }
  }
  fs::remove_all(Dir);
}

// The unsettled-rounds warning and the staged merge's error name the files still changing
// (the first three, then a count), so a user can find the cycle.
TEST(WholeProgram, UnsettledFilesAreNamedInOneLine) {
  EXPECT_EQ(krefcheck::unsettledList({"a.c"}), "a.c");
  EXPECT_EQ(krefcheck::unsettledList({"a.c", "b.c", "c.c"}), "a.c, b.c, c.c");
  EXPECT_EQ(krefcheck::unsettledList({"a.c", "b.c", "c.c", "d.c", "e.c"}),
            "a.c, b.c, c.c and 2 other files");
  EXPECT_EQ(krefcheck::unsettledList({}), "");
}
