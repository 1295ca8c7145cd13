// krefcheck's path-sensitive checker. Modelled on Clang's SimpleStreamChecker: one state trait
// (RefMap: symbol -> RefState), the callbacks that move a symbol between states, and the reports.
//
// States of a tracked object (the symbol of a pointer, or of the struct that embeds the counted
// object: `&pdev->dev` reaches `pdev`):
//   Owned(n)   this function holds n references (n counted relative to what it was given);
//   Released   this function dropped its last reference (uses and puts are now bugs).
// An untracked symbol is borrowed: calls without a rule borrow, a put of a borrowed object is
// only reported when the rules say where it was borrowed from (`dev->of_node`).
#include "analysis/RefcountChecker.h"

#include "analysis/AstUtil.h"
#include "rules/Rules.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/Lex/Lexer.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporterVisitors.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"

#include <map>
#include <iterator>
#include <optional>

using namespace clang;
using namespace clang::ento;

namespace krefcheck {

static CheckerContextData *CurrentCtx = nullptr;
// Tags the symbols the checker conjures, so they never coincide with the ones the engine
// conjures when it invalidates the same call's arguments.
static const int ConjureTag = 0;
void setCheckerContext(CheckerContextData *Ctx) { CurrentCtx = Ctx; }

// One distinct string per step kind: a piece's tag is compared by address.
static const char *const StepTags[] = {"krefcheck.acquire", "krefcheck.release",
                                       "krefcheck.branch",  "krefcheck.loop",
                                       "krefcheck.call",    "krefcheck.lost",
                                       "krefcheck.note"};
const char *stepTag(StepKind K) { return StepTags[static_cast<unsigned>(K)]; }
bool stepKindOfTag(const void *Tag, StepKind &K) {
  for (unsigned I = 0; I < std::size(StepTags); ++I)
    if (Tag == StepTags[I]) {
      K = static_cast<StepKind>(I);
      return true;
    }
  return false;
}
const ReportMeta *reportMetaOf(const CheckerContextData &Ctx, const void *Tag) {
  auto It = Ctx.ReportByTag.find(Tag);
  return It == Ctx.ReportByTag.end() ? nullptr : It->second;
}

namespace {

struct RefState {
  enum Kind : unsigned char { Owned, Released, Lost } K;
  unsigned Count;            // references held (Owned)
  bool BorrowedBase;         // object was borrowed before our first get: last put untracks it
  bool Cleanup;              // one reference is held by a __free() variable
  bool ConsumedBorrowed;     // Released by a consuming call although we never owned it
  bool ConsumedByStep;       // ... and that call was an iterator step (of_find_*(from, ...))
  bool Loop;                 // acquired by an iterator step in a loop header
  bool Weak;                 // kept on purpose unless the function releases it elsewhere
  bool Transferred;          // Released by handing it to a `transfer` API (it puts it later)
  const FunctionRule *Rule;  // the acquiring API (or the releasing one for ConsumedBorrowed)
  const Stmt *Site;          // the acquiring call
  const Stmt *ReleaseSite;   // the call that made it Released
  const VarDecl *Var;        // the variable that last held it
  const StackFrameContext *Frame;  // where it was acquired (reports need the top frame)

  bool operator==(const RefState &O) const {
    return K == O.K && Count == O.Count && BorrowedBase == O.BorrowedBase &&
           Cleanup == O.Cleanup && ConsumedBorrowed == O.ConsumedBorrowed &&
           ConsumedByStep == O.ConsumedByStep && Loop == O.Loop && Weak == O.Weak && Transferred == O.Transferred &&
           Rule == O.Rule && Site == O.Site && ReleaseSite == O.ReleaseSite && Var == O.Var &&
           Frame == O.Frame;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(K);
    ID.AddInteger(Count);
    ID.AddBoolean(BorrowedBase);
    ID.AddBoolean(Cleanup);
    ID.AddBoolean(ConsumedBorrowed);
    ID.AddBoolean(ConsumedByStep);
    ID.AddBoolean(Loop);
    ID.AddBoolean(Weak);
    ID.AddBoolean(Transferred);
    ID.AddPointer(Rule);
    ID.AddPointer(Site);
    ID.AddPointer(ReleaseSite);
    ID.AddPointer(Var);
    ID.AddPointer(Frame);
  }
};

}  // namespace
}  // namespace krefcheck

REGISTER_MAP_WITH_PROGRAMSTATE(RefMap, clang::ento::SymbolRef, krefcheck::RefState)
// A reference stored into a field of a (non-stack) object: the reference -> that object and
// field. It is the object's now: not a leak when the function ends, but lost when the object is
// freed (kfree) or its last reference dropped while the field still holds it.
REGISTER_MAP_WITH_PROGRAMSTATE(HeldOwner, clang::ento::SymbolRef, clang::ento::SymbolRef)
REGISTER_MAP_WITH_PROGRAMSTATE(HeldField, clang::ento::SymbolRef, const clang::FieldDecl *)
// Objects this function allocated (kzalloc...): their fields hold nothing it did not store.
REGISTER_SET_WITH_PROGRAMSTATE(FreshObjects, clang::ento::SymbolRef)
// Objects passed whole to a function whose body is not seen (it may release their fields).
REGISTER_SET_WITH_PROGRAMSTATE(PassedWhole, clang::ento::SymbolRef)
// Owning fields (of an object the function did not allocate) whose value this function read
// or released: the reference went somewhere (put, or moved to a variable): kfree() of the
// object does not lose it.
REGISTER_SET_WITH_PROGRAMSTATE(HandledFields, const clang::ento::MemRegion *)
// An iterator's current node stored into an array element without a reference of its own
// (`nodes[i] = child;` in a for_each loop): the reference -> the store. The next step of the
// iterator drops the only reference and leaves the stored pointer dangling.
REGISTER_MAP_WITH_PROGRAMSTATE(StoredNoRef, clang::ento::SymbolRef, const clang::Stmt *)
// Release callbacks stored on this path (`sl->dev.release = fn`): the object (normalised
// region of the struct holding the callback field) -> the callback. Kept apart from the store,
// which a later call (dev_set_name(&sl->dev, ...)) invalidates.
REGISTER_MAP_WITH_PROGRAMSTATE(KnownReleaseCallback, const clang::ento::MemRegion *,
                               const clang::FunctionDecl *)
// Values an object holds for its users (`platform_get_drvdata(pdev)`, a `data_of` rule): the
// value -> that object. Returning the value while holding a reference on the object hands the
// reference to the caller with it (`qmp_get()` returns the drvdata; `qmp_put()` puts the
// device).
REGISTER_MAP_WITH_PROGRAMSTATE(DataOfObject, clang::ento::SymbolRef, clang::ento::SymbolRef)
// __free() variables -> the symbol they currently hold.
REGISTER_MAP_WITH_PROGRAMSTATE(CleanupHeld, const clang::ento::MemRegion *, clang::ento::SymbolRef)

