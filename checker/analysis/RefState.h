// What the checker knows about one tracked reference (RefState), and the program-state trait
// that maps each tracked symbol to it (RefMap), shared by RefcountChecker.cpp and RefPath.cpp.
#pragma once

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/AnalysisDeclContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SymExpr.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/ImmutableMap.h"

namespace krefcheck {

struct FunctionRule;

struct RefState {
  enum Kind : unsigned char {
    Owned,            // this function holds Count references
    Released,         // it dropped its last one: a use or another put is a bug
    Relinquished,     // handed to a `transfer` API that puts it later: a put here is a double put
    ConsumedUnowned,  // an explicit release dropped a reference this function never held
    ConsumedByStep,   // an iterator step (of_find_*(from, ...)) dropped the `from` it was given
    Lost,             // still owned, but nothing refers to it any more (reported at the exit)
  };
  /// How the first reference was taken (fixed for the state's life).
  enum Origin : unsigned char {
    New,             // a call returned a new reference
    NewInLoop,       // ... an iterator step in a loop header
    OnBorrowed,      // a get on an object this function was given: its last put untracks it
    KeptOnBorrowed,  // ... kept on purpose unless the function releases it elsewhere (a get
                     // whose result is thrown away, the init of an object the caller passed)
  };
  Kind K;
  Origin O;
  unsigned Count;                         // references held (Owned)
  bool Cleanup;                           // one reference is held by a __free() variable
  const FunctionRule *Rule;               // the acquiring API (the releasing one for Consumed*)
  const clang::Stmt *Site;                // the acquiring call
  const clang::Stmt *ReleaseSite;         // the call that dropped the last reference
  const clang::VarDecl *Var;              // the variable that last held it
  const clang::StackFrameContext *Frame;  // where it was acquired (reports need the top frame)
  // The last get that added a reference to one already held (`of_node_get(np)` with Count
  // 1): when a callee takes one of several, the one left over is that get's.
  const FunctionRule *ExtraRule = nullptr;
  const clang::Stmt *ExtraSite = nullptr;

  static RefState owned(Origin O, const FunctionRule *Rule, const clang::Stmt *Site,
                        const clang::VarDecl *Var, const clang::StackFrameContext *Frame) {
    return {Owned, O, 1, false, Rule, Site, nullptr, Var, Frame};
  }
  /// A release by \p Rule at \p At of a pointer this function was given, not owned.
  static RefState consumed(bool ByStep, const FunctionRule *Rule, const clang::Stmt *At,
                           const clang::VarDecl *Var, const clang::StackFrameContext *Frame) {
    return {ByStep ? ConsumedByStep : ConsumedUnowned, New, 0, false, Rule, At, At, Var, Frame};
  }
  RefState withCount(unsigned N) const {
    RefState S = *this;
    S.Count = N;
    return S;
  }
  /// One more reference, taken by \p Rule at \p At.
  RefState gotAgain(const FunctionRule *R, const clang::Stmt *At) const {
    RefState S = withCount(Count + 1);
    S.ExtraRule = R;
    S.ExtraSite = At;
    return S;
  }
  /// One of several references taken by a callee: the one left is the extra get's (the
  /// first one went with the object where the code without that get would have sent it).
  RefState leftAfterHandOver() const {
    RefState S = withCount(Count - 1);
    if (S.O == New && ExtraSite) {
      S.Rule = ExtraRule;
      S.Site = ExtraSite;
    }
    S.ExtraRule = nullptr;
    S.ExtraSite = nullptr;
    return S;
  }
  RefState releasedAt(const clang::Stmt *At) const { return gone(Released, At); }
  RefState relinquishedAt(const clang::Stmt *At) const { return gone(Relinquished, At); }

  /// No reference left here: released, handed over or consumed.
  bool dropped() const { return K != Owned && K != Lost; }
  bool borrowedBase() const { return O == OnBorrowed || O == KeptOnBorrowed; }
  bool kept() const { return O == KeptOnBorrowed; }
  bool inLoop() const { return O == NewInLoop; }

  bool operator==(const RefState &X) const {
    return K == X.K && O == X.O && Count == X.Count && Cleanup == X.Cleanup && Rule == X.Rule &&
           Site == X.Site && ReleaseSite == X.ReleaseSite && Var == X.Var && Frame == X.Frame &&
           ExtraRule == X.ExtraRule && ExtraSite == X.ExtraSite;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddInteger(O);
    ID.AddInteger(Count);
    ID.AddBoolean(Cleanup);
    ID.AddPointer(Rule);
    ID.AddPointer(Site);
    ID.AddPointer(ReleaseSite);
    ID.AddPointer(Var);
    ID.AddPointer(Frame);
    ID.AddPointer(ExtraRule);
    ID.AddPointer(ExtraSite);
  }

private:
  RefState gone(Kind To, const clang::Stmt *At) const {
    RefState S = *this;
    S.K = To;
    S.Count = 0;
    S.ReleaseSite = At;
    return S;
  }
};

/// The program-state trait: tracked symbol -> its RefState.
class RefMap {};
using RefMapTy = llvm::ImmutableMap<clang::ento::SymbolRef, RefState>;

}  // namespace krefcheck

namespace clang {
namespace ento {
template <>
struct ProgramStateTrait<krefcheck::RefMap> : public ProgramStatePartialTrait<krefcheck::RefMapTy> {
  static void *GDMIndex() {
    static int Index;
    return &Index;
  }
};
}  // namespace ento
}  // namespace clang
