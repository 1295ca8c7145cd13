// Patch mode's building blocks: reading diffs as developers produce them, and deciding which
// findings a patch touches.
#include "driver/Patch.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace krefcheck;

namespace {

const char *FormatPatch = R"(From 1234567890abcdef Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Sat, 21 Nov 2026 10:00:00 +0000
Subject: [PATCH] of: acme: look up the timing node

Some text, and a line starting with a dash:
- like this one
---
 drivers/of/acme.c | 5 ++++-
 include/linux/acme.h | 1 +
 2 files changed, 5 insertions(+), 1 deletion(-)

diff --git a/drivers/of/acme.c b/drivers/of/acme.c
index 1111111..2222222 100644
--- a/drivers/of/acme.c
+++ b/drivers/of/acme.c
@@ -10,6 +10,9 @@ int acme_probe(struct device *dev)
 	int ret;
 
-	ret = 0;
+	np = of_get_child_by_name(dev->of_node, "timing");
+	if (!np)
+		return -ENODEV;
+	ret = of_property_read_u32(np, "x", &v);
 	return ret;
 }
 
diff --git a/include/linux/acme.h b/include/linux/acme.h
new file mode 100644
--- /dev/null
+++ b/include/linux/acme.h
@@ -0,0 +1 @@
+int acme_probe(struct device *dev);
-- 
2.39.5
)";

TEST(Patch, ParsesFormatPatchWithSeveralFiles) {
  std::vector<FileChange> C;
  std::string Err;
  ASSERT_TRUE(parseUnifiedDiff(FormatPatch, "p.patch", C, Err)) << Err;
  ASSERT_EQ(C.size(), 2u);
  EXPECT_EQ(C[0].OldPath, "drivers/of/acme.c");
  EXPECT_EQ(C[0].NewPath, "drivers/of/acme.c");
  EXPECT_EQ(C[0].Lines, (std::set<unsigned>{12, 13, 14, 15}));
  EXPECT_EQ(C[0].Deleted, (std::set<unsigned>{12}));
  EXPECT_EQ(C[1].OldPath, "");
  EXPECT_EQ(C[1].NewPath, "include/linux/acme.h");
  EXPECT_EQ(C[1].Lines, (std::set<unsigned>{1}));
}

TEST(Patch, RemovalIsAPositionBeforeTheLineThatNowStandsThere) {
  std::vector<FileChange> C;
  std::string Err;
  ASSERT_TRUE(parseUnifiedDiff(
      "--- a/x.c\n+++ b/x.c\n@@ -5,3 +5,2 @@\n a\n-\tof_node_put(np);\n b\n", "d", C, Err))
      << Err;
  EXPECT_EQ(C[0].Lines, (std::set<unsigned>{}));
  EXPECT_EQ(C[0].Deleted, (std::set<unsigned>{6}));
  // "+4,0": lines removed after line 4 of the new file (diff -U0).
  C.clear();
  ASSERT_TRUE(parseUnifiedDiff("--- a/x.c\n+++ b/x.c\n@@ -5,2 +4,0 @@\n-a\n-b\n", "d", C, Err))
      << Err;
  EXPECT_EQ(C[0].Lines, (std::set<unsigned>{}));
  EXPECT_EQ(C[0].Deleted, (std::set<unsigned>{5}));
}

