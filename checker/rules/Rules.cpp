#include "rules/Rules.h"

#include "support/InputFile.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace krefcheck {

using json = nlohmann::json;
namespace fs = std::filesystem;

bool FunctionRule::isIteratorStep() const {
  if (Returns != ReturnEffect::Acquired) return false;
  for (const ArgRule &A : Args)
    if (A.Effect == ArgEffect::Release && (A.Family.empty() || A.Family == Family)) return true;
  return false;
}

bool FunctionRule::acquiresOrReleases() const {
  if (Returns == ReturnEffect::Acquired || Returns == ReturnEffect::Arg) return true;
  for (const ArgRule &A : Args)
    if (A.Effect != ArgEffect::Borrow) return true;
  return false;
}

const char *toString(ArgEffect E) { return meaningOf(E).Name; }

namespace {

// One error, thrown from deep inside the walk and turned into the one-line message.
struct RuleError {
  std::string Where;  // "functions[3] (of_get_parent)"
  std::string Field;  // "returns"
  std::string What;
};

const char *typeName(const json &J) {
  switch (J.type()) {
  case json::value_t::null: return "null";
  case json::value_t::object: return "object";
  case json::value_t::array: return "array";
  case json::value_t::string: return "string";
  case json::value_t::boolean: return "boolean";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned: return "integer";
  case json::value_t::number_float: return "number";
  default: return "value";
  }
}

class Reader {
public:
  Reader(const json &Obj, std::string Where) : Obj(Obj), Where(std::move(Where)) {
    if (!Obj.is_object())
      throw RuleError{this->Where, "", std::string("expected an object, got ") + typeName(Obj)};
  }
  void allow(std::initializer_list<const char *> Keys) {
    std::set<std::string> K(Keys.begin(), Keys.end());
    for (auto It = Obj.begin(); It != Obj.end(); ++It)
      if (!K.count(It.key())) throw RuleError{Where, It.key(), "unknown field"};
  }
  std::string str(const char *Key, bool Required, std::string Default = "") {
    auto It = Obj.find(Key);
    if (It == Obj.end()) {
      if (Required) throw RuleError{Where, Key, "missing required field"};
      return Default;
    }
    if (!It->is_string())
      throw RuleError{Where, Key, std::string("expected a string, got ") + typeName(*It)};
    if (It->get<std::string>().empty()) throw RuleError{Where, Key, "must not be empty"};
    return It->get<std::string>();
  }
  bool boolean(const char *Key, bool Default) {
    auto It = Obj.find(Key);
    if (It == Obj.end()) return Default;
    if (!It->is_boolean())
      throw RuleError{Where, Key, std::string("expected true or false, got ") + typeName(*It)};
    return It->get<bool>();
  }
  std::optional<unsigned> index(const char *Key, bool Required) {
    auto It = Obj.find(Key);
    if (It == Obj.end()) {
      if (Required) throw RuleError{Where, Key, "missing required field"};
      return std::nullopt;
    }
    if (!It->is_number_integer() || It->get<long long>() < 0 || It->get<long long>() > 31)
      throw RuleError{Where, Key, "expected an argument index from 0 to 31"};
    return static_cast<unsigned>(It->get<long long>());
  }
  /// An array of C identifiers (macro names or parts of them); empty when absent.
  std::vector<std::string> identifiers(const char *Key) {
    std::vector<std::string> Out;
    const json *A = array(Key);
    for (size_t I = 0; A && I < A->size(); ++I) {
      const json &E = (*A)[I];
      std::string S = E.is_string() ? E.get<std::string>() : "";
      bool Ident = !S.empty() && !std::isdigit(static_cast<unsigned char>(S[0])) &&
                   S.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789_") == std::string::npos;
      if (!Ident)
        throw RuleError{Where, std::string(Key) + "[" + std::to_string(I) + "]",
                        "expected a C identifier, got " +
                            (E.is_string() ? "'" + S + "'" : std::string(typeName(E)))};
      Out.push_back(S);
    }
    return Out;
  }
  const json *array(const char *Key) {
    auto It = Obj.find(Key);
    if (It == Obj.end()) return nullptr;
    if (!It->is_array())
      throw RuleError{Where, Key, std::string("expected an array, got ") + typeName(*It)};
    return &*It;
  }
  template <class E>
  E oneOf(const char *Key, const std::vector<std::pair<const char *, E>> &Choices, E Default,
          bool Required = false) {
    auto It = Obj.find(Key);
    if (It == Obj.end()) {
      if (Required) throw RuleError{Where, Key, "missing required field"};
      return Default;
    }
    std::string Names;
    for (auto &C : Choices) Names += std::string(Names.empty() ? "" : ", ") + C.first;
    if (!It->is_string()) throw RuleError{Where, Key, "expected one of " + Names};
    for (auto &C : Choices)
      if (It->get<std::string>() == C.first) return C.second;
    throw RuleError{Where, Key,
                    "expected one of " + Names + ", got '" + It->get<std::string>() + "'"};
  }
  const std::string &where() const { return Where; }

private:
  const json &Obj;
  std::string Where;
};

std::string entryName(const json &E, const char *Array, size_t I) {
  std::string W = std::string(Array) + "[" + std::to_string(I) + "]";
  if (E.is_object()) {
    auto It = E.find("name");
    if (It != E.end() && It->is_string()) W += " (" + It->get<std::string>() + ")";
  }
  return W;
}

/// The effect names of the rules format, in the order of the enum (meaningOf()).
const std::vector<std::pair<const char *, ArgEffect>> &effectChoices() {
  static const std::vector<std::pair<const char *, ArgEffect>> Choices = [] {
    std::vector<std::pair<const char *, ArgEffect>> V;
    for (unsigned I = 0; I < NumArgEffects; ++I)
      V.push_back({meaningOf(static_cast<ArgEffect>(I)).Name, static_cast<ArgEffect>(I)});
    return V;
  }();
  return Choices;
}

/// One entry of "functions". FamilyRefs collects the families it names.
FunctionRule parseFunction(Reader &R, const std::string &Origin,
                           std::map<std::string, std::string> &FamilyRefs) {
  R.allow({"name", "family", "returns", "returns_arg", "may_be_null", "may_be_err", "returns_errno",
           "null_if_arg_null", "uncounted_if_true", "alive_after_put", "args", "note", "evidence"});
  FunctionRule F;
  F.Name = R.str("name", true);
  F.Family = R.str("family", false);
  F.Returns = R.oneOf<ReturnEffect>("returns",
                                    {{"acquired", ReturnEffect::Acquired},
                                     {"arg", ReturnEffect::Arg},
                                     {"passthrough", ReturnEffect::Passthrough},
                                     {"allocated", ReturnEffect::Allocated},
                                     {"data_of", ReturnEffect::DataOf},
                                     {"none", ReturnEffect::None}},
                                    ReturnEffect::None);
  bool ArgKind = F.Returns == ReturnEffect::Arg || F.Returns == ReturnEffect::Passthrough ||
                 F.Returns == ReturnEffect::DataOf;
  auto RA = R.index("returns_arg", ArgKind);
  if (RA) {
    if (!ArgKind)
      throw RuleError{R.where(), "returns_arg",
                      "only allowed with \"returns\": \"arg\", \"passthrough\" or \"data_of\""};
    F.ReturnsArg = *RA;
  }
  F.MayBeNull = R.boolean("may_be_null", false);
  F.MayBeErr = R.boolean("may_be_err", false);
  F.ReturnsErrno = R.boolean("returns_errno", false);
  if (auto NA = R.index("null_if_arg_null", false)) {
    if (F.Returns != ReturnEffect::Acquired || !F.MayBeNull)
      throw RuleError{R.where(), "null_if_arg_null",
                      "only allowed with \"returns\": \"acquired\" and \"may_be_null\": true"};
    F.NullIfArgNull = static_cast<int>(*NA);
  }
  if (auto UT = R.index("uncounted_if_true", false)) {
    if (F.Family.empty() || F.Returns != ReturnEffect::None)
      throw RuleError{R.where(), "uncounted_if_true",
                      "needs a \"family\" and no \"returns\" (a predicate on a handle)"};
    F.UncountedIfTrue = static_cast<int>(*UT);
  }
  F.AliveAfterPut = R.boolean("alive_after_put", false);
  if (F.AliveAfterPut && F.Returns != ReturnEffect::Acquired)
    throw RuleError{R.where(), "alive_after_put", "only allowed with \"returns\": \"acquired\""};
  F.Note = R.str("note", false);
  if (const json *Ev = R.array("evidence")) {
    for (size_t K = 0; K < Ev->size(); ++K) {
      if (!(*Ev)[K].is_string())
        throw RuleError{R.where(), "evidence", "expected an array of strings"};
      F.Evidence.push_back((*Ev)[K].get<std::string>());
    }
  }
  F.Origin = Origin;
  std::set<unsigned> Seen;
  if (const json *As = R.array("args")) {
    for (size_t K = 0; K < As->size(); ++K) {
      Reader A((*As)[K], R.where() + ".args[" + std::to_string(K) + "]");
      A.allow({"index", "effect", "field", "family", "into", "callback", "dereferenced", "replaces",
               "compared"});
      ArgRule AR;
      AR.Index = *A.index("index", true);
      AR.Effect = A.oneOf<ArgEffect>("effect", effectChoices(), ArgEffect::Borrow,
                                     /*Required=*/true);
      AR.Field = A.str("field", AR.Effect == ArgEffect::OutAcquire);
      AR.Family = A.str("family", false);
      AR.Dereferenced = A.boolean("dereferenced", false);
      AR.Replaces = A.boolean("replaces", false);
      AR.Compared = A.boolean("compared", false);
      if (AR.Compared && AR.Effect != ArgEffect::Borrow)
        throw RuleError{A.where(), "compared", "only allowed with \"effect\": \"borrow\""};
      if (AR.Replaces && (AR.Effect != ArgEffect::OutAcquire || AR.Field == "*"))
        throw RuleError{A.where(), "replaces",
                        "only allowed with \"effect\": \"out_acquire\" and a named field"};
      if (auto Into = A.index("into", false)) {
        if (AR.Effect != ArgEffect::Transfer)
          throw RuleError{A.where(), "into", "only allowed with \"effect\": \"transfer\""};
        AR.Into = static_cast<int>(*Into);
      }
      if (auto Cb = A.index("callback", false)) {
        if (AR.Effect != ArgEffect::Transfer)
          throw RuleError{A.where(), "callback", "only allowed with \"effect\": \"transfer\""};
        if (*Cb == AR.Index) throw RuleError{A.where(), "callback", "names the argument itself"};
        AR.Callback = static_cast<int>(*Cb);
      }
      // `transfer` with `into` may name the field of that object the reference lands in;
      // `transfer` / `transfer_on_success` without it, the field of the argument's own object
      // whose reference is handed over (`nvmem_add_one_cell(nvmem, &info)`: info.np).
      if (!AR.Field.empty() && AR.Effect != ArgEffect::OutAcquire && AR.Into < 0 &&
          AR.Effect != ArgEffect::Transfer && AR.Effect != ArgEffect::TransferOnSuccess)
        throw RuleError{A.where(), "field",
                        "only allowed with \"effect\": \"out_acquire\", \"transfer\" or "
                        "\"transfer_on_success\""};
      if (!Seen.insert(AR.Index).second)
        throw RuleError{A.where(), "index", "argument described twice"};
      if (meaningOf(AR.Effect).countsReferences() && AR.Family.empty() && F.Family.empty())
        throw RuleError{A.where(), "family",
                        std::string("effect '") + toString(AR.Effect) +
                            "' needs a family (here or on the function)"};
      if (!AR.Family.empty()) FamilyRefs.emplace(AR.Family, Origin + ": " + A.where());
      F.Args.push_back(AR);
    }
  }
  if ((F.Returns == ReturnEffect::Acquired || F.Returns == ReturnEffect::Arg) && F.Family.empty())
    throw RuleError{R.where(), "family", "an entry that returns a reference needs a family"};
  if (!F.Family.empty()) FamilyRefs.emplace(F.Family, Origin + ": " + R.where());
  return F;
}

}  // namespace