namespace krefcheck {
namespace {

/// The symbol naming the object a pointer value reaches: `np` -> np's symbol,
/// `&pdev->dev` -> pdev's symbol.
SymbolRef objectSymbol(SVal V) {
  if (SymbolRef S = V.getAsLocSymbol(/*IncludeBaseRegions=*/true)) return S;
  return V.getAsSymbol();
}

const VarDecl *rootVar(const Expr *E) { return objectVar(E); }

/// Whether a __free() variable other than \p Except holds \p Sym (its cleanup will release it).
bool heldByOtherCleanup(ProgramStateRef St, SymbolRef Sym, const MemRegion *Except) {
  for (auto &[Reg, HS] : St->get<CleanupHeld>())
    if (HS == Sym && Reg != Except) return true;
  return false;
}

/// The object and field a pointer value was read from: `p->np` (the value it had when the
/// function started, or after a call invalidated p's contents) -> p's symbol and that field.
std::pair<SymbolRef, const FieldRegion *> fieldOrigin(SymbolRef Sym) {
  const MemRegion *R = nullptr;
  if (const auto *SRV = dyn_cast_or_null<SymbolRegionValue>(Sym)) R = SRV->getRegion();
  else if (const auto *SD = dyn_cast_or_null<SymbolDerived>(Sym)) R = SD->getRegion();
  const auto *FR = dyn_cast_or_null<FieldRegion>(R);
  if (!FR) return {nullptr, nullptr};
  const auto *Base = dyn_cast<SymbolicRegion>(FR->getBaseRegion());
  if (!Base) return {nullptr, nullptr};
  return {Base->getSymbol(), FR};
}

/// One region per field of one object, however the object was reached (`p->f` is read through
/// a typed view of p's region; kfree(p) names the region itself).
const MemRegion *normalRegion(const MemRegion *R, MemRegionManager &MRM);

const FieldRegion *normalField(const FieldRegion *FR, MemRegionManager &MRM) {
  const auto *Super = dyn_cast<SubRegion>(normalRegion(FR->getSuperRegion(), MRM));
  return Super ? MRM.getFieldRegion(FR->getDecl(), Super) : FR;
}

const MemRegion *normalRegion(const MemRegion *R, MemRegionManager &MRM) {
  R = R->StripCasts();
  if (const auto *FR = dyn_cast<FieldRegion>(R)) return normalField(FR, MRM);
  return R;
}

/// The reference this function stored into field FD of object Obj (still held there).
SymbolRef heldIn(ProgramStateRef St, SymbolRef Obj, const FieldDecl *FD) {
  for (auto &[S, O] : St->get<HeldOwner>())
    if (O == Obj)
      if (const FieldDecl *const *F = St->get<HeldField>(S); F && *F == FD) return S;
  return nullptr;
}

ProgramStateRef forgetHeld(ProgramStateRef St, SymbolRef S) {
  return St->remove<HeldOwner>(S)->remove<HeldField>(S);
}

/// Objects a call receives whole (`foo(priv)`, or any pointer as `void *` data), as opposed
/// to a pointer into one of their members (`foo(&priv->sub)`): a function that receives the
/// object may release what its fields hold.
llvm::SmallPtrSet<SymbolRef, 4> wholeObjects(const CallEvent &Call) {
  llvm::SmallPtrSet<SymbolRef, 4> Out;
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) {
    const MemRegion *R = Call.getArgSVal(I).getAsRegion();
    if (!R) continue;
    R = R->StripCasts();
    bool VoidData = false;
    if (I < Call.parameters().size())
      VoidData = Call.parameters()[I]->getType()->isVoidPointerType();
    if (const auto *SR = dyn_cast<SymbolicRegion>(VoidData ? R->getBaseRegion() : R))
      Out.insert(SR->getSymbol());
  }
  return Out;
}

std::string calleeName(const CallEvent &Call) {
  if (const IdentifierInfo *II = Call.getCalleeIdentifier()) return II->getName().str();
  return {};
}

unsigned expansionLine(const Stmt *S, const SourceManager &SM) {
  if (!S) return 0;
  return SM.getExpansionLineNumber(S->getBeginLoc());
}

std::string exprText(const Expr *E, CheckerContext &C) {
  if (!E) return {};
  const SourceManager &SM = C.getSourceManager();
  CharSourceRange R = SM.getExpansionRange(E->getSourceRange());
  std::string T = Lexer::getSourceText(R, SM, C.getLangOpts()).str();
  if (T.size() > 60) T = T.substr(0, 57) + "...";
  return T;
}

/// Is the value of call E thrown away (`of_node_get(np);`, `(void)get_device(d);`)?
bool resultDiscarded(const Stmt *E, CheckerContext &C) {
  const ParentMap &PM = C.getLocationContext()->getParentMap();
  const Stmt *Child = E, *P = PM.getParent(E);
  while (P && (isa<ParenExpr>(P) || isa<CastExpr>(P))) Child = P, P = PM.getParent(P);
  if (const auto *If = dyn_cast_or_null<IfStmt>(P)) return Child != If->getCond();
  return !P || isa<CompoundStmt>(P) || isa<LabelStmt>(P) || isa<SwitchCase>(P);
}

/// Is E (a call) the init, condition or increment of an enclosing loop?
bool inLoopHeader(const Stmt *E, CheckerContext &C) {
  const ParentMap &PM = C.getLocationContext()->getParentMap();
  const Stmt *Prev = E;
  for (const Stmt *P = PM.getParent(E); P; Prev = P, P = PM.getParent(P)) {
    if (const auto *FS = dyn_cast<ForStmt>(P))
      return Prev == FS->getInit() || Prev == FS->getCond() || Prev == FS->getInc() ||
             Prev == FS->getConditionVariableDeclStmt();
    if (const auto *WS = dyn_cast<WhileStmt>(P)) return Prev == WS->getCond();
    if (const auto *DS = dyn_cast<DoStmt>(P)) return Prev == DS->getCond();
    if (isa<CompoundStmt>(P)) return false;
  }
  return false;
}

/// A report whose location is a given statement rather than the error node's (used when the
/// bug is detected later than the statement that causes it, e.g. an explicit put of a value a
/// __free() variable will put again).
class RelocatedReport : public PathSensitiveBugReport {
public:
  RelocatedReport(const BugType &BT, StringRef Desc, const ExplodedNode *N,
                  PathDiagnosticLocation Uniq, const Decl *UniqDecl, PathDiagnosticLocation At)
      : PathSensitiveBugReport(BT, Desc, N, Uniq, UniqDecl), At(At) {}
  PathDiagnosticLocation getLocation() const override { return At; }

private:
  PathDiagnosticLocation At;
};

class RefVisitor final : public BugReporterVisitor {
public:
  explicit RefVisitor(SymbolRef Sym) : Sym(Sym) {}
  void Profile(llvm::FoldingSetNodeID &ID) const override {
    static int Tag = 0;
    ID.AddPointer(&Tag);
    ID.AddPointer(Sym);
  }
  PathDiagnosticPieceRef VisitNode(const ExplodedNode *N, BugReporterContext &BRC,
                                   PathSensitiveBugReport &BR) override;

private:
  SymbolRef Sym;
};

std::string calleeOf(const Stmt *S) {
  if (const auto *CE = dyn_cast_or_null<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee()) return FD->getNameAsString() + "()";
  return {};
}

PathDiagnosticPieceRef RefVisitor::VisitNode(const ExplodedNode *N, BugReporterContext &BRC,
                                             PathSensitiveBugReport &) {
  const ExplodedNode *Pred = N->getFirstPred();
  if (!Pred) return nullptr;
  const RefState *Cur = N->getState()->get<RefMap>(Sym);
  const RefState *Old = Pred->getState()->get<RefMap>(Sym);
  if (Cur == Old || (Cur && Old && *Cur == *Old)) return nullptr;
  const Stmt *S = N->getStmtForDiagnostics();
  if (!S) return nullptr;
  std::string Msg;
  StepKind Kind = StepKind::Note;
  std::string Var = Cur && Cur->Var ? "'" + Cur->Var->getNameAsString() + "'"
                                    : (Old && Old->Var ? "'" + Old->Var->getNameAsString() + "'"
                                                       : std::string("the reference"));
  if (Cur && !Old) {
    Kind = Cur->K == RefState::Released ? StepKind::Release : StepKind::Acquire;
    if (Cur->K == RefState::Released)
      Msg = Var + " is consumed by " + calleeOf(S) + " although this function holds no reference";
    else if (Cur->Rule && Cur->Rule->Origin.rfind("summary", 0) == 0 && !Cur->Rule->Note.empty())
      Msg = Var + " acquired: " + Cur->Rule->Note;
    else if (Cur->BorrowedBase)
      Msg = "reference taken by " + (Cur->Rule ? Cur->Rule->Name + "()" : calleeOf(S));
    else
      Msg = "reference acquired by " + (Cur->Rule ? Cur->Rule->Name + "()" : calleeOf(S)) +
            (Cur->Rule && Cur->Rule->MayBeNull ? " (NULL when not found)" : "");
  } else if (Cur && Old) {
    if (Cur->K == RefState::Released && Old->K == RefState::Owned) {
      Kind = StepKind::Release;
      Msg = Var + " released by " + calleeOf(S) +
            (Cur->Cleanup ? "; its __free() cleanup will release it again" : "");
    } else if (Cur->K == RefState::Lost && Old->K == RefState::Owned)
      Msg = Var + " is not used after this point and was never released";
    else if (Cur->Count > Old->Count) {
      Kind = StepKind::Acquire;
      Msg = "one more reference on " + Var + " taken by " + calleeOf(S);
    } else if (Cur->Count < Old->Count) {
      if (!calleeOf(S).empty()) Kind = StepKind::Release;
      Msg = calleeOf(S).empty() ? "one reference on " + Var + " handed over here"
                                : "one reference on " + Var + " released by " + calleeOf(S);
    } else if (Cur->Cleanup && !Old->Cleanup)
      Msg = Var + " is now owned by a __free() variable (released at scope exit)";
    else if (!Cur->Cleanup && Old->Cleanup)
      Msg = Var + " taken out of its __free() variable";
    else
      return nullptr;
  } else if (!Cur && Old && Old->BorrowedBase) {
    Kind = StepKind::Release;
    Msg = "reference on " + Var + " released by " + calleeOf(S);
  } else {
    return nullptr;
  }
  PathDiagnosticLocation Pos(S, BRC.getSourceManager(), N->getLocationContext());
  auto Piece = std::make_shared<PathDiagnosticEventPiece>(Pos, Msg, true);
  Piece->setTag(stepTag(Kind));
  return Piece;
}

/// Added to every report: tags the report's last piece (the warning itself, as the analyzer
/// makes it) with the report's ReportMeta, so the collector gets the facts by identity.
class MetaVisitor final : public BugReporterVisitor {
public:
  explicit MetaVisitor(const ReportMeta &M) : M(M) {}
  void Profile(llvm::FoldingSetNodeID &ID) const override {
    static int Tag = 0;
    ID.AddPointer(&Tag);
    ID.AddPointer(&M);
  }
  PathDiagnosticPieceRef VisitNode(const ExplodedNode *, BugReporterContext &,
                                   PathSensitiveBugReport &) override {
    return nullptr;
  }
  PathDiagnosticPieceRef getEndPath(BugReporterContext &BRC, const ExplodedNode *N,
                                    PathSensitiveBugReport &BR) override {
    PathDiagnosticPieceRef P = getDefaultEndPath(BRC, N, BR);
    if (P) P->setTag(M.Tag.c_str());
    return P;
  }

private:
  const ReportMeta &M;
};



/// A non-fatal report found while evaluating a call: emitted on the node that carries the
/// call's final state, so the path goes on from there.
struct PendingReport {
  const BugType *BT;
  std::string Msg;
  SymbolRef Sym;
  std::optional<RefState> RS;
  const Stmt *Uniq;
  const Stmt *RelocateTo = nullptr;
};

class RefcountChecker
    : public Checker<eval::Call, check::PreCall, check::DeadSymbols, check::PointerEscape,
                     check::ConstPointerEscape, check::Bind, check::Location,
                     check::PreStmt<ReturnStmt>, check::EndFunction> {
public:
  const BugType LeakBT{this, "krefcheck-leak", "krefcheck", /*SuppressOnSink=*/true};
  const BugType LoopLeakBT{this, "krefcheck-loop-leak", "krefcheck", /*SuppressOnSink=*/true};
  const BugType DoublePutBT{this, "krefcheck-double-put", "krefcheck"};
  const BugType UnownedBT{this, "krefcheck-put-unowned", "krefcheck"};
  const BugType UseAfterPutBT{this, "krefcheck-use-after-put", "krefcheck"};
  const BugType WrongReleaseBT{this, "krefcheck-wrong-release", "krefcheck"};

  const RuleSet *Rules = nullptr;
  CheckerContextData *Ctx = nullptr;

  bool evalCall(const CallEvent &Call, CheckerContext &C) const;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  ProgramStateRef checkPointerEscape(ProgramStateRef State, const InvalidatedSymbols &Escaped,
                                     const CallEvent *Call, PointerEscapeKind Kind) const;
  ProgramStateRef checkConstPointerEscape(ProgramStateRef State, const InvalidatedSymbols &,
                                          const CallEvent *, PointerEscapeKind) const {
    return State;  // a const pointer argument is borrowed
  }
  void checkBind(SVal Loc, SVal Val, const Stmt *S, CheckerContext &C) const;
  void checkLocation(SVal Loc, bool IsLoad, const Stmt *S, CheckerContext &C) const;
  void checkPreStmt(const ReturnStmt *RS, CheckerContext &C) const;
  void checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const;

private:
  /// A `transfer` into argument A.Into's object, where the caller passed an object of its own
  /// stack (`parser_init(&parser, np)`): a borrowed copy, the caller keeps the reference.
  static bool storedIntoCallersStack(const ArgRule &A, const CallEvent &Call) {
    if (A.Into < 0 || static_cast<unsigned>(A.Into) >= Call.getNumArgs()) return false;
    const MemRegion *MR = Call.getArgSVal(A.Into).getAsRegion();
    if (!MR) return false;
    return isa<StackSpaceRegion>(MR->getBaseRegion()->getMemorySpace());
  }

  ProgramStateRef handOver(ProgramStateRef St, SymbolRef Sym, const Stmt *Site,
                           const FunctionRule *To) const;
  bool evalErrorCheck(const CallEvent &Call, ErrCheckKind K, CheckerContext &C) const;
  ProgramStateRef acquireReturn(ProgramStateRef St, const FunctionRule &R, const CallEvent &Call,
                                CheckerContext &C, SVal &RetVal) const;
  ProgramStateRef release(ProgramStateRef St, SymbolRef Sym, const FunctionRule &R,
                          const CallEvent &Call, unsigned ArgIdx, bool Explicit,
                          CheckerContext &C, std::vector<PendingReport> &Pending) const;
  void transition(CheckerContext &C, ProgramStateRef St,
                  std::vector<PendingReport> &Pending) const;
  ProgramStateRef acquireObject(ProgramStateRef St, SymbolRef Sym, const FunctionRule &R,
                                const CallEvent &Call, const Expr *ArgE,
                                CheckerContext &C) const;
  ProgramStateRef outAcquire(ProgramStateRef St, const FunctionRule &R, const ArgRule &A,
                             const CallEvent &Call, CheckerContext &C) const;
  void report(CheckerContext &C, const BugType &BT, ExplodedNode *N, const std::string &Msg,
              SymbolRef Sym, const RefState *RS, const Stmt *Uniq,
              const Stmt *RelocateTo = nullptr) const;
  std::string describe(const RefState &RS, CheckerContext &C) const;
  /// Object X goes away (kfree(), or the put of its last reference with a release callback
  /// that drops nothing): references stored in its fields are lost. How: "kfree() frees 'p'".
  ProgramStateRef objectGone(ProgramStateRef St, SymbolRef X, const CallEvent &Call,
                             unsigned ArgIdx, const std::string &How, CheckerContext &C,
                             std::vector<PendingReport> &Pending) const;
  /// kfree(X) of an object this function did not allocate: its owning fields (Prepass) must
  /// have been released on this path.
  void checkOwningFields(ProgramStateRef St, SymbolRef X, const CallEvent &Call, unsigned ArgIdx,
                         const FunctionRule &R, CheckerContext &C,
                         std::vector<PendingReport> &Pending) const;
  /// Does function \p Fn's body assign to the field that \p Put names (`x->of_node`, the same
  /// object reached the same way: `sl->dev.of_node`, not `sl->master->dev.of_node`), or call
  /// an API that fills it with a reference (`out_acquire`)?
  bool storesIntoField(const Decl *Fn, const Expr *Put) const;
  /// The release callback stored in the object put_device() drops, if this path knows it.
  const FunctionDecl *releaseCallbackOf(ProgramStateRef St, const CallEvent &Call,
                                        unsigned ArgIdx) const;
};

bool RefcountChecker::storesIntoField(const Decl *Fn, const Expr *Put) const {
  if (!Fn || !Ctx || !Ctx->StoredFields) return false;
  auto It = Ctx->StoredFields->find(Fn);
  return It != Ctx->StoredFields->end() && It->second.count(accessPath(Put));
}

ProgramStateRef RefcountChecker::objectGone(ProgramStateRef St, SymbolRef X, const CallEvent &Call,
                                            unsigned ArgIdx, const std::string &How,
                                            CheckerContext &C,
                                            std::vector<PendingReport> &Pending) const {
  HeldOwnerTy Held = St->get<HeldOwner>();
  for (auto &[S, O] : Held) {
    if (O != X) continue;
    const RefState *RS = St->get<RefMap>(S);
    const FieldDecl *const *FD = St->get<HeldField>(S);
    if (RS && RS->K == RefState::Owned && RS->Count > (RS->Cleanup ? 1u : 0u) &&
        !St->getConstraintManager().isNull(St, S).isConstrainedTrue() && C.inTopFrame()) {
      RefState R = *RS;
      R.Frame = C.getStackFrame();  // lost here, whoever stored it
      const Family *F = R.Rule ? Rules->family(R.Rule->Family) : nullptr;
      Pending.push_back({&LeakBT,
                         describe(R, C) + " is held in field '" +
                             (FD ? (*FD)->getNameAsString() : std::string("?")) + "' of '" +
                             exprText(Call.getArgExpr(ArgIdx), C) + "'; " + How +
                             (F ? " (" + F->Release + "() missing)" : std::string()),
                         S, R, Call.getOriginExpr()});
    }
    St = forgetHeld(St->remove<RefMap>(S), S);
  }
  return St;
}

void RefcountChecker::checkOwningFields(ProgramStateRef St, SymbolRef X, const CallEvent &Call,
                                        unsigned ArgIdx, const FunctionRule &R, CheckerContext &C,
                                        std::vector<PendingReport> &Pending) const {
  if (!Ctx || !Ctx->OwningFields || Ctx->OwningFields->empty() || !C.inTopFrame()) return;
  if (St->contains<FreshObjects>(X) || St->contains<PassedWhole>(X)) return;
  // One object named by a variable (`kfree(priv)`): not an array (`kfree(p->items)`).
  const Expr *ArgE = Call.getArgExpr(ArgIdx)->IgnoreParenImpCasts();
  if (!isa<DeclRefExpr>(ArgE)) return;
  QualType T = ArgE->getType();
  if (!T->isPointerType()) return;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  if (!RD || !RD->getIdentifier()) return;
  const auto *XR = dyn_cast_or_null<SubRegion>(Call.getArgSVal(ArgIdx).getAsRegion());
  if (!XR) return;
  XR = cast<SubRegion>(XR->StripCasts());
  MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
  for (const FieldDecl *FD : RD->fields()) {
    auto It = Ctx->OwningFields->find({RD->getNameAsString(), FD->getNameAsString()});
    if (It == Ctx->OwningFields->end()) continue;
    const FieldRegion *FR = normalField(MRM.getFieldRegion(FD, XR), MRM);
    if (St->contains<HandledFields>(FR) || heldIn(St, X, FD)) continue;
    SymbolRef V = St->getSVal(FR).getAsLocSymbol();
    if (!V || St->get<RefMap>(V)) continue;  // NULL, something else, or tracked here
    if (St->getConstraintManager().isNull(St, V).isConstrainedTrue()) continue;
    auto [O, OF] = fieldOrigin(V);
    if (!OF || normalField(OF, MRM) != FR) continue;  // assigned on this path
    const Family *F = Rules->family(It->second.Family);
    // The finding names the acquisition in the function that stored it.
    std::optional<RefState> Acq;
    if (It->second.Rule)
      Acq = RefState{RefState::Owned, 1, false, false, false, false, false, false, false,
                     It->second.Rule, It->second.Site, nullptr, nullptr, C.getStackFrame()};
    Pending.push_back({&LeakBT,
                       R.Name + "() frees '" + exprText(Call.getArgExpr(ArgIdx), C) +
                           "' while its field '" + FD->getNameAsString() +
                           "' holds a reference (stored in " + It->second.Where +
                           ") that is not released on this path" +
                           (F ? " (" + F->Release + "() missing)" : std::string()),
                       nullptr, Acq, Call.getOriginExpr()});
  }
}

const FunctionDecl *RefcountChecker::releaseCallbackOf(ProgramStateRef St, const CallEvent &Call,
                                                       unsigned ArgIdx) const {
  const auto *SR = dyn_cast_or_null<SubRegion>(Call.getArgSVal(ArgIdx).getAsRegion());
  if (SR)
    if (const FunctionDecl *const *Fn = St->get<KnownReleaseCallback>(
            normalRegion(SR, St->getStateManager().getRegionManager())))
      return *Fn;
  QualType T = Call.getArgExpr(ArgIdx)->IgnoreParenImpCasts()->getType();
  if (!SR || !T->isPointerType()) return nullptr;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  if (!RD) return nullptr;
  for (const ReleaseCallbackField &RC : Rules->releaseCallbacks()) {
    if (RC.Record != RD->getNameAsString()) continue;
    for (const FieldDecl *FD : RD->fields()) {
      if (FD->getName() != RC.Field) continue;
      const FieldRegion *FR =
          St->getStateManager().getRegionManager().getFieldRegion(FD, SR);
      if (const FunctionDecl *Fn = St->getSVal(FR).getAsFunctionDecl()) return Fn;
    }
  }
  return nullptr;
}

std::string RefcountChecker::describe(const RefState &RS, CheckerContext &C) const {
  std::string S = RS.Var ? "'" + RS.Var->getNameAsString() + "'" : std::string("the reference");
  if (RS.Rule)
    S += " from " + RS.Rule->Name + "() (line " +
         lineMark(expansionLine(RS.Site, C.getSourceManager())) + ")";
  return S;
}

void RefcountChecker::report(CheckerContext &C, const BugType &BT, ExplodedNode *N,
                             const std::string &Msg, SymbolRef Sym, const RefState *RS,
                             const Stmt *Uniq, const Stmt *RelocateTo) const {
  if (!N) return;
  // A reference acquired inside an inlined callee is reported when that callee is analysed
  // as a function of its own, not once per caller.
  if (RS && RS->Frame && !RS->Frame->inTopFrame()) return;
  if (!RS && !C.inTopFrame()) return;
  const SourceManager &SM = C.getSourceManager();
  PathDiagnosticLocation UniqLoc;
  SourceLocation UL;
  if (Uniq) {
    UL = SM.getExpansionLoc(Uniq->getBeginLoc());
    UniqLoc = PathDiagnosticLocation(UL, SM);
  }
  const Decl *D = C.getLocationContext()->getStackFrame()->getDecl();
  // The message as shown, and its key: line numbers (lineMark) as "N".
  std::string Shown, Key;
  for (size_t I = 0; I < Msg.size(); ++I) {
    if (Msg[I] == '\x01') {
      size_t End = Msg.find('\x02', I);
      if (End == std::string::npos) End = Msg.size();
      Shown.append(Msg, I + 1, End - I - 1);
      Key += 'N';
      I = End;
      continue;
    }
    Shown += Msg[I];
    Key += Msg[I];
  }
  std::unique_ptr<PathSensitiveBugReport> R;
  if (RelocateTo)
    R = std::make_unique<RelocatedReport>(
        BT, Shown, N, UniqLoc, D,
        PathDiagnosticLocation::createBegin(RelocateTo, SM, C.getLocationContext()));
  else
    R = std::make_unique<PathSensitiveBugReport>(BT, Shown, N, UniqLoc, D);
  if (Sym) {
    R->markInteresting(Sym);
    R->addVisitor<RefVisitor>(Sym);
  }
  if (Ctx) {
    ReportMeta &M = Ctx->Reports.emplace_back();
    M.Tag = "krefcheck.report." + std::to_string(Ctx->Reports.size());
    Ctx->ReportByTag[M.Tag.c_str()] = &M;
    M.MessageKey = Key;
    if (RS && RS->Var) M.Variable = RS->Var->getNameAsString();
    if (RS && RS->Rule) M.Api = RS->Rule->Name;
    if (RS && RS->Site) M.AcquireRawLoc = SM.getExpansionLoc(RS->Site->getBeginLoc()).getRawEncoding();
    const Family *F = RS && RS->Rule ? Rules->family(RS->Rule->Family) : nullptr;
    if (F) {
      M.Family = F->Name;
      M.ReleaseFunction = F->Release;
    }
    R->addVisitor<MetaVisitor>(M);
  }
  C.emitReport(std::move(R));
}

bool RefcountChecker::evalErrorCheck(const CallEvent &Call, ErrCheckKind K,
                                     CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!CE || Call.getNumArgs() != 1) return false;
  SymbolRef Sym = Call.getArgSVal(0).getAsLocSymbol();
  if (!Sym) return false;  // a concrete pointer: let the inline body decide
  ProgramStateRef St = C.getState();
  SValBuilder &SVB = C.getSValBuilder();
  const LocationContext *LC = C.getLocationContext();
  QualType RT = CE->getType();
  loc::MemRegionVal Ptr(SVB.getRegionManager().getSymbolicRegion(Sym));