TEST(Patch, MalformedDiffsNameTheLine) {
  std::vector<FileChange> C;
  std::string Err;
  EXPECT_FALSE(parseUnifiedDiff("--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @ oops\n", "bad.diff", C, Err));
  EXPECT_EQ(Err, "bad.diff:3: malformed hunk header '@@ -1,2 +1,2 @ oops'");
  C.clear();
  EXPECT_FALSE(parseUnifiedDiff("--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n", "bad.diff", C, Err));
  EXPECT_EQ(Err, "bad.diff:4: patch ends inside a hunk");
  C.clear();
  EXPECT_FALSE(parseUnifiedDiff("@@ -1 +1 @@\n-a\n+b\n", "bad.diff", C, Err));
  EXPECT_EQ(Err, "bad.diff:1: hunk before any '---'/'+++' file header");
  C.clear();
  EXPECT_FALSE(
      parseUnifiedDiff("--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n a\nzzz\n", "bad.diff", C, Err));
  EXPECT_EQ(Err, "bad.diff:5: hunk ends early: expected 1 more old and 1 more new lines");
  // Text that is no patch at all (a silent "nothing changed" before).
  C.clear();
  EXPECT_FALSE(parseUnifiedDiff("Some notes\nabout a change\n", "notes.txt", C, Err));
  EXPECT_EQ(Err, "notes.txt: not a patch: no '---'/'+++' file header and no 'diff' line");
  // An empty diff (nothing changed) and a binary-only git diff are patches.
  EXPECT_TRUE(parseUnifiedDiff("", "empty.diff", C, Err));
  EXPECT_TRUE(parseUnifiedDiff("diff --git a/x.bin b/x.bin\nindex 1..2 100644\n"
                               "Binary files a/x.bin and b/x.bin differ\n",
                               "bin.diff", C, Err));
  EXPECT_TRUE(C.empty());
}

TEST(Patch, FindingsTouchingChangedLines) {
  std::vector<FileChange> C;
  std::string Err;
  ASSERT_TRUE(parseUnifiedDiff(FormatPatch, "p.patch", C, Err)) << Err;
  auto Changed = changedFiles(C, "/src/linux");
  ASSERT_EQ(Changed.count("/src/linux/drivers/of/acme.c"), 1u);
  Finding F;
  F.Loc = {"/src/linux/drivers/of/acme.c", 40, 2};
  F.AcquireLoc = {"/src/linux/drivers/of/acme.c", 30, 7};
  EXPECT_FALSE(touchesChange(F, Changed));
  F.Path.push_back(
      {{"/src/linux/drivers/of/acme.c", 13, 3}, "Assuming 'np' is non-null", StepKind::Branch});
  EXPECT_TRUE(touchesChange(F, Changed));
  F.Path.clear();
  F.AcquireLoc.Line = 12;
  EXPECT_TRUE(touchesChange(F, Changed));
}

// A path passes through a changed line it traverses without a note (a goto, a break), and
// through deleted lines when it goes on from the statement before them to the one after.
TEST(Patch, FindingsPassingThroughChangesWithoutANote) {
  std::vector<FileChange> C;
  std::string Err;
  ASSERT_TRUE(
      parseUnifiedDiff("--- a/d.c\n+++ b/d.c\n@@ -20,4 +20,4 @@\n a\n-\tgoto err_put;\n"
                       "+\tgoto err_free;\n b\n c\n@@ -40,3 +40,2 @@\n x\n-\tof_node_put(np);\n"
                       " y\n",
                       "p", C, Err))
      << Err;
  auto Changed = changedFiles(C, "/src");
  Finding F;
  F.Loc = {"/src/d.c", 50, 2};
  F.AcquireLoc = {"/src/d.c", 10, 7};
  EXPECT_FALSE(touchesChange(F, Changed));
  F.Traversed = {{"/src/d.c", {10, 11, 19, 50}, {{10, 11}, {11, 19}}}};
  EXPECT_FALSE(touchesChange(F, Changed));  // line 21 (the goto) is not traversed
  F.Traversed[0].Lines.push_back(21);
  EXPECT_TRUE(touchesChange(F, Changed));
  F.Traversed[0].File = "/src/other.c";
  EXPECT_FALSE(touchesChange(F, Changed));
  // The put removed before line 41: on the path from line 40 to 41, or from 38 to 45.
  F.Traversed = {{"/src/d.c", {40, 41}, {{40, 41}}}};
  EXPECT_TRUE(touchesChange(F, Changed));
  F.Traversed[0].Between = {{38, 45}};
  EXPECT_TRUE(touchesChange(F, Changed));
  // Not when the path only ends before it, or only starts after it.
  F.Traversed[0].Between = {{39, 40}, {41, 42}};
  EXPECT_FALSE(touchesChange(F, Changed));
}