bool RuleSet::loadFile(const std::string &Path, std::string &Error) {
  std::string Text, Why;
  if (!readInputFile(Path, Text, Why)) {
    Error = Path + ": cannot read rules file: " + Why;
    return false;
  }
  return loadString(Text, Path, Error);
}

bool RuleSet::loadString(const std::string &Text, const std::string &Origin, std::string &Error) {
  json Doc;
  if (Text.find('\0') != std::string::npos) {  // nlohmann stops at a NUL: the rest is unread
    Error = Origin + ": malformed JSON: contains a NUL byte";
    return false;
  }
  try {
    Doc = json::parse(Text);
  } catch (const json::exception &E) {
    // A syntax error or a number beyond a double (1e999, out_of_range.406). nlohmann's
    // message carries the line and column; keep it on one line.
    std::string Msg = E.what();
    std::replace(Msg.begin(), Msg.end(), '\n', ' ');
    Error = Origin + ": malformed JSON: " + Msg;
    return false;
  }
  try {
    Reader Top(Doc, "top level");
    Top.allow({"$schema", "description", "families", "functions", "cleanups", "error_checks",
               "release_callbacks", "cleanup_macros", "iterator_macros", "export_macros"});
    for (const std::string &M : Top.identifiers("cleanup_macros")) CleanupMacros.insert(M);
    for (const std::string &M : Top.identifiers("iterator_macros")) IteratorMacros.insert(M);
    for (const std::string &M : Top.identifiers("export_macros")) ExportMacros.insert(M);
    Top.str("$schema", false);
    Top.str("description", false);
    if (const json *RCs = Top.array("release_callbacks")) {
      for (size_t I = 0; I < RCs->size(); ++I) {
        Reader R((*RCs)[I], "release_callbacks[" + std::to_string(I) + "]");
        R.allow({"record", "field", "note"});
        ReleaseCallbacks.push_back({R.str("record", true), R.str("field", true)});
        R.str("note", false);
      }
    }
    if (const json *Fams = Top.array("families")) {
      for (size_t I = 0; I < Fams->size(); ++I) {
        Reader R((*Fams)[I], entryName((*Fams)[I], "families", I));
        R.allow({"name", "release", "description", "type", "embedding_member", "borrowed_fields"});
        Family F;
        F.Name = R.str("name", true);
        F.Release = R.str("release", true);
        F.Description = R.str("description", false);
        F.Type = R.str("type", false);
        F.EmbeddingMember = R.str("embedding_member", false);
        if (!F.EmbeddingMember.empty() && F.Type.empty())
          throw RuleError{R.where(), "embedding_member",
                          "needs \"type\" (the embedded object's type)"};
        if (const json *BF = R.array("borrowed_fields")) {
          for (size_t K = 0; K < BF->size(); ++K) {
            Reader B((*BF)[K], R.where() + ".borrowed_fields[" + std::to_string(K) + "]");
            B.allow({"record", "field", "not_released_in"});
            BorrowedField Entry{B.str("record", true), B.str("field", true), {}};
            if (const json *NR = B.array("not_released_in")) {
              for (size_t N = 0; N < NR->size(); ++N) {
                Reader E((*NR)[N], B.where() + ".not_released_in[" + std::to_string(N) + "]");
                E.allow({"record", "note"});
                Entry.NotReleasedIn.push_back(E.str("record", true));
                E.str("note", true);
              }
            }
            F.BorrowedFields.push_back(std::move(Entry));
          }
        }
        if (Families.count(F.Name)) throw RuleError{R.where(), "name", "family defined twice"};
        Families[F.Name] = F;
      }
    }
    if (const json *Fns = Top.array("functions")) {
      for (size_t I = 0; I < Fns->size(); ++I) {
        const json &E = (*Fns)[I];
        Reader R(E, entryName(E, "functions", I));
        FunctionRule F = parseFunction(R, Origin, FamilyRefs);
        if (Functions.count(F.Name))
          throw RuleError{R.where(), "name",
                          "function already defined in " + Functions[F.Name].Origin};
        Functions[F.Name] = F;
      }
    }
    if (const json *Cs = Top.array("cleanups")) {
      for (size_t I = 0; I < Cs->size(); ++I) {
        Reader R((*Cs)[I], entryName((*Cs)[I], "cleanups", I));
        R.allow({"name", "family", "note"});
        CleanupRule C{R.str("name", true), R.str("family", true)};
        R.str("note", false);
        FamilyRefs.emplace(C.Family, Origin + ": " + R.where());
        if (Cleanups.count(C.Name)) throw RuleError{R.where(), "name", "cleanup defined twice"};
        Cleanups[C.Name] = C;
      }
    }
    if (const json *Es = Top.array("error_checks")) {
      for (size_t I = 0; I < Es->size(); ++I) {
        Reader R((*Es)[I], entryName((*Es)[I], "error_checks", I));
        R.allow({"name", "kind", "note"});
        std::string Name = R.str("name", true);
        ErrCheckKind K = R.oneOf<ErrCheckKind>("kind",
                                               {{"is_err", ErrCheckKind::IsErr},
                                                {"is_err_or_null", ErrCheckKind::IsErrOrNull},
                                                {"ptr_err_or_zero", ErrCheckKind::PtrErrOrZero},
                                                {"make_err", ErrCheckKind::MakeErr}},
                                               ErrCheckKind::IsErr, /*Required=*/true);
        R.str("note", false);
        if (ErrorChecks.count(Name))
          throw RuleError{R.where(), "name", "error check defined twice"};
        ErrorChecks[Name] = K;
      }
    }
  } catch (const RuleError &E) {
    Error = Origin + ": " + E.Where + (E.Field.empty() ? "" : ": field '" + E.Field + "'") + ": " +
            E.What;
    return false;
  }
  return true;
}

