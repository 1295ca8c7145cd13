#include "analysis/Prepass.h"

#include "analysis/AstUtil.h"
#include "analysis/Callback.h"
#include "analysis/CompileTimeAsserts.h"
#include "analysis/FieldOwnership.h"
#include "rules/Rules.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace clang;

namespace krefcheck {
namespace {

/// The object an expression names, through a statement expression's value and a NULL-guarded
/// conditional: `of_fwnode_handle(np)` expands to `({ typeof(np) t = (np); t ? &t->fwnode :
/// NULL; })`, the same object as np seen as another family's type (`&t->fwnode`).
const Expr *viewedObject(const Expr *E, ASTContext &Ctx) {
  for (int Depth = 0; E && Depth < 4; ++Depth) {
    E = E->IgnoreParenCasts();
    if (const auto *SE = dyn_cast<StmtExpr>(E)) {
      const CompoundStmt *CS = SE->getSubStmt();
      const auto *Last = CS && !CS->body_empty() ? dyn_cast<Expr>(CS->body_back()) : nullptr;
      if (!Last) return E;
      E = Last;
      continue;
    }
    if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
      auto isNull = [&](const Expr *X) {
        return X->IgnoreParenCasts()->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
      };
      if (isNull(CO->getFalseExpr())) E = CO->getTrueExpr();
      else if (isNull(CO->getTrueExpr())) E = CO->getFalseExpr();
      else return E;
      continue;
    }
    return E;
  }
  return E;
}

bool isRelevantRule(const FunctionRule &R) {
  if (R.Returns == ReturnEffect::Acquired || R.Returns == ReturnEffect::Arg) return true;
  for (const ArgRule &A : R.Args)
    if (meaningOf(A.Effect).countsReferences()) return true;
  return false;
}

struct ExitFacts {
  bool SuccessKept = false;                  // a `return 0` leaves with the parameter untouched
  bool FailReleased = false;                 // a failure exit (`return -E...`) released it
  bool StoredOnlyOnSuccess = false;          // every exit that handed it over is a `return 0`
  std::vector<const ReturnStmt *> FailKept;  // failure exits that leave it untouched
};

struct FunctionFacts {
  FunctionDecl *FD = nullptr;
  std::vector<const CallExpr *> Calls;
  std::vector<const ReturnStmt *> Returns;
  std::vector<std::pair<const Expr *, const Expr *>> Stores;  // (lhs, rhs)
  std::vector<const BinaryOperator *> StoreOps;               // the assignments of Stores, in order
  std::vector<std::pair<const VarDecl *, const Expr *>> LocalInits;  // var = expr
  bool HasRuleCleanup = false;
  std::set<const VarDecl *> CleanupVars;

  /// The function's CFG, built once on first use (the walks over a parameter's exits need it
  /// for every parameter); nullptr if it cannot be built.
  const CFG *cfg() const {
    if (!CfgBuilt) {
      CfgBuilt = true;
      CFG::BuildOptions Opts;
      Cfg = CFG::buildCFG(FD, FD->getBody(), &FD->getASTContext(), Opts);
    }
    return Cfg.get();
  }

private:
  mutable std::unique_ptr<CFG> Cfg;
  mutable bool CfgBuilt = false;
};

class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  BodyScanner(FunctionFacts &F, const RuleSet &Rules) : F(F), Rules(Rules) {}
  bool VisitCallExpr(CallExpr *CE) {
    F.Calls.push_back(CE);
    return true;
  }
  bool VisitReturnStmt(ReturnStmt *RS) {
    F.Returns.push_back(RS);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() != BO_Assign) return true;
    const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(L)) {
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (VD->hasLocalStorage()) {
          F.LocalInits.push_back({VD, BO->getRHS()});
          return true;
        }
      }
    }
    F.Stores.push_back({L, BO->getRHS()});
    F.StoreOps.push_back(BO);
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (const auto *CA = VD->getAttr<CleanupAttr>()) {
      if (const FunctionDecl *CF = CA->getFunctionDecl())
        if (Rules.releasingCleanup(CF->getNameAsString())) {
          F.HasRuleCleanup = true;
          F.CleanupVars.insert(VD);
        }
    }
    if (VD->hasLocalStorage() && VD->getInit()) F.LocalInits.push_back({VD, VD->getInit()});
    return true;
  }

private:
  FunctionFacts &F;
  const RuleSet &Rules;
};

class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  explicit FunctionCollector(const RuleSet &Rules) : Rules(Rules) {}
  std::vector<FunctionDecl *> Fns;
  std::set<const Decl *> ReleaseCallbacks;

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody()) Fns.push_back(FD);
    return true;
  }
  // `dev->release = foo_release;`
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() != BO_Assign) return true;
    if (const auto *ME = dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) noteCallback(FD, BO->getRHS());
    return true;
  }
  // `static struct device_type foo_type = { .release = foo_release };`
  // The visitor sees the syntactic form of an initialiser list only; designated initialisers
  // (`.release = foo_release`, the kernel's way) are in field order in the semantic form.
  bool VisitInitListExpr(InitListExpr *Syntactic) {
    InitListExpr *ILE = Syntactic->isSemanticForm() ? Syntactic : Syntactic->getSemanticForm();
    if (!ILE) return true;
    const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
    if (!RD || RD->isUnion()) return true;
    unsigned I = 0;
    for (const FieldDecl *F : RD->fields()) {
      if (I >= ILE->getNumInits()) break;
      noteCallback(F, ILE->getInit(I++));
    }
    return true;
  }

private:
  void noteCallback(const FieldDecl *F, const Expr *Value) {
    if (!Value) return;
    const auto *DRE = dyn_cast<DeclRefExpr>(Value->IgnoreParenCasts());
    const auto *Fn = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
    if (!Fn) return;
    std::string Record = F->getParent()->getNameAsString(), Field = F->getNameAsString();
    for (const ReleaseCallbackField &RC : Rules.releaseCallbacks())
      if (RC.Record == Record && RC.Field == Field) ReleaseCallbacks.insert(Fn->getCanonicalDecl());
  }
  const RuleSet &Rules;
};

class PrepassConsumer : public ASTConsumer {
public:
  PrepassConsumer(RuleSet &Rules, PrepassResult &Res, bool Strip)
      : Rules(Rules), Res(Res), Strip(Strip) {}

  void Initialize(ASTContext &Ctx) override {
    SM = &Ctx.getSourceManager();
    LangOpts = &Ctx.getLangOpts();
  }

  // Asked by the parser before it parses a body (with FrontendOptions::SkipFunctionBodies):
  // the bodies of functions defined in headers are not needed. The rules describe the APIs,
  // a header function without a rule is opaque (borrows its arguments), and the few whose
  // value must flow through (no_free_ptr()'s __must_check_fn()) are `passthrough` rules.
  // Except a header's `static inline` wrapper of a counting API (iio_device_put() is
  // `put_device(&indio_dev->dev)`, spmi_controller_put() likewise): its body is parsed and
  // summarised like a function of the file, so a call to it releases (or acquires). Which
  // wrappers those are is read from the raw tokens of the body, before parsing it.
  bool shouldSkipFunctionBody(Decl *D) override {
    if (!Strip || !SM) return false;
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD) return false;
    if (SM->isInMainFile(SM->getExpansionLoc(FD->getLocation()))) return false;
    return !(FD->isInlineSpecified() && callsCountingApi(FD->getLocation()));
  }

  /// Whether the raw tokens of the body of the function named at NameLoc (a definition: the
  /// parser is at its `{`) name a function whose rule counts references. Macros are not
  /// expanded: a wrapper that calls the API through a macro stays opaque.
  bool callsCountingApi(SourceLocation NameLoc) const {
    if (!LangOpts) return false;
    bool Counts = false;
    visitRawBody(NameLoc, *SM, *LangOpts, 2000, [&](const Token &Tok) {
      if (Tok.is(tok::raw_identifier)) {
        const FunctionRule *R = Rules.function(Tok.getRawIdentifier().str());
        Counts = R && isRelevantRule(*R);
      }
      return !Counts;
    });
    return Counts;
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred()) return;
    // First of the TU's consumers: before this pass or the analyzer builds a CFG.
    neutraliseCompileTimeAsserts(Ctx);
    SourceManager &SM = Ctx.getSourceManager();
    FunctionCollector FC(Rules);
    FC.TraverseDecl(Ctx.getTranslationUnitDecl());
    Res.ReleaseCallbacks = FC.ReleaseCallbacks;
    std::map<const FunctionDecl *, FunctionFacts> Facts;
    std::map<std::string, const FunctionDecl *> ByName;
    for (FunctionDecl *FD : FC.Fns) {
      FunctionFacts &F = Facts[FD->getCanonicalDecl()];
      F.FD = FD;
      BodyScanner BS(F, Rules);
      BS.TraverseStmt(FD->getBody());
      if (FD->getIdentifier()) ByName[FD->getNameAsString()] = FD->getCanonicalDecl();
      Res.ParsedFunctions.insert(FD->getCanonicalDecl());
    }
    // A summary imported from another TU does not apply to this TU's own definition (nor to
    // a static function of the same name): the summary computed here decides.
    for (auto &[Canon, F] : Facts)
      if (F.FD->getIdentifier()) Rules.dropImported(F.FD->getNameAsString());
    for (auto &[Name, R] : Rules.functions())
      if (!R.Imported) FileRuleNames.insert(Name);
    collectExternalCalls(Facts, SM);

    summarise(Facts, SM);
    deriveComparedParams(Facts, SM);

    findOwningFields(Facts, SM);
    findKeptFields(Facts, SM);
    findStoredFields(Facts);
    findFreedAfterPut(Facts, SM);
    findReleasedOnFailedResult(Facts, SM);
    findOwnedFieldChains(Facts, SM);
    findKindTestedParams(Facts, SM);
    findReleasedFields(Facts, SM);
    findHandleFields(Facts, SM);
    findHandleLookups(Facts, SM);
    findBorrowedStores(Facts);
    // A kfree() can lose what an owning field holds: freeing matters when it frees, by name,
    // a struct with an owning field (what the checker looks at: unreleasedOwningFields()), not
    // a string or a buffer.
    std::set<std::string> OwningRecords;
    for (auto &[Key, Field] : Res.OwningFields) OwningRecords.insert(Key.first);
    auto FreesOwner = [&](const Expr *E) {
      E = E->IgnoreParenImpCasts();
      if (!isa<DeclRefExpr>(E) || !E->getType()->isPointerType()) return false;
      const RecordDecl *RD = E->getType()->getPointeeType()->getAsRecordDecl();
      return RD && RD->getIdentifier() && OwningRecords.count(RD->getNameAsString());
    };
    auto Matters = [&](const FunctionRule &Rule, const CallExpr *CE) {
      if (isRelevantRule(Rule)) return true;
      if (OwningRecords.empty()) return false;
      for (const ArgRule &A : Rule.Args)
        if (meaningOf(A.Effect).mayDo(RefChange::Free) && A.Index < CE->getNumArgs() &&
            FreesOwner(CE->getArg(A.Index)))
          return true;
      return false;
    };
    // Which functions matter: a fixed point over the TU's call graph.
    std::set<const FunctionDecl *> Relevant;
    bool Changed = true;
    while (Changed) {
      Changed = false;
      for (auto &[Canon, F] : Facts) {
        if (Relevant.count(Canon)) continue;
        bool R = F.HasRuleCleanup;
        for (const CallExpr *CE : F.Calls) {
          if (R) break;
          const FunctionDecl *Callee = CE->getDirectCallee();
          if (!Callee || !Callee->getIdentifier()) continue;
          if (const FunctionRule *Rule = Rules.function(Callee->getNameAsString()))
            if (Matters(*Rule, CE)) R = true;
          if (Relevant.count(Callee->getCanonicalDecl())) R = true;
        }
        if (R) {
          Relevant.insert(Canon);
          Changed = true;
        }
      }
    }
    // Release callbacks that drop references: they call a releasing API, directly or through
    // functions of the file.
    {
      std::set<const FunctionDecl *> Puts;
      for (bool Grew = true; Grew;) {
        Grew = false;
        for (auto &[Canon, F] : Facts) {
          if (Puts.count(Canon)) continue;
          for (const CallExpr *CE : F.Calls) {
            const FunctionDecl *Callee = CE->getDirectCallee();
            if (!Callee || !Callee->getIdentifier()) continue;
            bool P = Puts.count(Callee->getCanonicalDecl());
            if (const FunctionRule *Rule = Rules.function(Callee->getNameAsString()))
              for (const ArgRule &A : Rule->Args)
                P |= meaningOf(effectAt(A, CE)).releases() ||
                     meaningOf(effectAt(A, CE)).mayDo(RefChange::Transfer);
            if (P) {
              Puts.insert(Canon);
              Grew = true;
              break;
            }
          }
        }
      }
      for (const Decl *CB : Res.ReleaseCallbacks) {
        if (Puts.count(dyn_cast<FunctionDecl>(CB))) Res.PuttingCallbacks.insert(CB);
        auto It = Facts.find(dyn_cast<FunctionDecl>(CB));
        if (It != Facts.end() && It->second.FD->getBody() && It->second.Calls.empty())
          Res.EmptyCallbacks.insert(CB);
      }
    }
    for (auto &[Canon, F] : Facts) {
      bool Main = SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()));
      if (Main) Res.MainFileFunctions++;
      // A function the rules describe is an implementation of the API itself (drivers/of,
      // drivers/base): callers are checked against its rule; its body is not analysed.
      if (F.FD->getIdentifier() && FileRuleNames.count(F.FD->getNameAsString())) {
        F.FD->setBody(nullptr);
        F.FD->setHasSkippedBody(true);
        continue;
      }
      if (Relevant.count(Canon)) {
        if (Main) Res.RelevantMainFile++;
        continue;
      }
      // A function that hands back one of its arguments (`__must_check_fn(p)`, casts and
      // accessors written as functions) keeps its body: inlined, the value flows through.
      if (returnsParam(F)) continue;
      if (Strip) {
        // As if the body had been skipped while parsing: the Static Analyzer neither analyses
        // nor inlines it; calls to it are opaque (arguments borrowed, per the rules).
        F.FD->setBody(nullptr);
        F.FD->setHasSkippedBody(true);
      }
    }
  }

