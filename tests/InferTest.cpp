// `krefcheck rules infer`: kernel-doc sentences and whole-program summaries become rules with
// their evidence; the output is a valid --rules file.
#include "infer/Infer.h"
#include "rules/Rules.h"

#include <gtest/gtest.h>

#include "TestSupport.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

using namespace krefcheck;
namespace fs = std::filesystem;

namespace {

const std::string Src = KREFCHECK_SOURCE_DIR;

std::vector<DocClaim> scan(const std::string &Text) {
  return scanKernelDoc(Text, "x.c", shippedRules());
}

TEST(KernelDoc, ReturnWithRefcountIncremented) {
  auto C = scan(R"(
/**
 * of_find_foo - find a node
 * @from: the node to start from
 *
 * Return: A node pointer with refcount incremented, use
 * of_node_put() on it when done.
 */
struct device_node *of_find_foo(struct device_node *from)
{
)");
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0].Function, "of_find_foo");
  EXPECT_TRUE(C[0].ReturnsRef);
  EXPECT_EQ(C[0].Family, "device_node");
  EXPECT_EQ(C[0].Line, 6u);
  EXPECT_TRUE(C[0].Releases.empty());
  ASSERT_FALSE(C[0].Sentences.empty());
  EXPECT_EQ(C[0].Sentences[0].rfind("x.c:6: Return: A node pointer with refcount incremented", 0),
            0u);
}