TEST(Patch, TraversedLinesRoundTripThroughJson) {
  Finding F;
  F.RuleId = "krefcheck-leak";
  F.Loc = {"/src/d.c", 50, 2};
  F.Path.push_back({{"/src/d.c", 10, 7}, "reference acquired", StepKind::Acquire});
  F.Traversed = {{"/src/a.h", {3}, {}}, {"/src/d.c", {10, 11, 21, 50}, {{10, 11}, {21, 50}}}};
  nlohmann::json J = F;
  EXPECT_EQ(J.at("traversed").dump(),
            R"([{"between":[],"file":"/src/a.h","lines":[3]},)"
            R"({"between":[[10,11],[21,50]],"file":"/src/d.c","lines":[10,11,21,50]}])");
  Finding G = J.get<Finding>();
  EXPECT_EQ(G.Traversed, F.Traversed);
  // JSON written before the field existed still reads.
  J.erase("traversed");
  EXPECT_TRUE(J.get<Finding>().Traversed.empty());
}

}  // namespace

// End to end, the way a pre-commit hook runs it: a git work tree, a patch, the pre-image.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;

struct Repo {
  fs::path Dir;
  Repo() {
    Dir = fs::temp_directory_path() / ("krefcheck-patch-" + std::to_string(getpid()));
    fs::remove_all(Dir);
    fs::create_directories(Dir);
    fs::copy(std::string(KREFCHECK_SOURCE_DIR) + "/testdata/include", Dir / "include",
             fs::copy_options::recursive);
    sh("git init -q && git config user.email t@example.org && git config user.name t");
  }
  ~Repo() {
    fs::remove_all(Dir);
    fs::remove(Dir.string() + ".out");
  }
  int sh(const std::string &Cmd, std::string *Out = nullptr) const {
    fs::path Log = Dir.string() + ".out";  // outside the work tree
    std::string Full = "cd " + Dir.string() + " && ( " + Cmd + " ) > " + Log.string() + " 2>&1";
    int St = std::system(Full.c_str());
    if (Out) {
      std::ifstream In(Log);
      Out->assign(std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>());
    }
    return WIFEXITED(St) ? WEXITSTATUS(St) : -1;
  }
  void write(const std::string &Name, const std::string &Text) const {
    std::ofstream(Dir / Name) << Text;
  }
};

const char *Before = R"(#include <linux/of.h>
#include <linux/errno.h>

int old_bug(struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "a");

	if (!np)
		return -ENODEV;
	if (!of_property_read_bool(np, "x"))
		return -EINVAL;
	of_node_put(np);
	return 0;
}

int fine(struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "b");

	if (!np)
		return -ENODEV;
	of_node_put(np);
	return 0;
}
)";

// The patch adds an early return to fine() (a new leak) and edits a line on old_bug()'s
// leaking path (an old leak).
const char *After = R"(#include <linux/of.h>
#include <linux/errno.h>

int old_bug(struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "a");

	if (!np)
		return -ENODEV;
	if (!of_property_read_bool(np, "y"))
		return -EINVAL;
	of_node_put(np);
	return 0;
}

int fine(struct device_node *parent)
{
	struct device_node *np = of_get_child_by_name(parent, "b");

	if (!np)
		return -ENODEV;
	if (of_property_read_bool(np, "disabled"))
		return -ENODEV;
	of_node_put(np);
	return 0;
}
)";

const std::string Flags = " -- -nostdinc -Iinclude -std=gnu11 -D__KERNEL__";

