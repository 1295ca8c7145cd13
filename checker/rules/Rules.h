// API knowledge: what each kernel function does to reference counts.
// Loaded from rules/*.json (format: docs/rules-format.md). No API name appears in C++.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "rules/Effects.h"

namespace krefcheck {

enum class ReturnEffect { None, Acquired, Arg, Passthrough, Allocated, DataOf };

enum class ErrCheckKind { IsErr, IsErrOrNull, PtrErrOrZero, MakeErr };

struct ArgRule {
  unsigned Index = 0;
  ArgEffect Effect = ArgEffect::Borrow;
  std::string Field;   // OutAcquire: the struct field that receives the reference
  std::string Family;  // defaults to the function's family
  /// Transfer: the reference is stored into the object of argument Into (-1: somewhere that
  /// outlives the call). When the caller passes an object on its own stack there (`&parser`)
  /// the store is a borrowed copy and the caller keeps its reference.
  int Into = -1;
  /// The function dereferences this argument (`fwnode->dev`): after the call it is not NULL.
  bool Dereferenced = false;
  /// The function only compares this pointer with others (`dev->of_node == np`), never reads
  /// through it nor keeps it: passing a pointer whose last reference is gone is no use of the
  /// object (device_match_of_node()).
  bool Compared = false;
  /// Transfer: the reference goes to the callback passed as argument Callback (its parameter
  /// 0), so it is handed over only if that callback releases it (devm_add_action_or_reset()).
  /// A callback known to keep it makes the argument a borrow; an unknown one keeps Transfer.
  /// See callbackEffect() (analysis/Callback.h). -1: no callback.
  int Callback = -1;
  /// OutAcquire: the call first drops the reference the field held before (an iterator whose
  /// state lives in a struct: of_phandle_iterator_next() puts it->node, then on success fills
  /// it with the next node). Leaving the loop early keeps the last one.
  bool Replaces = false;
};

struct FunctionRule {
  std::string Name;
  std::string Family;
  ReturnEffect Returns = ReturnEffect::None;
  unsigned ReturnsArg = 0;
  bool MayBeNull = false;
  bool MayBeErr = false;
  /// The int result is 0 or a negative errno, never positive (a summary of a function whose
  /// returns are all 0, a negative constant or an error variable). Rules-file APIs with a
  /// signed result are taken so anyway; a summary without it may return a count.
  bool ReturnsErrno = false;
  /// The function returns NULL (no reference) when argument NullIfArgNull is NULL
  /// (of_get_parent(NULL)). -1: not known.
  int NullIfArgNull = -1;
  /// A predicate: it returns non-zero only when argument UncountedIfTrue is a handle of an
  /// implementation that counts no references (an ACPI fwnode: acpi_fwnode_ops have no
  /// .get/.put). On that path the calls of Family that take or drop references on it, or on
  /// a handle derived from it, count nothing (is_acpi_node()). -1: not such a predicate.
  int UncountedIfTrue = -1;
  /// The returned object stays alive after the caller drops its last reference: something
  /// else holds it (driver_find_device() returns only devices bound to the driver, and the
  /// binding keeps them). A use after that put is not krefcheck-use-after-put; leaks and
  /// double puts are checked as for any reference.
  bool AliveAfterPut = false;
  std::vector<ArgRule> Args;
  std::string Note;
  std::string Origin;                 // "file.json" or "summary of foo() at file:line"
  std::vector<std::string> Evidence;  // inferred rules: "file:line: why"
  /// A summary of a function defined in another TU (the whole-program summaries): a TU that
  /// defines the function itself summarises it again instead.
  bool Imported = false;

  const ArgRule *argRule(unsigned I) const {
    for (const ArgRule &A : Args)
      if (A.Index == I) return &A;
    return nullptr;
  }
  /// An acquire that also releases an argument of the same family: the step of an
  /// iterator (of_get_next_child(parent, prev), of_find_node_by_name(from, ...)).
  bool isIteratorStep() const;
  bool acquiresOrReleases() const;
};

struct BorrowedField {
  std::string Record;
  std::string Field;
  /// Records embedding `struct Record` (as a member) whose release does not put Field
  /// (struct i2c_adapter's dev.of_node): a reference stored there is the storing file's.
  std::vector<std::string> NotReleasedIn;
};

struct Family {
  std::string Name;
  std::string Release;
  /// The function that takes one more reference (the first by name of the family's
  /// `"returns": "arg"` rules: of_node_get); set by RuleSet::finalize, '' if none.
  std::string Get;
  std::string Description;
  std::string Type;  // the C type of the object ("struct device_node"), optional
  /// The member through which other structs embed the object ("dev": platform_device,
  /// i2c_client...): a fix releases `&var->dev` for a variable of such a struct. Needs Type.
  std::string EmbeddingMember;
  std::vector<BorrowedField> BorrowedFields;
};

/// A function stored in Record.Field is a release callback (`dev->release = foo_release`):
/// dropping the object's own references there is its job, not a put of a borrowed pointer.
struct ReleaseCallbackField {
  std::string Record;
  std::string Field;
};

struct CleanupRule {
  std::string Name;
  std::string Family;
};

class RuleSet {
public:
  /// Adds the rules in one JSON file. On error returns false and sets Error to one line
  /// naming the file, the entry and the field; the set is then unusable.
  bool loadFile(const std::string &Path, std::string &Error);
  bool loadString(const std::string &Text, const std::string &Origin, std::string &Error);
  /// Cross-file checks (every family referenced exists). Call after the last load.
  bool finalize(std::string &Error);

