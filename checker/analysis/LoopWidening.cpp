#include "analysis/LoopWidening.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"
#include "llvm/ADT/DenseMap.h"

#include <set>
#include <utility>
#include <vector>

using namespace clang;
using namespace clang::ento;

// Stable locals holding a tracked reference on this path: the region (a variable, or an
// element of a local array) -> the reference it holds.
REGISTER_MAP_WITH_PROGRAMSTATE(StableHeld, const clang::ento::MemRegion *, clang::ento::SymbolRef)

// The loops this path has widened: (stack frame, loop statement).
using WidenedLoop = std::pair<const void *, const void *>;
REGISTER_SET_WITH_PROGRAMSTATE(WidenedLoops, WidenedLoop)

namespace krefcheck {
namespace widening {

struct StableLocals::FnInfo {
  struct Var {
    bool Unstable = false;  // address taken, element by unknown index, ++/--
    unsigned Assigns = 0;
    bool AssignedInLoop = false;
    bool ArrayInit = false;  // every element of the array is initialised by its declaration
    std::map<int64_t, unsigned> ElemAssigns;
    std::set<int64_t> ElemInLoop;
  };
  std::map<const VarDecl *, Var> Vars;

  static const VarDecl *localVar(const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage() ? VD : nullptr;
  }
  /// `a[k]` of a local array `a`: a, and k if constant.
  const VarDecl *element(const Expr *E, std::optional<int64_t> &Index, const ASTContext &AC) {
    const auto *ASE = dyn_cast<ArraySubscriptExpr>(E->IgnoreParens());
    if (!ASE) return nullptr;
    const VarDecl *VD = localVar(ASE->getBase());
    if (!VD || !VD->getType()->isArrayType()) return nullptr;
    Expr::EvalResult R;
    if (ASE->getIdx()->EvaluateAsInt(R, AC)) Index = R.Val.getInt().getSExtValue();
    return VD;
  }

  void assign(const Expr *LHS, bool InLoop, const ASTContext &AC) {
    std::optional<int64_t> K;
    if (const VarDecl *A = element(LHS, K, AC)) {
      Var &V = Vars[A];
      if (!K) {
        V.Unstable = true;
        return;
      }
      ++V.ElemAssigns[*K];
      if (InLoop) V.ElemInLoop.insert(*K);
      return;
    }
    if (const VarDecl *VD = localVar(LHS)) {
      Var &V = Vars[VD];
      ++V.Assigns;
      V.AssignedInLoop |= InLoop;
    }
  }

  /// Walks S; the children of an assignment's left side are walked as reads.
  void walk(const Stmt *S, bool InLoop, const ASTContext &AC) {
    if (!S) return;
    if (isa<UnaryExprOrTypeTraitExpr>(S)) return;  // sizeof(a): nothing evaluated
    if (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S)) InLoop = true;
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->hasLocalStorage() && VD->getInit()) {
          Var &V = Vars[VD];
          if (VD->getType()->isArrayType()) V.ArrayInit = true;
          else ++V.Assigns;
          V.AssignedInLoop |= InLoop;
          walk(VD->getInit(), InLoop, AC);
        }
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp()) {
      assign(BO->getLHS(), InLoop, AC);
      walkLValue(BO->getLHS(), InLoop, AC);
      walk(BO->getRHS(), InLoop, AC);
      return;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      const Expr *Sub = UO->getSubExpr();
      std::optional<int64_t> K;
      if (UO->getOpcode() == UO_AddrOf || UO->isIncrementDecrementOp()) {
        if (const VarDecl *A = element(Sub, K, AC)) Vars[A].Unstable = true;
        else if (const VarDecl *VD = localVar(Sub)) Vars[VD].Unstable = true;
        walkLValue(Sub, InLoop, AC);
        return;
      }
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(S)) {
      // `a[i]` read: fine for a local array; the base is not a use of its address.
      if (const VarDecl *VD = localVar(ASE->getBase()); VD && VD->getType()->isArrayType()) {
        walk(ASE->getIdx(), InLoop, AC);
        return;
      }
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      // An array used as a pointer (passed to a call, memset...): any element may change.
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->hasLocalStorage() && VD->getType()->isArrayType())
        Vars[VD].Unstable = true;
      return;
    }
    for (const Stmt *C : S->children()) walk(C, InLoop, AC);
  }
  /// The left side of an assignment (or the operand of & / ++): its variable is not a read;
  /// what it indexes or dereferences is walked.
  void walkLValue(const Expr *E, bool InLoop, const ASTContext &AC) {
    E = E->IgnoreParenImpCasts();
    if (isa<DeclRefExpr>(E)) return;
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
      if (const VarDecl *VD = localVar(ASE->getBase()); VD && VD->getType()->isArrayType()) {
        walk(ASE->getIdx(), InLoop, AC);
        return;
      }
    walk(E, InLoop, AC);
  }
};

StableLocals::StableLocals() = default;
StableLocals::~StableLocals() = default;