private:
  /// A's effect at CE (a devm action's data: whether the action releases it).
  ArgEffect effectAt(const ArgRule &A, const CallExpr *CE) const {
    return callbackEffect(A, CE, Rules, Res.ParsedFunctions);
  }

  const FunctionRule *ruleOfCall(const Expr *E) const {
    const auto *CE = dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenCasts() : nullptr);
    if (!CE) return nullptr;
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier()) return nullptr;
    return Rules.function(FD->getNameAsString());
  }

  /// The functions of the TU passed as a callback whose releases decide a hand-over (the
  /// action of devm_add_action_or_reset()), and the functions of the TU they call.
  std::set<const FunctionDecl *>
  callbacks(const std::map<const FunctionDecl *, FunctionFacts> &Facts) const {
    std::vector<const FunctionDecl *> Work;
    for (auto &[Canon, F] : Facts)
      for (const CallExpr *CE : F.Calls) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        const FunctionRule *CR =
            Callee && Callee->getIdentifier() ? Rules.function(Callee->getNameAsString()) : nullptr;
        for (const ArgRule &A : CR ? CR->Args : std::vector<ArgRule>{})
          if (A.Callback >= 0)
            if (const FunctionDecl *Cb = callbackOf(CE, static_cast<unsigned>(A.Callback)))
              Work.push_back(Cb->getCanonicalDecl());
      }
    std::set<const FunctionDecl *> Set;
    while (!Work.empty()) {
      const FunctionDecl *FD = Work.back();
      Work.pop_back();
      auto It = Facts.find(FD);
      if (It == Facts.end() || !Set.insert(FD).second) continue;
      for (const CallExpr *CE : It->second.Calls)
        if (const FunctionDecl *Callee = CE->getDirectCallee())
          Work.push_back(Callee->getCanonicalDecl());
    }
    return Set;
  }

  /// Summaries, the callbacks first (a caller's hand-over depends on theirs), each pass
  /// repeated until no rule is added.
  void summarise(std::map<const FunctionDecl *, FunctionFacts> &Facts, SourceManager &SM) {
    std::set<std::string> Done;
    std::set<const FunctionDecl *> First = callbacks(Facts);
    if (!First.empty()) summarise(Facts, SM, Done, &First);
    summarise(Facts, SM, Done, nullptr);
  }

  /// The TU's functions, each after the functions of the TU it calls (a call cycle in
  /// source order): a summary is made from its callees' summaries, and the first one a
  /// function gets is the one it keeps (_regulator_get_common() summarised before
  /// create_regulator() took its parameter for borrowed).
  std::vector<FunctionFacts *> calleesFirst(std::map<const FunctionDecl *, FunctionFacts> &Facts,
                                            SourceManager &SM) const {
    std::vector<FunctionFacts *> InSource;
    for (auto &[Canon, F] : Facts) InSource.push_back(&F);
    std::stable_sort(InSource.begin(), InSource.end(), [&](FunctionFacts *A, FunctionFacts *B) {
      return SM.isBeforeInTranslationUnit(A->FD->getLocation(), B->FD->getLocation());
    });
    std::vector<FunctionFacts *> Order;
    std::set<const FunctionDecl *> Seen;
    std::function<void(FunctionFacts &)> Visit = [&](FunctionFacts &F) {
      if (!Seen.insert(F.FD->getCanonicalDecl()).second) return;
      for (const CallExpr *CE : F.Calls)
        if (const FunctionDecl *Callee = CE->getDirectCallee()) {
          auto It = Facts.find(Callee->getCanonicalDecl());
          if (It != Facts.end()) Visit(It->second);
        }
      Order.push_back(&F);
    };
    for (FunctionFacts *F : InSource) Visit(*F);
    return Order;
  }

  void summarise(std::map<const FunctionDecl *, FunctionFacts> &Facts, SourceManager &SM,
                 std::set<std::string> &Done, const std::set<const FunctionDecl *> *Only) {
    std::vector<FunctionFacts *> Order = calleesFirst(Facts, SM);
    for (int Round = 0; Round < 8; ++Round) {
      bool Added = false;
      for (FunctionFacts *FP : Order) {
        FunctionFacts &F = *FP;
        const FunctionDecl *Canon = F.FD->getCanonicalDecl();
        if (!F.FD->getIdentifier() || (Only && !Only->count(Canon))) continue;
        std::string Name = F.FD->getNameAsString();
        if (Done.count(Name) || Rules.function(Name)) continue;
        FunctionRule R;
        if (!summariseOne(F, SM, R)) continue;
        Rules.addDerived(R);
        Done.insert(Name);
        Res.Summaries++;
        if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) {
          Added = true;
          continue;
        }
        if (F.FD->isExternallyVisible()) Res.Exported.push_back(R);
        std::string Line = Name + ":";
        if (R.Returns == ReturnEffect::Acquired) Line += " returns +1 " + R.Family;
        for (const ArgRule &A : R.Args)
          Line += std::string(" arg") + std::to_string(A.Index) + "=" + toString(A.Effect) +
                  (A.Into >= 0 ? "(into arg" + std::to_string(A.Into) + ")" : "");
        Res.SummaryLines.push_back(Line);
        Added = true;
      }
      if (!Added) break;
    }
  }

  /// Pointer parameters a function only compares with others (`dev->of_node == np`, or passes
  /// to an argument that is only compared): for a function with no other summary, a summary
  /// saying so (`borrow`, `compared`), so that a caller may pass a pointer whose last reference
  /// is gone as a lookup key (hte.c of_node_to_htedevice(): device_match_of_node(dev, np)).
  void deriveComparedParams(std::map<const FunctionDecl *, FunctionFacts> &Facts,
                            SourceManager &SM) {
    std::vector<FunctionFacts *> Order = calleesFirst(Facts, SM);
    for (bool Grew = true; Grew;) {
      Grew = false;
      for (FunctionFacts *FP : Order) {
        const FunctionDecl *FD = FP->FD;
        if (!FD->getIdentifier() || !FD->getBody()) continue;
        std::string Name = FD->getNameAsString();
        // A function that hands back an argument is inlined for the value; one that calls a
        // counting API is analysed and inlined as it is: a rule would replace both.
        if (Rules.function(Name) || returnsParam(*FP) || callsCountingApi(*FP)) continue;
        FunctionRule R;
        R.Name = Name;
        R.Origin = "summary of " + Name + "() at " + whereOf(FD->getLocation(), SM);
        for (unsigned I = 0, E = FD->getNumParams(); I < E; ++I) {
          const ParmVarDecl *P = FD->getParamDecl(I);
          unsigned Compares = 0;
          if (!P->getType()->isPointerType() || !onlyCompared(FD->getBody(), P, Compares) ||
              !Compares)
            continue;
          ArgRule A;
          A.Index = I;
          A.Compared = true;
          R.Args.push_back(A);
        }
        if (R.Args.empty()) continue;
        Rules.addDerived(R);
        Res.Summaries++;
        Grew = true;
        if (!SM.isInMainFile(SM.getExpansionLoc(FD->getLocation()))) continue;
        if (FD->isExternallyVisible()) Res.Exported.push_back(R);
        std::string Line = Name + ":";
        for (const ArgRule &A : R.Args) Line += " arg" + std::to_string(A.Index) + "=compared";
        Res.SummaryLines.push_back(Line);
      }
    }
  }

  bool callsCountingApi(const FunctionFacts &F) const {
    for (const CallExpr *CE : F.Calls) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (!Callee || !Callee->getIdentifier()) continue;
      if (const FunctionRule *R = Rules.function(Callee->getNameAsString()))
        if (isRelevantRule(*R)) return true;
    }
    return F.HasRuleCleanup;
  }

  /// Every use of \p P in \p S is an operand of `==` / `!=` or an argument the callee's rule
  /// says it only compares; \p Compares counts them.
  bool onlyCompared(const Stmt *S, const ParmVarDecl *P, unsigned &Compares) const {
    if (!S) return true;
    auto IsP = [&](const Expr *E) {
      const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenCasts() : nullptr);
      return DRE && DRE->getDecl() == P;
    };
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) return DRE->getDecl() != P;
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isEqualityOp()) {
      for (const Expr *Side : {BO->getLHS(), BO->getRHS()}) {
        if (IsP(Side)) ++Compares;
        else if (!onlyCompared(Side, P, Compares)) return false;
      }
      return true;
    }
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      const FunctionRule *CR =
          Callee && Callee->getIdentifier() ? Rules.function(Callee->getNameAsString()) : nullptr;
      if (!onlyCompared(CE->getCallee(), P, Compares)) return false;
      for (unsigned I = 0, E = CE->getNumArgs(); I < E; ++I) {
        if (IsP(CE->getArg(I))) {
          const ArgRule *A = CR ? CR->argRule(I) : nullptr;
          if (!A || !A->Compared) return false;
          ++Compares;
        } else if (!onlyCompared(CE->getArg(I), P, Compares)) {
          return false;
        }
      }
      return true;
    }
    for (const Stmt *Child : S->children())
      if (!onlyCompared(Child, P, Compares)) return false;
    return true;
  }

  bool summariseOne(const FunctionFacts &F, SourceManager &SM, FunctionRule &R) {
    const FunctionDecl *FD = F.FD;
    R.Name = FD->getNameAsString();
    std::string Where = whereOf(FD->getLocation(), SM);
    R.Origin = "summary of " + R.Name + "() at " + Where;

    // Local variables that receive a reference (flow-insensitive), and locals that are
    // copies of a parameter (`struct device_node *tmp = node;`).
    std::map<const VarDecl *, const FunctionRule *> AcqVars = acquiredLocals(F);
    std::map<const VarDecl *, const VarDecl *> ParamAlias;
    std::set<const VarDecl *> NotAlias;
    for (auto &[VD, E] : F.LocalInits) {
      const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
      const auto *PV = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
      auto It = ParamAlias.find(VD);
      if (!PV || (It != ParamAlias.end() && It->second != PV)) NotAlias.insert(VD);
      else ParamAlias[VD] = PV;
    }
    // Only a local that is never anything but a copy of the parameter is an alias.
    for (const VarDecl *V : NotAlias) ParamAlias.erase(V);
    auto paramOf = [&](const Expr *E) -> const VarDecl * {
      const VarDecl *V = objectVar(E ? viewedObject(E, FD->getASTContext()) : nullptr);
      auto It = ParamAlias.find(V);
      return It != ParamAlias.end() ? It->second : V;
    };
    // `*o = of_find_node_by_phandle(h);` (or a local holding such a reference) through a
    // `T **` parameter: the caller's variable receives the reference (on a 0 return of a
    // function returning an int).
    for (auto &[L, Rhs] : F.Stores) {
      const auto *UO = dyn_cast<UnaryOperator>(L->IgnoreParenImpCasts());
      if (!UO || UO->getOpcode() != UO_Deref) continue;
      const auto *PV = dyn_cast_or_null<ParmVarDecl>(objectVar(UO->getSubExpr()));
      if (!PV || !PV->getType()->isPointerType() ||
          !PV->getType()->getPointeeType()->isPointerType())
        continue;
      const FunctionRule *Src = ruleOfCall(Rhs);
      if (Src && Src->Returns != ReturnEffect::Acquired && Src->Returns != ReturnEffect::Arg)
        Src = nullptr;
      if (!Src)
        if (auto It = AcqVars.find(objectVar(Rhs)); It != AcqVars.end()) Src = It->second;
      if (!Src || R.argRule(PV->getFunctionScopeIndex())) continue;
      ArgRule A;
      A.Index = PV->getFunctionScopeIndex();
      A.Effect = ArgEffect::OutAcquire;
      A.Field = "*";
      A.Family = Src->Family;
      R.Args.push_back(A);
    }
    // A reference handed over (stored, registered, given to a consuming API) on some path is
    // not what the function returns to its caller.
    for (const CallExpr *CE : F.Calls) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (!Callee || !Callee->getIdentifier()) continue;
      const FunctionRule *CR = Rules.function(Callee->getNameAsString());
      for (unsigned K = 0; CR && K < CE->getNumArgs(); ++K)
        if (const ArgRule *A = CR->argRule(K))
          if (meaningOf(effectAt(*A, CE)).handsOver()) AcqVars.erase(objectVar(CE->getArg(K)));
    }
    for (auto &[L, Rhs] : F.Stores) AcqVars.erase(objectVar(Rhs));

    // Returns a reference?
    if (FD->getReturnType()->isPointerType()) {
      for (const ReturnStmt *RS : F.Returns) {
        const Expr *V = RS->getRetValue();
        if (!V) continue;
        const FunctionRule *Src = nullptr;
        if (const FunctionRule *AR = ruleOfCall(V))
          if (AR->Returns == ReturnEffect::Acquired || AR->Returns == ReturnEffect::Arg) Src = AR;
        // `return to_auxiliary_dev(dev);`: the object that embeds the one held.
        if (const auto *Call = dyn_cast<CallExpr>(V->IgnoreParenCasts()))
          if (const Expr *Conv = containerConversionArg(Call))
            if (!Rules.function(Call->getDirectCallee()->getNameAsString())) V = Conv;
        if (!Src) {
          if (const VarDecl *VD = objectVar(V)) {
            auto It = AcqVars.find(VD);
            if (It != AcqVars.end()) Src = It->second;
          }
        }
        if (!Src) {
          // return_ptr(v) / no_free_ptr(v) on a __free() variable holding a reference.
          for (const VarDecl *CV : F.CleanupVars)
            if (AcqVars.count(CV) && mentions(V, CV)) Src = AcqVars[CV];
        }
        // What is returned must be the object of that family (or one embedding it, or a
        // void *): `return helper(np);` or `return dev_err_ptr_probe(..., np->name)` with a
        // __free() np returns something else.
        if (Src && !returnTypeFits(FD->getReturnType(), Src->Family)) Src = nullptr;
        if (Src) {
          R.Returns = ReturnEffect::Acquired;
          R.Family = Src->Family;
          R.MayBeNull = true;
          R.MayBeErr = R.MayBeErr || Src->MayBeErr;
          R.AliveAfterPut = Src->AliveAfterPut;
          R.Note = R.Name + "() returns a reference from " + Src->Name + "() (" +
                   whereOf(RS->getBeginLoc(), SM) + ")";
          break;
        }
      }
    }

    // What happens to each pointer parameter.
    for (unsigned I = 0; I < FD->getNumParams(); ++I) {
      const ParmVarDecl *P = FD->getParamDecl(I);
      if (!P->getType()->isPointerType()) continue;
      // Only objects a reference can be held on (a family's type, a struct embedding one, or
      // void * data): what happens to a `struct platform_driver *` says nothing here, and
      // such summaries only ripple through every caller.
      if (!pointsToTrackedObject(P->getType())) continue;
      bool Released = false, Got = false, Stored = false, Conditional = false;
      // A put of what the parameter variable was reassigned to (the caller's object is not
      // put there).
      bool ReassignedPut = false;
      // Passed to an unregistration (device_del()): a put of it here drops the registration's
      // reference (device_unregister()'s shape), not the caller's.
      bool Unregistered = false;
      // Given to a registration whose failure leaves the caller a reference
      // (device_register()), with that call's result returned: the same on failure here.
      std::string AcquiredOnFailure;
      std::set<const CallExpr *> ReleaseCalls, StoreCalls;
      // The gets of the parameter's object whose reference stays on it (not stored, not
      // returned), and whether there is any other (a conditional or passed-on one).
      std::set<const CallExpr *> GetCalls;
      bool OtherGet = false;
      std::string GetFamily;
      std::set<int> Into;  // stored only into the objects of these parameters
      std::string Family;
      for (const CallExpr *CE : F.Calls) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        if (!Callee || !Callee->getIdentifier()) continue;
        const FunctionRule *CR = Rules.function(Callee->getNameAsString());
        for (unsigned K = 0; K < CE->getNumArgs(); ++K) {
          if (paramOf(CE->getArg(K)) != P) continue;
          // `hci_conn_get(conn);`: a get through a getter of the TU that hands the parameter
          // back, the same as get_device(&conn->dev) here.
          if (std::string HF = CR ? "" : handBackGet(Callee, K);
              !HF.empty() && !reassignedBefore(F, P, CE)) {
            Got = true;
            if (resultOnlyLookedAt(F, CE)) GetCalls.insert(CE);
            else OtherGet = true;
            if (GetFamily.empty()) GetFamily = HF;
          }
          if (CR) {
            // A get on another object the parameter variable was given first (`rdev =
            // dummy_rdev; get_device(&rdev->dev);`) says nothing of the caller's.
            bool OwnGet = !reassignedBefore(F, P, CE);
            if (CR->Returns == ReturnEffect::Arg && CR->ReturnsArg == K && OwnGet) {
              Got = true;
              // `get_device(dev);`, or `dev_get_drvdata(get_device(dev))`: the reference
              // stays on the caller's object; stored or returned, it is somewhere else's.
              if (resultOnlyLookedAt(F, CE)) GetCalls.insert(CE);
              else OtherGet = true;
              if (GetFamily.empty()) GetFamily = CR->Family;
            }
            if (const ArgRule *A = CR->argRule(K))
              if (meaningOf(A->Effect).acquires() && OwnGet) {
                Got = true;
                // device_initialize(&x->dev); a conditional one (device_register()'s failure
                // reference) is not one the caller always holds.
                if (A->Effect == ArgEffect::Acquire) GetCalls.insert(CE);
                else OtherGet = true;
                if (GetFamily.empty()) GetFamily = A->Family.empty() ? CR->Family : A->Family;
              }
            if (const ArgRule *A = CR->argRule(K);
                A && A->Effect == ArgEffect::AcquireOnFailure && resultReturned(F, CE))
              AcquiredOnFailure = A->Family.empty() ? CR->Family : A->Family;
            if (const ArgRule *A = CR->argRule(K)) {
              ArgEffect E = effectAt(*A, CE);
              if (E == ArgEffect::Unregister) Unregistered = true;
              // A put after the parameter variable was given a new reference on every path
              // (`fwnode = fwnode_graph_get_remote_endpoint(fwnode); ...
              // fwnode_handle_put(fwnode);`) releases that one, not the caller's.
              if (meaningOf(E).releases() && reassignedOnEveryPath(F, P, CE)) {
                ReassignedPut = true;
              } else if (meaningOf(E).releases()) {
                Released = true;
                ReleaseCalls.insert(CE);
                if (meaningOf(E).conditional() || isConditional(F, CE, P)) Conditional = true;
                Family = A->Family.empty() ? CR->Family : A->Family;
              } else if (E == ArgEffect::Store) {
                Stored = true;
                StoreCalls.insert(CE);
              } else if (E == ArgEffect::Transfer) {
                StoreCalls.insert(CE);
                // Into an object the callee was given: what that object is here decides.
                const Expr *Dest = A->Into >= 0 && static_cast<unsigned>(A->Into) < CE->getNumArgs()
                                       ? CE->getArg(A->Into)
                                       : nullptr;
                if (!Dest) {
                  Stored = true;
                } else if (const auto *PV = dyn_cast_or_null<ParmVarDecl>(paramOf(Dest))) {
                  Into.insert(PV->getFunctionScopeIndex());
                } else if (!isAddressOfLocal(Dest)) {
                  Stored = true;
                }
              }
            }
          } else if (!Callee->hasBody() && takesCallbackContext(CE, K)) {
            Stored = true;
            StoreCalls.insert(CE);
          }
        }
      }
      // Stored where it outlives the call: a global, or an object of the function's own
      // (allocated and published here). A copy into the caller's own object
      // (`parser->node = node`) leaves the reference with the caller.
      for (auto &[L, Rhs] : F.Stores) {
        if (paramOf(Rhs) != P) continue;
        if (const auto *PV = dyn_cast_or_null<ParmVarDecl>(paramOf(storeRoot(L))))
          Into.insert(PV->getFunctionScopeIndex());
        else Stored = true;
      }
      // Stored only into one object the caller passes: the caller's call decides whether
      // that is a hand-over (its long-lived priv) or a borrowed copy (a struct on its stack).
      int IntoIdx = -1;
      if (!Stored && Into.size() == 1) {
        IntoIdx = *Into.begin();
        Stored = true;
      } else if (!Into.empty()) {
        Stored = true;
      }
      // Registered by a call that keeps it on success (device_add()), every `return 0` after
      // that call, the function errno-style: handed over when it returns 0, still the
      // caller's when it fails (pci_register_host_bridge()). Gets and puts of its own on the
      // parameter (a reference for a field of another object) balance.
      if (!Stored && AcquiredOnFailure.empty() && registeredOnSuccess(F, P, paramOf)) {
        ArgRule A;
        A.Index = I;
        A.Effect = ArgEffect::TransferOnSuccess;
        R.Args.push_back(A);
        R.ReturnsErrno = true;
        continue;
      }
      // device_register()'s shape written out (register_virtio_device(): device_initialize()
      // on every path, then device_add() the only way to a `return 0`, no put of its own):
      // the registration keeps the initial reference on success; on failure the caller holds
      // it and must put_device() it.
      if (!Stored && AcquiredOnFailure.empty() && Got && !Released && !OtherGet && !Unregistered &&
          !ReassignedPut && GetCalls.size() == 1 && releasedOnEveryPath(F, P, GetCalls) &&
          registeredOnSuccess(F, P, paramOf, 1)) {
        ArgRule A;
        A.Index = I;
        A.Effect = ArgEffect::AcquireOnFailure;
        A.Family = GetFamily;
        R.Args.push_back(A);
        R.ReturnsErrno = true;
        continue;
      }
      // A parameter the function gets and puts itself (`of_node_get(port); ... of_node_put(port);`,
      // or a get through another family's view, `fwnode_handle_get(of_fwnode_handle(np))`)
      // is borrowed: say so, so callers apply the summary instead of inlining a body whose
      // balance they may not see (a reassigned parameter, an out-parameter step). So is one it
      // unregisters and puts (spi_unregister_device(): device_del() + put_device()): the put
      // drops the registration's reference; the caller's own (a lookup's) is still the caller's.
      // Likewise one whose puts are all of a new reference the variable was given
      // (macb_phy_handle_exists(): `dn = of_parse_phandle(dn, ...); of_node_put(dn);`).
      if (((Got || Unregistered) && (Released || ReassignedPut) && !Stored) ||
          (ReassignedPut && !Released && !Stored)) {
        ArgRule A;
        A.Index = I;
        A.Effect = ArgEffect::Borrow;
        R.Args.push_back(A);
        continue;
      }
      // Where the parameter goes on each exit: released, stored (handed over) or kept.
      std::set<const Stmt *> StoreSites(StoreCalls.begin(), StoreCalls.end());
      for (size_t S = 0; S < F.Stores.size(); ++S)
        if (paramOf(F.Stores[S].second) == P) StoreSites.insert(F.StoreOps[S]);
      bool IntReturn = FD->getReturnType()->isIntegerType();
      ExitFacts Exits;
      if (IntReturn && !Got && (Released || Stored))
        Exits = exitFacts(F, P, ReleaseCalls, StoreSites);
      // Puts inside branches that together cover every path (`if (done) { put(child);
      // return NULL; } ... put(child); return next;`, an iterator step) release on every path.
      if (Released && Conditional && releasedOnEveryPath(F, P, ReleaseCalls)) Conditional = false;
      // A put on an error exit that is not inside an `if` (`err: of_node_put(np); return ret;`)
      // is conditional all the same: a `return 0` leaves without it.
      if (Released && !Conditional && Exits.SuccessKept) Conditional = true;
      // Released on some failure exits (`return -EINVAL;`) and kept on others: whichever the
      // caller does is wrong on one of them. Reported here, at each exit that keeps it.
      if (Released && Exits.FailReleased && !Exits.FailKept.empty() &&
          SM.isInMainFile(SM.getExpansionLoc(FD->getLocation()))) {
        const CallExpr *First = *std::min_element(ReleaseCalls.begin(), ReleaseCalls.end(),
                                                  [](const CallExpr *A, const CallExpr *B) {
                                                    return A->getBeginLoc() < B->getBeginLoc();
                                                  });
        for (const ReturnStmt *RS : Exits.FailKept)
          Res.Inconsistent.push_back({FD, P, RS, First, Family});
      }
      // Released on every path that gets there, or only inside a branch: a function returning
      // an int that puts its argument in a branch does so on its error path (the caller keeps
      // the reference on success); elsewhere a branch-only put says nothing certain.
      if (!AcquiredOnFailure.empty() && !Released && IntReturn) {
        ArgRule A;
        A.Index = I;
        A.Effect = ArgEffect::AcquireOnFailure;
        A.Family = AcquiredOnFailure;
        R.Args.push_back(A);
      } else if (Released && Conditional && !Stored) {
        if (IntReturn && !Got) {
          ArgRule A;
          A.Index = I;
          A.Effect = ArgEffect::ReleaseOnFailure;
          A.Family = Family;
          R.Args.push_back(A);
        }
      } else if (Released && !Got) {
        ArgRule A;
        A.Index = I;
        A.Effect = Stored ? ArgEffect::Transfer : ArgEffect::Release;
        if (!Stored) A.Family = Family;
        R.Args.push_back(A);
      } else if (Stored && !Got) {
        ArgRule A;
        A.Index = I;
        // Handed over only by a `return 0` exit, kept by a failure exit: the caller still
        // owns it when the call fails (`if (setup(np)) return -EIO;` leaks it).
        bool OnSuccessOnly =
            IntReturn && IntoIdx < 0 && Exits.StoredOnlyOnSuccess && !Exits.FailKept.empty();
        A.Effect = OnSuccessOnly ? ArgEffect::TransferOnSuccess : ArgEffect::Transfer;
        A.Into = OnSuccessOnly ? -1 : IntoIdx;
        R.Args.push_back(A);
      } else if (Got && !Released && !Stored && !Unregistered && !ReassignedPut && !OtherGet &&
                 AcquiredOnFailure.empty() && returnsParam(F) &&
                 releasedOnEveryPath(F, P, GetCalls)) {
        // The same, in a function that hands the parameter back (hci_conn_get()): no rule,
        // but a get in its callers' bodies (HandBackGets).
        HandBackGets[FD->getCanonicalDecl()][I] = GetFamily;
      } else if (Got && !Released && !Stored && !Unregistered && !ReassignedPut && !OtherGet &&
                 AcquiredOnFailure.empty() && !returnsParam(F) &&
                 releasedOnEveryPath(F, P, GetCalls)) {
        // A get of the parameter's object on every path, neither put, stored nor returned
        // here (fman_bind(): `return dev_get_drvdata(get_device(dev));`, an init helper's
        // device_initialize(&x->dev)): the caller holds one more reference after the call.
        // One that hands the parameter back (`if (dev) get_device(&dev->dev); return dev;`)
        // is inlined instead, so the reference flows with the value.
        ArgRule A;
        A.Index = I;
        A.Effect = ArgEffect::Acquire;
        A.Family = GetFamily;
        R.Args.push_back(A);
      }
    }
    if (R.Returns == ReturnEffect::None && R.Args.empty()) return false;
    if (R.Family.empty())
      for (const ArgRule &A : R.Args)
        if (!A.Family.empty()) R.Family = A.Family;
    return true;
  }

  /// Is CE preceded, in the statement list that holds it, by an assignment of another
  /// object to the parameter P (`rdev = dummy_regulator_rdev; ... get_device(&rdev->dev);`)?
  bool reassignedBefore(const FunctionFacts &F, const VarDecl *P, const CallExpr *CE) const {
    const Stmt *Body = F.FD->getBody();
    if (!Body) return false;
    std::unique_ptr<ParentMap> PM;
    for (auto &[VD, Rhs] : F.LocalInits) {
      if (VD != P || objectVar(Rhs) == P) continue;
      if (!PM) PM = std::make_unique<ParentMap>(const_cast<Stmt *>(Body));
      // The statement of the assignment and its enclosing statement list.
      const Stmt *S = Rhs, *List = nullptr;
      for (const Stmt *Up = PM->getParent(S); Up; S = Up, Up = PM->getParent(Up))
        if (isa<CompoundStmt>(Up)) {
          List = Up;
          break;
        }
      if (!List) continue;
      // In the same statement list, after it; not within the assigned value itself
      // (`root = root ? of_node_get(root) : of_find_node_by_path("/")` gets the caller's).
      bool Inside = false, InValue = false;
      for (const Stmt *Up = CE; Up && !Inside; Up = PM->getParent(Up)) {
        Inside = Up == List;
        InValue = InValue || Up == Rhs;
      }
      if (Inside && !InValue && Rhs->getBeginLoc() < CE->getBeginLoc()) return true;
    }
    return false;
  }

  /// Is the parameter variable P assigned another value (not derived from itself by a
  /// cast) on every path from the function's entry to CE? Decided on the CFG, so a `goto`
  /// from before the assignment to a put after it still puts the caller's object.
  bool reassignedOnEveryPath(const FunctionFacts &F, const VarDecl *P, const CallExpr *CE) const {
    bool Assigned = false;
    for (auto &[VD, Rhs] : F.LocalInits) Assigned = Assigned || (VD == P && objectVar(Rhs) != P);
    const CFG *G = Assigned ? F.cfg() : nullptr;
    if (!G) return false;
    auto isReassign = [&](const Stmt *S) {
      const auto *BO = dyn_cast<BinaryOperator>(S);
      if (!BO || BO->getOpcode() != BO_Assign) return false;
      const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
      return DRE && DRE->getDecl() == P && objectVar(BO->getRHS()) != P;
    };
    std::set<const CFGBlock *> Seen;
    std::vector<const CFGBlock *> Work{&G->getEntry()};
    while (!Work.empty()) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      if (!B || !Seen.insert(B).second) continue;
      bool Stop = false;
      for (const CFGElement &El : *B) {
        auto CS = El.getAs<CFGStmt>();
        if (!CS) continue;
        if (CS->getStmt() == CE) return false;  // reached with the caller's object
        if (isReassign(CS->getStmt())) {
          Stop = true;
          break;
        }
      }
      if (Stop) continue;
      for (const CFGBlock *Succ : B->succs()) Work.push_back(Succ);
    }
    return true;
  }

  /// Is P given to a call that keeps it on success (`transfer_on_success`: device_add()),
  /// with every path to a `return 0` through such a call, the function errno-style
  /// (errnoStyle), P handed nowhere else and its own gets on P as many as its puts (plus
  /// ExtraGets: the initial reference of a device_initialize() the registration keeps)?
  bool registeredOnSuccess(const FunctionFacts &F, const VarDecl *P,
                           llvm::function_ref<const VarDecl *(const Expr *)> ParamOf,
                           unsigned ExtraGets = 0) const {
    std::set<const CallExpr *> Reg;
    unsigned Gets = 0, Puts = 0;
    for (const CallExpr *CE : F.Calls) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      const FunctionRule *CR =
          Callee && Callee->getIdentifier() ? Rules.function(Callee->getNameAsString()) : nullptr;
      for (unsigned K = 0; Callee && K < CE->getNumArgs(); ++K) {
        if (ParamOf(CE->getArg(K)) != P) continue;
        if (!CR) {
          if (!handBackGet(Callee, K).empty()) ++Gets;  // hci_conn_get(conn)
          continue;
        }
        if (CR->Returns == ReturnEffect::Arg && CR->ReturnsArg == K) ++Gets;
        const ArgRule *A = CR->argRule(K);
        if (!A) continue;
        ArgEffect E = effectAt(*A, CE);
        EffectMeaning M = meaningOf(E);
        if (E == ArgEffect::TransferOnSuccess) Reg.insert(CE);
        else if (M.acquires()) ++Gets;
        else if (M.releases() && !M.conditional()) ++Puts;
        else if (M.handsOver() || M.releases()) return false;
      }
    }
    return !Reg.empty() && Gets == Puts + ExtraGets && errnoStyle(F) && successOnlyThrough(F, Reg);
  }

  /// Returns an int that is 0 or a negative errno: every `return` is 0, a negative constant
  /// or a local integer variable (`return err;`), and one is a `return 0`.
  static bool errnoStyle(const FunctionFacts &F) {
    QualType RT = F.FD->getReturnType();
    if (!RT->isSignedIntegerType()) return false;
    bool Zero = false;
    for (const ReturnStmt *RS : F.Returns) {
      const Expr *V = RS->getRetValue();
      if (!V || V->isValueDependent()) return false;
      Expr::EvalResult ER;
      if (V->EvaluateAsInt(ER, F.FD->getASTContext())) {
        if (ER.Val.getInt().isStrictlyPositive()) return false;
        Zero |= ER.Val.getInt().isZero();
        continue;
      }
      const auto *DRE = dyn_cast<DeclRefExpr>(V->IgnoreParenImpCasts());
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (!VD || isa<ParmVarDecl>(VD) || !VD->hasLocalStorage() || !VD->getType()->isIntegerType())
        return false;
    }
    return Zero;
  }

  /// Does every path from the entry to a `return 0` go through one of \p Calls?
  static bool successOnlyThrough(const FunctionFacts &F, const std::set<const CallExpr *> &Calls) {
    const CFG *G = F.cfg();
    if (!G) return false;
    ASTContext &Ctx = F.FD->getASTContext();
    std::vector<const CFGBlock *> Work{&G->getEntry()};
    std::set<const CFGBlock *> Seen{&G->getEntry()};
    while (!Work.empty()) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      bool Through = false;
      for (const CFGElement &E : *B) {
        auto CS = E.getAs<CFGStmt>();
        if (!CS) continue;
        if (const auto *CE = dyn_cast<CallExpr>(CS->getStmt()); CE && Calls.count(CE)) {
          Through = true;
          break;
        }
        if (const auto *RS = dyn_cast<ReturnStmt>(CS->getStmt())) {
          Expr::EvalResult ER;
          const Expr *V = RS->getRetValue();
          if (V && !V->isValueDependent() && V->EvaluateAsInt(ER, Ctx) && ER.Val.getInt().isZero())
            return false;
        }
      }
      if (Through) continue;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        if (const CFGBlock *Next = Succ.getReachableBlock(); Next && Seen.insert(Next).second)
          Work.push_back(Next);
    }
    return true;
  }

  /// Which successor of a branch on `P` / `!P` / `P == NULL` / `P != NULL` has P NULL (-1:
  /// not such a branch).
  static int nullSuccessor(const FunctionFacts &F, const CFGBlock *B, const VarDecl *P) {
    const Stmt *T = B->getTerminatorCondition();
    const auto *Cond = dyn_cast_or_null<Expr>(T);
    if (!Cond) return -1;
    Cond = Cond->IgnoreParenImpCasts();
    bool Negated = false;
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot) {
      Negated = true;
      Cond = UO->getSubExpr()->IgnoreParenImpCasts();
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->isEqualityOp()) {
      const Expr *R = BO->getRHS()->IgnoreParenCasts();
      if (!R->isNullPointerConstant(F.FD->getASTContext(), Expr::NPC_ValueDependentIsNotNull))
        return -1;
      if (BO->getOpcode() == BO_EQ) Negated = !Negated;
      Cond = BO->getLHS()->IgnoreParenImpCasts();
    }
    if (objectVar(Cond) != P) return -1;
    return Negated ? 0 : 1;  // `if (!P)`: the true branch (0) has P NULL
  }

  /// Which successor of a branch on `IS_ERR(P)` / `!IS_ERR_OR_NULL(P)` (an error check of
  /// the rules) has an error value in P, nothing to release (-1: not such a branch).
  int errorSuccessor(const CFGBlock *B, const VarDecl *P) const {
    const auto *Cond = dyn_cast_or_null<Expr>(B->getTerminatorCondition());
    if (!Cond) return -1;
    Cond = Cond->IgnoreParenImpCasts();
    bool Negated = false;
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot) {
      Negated = true;
      Cond = UO->getSubExpr()->IgnoreParenImpCasts();
    }
    const auto *CE = dyn_cast<CallExpr>(Cond);
    const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
    if (!Callee || !Callee->getIdentifier() || CE->getNumArgs() != 1 ||
        !Rules.errorCheck(Callee->getNameAsString()) || objectVar(CE->getArg(0)) != P)
      return -1;
    return Negated ? 1 : 0;
  }

  /// How parameter P leaves an int-returning function, exit by exit: a walk of the CFG with
  /// what happened to P so far (kept, released by one of \p Releases, handed over by one of
  /// \p Stores; nothing on the branch where P is NULL). A `return 0` is a success exit, a
  /// `return` of a negative constant (`-EINVAL`) a failure exit; others (`return ret`) are
  /// neither.
  ExitFacts exitFacts(const FunctionFacts &F, const VarDecl *P,
                      const std::set<const CallExpr *> &Releases,
                      const std::set<const Stmt *> &Stores) const {
    ExitFacts Out;
    const CFG *G = F.cfg();
    if (!G) return Out;
    ASTContext &Ctx = F.FD->getASTContext();
    enum How { Kept, Released, Stored, Null };
    auto kindOf = [&](const ReturnStmt *RS) -> int {  // 0 success, 1 failure, -1 neither
      const Expr *V = RS->getRetValue();
      Expr::EvalResult ER;
      if (!V || V->isValueDependent() || !V->EvaluateAsInt(ER, Ctx)) return -1;
      if (ER.Val.getInt().isZero()) return 0;
      return ER.Val.getInt().isNegative() ? 1 : -1;
    };
    bool StoredElsewhere = false;
    std::set<std::pair<const CFGBlock *, int>> Seen;
    std::vector<std::pair<const CFGBlock *, int>> Work{{&G->getEntry(), Kept}};
    while (!Work.empty()) {
      auto [B, H] = Work.back();
      Work.pop_back();
      if (!Seen.insert({B, H}).second) continue;
      bool Returned = false;
      for (const CFGElement &E : *B) {
        auto CS = E.getAs<CFGStmt>();
        if (!CS) continue;
        const Stmt *S = CS->getStmt();
        if (const auto *CE = dyn_cast<CallExpr>(S); CE && Releases.count(CE) && H == Kept)
          H = Released;
        if (Stores.count(S) && H == Kept) H = Stored;
        const auto *RS = dyn_cast<ReturnStmt>(S);
        if (!RS) continue;
        Returned = true;
        int K = kindOf(RS);
        if (H == Kept && K == 0) Out.SuccessKept = true;
        if (H == Kept && K == 1 &&
            std::find(Out.FailKept.begin(), Out.FailKept.end(), RS) == Out.FailKept.end())
          Out.FailKept.push_back(RS);
        if (H == Released && K == 1) Out.FailReleased = true;
        if (H == Stored && K != 0) StoredElsewhere = true;
      }
      if (Returned) continue;
      if (B == &G->getExit()) {
        if (H == Stored) StoredElsewhere = true;
        continue;
      }
      int Skip = B->succ_size() == 2 ? nullSuccessor(F, B, P) : -1;
      if (B->succ_size() == 2 && Skip < 0) Skip = errorSuccessor(B, P);
      int I = 0;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        const CFGBlock *Next = Succ.getReachableBlock();
        int Here = I++;
        if (!Next) continue;
        Work.push_back({Next, Here == Skip && H == Kept ? Null : H});
      }
    }
    Out.StoredOnlyOnSuccess = !StoredElsewhere;
    std::sort(Out.FailKept.begin(), Out.FailKept.end(),
              [](const ReturnStmt *A, const ReturnStmt *B) {
                return A->getBeginLoc() < B->getBeginLoc();
              });
    return Out;
  }

  /// Is the result of \p CE what the function returns (`return device_register(&f->dev);`,
  /// or `ret = device_register(...); ... return ret;` with `ret` assigned nothing else: a
  /// failure of another call after the registration, undone by device_unregister(), returns
  /// non-zero too and owes nothing)?
  static bool resultReturned(const FunctionFacts &F, const CallExpr *CE) {
    for (const ReturnStmt *RS : F.Returns) {
      const Expr *V = RS->getRetValue();
      if (!V) continue;
      V = V->IgnoreParenCasts();
      if (V == CE) return true;
      const auto *DRE = dyn_cast<DeclRefExpr>(V);
      if (!DRE) continue;
      bool FromCall = false, Other = false;
      for (auto &[VD, E] : F.LocalInits)
        if (VD == DRE->getDecl()) (E->IgnoreParenCasts() == CE ? FromCall : Other) = true;
      if (FromCall && !Other) return true;
    }
    return false;
  }

  /// Is the value of call \p CE (a get that returns its argument) thrown away, or only given
  /// to a call that returns the object's driver data (`dev_get_drvdata(get_device(dev))`)?
  /// Anything else (stored, returned, passed on) may take the reference somewhere else.
  bool resultOnlyLookedAt(const FunctionFacts &F, const CallExpr *CE) const {
    ParentMap PM(F.FD->getBody());
    const Stmt *Child = CE;
    const Stmt *S = PM.getParent(CE);
    while (S && (isa<ParenExpr>(S) || isa<CastExpr>(S))) {
      Child = S;
      S = PM.getParent(S);
    }
    if (!S) return true;
    // A statement of its own (in a block, or the body of an `if (dev)`), not a value given to
    // a return, a declaration or a condition.
    if (!isa<Expr>(S)) {
      if (isa<ReturnStmt>(S) || isa<DeclStmt>(S)) return false;
      if (const auto *If = dyn_cast<IfStmt>(S)) return Child != If->getCond();
      return isa<CompoundStmt>(S) || isa<LabelStmt>(S) || isa<CaseStmt>(S) || isa<DefaultStmt>(S);
    }
    const auto *Outer = dyn_cast<CallExpr>(S);
    const FunctionRule *OR = Outer ? ruleOfCall(Outer) : nullptr;
    if (!OR || OR->Returns != ReturnEffect::DataOf || OR->ReturnsArg >= Outer->getNumArgs())
      return false;
    return Outer->getArg(OR->ReturnsArg) == Child;
  }

  /// Does every path from the function's entry to its exit go through one of \p Releases,
  /// except paths on which \p P is tested NULL (nothing to release there)? A walk of the
  /// function's CFG that may not enter a block making one of those calls.
  static bool releasedOnEveryPath(const FunctionFacts &F, const VarDecl *P,
                                  const std::set<const CallExpr *> &Releases) {
    if (Releases.empty()) return false;
    const CFG *G = F.cfg();
    if (!G) return false;
    auto releases = [&](const CFGBlock *B) {
      for (const CFGElement &E : *B)
        if (auto S = E.getAs<CFGStmt>())
          if (const auto *CE = dyn_cast<CallExpr>(S->getStmt()))
            if (Releases.count(CE)) return true;
      return false;
    };
    auto nullSucc = [&](const CFGBlock *B) { return nullSuccessor(F, B, P); };
    std::vector<const CFGBlock *> Work{&G->getEntry()};
    std::set<const CFGBlock *> Seen{&G->getEntry()};
    while (!Work.empty()) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      if (B == &G->getExit()) return false;
      if (releases(B)) continue;
      int Skip = B->succ_size() == 2 ? nullSucc(B) : -1;
      int I = 0;
      for (const CFGBlock::AdjacentBlock &S : B->succs()) {
        const CFGBlock *Next = S.getReachableBlock();
        if (I++ == Skip || !Next || !Seen.insert(Next).second) continue;
        Work.push_back(Next);
      }
    }
    return true;
  }

  /// Is call CE (that releases parameter P) inside a branch, other than a plain NULL test of
  /// P (`if (np) of_node_put(np);` releases on every path that has something to release)?
  static bool isConditional(const FunctionFacts &F, const CallExpr *CE, const VarDecl *P) {
    ParentMap PM(F.FD->getBody());
    const Stmt *Child = CE;
    for (const Stmt *S = PM.getParent(CE); S; Child = S, S = PM.getParent(S)) {
      if (const auto *If = dyn_cast<IfStmt>(S)) {
        if (Child == If->getCond()) return true;
        const Expr *Cond = If->getCond()->IgnoreParenImpCasts();
        if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
          if (UO->getOpcode() == UO_LNot) Cond = UO->getSubExpr()->IgnoreParenImpCasts();
        if (const auto *BO = dyn_cast<BinaryOperator>(Cond))
          if (BO->isEqualityOp()) Cond = BO->getLHS()->IgnoreParenImpCasts();
        if (objectVar(Cond) == P) continue;
        return true;
      }
      if (isa<SwitchCase>(S) || isa<ConditionalOperator>(S) || isa<BinaryConditionalOperator>(S))
        return true;
      if (const auto *BO = dyn_cast<BinaryOperator>(S))
        if (BO->isLogicalOp() && Child == BO->getRHS()) return true;
    }
    return false;
  }

  /// "file:line" with the file's real (absolute) path: summaries travel to other TUs.
  static std::string whereOf(SourceLocation L, SourceManager &SM) {
    SourceLocation E = SM.getExpansionLoc(L);
    PresumedLoc PL = SM.getPresumedLoc(E, /*UseLineDirectives=*/false);
    if (PL.isInvalid()) return "?";
    std::string File = PL.getFilename();
    if (auto FE = SM.getFileEntryRefForID(SM.getFileID(E))) {
      StringRef Real = FE->getFileEntry().tryGetRealPathName();
      if (!Real.empty()) File = Real.str();
    }
    return File + ":" + std::to_string(PL.getLine());
  }

  /// Names this file calls but does not define (a summary of one of them, from another TU,
  /// can change this file's summaries), and the names it exports with EXPORT_SYMBOL*().
  void collectExternalCalls(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                            SourceManager &SM) {
    std::set<std::string> Defined, Called;
    for (auto &[Canon, F] : Facts) {
      if (!F.FD->getIdentifier()) continue;
      Defined.insert(F.FD->getNameAsString());
      if (F.FD->isExternallyVisible() && SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation())))
        Res.ExternalDefs.push_back(F.FD->getNameAsString());
    }
    auto external = [&](const FunctionDecl *Callee) -> std::string {
      if (!Callee || !Callee->getIdentifier()) return "";
      std::string N = Callee->getNameAsString();
      if (Defined.count(N) || N.rfind("__builtin", 0) == 0) return "";
      const FunctionRule *R = Rules.function(N);
      if (R && !R->Imported) return "";
      return N;
    };
    for (auto &[Canon, F] : Facts) {
      if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) continue;
      for (const CallExpr *CE : F.Calls) {
        std::string N = external(CE->getDirectCallee());
        if (!N.empty()) Called.insert(N);
      }
    }
    // What the exported summaries can depend on: the calls of the non-static functions and of
    // the same-file functions they reach. A change in another file's summary of anything else
    // changes this file's findings (phase 2), not what it exports.
    std::set<std::string> SumCalled;
    std::vector<const FunctionFacts *> Work;
    std::set<const FunctionDecl *> Seen;
    for (auto &[Canon, F] : Facts)
      if (F.FD->isExternallyVisible() && SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation())) &&
          Seen.insert(Canon).second)
        Work.push_back(&F);
    while (!Work.empty()) {
      const FunctionFacts *F = Work.back();
      Work.pop_back();
      for (const CallExpr *CE : F->Calls) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        std::string N = external(Callee);
        if (!N.empty()) SumCalled.insert(N);
        if (!Callee) continue;
        auto It = Facts.find(Callee->getCanonicalDecl());
        if (It != Facts.end() && Seen.insert(It->first).second) Work.push_back(&It->second);
      }
    }
    Res.SummaryCalls.assign(SumCalled.begin(), SumCalled.end());
    // A header's inline function reached from an exported one can call what the file's own
    // functions do not (mdio_device_put() calls mdio_device_free()): those are calls of this
    // file too, or the fingerprints recorded for its calls would miss them and every round
    // would find the file stale.
    Called.insert(SumCalled.begin(), SumCalled.end());
    Res.ExternalCalls.assign(Called.begin(), Called.end());
    StringRef Text = SM.getBufferData(SM.getMainFileID());
    for (const std::string &Export : Rules.exportMacros())  // EXPORT_SYMBOL*(name)
      findExports(Text, Export);
  }

  /// The names the main file exports with macros that start with \p Export.
  void findExports(StringRef Text, StringRef Export) {
    for (size_t Pos = Text.find(Export); Pos != StringRef::npos; Pos = Text.find(Export, Pos + 1)) {
      size_t Open = Text.find('(', Pos);
      if (Open == StringRef::npos) break;
      StringRef Macro = Text.slice(Pos, Open).trim();
      if (Macro.find_first_of(" \t\n;") != StringRef::npos) continue;
      size_t Close = Text.find_first_of(",)", Open);
      if (Close == StringRef::npos) break;
      StringRef Name = Text.slice(Open + 1, Close).trim();
      if (!Name.empty() &&
          Name.find_first_not_of(
              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == StringRef::npos)
        Res.ExportSymbols.push_back(Name.str());
    }
  }

  /// Does pointer type T point to an object of some family (or one embedding it), or is it
  /// void *? True when some family declares no type (anything may be counted then).
  bool pointsToTrackedObject(QualType T) const {
    for (auto &[Name, Fam] : Rules.families())
      if (Fam.Type.empty() || returnTypeFits(T, Name)) return true;
    return false;
  }

  /// Is T (a pointer type) a pointer to the family's object type, to a struct embedding it, or
  /// void *? Families without a declared type accept any pointer.
  bool returnTypeFits(QualType T, const std::string &FamilyName) const {
    const Family *Fam = Rules.family(FamilyName);
    if (!Fam || Fam->Type.empty() || !T->isPointerType()) return true;
    QualType P = T->getPointeeType();
    if (P->isVoidType()) return true;
    auto Named = [&](QualType Q) {
      const RecordDecl *RD = Q->getAsRecordDecl();
      return RD && ("struct " + RD->getNameAsString()) == Fam->Type;
    };
    if (Named(P)) return true;
    if (const RecordDecl *RD = P->getAsRecordDecl())
      for (const FieldDecl *F : RD->fields())
        if (Named(F->getType())) return true;
    return false;
  }

  /// Locals that receive a reference somewhere in the function (flow-insensitive).
  std::map<const VarDecl *, const FunctionRule *>
  acquiredLocals(const FunctionFacts &F,
                 std::map<const VarDecl *, const Expr *> *Sites = nullptr) const {
    std::map<const VarDecl *, const FunctionRule *> AcqVars;
    for (auto &[VD, E] : F.LocalInits)
      if (const FunctionRule *AR = ruleOfCall(E))
        if (AR->Returns == ReturnEffect::Acquired || AR->Returns == ReturnEffect::Arg)
          if (AcqVars.emplace(VD, AR).second && Sites) (*Sites)[VD] = E;  // the first one
    return AcqVars;
  }

  /// Fields that hold references: every store into Record.Field in this file's functions is
  /// a reference (from an acquiring call, or a local that received one) or NULL, and at least
  /// one is a reference. A field that also receives borrowed pointers is not owning.
  void findOwningFields(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                        SourceManager &SM) {
    std::map<std::pair<std::string, std::string>, OwningField> Acq;
    std::set<std::pair<std::string, std::string>> Borrowed;
    for (auto &[Canon, F] : Facts) {
      if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) continue;
      std::map<const VarDecl *, const FunctionRule *> AcqVars;
      std::map<const VarDecl *, const Expr *> Sites;
      std::unique_ptr<ParentMap> PM;
      bool Computed = false;
      for (auto &[L, Rhs] : F.Stores) {
        const auto *ME = dyn_cast<MemberExpr>(L->IgnoreParenImpCasts());
        const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
        if (!FD || !FD->getType()->isPointerType() || !FD->getParent()->getIdentifier()) continue;
        std::pair<std::string, std::string> Key{FD->getParent()->getNameAsString(),
                                                FD->getNameAsString()};
        const Expr *V = Rhs->IgnoreParenCasts();
        if (V->isNullPointerConstant(F.FD->getASTContext(), Expr::NPC_ValueDependentIsNotNull))
          continue;
        if (!Computed) {
          AcqVars = acquiredLocals(F, &Sites);
          Computed = true;
        }
        const FunctionRule *Src = ruleOfCall(V);
        const Expr *Site = V;
        if (Src && Src->Returns != ReturnEffect::Acquired && Src->Returns != ReturnEffect::Arg)
          Src = nullptr;
        if (!Src) {
          auto It = AcqVars.find(objectVar(V));
          if (It != AcqVars.end()) {
            Src = It->second;
            Site = Sites[It->first];
            // `rp->np = port;` inside the loop that walks port, which goes on: the next step
            // drops the reference (a use after put the checker reports), the field holds none.
            if (Src->isIteratorStep() && !keptByLoopExit(F, L, It->first, PM)) continue;
          }
        }
        if (!Src) {
          Borrowed.insert(Key);
          continue;
        }
        if (!Acq.count(Key))
          Acq[Key] = {F.FD->getNameAsString() + "() line " +
                          lineMark(SM.getExpansionLineNumber(L->getBeginLoc())) + ", from " +
                          Src->Name + "()",
                      Src->Family,
                      Src,
                      Site ? Site->IgnoreParenCasts() : nullptr,
                      {}};
        Acq[Key].Storers.insert(F.FD->getCanonicalDecl());
      }
    }
    // A field the rules call borrowed (`struct device.of_node`) belongs to one object and not
    // another: a store of a reference into some device's of_node here says nothing about the
    // device a release callback frees.
    for (auto &[Key, Where] : Acq)
      if (!Borrowed.count(Key) && !Rules.borrowedField(Key.first, Key.second))
        Res.OwningFields[Key] = Where;
  }

  /// Per function, the fields it stores into (`dev->of_node = ...`) or fills with a reference
  /// through an `out_acquire` API (`device_set_of_node_from_dev(&aux->dev, parent)` sets
  /// aux->dev.of_node), as access paths.
  /// A function that frees an object itself (`kfree(tz)`) after it released it
  /// (`put_device(&tz->device)`): the put was not the one that frees the memory (its release
  /// callback only signals, thermal_release() completing tz->removal), or the kfree() would
  /// free it twice.
  void findFreedAfterPut(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                         SourceManager &SM) {
    for (auto &[Canon, F] : Facts) {
      std::vector<std::pair<const VarDecl *, SourceLocation>> Released, Freed;
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        for (size_t K = 0; R && K < R->Args.size(); ++K) {
          const ArgRule &A = R->Args[K];
          if (A.Index >= CE->getNumArgs()) continue;
          EffectMeaning M = meaningOf(A.Effect);
          const VarDecl *V = objectVar(CE->getArg(A.Index));
          if (!V) continue;
          SourceLocation L = SM.getExpansionLoc(CE->getBeginLoc());
          if (M.mayDo(RefChange::Free)) Freed.push_back({V, L});
          else if (M.releases()) Released.push_back({V, L});
        }
      }
      for (auto &[V, FL] : Freed)
        for (auto &[RV, RL] : Released)
          if (RV == V && SM.isBeforeInTranslationUnit(RL, FL)) Res.FreedAfterPut[Canon].insert(V);
    }
  }

  /// The pointer variable whose failure Cond tests: `IS_ERR(R)` (an error check of the rules),
  /// `!R`, `R == NULL`.
  const VarDecl *failureTested(const Expr *Cond, ASTContext &AC) const {
    Cond = Cond->IgnoreParenImpCasts();
    auto Local = [](const Expr *E) -> const VarDecl * {
      const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      return VD && VD->hasLocalStorage() && VD->getType()->isPointerType() ? VD : nullptr;
    };
    if (const auto *CE = dyn_cast<CallExpr>(Cond)) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 1) return nullptr;
      std::optional<ErrCheckKind> K = Rules.errorCheck(FD->getNameAsString());
      if (!K || (*K != ErrCheckKind::IsErr && *K != ErrCheckKind::IsErrOrNull)) return nullptr;
      return Local(CE->getArg(0));
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
      return UO->getOpcode() == UO_LNot ? Local(UO->getSubExpr()) : nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond))
      if (BO->getOpcode() == BO_EQ &&
          BO->getRHS()->isNullPointerConstant(AC, Expr::NPC_ValueDependentIsNotNull))
        return Local(BO->getLHS());
    return nullptr;
  }

  static bool leavesFunction(const Stmt *S) {
    if (!S) return false;
    if (isa<ReturnStmt>(S) || isa<GotoStmt>(S)) return true;
    for (const Stmt *Sub : S->children())
      if (leavesFunction(Sub)) return true;
    return false;
  }

  void findReleasedOnFailedResult(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                                  SourceManager &SM) {
    for (auto &[Canon, F] : Facts) {
      std::unique_ptr<ParentMap> PM;
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        for (size_t K = 0; R && K < R->Args.size(); ++K) {
          const ArgRule &A = R->Args[K];
          if (A.Index >= CE->getNumArgs() || !meaningOf(A.Effect).releases()) continue;
          const VarDecl *V = objectVar(CE->getArg(A.Index));
          if (!V) continue;
          if (!PM) PM = std::make_unique<ParentMap>(F.FD->getBody());
          const Stmt *Child = CE;
          for (const Stmt *P = PM->getParent(Child); P; Child = P, P = PM->getParent(P)) {
            const auto *If = dyn_cast<IfStmt>(P);
            if (!If || If->getThen() != Child || !If->getCond()) continue;
            // A failure exit of its own (`if (ret) { put(np); return ret; }`) says nothing
            // about what a later `return ret;` hands over.
            if (leavesFunction(If->getThen())) break;
            const VarDecl *Res = failureTested(If->getCond(), F.FD->getASTContext());
            if (!Res || Res == V) continue;
            auto [Pos, New] =
                this->Res.ReleasedOnFailedResult[Canon].insert({{V, Res}, If->getEndLoc()});
            if (!New && SM.isBeforeInTranslationUnit(If->getEndLoc(), Pos->second))
              Pos->second = If->getEndLoc();
          }
        }
      }
    }
  }

  void findStoredFields(const std::map<const FunctionDecl *, FunctionFacts> &Facts) {
    for (auto &[Canon, F] : Facts) {
      std::set<std::string> Paths;
      for (auto &[L, Rhs] : F.Stores)
        if (isa<MemberExpr>(L->IgnoreParenImpCasts()))
          if (std::string P = accessPath(L); !P.empty()) Paths.insert(P);
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        for (size_t K = 0; R && K < R->Args.size(); ++K) {
          const ArgRule &A = R->Args[K];
          if (A.Effect != ArgEffect::OutAcquire || A.Index >= CE->getNumArgs()) continue;
          const Expr *Arg = CE->getArg(A.Index);
          QualType T = Arg->IgnoreParenImpCasts()->getType();
          const RecordDecl *RD =
              T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
          std::string Base = accessPath(Arg);
          if (!RD || Base.empty()) continue;
          for (const FieldDecl *FD : RD->fields())
            if (FD->getName() == A.Field)
              Paths.insert(Base + ".f" +
                           std::to_string(reinterpret_cast<uintptr_t>(FD->getCanonicalDecl())));
        }
      }
      if (!Paths.empty()) Res.StoredFields[Canon] = std::move(Paths);
    }
  }

  /// A store of iterator variable V (destination L): made outside the loop that walks V, or
  /// inside it right before leaving it (`d->np = np; break;`): the stored pointer keeps the
  /// iterator's reference. Inside the loop otherwise, the next step drops it.
  bool keptByLoopExit(const FunctionFacts &F, const Expr *L, const VarDecl *V,
                      std::unique_ptr<ParentMap> &PM) const {
    if (!PM) PM = std::make_unique<ParentMap>(F.FD->getBody());
    const Stmt *Store = L;
    while (Store && !isa<BinaryOperator>(Store)) Store = PM->getParent(Store);
    if (!Store) return true;
    const Stmt *Child = Store;
    const Stmt *Next = nullptr;  // the statement after the store in its block
    bool First = true;
    for (const Stmt *P = PM->getParent(Store); P; Child = P, P = PM->getParent(P)) {
      if (First) {
        First = false;
        if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
          for (auto It = CS->body_begin(); It != CS->body_end(); ++It)
            if (*It == Child && It + 1 != CS->body_end()) Next = *(It + 1);
        }
      }
      const Stmt *Cond = nullptr, *Inc = nullptr;
      if (const auto *FS = dyn_cast<ForStmt>(P)) Cond = FS->getCond(), Inc = FS->getInc();
      else if (const auto *WS = dyn_cast<WhileStmt>(P)) Cond = WS->getCond();
      else if (const auto *DS = dyn_cast<DoStmt>(P)) Cond = DS->getCond();
      else continue;
      if (!mentions(Cond, V) && !mentions(Inc, V)) continue;
      // Inside the loop that walks V.
      return Next && (isa<BreakStmt>(Next) || isa<ReturnStmt>(Next) || isa<GotoStmt>(Next));
    }
    return true;
  }

  /// Is E a reference the function owns: an acquiring call (`of_node_get(np)`), a local that
  /// received one, or one the function took with a get whose result it threw away
  /// (`of_node_get(nc); device_set_node(&spi->dev, of_fwnode_handle(nc))`)? Looks through
  /// passthrough calls (no_free_ptr()) and of_fwnode_handle()-style statement expressions.
  bool isOwnedValue(const FunctionFacts &F, const Expr *E, std::unique_ptr<ParentMap> &PM) const {
    for (int Depth = 0; E && Depth < 8; ++Depth) {
      E = E->IgnoreParenCasts();
      if (const auto *SE = dyn_cast<StmtExpr>(E)) {
        // no_free_ptr(node)'s __get_and_null(): ({ __auto_type __ptr = &(node);
        // __auto_type __val = *__ptr; *__ptr = NULL; __val; }): the value is node's.
        if (const Expr *Taken = getAndNullSource(SE)) {
          E = Taken;
          continue;
        }
        // ({ typeof(node) tmp = (node); tmp ? &tmp->fwnode : NULL; })
        const CompoundStmt *CS = SE->getSubStmt();
        const auto *DS = CS && !CS->body_empty() ? dyn_cast<DeclStmt>(CS->body_front()) : nullptr;
        const auto *VD =
            DS && DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl()) : nullptr;
        E = VD ? VD->getInit() : nullptr;
        continue;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf) {
        const auto *ME = dyn_cast<MemberExpr>(UO->getSubExpr()->IgnoreParens());
        E = ME && ME->isArrow() ? ME->getBase() : nullptr;  // &np->fwnode: np's reference
        continue;
      }
      if (const FunctionRule *R = ruleOfCall(E)) {
        if (R->Returns == ReturnEffect::Acquired || R->Returns == ReturnEffect::Arg) return true;
        const auto *CE = cast<CallExpr>(E);
        if (R->Returns != ReturnEffect::Passthrough || R->ReturnsArg >= CE->getNumArgs())
          return false;
        E = CE->getArg(R->ReturnsArg);
        continue;
      }
      const VarDecl *V = objectVar(E);
      if (!V || !V->hasLocalStorage() || !isa<DeclRefExpr>(E)) return false;
      if (acquiredLocals(F).count(V)) return true;
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        if (!R || R->Returns != ReturnEffect::Arg || R->ReturnsArg >= CE->getNumArgs() ||
            objectVar(CE->getArg(R->ReturnsArg)) != V)
          continue;
        if (!PM) PM = std::make_unique<ParentMap>(F.FD->getBody());
        const Stmt *P = PM->getParentIgnoreParenCasts(CE);
        if (!P || isa<CompoundStmt>(P)) return true;  // `of_node_get(nc);`
      }
      return false;
    }
    return false;
  }

  /// The variable a statement expression of __get_and_null()'s shape takes the value of
  /// (`({ __auto_type __ptr = &(p); __auto_type __val = *__ptr; *__ptr = NULL; __val; })`:
  /// p), or nullptr.
  static const Expr *getAndNullSource(const StmtExpr *SE) {
    const CompoundStmt *CS = SE->getSubStmt();
    if (!CS || CS->body_empty()) return nullptr;
    // The initialiser of a variable the statement expression itself declares.
    auto InitOf = [&](const Expr *X) -> const Expr * {
      const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts());
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      if (!VD || !VD->getInit()) return nullptr;
      for (const Stmt *S : CS->body())
        if (const auto *DS = dyn_cast<DeclStmt>(S))
          for (const Decl *D : DS->decls())
            if (D == VD) return VD->getInit();
      return nullptr;
    };
    const auto *Last = dyn_cast<Expr>(CS->body_back());
    const Expr *Val = Last ? InitOf(Last) : nullptr;
    const auto *Deref = Val ? dyn_cast<UnaryOperator>(Val->IgnoreParenImpCasts()) : nullptr;
    if (!Deref || Deref->getOpcode() != UO_Deref) return nullptr;
    const Expr *Ptr = InitOf(Deref->getSubExpr());
    const auto *Addr = Ptr ? dyn_cast<UnaryOperator>(Ptr->IgnoreParenImpCasts()) : nullptr;
    if (!Addr || Addr->getOpcode() != UO_AddrOf) return nullptr;
    return Addr->getSubExpr();
  }

  /// The field chains (fields::fieldChains) the file's functions fill with an owned reference:
  /// `client->dev.of_node = of_node_get(np)`, an `out_acquire` API, or a setter rule
  /// (`transfer` with `into` and `field`: device_set_node(&spi->dev, ...)).
  void findOwnedFieldChains(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                            SourceManager &SM) {
    auto Add = [&](std::vector<std::string> Chains) {
      for (std::string &C : Chains) Res.OwnedFieldChains.insert(std::move(C));
    };
    auto FieldOf = [](const Expr *Obj, const std::string &Name) -> const FieldDecl * {
      QualType T = Obj->IgnoreParenImpCasts()->getType();
      const RecordDecl *RD = T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
      if (RD)
        for (const FieldDecl *FD : RD->fields())
          if (FD->getName() == Name) return FD;
      return nullptr;
    };
    for (auto &[Canon, F] : Facts) {
      if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) continue;
      std::unique_ptr<ParentMap> PM;
      for (auto &[L, Rhs] : F.Stores)
        if (isa<MemberExpr>(L->IgnoreParenImpCasts()) && isOwnedValue(F, Rhs, PM))
          Add(fields::fieldChains(L));
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        for (size_t K = 0; R && K < R->Args.size(); ++K) {
          const ArgRule &A = R->Args[K];
          if (A.Field.empty() || A.Index >= CE->getNumArgs()) continue;
          if (A.Effect == ArgEffect::OutAcquire) {
            if (const FieldDecl *FD = FieldOf(CE->getArg(A.Index), A.Field))
              Add(fields::fieldChains(CE->getArg(A.Index), FD));
          } else if (A.Effect == ArgEffect::Transfer && A.Into >= 0 &&
                     static_cast<unsigned>(A.Into) < CE->getNumArgs() &&
                     isOwnedValue(F, CE->getArg(A.Index), PM)) {
            if (const FieldDecl *FD = FieldOf(CE->getArg(A.Into), A.Field))
              Add(fields::fieldChains(CE->getArg(A.Into), FD));
          }
        }
      }
    }
  }

  /// PrepassResult::KindTestedParams: a type test of a pointer parameter that is a statement of
  /// the function's body, `if (dev->bus != &G) return ...;` (either operand order; the
  /// parameter never assigned), where the file stores &G into that member of an embedded object
  /// (`aux_ep->dev.bus = &G`, chain "dp_aux_ep_device.dev.bus"): past the test the parameter is
  /// the `dev` of such an object (the kernel's own kind test: i2c_verify_client()'s
  /// `dev->type == &i2c_client_type`).
  void findKindTestedParams(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                            SourceManager &SM) {
    auto AddressedGlobal = [](const Expr *E) -> const VarDecl * {
      const auto *UO = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
      if (!UO || UO->getOpcode() != UO_AddrOf) return nullptr;
      const auto *DRE = dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts());
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      return VD && VD->hasGlobalStorage() ? VD->getCanonicalDecl() : nullptr;
    };
    // (member, global) -> the chains of the embedded objects whose member holds &global.
    std::map<std::pair<const FieldDecl *, const VarDecl *>, std::set<std::string>> Tags;
    for (auto &[Canon, F] : Facts) {
      if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) continue;
      for (auto &[L, Rhs] : F.Stores) {
        const auto *ME = dyn_cast<MemberExpr>(L->IgnoreParenImpCasts());
        const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
        const VarDecl *G = FD ? AddressedGlobal(Rhs) : nullptr;
        if (!G) continue;
        for (const std::string &C : fields::fieldChains(L))
          Tags[{FD, G}].insert(C.substr(0, C.rfind('.')));
      }
    }
    if (Tags.empty()) return;
    for (auto &[Canon, F] : Facts) {
      if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) continue;
      const auto *Body = dyn_cast_or_null<CompoundStmt>(F.FD->getBody());
      if (!Body) continue;
      for (const Stmt *S : Body->body()) {
        const auto *If = dyn_cast<IfStmt>(S);
        if (!If || If->getElse() || If->getInit() || If->getConditionVariable()) continue;
        const Stmt *Then = If->getThen();
        if (const auto *CS = dyn_cast<CompoundStmt>(Then); CS && CS->size() == 1)
          Then = CS->body_front();
        if (!isa<ReturnStmt>(Then)) continue;
        const auto *BO = dyn_cast<BinaryOperator>(If->getCond()->IgnoreParenImpCasts());
        if (!BO || BO->getOpcode() != BO_NE) continue;
        for (auto [A, B] :
             {std::pair(BO->getLHS(), BO->getRHS()), std::pair(BO->getRHS(), BO->getLHS())}) {
          const auto *ME = dyn_cast<MemberExpr>(A->IgnoreParenImpCasts());
          const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
          const VarDecl *G = FD && ME->isArrow() ? AddressedGlobal(B) : nullptr;
          const auto *DRE =
              G ? dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()) : nullptr;
          const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
          if (!P) continue;
          auto It = Tags.find({FD, G});
          if (It == Tags.end()) continue;
          bool Assigned = false;
          for (auto &[VD, Init] : F.LocalInits) Assigned |= VD == P;
          if (Assigned) continue;
          auto &Entry = Res.KindTestedParams[P];
          Entry.first = SM.getExpansionLoc(If->getEndLoc());
          Entry.second.insert(It->second.begin(), It->second.end());
        }
      }
    }
  }

  /// Fields whose value some function (of the TU, headers included) passes to a rule argument
  /// that releases it or hands it over (`of_node_put(priv->np)`, `devm_add_action_or_reset(dev,
  /// fn, priv->np)`), directly, inside the argument, or through a local read from the field.
  void findReleasedFields(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                          const SourceManager &SM) {
    std::function<void(const Stmt *, const FunctionFacts &, int)> Note = [&](const Stmt *S,
                                                                             const FunctionFacts &F,
                                                                             int Depth) {
      if (!S || Depth > 4) return;
      if (const auto *ME = dyn_cast<MemberExpr>(S))
        if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
            FD && FD->getParent()->getIdentifier()) {
          Res.ReleasedFields.insert({FD->getParent()->getNameAsString(), FD->getNameAsString()});
          if (std::string Key = fields::sharedFieldKey(FD, SM); !Key.empty())
            Res.SharedReleasedFields.insert(Key);
        }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && VD->hasLocalStorage())
          for (auto &[V, E] : F.LocalInits)
            if (V == VD) Note(E, F, Depth + 1);
        // A global variable's value released (`of_node_put(stdout_path)`): ("", name).
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && VD->hasGlobalStorage())
          Res.ReleasedFields.insert({"", VD->getNameAsString()});
      }
      for (const Stmt *C : S->children()) Note(C, F, Depth);
    };
    for (auto &[Canon, F] : Facts)
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        for (size_t K = 0; R && K < R->Args.size(); ++K) {
          const ArgRule &A = R->Args[K];
          EffectMeaning M = meaningOf(A.Effect);
          if (A.Index < CE->getNumArgs() && (M.releases() || M.handsOver()))
            Note(CE->getArg(A.Index), F, 0);
        }
      }
  }

  /// PrepassResult::HandleFields: the parameter `p` of a main-file put function whose release
  /// argument is a member chain rooted at p whose first member is a pointer (`p->dev`,
  /// `&p->chip->dev`). A release callback drops the object's own references, and a parameter
  /// of the family's own type (`struct device *`) or one embedding it (`&pdev->dev`) is the
  /// object itself, not a handle to it: none of them is evidence.
  void findHandleFields(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                        const SourceManager &SM) {
    // Fields the file fills with the address of an object embedded in another (`mc->dev =
    // &pdev->dev;`): they point at the device whose driver data the struct is, not at another
    // device read from somewhere (`mc->parent = pdev->dev.parent;`).
    std::set<const FieldDecl *> SelfStored;
    for (auto &[Canon, F] : Facts)
      for (auto &[L, Rhs] : F.Stores) {
        const auto *LM = dyn_cast<MemberExpr>(L->IgnoreParenCasts());
        const auto *UO = dyn_cast<UnaryOperator>(Rhs->IgnoreParenCasts());
        if (LM && UO && UO->getOpcode() == UO_AddrOf &&
            isa<MemberExpr>(UO->getSubExpr()->IgnoreParenCasts()))
          if (const auto *FD = dyn_cast<FieldDecl>(LM->getMemberDecl())) SelfStored.insert(FD);
      }
    for (auto &[Canon, F] : Facts) {
      if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) continue;
      if (Res.ReleaseCallbacks.count(Canon)) continue;
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        if (!R || R->Family.empty()) continue;
        const Family *Fam = Rules.family(R->Family);
        for (const ArgRule &A : R->Args) {
          if (A.Index >= CE->getNumArgs() || !meaningOf(A.Effect).releases()) continue;
          const Expr *E = CE->getArg(A.Index)->IgnoreParenCasts();
          if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
            E = UO->getSubExpr()->IgnoreParenCasts();
          const FieldDecl *First = nullptr;
          while (const auto *ME = dyn_cast<MemberExpr>(E)) {
            First = dyn_cast<FieldDecl>(ME->getMemberDecl());
            if (!First) break;
            E = ME->getBase()->IgnoreParenCasts();
          }
          const auto *DRE = dyn_cast<DeclRefExpr>(E);
          const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
          // A devm action's typed alias of its `void *data` (`struct tegra_mc *mc = data;`,
          // tegra_mc_devm_action_put_device()): the parameter under another type.
          const VarDecl *Alias = nullptr;
          if (!P && DRE)
            if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) Alias = VD;
          if (Alias && F.FD->getNumParams() == 1 &&
              F.FD->getParamDecl(0)->getType()->isVoidPointerType()) {
            unsigned Inits = 0;
            bool FromParam = false;
            for (auto &[VD, Init] : F.LocalInits)
              if (VD == Alias) {
                ++Inits;
                const auto *IR = dyn_cast<DeclRefExpr>(Init->IgnoreParenCasts());
                FromParam = IR && IR->getDecl() == F.FD->getParamDecl(0);
              }
            if (Inits != 1 || !FromParam) Alias = nullptr;
          } else {
            Alias = nullptr;
          }
          const VarDecl *Handle = P ? P : Alias;
          if (!First || !Handle || !Handle->getType()->isPointerType()) continue;
          const RecordDecl *RD = Handle->getType()->getPointeeType()->getAsRecordDecl();
          if (!RD || !RD->getIdentifier() || First->getParent() != RD) continue;
          // `put_device(&pdev->dev)`: the parameter embeds the object (it is the object), a
          // handle points to it.
          if (!First->getType()->isPointerType()) continue;
          std::string Record = RD->getNameAsString();
          if (Fam && Fam->Type == "struct " + Record) continue;
          if (!Alias) Res.HandleFields.insert({R->Family, Record, First->getNameAsString()});
          else if (SelfStored.count(First))
            Res.HandleActions[Canon].insert({R->Family, Record, First->getNameAsString()});
        }
      }
    }
  }

  /// PrepassResult::HandleLookups: a handle's put function. The file gives out handles of type
  /// `struct R *`, R no family's counted object: a function callers can reach (not static,
  /// not a release callback) returns one read from a field of a local (wwan_get_debugfs_dir()
  /// returns `wwandev->debugfs_dir`). Another such function takes an R back as a parameter,
  /// finds the object by it (a local initialised once from a call given that parameter:
  /// `wwandev = wwan_dev_get_by_debugfs(dir)`) and releases it in two or more statements of
  /// its body's top level, one after the other on every path that gets there
  /// (`put_device(&wwandev->dev); put_device(&wwandev->dev);`): the lookup's reference and the
  /// one the handle carried back. R goes into HandleFields with an empty field: a getter
  /// returning an R read from an object it holds hands the reference over with it.
  void findHandleLookups(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                         const SourceManager &SM) {
    auto Callable = [&](const FunctionDecl *Canon, const FunctionFacts &F) {
      return F.FD->isExternallyVisible() && !Res.ReleaseCallbacks.count(Canon) &&
             SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()));
    };
    // The handle types the file gives out: `struct R *` values a function callers can reach
    // returns read from a field of a local (`return wwandev->debugfs_dir;`), R not a counted
    // object of any family (a `struct device *` passed in is a key, not a handle).
    std::set<std::string> CountedTypes;
    for (auto &[Name, Fam] : Rules.families()) CountedTypes.insert(Fam.Type);
    std::set<const Decl *> GivenOut;
    for (auto &[Canon, F] : Facts) {
      if (!Callable(Canon, F)) continue;
      for (const ReturnStmt *RS : F.Returns) {
        const auto *ME = RS->getRetValue()
                             ? dyn_cast<MemberExpr>(RS->getRetValue()->IgnoreParenCasts())
                             : nullptr;
        if (!ME || !ME->isArrow() || !ME->getType()->isPointerType()) continue;
        const auto *Base = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenCasts());
        const auto *BV = Base ? dyn_cast<VarDecl>(Base->getDecl()) : nullptr;
        if (!BV || !BV->hasLocalStorage() || isa<ParmVarDecl>(BV)) continue;
        const RecordDecl *RD = ME->getType()->getPointeeType()->getAsRecordDecl();
        if (RD && RD->getIdentifier() && !CountedTypes.count("struct " + RD->getNameAsString()))
          GivenOut.insert(RD->getCanonicalDecl());
      }
    }
    if (GivenOut.empty()) return;
    auto VarOf = [](const Expr *E) -> const VarDecl * {
      E = E->IgnoreParenCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
        E = UO->getSubExpr()->IgnoreParenCasts();
      while (const auto *ME = dyn_cast<MemberExpr>(E)) {
        E = ME->getBase()->IgnoreParenCasts();
        if (ME->isArrow()) break;
      }
      const auto *DRE = dyn_cast<DeclRefExpr>(E);
      return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    };
    for (auto &[Canon, F] : Facts) {
      const auto *Body = dyn_cast_or_null<CompoundStmt>(F.FD->getBody());
      if (!Callable(Canon, F) || !Body) continue;
      // The locals given their value once, by a call taking a handle parameter.
      std::map<const VarDecl *, const ParmVarDecl *> Keyed;
      std::map<const VarDecl *, unsigned> Inits;
      for (auto &[VD, Init] : F.LocalInits) {
        ++Inits[VD];
        const auto *CE = dyn_cast<CallExpr>(Init->IgnoreParenCasts());
        if (!CE || !VD->getType()->isPointerType()) continue;
        for (const Expr *A : CE->arguments())
          if (const auto *DRE = dyn_cast<DeclRefExpr>(A->IgnoreParenCasts()))
            if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl());
                P && P->getType()->isPointerType())
              if (const RecordDecl *RD = P->getType()->getPointeeType()->getAsRecordDecl();
                  RD && GivenOut.count(RD->getCanonicalDecl()))
                Keyed[VD] = P;
      }
      // Releases of each local at the body's top level (statements every path to the end of
      // the body passes through, in order).
      std::map<const VarDecl *, std::pair<unsigned, std::string>> Puts;
      for (const Stmt *S : Body->body()) {
        const auto *CE = dyn_cast<CallExpr>(S);
        const FunctionRule *R = CE ? ruleOfCall(CE) : nullptr;
        if (!R) continue;
        for (const ArgRule &A : R->Args) {
          if (A.Index >= CE->getNumArgs() || !meaningOf(A.Effect).releases()) continue;
          const VarDecl *V = VarOf(CE->getArg(A.Index));
          if (!V || !Keyed.count(V)) continue;
          ++Puts[V].first;
          Puts[V].second = A.Family.empty() ? R->Family : A.Family;
        }
      }
      for (auto &[V, N] : Puts) {
        if (N.first < 2 || Inits[V] != 1 || N.second.empty()) continue;
        Res.HandleLookups.insert(V);
        const RecordDecl *RD = Keyed[V]->getType()->getPointeeType()->getAsRecordDecl();
        Res.HandleFields.insert({N.second, RD->getNameAsString(), std::string()});
      }
    }
  }

  /// Is E a pointer borrowed from a field the rules name (`dev->of_node`), directly or through
  /// a local that is only ever such a field?
  bool isBorrowedRead(const FunctionFacts &F, const Expr *E, int Depth = 0) const {
    E = E->IgnoreParenCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
      return FD && FD->getParent()->getIdentifier() &&
             Rules.borrowedField(FD->getParent()->getNameAsString(), FD->getNameAsString());
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) || Depth > 0) return false;
    bool Any = false;
    for (auto &[VD, Init] : F.LocalInits) {
      if (VD != V) continue;
      if (!isBorrowedRead(F, Init, Depth + 1)) return false;
      Any = true;
    }
    return Any;
  }

  /// The fields and globals that every store of the TU fills with a borrowed pointer, and the
  /// globals stored into at all (PrepassResult::BorrowedStores, StoredGlobals).
  void findBorrowedStores(const std::map<const FunctionDecl *, FunctionFacts> &Facts) {
    std::map<std::pair<std::string, std::string>, bool> AllBorrowed;
    auto keyOf = [](const Expr *L) -> std::optional<std::pair<std::string, std::string>> {
      L = L->IgnoreParenImpCasts();
      if (const auto *ME = dyn_cast<MemberExpr>(L)) {
        const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
        if (FD && FD->getParent()->getIdentifier())
          return std::make_pair(FD->getParent()->getNameAsString(), FD->getNameAsString());
      } else if (const auto *DRE = dyn_cast<DeclRefExpr>(L)) {
        if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()); V && V->hasGlobalStorage())
          return std::make_pair(std::string(), V->getNameAsString());
      }
      return std::nullopt;
    };
    for (auto &[Canon, F] : Facts) {
      for (auto &[L, Rhs] : F.Stores) {
        auto K = keyOf(L);
        if (!K) continue;
        if (K->first.empty()) Res.StoredGlobals.insert(K->second);
        bool B = isBorrowedRead(F, Rhs);
        auto [It, New] = AllBorrowed.insert({*K, B});
        if (!New) It->second = It->second && B;
      }
      // A field filled through an out_acquire API holds a reference of its own.
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        for (size_t I = 0; R && I < R->Args.size(); ++I) {
          const ArgRule &A = R->Args[I];
          if (A.Effect != ArgEffect::OutAcquire || A.Index >= CE->getNumArgs()) continue;
          QualType T = CE->getArg(A.Index)->IgnoreParenImpCasts()->getType();
          const RecordDecl *RD =
              T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
          if (RD && RD->getIdentifier()) AllBorrowed[{RD->getNameAsString(), A.Field}] = false;
        }
      }
    }
    for (auto &[K, B] : AllBorrowed)
      if (B) Res.BorrowedStores.insert(K);
  }

  /// `of_node_get(x)` whose result is thrown away, x read from Record.Field (directly or through
  /// a local that is only ever that field): the file keeps a reference on that field's value.
  void findKeptFields(const std::map<const FunctionDecl *, FunctionFacts> &Facts,
                      SourceManager &SM) {
    for (auto &[Canon, F] : Facts) {
      if (!SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()))) continue;
      std::unique_ptr<ParentMap> PM;
      for (const CallExpr *CE : F.Calls) {
        const FunctionRule *R = ruleOfCall(CE);
        if (!R || R->Returns != ReturnEffect::Arg || R->ReturnsArg >= CE->getNumArgs()) continue;
        if (!PM) PM = std::make_unique<ParentMap>(F.FD->getBody());
        const Stmt *P = PM->getParentIgnoreParenCasts(CE);
        if (P && !isa<CompoundStmt>(P)) continue;  // the result is used
        const Expr *A = CE->getArg(R->ReturnsArg)->IgnoreParenImpCasts();
        const MemberExpr *ME = dyn_cast<MemberExpr>(A);
        if (!ME) {
          const VarDecl *V = objectVar(A);
          for (auto &[VD, E] : F.LocalInits) {
            if (VD != V) continue;
            const auto *M = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
            if (!M || (ME && M->getMemberDecl() != ME->getMemberDecl())) {
              ME = nullptr;
              break;
            }
            ME = M;
          }
        }
        const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
        if (FD && FD->getParent()->getIdentifier())
          Res.KeptFields.insert({FD->getParent()->getNameAsString(), FD->getNameAsString()});
      }
    }
  }

  /// `&local` / `&local.field` of a local (non-static) variable: an object on this stack.
  static bool isAddressOfLocal(const Expr *E) {
    const auto *UO = dyn_cast<UnaryOperator>(E->IgnoreParenCasts());
    if (!UO || UO->getOpcode() != UO_AddrOf) return false;
    const Expr *Sub = UO->getSubExpr()->IgnoreParens();
    while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
      if (ME->isArrow()) return false;
      Sub = ME->getBase()->IgnoreParens();
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(Sub);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage();
  }

  /// The variable a store's destination hangs off: `p->a.b[i]` -> p, `*pp` -> pp, `g` -> g.
  static const Expr *storeRoot(const Expr *L) {
    for (;;) {
      L = L->IgnoreParenCasts();
      if (const auto *ME = dyn_cast<MemberExpr>(L)) L = ME->getBase();
      else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(L)) L = AS->getBase();
      else if (const auto *UO = dyn_cast<UnaryOperator>(L); UO && UO->getOpcode() == UO_Deref)
        L = UO->getSubExpr();
      else return L;
    }
  }

  /// Returns one of its pointer parameters, or a pointer computed from one (`return
  /// container_of(dev, ...)`, `bridge = to_fpga_bridge(dev); ... return bridge;`): inlined,
  /// the caller's reference flows through (fpga_bridge_get() returns what class_find_device()
  /// found, inside the struct __fpga_bridge_get() computes).
  static bool returnsParam(const FunctionFacts &F) {
    if (!F.FD->getReturnType()->isPointerType()) return false;
    // A parameter itself or a part of its object (`&dev->x`), or a container_of() of it (a
    // statement expression over it); not the result of a call it is passed to.
    auto FromParam = [&](const Expr *E) {
      E = E->IgnoreParenCasts();
      if (const VarDecl *VD = objectVar(E); VD && isa<ParmVarDecl>(VD)) return true;
      if (!isa<StmtExpr>(E)) return false;
      for (const ParmVarDecl *P : F.FD->parameters())
        if (P->getType()->isPointerType() && mentions(E, P)) return true;
      return false;
    };
    for (const ReturnStmt *RS : F.Returns) {
      const Expr *RV = RS->getRetValue();
      if (!RV) continue;
      const VarDecl *VD = objectVar(RV);
      if (VD && isa<ParmVarDecl>(VD)) return true;
      if (FromParam(RV)) return true;
      if (!VD || !VD->hasLocalStorage()) continue;
      for (auto &[V, Init] : F.LocalInits)
        if (V == VD && FromParam(Init)) return true;
      for (auto &[L, Rhs] : F.Stores)
        if (objectVar(L) == VD && isa<DeclRefExpr>(L->IgnoreParenCasts()) && FromParam(Rhs))
          return true;
    }
    return false;
  }

  static bool mentions(const Stmt *S, const VarDecl *VD) {
    if (!S) return false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (DRE->getDecl() == VD) return true;
    for (const Stmt *C : S->children())
      if (mentions(C, VD)) return true;
    return false;
  }

  RuleSet &Rules;
  PrepassResult &Res;
  bool Strip;
  const SourceManager *SM = nullptr;
  const LangOptions *LangOpts = nullptr;
  std::set<std::string> FileRuleNames;
  /// Functions of the TU that get a reference on a parameter's object and hand the parameter
  /// back (hci_conn_get(): `get_device(&conn->dev); return conn;`): no rule (they are inlined
  /// for the value), but a caller's own get all the same. Parameter index -> family.
  std::map<const FunctionDecl *, std::map<unsigned, std::string>> HandBackGets;

  /// The family of the reference a call to Callee takes on its argument K for the caller, if
  /// Callee is such a hand-back getter ("" if not).
  std::string handBackGet(const FunctionDecl *Callee, unsigned K) const {
    auto It = HandBackGets.find(Callee->getCanonicalDecl());
    if (It == HandBackGets.end()) return "";
    auto At = It->second.find(K);
    return At == It->second.end() ? "" : At->second;
  }
};

}  // namespace

std::unique_ptr<ASTConsumer> makePrepassConsumer(RuleSet &Rules, PrepassResult &Res,
                                                 bool StripIrrelevantBodies) {
  return std::make_unique<PrepassConsumer>(Rules, Res, StripIrrelevantBodies);
}

}  // namespace krefcheck
