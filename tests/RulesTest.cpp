// The rules loader: the shipped rules load; every kind of bad file is rejected with one line
// naming the file, the entry and the field.
#include "rules/Rules.h"
#include "run/Prefilter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include <nlohmann/json.hpp>

using namespace krefcheck;

namespace {

const std::string Src = KREFCHECK_SOURCE_DIR;

std::string loadError(const std::string &Text) {
  RuleSet R;
  std::string Err;
  if (R.loadString(Text, "bad.json", Err) && R.finalize(Err)) return "";
  EXPECT_EQ(Err.find('\n'), std::string::npos) << "error must be one line: " << Err;
  return Err;
}

// The prefilter's kernel idioms come from the rules (cleanup_macros, iterator_macros): a file
// that names no API is parsed when it uses one of them, and only then.
TEST(Rules, PrefilterMacrosComeFromTheRules) {
  namespace fs = std::filesystem;
  fs::path Dir = fs::temp_directory_path() / ("krefcheck-prefilter-" + std::to_string(getpid()));
  fs::create_directories(Dir);
  auto Write = [&](const char *Name, const char *Text) {
    std::ofstream(Dir / Name) << Text;
    return (Dir / Name).string();
  };
  std::string Walk = Write("walk.c", "void f(struct acme *a) { acme_walk_child(a, c) g(c); }\n");
  std::string Free = Write("free.c", "void f(void) { struct acme *a __acme_free(acme) = 0; }\n");
  std::string Kernel = Write("kernel.c", "void f(struct device_node *np) {\n"
                                         "  struct device_node *c __free(device_node) = 0;\n"
                                         "  for_each_child_of_node(np, c) g(c); }\n");
  RuleSet Acme;
  std::string Err;
  ASSERT_TRUE(Acme.loadString(R"({"iterator_macros": ["acme_walk"],
                                  "cleanup_macros": ["__acme_free"]})",
                              "acme.json", Err))
      << Err;
  Prefilter P(Acme);
  EXPECT_TRUE(P.mayMatter(Walk));
  EXPECT_TRUE(P.mayMatter(Free));
  EXPECT_FALSE(P.mayMatter(Kernel));  // __free and for_each are the shipped rules' words
  RuleSet Shipped;
  ASSERT_TRUE(loadRules(Shipped, Src + "/rules", {}, Err)) << Err;
  Prefilter K(Shipped);
  EXPECT_TRUE(K.mayMatter(Kernel));
  EXPECT_FALSE(K.mayMatter(Walk));
  EXPECT_EQ(Shipped.exportMacros(), std::set<std::string>{"EXPORT_SYMBOL"});
  fs::remove_all(Dir);
}

TEST(Rules, ShippedRulesLoad) {
  RuleSet R;
  std::string Err;
  ASSERT_TRUE(loadRules(R, Src + "/rules", {}, Err)) << Err;
  // The APIs the issue names are all there, with the semantics the kernel documents.
  const FunctionRule *Next = R.function("of_get_next_child");
  ASSERT_NE(Next, nullptr);
  EXPECT_TRUE(Next->isIteratorStep());
  EXPECT_TRUE(Next->MayBeNull);
  const FunctionRule *Get = R.function("of_node_get");
  ASSERT_NE(Get, nullptr);
  EXPECT_EQ(Get->Returns, ReturnEffect::Arg);
  EXPECT_EQ(R.function("of_node_put")->argRule(0)->Effect, ArgEffect::Release);
  EXPECT_EQ(R.function("of_find_device_by_node")->Family, "device");
  EXPECT_EQ(R.function("fwnode_find_reference")->MayBeErr, true);
  EXPECT_EQ(R.function("device_register")->argRule(0)->Effect, ArgEffect::AcquireOnFailure);
  EXPECT_EQ(R.function("of_parse_phandle_with_args")->argRule(4)->Effect, ArgEffect::OutAcquire);
  EXPECT_NE(R.cleanup("__free_device_node"), nullptr);
  EXPECT_NE(R.cleanup("__free_put_device"), nullptr);
  EXPECT_NE(R.cleanup("__free_fwnode_handle"), nullptr);
  EXPECT_TRUE(R.errorCheck("IS_ERR").has_value());
  EXPECT_NE(R.borrowedField("device", "of_node"), nullptr);
  for (const char *Name : {"of_find_node_by_name",
                           "of_find_compatible_node",
                           "of_get_parent",
                           "of_get_next_parent",
                           "of_parse_phandle",
                           "of_graph_get_next_endpoint",
                           "of_graph_get_remote_port_parent",
                           "of_cpu_device_node_get",
                           "of_find_i2c_device_by_node",
                           "of_find_i2c_adapter_by_node",
                           "bus_find_device",
                           "class_find_device",
                           "device_find_child",
                           "driver_find_device",
                           "get_device",
                           "put_device",
                           "platform_device_put",
                           "platform_device_alloc",
                           "device_initialize",
                           "fwnode_handle_get",
                           "fwnode_handle_put",
                           "fwnode_get_next_child_node",
                           "device_get_named_child_node",
                           "fwnode_graph_get_next_endpoint",
                           "devm_add_action_or_reset",
                           "kfree"})
    EXPECT_NE(R.function(Name), nullptr) << Name;
}