bool StableLocals::isStable(const MemRegion *R) {
  std::optional<int64_t> Index;
  if (const auto *ER = dyn_cast<ElementRegion>(R)) {
    auto CI = ER->getIndex().getAs<nonloc::ConcreteInt>();
    if (!CI) return false;
    Index = CI->getValue().getSExtValue();
    R = ER->getSuperRegion();
  }
  const auto *VR = dyn_cast<VarRegion>(R);
  if (!VR) return false;
  const VarDecl *VD = VR->getDecl();
  if (!VD->hasLocalStorage() || VD->getType()->isArrayType() != Index.has_value()) return false;
  const auto *FD = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  if (!FD || !FD->hasBody()) return false;
  std::unique_ptr<FnInfo> &Info = Cache[FD];
  if (!Info) {
    Info = std::make_unique<FnInfo>();
    Info->walk(FD->getBody(), false, FD->getASTContext());
  }
  auto It = Info->Vars.find(VD);
  if (It == Info->Vars.end()) return false;
  const FnInfo::Var &V = It->second;
  if (V.Unstable) return false;
  if (!Index) return V.Assigns <= 1 && !V.AssignedInLoop;
  auto E = V.ElemAssigns.find(*Index);
  unsigned N = (E == V.ElemAssigns.end() ? 0 : E->second) + (V.ArrayInit ? 1 : 0);
  return N <= 1 && !V.ElemInLoop.count(*Index) && !(V.ArrayInit && V.AssignedInLoop);
}

ProgramStateRef noteBind(ProgramStateRef St, const MemRegion *R, SymbolRef Sym,
                         StableLocals &Stable) {
  if (!R || !Sym) return nullptr;
  if (const SymbolRef *Old = St->get<StableHeld>(R); Old && *Old == Sym) return nullptr;
  if (!Stable.isStable(R)) return nullptr;
  return St->set<StableHeld>(R, Sym);
}

ProgramStateRef restoreStable(ProgramStateRef St, const InvalidatedSymbols &Escaped,
                              llvm::function_ref<bool(SymbolRef)> Keep) {
  MemRegionManager &MRM = St->getStateManager().getRegionManager();
  for (auto &[R, S] : St->get<StableHeld>()) {
    if (!Escaped.count(S) || !Keep(S)) continue;
    SVal Cur = St->getSVal(R);
    if (Cur.getAsLocSymbol() == S) continue;
    St = St->bindLoc(loc::MemRegionVal(R), loc::MemRegionVal(MRM.getSymbolicRegion(S)), nullptr,
                     /*notifyChanges=*/false);
  }
  return St;
}

ProgramStateRef removeDead(ProgramStateRef St, SymbolReaper &SR) {
  for (auto &[R, S] : St->get<StableHeld>()) {
    const MemRegion *Base = R;
    if (const auto *ER = dyn_cast<ElementRegion>(R)) Base = ER->getSuperRegion();
    const auto *VR = dyn_cast<VarRegion>(Base);
    if (SR.isDead(S) || !VR || !SR.isLive(VR)) St = St->remove<StableHeld>(R);
  }
  return St;
}

namespace {

class LoopWidener : public Checker<check::PreStmt<Stmt>> {
public:
  void checkPreStmt(const Stmt *S, CheckerContext &C) const;

private:
  /// The loop statement that terminates each block of a function's CFG (by block ID), or null.
  /// By function: the analyzer frees a function's CFG after analysing it, and a later CFG
  /// can reuse its address (the function's next CFG is built the same way: same block IDs).
  const Stmt *loopOf(const Decl *D, const CFG &G, unsigned BlockID) const {
    std::vector<const Stmt *> &Terms = LoopTerms[D];
    if (Terms.empty()) {
      Terms.assign(G.getNumBlockIDs(), nullptr);
      for (const CFGBlock *B : G)
        if (const Stmt *T = B->getTerminatorStmt();
            isa_and_nonnull<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(T))
          Terms[B->getBlockID()] = T;
    }
    return BlockID < Terms.size() ? Terms[BlockID] : nullptr;
  }
  mutable llvm::DenseMap<const Decl *, std::vector<const Stmt *>> LoopTerms;
};

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *F = dyn_cast<ForStmt>(Loop)) return F->getCond();
  if (const auto *W = dyn_cast<WhileStmt>(Loop)) return W->getCond();
  if (const auto *D = dyn_cast<DoStmt>(Loop)) return D->getCond();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop)) return R->getCond();
  return nullptr;
}

void LoopWidener::checkPreStmt(const Stmt *, CheckerContext &C) const {
  // The block counter counts this visit: Clang widens when entering the visit before which
  // the block was visited maxBlockVisitOnPath - 1 times; the next visit ends the path.
  const unsigned Max = C.getAnalysisManager().options.maxBlockVisitOnPath;
  if (C.blockCount() != Max) return;
  const LocationContext *LC = C.getLocationContext();
  const CFG *G = LC->getCFG();
  const Stmt *Loop = G ? loopOf(LC->getDecl(), *G, C.getBlockID()) : nullptr;
  if (!Loop) return;
  const StackFrameContext *SF = LC->getStackFrame();
  ProgramStateRef St = C.getState();
  const WidenedLoop Key{SF, Loop};
  if (St->contains<WidenedLoops>(Key)) return;
  MemRegionManager &MRM = St->getStateManager().getRegionManager();
  const MemRegion *Regions[] = {MRM.getStackLocalsRegion(SF), MRM.getStackArgumentsRegion(SF),
                                MRM.getGlobalsRegion()};
  RegionAndSymbolInvalidationTraits ITraits;
  for (const MemRegion *R : Regions)
    ITraits.setTrait(R, RegionAndSymbolInvalidationTraits::TK_EntireMemSpace);
  St = St->invalidateRegions(Regions, loopCondition(Loop), Max - 1, LC,
                             /*CausesPointerEscape=*/true, nullptr, nullptr, &ITraits);
  C.addTransition(St->add<WidenedLoops>(Key));
}

}  // namespace

void registerLoopWidener(CheckerManager &Mgr) { Mgr.registerChecker<LoopWidener>(); }

}  // namespace widening
}  // namespace krefcheck