bool RuleSet::finalize(std::string &Error) {
  for (auto &[Fam, Where] : FamilyRefs) {
    if (!Families.count(Fam)) {
      Error = Where + ": field 'family': unknown family '" + Fam + "'";
      return false;
    }
  }
  for (auto &[Name, F] : Families) {
    F.Get.clear();
    for (auto &[FnName, FR] : Functions)
      if (FR.Returns == ReturnEffect::Arg && FR.Family == Name) {
        F.Get = FnName;
        break;
      }
  }
  return true;
}

const FunctionRule *RuleSet::function(const std::string &Name) const {
  auto It = Functions.find(Name);
  return It == Functions.end() ? nullptr : &It->second;
}
const Family *RuleSet::family(const std::string &Name) const {
  auto It = Families.find(Name);
  return It == Families.end() ? nullptr : &It->second;
}
const CleanupRule *RuleSet::cleanup(const std::string &Name) const {
  auto It = Cleanups.find(Name);
  return It == Cleanups.end() ? nullptr : &It->second;
}
bool RuleSet::releasingCleanup(const std::string &Name) const {
  if (cleanup(Name)) return true;
  static const std::string Prefix = "__free_";
  if (Name.compare(0, Prefix.size(), Prefix) != 0) return false;
  const FunctionRule *R = function(Name.substr(Prefix.size()));
  const ArgRule *A = R ? R->argRule(0) : nullptr;
  return A && meaningOf(A->Effect).releases() && !meaningOf(A->Effect).conditional();
}
std::optional<ErrCheckKind> RuleSet::errorCheck(const std::string &Name) const {
  auto It = ErrorChecks.find(Name);
  if (It == ErrorChecks.end()) return std::nullopt;
  return It->second;
}
const Family *RuleSet::borrowedField(const std::string &Record, const std::string &Field) const {
  for (auto &[N, F] : Families)
    for (const BorrowedField &B : F.BorrowedFields)
      if (B.Record == Record && B.Field == Field) return &F;
  return nullptr;
}