  // The error branch: nothing is owed for an ERR_PTR (or NULL) value.
  ProgramStateRef Err = St->remove<RefMap>(Sym);
  SVal ErrRet;
  if (K == ErrCheckKind::PtrErrOrZero) {
    DefinedOrUnknownSVal V = SVB.conjureSymbolVal(&ConjureTag, CE, LC, RT, C.blockCount());
    ErrRet = V;
    if (auto NZ = SVB.evalEQ(Err, V, SVB.makeZeroVal(RT)).getAs<DefinedOrUnknownSVal>())
      Err = Err->assume(*NZ, false);
  } else {
    ErrRet = SVB.makeTruthVal(true, RT);
  }
  if (Err && K != ErrCheckKind::IsErrOrNull) Err = Err->assume(Ptr, true);  // ERR_PTR != NULL
  if (Err) C.addTransition(Err->BindExpr(CE, LC, ErrRet));

  ProgramStateRef Ok = St;
  if (K == ErrCheckKind::IsErrOrNull) Ok = Ok->assume(Ptr, true);
  if (Ok) C.addTransition(Ok->BindExpr(CE, LC, SVB.makeZeroVal(RT)));
  return true;
}

ProgramStateRef RefcountChecker::acquireReturn(ProgramStateRef St, const FunctionRule &R,
                                               const CallEvent &Call, CheckerContext &C,
                                               SVal &RetVal) const {
  const auto *CE = cast<CallExpr>(Call.getOriginExpr());
  SValBuilder &SVB = C.getSValBuilder();
  const LocationContext *LC = C.getLocationContext();
  if (R.Returns == ReturnEffect::Arg && R.ReturnsArg < Call.getNumArgs()) {
    RetVal = Call.getArgSVal(R.ReturnsArg);
    SymbolRef Sym = objectSymbol(RetVal);
    if (!Sym) return St;  // of_node_get(NULL)
    if (const RefState *RS = St->get<RefMap>(Sym)) {
      if (RS->K == RefState::Owned) {
        RefState N = *RS;
        N.Count++;
        return St->set<RefMap>(Sym, N);
      }
      return St;  // a get after the last put: reported as use-after-put by checkPreCall
    }
    RefState N{RefState::Owned, 1, /*BorrowedBase=*/true, false, false, false, false, false, false, &R, CE, nullptr,
               rootVar(Call.getArgExpr(R.ReturnsArg)), C.getStackFrame()};
    // `of_node_get(np);` as a statement: the function keeps a reference for the object's
    // lifetime (a kobject, a table of names), unless it releases np somewhere itself.
    N.Weak = resultDiscarded(CE, C);
    return St->set<RefMap>(Sym, N);
  }
  QualType RT = CE->getType();
  RetVal = SVB.conjureSymbolVal(&ConjureTag, CE, LC, RT, C.blockCount());
  SymbolRef Sym = RetVal.getAsLocSymbol();
  if (!Sym) return St;
  RefState N{RefState::Owned, 1, false, false, false, false, false, false, false, &R, CE, nullptr, nullptr,
             C.getStackFrame()};
  N.Loop = R.isIteratorStep() && inLoopHeader(CE, C);
  return St->set<RefMap>(Sym, N);
}

