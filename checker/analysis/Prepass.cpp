#include "analysis/Prepass.h"

#include "analysis/AstUtil.h"
#include "rules/Rules.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include <map>
#include <set>

using namespace clang;

namespace krefcheck {
namespace {

bool isRelevantRule(const FunctionRule &R) {
  if (R.Returns != ReturnEffect::None) return true;
  for (const ArgRule &A : R.Args)
    if (A.Effect == ArgEffect::Release || A.Effect == ArgEffect::Acquire ||
        A.Effect == ArgEffect::AcquireOnFailure || A.Effect == ArgEffect::OutAcquire)
      return true;
  return false;
}

struct FunctionFacts {
  FunctionDecl *FD = nullptr;
  std::vector<const CallExpr *> Calls;
  std::vector<const ReturnStmt *> Returns;
  std::vector<std::pair<const Expr *, const Expr *>> Stores;  // (lhs, rhs)
  std::vector<std::pair<const VarDecl *, const Expr *>> LocalInits;  // var = expr
  bool HasRuleCleanup = false;
  std::set<const VarDecl *> CleanupVars;
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
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (const auto *CA = VD->getAttr<CleanupAttr>()) {
      if (const FunctionDecl *CF = CA->getFunctionDecl())
        if (Rules.cleanup(CF->getNameAsString())) {
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
  std::vector<FunctionDecl *> Fns;
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody()) Fns.push_back(FD);
    return true;
  }
};

class PrepassConsumer : public ASTConsumer {
public:
  PrepassConsumer(RuleSet &Rules, PrepassStats &Stats, bool Strip)
      : Rules(Rules), Stats(Stats), Strip(Strip) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred()) return;
    SourceManager &SM = Ctx.getSourceManager();
    FunctionCollector FC;
    FC.TraverseDecl(Ctx.getTranslationUnitDecl());
    std::map<const FunctionDecl *, FunctionFacts> Facts;
    std::map<std::string, const FunctionDecl *> ByName;
    for (FunctionDecl *FD : FC.Fns) {
      FunctionFacts &F = Facts[FD->getCanonicalDecl()];
      F.FD = FD;
      BodyScanner BS(F, Rules);
      BS.TraverseStmt(FD->getBody());
      if (FD->getIdentifier()) ByName[FD->getNameAsString()] = FD->getCanonicalDecl();
    }
    Stats.FunctionsWithBody = Facts.size();
    for (auto &[Name, R] : Rules.functions()) FileRuleNames.insert(Name);