TEST(PatchMode, ReportsOnlyWhatThePatchIntroduces) {
  Repo R;
  R.write("drv.c", Before);
  ASSERT_EQ(R.sh("git add -A && git commit -qm base"), 0);
  R.write("drv.c", After);
  ASSERT_EQ(R.sh("git diff > change.diff"), 0);
  std::string Out;
  // Without the pre-image: both leaks have a step on a changed line.
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --quiet --diff change.diff drv.c" + Flags, &Out), 1);
  EXPECT_NE(Out.find("in fine()"), std::string::npos) << Out;
  EXPECT_NE(Out.find("in old_bug()"), std::string::npos) << Out;
  // With it: the old leak was already there.
  EXPECT_EQ(
      R.sh(KREFCHECK_BINARY " --quiet --diff change.diff --diff-base HEAD drv.c" + Flags, &Out), 1);
  EXPECT_NE(Out.find("drv.c:23:3: warning:"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("in old_bug()"), std::string::npos) << Out;
  // From stdin, as `git diff | krefcheck --diff -` .
  EXPECT_EQ(
      R.sh("git diff | " KREFCHECK_BINARY " --quiet --diff - --diff-base HEAD drv.c" + Flags, &Out),
      1);
  EXPECT_NE(Out.find("in fine()"), std::string::npos) << Out;
  // A patch that touches no line of a finding's path reports nothing.
  R.write("drv.c", Before);
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --quiet --diff /dev/null drv.c" + Flags, &Out), 0) << Out;
}

TEST(PatchMode, MalformedPatchIsOneLineNamingTheLine) {
  Repo R;
  R.write("drv.c", Before);
  R.write("bad.diff", "--- a/drv.c\n+++ b/drv.c\n@@ -1,2 +1,2 @@ x\n-a\nb\n");
  std::string Out;
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --diff bad.diff drv.c" + Flags, &Out), 2);
  EXPECT_EQ(Out, "krefcheck: error: bad.diff:5: hunk ends early: expected 1 more old and 2 more "
                 "new lines\n");
  // A directory or a text that is no patch is not "a patch that changes nothing".
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --diff include drv.c" + Flags, &Out), 2);
  EXPECT_EQ(Out, "krefcheck: error: include: cannot read the patch: is a directory\n");
  R.write("notes.txt", "Some notes\n");
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --diff notes.txt drv.c" + Flags, &Out), 2);
  EXPECT_EQ(
      Out,
      "krefcheck: error: notes.txt: not a patch: no '---'/'+++' file header and no 'diff' line\n");
}

}  // namespace