ProgramStateRef RefcountChecker::release(ProgramStateRef St, SymbolRef Sym, const FunctionRule &R,
                                         const CallEvent &Call, unsigned ArgIdx, bool Explicit,
                                         CheckerContext &C,
                                         std::vector<PendingReport> &Pending) const {
  const Stmt *CE = Call.getOriginExpr();
  if (!Sym) return St;
  if (St->getConstraintManager().isNull(St, Sym).isConstrainedTrue()) return St;
  if (!St->get<RefMap>(Sym)) {
    // `of_node_put(p->np)`: the field still holds what this function stored there (a call in
    // between may have invalidated p's contents, not replaced the reference).
    auto [Obj, FR] = fieldOrigin(Sym);
    if (Obj && FR) {
      St = St->add<HandledFields>(normalField(FR, C.getSValBuilder().getRegionManager()));
      if (SymbolRef H = heldIn(St, Obj, FR->getDecl())) Sym = H;
    }
  }
  if (const RefState *RS = St->get<RefMap>(Sym)) {
    RefState N = *RS;
    if (RS->K == RefState::Owned) {
      if (N.Count > 1) {
        N.Count--;
        return St->set<RefMap>(Sym, N);
      }
      // The put of the reference this function's initialisation gave it (device_initialize,
      // device_register failure): the object is freed by its release callback. What its
      // fields hold is lost unless that callback (seen on this path) drops references.
      bool Initialised = false;
      if (RS->Rule)
        for (const ArgRule &A : RS->Rule->Args)
          Initialised |= A.Effect == ArgEffect::Acquire || A.Effect == ArgEffect::AcquireOnSuccess ||
                         A.Effect == ArgEffect::AcquireOnFailure;
      if (Initialised && !N.Cleanup) {
        const FunctionDecl *CB = releaseCallbackOf(St, Call, ArgIdx);
        if (CB && !(Ctx && Ctx->PuttingCallbacks &&
                    Ctx->PuttingCallbacks->count(CB->getCanonicalDecl())))
          St = objectGone(St, Sym, Call, ArgIdx,
                          R.Name + "() drops the last reference to '" +
                              exprText(Call.getArgExpr(ArgIdx), C) + "' and its release callback " +
                              CB->getNameAsString() + "() releases nothing",
                          C, Pending);
      }
      if (const Stmt *const *Store = St->get<StoredNoRef>(Sym)) {
        if (!Explicit && R.isIteratorStep()) {
          const auto *BO = dyn_cast<BinaryOperator>(*Store);
          const Family *F = N.Rule ? Rules->family(N.Rule->Family) : nullptr;
          std::string Get = F ? F->Get : std::string();
          Pending.push_back(
              {&UseAfterPutBT,
               describe(N, C) + " is stored in '" +
                   (BO ? exprText(BO->getLHS(), C) : std::string("an array")) + "' (line " +
                   lineMark(expansionLine(*Store, C.getSourceManager())) +
                   ") without a reference of its own; the next " + R.Name +
                   "() drops the only one and leaves the stored pointer dangling" +
                   (Get.empty() ? std::string() : " (" + Get + "() missing)"),
               Sym, N, *Store, *Store});
        }
        St = St->remove<StoredNoRef>(Sym);
      }
      if (N.BorrowedBase && !N.Cleanup) return St->remove<RefMap>(Sym);
      N.K = RefState::Released;
      N.Count = 0;
      N.ReleaseSite = CE;
      return St->set<RefMap>(Sym, N);
    }
    // Already released.
    if (RS->ConsumedBorrowed && !(RS->ConsumedByStep && Explicit))
      return St;  // two releases of a reference we never saw acquired: nothing certain to say
    ExplodedNode *EN = C.generateErrorNode(St);
    if (RS->Transferred)
      report(C, DoublePutBT, EN,
             describe(*RS, C) + " was handed to " +
                 (RS->ReleaseSite ? calleeOf(RS->ReleaseSite) : std::string("a consuming call")) +
                 " (line " + lineMark(expansionLine(RS->ReleaseSite, C.getSourceManager())) +
                 "), which releases it; " + R.Name + "() releases it again",
             Sym, RS, CE);
    else if (RS->ConsumedBorrowed)
      report(C, UnownedBT, EN,
             R.Name + "() releases '" + exprText(Call.getArgExpr(ArgIdx), C) +
                 "', whose reference " + (RS->Rule ? RS->Rule->Name + "()" : "an earlier call") +
                 " already dropped (line " +
                 lineMark(expansionLine(RS->ReleaseSite, C.getSourceManager())) +
                 "); this function never held one",
             Sym, RS, CE);
    else
      report(C, DoublePutBT, EN,
             describe(*RS, C) + " is released twice: again by " + R.Name + "() after line " +
                 lineMark(expansionLine(RS->ReleaseSite, C.getSourceManager())),
             Sym, RS, CE);
    return nullptr;
  }
  // Not tracked: a borrowed object. Releasing a pointer borrowed from a field the rules name
  // (`dev->of_node`), explicitly or as the `from` of a search, drops a reference we never had.
  {
    const MemRegion *FR = nullptr;
    if (const auto *SRV = dyn_cast<SymbolRegionValue>(Sym)) FR = SRV->getRegion();
    else if (const auto *SD = dyn_cast<SymbolDerived>(Sym)) FR = SD->getRegion();
    if (const auto *Field = dyn_cast_or_null<FieldRegion>(FR)) {
      const FieldDecl *FD = Field->getDecl();
      const LocationContext *Top = C.getLocationContext();
      while (Top->getParent()) Top = Top->getParent();
      const Decl *TopFn = Top->getDecl()->getCanonicalDecl();
      bool InReleaseCallback = Ctx && Ctx->ReleaseCallbacks && Ctx->ReleaseCallbacks->count(TopFn);
      bool KeptByFile = Ctx && Ctx->KeptFields &&
                        Ctx->KeptFields->count({FD->getParent()->getNameAsString(),
                                                FD->getNameAsString()});
      // A setter that drops the field's old reference and stores a new one
      // (`of_node_put(dev->of_node); dev->of_node = of_node_get(np);`) owns what it replaces.
      bool Replaces = storesIntoField(TopFn, Call.getArgExpr(ArgIdx));
      if (!InReleaseCallback && !KeptByFile && !Replaces &&
          Rules->borrowedField(FD->getParent()->getNameAsString(), FD->getNameAsString())) {
        Pending.push_back({&UnownedBT,
                           R.Name + "() " + (Explicit ? "releases" : "drops a reference on") +
                               " '" + exprText(Call.getArgExpr(ArgIdx), C) +
                               "', a reference this function does not hold (no matching get)",
                           nullptr, std::nullopt, CE});
        return St;
      }
    }
  }
  // Remember the drop only for a pointer the function was given (a parameter or a field it
  // read): a result of some call that is not tracked was handed elsewhere or is unknown.
  if (!isa<SymbolRegionValue>(Sym) && !isa<SymbolDerived>(Sym)) return St;
  RefState N{RefState::Released, 0, false, false, /*ConsumedBorrowed=*/true,
             /*ConsumedByStep=*/!Explicit, false, false, false, &R, CE, CE,
             rootVar(Call.getArgExpr(ArgIdx)), C.getStackFrame()};
  return St->set<RefMap>(Sym, N);
}