TEST(Rules, MalformedJson) {
  std::string E = loadError("{ \"functions\": [ {\"name\": \"x\", } ] }");
  EXPECT_NE(E.find("bad.json: malformed JSON"), std::string::npos) << E;
}

TEST(Rules, NumberOverflowIsAnError) {
  // nlohmann throws out_of_range (not parse_error) for a number beyond a double.
  EXPECT_EQ(loadError(R"({"functions": [{"name": "f", "returns_arg": 1e999}]})"),
            "bad.json: malformed JSON: [json.exception.out_of_range.406] number overflow parsing "
            "'1e999'");
  EXPECT_EQ(loadError(R"({"functions": [{"name": "f", "family": "device_node", "returns": "arg",
                          "returns_arg": 99999999999999999999999}]})"),
            "bad.json: functions[0] (f): field 'returns_arg': expected an argument index from 0 "
            "to 31");
}

TEST(Rules, NulByteAndUnreadTopLevelFields) {
  // nlohmann stops reading at a NUL; "description" and "$schema" used to be accepted unread.
  EXPECT_EQ(loadError(std::string("{}\0{", 4)), "bad.json: malformed JSON: contains a NUL byte");
  EXPECT_EQ(loadError(R"({"description": [1]})"),
            "bad.json: top level: field 'description': expected a string, got array");
}

TEST(Rules, DirectoryAsRulesFile) {
  RuleSet R;
  std::string Err;
  EXPECT_FALSE(loadRules(R, Src + "/rules", {Src + "/rules"}, Err));
  EXPECT_EQ(Err, Src + "/rules: cannot read rules file: is a directory");
}

TEST(Rules, UnknownTopLevelKey) {
  std::string E = loadError(R"({"function": []})");
  EXPECT_EQ(E, "bad.json: top level: field 'function': unknown field");
}

// The embedding member names a member of the family's type: without the type it means nothing.
TEST(Rules, EmbeddingMemberNeedsTheType) {
  std::string E = loadError(R"({"families": [{"name": "device", "release": "put_device",
    "embedding_member": "dev"}]})");
  EXPECT_EQ(E, "bad.json: families[0] (device): field 'embedding_member': needs \"type\" (the "
               "embedded object's type)");
  RuleSet R;
  std::string Err;
  ASSERT_TRUE(loadRules(R, Src + "/rules", {}, Err)) << Err;
  EXPECT_EQ(R.family("device")->EmbeddingMember, "dev");
  EXPECT_EQ(R.family("device_node")->EmbeddingMember, "");
}