TEST(KernelDoc, ReleasedArgumentAndIteratorStep) {
  auto C = scan(R"(
/**
 * foo_get_next - next child
 * @parent: parent node
 * @prev: previous child, or NULL
 *
 * Returns a node pointer with refcount incremented, use of_node_put() on
 * it when done. Decrements the refcount of @prev.
 */
struct device_node *foo_get_next(const struct device_node *parent,
				 struct device_node *prev);
/**
 * foo_find_from - find
 * @from: the node to start searching from, or NULL. of_node_put() will be called on @from.
 * @name: a name
 */
struct device_node *foo_find_from(struct device_node *from, const char *name)
{
)");
  ASSERT_EQ(C.size(), 2u);
  EXPECT_TRUE(C[0].ReturnsRef);
  ASSERT_EQ(C[0].Releases.size(), 1u);
  EXPECT_EQ(C[0].Releases[0].first, 1u);
  EXPECT_EQ(C[1].Function, "foo_find_from");
  EXPECT_FALSE(C[1].ReturnsRef);
  ASSERT_EQ(C[1].Releases.size(), 1u);
  EXPECT_EQ(C[1].Releases[0], std::make_pair(0u, std::string("device_node")));
}

TEST(KernelDoc, CallerMustPutDevice) {
  auto C = scan(R"(
/**
 * bus_find_foo - find a device
 * @bus: the bus
 *
 * The caller must call put_device() on the returned device when done.
 */
struct device *bus_find_foo(const struct bus_type *bus)
{
)");
  ASSERT_EQ(C.size(), 1u);
  EXPECT_TRUE(C[0].ReturnsRef);
  EXPECT_EQ(C[0].Family, "device");
}

TEST(KernelDoc, LookAlikesClaimNothing) {
  auto C = scan(R"(
/**
 * foo_peek - the node, borrowed
 *
 * Return: the node. The refcount is not incremented.
 */
struct device_node *foo_peek(void)
{
/**
 * foo_count - count children
 * @np: node; the caller must call of_node_put() on @np when done
 *
 * Return: the number of children with the reference count taken.
 */
int foo_count(struct device_node *np)
{
/**
 * FOO_MACRO - not a function
 * Return: a node pointer with refcount incremented
 */
#define FOO_MACRO(x) (x)
/**
 * struct foo - a struct with a kernel-doc
 * @np: a node with refcount incremented
 */
struct foo {
	struct device_node *np;
};
/**
 * foo_regmap - returns a regmap
 *
 * Return: a regmap with its reference count incremented; call foo_put() on it.
 */
struct regmap *foo_regmap(void)
{
)");
  EXPECT_TRUE(C.empty()) << C.size() << " claims, first: " << (C.empty() ? "" : C[0].Function);
}

TEST(RulesInfer, XtuTreeGivesValidRulesWithEvidence) {
  fs::path Out =
      fs::temp_directory_path() / ("krefcheck-inferred-" + std::to_string(getpid()) + ".json");
  CliOutcome R = runCli("rules infer -p " + Src + "/testdata/xtu -o " + Out.string());
  ASSERT_EQ(R.Exit, 0) << R.Err;
  EXPECT_NE(
      R.Err.find("5 rules inferred (0 from the body only, 1 from kernel-doc only, 4 from both)"),
      std::string::npos)
      << R.Err;
  EXPECT_NE(R.Err.find("new: 5"), std::string::npos) << R.Err;
  RuleSet Rules = shippedRules();
  std::string Err;
  ASSERT_TRUE(Rules.loadFile(Out.string(), Err) && Rules.finalize(Err)) << Err;
  const FunctionRule *F = Rules.function("acme_lookup_cached");  // from kernel-doc only
  ASSERT_NE(F, nullptr);
  EXPECT_EQ(F->Returns, ReturnEffect::Acquired);
  ASSERT_EQ(F->Evidence.size(), 1u);
  EXPECT_NE(F->Evidence[0].find("acme-common.c:62: Return: the node with its refcount incremented"),
            std::string::npos);
  const FunctionRule *N = Rules.function("acme_next_port");
  ASSERT_NE(N, nullptr);
  EXPECT_TRUE(N->isIteratorStep());
  EXPECT_EQ(Rules.function("acme_register_node"), nullptr);  // a transfer: not proposed
  EXPECT_EQ(Rules.function("acme_dup_get"), nullptr);        // not exported, conflicting
  // The inferred file alone makes the user file's bugs visible, without cross-TU analysis.
  CliOutcome U = runCli("-p " + Src + "/testdata/xtu --no-cross-tu --rules " + Out.string() +
                            " drivers/misc/acme-user.c",
                        Src + "/testdata/xtu");
  EXPECT_EQ(U.Exit, 1) << U.Err;
  EXPECT_NE(U.Out.find("in acme_user_probe()"), std::string::npos) << U.Out;
  fs::remove(Out);
}

TEST(RulesInfer, NamesAlreadyInTheRulesAreComparedNotRepeated) {
  fs::path Dir = fs::temp_directory_path() / ("krefcheck-infer-" + std::to_string(getpid()));
  fs::create_directories(Dir);
  // A rules file that already describes two of the functions, one of them differently.
  std::ofstream(Dir / "mine.json") << R"({"functions": [
    {"name": "acme_find_ctrl", "family": "device_node", "returns": "acquired", "may_be_null": true},
    {"name": "acme_put_ctrl", "family": "device_node"}]})";
  CliOutcome R = runCli("rules infer -p " + Src + "/testdata/xtu --rules " +
                        (Dir / "mine.json").string() + " -o " + (Dir / "out.json").string());
  ASSERT_EQ(R.Exit, 0) << R.Err;
  EXPECT_NE(R.Err.find("already in the rule files: 2 (1 agree, 1 differ)"), std::string::npos)
      << R.Err;
  EXPECT_NE(R.Err.find("differs: acme_put_ctrl: releases argument 0, rules/ says borrow"),
            std::string::npos)
      << R.Err;
  EXPECT_NE(R.Err.find("new: 3"), std::string::npos) << R.Err;
  fs::remove_all(Dir);
}

TEST(RulesInfer, MissingDatabaseIsOneLine) {
  CliOutcome R = runCli("rules infer -p /nonexistent/db");
  EXPECT_EQ(R.Exit, 2);
  EXPECT_NE(R.Err.find("/nonexistent/db"), std::string::npos) << R.Err;
}

}  // namespace