ProgramStateRef RefcountChecker::acquireObject(ProgramStateRef St, SymbolRef Sym,
                                               const FunctionRule &R, const CallEvent &Call,
                                               const Expr *ArgE, CheckerContext &C) const {
  if (!Sym) return St;
  if (const RefState *RS = St->get<RefMap>(Sym)) {
    if (RS->K == RefState::Owned) {
      RefState N = *RS;
      N.Count++;
      return St->set<RefMap>(Sym, N);
    }
  }
  // An object the function was given (a parameter's, not one it allocated) belongs to the
  // caller: initialising it is an init helper's job, the caller owns the reference.
  bool Given = isa<SymbolRegionValue>(Sym) || isa<SymbolDerived>(Sym);
  RefState N{RefState::Owned, 1, Given, false, false, false, false, /*Weak=*/Given, false, &R,
             Call.getOriginExpr(), nullptr, rootVar(ArgE), C.getStackFrame()};
  return St->set<RefMap>(Sym, N);
}

ProgramStateRef RefcountChecker::outAcquire(ProgramStateRef St, const FunctionRule &R,
                                            const ArgRule &A, const CallEvent &Call,
                                            CheckerContext &C) const {
  if (A.Index >= Call.getNumArgs()) return St;
  const MemRegion *Base = Call.getArgSVal(A.Index).getAsRegion();
  const auto *SR = dyn_cast_or_null<SubRegion>(Base);
  if (!SR) return St;
  QualType PT = Call.getArgExpr(A.Index)->IgnoreParenImpCasts()->getType();
  if (!PT->isPointerType()) return St;
  const RecordDecl *RD = PT->getPointeeType()->getAsRecordDecl();
  if (!RD) return St;
  const FieldDecl *FD = nullptr;
  for (const FieldDecl *F : RD->fields())
    if (F->getName() == A.Field) FD = F;
  if (!FD) return St;
  SValBuilder &SVB = C.getSValBuilder();
  const FieldRegion *FR = SVB.getRegionManager().getFieldRegion(FD, SR);
  DefinedOrUnknownSVal V = SVB.conjureSymbolVal(&ConjureTag, Call.getOriginExpr(),
                                                C.getLocationContext(), FD->getType(),
                                                C.blockCount());
  St = St->bindLoc(loc::MemRegionVal(FR), V, C.getLocationContext());
  SymbolRef Sym = V.getAsLocSymbol();
  if (!Sym) return St;
  // Filled into an object that outlives the call (`&aux->dev`, not a `struct of_phandle_args`
  // on the stack): the object holds the reference, as after `p->np = np` (checkBind), and no
  // variable does: findings say "the reference from X()" and name the field.
  const auto *Owner = dyn_cast<SymbolicRegion>(FR->getBaseRegion());
  bool Held = Owner && !isa<StackSpaceRegion>(Owner->getMemorySpace());
  RefState N{RefState::Owned, 1, false, false, false, false, false, false, false, &R,
             Call.getOriginExpr(), nullptr,
             Held ? nullptr : rootVar(Call.getArgExpr(A.Index)), C.getStackFrame()};
  St = St->set<RefMap>(Sym, N);
  if (Held) St = St->set<HeldOwner>(Sym, Owner->getSymbol())->set<HeldField>(Sym, FD);
  // A successful lookup never yields NULL.
  return St->assume(loc::MemRegionVal(SVB.getRegionManager().getSymbolicRegion(Sym)), true);
}