TEST(Rules, UnknownFieldInEntry) {
  std::string E = loadError(R"({"families": [{"name": "device_node", "release": "of_node_put"}],
    "functions": [{"name": "of_foo", "family": "device_node", "retuns": "acquired"}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (of_foo): field 'retuns': unknown field");
}

TEST(Rules, WrongType) {
  std::string E = loadError(R"({"families": [{"name": "device_node", "release": "of_node_put"}],
    "functions": [{"name": "of_foo", "family": "device_node", "may_be_null": "yes"}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (of_foo): field 'may_be_null': expected true or false, "
               "got string");
}

TEST(Rules, BadEnumValue) {
  std::string E = loadError(R"({"families": [{"name": "device_node", "release": "of_node_put"}],
    "functions": [{"name": "of_foo", "family": "device_node", "returns": "plus-one"}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (of_foo): field 'returns': expected one of acquired, arg, "
               "passthrough, allocated, data_of, none, got 'plus-one'");
}

TEST(Rules, BadArgumentEffect) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": 0, "effect": "eat"}]}]})");
  EXPECT_NE(E.find("functions[0] (f).args[0]: field 'effect': expected one of borrow, release"),
            std::string::npos)
      << E;
}

TEST(Rules, IndexOutOfRange) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": -1, "effect": "release"}]}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f).args[0]: field 'index': expected an argument index "
               "from 0 to 31");
}

TEST(Rules, MissingRequiredField) {
  std::string E = loadError(R"({"functions": [{"family": "d"}]})");
  EXPECT_EQ(E, "bad.json: functions[0]: field 'name': missing required field");
}

TEST(Rules, UnknownFamily) {
  std::string E =
      loadError(R"({"functions": [{"name": "f", "family": "nope", "returns": "acquired"}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f): field 'family': unknown family 'nope'");
}

TEST(Rules, OutAcquireNeedsField) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": 1, "effect": "out_acquire"}]}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f).args[0]: field 'field': missing required field");
}

TEST(Rules, IntoOnlyWithTransfer) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": 1, "effect": "release", "into": 0}]}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f).args[0]: field 'into': only allowed with \"effect\": "
               "\"transfer\"");
  EXPECT_EQ(
      loadError(
          R"({"functions": [{"name": "f", "args": [{"index": 1, "effect": "transfer", "into": 0}]}]})"),
      "");
}

TEST(Rules, ComparedOnlyWithBorrow) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": 0, "effect": "release", "compared": true}]}]})");
  EXPECT_EQ(E,
            "bad.json: functions[0] (f).args[0]: field 'compared': only allowed with \"effect\": "
            "\"borrow\"");
  EXPECT_EQ(
      loadError(
          R"({"functions": [{"name": "f", "args": [{"index": 1, "effect": "borrow", "compared": true}]}]})"),
      "");
}

TEST(Rules, FieldOnlyWithOutAcquireOrTransfer) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": 1, "effect": "release", "field": "np"}]}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f).args[0]: field 'field': only allowed with \"effect\": "
               "\"out_acquire\", \"transfer\" or \"transfer_on_success\"");
  EXPECT_EQ(loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": 1, "effect": "transfer_on_success", "field": "np"}]}]})"),
            "");
}

TEST(Rules, CallbackOnlyWithTransfer) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "args": [{"index": 2, "effect": "release", "callback": 1}]}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f).args[0]: field 'callback': only allowed with "
               "\"effect\": \"transfer\"");
  E = loadError(
      R"({"functions": [{"name": "f", "args": [{"index": 2, "effect": "transfer", "callback": 2}]}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f).args[0]: field 'callback': names the argument itself");
  EXPECT_EQ(
      loadError(
          R"({"functions": [{"name": "f", "args": [{"index": 2, "effect": "transfer", "callback": 1}]}]})"),
      "");
}

TEST(Rules, NullIfArgNullNeedsAMaybeNullReference) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "returns": "acquired", "null_if_arg_null": 0}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f): field 'null_if_arg_null': only allowed with "
               "\"returns\": \"acquired\" and \"may_be_null\": true");
  EXPECT_EQ(loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "returns": "acquired", "may_be_null": true, "null_if_arg_null": 0}]})"),
            "");
}