bool RuleSet::notReleasedIn(const std::string &Record, const std::string &Field,
                            const std::string &Embedder) const {
  for (auto &[N, F] : Families)
    for (const BorrowedField &B : F.BorrowedFields)
      if (B.Record == Record && B.Field == Field)
        for (const std::string &E : B.NotReleasedIn)
          if (E == Embedder) return true;
  return false;
}

void RuleSet::addDerived(const FunctionRule &R) {
  if (Functions.count(R.Name)) return;
  Functions[R.Name] = R;
}

void RuleSet::addImported(FunctionRule R) {
  if (Functions.count(R.Name)) return;
  R.Imported = true;
  Functions[R.Name] = std::move(R);
}

void RuleSet::dropImported(const std::string &Name) {
  auto It = Functions.find(Name);
  if (It != Functions.end() && It->second.Imported) Functions.erase(It);
}

json functionRuleToJson(const FunctionRule &R) {
  json J = json::object();
  J["name"] = R.Name;
  if (!R.Family.empty()) J["family"] = R.Family;
  switch (R.Returns) {
  case ReturnEffect::None: break;
  case ReturnEffect::Acquired: J["returns"] = "acquired"; break;
  case ReturnEffect::Arg: J["returns"] = "arg"; break;
  case ReturnEffect::Passthrough: J["returns"] = "passthrough"; break;
  case ReturnEffect::Allocated: J["returns"] = "allocated"; break;
  case ReturnEffect::DataOf: J["returns"] = "data_of"; break;
  }
  if (R.Returns == ReturnEffect::Arg || R.Returns == ReturnEffect::Passthrough ||
      R.Returns == ReturnEffect::DataOf)
    J["returns_arg"] = R.ReturnsArg;
  if (R.MayBeNull) J["may_be_null"] = true;
  if (R.MayBeErr) J["may_be_err"] = true;
  if (R.ReturnsErrno) J["returns_errno"] = true;
  if (R.NullIfArgNull >= 0) J["null_if_arg_null"] = R.NullIfArgNull;
  if (R.UncountedIfTrue >= 0) J["uncounted_if_true"] = R.UncountedIfTrue;
  if (R.AliveAfterPut) J["alive_after_put"] = true;
  if (!R.Args.empty()) {
    json As = json::array();
    for (const ArgRule &A : R.Args) {
      json AJ{{"index", A.Index}, {"effect", toString(A.Effect)}};
      if (!A.Field.empty()) AJ["field"] = A.Field;
      if (!A.Family.empty()) AJ["family"] = A.Family;
      if (A.Into >= 0) AJ["into"] = A.Into;
      if (A.Callback >= 0) AJ["callback"] = A.Callback;
      if (A.Dereferenced) AJ["dereferenced"] = true;
      if (A.Replaces) AJ["replaces"] = true;
      if (A.Compared) AJ["compared"] = true;
      As.push_back(AJ);
    }
    J["args"] = As;
  }
  if (!R.Note.empty()) J["note"] = R.Note;
  if (!R.Evidence.empty()) J["evidence"] = R.Evidence;
  return J;
}