bool RefcountChecker::evalCall(const CallEvent &Call, CheckerContext &C) const {
  if (!Rules) return false;
  std::string Name = calleeName(Call);
  if (Name.empty()) return false;
  if (auto K = Rules->errorCheck(Name)) return evalErrorCheck(Call, *K, C);
  const FunctionRule *R = Rules->function(Name);
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!R) {
    // `return to_auxiliary_dev(dev);` with the inline's body not read: the same object,
    // seen through the structure that embeds it.
    const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
    const Expr *Arg = containerConversionArg(CE);
    if (!Arg || !FD || FD->hasBody() || Call.getNumArgs() != 1) return false;
    SVal V = Call.getArgSVal(0);
    if (!objectSymbol(V)) return false;
    SVal Cast = C.getSValBuilder().evalCast(V, CE->getType(), Arg->IgnoreParenImpCasts()->getType());
    C.addTransition(C.getState()->BindExpr(CE, C.getLocationContext(), Cast));
    return true;
  }
  if (!CE) return false;

  // What an opaque call would do to memory it can reach (out-parameters such as the `match`
  // of of_find_matching_node_and_match()); escapes caused by a rule call are ignored below,
  // the rule says what happens to references.
  ProgramStateRef St = Call.invalidateRegions(C.blockCount(), C.getState());
  const LocationContext *LC = C.getLocationContext();
  SValBuilder &SVB = C.getSValBuilder();
  // An argument the function dereferences is not NULL once it returns (paths where it was
  // NULL would have oopsed inside it).
  for (const ArgRule &A : R->Args)
    if (A.Dereferenced && A.Index < Call.getNumArgs())
      if (auto DV = Call.getArgSVal(A.Index).getAs<DefinedOrUnknownSVal>())
        if (ProgramStateRef NonNull = St->assume(*DV, true)) St = NonNull;

  bool Conditional = false;
  for (const ArgRule &A : R->Args)
    if (A.Effect == ArgEffect::TransferOnSuccess || A.Effect == ArgEffect::AcquireOnFailure ||
        A.Effect == ArgEffect::OutAcquire || A.Effect == ArgEffect::ReleaseOnFailure ||
        A.Effect == ArgEffect::AcquireOnSuccess)
      Conditional = true;

  // Unconditional argument effects.
  std::vector<PendingReport> Pending;
  for (const ArgRule &A : R->Args) {
    if (A.Index >= Call.getNumArgs()) continue;
    SymbolRef Sym = objectSymbol(Call.getArgSVal(A.Index));
    switch (A.Effect) {
    case ArgEffect::Release: {
      bool Explicit = !R->isIteratorStep();
      St = release(St, Sym, *R, Call, A.Index, Explicit, C, Pending);
      if (!St) return true;  // reported on a sink
      break;
    }
    case ArgEffect::Transfer:
      if (Sym && !storedIntoCallersStack(A, Call)) St = handOver(St, Sym, CE, R);
      break;
    case ArgEffect::Store:
      // Linked into a list (or a table) that outlives the call: its owner releases the
      // object. Not a declared hand-over: the function may still unlink and put it itself.
      if (Sym) St = handOver(St, Sym, CE, nullptr);
      break;
    case ArgEffect::Acquire:
      St = acquireObject(St, Sym, *R, Call, Call.getArgExpr(A.Index), C);
      break;
    case ArgEffect::Free:
      if (Sym) {
        checkOwningFields(St, Sym, Call, A.Index, *R, C, Pending);
        St = objectGone(St, Sym, Call, A.Index,
                        R->Name + "() frees '" + exprText(Call.getArgExpr(A.Index), C) + "' here",
                        C, Pending);
        if (const RefState *RS = St->get<RefMap>(Sym)) {
          if (RS->K == RefState::Owned) {
            const Family *F = RS->Rule ? Rules->family(RS->Rule->Family) : nullptr;
            Pending.push_back({&WrongReleaseBT,
                               describe(*RS, C) + " is a counted reference: free it with " +
                                   (F ? F->Release + "()" : std::string("its put function")) +
                                   ", not " + R->Name + "()",
                               Sym, *RS, RS->Site});
          }
          St = St->remove<RefMap>(Sym);
        }
      }
      break;
    default:
      break;
    }
  }

  // The return value.
  SVal RetVal = UnknownVal();
  if (R->Returns == ReturnEffect::Passthrough && R->ReturnsArg < Call.getNumArgs()) {
    RetVal = Call.getArgSVal(R->ReturnsArg);
  } else if (R->Returns == ReturnEffect::DataOf) {
    RetVal = SVB.conjureSymbolVal(&ConjureTag, CE, LC, CE->getType(), C.blockCount());
    SymbolRef Obj = R->ReturnsArg < Call.getNumArgs() ? objectSymbol(Call.getArgSVal(R->ReturnsArg))
                                                      : nullptr;
    if (SymbolRef S = RetVal.getAsLocSymbol(); S && Obj) St = St->set<DataOfObject>(S, Obj);
  } else if (R->Returns == ReturnEffect::Allocated) {
    RetVal = SVB.conjureSymbolVal(&ConjureTag, CE, LC, CE->getType(), C.blockCount());
    if (SymbolRef S = RetVal.getAsLocSymbol()) St = St->add<FreshObjects>(S);
  } else if (R->Returns != ReturnEffect::None && R->Returns != ReturnEffect::Passthrough) {
    St = acquireReturn(St, *R, Call, C, RetVal);
  } else if (!CE->getType()->isVoidType()) {
    RetVal = SVB.conjureSymbolVal(&ConjureTag, CE, LC, CE->getType(), C.blockCount());
  }

  if (!Conditional) {
    transition(C, St->BindExpr(CE, LC, RetVal), Pending);
    return true;
  }

  // Effects that depend on success (a 0 return) or failure.
  ProgramStateRef Ok = St, Fail = St;
  // A call with no result to test (`void device_set_of_node_from_dev()`) always succeeds.
  if (CE->getType()->isVoidType()) Fail = nullptr;
  if (auto DV = RetVal.getAs<DefinedOrUnknownSVal>()) {
    if (CE->getType()->isIntegralOrEnumerationType()) {
      DefinedOrUnknownSVal IsZero =
          SVB.evalEQ(St, *DV, SVB.makeZeroVal(CE->getType())).castAs<DefinedOrUnknownSVal>();
      std::tie(Ok, Fail) = St->assume(IsZero);
    }
  }
  std::vector<PendingReport> PendingFail = Pending;
  for (const ArgRule &A : R->Args) {
    if (A.Index >= Call.getNumArgs()) continue;
    SymbolRef Sym = objectSymbol(Call.getArgSVal(A.Index));
    switch (A.Effect) {
    case ArgEffect::ReleaseOnFailure:
      if (Fail) Fail = release(Fail, Sym, *R, Call, A.Index, /*Explicit=*/true, C, PendingFail);
      break;
    case ArgEffect::TransferOnSuccess:
      if (Ok && Sym) Ok = Ok->remove<RefMap>(Sym);
      break;
    case ArgEffect::AcquireOnFailure:
      if (Fail) Fail = acquireObject(Fail, Sym, *R, Call, Call.getArgExpr(A.Index), C);
      if (Ok && Sym) Ok = Ok->remove<RefMap>(Sym);
      break;
    case ArgEffect::OutAcquire:
      if (Ok) Ok = outAcquire(Ok, *R, A, Call, C);
      break;
    case ArgEffect::AcquireOnSuccess:
      if (Ok) Ok = acquireObject(Ok, Sym, *R, Call, Call.getArgExpr(A.Index), C);
      break;
    default:
      break;
    }
  }
  if (Ok) transition(C, Ok->BindExpr(CE, LC, RetVal), Pending);
  if (Fail && Fail != Ok) transition(C, Fail->BindExpr(CE, LC, RetVal), PendingFail);
  return true;
}

void RefcountChecker::transition(CheckerContext &C, ProgramStateRef St,
                                 std::vector<PendingReport> &Pending) const {
  if (Pending.empty()) {
    C.addTransition(St);
    return;
  }
  ExplodedNode *N = C.generateNonFatalErrorNode(St);
  for (PendingReport &P : Pending)
    report(C, *P.BT, N, P.Msg, P.Sym, P.RS ? &*P.RS : nullptr, P.Uniq, P.RelocateTo);
  Pending.clear();
}

