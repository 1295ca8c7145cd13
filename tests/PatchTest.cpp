// Patch mode's building blocks: reading diffs as developers produce them, and deciding which
// findings a patch touches.
#include "driver/Patch.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(C[1].OldPath, "");
  EXPECT_EQ(C[1].NewPath, "include/linux/acme.h");
  EXPECT_EQ(C[1].Lines, (std::set<unsigned>{1}));
}

TEST(Patch, RemovalTouchesTheLineThatNowStandsThere) {
  std::vector<FileChange> C;
  std::string Err;
  ASSERT_TRUE(parseUnifiedDiff("--- a/x.c\n+++ b/x.c\n@@ -5,3 +5,2 @@\n a\n-\tof_node_put(np);\n b\n",
                               "d", C, Err))
      << Err;
  EXPECT_EQ(C[0].Lines, (std::set<unsigned>{6}));
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
  EXPECT_FALSE(parseUnifiedDiff("--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n a\nzzz\n", "bad.diff", C, Err));
  EXPECT_EQ(Err, "bad.diff:5: hunk ends early: expected 1 more old and 1 more new lines");
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
  F.Path.push_back({{"/src/linux/drivers/of/acme.c", 13, 3}, "Assuming 'np' is non-null", "branch"});
  EXPECT_TRUE(touchesChange(F, Changed));
  F.Path.clear();
  F.AcquireLoc.Line = 12;
  EXPECT_TRUE(touchesChange(F, Changed));
}

}  // namespace