// alive_after_put describes the object a call returns: only with `returns: "acquired"`.
TEST(Rules, AliveAfterPutNeedsAnAcquiredReference) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "returns": "arg", "returns_arg": 0, "alive_after_put": true}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (f): field 'alive_after_put': only allowed with "
               "\"returns\": \"acquired\"");
  EXPECT_EQ(loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "returns": "acquired", "alive_after_put": true}]})"),
            "");
}

// A rule survives the trip to JSON and back (the summary store and `rules infer` write them).
TEST(Rules, FunctionRuleRoundTrip) {
  RuleSet R;
  std::string Err;
  ASSERT_TRUE(R.loadString(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "returns": "acquired", "may_be_err": true,
      "may_be_null": true, "null_if_arg_null": 1, "alive_after_put": true,
      "args": [{"index": 0, "effect": "release"}, {"index": 2, "effect": "transfer", "into": 1},
               {"index": 3, "effect": "transfer", "callback": 4}],
      "note": "n", "evidence": ["a.c:3: Return: refcount incremented"]}]})",
                           "x.json", Err))
      << Err;
  const FunctionRule *F = R.function("f");
  ASSERT_NE(F, nullptr);
  FunctionRule Back;
  ASSERT_TRUE(functionRuleFromJson(functionRuleToJson(*F), "y", Back, Err)) << Err;
  EXPECT_EQ(functionRuleToJson(Back), functionRuleToJson(*F));
  EXPECT_EQ(Back.Args[1].Into, 1);
  EXPECT_EQ(Back.Args[2].Callback, 4);
  EXPECT_EQ(Back.NullIfArgNull, 1);
  EXPECT_TRUE(Back.AliveAfterPut);
  EXPECT_EQ(Back.Evidence.size(), 1u);
  EXPECT_TRUE(Back.MayBeErr);
}

TEST(Rules, ReturnsArgNeedsIndex) {
  std::string E = loadError(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "get", "family": "d", "returns": "arg"}]})");
  EXPECT_EQ(E, "bad.json: functions[0] (get): field 'returns_arg': missing required field");
}

TEST(Rules, DuplicateFunctionAcrossFiles) {
  RuleSet R;
  std::string Err;
  ASSERT_TRUE(R.loadString(R"({"families": [{"name": "d", "release": "p"}],
    "functions": [{"name": "f", "family": "d", "returns": "acquired"}]})",
                           "a.json", Err))
      << Err;
  EXPECT_FALSE(R.loadString(R"({"functions": [{"name": "f", "family": "d"}]})", "b.json", Err));
  EXPECT_EQ(Err, "b.json: functions[0] (f): field 'name': function already defined in a.json");
}

TEST(Rules, UserRulesFileAddsAnApi) {
  namespace fs = std::filesystem;
  fs::path P = fs::temp_directory_path() / "krefcheck-user-rules.json";
  std::ofstream(P) << R"({"families": [{"name": "acme_ref", "release": "acme_put"}],
    "functions": [{"name": "acme_get", "family": "acme_ref", "returns": "acquired",
                   "may_be_null": true},
                  {"name": "acme_put", "family": "acme_ref",
                   "args": [{"index": 0, "effect": "release"}]}]})";
  RuleSet R;
  std::string Err;
  ASSERT_TRUE(loadRules(R, Src + "/rules", {P.string()}, Err)) << Err;
  ASSERT_NE(R.function("acme_get"), nullptr);
  EXPECT_EQ(R.function("acme_get")->Returns, ReturnEffect::Acquired);
  EXPECT_NE(R.function("of_node_get"), nullptr);
  fs::remove(P);
}

TEST(Rules, MissingRulesFile) {
  RuleSet R;
  std::string Err;
  EXPECT_FALSE(loadRules(R, Src + "/rules", {"/nonexistent/rules.json"}, Err));
  EXPECT_EQ(Err, "/nonexistent/rules.json: cannot read rules file: No such file or directory");
}

}  // namespace