void RefcountChecker::checkPreCall(const CallEvent &Call, CheckerContext &C) const {
  ProgramStateRef St = C.getState(), Entry = St;
  const FunctionRule *R = Rules ? Rules->function(calleeName(Call)) : nullptr;
  if (!R && Rules && !Rules->errorCheck(calleeName(Call))) {
    // A function whose body is not seen receives an object: it may release what the object's
    // fields hold (kfree() of it later is then not checked against its owning fields).
    const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
    if (!FD || !FD->hasBody()) {
      ProgramStateRef N = St;
      for (SymbolRef S : wholeObjects(Call)) N = N->add<PassedWhole>(S);
      St = N;
    }
  }
  if (St->get<RefMap>().isEmpty()) {
    if (St != Entry) C.addTransition(St);
    return;
  }
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) {
    if (R) {
      const ArgRule *A = R->argRule(I);
      if (A && (A->Effect == ArgEffect::Release || A->Effect == ArgEffect::ReleaseOnFailure ||
                A->Effect == ArgEffect::Free))
        continue;
    }
    SymbolRef Sym = objectSymbol(Call.getArgSVal(I));
    if (!Sym) continue;
    const RefState *RS = St->get<RefMap>(Sym);
    if (!RS || RS->K != RefState::Released || RS->ConsumedBorrowed || RS->Transferred) continue;
    ExplodedNode *EN = C.generateErrorNode(St);
    report(C, UseAfterPutBT, EN,
           describe(*RS, C) + " is passed to " +
               (Call.getCalleeIdentifier() ? Call.getCalleeIdentifier()->getName().str() + "()"
                                           : std::string("a call")) +
               " after its last reference was released (line " +
               lineMark(expansionLine(RS->ReleaseSite, C.getSourceManager())) + ")",
           Sym, RS, Call.getOriginExpr());
    return;
  }
  if (St != Entry) C.addTransition(St);
}

void RefcountChecker::checkLocation(SVal Loc, bool IsLoad, const Stmt *S,
                                    CheckerContext &C) const {
  ProgramStateRef St = C.getState();
  const MemRegion *R = Loc.getAsRegion();
  if (!R) return;
  if (const auto *FR = dyn_cast<FieldRegion>(R); FR && IsLoad && Ctx && Ctx->OwningFields &&
                                                 !Ctx->OwningFields->empty()) {
    const FieldDecl *FD = FR->getDecl();
    if (FD->getParent()->getIdentifier() &&
        Ctx->OwningFields->count({FD->getParent()->getNameAsString(), FD->getNameAsString()})) {
      const FieldRegion *N = normalField(FR, C.getSValBuilder().getRegionManager());
      if (!St->contains<HandledFields>(N)) {
        C.addTransition(St->add<HandledFields>(N));
        return;  // a region of a field is no symbolic region: nothing else to check here
      }
    }
  }
  if (St->get<RefMap>().isEmpty()) return;
  const auto *SymR = dyn_cast<SymbolicRegion>(R->getBaseRegion());
  if (!SymR) return;
  SymbolRef Sym = SymR->getSymbol();
  const RefState *RS = St->get<RefMap>(Sym);
  if (!RS || RS->K != RefState::Released || RS->ConsumedBorrowed || RS->Transferred) return;
  ExplodedNode *EN = C.generateErrorNode(St);
  report(C, UseAfterPutBT, EN,
         describe(*RS, C) + " is dereferenced after its last reference was released (line " +
             lineMark(expansionLine(RS->ReleaseSite, C.getSourceManager())) + ")",
         Sym, RS, S);
}

