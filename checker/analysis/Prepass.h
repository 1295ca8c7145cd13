// The cheap pass that runs before the Static Analyzer on every TU:
//  - per-function summaries inside the TU (returns a +1 reference, releases parameter k,
//    takes ownership of parameter k), iterated to a fixed point so wrappers of wrappers work;
//    they are added to the rule set, so the checker applies them like hand-written rules;
//  - which functions matter: those that call an acquiring/releasing API or a __free() cleanup,
//    directly or through functions of the TU. The bodies of all other functions are dropped
//    (as if skipped while parsing), so the Static Analyzer neither analyses nor inlines them.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/RefcountChecker.h"
#include "rules/Rules.h"

namespace clang {
class ASTConsumer;
class CallExpr;
class Decl;
class FunctionDecl;
class ParmVarDecl;
class ReturnStmt;
}  // namespace clang

namespace krefcheck {

class RuleSet;
struct FunctionRule;

/// A parameter its function releases on some failure exits (`return -EINVAL;` after a put)
/// and not on another (Exit): whatever the caller does is wrong on one of them.
struct InconsistentRelease {
  const clang::FunctionDecl *Function = nullptr;
  const clang::ParmVarDecl *Param = nullptr;
  const clang::ReturnStmt *Exit = nullptr;   // the failure exit that keeps it
  const clang::CallExpr *Release = nullptr;  // the first put of it
  std::string Family;
};

/// Everything the pre-pass finds in one TU: the counts, the facts the checker reads (release
/// callbacks, owning, kept and stored fields) and what phase 1 of the whole-program summaries
/// keeps.
struct PrepassResult {
  unsigned MainFileFunctions = 0;
  unsigned RelevantMainFile = 0;          // main-file functions analysed by the Static Analyzer
  unsigned Summaries = 0;                 // derived rules added
  std::vector<std::string> SummaryLines;  // "name: effect" for --dump-summaries
  std::set<const clang::Decl *> ReleaseCallbacks;  // canonical decls
  std::set<const clang::Decl *> PuttingCallbacks;  // ... of which call a tracked API
  // ... whose body calls nothing at all (k3-udma-glue.c k3_udma_chan_dev_release(): "the
  // struct containing the device is devm managed"): the last put frees no memory.
  std::set<const clang::Decl *> EmptyCallbacks;
  // Functions whose bodies the pre-pass saw (canonical decls): one without a summary keeps
  // its arguments (a devm action that does not put its data, analysis/Callback.h).
  std::set<const clang::Decl *> ParsedFunctions;
  std::map<std::pair<std::string, std::string>, OwningField> OwningFields;
  std::set<std::pair<std::string, std::string>> KeptFields;
  // Per function (canonical decl): the fields it stores into or fills through an out_acquire
  // API, as access paths (accessPath()): a put of one of them is a setter's, not unowned.
  std::map<const clang::Decl *, std::set<std::string>> StoredFields;
  // Per function (canonical decl): the variables whose object it frees itself (kfree(tz))
  // after a release of it (put_device(&tz->device)): that put does not free the memory.
  std::map<const clang::Decl *, std::set<const clang::VarDecl *>> FreedAfterPut;
  // Per function (canonical decl): (V, R) where the function releases V only under a test that
  // pointer R is an error (`if (IS_ERR(cell)) __nvmem_device_put(nvmem);`, `!R`): where
  // it then returns R holding no error, after that test (the location: the end of the test's
  // `if`), V's reference goes to the caller with R.
  std::map<const clang::Decl *, std::map<std::pair<const clang::VarDecl *, const clang::VarDecl *>,
                                         clang::SourceLocation>>
      ReleasedOnFailedResult;
  // Reported as findings of the file (main-file functions only).
  std::vector<InconsistentRelease> Inconsistent;
  // Field chains some function fills with an owned reference (fields::fieldChains).
  std::set<std::string> OwnedFieldChains;
  // Pointer parameters whose kind the function tests first (`if (dev->bus != &dp_aux_bus_type)
  // return 0;`) against a global whose address the file stores into that member of an embedded
  // object (`aux_ep->dev.bus = &dp_aux_bus_type`): the parameter -> the end of the test and the
  // chains naming that embedded object ("dp_aux_ep_device.dev"). Past the test, `dev->of_node`
  // is that object's field (fields::isOwnedFieldOfTestedKind()).
  std::map<const clang::ParmVarDecl *, std::pair<clang::SourceLocation, std::set<std::string>>>
      KindTestedParams;
  // Fields (record, field) some function of the TU releases or hands over (`of_node_put(p->np)`,
  // directly or through a local read from it): a reference stored there has a release path.
  // Global variables released so (`of_node_put(stdout_path)`) are ("", name).
  std::set<std::pair<std::string, std::string>> ReleasedFields;
  // ... of those, the fields of structs declared in headers, by fields::sharedFieldKey(): what
  // the other files of the run learn (a field stored here may be released there).
  std::set<std::string> SharedReleasedFields;
  // Handle put functions (family, record, field): a main-file function (not a release
  // callback) with a parameter `p` of type `struct record *` releases a reference of the
  // family reached through p's pointer member `field` (`led_put(led_cdev)`:
  // put_device(led_cdev->dev);
  // `mux_control_put(mux)`: put_device(&mux->chip->dev)). The record is the type of a handle
  // the file gives out with the reference (the object's driver data, or a pointer loaded from
  // one of its fields, returned by a getter), and `field` leads back to the object.
  std::set<std::tuple<std::string, std::string, std::string>> HandleFields;
  // The same put made by a function taking only `void *data`, through its typed alias of data
  // (`struct tegra_mc *mc = data; put_device(mc->dev);`: a devm action), per function
  // (canonical decl), where the file fills that field with the address of an embedded object
  // (`mc->dev = &pdev->dev;` in the probe): handing it data that is the driver data of a
  // device one holds hands over that device's reference.
  std::map<const clang::Decl *, std::set<std::tuple<std::string, std::string, std::string>>>
      HandleActions;
  // Locals of a handle's put function (findHandleLookups): the object a lookup keyed on the
  // handle parameter found, whose top-level releases drop the lookup's reference and the one
  // the handle carried back (wwan_put_debugfs_dir()). On entry the function holds two.
  std::set<const clang::VarDecl *> HandleLookups;
  // Fields (record, field) and global variables ("", name) every store of the TU fills with
  // a borrowed pointer (`priv->np = dev->of_node;`): they hold no reference of their own.
  std::set<std::pair<std::string, std::string>> BorrowedStores;
  // Global variables (by name) the TU stores into at all.
  std::set<std::string> StoredGlobals;
  // For the whole-program summaries (phase 1):
  std::vector<FunctionRule> Exported;      // summaries of this file's non-static functions
  std::vector<std::string> ExternalCalls;  // functions called here and defined elsewhere
  std::vector<std::string> SummaryCalls;   // ... of which those the exported summaries can
                                           // depend on (called by a non-static function or by
                                           // a same-file function it calls)
  std::vector<std::string> ExportSymbols;  // EXPORT_SYMBOL*(name) in the main file
  std::vector<std::string> ExternalDefs;   // non-static functions the main file defines
};

/// Rules is the TU's own copy: derived rules are added to it.
std::unique_ptr<clang::ASTConsumer> makePrepassConsumer(RuleSet &Rules, PrepassResult &Result,
                                                        bool StripIrrelevantBodies);

}  // namespace krefcheck