    summarise(Facts, SM);

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
            if (isRelevantRule(*Rule)) R = true;
          if (Relevant.count(Callee->getCanonicalDecl())) R = true;
        }
        if (R) {
          Relevant.insert(Canon);
          Changed = true;
        }
      }
    }
    for (auto &[Canon, F] : Facts) {
      bool Main = SM.isInMainFile(SM.getExpansionLoc(F.FD->getLocation()));
      if (Main) Stats.MainFileFunctions++;
      // A function the rules describe is an implementation of the API itself (drivers/of,
      // drivers/base): callers are checked against its rule; its body is not analysed.
      if (F.FD->getIdentifier() && FileRuleNames.count(F.FD->getNameAsString())) {
        F.FD->setBody(nullptr);
        F.FD->setHasSkippedBody(true);
        continue;
      }
      if (Relevant.count(Canon)) {
        if (Main) Stats.RelevantMainFile++;
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
  const FunctionRule *ruleOfCall(const Expr *E) const {
    const auto *CE = dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenCasts() : nullptr);
    if (!CE) return nullptr;
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier()) return nullptr;
    return Rules.function(FD->getNameAsString());
  }

  /// One pass of summaries; repeated until no rule is added.
  void summarise(std::map<const FunctionDecl *, FunctionFacts> &Facts, SourceManager &SM) {
    std::set<std::string> Done;
    for (int Round = 0; Round < 8; ++Round) {
      bool Added = false;
      for (auto &[Canon, F] : Facts) {
        if (!F.FD->getIdentifier()) continue;
        std::string Name = F.FD->getNameAsString();
        if (Done.count(Name) || Rules.function(Name)) continue;
        FunctionRule R;
        if (!summariseOne(F, SM, R)) continue;
        Rules.addDerived(R);
        Done.insert(Name);
        Stats.Summaries++;
        std::string Line = Name + ":";
        if (R.Returns == ReturnEffect::Acquired) Line += " returns +1 " + R.Family;
        for (const ArgRule &A : R.Args)
          Line += std::string(" arg") + std::to_string(A.Index) + "=" + toString(A.Effect);
        Stats.SummaryLines.push_back(Line);
        Added = true;
      }
      if (!Added) break;
    }
  }

  bool summariseOne(const FunctionFacts &F, SourceManager &SM, FunctionRule &R) {
    const FunctionDecl *FD = F.FD;
    R.Name = FD->getNameAsString();
    PresumedLoc PL = SM.getPresumedLoc(SM.getExpansionLoc(FD->getLocation()));
    std::string Where = PL.isValid() ? std::string(PL.getFilename()) + ":" +
                                           std::to_string(PL.getLine())
                                     : std::string("?");
    R.Origin = "summary of " + R.Name + "() at " + Where;

    // Local variables that receive a reference (flow-insensitive), and locals that are
    // copies of a parameter (`struct device_node *tmp = node;`).
    std::map<const VarDecl *, const FunctionRule *> AcqVars;
    std::map<const VarDecl *, const VarDecl *> ParamAlias;
    for (auto &[VD, E] : F.LocalInits) {
      if (const FunctionRule *AR = ruleOfCall(E))
        if (AR->Returns != ReturnEffect::None) AcqVars[VD] = AR;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()))
        if (const auto *PV = dyn_cast<ParmVarDecl>(DRE->getDecl())) ParamAlias[VD] = PV;
    }
    auto paramOf = [&](const Expr *E) -> const VarDecl * {
      const VarDecl *V = objectVar(E);
      auto It = ParamAlias.find(V);
      return It != ParamAlias.end() ? It->second : V;
    };
    // A reference handed over (stored, registered, given to a consuming API) on some path is
    // not what the function returns to its caller.
    for (const CallExpr *CE : F.Calls) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (!Callee || !Callee->getIdentifier()) continue;
      const FunctionRule *CR = Rules.function(Callee->getNameAsString());
      for (unsigned K = 0; CR && K < CE->getNumArgs(); ++K)
        if (const ArgRule *A = CR->argRule(K))
          if (A->Effect == ArgEffect::Transfer || A->Effect == ArgEffect::TransferOnSuccess ||
              A->Effect == ArgEffect::AcquireOnFailure)
            AcqVars.erase(objectVar(CE->getArg(K)));
    }
    for (auto &[L, Rhs] : F.Stores) AcqVars.erase(objectVar(Rhs));

    // Returns a reference?
    if (FD->getReturnType()->isPointerType()) {
      for (const ReturnStmt *RS : F.Returns) {
        const Expr *V = RS->getRetValue();
        if (!V) continue;
        const FunctionRule *Src = nullptr;
        if (const FunctionRule *AR = ruleOfCall(V))
          if (AR->Returns != ReturnEffect::None) Src = AR;
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
        if (Src) {
          R.Returns = ReturnEffect::Acquired;
          R.Family = Src->Family;
          R.MayBeNull = true;
          R.MayBeErr = R.MayBeErr || Src->MayBeErr;
          PresumedLoc RL = SM.getPresumedLoc(SM.getExpansionLoc(RS->getBeginLoc()));
          R.Note = R.Name + "() returns a reference from " + Src->Name + "() (" +
                   (RL.isValid() ? std::string(RL.getFilename()) + ":" + std::to_string(RL.getLine())
                                 : Where) +
                   ")";
          break;
        }
      }
    }

    // What happens to each pointer parameter.
    for (unsigned I = 0; I < FD->getNumParams(); ++I) {
      const ParmVarDecl *P = FD->getParamDecl(I);
      if (!P->getType()->isPointerType()) continue;
      bool Released = false, Got = false, Stored = false;
      std::string Family;
      for (const CallExpr *CE : F.Calls) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        if (!Callee || !Callee->getIdentifier()) continue;
        const FunctionRule *CR = Rules.function(Callee->getNameAsString());
        for (unsigned K = 0; K < CE->getNumArgs(); ++K) {
          if (paramOf(CE->getArg(K)) != P) continue;
          if (CR) {
            if (CR->Returns == ReturnEffect::Arg && CR->ReturnsArg == K) Got = true;
            if (const ArgRule *A = CR->argRule(K)) {
              if (A->Effect == ArgEffect::Release) {
                Released = true;
                Family = A->Family.empty() ? CR->Family : A->Family;
              } else if (A->Effect == ArgEffect::Transfer) {
                Stored = true;
              }
            }
          } else if (K < Callee->getNumParams() && !Callee->hasBody()) {
            QualType PT = Callee->getParamDecl(K)->getType();
            if (PT->isVoidPointerType() && !PT->getPointeeType().isConstQualified())
              Stored = true;
          }
        }
      }
      for (auto &[L, Rhs] : F.Stores)
        if (paramOf(Rhs) == P) Stored = true;
      if (Released && !Got) {
        ArgRule A;
        A.Index = I;
        A.Effect = Stored ? ArgEffect::Transfer : ArgEffect::Release;
        if (!Stored) A.Family = Family;
        R.Args.push_back(A);
      } else if (Stored && !Got) {
        ArgRule A;
        A.Index = I;
        A.Effect = ArgEffect::Transfer;
        R.Args.push_back(A);
      }
    }
    if (R.Returns == ReturnEffect::None && R.Args.empty()) return false;
    if (R.Family.empty())
      for (const ArgRule &A : R.Args)
        if (!A.Family.empty()) R.Family = A.Family;
    return true;
  }

  static bool returnsParam(const FunctionFacts &F) {
    if (!F.FD->getReturnType()->isPointerType()) return false;
    for (const ReturnStmt *RS : F.Returns)
      if (const VarDecl *VD = objectVar(RS->getRetValue()))
        if (isa<ParmVarDecl>(VD)) return true;
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
  PrepassStats &Stats;
  bool Strip;
  std::set<std::string> FileRuleNames;
};

}  // namespace

std::unique_ptr<ASTConsumer> makePrepassConsumer(RuleSet &Rules, PrepassStats &Stats,
                                                 bool StripIrrelevantBodies) {
  return std::make_unique<PrepassConsumer>(Rules, Stats, StripIrrelevantBodies);
}

}  // namespace krefcheck