void RefcountChecker::checkBind(SVal Loc, SVal Val, const Stmt *S, CheckerContext &C) const {
  ProgramStateRef St = C.getState();
  if (const auto *FR = dyn_cast_or_null<FieldRegion>(Loc.getAsRegion())) {
    if (const FunctionDecl *Fn = Val.getAsFunctionDecl()) {
      const FieldDecl *FD = FR->getDecl();
      for (const ReleaseCallbackField &RC : Rules->releaseCallbacks())
        if (RC.Record == FD->getParent()->getNameAsString() && RC.Field == FD->getNameAsString()) {
          MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
          C.addTransition(St->set<KnownReleaseCallback>(normalRegion(FR->getSuperRegion(), MRM),
                                                        Fn->getCanonicalDecl()));
          return;
        }
      return;
    }
    // `p->np = np` into an object that outlives this frame: the object holds the reference.
    const auto *Base = dyn_cast<SymbolicRegion>(FR->getBaseRegion());
    SymbolRef VS = Val.getAsLocSymbol();
    if (!Base || !VS || isa<StackSpaceRegion>(Base->getMemorySpace())) return;
    const RefState *RS = St->get<RefMap>(VS);
    if (!RS || RS->K != RefState::Owned || RS->Count != 1 || RS->Cleanup) return;
    C.addTransition(St->set<HeldOwner>(VS, Base->getSymbol())->set<HeldField>(VS, FR->getDecl()));
    return;
  }
  if (isa_and_nonnull<ElementRegion>(Loc.getAsRegion())) {
    const auto *BO = dyn_cast_or_null<BinaryOperator>(S);
    SymbolRef VS = Val.getAsLocSymbol();
    if (!BO || !BO->isAssignmentOp() || !VS ||
        !isa<ArraySubscriptExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      return;
    const RefState *RS = St->get<RefMap>(VS);
    if (RS && RS->K == RefState::Owned && RS->Loop && RS->Count == 1 && !RS->Cleanup &&
        !RS->BorrowedBase)
      C.addTransition(St->set<StoredNoRef>(VS, S));
    return;
  }
  const auto *VR = dyn_cast_or_null<VarRegion>(Loc.getAsRegion());
  if (!VR) return;
  const VarDecl *VD = VR->getDecl();
  SymbolRef NewSym = Val.getAsLocSymbol();
  bool Changed = false;
  // Name findings after the variable that holds the reference, unless it is a macro's own
  // temporary (`__of_fwnode_handle_node`); a macro argument (`child` of for_each_*) is fine.
  SourceLocation VL = VD->getLocation();
  bool Nameable = !VL.isMacroID() || C.getSourceManager().isMacroArgExpansion(VL);
  if (NewSym && Nameable) {
    if (const RefState *RS = St->get<RefMap>(NewSym)) {
      if (RS->Var != VD) {
        RefState N = *RS;
        N.Var = VD;
        St = St->set<RefMap>(NewSym, N);
        Changed = true;
      }
    }
  }
  const CleanupAttr *CA = VD->getAttr<CleanupAttr>();
  const FunctionDecl *CF = CA ? CA->getFunctionDecl() : nullptr;
  if (CF && Rules && Rules->cleanup(CF->getNameAsString())) {
    // An initialisation of a variable that already holds a value means its scope was left
    // and entered again (a loop body): the cleanup released the old value on the way out.
    bool ScopeReentered = S && isa<DeclStmt>(S);
    const SymbolRef *OldP = St->get<CleanupHeld>(VR);
    SymbolRef Old = OldP ? *OldP : nullptr;
    if (Old) {
      if (const RefState *RS = St->get<RefMap>(Old)) {
        if (RS->Cleanup) {
          RefState N = *RS;
          bool Keep = true;
          if (ScopeReentered && N.K == RefState::Owned) {
            N.Count--;
            if (Old != NewSym && !heldByOtherCleanup(St, Old, VR)) N.Cleanup = false;
            if (N.Count == 0) {
              if (N.BorrowedBase) Keep = false;
              else N.K = RefState::Released;
            }
          } else if (Old != NewSym && !heldByOtherCleanup(St, Old, VR)) {
            // `prev __free = np; np = next(np);`: prev's cleanup still releases the old node.
            N.Cleanup = false;
            if (N.BorrowedBase && (N.K == RefState::Released || N.Count == 0)) Keep = false;
            if (N.K == RefState::Owned && N.Count == 0) Keep = false;
          }
          St = Keep ? St->set<RefMap>(Old, N) : St->remove<RefMap>(Old);
        }
      }
    }
    if (NewSym) {
      St = St->set<CleanupHeld>(VR, NewSym);
      if (const RefState *RS = St->get<RefMap>(NewSym)) {
        if (RS->K == RefState::Owned && !RS->Cleanup) {
          RefState N = *RS;
          N.Cleanup = true;
          St = St->set<RefMap>(NewSym, N);
        }
      }
    } else {
      St = St->remove<CleanupHeld>(VR);
    }
    Changed = true;
  }
  if (Changed) C.addTransition(St);
}

ProgramStateRef RefcountChecker::checkPointerEscape(ProgramStateRef State,
                                                    const InvalidatedSymbols &Escaped,
                                                    const CallEvent *Call,
                                                    PointerEscapeKind Kind) const {
  if (Call && Rules && Call->getCalleeIdentifier() &&
      (Rules->function(Call->getCalleeIdentifier()->getName().str()) ||
       Rules->errorCheck(Call->getCalleeIdentifier()->getName().str())))
    return State;  // the rule decides
  if (Call && (Kind == PSK_DirectEscapeOnCall || Kind == PSK_IndirectEscapeOnCall)) {
    // A call with no rule and no body borrows the objects its arguments point to (`np`, and
    // `pdev` for `&pdev->dev`), except where it takes them as `void *` data
    // (callback/registration context): then the callee keeps them. Objects only reachable
    // through an argument (`foo(&np)`, a struct holding them) may be taken: stop tracking.
    llvm::SmallPtrSet<SymbolRef, 4> Borrowed, Kept;
    for (unsigned I = 0, E = Call->getNumArgs(); I < E; ++I) {
      SymbolRef S = objectSymbol(Call->getArgSVal(I));
      if (!S) continue;
      bool VoidData = false;
      if (I < Call->parameters().size()) {
        QualType PT = Call->parameters()[I]->getType();
        VoidData = PT->isVoidPointerType() && !PT->getPointeeType().isConstQualified();
      }
      (VoidData ? Kept : Borrowed).insert(S);
    }
    llvm::SmallPtrSet<SymbolRef, 4> Whole = wholeObjects(*Call);
    for (SymbolRef S : Escaped) {
      if (!State->get<RefMap>(S)) continue;
      if (const SymbolRef *Owner = State->get<HeldOwner>(S)) {
        // Held in a field: only a function that receives the object itself may take it.
        if (Whole.count(*Owner) || Kept.count(S))
          State = forgetHeld(State->remove<RefMap>(S), S);
        continue;
      }
      if (Kept.count(S) || (Kind == PSK_IndirectEscapeOnCall && !Borrowed.count(S)))
        State = State->remove<RefMap>(S);
    }
    return State;
  }
  // Stored where it outlives the function, or handed over through a pointer to it.
  for (SymbolRef S : Escaped) {
    const RefState *RS = State->get<RefMap>(S);
    if (!RS) continue;
    if (State->get<HeldOwner>(S)) continue;  // see checkBind
    if (Kind == PSK_EscapeOnBind && State->get<StoredNoRef>(S)) continue;
    if (RS->K == RefState::Released && Kind != PSK_EscapeOnBind) continue;
    State = Kind == PSK_EscapeOnBind ? handOver(State, S, nullptr, nullptr)
                                     : State->remove<RefMap>(S);
  }
  return State;
}

void RefcountChecker::checkPreStmt(const ReturnStmt *RS, CheckerContext &C) const {
  if (!C.inTopFrame()) return;  // a callee's return value flows to its caller
  const Expr *E = RS->getRetValue();
  if (!E) return;
  ProgramStateRef St = C.getState();
  SymbolRef Sym = objectSymbol(C.getSVal(E));
  if (!Sym) return;
  if (!St->get<RefMap>(Sym)) {
    // The data of an object the function holds a reference on: the handle carries it.
    const SymbolRef *Obj = St->get<DataOfObject>(Sym);
    if (!Obj || !St->get<RefMap>(*Obj)) return;
    Sym = *Obj;
  }
  C.addTransition(handOver(St, Sym, nullptr, nullptr));
}

ProgramStateRef RefcountChecker::handOver(ProgramStateRef St, SymbolRef Sym, const Stmt *Site,
                                          const FunctionRule *To) const {
  const RefState *RS = St->get<RefMap>(Sym);
  if (!RS) return St;
  // One reference goes; any other the function holds is still owed
  // (`return of_node_get(child);` from inside a for_each loop).
  if (RS->K == RefState::Owned && RS->Count > 1 && !RS->Cleanup) {
    RefState N = *RS;
    N.Count--;
    return St->set<RefMap>(Sym, N);
  }
  // Handed to an API that the rules say will put it (devm_add_action_or_reset()): a later put
  // by this function is a double put. (A same-file summary's "stores its argument" is weaker
  // evidence: the pointer may be kept without a reference of its own.)
  bool Declared = To && To->Origin.rfind("summary", 0) != 0;
  if (Declared && RS->K == RefState::Owned && !RS->BorrowedBase && !RS->Cleanup) {
    RefState N = *RS;
    N.K = RefState::Released;
    N.Count = 0;
    N.Transferred = true;
    N.ReleaseSite = Site;
    return St->set<RefMap>(Sym, N);
  }
  return St->remove<RefMap>(Sym);
}

void RefcountChecker::checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const {
  ProgramStateRef St = C.getState();
  RefMapTy Map = St->get<RefMap>();
  if (Map.isEmpty()) return;
  llvm::SmallVector<std::pair<SymbolRef, RefState>, 2> DoublePuts;
  ProgramStateRef Next = St;
  for (auto &[Sym, RS] : Map) {
    if (RS.K == RefState::Lost || !SR.isDead(Sym)) continue;
    if (St->get<StoredNoRef>(Sym)) {
      Next = Next->remove<StoredNoRef>(Sym)->remove<RefMap>(Sym);
      continue;
    }
    if (const SymbolRef *Owner = St->get<HeldOwner>(Sym)) {
      // Held by an object: gone with it, kept while it lives (kfree() of it checks).
      if (SR.isDead(*Owner)) Next = forgetHeld(Next->remove<RefMap>(Sym), Sym);
      continue;
    }
    if (RS.K == RefState::Owned) {
      unsigned Owed = RS.Count - (RS.Cleanup ? 1 : 0);
      if (Owed == 0 || St->getConstraintManager().isNull(St, Sym).isConstrainedTrue()) {
        Next = Next->remove<RefMap>(Sym);
        continue;
      }
      // Nothing refers to the object any more: the reference is lost. It is reported where
      // the function exits on this path (checkEndFunction), which is where a reader looks.
      RefState L = RS;
      L.K = RefState::Lost;
      Next = Next->set<RefMap>(Sym, L);
      continue;
    }
    Next = Next->remove<RefMap>(Sym);
    if (RS.Cleanup) {
      // Released explicitly while a __free() variable still holds it.
      bool Held = false;
      for (auto &[Reg, HS] : St->get<CleanupHeld>())
        if (HS == Sym) Held = true;
      if (Held) DoublePuts.push_back({Sym, RS});
    }
  }
  for (auto &[Reg, HS] : Next->get<CleanupHeld>())
    if (SR.isDead(HS)) Next = Next->remove<CleanupHeld>(Reg);
  for (SymbolRef S : Next->get<FreshObjects>())
    if (SR.isDead(S)) Next = Next->remove<FreshObjects>(S);
  for (SymbolRef S : Next->get<PassedWhole>())
    if (SR.isDead(S)) Next = Next->remove<PassedWhole>(S);
  for (auto &[V, O] : Next->get<DataOfObject>())
    if (SR.isDead(V)) Next = Next->remove<DataOfObject>(V);
  if (DoublePuts.empty()) {
    if (Next != St) C.addTransition(Next);
    return;
  }
  ExplodedNode *N = C.generateNonFatalErrorNode(St);
  if (!N) return;
  for (auto &[Sym, RS] : DoublePuts)
    report(C, DoublePutBT, N,
           describe(RS, C) + " is released here and again by its __free() cleanup at scope exit",
           Sym, &RS, RS.ReleaseSite, RS.ReleaseSite);
  C.addTransition(Next, N);
}

void RefcountChecker::checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const {
  if (!C.inTopFrame()) return;
  ProgramStateRef St = C.getState();
  llvm::SmallVector<std::pair<SymbolRef, RefState>, 2> Lost;
  for (auto &[Sym, S] : St->get<RefMap>()) {
    // Lost on the way, or still held now that the function ends (a returned object keeps its
    // symbol alive: `return of_node_get(child);` hands over one reference of two).
    bool Held = S.K == RefState::Owned && S.Count > (S.Cleanup ? 1u : 0u) &&
                !St->getConstraintManager().isNull(St, Sym).isConstrainedTrue();
    if (S.K != RefState::Lost && !Held) continue;
    if (St->get<HeldOwner>(Sym)) continue;  // an object's field holds it: handed over
    if (St->get<StoredNoRef>(Sym)) continue;  // kept by the array it was stored in (a break)
    // A get whose result is thrown away (`of_node_get(np); return 0;`, `get_device(dev);`
    // kept while bound), or device_initialize() on an object the caller passed in, is how
    // the kernel keeps a reference on purpose: not reported.
    if (S.Weak) continue;
    Lost.push_back({Sym, S});
  }
  if (Lost.empty()) return;
  ExplodedNode *N = C.generateNonFatalErrorNode(St);
  if (!N) return;
  for (auto &[Sym, S] : Lost) {
    const Family *F = S.Rule ? Rules->family(S.Rule->Family) : nullptr;
    std::string Fix = F ? " (" + F->Release + "() missing)" : "";
    if (S.Loop)
      report(C, LoopLeakBT, N, describe(S, C) + " is not released when leaving the loop early" + Fix,
             Sym, &S, S.Site, RS);
    else
      report(C, LeakBT, N, describe(S, C) + " is not released on this path" + Fix, Sym, &S,
             S.Site, RS);
  }
}

}  // namespace

void registerRefcountChecker(CheckerManager &Mgr) {
  RefcountChecker *Chk = Mgr.registerChecker<RefcountChecker>();
  Chk->Ctx = CurrentCtx;
  Chk->Rules = CurrentCtx ? CurrentCtx->Rules : nullptr;
}

bool shouldRegisterRefcountChecker(const CheckerManager &) { return true; }

}  // namespace krefcheck