  const FunctionRule *function(const std::string &Name) const;
  const Family *family(const std::string &Name) const;
  const CleanupRule *cleanup(const std::string &Name) const;
  /// Does the cleanup function Name (`__free(X)` calls `__free_X`) release the variable's
  /// reference: a cleanup rule, or the DEFINE_FREE(X, ...) of a put function X, named after
  /// it (`DEFINE_FREE(gpio_device_put, struct gpio_device *, if (_T) gpio_device_put(_T))`,
  /// include/linux/gpio/driver.h), whose rule or summary releases its first argument.
  bool releasingCleanup(const std::string &Name) const;
  std::optional<ErrCheckKind> errorCheck(const std::string &Name) const;
  /// Is Record.Field a borrowed pointer of some family? Returns that family.
  const Family *borrowedField(const std::string &Record, const std::string &Field) const;
  /// Is Record.Field a borrowed field that an object of type Embedder, embedding the
  /// Record, does not release (BorrowedField::NotReleasedIn)?
  bool notReleasedIn(const std::string &Record, const std::string &Field,
                     const std::string &Embedder) const;

  const std::map<std::string, FunctionRule> &functions() const { return Functions; }
  const std::map<std::string, Family> &families() const { return Families; }
  const std::map<std::string, CleanupRule> &cleanups() const { return Cleanups; }
  const std::vector<ReleaseCallbackField> &releaseCallbacks() const { return ReleaseCallbacks; }
  /// Kernel source idioms (docs/rules-format.md): macros whose expansion calls rule APIs a
  /// file never names itself (a cleanup variable: `__free`; iterators, by a part of their
  /// name: `for_each`), and prefixes of the macros that export a function (`EXPORT_SYMBOL`).
  const std::set<std::string> &cleanupMacros() const { return CleanupMacros; }
  const std::set<std::string> &iteratorMacros() const { return IteratorMacros; }
  const std::set<std::string> &exportMacros() const { return ExportMacros; }

  /// Adds a rule computed by analysis (a same-TU summary). Never replaces a file rule.
  void addDerived(const FunctionRule &R);
  /// Adds a summary of a function of another TU (R.Imported is set). Never replaces a rule.
  void addImported(FunctionRule R);
  /// Forgets an imported summary (the TU defines that function: its own summary decides).
  void dropImported(const std::string &Name);

private:
  std::map<std::string, FunctionRule> Functions;
  std::map<std::string, Family> Families;
  std::map<std::string, CleanupRule> Cleanups;
  std::map<std::string, ErrCheckKind> ErrorChecks;
  std::vector<ReleaseCallbackField> ReleaseCallbacks;
  std::set<std::string> CleanupMacros, IteratorMacros, ExportMacros;
  std::map<std::string, std::string> FamilyRefs;  // family name -> first "file: entry" using it
};

/// Loads every *.json in Dir (sorted; not schema.json, the format's JSON Schema) plus Extra
/// files. Returns false with Error set.
bool loadRules(RuleSet &Rules, const std::string &Dir, const std::vector<std::string> &Extra,
               std::string &Error);

/// The rules directory shipped with the binary: <exe dir>/rules (in a build tree, a link to the
/// source tree's), else <exe dir>/../share/krefcheck/rules (installed). No source path.
std::string defaultRulesDir(const char *Argv0);

const char *toString(ArgEffect E);

/// One "functions" entry of the rules format (docs/rules-format.md), both ways.
nlohmann::json functionRuleToJson(const FunctionRule &R);
/// False with Error set (one line naming Origin) when J is not a valid entry.
bool functionRuleFromJson(const nlohmann::json &J, const std::string &Origin, FunctionRule &R,
                          std::string &Error);

}  // namespace krefcheck
