// The path-sensitive core: a Clang Static Analyzer checker that tracks every reference a
// function acquires through the APIs in the rule set and reports leaks, double puts, puts of
// unowned references, uses after the last put and wrong releases.
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "clang/Basic/SourceLocation.h"

#include "findings/Finding.h"

namespace clang {
class Decl;
class Stmt;
class VarDecl;
class ParmVarDecl;
namespace ento {
class CheckerManager;
}
}  // namespace clang

namespace krefcheck {

class RuleSet;
struct FunctionRule;

/// Facts the checker attaches to each report, read back by the path collector (the
/// PathDiagnostic itself only carries text and locations). The report's last path piece is
/// tagged with Tag.c_str() (see reportMetaOf), so the collector finds them by identity, never
/// by the message.
struct ReportMeta {
  std::string Tag;         // unique per report of the TU ("krefcheck.report.N")
  std::string MessageKey;  // the message with its line numbers as "N"
  std::string Variable;
  std::string Api;
  std::string Family;
  std::string ReleaseFunction;
  unsigned AcquireRawLoc = 0;  // expansion SourceLocation raw encoding (0: none)
  std::string HeldField;       // Finding::HeldField
};

/// The tag the checker gives to the path notes it makes of kind K (compared by address).
const char *stepTag(StepKind K);
/// The kind of a path piece tagged by stepTag (by the tag's address); false for other tags.
bool stepKindOfTag(const void *Tag, StepKind &K);

/// A field every store of the TU puts a reference into (see Prepass).
struct OwningField {
  std::string Where;  // "probe() line 12, from of_find_node_by_name()"
  std::string Family;
  const FunctionRule *Rule = nullptr;  // the acquiring API
  const clang::Stmt *Site = nullptr;   // its call (for the finding's acquire location)
  // The functions that store a reference into the field (canonical decls): each of them
  // initialises it, so an object it was handed or just obtained holds none there on entry.
  std::set<const clang::Decl *> Storers;
};

/// Per-TU context of the checker (one TU is analysed at a time in a process).
struct CheckerContextData {
  const RuleSet *Rules = nullptr;
  // One entry per emitted report (a deque: the tags' addresses stay valid).
  std::deque<ReportMeta> Reports;
  std::map<const void *, const ReportMeta *> ReportByTag;  // key: Reports[i].Tag.c_str()
  // Functions stored as release callbacks (canonical decls), from the pre-pass.
  const std::set<const clang::Decl *> *ReleaseCallbacks = nullptr;
  // Release callbacks that drop references themselves (they call a tracked API).
  const std::set<const clang::Decl *> *PuttingCallbacks = nullptr;
  // Owning fields: (record, field) -> where a reference is stored into it ("probe() line 12,
  // from of_find_node_by_name()"). Every store into such a field in the TU is a reference.
  const std::map<std::pair<std::string, std::string>, OwningField> *OwningFields = nullptr;
  // Borrowed fields on whose value the file takes a reference it keeps on purpose
  // (`of_node_get(np)` with np = p->dev->of_node, result unused): a put of that field elsewhere
  // in the file is the other half (pinctrl_dt_to_map() / pinctrl_dt_free_maps()).
  const std::set<std::pair<std::string, std::string>> *KeptFields = nullptr;
  // Per function: the fields (access paths) it stores into or fills with a reference.
  const std::map<const clang::Decl *, std::set<std::string>> *StoredFields = nullptr;
  // PrepassResult::EmptyCallbacks.
  const std::set<const clang::Decl *> *EmptyCallbacks = nullptr;
  // PrepassResult::FreedAfterPut.
  const std::map<const clang::Decl *, std::set<const clang::VarDecl *>> *FreedAfterPut = nullptr;
  // PrepassResult::ReleasedOnFailedResult.
  const std::map<const clang::Decl *,
                 std::map<std::pair<const clang::VarDecl *, const clang::VarDecl *>,
                          clang::SourceLocation>> *ReleasedOnFailedResult = nullptr;
  // Functions whose bodies the pre-pass saw (canonical decls; see analysis/Callback.h).
  const std::set<const clang::Decl *> *ParsedFunctions = nullptr;
  // Field chains ("i2c_client.dev.of_node", see fields::fieldChains) some function of the file
  // fills with an owned reference: a put of such a field elsewhere is its paired teardown.
  const std::set<std::string> *OwnedFieldChains = nullptr;
  // Parameters whose kind the function tests first (PrepassResult::KindTestedParams).
  const std::map<const clang::ParmVarDecl *,
                 std::pair<clang::SourceLocation, std::set<std::string>>> *KindTestedParams =
      nullptr;
  // Fields (record, field) and global variables ("", name) some function of the TU releases
  // or hands over (Prepass).
  const std::set<std::pair<std::string, std::string>> *ReleasedFields = nullptr;
  // PrepassResult::HandleFields (family, record, field).
  const std::set<std::tuple<std::string, std::string, std::string>> *HandleFields = nullptr;
  // PrepassResult::HandleActions.
  const std::map<const clang::Decl *, std::set<std::tuple<std::string, std::string, std::string>>>
      *HandleActions = nullptr;
  // PrepassResult::HandleLookups.
  const std::set<const clang::VarDecl *> *HandleLookups = nullptr;
  // PrepassResult::BorrowedStores and StoredGlobals.
  const std::set<std::pair<std::string, std::string>> *BorrowedStores = nullptr;
  const std::set<std::string> *StoredGlobals = nullptr;
  // The path notes on calls to functions without a summary (RefPath.cpp): each callee's note
  // tag (by address) and back.
  std::map<std::string, std::string> UnsummarisedTags;    // callee -> its tag text
  std::map<const void *, std::string> UnsummarisedByTag;  // key: UnsummarisedTags[...].c_str()
};

/// The facts of the report whose path piece carries Tag (by address); null for other tags.
const ReportMeta *reportMetaOf(const CheckerContextData &Ctx, const void *Tag);

/// The function without a summary whose path note carries Tag (by address); null otherwise.
const std::string *unsummarisedCalleeOf(const CheckerContextData &Ctx, const void *Tag);

/// Set before the analysis of a TU starts; the checker reads it at registration.
void setCheckerContext(CheckerContextData *Ctx);

/// Registers the checker with a manager (used as the CheckerRegistry init function).
void registerRefcountChecker(clang::ento::CheckerManager &Mgr);
bool shouldRegisterRefcountChecker(const clang::ento::CheckerManager &Mgr);

constexpr const char *CheckerFullName = "krefcheck.Refcount";

}  // namespace krefcheck