bool functionRuleFromJson(const json &J, const std::string &Origin, FunctionRule &R,
                          std::string &Error) {
  std::map<std::string, std::string> Refs;
  try {
    Reader Rd(J, entryName(J, "functions", 0));
    R = parseFunction(Rd, Origin, Refs);
  } catch (const RuleError &E) {
    Error = Origin + ": " + E.Where + (E.Field.empty() ? "" : ": field '" + E.Field + "'") + ": " +
            E.What;
    return false;
  }
  return true;
}

bool loadRules(RuleSet &Rules, const std::string &Dir, const std::vector<std::string> &Extra,
               std::string &Error) {
  std::vector<std::string> Files;
  if (!Dir.empty()) {
    std::error_code EC;
    if (!fs::is_directory(Dir, EC)) {
      Error = Dir + ": rules directory not found";
      return false;
    }
    for (auto &E : fs::directory_iterator(Dir, EC))
      // schema.json is the JSON Schema of the format (rules/schema.json), not a rules file.
      if (E.path().extension() == ".json" && E.path().filename() != "schema.json")
        Files.push_back(E.path().string());
    std::sort(Files.begin(), Files.end());
    if (Files.empty()) {
      Error = Dir + ": no *.json rules files";
      return false;
    }
  }
  Files.insert(Files.end(), Extra.begin(), Extra.end());
  for (const std::string &F : Files)
    if (!Rules.loadFile(F, Error)) return false;
  return Rules.finalize(Error);
}

std::string defaultRulesDir(const char *Argv0) {
  std::error_code EC;
  fs::path Exe = fs::read_symlink("/proc/self/exe", EC);
  if (EC && Argv0) Exe = fs::absolute(Argv0, EC);
  // A build tree: build/rules, a link to the source tree's rules/ (made by the build).
  fs::path Beside = Exe.parent_path() / "rules";
  if (fs::is_directory(Beside, EC)) return Beside.string();
  // An installed binary: <prefix>/bin/krefcheck -> <prefix>/share/krefcheck/rules.
  return (Exe.parent_path() / KREFCHECK_BIN_TO_PREFIX / KREFCHECK_INSTALL_RULES_DIR)
      .lexically_normal()
      .string();
}

}  // namespace krefcheck