namespace {

TEST(PatchMode, PreCommitHookRefusesAnIntroducedLeak) {
  Repo R;
  R.write("drv.c", Before);
  std::string Db = "[{\"directory\": \"" + R.Dir.string() +
                   "\", \"file\": \"drv.c\", \"command\": \"gcc -nostdinc -Iinclude -std=gnu11 "
                   "-D__KERNEL__ -c drv.c -o drv.o\"}]";
  fs::create_directories(R.Dir / "build");
  R.write("build/compile_commands.json", Db);
  std::string Bin = fs::path(KREFCHECK_BINARY).parent_path().string();
  std::string Integ = std::string(KREFCHECK_SOURCE_DIR) + "/integration";
  ASSERT_EQ(R.sh("git add -A && git commit -qm base && git config krefcheck.build build && cp " +
                 Integ + "/pre-commit .git/hooks/pre-commit"),
            0);
  std::string Env = "PATH=" + Integ + ":" + Bin + ":$PATH ";
  std::string Out;
  R.write("drv.c", After);
  EXPECT_NE(R.sh("git add drv.c && " + Env + "git commit -qm leak", &Out), 0) << Out;
  EXPECT_NE(Out.find("in fine()"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("in old_bug()"), std::string::npos) << Out;
  // The fixed change goes through.
  std::string Fixed = After;
  auto P = Fixed.find("if (of_property_read_bool(np, \"disabled\"))\n\t\treturn -ENODEV;");
  ASSERT_NE(P, std::string::npos);
  Fixed.replace(
      P, std::string("if (of_property_read_bool(np, \"disabled\"))\n\t\treturn -ENODEV;").size(),
      "if (of_property_read_bool(np, \"disabled\")) {\n\t\tof_node_put(np);\n\t\treturn "
      "-ENODEV;\n\t}");
  R.write("drv.c", Fixed);
  EXPECT_EQ(R.sh("git add drv.c && " + Env + "git commit -qm fixed", &Out), 0) << Out;
}

}  // namespace

// testdata/patch: each NAME.before.c / NAME.after.c pair is a patch (see testdata/README.md).
// The whole-file run of the post-image reports every `expect-warning`; patch mode, with and
// without --diff-base, exactly the ones marked `new`.
#include <regex>

namespace {

const std::vector<std::string> PatchCases = {"goto_retarget", "continue_break", "deleted_put",
                                             "inverted_condition", "error_value"};

std::string readFile(const fs::path &P) {
  std::ifstream In(P);
  return std::string(std::istreambuf_iterator<char>(In), std::istreambuf_iterator<char>());
}

/// The file without its `// expect-...` comments (they must not be part of the patch).
std::string withoutExpectations(const std::string &Text) {
  return std::regex_replace(Text, std::regex(" // expect-[^\n]*"), "");
}

/// "LINE rule" of every expect-warning (only the `new` ones if NewOnly).
std::set<std::string> expected(const std::string &Text, bool NewOnly) {
  std::set<std::string> Out;
  std::istringstream In(Text);
  static const std::regex W(R"(expect-warning\{\{([a-z-]+)\}\}( new)?)");
  unsigned N = 0;
  for (std::string L; std::getline(In, L);) {
    ++N;
    std::smatch M;
    if (std::regex_search(L, M, W) && (!NewOnly || M[2].matched))
      Out.insert(std::to_string(N) + " " + M[1].str());
  }
  return Out;
}

/// "LINE rule" of every warning krefcheck printed for drv.c.
std::set<std::string> reported(const std::string &Out) {
  std::set<std::string> R;
  static const std::regex W(R"(^drv\.c:(\d+):\d+: warning: .*\[([a-z-]+)\])");
  std::istringstream In(Out);
  for (std::string L; std::getline(In, L);) {
    std::smatch M;
    if (std::regex_search(L, M, W)) R.insert(M[1].str() + " " + M[2].str());
  }
  return R;
}

class PatchCase : public ::testing::TestWithParam<std::string> {};

TEST_P(PatchCase, ReportsExactlyWhatThePatchIntroduces) {
  fs::path Dir = fs::path(KREFCHECK_SOURCE_DIR) / "testdata" / "patch";
  std::string Before = readFile(Dir / (GetParam() + ".before.c"));
  std::string After = readFile(Dir / (GetParam() + ".after.c"));
  ASSERT_FALSE(Before.empty());
  ASSERT_FALSE(After.empty());
  std::set<std::string> All = expected(After, false), New = expected(After, true);
  ASSERT_FALSE(New.empty()) << "a patch case introduces a finding";
  ASSERT_NE(All, New) << "a patch case has a look-alike with an older finding";
  Repo R;
  R.write("drv.c", withoutExpectations(Before));
  ASSERT_EQ(R.sh("git add -A && git commit -qm base"), 0);
  R.write("drv.c", withoutExpectations(After));
  ASSERT_EQ(R.sh("git diff > change.diff"), 0);
  std::string Out;
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --quiet drv.c" + Flags, &Out), 1);
  EXPECT_EQ(reported(Out), All) << Out;
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --quiet --diff change.diff drv.c" + Flags, &Out), 1);
  EXPECT_EQ(reported(Out), New) << Out;
  EXPECT_EQ(
      R.sh("git diff | " KREFCHECK_BINARY " --quiet --diff - --diff-base HEAD drv.c" + Flags, &Out),
      1);
  EXPECT_EQ(reported(Out), New) << Out;
}

INSTANTIATE_TEST_SUITE_P(Patch, PatchCase, ::testing::ValuesIn(PatchCases));

TEST(PatchCase, EveryCaseIsListed) {
  std::set<std::string> Found;
  for (const auto &E :
       fs::directory_iterator(fs::path(KREFCHECK_SOURCE_DIR) / "testdata" / "patch")) {
    std::string N = E.path().filename().string();
    if (N.size() > 9 && N.compare(N.size() - 9, 9, ".before.c") == 0)
      Found.insert(N.substr(0, N.size() - 9));
  }
  EXPECT_EQ(Found, std::set<std::string>(PatchCases.begin(), PatchCases.end()));
}

}  // namespace

namespace {

// Without --diff-root the patch's paths are resolved where its files are: the current directory
// first (a kernel tree unpacked inside some other git work tree), then the git top level.
TEST(PatchMode, PathsResolveWhereThePatchsFilesAre) {
  Repo R;
  R.write("README", "outer repository\n");
  ASSERT_EQ(R.sh("git add README && git commit -qm outer"), 0);
  fs::create_directories(R.Dir / "src/linux");
  fs::copy(R.Dir / "include", R.Dir / "src/linux/include", fs::copy_options::recursive);
  R.write("src/linux/before.c", Before);
  R.write("src/linux/drv.c", After);
  R.sh(
      "cd src/linux && diff -u --label a/drv.c --label b/drv.c before.c drv.c > ../../change.diff");
  std::string Out;
  std::string Tree = (R.Dir / "src/linux").string();
  EXPECT_EQ(
      R.sh("cd src/linux && " KREFCHECK_BINARY " --diff ../../change.diff drv.c" + Flags, &Out), 1)
      << Out;
  EXPECT_NE(Out.find("krefcheck: the patch's paths are relative to " + Tree +
                     " (the current directory)\n"),
            std::string::npos)
      << Out;
  EXPECT_NE(Out.find("in fine()"), std::string::npos) << Out;
  // From a subdirectory of the work tree, with the patch's paths relative to its top.
  R.sh("diff -u --label a/src/linux/drv.c --label b/src/linux/drv.c src/linux/before.c "
       "src/linux/drv.c > top.diff");
  EXPECT_EQ(R.sh("cd include && " KREFCHECK_BINARY " --diff ../top.diff ../src/linux/drv.c -- "
                 "-nostdinc -I../src/linux/include -std=gnu11 -D__KERNEL__",
                 &Out),
            1)
      << Out;
  EXPECT_NE(Out.find("krefcheck: the patch's paths are relative to " + R.Dir.string() +
                     " (the git top level)\n"),
            std::string::npos)
      << Out;
  EXPECT_NE(Out.find("in fine()"), std::string::npos) << Out;
  // No candidate has the patch's files: one line naming the patch, exit 2 (not a silent 0).
  R.write("other.diff", "--- a/drivers/of/gone.c\n+++ b/drivers/of/gone.c\n@@ -1 +1 @@\n-a\n+b\n");
  EXPECT_EQ(
      R.sh("cd src/linux && " KREFCHECK_BINARY " --diff ../../other.diff drv.c" + Flags, &Out), 2);
  EXPECT_EQ(
      Out, "krefcheck: error: ../../other.diff: none of its 1 file (drivers/of/gone.c) exists in " +
               Tree + " or " + R.Dir.string() + " (give the tree with --diff-root)\n");
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --diff change.diff --diff-root include src/linux/drv.c" + Flags,
                 &Out),
            2);
  EXPECT_EQ(Out, "krefcheck: error: change.diff: none of its 1 file (drv.c) exists in " +
                     (R.Dir / "include").string() + " (give the tree with --diff-root)\n");
}

// git runs with an argument vector, not a shell string: a file name with a quote in it gets
// its pre-image (the shell version refused it: "git show HEAD:it's.c failed", exit 2).
TEST(PatchMode, PreImageOfAFileWithAQuoteInItsName) {
  Repo R;
  R.write("it's.c", Before);
  ASSERT_EQ(R.sh("git add -A && git commit -qm base"), 0);
  R.write("it's.c", After);
  ASSERT_EQ(R.sh("git diff > change.diff"), 0);
  std::string Out;
  EXPECT_EQ(R.sh(KREFCHECK_BINARY " --quiet --diff change.diff --diff-base HEAD \"it's.c\"" + Flags,
                 &Out),
            1)
      << Out;
  EXPECT_NE(Out.find("it's.c:23:3: warning:"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("in old_bug()"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("error"), std::string::npos) << Out;
}

}  // namespace
