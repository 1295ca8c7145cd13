// krefcheck's path-sensitive checker. Modelled on Clang's SimpleStreamChecker: one state trait
// (RefMap: symbol -> RefState), the callbacks that move a symbol between states, and the reports.
//
// States of a tracked object (the symbol of a pointer, or of the struct that embeds the counted
// object: `&pdev->dev` reaches `pdev`) are RefState::Kind: Owned(n) (this function holds n
// references, counted relative to what it was given), Released (it dropped its last one: uses
// and puts are now bugs), Relinquished, Consumed*, Lost. An untracked symbol is borrowed: calls
// without a rule borrow, a put of a borrowed object is only reported when the rules say where
// it was borrowed from (`dev->of_node`). What fields of objects hold is FieldOwnership.h's.
#include "analysis/RefcountChecker.h"

#include "analysis/AstUtil.h"
#include "analysis/Callback.h"
#include "analysis/CompileTimeAsserts.h"
#include "analysis/FieldOwnership.h"
#include "analysis/LoopWidening.h"
#include "analysis/PathRefutation.h"
#include "analysis/RefPath.h"
#include "analysis/RefState.h"
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

#include <iterator>
#include <map>
#include <optional>

using namespace clang;
using namespace clang::ento;

namespace krefcheck {

static CheckerContextData *CurrentCtx = nullptr;
// Tags the symbols the checker conjures, so they never coincide with the ones the engine
// conjures when it invalidates the same call's arguments.
static const int ConjureTag = 0;
// Out-parameter values get tags of their own (one per argument index): a symbol conjured for
// the same call, type and tag is the same symbol, and `ep = next(&port)` must not make the
// returned reference and the one stored into *port one object.
static const int OutParamTags[16] = {};
static const void *outParamTag(unsigned Index) { return &OutParamTags[Index < 16 ? Index : 15]; }
void setCheckerContext(CheckerContextData *Ctx) { CurrentCtx = Ctx; }

}  // namespace krefcheck

// An iterator's current node stored without a reference of its own into an array element, a
// field of an object or a global (`nodes[i] = child;`, `d->np = child;`, `g_np = child;` in a
// for_each loop): the reference -> the store. The next step of the iterator drops the only
// reference and leaves the stored pointer dangling; leaving the loop right away (a break)
// hands the iterator's reference to the store.
REGISTER_MAP_WITH_PROGRAMSTATE(StoredNoRef, clang::ento::SymbolRef, const clang::Stmt *)
// Values an object holds for its users (`platform_get_drvdata(pdev)`, a `data_of` rule): the
// value -> that object. Returning the value while holding a reference on the object hands the
// reference to the caller with it (`qmp_get()` returns the drvdata; `qmp_put()` puts the
// device).
REGISTER_MAP_WITH_PROGRAMSTATE(DataOfObject, clang::ento::SymbolRef, clang::ento::SymbolRef)
// References held in a field of an object that died (unreachable now) when nothing in the
// file releases that field: the reference -> that field (reported at the function's exit).
REGISTER_MAP_WITH_PROGRAMSTATE(LostInField, clang::ento::SymbolRef, const clang::FieldDecl *)
// __free() variables -> the symbol they currently hold.
REGISTER_MAP_WITH_PROGRAMSTATE(CleanupHeld, const clang::ento::MemRegion *, clang::ento::SymbolRef)
// Pointers ERR_PTR() made from a value that is not a constant (`ERR_PTR(ret)`).
REGISTER_SET_WITH_PROGRAMSTATE(ErrorPointers, clang::ento::SymbolRef)
// References stored into a global variable that nothing in the file releases
// (`stdout_path = np;` with no of_node_put(stdout_path) anywhere): the reference -> that
// variable. Kept in the RefMap and reported where the function exits.
REGISTER_MAP_WITH_PROGRAMSTATE(StoredInGlobal, clang::ento::SymbolRef, const clang::VarDecl *)
// Objects of which this function held several references when it linked one into a list (a
// `store`: device_initialize() + get_device(), then list_add_tail()): the list holds one of
// them. Once the function's own are put, the object lives on and one more put (unlinking it)
// drops the list's reference (usb_add_gadget()'s error path).
REGISTER_SET_WITH_PROGRAMSTATE(ListHeld, clang::ento::SymbolRef)
// Objects whose last put here does not free them: the function frees the memory itself later
// (PrepassResult::FreedAfterPut). Another put is still a double put; a use is no use after put.
REGISTER_SET_WITH_PROGRAMSTATE(KeptAfterPut, clang::ento::SymbolRef)
// Objects a handle's put function found by a lookup keyed on the handle (PrepassResult::
// HandleLookups): one of their Count references is the one the handle carried back from the
// file's getter. The function may drop it (its second put is no double put) and does not owe
// it (a path that puts only once leaks nothing of its own).
REGISTER_SET_WITH_PROGRAMSTATE(HandleCarried, clang::ento::SymbolRef)
// The pointer comparison being evaluated (set before it, cleared after it). Where the engine
// cannot evaluate one (`ACPI_COMPANION(dev) != adev`: a container_of() of one unknown object
// against another), ExprEngine::VisitBinaryOperator makes both operands escape (no call,
// PSK_EscapeOther); a comparison neither stores nor hands over a reference.
REGISTER_TRAIT_WITH_PROGRAMSTATE(ComparingPointers, const clang::BinaryOperator *)
// Handles a predicate (`uncounted_if_true`: is_acpi_node()) said on this path belong to an
// implementation that counts no references, and the handles derived from them: the handle ->
// that predicate's rule (its family is the one that counts nothing there).
REGISTER_MAP_WITH_PROGRAMSTATE(UncountedHandles, clang::ento::SymbolRef,
                               const krefcheck::FunctionRule *)
// References this function held until a call that may have taken them made it stop tracking
// them (the object holding one passed whole, one reachable only through an argument): a later
// put of the same pointer (`phy_node = of_node_get(np); fep->phy_node = phy_node;
// parse(fep, np); ... of_node_put(phy_node);`) has its matching get, whatever the call did.
REGISTER_SET_WITH_PROGRAMSTATE(LetGoOwned, clang::ento::SymbolRef)

namespace krefcheck {
namespace {

using fields::objectSymbol;

/// The object's memory outlives the put that dropped this function's last reference: a list
/// still holds one, or the function frees it itself later.
bool memoryKept(ProgramStateRef St, SymbolRef Sym) {
  return St->contains<ListHeld>(Sym) || St->contains<KeptAfterPut>(Sym);
}

/// Does a put function of the file (PrepassResult::HandleFields) release a reference of
/// Family through a `struct RD *` parameter's member Field (any member when Field is null)?
/// Then RD is the type of a handle that carries such a reference back to its put function.
bool handleField(const CheckerContextData *Ctx, const std::string &Family, const RecordDecl *RD,
                 const FieldDecl *Field) {
  if (!Ctx || !Ctx->HandleFields || !RD || !RD->getIdentifier()) return false;
  std::string Record = RD->getNameAsString();
  if (Field) return Ctx->HandleFields->count({Family, Record, Field->getNameAsString()}) > 0;
  auto It = Ctx->HandleFields->lower_bound({Family, Record, std::string()});
  return It != Ctx->HandleFields->end() && std::get<0>(*It) == Family && std::get<1>(*It) == Record;
}

/// The family of the reference RS holds ("" if its rule does not say).
std::string familyOf(const RefState &RS) { return RS.Rule ? RS.Rule->Family : std::string(); }

/// `&spd`, `&mdev.dev`: an object with static storage (a global, or a function's `static`)
/// has no symbol of its own; the symbol of its region's value stands for it, so a rule that
/// initialises it (device_register() failing) is tracked like one on a heap object. The
/// region never dies: what is still owed is reported when the function ends.
SymbolRef staticObjectSymbol(SVal V, CheckerContext &C) {
  const MemRegion *R = V.getAsRegion();
  const auto *VR = R ? dyn_cast<VarRegion>(R->getBaseRegion()) : nullptr;
  if (!VR || !VR->getDecl()->hasGlobalStorage() || !VR->getValueType()->isRecordType())
    return nullptr;
  return C.getSymbolManager().getRegionValueSymbol(VR);
}

/// Is \p RD declared in the main file or in a header of the main file's directory (a driver's
/// own struct, not a kernel API's)?
bool declaredBesideMainFile(const RecordDecl *RD, const SourceManager &SM) {
  SourceLocation L = SM.getExpansionLoc(RD->getLocation());
  FileID F = SM.getFileID(L), Main = SM.getMainFileID();
  if (F == Main) return true;
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(F), ME = SM.getFileEntryRefForID(Main);
  return FE && ME && FE->getDir() == ME->getDir();
}

/// The call in frame \p Outer through which frame \p Inner (a callee of it, maybe indirectly)
/// was entered; null if Inner is not below Outer.
const Stmt *callSiteIn(const StackFrameContext *Inner, const StackFrameContext *Outer) {
  for (const StackFrameContext *F = Inner; F && F->getParent(); F = F->getParent()->getStackFrame())
    if (F->getParent()->getStackFrame() == Outer) return F->getCallSite();
  return nullptr;
}

bool isStaticObjectSymbol(SymbolRef S) {
  const auto *RV = dyn_cast_or_null<SymbolRegionValue>(S);
  const auto *VR = RV ? dyn_cast<VarRegion>(RV->getRegion()) : nullptr;
  return VR && VR->getDecl()->hasGlobalStorage() && VR->getValueType()->isRecordType();
}

/// Whether a __free() variable other than \p Except holds \p Sym (its cleanup will release it).
bool heldByOtherCleanup(ProgramStateRef St, SymbolRef Sym, const MemRegion *Except) {
  for (auto &[Reg, HS] : St->get<CleanupHeld>())
    if (HS == Sym && Reg != Except) return true;
  return false;
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

/// Does the top frame leave through \p RS with 0 from a function returning an int (its
/// success, errno style)?
bool returnsZero(const ReturnStmt *RS, CheckerContext &C) {
  const Expr *E = RS ? RS->getRetValue() : nullptr;
  const auto *FD = dyn_cast_or_null<FunctionDecl>(C.getLocationContext()->getDecl());
  if (!E || !FD || !FD->getReturnType()->isIntegerType()) return false;
  SVal V = C.getState()->getSVal(E, C.getLocationContext());
  if (V.isUnknownOrUndef()) return false;
  return C.getState()->isNull(V).isConstrainedTrue();
}

/// Is the value of call E (made in frame F) only tested, the condition of an `if`
/// (`if (!get_device(&sdev->sdev_gendev)) goto fail;`), never kept in a variable?
bool resultOnlyTested(const Stmt *E, const StackFrameContext *F) {
  if (!E || !F) return false;
  const ParentMap &PM = F->getParentMap();
  const Stmt *Child = E, *P = PM.getParent(E);
  while (P && (isa<ParenExpr>(P) || isa<CastExpr>(P) ||
               (isa<UnaryOperator>(P) && cast<UnaryOperator>(P)->getOpcode() == UO_LNot)))
    Child = P, P = PM.getParent(P);
  const auto *If = dyn_cast_or_null<IfStmt>(P);
  return If && Child == If->getCond();
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
using PendingReports = std::vector<PendingReport>;

class RefcountChecker
    : public Checker<eval::Call, check::PreCall, check::DeadSymbols, check::PointerEscape,
                     check::RegionChanges, check::Bind, check::Location, check::PreStmt<ReturnStmt>,
                     check::PreStmt<BinaryOperator>, check::PostStmt<BinaryOperator>,
                     check::EndFunction> {
public:
  const BugType LeakBT{this, "krefcheck-leak", "krefcheck", /*SuppressOnSink=*/true};
  const BugType LoopLeakBT{this, "krefcheck-loop-leak", "krefcheck", /*SuppressOnSink=*/true};
  const BugType DoublePutBT{this, "krefcheck-double-put", "krefcheck"};
  const BugType UnownedBT{this, "krefcheck-put-unowned", "krefcheck"};
  const BugType UseAfterPutBT{this, "krefcheck-use-after-put", "krefcheck"};
  const BugType WrongReleaseBT{this, "krefcheck-wrong-release", "krefcheck"};

  const RuleSet *Rules = nullptr;
  CheckerContextData *Ctx = nullptr;
  mutable widening::StableLocals Stable;  // locals the loop widening cannot change

  bool evalCall(const CallEvent &Call, CheckerContext &C) const;
  SymbolRef handleActionObject(ProgramStateRef St, const ArgRule &A, const CallExpr *CE,
                               const CallEvent &Call, const std::set<const Decl *> &Parsed) const;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const;
  ProgramStateRef checkRegionChanges(ProgramStateRef State, const InvalidatedSymbols *Invalidated,
                                     ArrayRef<const MemRegion *> ExplicitRegions,
                                     ArrayRef<const MemRegion *> Regions,
                                     const LocationContext *LCtx, const CallEvent *Call) const;
  ProgramStateRef checkPointerEscape(ProgramStateRef State, const InvalidatedSymbols &Escaped,
                                     const CallEvent *Call, PointerEscapeKind Kind) const;
  void checkBind(SVal Loc, SVal Val, const Stmt *S, CheckerContext &C) const;
  void checkLocation(SVal Loc, bool IsLoad, const Stmt *S, CheckerContext &C) const;
  void checkPreStmt(const ReturnStmt *RS, CheckerContext &C) const;
  void checkPreStmt(const BinaryOperator *BO, CheckerContext &C) const;
  void checkPostStmt(const BinaryOperator *BO, CheckerContext &C) const;
  void checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const;
  /// Sym's variable is released only where the returned variable is an error (PrepassResult::
  /// ReleasedOnFailedResult), and here it returns that variable holding none: handed over.
  bool transferredWithResult(const RefState &S, const ReturnStmt *RS, CheckerContext &C) const;

private:
  /// One argument of a rule call and what the rule does to it.
  struct ArgOfCall {
    const FunctionRule &R;
    const ArgRule &A;
    const CallEvent &Call;
    SymbolRef Sym;  // the object the argument reaches (null: none)
    const Expr *expr() const { return Call.getArgExpr(A.Index); }
  };

  // evalCall, in the order it runs.
  bool evalContainerConversion(const CallEvent &Call, CheckerContext &C) const;
  bool evalErrorCheck(const CallEvent &Call, ErrCheckKind K, CheckerContext &C) const;
  bool evalUncountedPredicate(const FunctionRule &R, const CallEvent &Call,
                              CheckerContext &C) const;
  bool evalOnUncounted(const FunctionRule &R, const CallEvent &Call, CheckerContext &C) const;
  ProgramStateRef applyChange(RefChange Change, ProgramStateRef St, const ArgOfCall &Arg,
                              CheckerContext &C, PendingReports &Pending) const;
  ProgramStateRef bindReturnValue(ProgramStateRef St, const FunctionRule &R, const CallEvent &Call,
                                  CheckerContext &C, SVal &RetVal) const;
  ProgramStateRef acquireReturn(ProgramStateRef St, const FunctionRule &R, const CallEvent &Call,
                                CheckerContext &C, SVal &RetVal) const;
  void transition(CheckerContext &C, ProgramStateRef St, PendingReports &Pending) const;

  // What a RefChange does to one argument.
  ProgramStateRef release(ProgramStateRef St, const ArgOfCall &Arg, CheckerContext &C,
                          PendingReports &Pending) const;
  ProgramStateRef releaseOwned(ProgramStateRef St, SymbolRef Sym, RefState N, const ArgOfCall &Arg,
                               bool Explicit, CheckerContext &C, PendingReports &Pending) const;
  void reportReleaseOfDropped(ProgramStateRef St, SymbolRef Sym, const RefState &RS,
                              const ArgOfCall &Arg, CheckerContext &C) const;
  /// A pointer the function was given, dropped by an iterator step (`next(parent, given)`),
  /// then passed to a call: reported as krefcheck-put-unowned at the step.
  void reportUseAfterStepDrop(ProgramStateRef St, SymbolRef Sym, const RefState &RS,
                              const clang::ento::CallEvent &Call, CheckerContext &C) const;
  ProgramStateRef releaseUntracked(ProgramStateRef St, SymbolRef Sym, const ArgOfCall &Arg,
                                   bool Explicit, CheckerContext &C, PendingReports &Pending) const;
  bool putsBorrowedField(SymbolRef Sym, const ArgOfCall &Arg, bool Explicit,
                         CheckerContext &C) const;
  ProgramStateRef handOver(ProgramStateRef St, SymbolRef Sym, const Stmt *Site,
                           const FunctionRule *To) const;
  ProgramStateRef acquireObject(ProgramStateRef St, const ArgOfCall &Arg, CheckerContext &C) const;
  ProgramStateRef outAcquire(ProgramStateRef St, const ArgOfCall &Arg, CheckerContext &C) const;
  ProgramStateRef freeObject(ProgramStateRef St, const ArgOfCall &Arg, CheckerContext &C,
                             PendingReports &Pending) const;
  /// Object X goes away (kfree(), or the put of its last reference with a release callback
  /// that drops nothing): references stored in its fields are lost. How: "kfree() frees 'p'".
  ProgramStateRef objectGone(ProgramStateRef St, SymbolRef X, const CallEvent &Call,
                             unsigned ArgIdx, const std::string &How, CheckerContext &C,
                             PendingReports &Pending) const;
  /// Does the local variable that last held reference S (RS.Var, of this frame) still hold it?
  bool stillInVariable(ProgramStateRef St, SymbolRef S, const RefState &RS,
                       CheckerContext &C) const;
  /// kfree(X) of an object this function did not allocate: its owning fields (Prepass) must
  /// have been released on this path.
  /// The field holding Sym (an object's, on this path) when nothing in the file releases
  /// that field: the reference is lost with the object. Null otherwise.
  const FieldDecl *unreleasedField(ProgramStateRef St, SymbolRef Sym, const RefState &RS) const;
  void checkOwningFields(ProgramStateRef St, SymbolRef X, const ArgOfCall &Arg, CheckerContext &C,
                         PendingReports &Pending) const;

  // checkBind, by what is bound to.
  // Each adds one transition from St when it or St differs from the node's state.
  void bindField(ProgramStateRef St, const FieldRegion *FR, SVal Val, const Stmt *S,
                 CheckerContext &C) const;
  void bindArrayElement(ProgramStateRef St, const MemRegion *R, SVal Val, const Stmt *S,
                        CheckerContext &C) const;
  ProgramStateRef carryHandleReference(ProgramStateRef St, const VarRegion *VR, SVal Val,
                                       CheckerContext &C) const;
  void bindVariable(ProgramStateRef St, const VarRegion *VR, SVal Val, const Stmt *S,
                    CheckerContext &C) const;
  ProgramStateRef bindCleanupVariable(ProgramStateRef St, const VarRegion *VR, SymbolRef NewSym,
                                      bool ScopeReentered) const;

  void report(CheckerContext &C, const BugType &BT, ExplodedNode *N, const std::string &Msg,
              SymbolRef Sym, const RefState *RS, const Stmt *Uniq, const Stmt *RelocateTo = nullptr,
              const std::string &HeldField = "") const;
  std::string describe(const RefState &RS, CheckerContext &C) const;
  /// " (of_node_put() missing)" for the family of the API that acquired RS, else "".
  std::string missingRelease(const FunctionRule *Acquirer) const;
};

std::string RefcountChecker::missingRelease(const FunctionRule *Acquirer) const {
  const Family *F = Acquirer ? Rules->family(Acquirer->Family) : nullptr;
  return F ? " (" + F->Release + "() missing)" : std::string();
}

ProgramStateRef RefcountChecker::objectGone(ProgramStateRef St, SymbolRef X, const CallEvent &Call,
                                            unsigned ArgIdx, const std::string &How,
                                            CheckerContext &C, PendingReports &Pending) const {
  for (auto &[S, FD] : fields::heldBy(St, X)) {
    const RefState *RS = St->get<RefMap>(S);
    // The function still has the pointer in a variable of its own (`dev`, after
    // `stmf->stm = to_stm_device(dev)`): not lost with the object; a later put of it releases
    // the reference, and the leak is reported where it dies if none does.
    if (RS && RS->K == RefState::Owned && stillInVariable(St, S, *RS, C)) {
      St = fields::forgetHeld(St, S);
      continue;
    }
    if (RS && RS->K == RefState::Owned && RS->Count > (RS->Cleanup ? 1u : 0u) &&
        !St->getConstraintManager().isNull(St, S).isConstrainedTrue() && C.inTopFrame()) {
      RefState R = *RS;
      R.Frame = C.getStackFrame();  // lost here, whoever stored it
      Pending.push_back({&LeakBT,
                         describe(R, C) + " is held in field '" +
                             (FD ? FD->getNameAsString() : std::string("?")) + "' of '" +
                             exprText(Call.getArgExpr(ArgIdx), C) + "'; " + How +
                             missingRelease(R.Rule),
                         S, R, Call.getOriginExpr()});
    }
    St = fields::forgetHeld(St->remove<RefMap>(S), S);
  }
  return St;
}

bool RefcountChecker::stillInVariable(ProgramStateRef St, SymbolRef S, const RefState &RS,
                                      CheckerContext &C) const {
  if (!RS.Var || !RS.Var->hasLocalStorage() || isa<ParmVarDecl>(RS.Var)) return false;
  MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
  const VarRegion *VR = MRM.getVarRegion(RS.Var, C.getLocationContext());
  return objectSymbol(St->getSVal(VR)) == S;
}

void RefcountChecker::checkOwningFields(ProgramStateRef St, SymbolRef X, const ArgOfCall &Arg,
                                        CheckerContext &C, PendingReports &Pending) const {
  if (!C.inTopFrame()) return;
  MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
  auto Tracked = [&](SymbolRef V) { return St->get<RefMap>(V) != nullptr; };
  for (const fields::UnreleasedField &U :
       fields::unreleasedOwningFields(St, X, Arg.Call, Arg.A.Index, Ctx, MRM, Tracked)) {
    const Family *F = Rules->family(U.Owning->Family);
    // The finding names the acquisition in the function that stored it.
    std::optional<RefState> Acq;
    if (U.Owning->Rule)
      Acq = RefState::owned(RefState::New, U.Owning->Rule, U.Owning->Site, nullptr,
                            C.getStackFrame());
    Pending.push_back({&LeakBT,
                       Arg.R.Name + "() frees '" + exprText(Arg.expr(), C) + "' while its field '" +
                           U.Field->getNameAsString() + "' holds a reference (stored in " +
                           U.Owning->Where + ") that is not released on this path" +
                           (F ? " (" + F->Release + "() missing)" : std::string()),
                       nullptr, Acq, Arg.Call.getOriginExpr()});
  }
}

std::string RefcountChecker::describe(const RefState &RS, CheckerContext &C) const {
  std::string S = RS.Var ? "'" + RS.Var->getNameAsString() + "'" : std::string("the reference");
  // Acquired by an inlined same-file function that returned it: named after that function.
  std::string From = RS.Rule ? RS.Rule->Name : std::string();
  if (const auto *CE = dyn_cast_or_null<CallExpr>(RS.Site))
    if (const FunctionDecl *FD = CE->getDirectCallee(); FD && FD->hasBody() && FD->getIdentifier())
      From = FD->getName().str();
  if (RS.Rule)
    S += " from " + From + "() (line " + lineMark(expansionLine(RS.Site, C.getSourceManager())) +
         ")";
  return S;
}
void RefcountChecker::report(CheckerContext &C, const BugType &BT, ExplodedNode *N,
                             const std::string &Msg, SymbolRef Sym, const RefState *RS,
                             const Stmt *Uniq, const Stmt *RelocateTo,
                             const std::string &HeldField) const {
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
  else R = std::make_unique<PathSensitiveBugReport>(BT, Shown, N, UniqLoc, D);
  if (Sym) {
    R->markInteresting(Sym);
    addRefVisitor(*R, Sym);
    if (Ctx) addUnsummarisedVisitor(*R, Sym, *Ctx);
  }
  {
    const Family *F = RS && RS->Rule ? Rules->family(RS->Rule->Family) : nullptr;
    bool Leak = &BT == &LeakBT || &BT == &LoopLeakBT;
    addContradictionRefuter(*R, Leak ? Sym : nullptr, Leak && F ? F->Release : std::string());
  }
  if (Ctx) {
    ReportMeta &M = Ctx->Reports.emplace_back();
    M.Tag = "krefcheck.report." + std::to_string(Ctx->Reports.size());
    Ctx->ReportByTag[M.Tag.c_str()] = &M;
    M.MessageKey = Key;
    M.HeldField = HeldField;
    if (RS && RS->Var) M.Variable = RS->Var->getNameAsString();
    if (RS && RS->Rule) M.Api = RS->Rule->Name;
    if (RS && RS->Site)
      M.AcquireRawLoc = SM.getExpansionLoc(RS->Site->getBeginLoc()).getRawEncoding();
    const Family *F = RS && RS->Rule ? Rules->family(RS->Rule->Family) : nullptr;
    if (F) {
      M.Family = F->Name;
      M.ReleaseFunction = F->Release;
    }
    addMetaVisitor(*R, M);
  }
  C.emitReport(std::move(R));
}

bool RefcountChecker::evalErrorCheck(const CallEvent &Call, ErrCheckKind K,
                                     CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!CE || Call.getNumArgs() != 1) return false;
  ProgramStateRef St = C.getState();
  SValBuilder &SVB = C.getSValBuilder();
  const LocationContext *LC = C.getLocationContext();
  QualType RT = CE->getType();
  // ERR_PTR(error): the error as a pointer (a constant stays one); a symbol made here is an
  // error pointer for the tests below.
  if (K == ErrCheckKind::MakeErr) {
    SVal V = Call.getArgSVal(0);
    if (auto CI = V.getAs<nonloc::ConcreteInt>()) {
      llvm::APSInt P = CI->getValue().extOrTrunc(C.getASTContext().getTypeSize(RT));
      P.setIsUnsigned(true);
      C.addTransition(St->BindExpr(CE, LC, SVB.makeIntLocVal(P)));
      return true;
    }
    DefinedOrUnknownSVal R = SVB.conjureSymbolVal(&ConjureTag, CE, LC, RT, C.blockCount());
    if (SymbolRef RS = R.getAsLocSymbol()) St = St->add<ErrorPointers>(RS);
    C.addTransition(St->BindExpr(CE, LC, R));
    return true;
  }
  SVal Arg = Call.getArgSVal(0);
  // A constant pointer (ERR_PTR(-EBUSY), NULL) or a pointer ERR_PTR() made: the test's result
  // is known.
  std::optional<bool> IsErr, IsNull;
  if (auto CI = Arg.getAs<loc::ConcreteInt>()) {
    llvm::APSInt P = CI->getValue();
    P.setIsUnsigned(true);
    IsNull = P.isZero();
    IsErr = !P.isZero() && P.uge(llvm::APSInt::getMaxValue(P.getBitWidth(), true) - 4094);
  } else if (SymbolRef S = Arg.getAsLocSymbol(); S && St->contains<ErrorPointers>(S)) {
    IsErr = true;
    IsNull = false;
  } else if (const MemRegion *MR = Arg.getAsRegion();
             MR && !isa<SymbolicRegion>(MR->StripCasts()) && !isa<AllocaRegion>(MR->StripCasts())) {
    // The address of an object or of a part of one (`&priv->dev`, what an inlined
    // container_of() computed): a valid pointer, neither NULL nor an error.
    IsErr = false;
    IsNull = false;
  }
  if (IsErr) {
    SVal Res;
    if (K == ErrCheckKind::PtrErrOrZero)
      Res = *IsErr ? SVB.evalCast(Arg, RT, Call.getArgExpr(0)->getType()) : SVB.makeZeroVal(RT);
    else Res = SVB.makeTruthVal(*IsErr || (K == ErrCheckKind::IsErrOrNull && *IsNull), RT);
    C.addTransition(St->BindExpr(CE, LC, Res));
    return true;
  }
  SymbolRef Sym = Arg.getAsLocSymbol();
  if (!Sym) return false;  // unknown: let the inline body decide
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
  if (R.Returns == ReturnEffect::Arg && R.ReturnsArg < Call.getNumArgs()) {
    RetVal = Call.getArgSVal(R.ReturnsArg);
    SymbolRef Sym = objectSymbol(RetVal);
    if (!Sym) return St;  // of_node_get(NULL)
    if (const RefState *RS = St->get<RefMap>(Sym)) {
      if (RS->K == RefState::Owned) return St->set<RefMap>(Sym, RS->gotAgain(&R, CE));
      return St;  // a get after the last put: reported as use-after-put by checkPreCall
    }
    // `of_node_get(np);` as a statement: the function keeps a reference for the object's
    // lifetime (a kobject, a table of names), unless it releases np somewhere itself.
    RefState::Origin O = resultDiscarded(CE, C) ? RefState::KeptOnBorrowed : RefState::OnBorrowed;
    return St->set<RefMap>(Sym, RefState::owned(O, &R, CE, objectVar(Call.getArgExpr(R.ReturnsArg)),
                                                C.getStackFrame()));
  }
  RetVal = C.getSValBuilder().conjureSymbolVal(&ConjureTag, CE, C.getLocationContext(),
                                               CE->getType(), C.blockCount());
  SymbolRef Sym = RetVal.getAsLocSymbol();
  if (!Sym) return St;
  RefState::Origin O =
      R.isIteratorStep() && inLoopHeader(CE, C) ? RefState::NewInLoop : RefState::New;
  return St->set<RefMap>(Sym, RefState::owned(O, &R, CE, nullptr, C.getStackFrame()));
}

ProgramStateRef RefcountChecker::release(ProgramStateRef St, const ArgOfCall &Arg,
                                         CheckerContext &C, PendingReports &Pending) const {
  SymbolRef Sym = Arg.Sym;
  if (!Sym) return St;
  if (St->getConstraintManager().isNull(St, Sym).isConstrainedTrue()) return St;
  // An iterator step's unconditional release of the node it was given (`from`) is implicit.
  bool Explicit = meaningOf(Arg.A.Effect).conditional() || !Arg.R.isIteratorStep();
  if (!St->get<RefMap>(Sym)) {
    // `of_node_put(p->np)`: the field still holds what this function stored there (a call in
    // between may have invalidated p's contents, not replaced the reference).
    auto [Obj, FR] = fields::fieldOrigin(Sym);
    if (Obj && FR) {
      MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
      St = fields::markHandled(St, FR, MRM);
      if (SymbolRef H = fields::heldIn(St, Obj, FR->getDecl(), FR, &MRM)) Sym = H;
    }
    // `put_device(led_cdev->dev)` with led_cdev the driver data of a device this function
    // holds: where the file's put function of that type releases this field (led_put():
    // put_device(led_cdev->dev)), the field leads back to the device whose reference the
    // handle carries, and this put drops it (led_module_get()'s failure path).
    const SymbolRef *Dev = Obj ? St->get<DataOfObject>(Obj) : nullptr;
    const RefState *DS = Dev ? St->get<RefMap>(*Dev) : nullptr;
    if (!St->get<RefMap>(Sym) && DS && DS->K == RefState::Owned && familyOf(*DS) == Arg.R.Family &&
        handleField(Ctx, Arg.R.Family, FR->getDecl()->getParent(), FR->getDecl()))
      Sym = *Dev;
  }
  const RefState *RS = St->get<RefMap>(Sym);
  if (!RS) return releaseUntracked(St, Sym, Arg, Explicit, C, Pending);
  if (RS->K == RefState::Owned) return releaseOwned(St, Sym, *RS, Arg, Explicit, C, Pending);
  // Two releases of a reference this function never saw acquired: nothing certain to say,
  // unless an explicit put follows the iterator step that already dropped it.
  if (RS->K == RefState::ConsumedUnowned || (RS->K == RefState::ConsumedByStep && !Explicit))
    return St;
  // The function's own references are gone; this put unlinks and drops the list's one.
  if (RS->K == RefState::Released && St->contains<ListHeld>(Sym))
    return St->remove<ListHeld>(Sym)->set<RefMap>(Sym, RS->releasedAt(Arg.Call.getOriginExpr()));
  reportReleaseOfDropped(St, Sym, *RS, Arg, C);
  return nullptr;
}

ProgramStateRef RefcountChecker::releaseOwned(ProgramStateRef St, SymbolRef Sym, RefState N,
                                              const ArgOfCall &Arg, bool Explicit,
                                              CheckerContext &C, PendingReports &Pending) const {
  if (N.Count > 1) return St->set<RefMap>(Sym, N.withCount(N.Count - 1));
  // The put of the reference this function's initialisation gave it (device_initialize,
  // device_register failure): the object is freed by its release callback. What its fields
  // hold is lost unless that callback (seen on this path) drops references.
  bool Initialised = false;
  if (N.Rule)
    for (const ArgRule &A : N.Rule->Args) Initialised |= meaningOf(A.Effect).acquires();
  if (Initialised && !N.Cleanup) {
    const FunctionDecl *CB = fields::releaseCallbackOf(St, Arg.Call, Arg.A.Index, *Rules);
    // A release callback that calls nothing frees nothing: the memory outlives the put.
    const FunctionDecl *Frees = CB ? CB : fields::releaseCallbackViaOf(St, Arg.Call, Arg.A.Index);
    if (Frees && Ctx && Ctx->EmptyCallbacks &&
        Ctx->EmptyCallbacks->count(Frees->getCanonicalDecl()))
      St = St->add<KeptAfterPut>(Sym);
    if (CB &&
        !(Ctx && Ctx->PuttingCallbacks && Ctx->PuttingCallbacks->count(CB->getCanonicalDecl())))
      St = objectGone(St, Sym, Arg.Call, Arg.A.Index,
                      Arg.R.Name + "() drops the last reference to '" + exprText(Arg.expr(), C) +
                          "' and its release callback " + CB->getNameAsString() +
                          "() releases nothing",
                      C, Pending);
  }
  // Stored into an array without a reference of its own: the iterator's next step leaves the
  // stored pointer dangling.
  if (const Stmt *const *Store = St->get<StoredNoRef>(Sym)) {
    if (!Explicit && Arg.R.isIteratorStep()) {
      const auto *BO = dyn_cast<BinaryOperator>(*Store);
      const Family *F = N.Rule ? Rules->family(N.Rule->Family) : nullptr;
      std::string Get = F ? F->Get : std::string();
      Pending.push_back(
          {&UseAfterPutBT,
           describe(N, C) + " is stored in '" +
               (BO ? exprText(BO->getLHS(), C) : std::string("memory that outlives the loop")) +
               "' (line " + lineMark(expansionLine(*Store, C.getSourceManager())) +
               ") without a reference of its own; the next " + Arg.R.Name +
               "() drops the only one and leaves the stored pointer dangling" +
               (Get.empty() ? std::string() : " (" + Get + "() missing)"),
           Sym, N, *Store, *Store});
    }
    St = fields::forgetHeld(St->remove<StoredNoRef>(Sym), Sym);
  }
  if (N.borrowedBase() && !N.Cleanup) return St->remove<RefMap>(Sym);
  if (Ctx && Ctx->FreedAfterPut) {
    auto It = Ctx->FreedAfterPut->find(C.getStackFrame()->getDecl()->getCanonicalDecl());
    if (It != Ctx->FreedAfterPut->end() && It->second.count(objectVar(Arg.expr())))
      St = St->add<KeptAfterPut>(Sym);
  }
  // Something other than the references holds the object (a device driver_find_device()
  // found is kept by its driver binding): reading it after the last put is not a use of a
  // freed object. The put itself still counts (a second one is a double put).
  if (N.Rule && N.Rule->AliveAfterPut) St = St->add<KeptAfterPut>(Sym);
  return St->set<RefMap>(Sym, N.releasedAt(Arg.Call.getOriginExpr()));
}

void RefcountChecker::reportUseAfterStepDrop(ProgramStateRef St, SymbolRef Sym, const RefState &RS,
                                             const CallEvent &Call, CheckerContext &C) const {
  // Reported once: later uses and puts of the pointer say nothing new.
  RefState N = RS;
  N.K = RefState::ConsumedUnowned;
  ExplodedNode *EN = C.generateNonFatalErrorNode(St->set<RefMap>(Sym, N));
  if (!EN) return;
  std::string Name = RS.Var ? "'" + RS.Var->getNameAsString() + "'" : std::string("the pointer");
  report(C, UnownedBT, EN,
         (RS.Rule ? RS.Rule->Name + "()" : std::string("an iterator step")) +
             " drops a reference on " + Name +
             ", a reference this function does not hold (no matching get), and the function "
             "still uses it afterwards (line " +
             lineMark(expansionLine(Call.getOriginExpr(), C.getSourceManager())) + ")",
         Sym, &RS, RS.ReleaseSite, RS.ReleaseSite);
}

void RefcountChecker::reportReleaseOfDropped(ProgramStateRef St, SymbolRef Sym, const RefState &RS,
                                             const ArgOfCall &Arg, CheckerContext &C) const {
  ExplodedNode *EN = C.generateErrorNode(St);
  const Stmt *CE = Arg.Call.getOriginExpr();
  std::string ReleaseLine = lineMark(expansionLine(RS.ReleaseSite, C.getSourceManager()));
  if (RS.K == RefState::Relinquished)
    report(C, DoublePutBT, EN,
           describe(RS, C) + " was handed to " +
               (RS.ReleaseSite ? calleeOf(RS.ReleaseSite) : std::string("a consuming call")) +
               " (line " + ReleaseLine + "), which releases it; " + Arg.R.Name +
               "() releases it again",
           Sym, &RS, CE);
  else if (RS.K == RefState::ConsumedByStep)
    report(C, UnownedBT, EN,
           Arg.R.Name + "() releases '" + exprText(Arg.expr(), C) + "', whose reference " +
               (RS.Rule ? RS.Rule->Name + "()" : "an earlier call") + " already dropped (line " +
               ReleaseLine + "); this function never held one",
           Sym, &RS, CE);
  else
    report(C, DoublePutBT, EN,
           describe(RS, C) + " is released twice: again by " + Arg.R.Name + "() after line " +
               ReleaseLine,
           Sym, &RS, CE);
}

ProgramStateRef RefcountChecker::releaseUntracked(ProgramStateRef St, SymbolRef Sym,
                                                  const ArgOfCall &Arg, bool Explicit,
                                                  CheckerContext &C,
                                                  PendingReports &Pending) const {
  const Stmt *CE = Arg.Call.getOriginExpr();
  if (!St->contains<LetGoOwned>(Sym) && putsBorrowedField(Sym, Arg, Explicit, C)) {
    Pending.push_back({&UnownedBT,
                       Arg.R.Name + "() " + (Explicit ? "releases" : "drops a reference on") +
                           " '" + exprText(Arg.expr(), C) +
                           "', a reference this function does not hold (no matching get)",
                       nullptr, std::nullopt, CE});
    return St;
  }
  // Remember the drop only for a pointer the function was given (a parameter or a field it
  // read): a result of some call that is not tracked was handed elsewhere or is unknown.
  if (!isa<SymbolRegionValue>(Sym) && !isa<SymbolDerived>(Sym)) return St;
  return St->set<RefMap>(
      Sym, RefState::consumed(!Explicit, &Arg.R, CE, objectVar(Arg.expr()), C.getStackFrame()));
}

/// Releasing a pointer borrowed from a field the rules name (`dev->of_node`), explicitly or as
/// the `from` of a search, drops a reference this function never had.
bool RefcountChecker::putsBorrowedField(SymbolRef Sym, const ArgOfCall &Arg, bool Explicit,
                                        CheckerContext &C) const {
  const MemRegion *FR = nullptr;
  if (const auto *SRV = dyn_cast<SymbolRegionValue>(Sym)) FR = SRV->getRegion();
  else if (const auto *SD = dyn_cast<SymbolDerived>(Sym)) FR = SD->getRegion();
  const LocationContext *Top = C.getLocationContext();
  while (Top->getParent()) Top = Top->getParent();
  const Decl *TopFn = Top->getDecl()->getCanonicalDecl();
  if (Ctx && Ctx->ReleaseCallbacks && Ctx->ReleaseCallbacks->count(TopFn)) return false;
  // The `from` of a search (an implicit drop) that is a global the file never owns: one of
  // another file it never assigns (`of_root`), or one it only fills with borrowed pointers.
  if (const auto *VR = dyn_cast_or_null<VarRegion>(FR)) {
    const VarDecl *VD = VR->getDecl();
    if (Explicit || !Ctx || !VD->hasGlobalStorage() || !VD->getType()->isPointerType())
      return false;
    std::string N = VD->getNameAsString();
    if (Ctx->BorrowedStores && Ctx->BorrowedStores->count({std::string(), N})) return true;
    return !VD->getDefinition() && Ctx->StoredGlobals && !Ctx->StoredGlobals->count(N);
  }
  // The `from` of a search read from a field the file only ever fills with borrowed pointers
  // (`priv->np = dev->of_node;`), whatever the value is here.
  if (!Explicit && Ctx && Ctx->BorrowedStores)
    if (const auto *ME = dyn_cast<MemberExpr>(Arg.expr()->IgnoreParenImpCasts()))
      if (const auto *AF = dyn_cast<FieldDecl>(ME->getMemberDecl());
          AF && AF->getParent()->getIdentifier() &&
          Ctx->BorrowedStores->count({AF->getParent()->getNameAsString(), AF->getNameAsString()}))
        return !(Ctx->KeptFields && Ctx->KeptFields->count({AF->getParent()->getNameAsString(),
                                                            AF->getNameAsString()}));
  const auto *Field = dyn_cast_or_null<FieldRegion>(FR);
  if (!Field) return false;
  const FieldDecl *FD = Field->getDecl();
  std::string Record = FD->getParent()->getNameAsString(), Name = FD->getNameAsString();
  if (Ctx && Ctx->KeptFields && Ctx->KeptFields->count({Record, Name})) return false;
  // A setter that drops the field's old reference and stores a new one
  // (`of_node_put(dev->of_node); dev->of_node = of_node_get(np);`) owns what it replaces.
  if (fields::storesIntoField(Ctx, TopFn, Arg.expr())) return false;
  if (!Rules->borrowedField(Record, Name)) return false;
  // Paired teardown: the file fills this kind of object's field with an owned reference
  // elsewhere (i2c_new_client_device() / i2c_unregister_device()), also where the object is a
  // bare `struct device *` the function first tested to be that kind's (of_dp_aux_ep_destroy()).
  if (fields::isOwnedFieldChain(Ctx, Arg.expr(), Field)) return false;
  const SourceManager &SM = C.getSourceManager();
  return !fields::isOwnedFieldOfTestedKind(
      Ctx, Field, SM.getExpansionLoc(Arg.Call.getOriginExpr()->getBeginLoc()), SM);
}

ProgramStateRef RefcountChecker::acquireObject(ProgramStateRef St, const ArgOfCall &Arg,
                                               CheckerContext &C) const {
  SymbolRef Sym = Arg.Sym;
  if (!Sym) return St;
  if (const RefState *RS = St->get<RefMap>(Sym); RS && RS->K == RefState::Owned)
    return St->set<RefMap>(Sym, RS->gotAgain(&Arg.R, Arg.Call.getOriginExpr()));
  // An object the function was given (a parameter's, not one it allocated) belongs to the
  // caller: initialising it is an init helper's job, the caller owns the reference.
  bool Given =
      (isa<SymbolRegionValue>(Sym) && !isStaticObjectSymbol(Sym)) || isa<SymbolDerived>(Sym);
  // A callee's summary that gets its argument (`video_get(vdev)`: get_device(&vdev->dev)) is
  // the get itself, with its result thrown away: on an object this function did not
  // allocate, a reference kept for the object's lifetime, as when the get is inlined.
  // Not a registration's reference on failure (`acquire_on_failure`): that one is owed.
  if (Arg.A.Effect == ArgEffect::Acquire && Arg.R.Origin.rfind("summary", 0) == 0 &&
      !fields::isFresh(St, Sym))
    Given = true;
  return St->set<RefMap>(Sym, RefState::owned(Given ? RefState::KeptOnBorrowed : RefState::New,
                                              &Arg.R, Arg.Call.getOriginExpr(),
                                              objectVar(Arg.expr()), C.getStackFrame()));
}

ProgramStateRef RefcountChecker::outAcquire(ProgramStateRef St, const ArgOfCall &Arg,
                                            CheckerContext &C) const {
  const CallEvent &Call = Arg.Call;
  const MemRegion *Base = Call.getArgSVal(Arg.A.Index).getAsRegion();
  const auto *SR = dyn_cast_or_null<SubRegion>(Base);
  if (!SR) return St;
  QualType PT = Arg.expr()->IgnoreParenImpCasts()->getType();
  if (!PT->isPointerType()) return St;
  if (Arg.A.Field == "*") {
    // A `T **` out-parameter (a summary's `*o = ...`): the pointer it points to receives it.
    QualType VT = PT->getPointeeType();
    if (!VT->isPointerType()) return St;
    SValBuilder &SVB = C.getSValBuilder();
    DefinedOrUnknownSVal V = SVB.conjureSymbolVal(outParamTag(Arg.A.Index), Call.getOriginExpr(),
                                                  C.getLocationContext(), VT, C.blockCount());
    St = St->bindLoc(loc::MemRegionVal(SR), V, C.getLocationContext());
    SymbolRef Sym = V.getAsLocSymbol();
    // Only a local variable of this function is this function's to release; a pointer its
    // own caller passed (`__of_msi_map_id(dev, np, id)` handing `np` on to of_map_id())
    // receives the reference for that caller.
    if (!Sym || !isa<StackLocalsSpaceRegion>(SR->getBaseRegion()->getMemorySpace())) return St;
    // The local's own frame owns it (a caller's, when an inlined helper passes it on).
    const StackFrameContext *OwnerFrame = C.getStackFrame();
    if (const auto *VR = dyn_cast<VarRegion>(SR->getBaseRegion()))
      if (const StackFrameContext *F = VR->getStackFrame()) OwnerFrame = F;
    St = St->set<RefMap>(Sym, RefState::owned(RefState::New, &Arg.R, Call.getOriginExpr(),
                                              objectVar(Arg.expr()), OwnerFrame));
    return St->assume(loc::MemRegionVal(SVB.getRegionManager().getSymbolicRegion(Sym)), true);
  }
  const RecordDecl *RD = PT->getPointeeType()->getAsRecordDecl();
  if (!RD) return St;
  const FieldDecl *FD = nullptr;
  for (const FieldDecl *F : RD->fields())
    if (F->getName() == Arg.A.Field) FD = F;
  if (!FD) return St;
  SValBuilder &SVB = C.getSValBuilder();
  const FieldRegion *FR = SVB.getRegionManager().getFieldRegion(FD, SR);
  DefinedOrUnknownSVal V =
      SVB.conjureSymbolVal(outParamTag(Arg.A.Index), Call.getOriginExpr(), C.getLocationContext(),
                           FD->getType(), C.blockCount());
  St = St->bindLoc(loc::MemRegionVal(FR), V, C.getLocationContext());
  SymbolRef Sym = V.getAsLocSymbol();
  if (!Sym) return St;
  // Filled into an object that outlives the call (`&aux->dev`, not a `struct of_phandle_args`
  // on the stack): the object holds the reference, as after `p->np = np` (checkBind), and no
  // variable does: findings say "the reference from X()" and name the field.
  const auto *Owner = dyn_cast<SymbolicRegion>(FR->getBaseRegion());
  bool Held = Owner && !isa<StackSpaceRegion>(Owner->getMemorySpace());
  St = St->set<RefMap>(Sym,
                       RefState::owned(RefState::New, &Arg.R, Call.getOriginExpr(),
                                       Held ? nullptr : objectVar(Arg.expr()), C.getStackFrame()));
  if (Held) St = fields::holdInField(St, Sym, Owner->getSymbol(), FD, FR, &SVB.getRegionManager());
  // A successful lookup never yields NULL.
  return St->assume(loc::MemRegionVal(SVB.getRegionManager().getSymbolicRegion(Sym)), true);
}

ProgramStateRef RefcountChecker::freeObject(ProgramStateRef St, const ArgOfCall &Arg,
                                            CheckerContext &C, PendingReports &Pending) const {
  SymbolRef Sym = Arg.Sym;
  if (!Sym) return St;
  checkOwningFields(St, Sym, Arg, C, Pending);
  St = objectGone(St, Sym, Arg.Call, Arg.A.Index,
                  Arg.R.Name + "() frees '" + exprText(Arg.expr(), C) + "' here", C, Pending);
  const RefState *RS = St->get<RefMap>(Sym);
  if (!RS) return St;
  if (RS->K == RefState::Owned) {
    const Family *F = RS->Rule ? Rules->family(RS->Rule->Family) : nullptr;
    Pending.push_back({&WrongReleaseBT,
                       describe(*RS, C) + " is a counted reference: free it with " +
                           (F ? F->Release + "()" : std::string("its put function")) + ", not " +
                           Arg.R.Name + "()",
                       Sym, *RS, RS->Site});
  }
  return St->remove<RefMap>(Sym);
}

/// A `transfer` into argument A.Into's object, where the caller passed an object of its own
/// stack (`parser_init(&parser, np)`): a borrowed copy, the caller keeps the reference.
static bool storedIntoCallersStack(const ArgRule &A, const CallEvent &Call) {
  if (A.Into < 0 || static_cast<unsigned>(A.Into) >= Call.getNumArgs()) return false;
  const MemRegion *MR = Call.getArgSVal(A.Into).getAsRegion();
  if (!MR) return false;
  return isa<StackSpaceRegion>(MR->getBaseRegion()->getMemorySpace());
}

ProgramStateRef RefcountChecker::applyChange(RefChange Change, ProgramStateRef St,
                                             const ArgOfCall &Arg, CheckerContext &C,
                                             PendingReports &Pending) const {
  const Stmt *Site = Arg.Call.getOriginExpr();
  switch (Change) {
  case RefChange::None: return St;
  case RefChange::Release: return release(St, Arg, C, Pending);
  case RefChange::Transfer:
    if (!Arg.Sym || storedIntoCallersStack(Arg.A, Arg.Call)) return St;
    // Stored into another object's field by a setter (device_set_node()): the object may
    // keep the pointer without a reference of its own, so a later put by this function is
    // not a double put (as with a same-file summary's store).
    return handOver(St, Arg.Sym, Site, Arg.A.Into >= 0 ? nullptr : &Arg.R);
  case RefChange::Forget: return Arg.Sym ? St->remove<RefMap>(Arg.Sym) : St;
  case RefChange::Store:
    // Linked into a list (or a table) that outlives the call: its owner releases the
    // object. Not a declared hand-over: the function may still unlink and put it itself.
    if (!Arg.Sym) return St;
    // Of several references, the list takes one; the others are still this function's.
    if (const RefState *RS = St->get<RefMap>(Arg.Sym);
        RS && RS->K == RefState::Owned && RS->Count > 1 && !RS->Cleanup)
      return St->set<RefMap>(Arg.Sym, RS->withCount(RS->Count - 1))->add<ListHeld>(Arg.Sym);
    return handOver(St, Arg.Sym, Site, nullptr);
  case RefChange::Acquire: return acquireObject(St, Arg, C);
  case RefChange::Free: return freeObject(St, Arg, C, Pending);
  case RefChange::OutAcquire: return outAcquire(St, Arg, C);
  }
  return St;
}

/// `return to_auxiliary_dev(dev);` with the inline's body not read: the same object, seen
/// through the structure that embeds it.
bool RefcountChecker::evalContainerConversion(const CallEvent &Call, CheckerContext &C) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
  const Expr *Arg = containerConversionArg(CE);
  if (!Arg || !FD || FD->hasBody() || Call.getNumArgs() != 1) return false;
  SVal V = Call.getArgSVal(0);
  if (!objectSymbol(V)) return false;
  SVal Cast = C.getSValBuilder().evalCast(V, CE->getType(), Arg->IgnoreParenImpCasts()->getType());
  C.addTransition(C.getState()->BindExpr(CE, C.getLocationContext(), Cast));
  return true;
}

ProgramStateRef RefcountChecker::bindReturnValue(ProgramStateRef St, const FunctionRule &R,
                                                 const CallEvent &Call, CheckerContext &C,
                                                 SVal &RetVal) const {
  const auto *CE = cast<CallExpr>(Call.getOriginExpr());
  auto Conjure = [&] {
    return C.getSValBuilder().conjureSymbolVal(&ConjureTag, CE, C.getLocationContext(),
                                               CE->getType(), C.blockCount());
  };
  switch (R.Returns) {
  case ReturnEffect::Passthrough:
    if (R.ReturnsArg >= Call.getNumArgs()) break;
    RetVal = Call.getArgSVal(R.ReturnsArg);
    return St;
  case ReturnEffect::DataOf: {
    RetVal = Conjure();
    SymbolRef Obj =
        R.ReturnsArg < Call.getNumArgs() ? objectSymbol(Call.getArgSVal(R.ReturnsArg)) : nullptr;
    if (SymbolRef S = RetVal.getAsLocSymbol(); S && Obj) St = St->set<DataOfObject>(S, Obj);
    return St;
  }
  case ReturnEffect::Allocated:
    RetVal = Conjure();
    if (SymbolRef S = RetVal.getAsLocSymbol()) St = fields::markFresh(St, S);
    return St;
  case ReturnEffect::Acquired:
  case ReturnEffect::Arg: return acquireReturn(St, R, Call, C, RetVal);
  case ReturnEffect::None: break;
  }
  if (!CE->getType()->isVoidType()) RetVal = Conjure();
  return St;
}

/// The states where a call returned 0 (success) and non-zero (failure); a call with no result
/// to test (`void device_set_of_node_from_dev()`) always succeeds. A rules-file API with a
/// signed result returns 0 or a negative errno (device_register(), of_irq_parse_one()): its
/// failure is a negative result, and a positive one does not happen (a summary's function may
/// return a count: any non-zero result is its failure, unless its summary says ReturnsErrno).
static std::pair<ProgramStateRef, ProgramStateRef> splitOnResult(ProgramStateRef St,
                                                                 const FunctionRule &R,
                                                                 const CallExpr *CE, SVal RetVal,
                                                                 CheckerContext &C) {
  ProgramStateRef Ok = St, Fail = CE->getType()->isVoidType() ? nullptr : St;
  auto DV = RetVal.getAs<DefinedOrUnknownSVal>();
  if (DV && CE->getType()->isIntegralOrEnumerationType()) {
    SValBuilder &SVB = C.getSValBuilder();
    QualType T = CE->getType();
    DefinedOrUnknownSVal IsZero =
        SVB.evalEQ(St, *DV, SVB.makeZeroVal(T)).castAs<DefinedOrUnknownSVal>();
    std::tie(Ok, Fail) = St->assume(IsZero);
    bool Errno = T->isSignedIntegerType() && (R.Origin.rfind("summary", 0) != 0 || R.ReturnsErrno);
    if (Fail && Errno) {
      SVal Neg = SVB.evalBinOp(Fail, BO_LT, *DV, SVB.makeZeroVal(T), SVB.getConditionType());
      if (auto N = Neg.getAs<DefinedOrUnknownSVal>())
        if (ProgramStateRef F = Fail->assume(*N, true)) Fail = F;
    }
  }
  return {Ok, Fail};
}

/// An argument the function dereferences is not NULL once it returns (paths where it was NULL
/// would have oopsed inside it).
static ProgramStateRef assumeDereferencedNonNull(ProgramStateRef St, const FunctionRule &R,
                                                 const CallEvent &Call) {
  for (const ArgRule &A : R.Args)
    if (A.Dereferenced && A.Index < Call.getNumArgs())
      if (auto DV = Call.getArgSVal(A.Index).getAs<DefinedOrUnknownSVal>())
        if (ProgramStateRef NonNull = St->assume(*DV, true)) St = NonNull;
  return St;
}

/// With a rule's null_if_arg_null: {the state where the argument is not NULL, the state where
/// it is NULL and so is the result}; {St, null} when only one is possible or nothing is known.
static std::pair<ProgramStateRef, ProgramStateRef>
splitOnNullArgument(ProgramStateRef St, const FunctionRule &R, const CallEvent &Call, SVal Ret) {
  if (R.NullIfArgNull < 0 || static_cast<unsigned>(R.NullIfArgNull) >= Call.getNumArgs())
    return {St, nullptr};
  auto Arg = Call.getArgSVal(R.NullIfArgNull).getAs<DefinedOrUnknownSVal>();
  auto RetV = Ret.getAs<DefinedOrUnknownSVal>();
  if (!Arg || !RetV) return {St, nullptr};
  auto [NonNull, Null] = St->assume(*Arg);
  ProgramStateRef NullOut = Null ? Null->assume(*RetV, false) : nullptr;
  if (!NullOut) return {St, nullptr};
  if (!NonNull) return {NullOut, nullptr};
  return {NonNull, NullOut};
}

/// The reference field `arg->field` of a `replaces` out-parameter holds before the call
/// (`it->node` before of_phandle_iterator_next(it)): the call drops it.
static SymbolRef replacedFieldValue(ProgramStateRef St, const CallEvent &Call, const ArgRule &A,
                                    MemRegionManager &MRM) {
  const auto *SR = dyn_cast_or_null<SubRegion>(Call.getArgSVal(A.Index).getAsRegion());
  if (!SR) return nullptr;
  QualType PT = Call.getArgExpr(A.Index)->IgnoreParenImpCasts()->getType();
  const RecordDecl *RD = PT->isPointerType() ? PT->getPointeeType()->getAsRecordDecl() : nullptr;
  if (!RD) return nullptr;
  for (const FieldDecl *F : RD->fields())
    if (F->getName() == A.Field) return St->getSVal(MRM.getFieldRegion(F, SR)).getAsLocSymbol();
  return nullptr;
}

/// A `transfer` (or `transfer_on_success`) of the reference a field of the argument's object
/// holds (`field` without `into`).
static bool handsOverField(const ArgRule &A) {
  return !A.Field.empty() && A.Into < 0 &&
         (A.Effect == ArgEffect::Transfer || A.Effect == ArgEffect::TransferOnSuccess);
}

/// The object the field \p A names of argument A.Index's pointee holds now (`&info` -> info.np).
static SymbolRef fieldValueSymbol(const CallEvent &Call, const ArgRule &A, CheckerContext &C) {
  const auto *SR = dyn_cast_or_null<SubRegion>(Call.getArgSVal(A.Index).getAsRegion());
  QualType PT = Call.getArgExpr(A.Index)->IgnoreParenImpCasts()->getType();
  if (!SR || !PT->isPointerType()) return nullptr;
  const RecordDecl *RD = PT->getPointeeType()->getAsRecordDecl();
  if (!RD) return nullptr;
  for (const FieldDecl *FD : RD->fields())
    if (FD->getName() == A.Field)
      return objectSymbol(C.getState()->getSVal(
          C.getSValBuilder().getRegionManager().getFieldRegion(FD, SR), FD->getType()));
  return nullptr;
}

/// What an opaque call to \p R would do to memory it can reach, except the contents of a
/// struct on the caller's stack passed to an argument the rules call a borrow
/// (`irq_create_of_mapping(&args)` reads args.np and args.args only): args.np keeps the
/// reference of_irq_parse_one() put there, which the caller still owes.
/// A rule whose every argument is only compared (a pre-pass summary of a lookup helper,
/// device_match_of_node()): it tells nothing of references or of the result.
static bool onlyCompares(const FunctionRule &R) {
  if (R.Args.empty() || R.Returns != ReturnEffect::None || R.MayBeNull || R.MayBeErr ||
      R.NullIfArgNull >= 0)
    return false;
  for (const ArgRule &A : R.Args)
    if (!A.Compared || A.Effect != ArgEffect::Borrow || A.Dereferenced || A.Callback >= 0)
      return false;
  return true;
}

static ProgramStateRef invalidateForRule(const FunctionRule &R, const CallEvent &Call,
                                         CheckerContext &C) {
  RegionAndSymbolInvalidationTraits Traits;
  bool Preserve = false;
  for (const ArgRule &A : R.Args) {
    if (A.Effect != ArgEffect::Borrow || A.Index >= Call.getNumArgs()) continue;
    const MemRegion *MR = Call.getArgSVal(A.Index).getAsRegion();
    if (!MR || !isa<StackSpaceRegion>(MR->getBaseRegion()->getMemorySpace())) continue;
    Traits.setTrait(MR->getBaseRegion(), RegionAndSymbolInvalidationTraits::TK_PreserveContents);
    Preserve = true;
  }
  if (!Preserve) return Call.invalidateRegions(C.blockCount(), C.getState());
  SmallVector<SVal, 8> Values;
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) Values.push_back(Call.getArgSVal(I));
  return C.getState()->invalidateRegions(Values, Call.getOriginExpr(), C.blockCount(),
                                         C.getLocationContext(), /*CausesPointerEscape=*/true,
                                         /*IS=*/nullptr, &Call, &Traits);
}

/// The object whose reference a devm action gets with its data (`devm_add_action_or_reset(dev,
/// action, mc)`): the action keeps data itself (callbackEffect() says borrow) but puts a
/// device through a field of it (PrepassResult::HandleActions: `put_device(mc->dev)` in
/// tegra_mc_devm_action_put_device()), and data is the driver data of an object of that
/// family this function still owes (`mc = platform_get_drvdata(pdev)`): the field leads back to it,
/// as the file's handle put functions' do (handleField()). Null otherwise.
SymbolRef RefcountChecker::handleActionObject(ProgramStateRef St, const ArgRule &A,
                                              const CallExpr *CE, const CallEvent &Call,
                                              const std::set<const Decl *> &Parsed) const {
  if (A.Callback < 0 || A.Index >= Call.getNumArgs() || !Ctx || !Ctx->HandleActions ||
      callbackEffect(A, CE, *Rules, Parsed) != ArgEffect::Borrow)
    return nullptr;
  const FunctionDecl *Cb = callbackOf(CE, static_cast<unsigned>(A.Callback));
  auto It = Cb ? Ctx->HandleActions->find(Cb->getCanonicalDecl()) : Ctx->HandleActions->end();
  if (It == Ctx->HandleActions->end()) return nullptr;
  SymbolRef Data = objectSymbol(Call.getArgSVal(A.Index));
  const SymbolRef *Obj = Data ? St->get<DataOfObject>(Data) : nullptr;
  const RefState *RS = Obj ? St->get<RefMap>(*Obj) : nullptr;
  // Lost: nothing but the driver data refers to the device any more (its symbol died).
  if (!RS ||
      !(RS->K == RefState::Owned || (RS->K == RefState::Lost && !St->get<LostInField>(*Obj))))
    return nullptr;
  QualType T = CE->getArg(A.Index)->IgnoreParenImpCasts()->getType();
  const RecordDecl *RD = T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
  if (!RD || !RD->getIdentifier()) return nullptr;
  auto From = It->second.lower_bound({familyOf(*RS), RD->getNameAsString(), std::string()});
  if (From == It->second.end() || std::get<0>(*From) != familyOf(*RS) ||
      std::get<1>(*From) != RD->getNameAsString())
    return nullptr;
  return *Obj;
}

bool RefcountChecker::evalCall(const CallEvent &Call, CheckerContext &C) const {
  if (!Rules) return false;
  // A compile-time check's error function is never called (CompileTimeAsserts.h): nothing
  // happens, nothing is invalidated.
  if (isCompileTimeError(dyn_cast_or_null<FunctionDecl>(Call.getDecl()))) {
    C.addTransition(C.getState());
    return true;
  }
  std::string Name = calleeName(Call);
  if (Name.empty()) return false;
  if (auto K = Rules->errorCheck(Name)) return evalErrorCheck(Call, *K, C);
  const FunctionRule *R = Rules->function(Name);
  if (!R) return evalContainerConversion(Call, C);
  // A rule that only says which pointers the function compares says nothing else: the call is
  // what it is with no rule (inlined, or opaque: what its other arguments hold may be taken;
  // usb-serial.c release_sibling(serial, intf) compares intf only, and a rule call would keep
  // the ports serial->port[] held while forgetting that it holds them). checkPreCall() still
  // reads the rule at the call.
  if (onlyCompares(*R)) return false;
  const auto *CE = dyn_cast_or_null<CallExpr>(Call.getOriginExpr());
  if (!CE) return false;
  if (R->UncountedIfTrue >= 0) return evalUncountedPredicate(*R, Call, C);
  if (evalOnUncounted(*R, Call, C)) return true;
  // `transfer` of a field (`nvmem_add_one_cell(nvmem, &info)` hands over info.np): the
  // reference that field holds now, read before the call changes anything.
  std::map<unsigned, SymbolRef> FieldRefs;
  for (const ArgRule &A : R->Args)
    if (handsOverField(A) && A.Index < Call.getNumArgs())
      FieldRefs[A.Index] = fieldValueSymbol(Call, A, C);
  std::map<unsigned, SymbolRef> ActionObjects;
  auto ArgOf = [&](const ArgRule &A) {
    if (handsOverField(A)) return ArgOfCall{*R, A, Call, FieldRefs[A.Index]};
    if (auto It = ActionObjects.find(A.Index); It != ActionObjects.end())
      return ArgOfCall{*R, A, Call, It->second};
    SVal V = Call.getArgSVal(A.Index);
    SymbolRef S = objectSymbol(V);
    return ArgOfCall{*R, A, Call, S ? S : staticObjectSymbol(V, C)};
  };

  // What an opaque call would do to memory it can reach (out-parameters such as the `match`
  // of of_find_matching_node_and_match()); escapes caused by a rule call are ignored below,
  // the rule says what happens to references.
  // What the fields a `replaces` out-parameter refills held (read before the call's
  // invalidation); the call drops those references first.
  SmallVector<std::pair<const ArgRule *, SymbolRef>, 1> Replaced;
  for (const ArgRule &A : R->Args)
    if (A.Replaces && A.Index < Call.getNumArgs())
      if (SymbolRef Old =
              replacedFieldValue(C.getState(), Call, A, C.getSValBuilder().getRegionManager()))
        Replaced.push_back({&A, Old});
  ProgramStateRef St = invalidateForRule(*R, Call, C);
  St = assumeDereferencedNonNull(St, *R, Call);
  // The effects that do not depend on the call's result, then its return value.
  PendingReports Pending;
  for (auto &[A, Old] : Replaced) {
    St = release(St, ArgOfCall{*R, *A, Call, Old}, C, Pending);
    if (!St) return true;  // reported on a sink
  }
  bool Conditional = false;
  // A devm action's data is handed over only if the action releases it (analysis/Callback.h).
  static const std::set<const Decl *> NoneParsed;
  const std::set<const Decl *> &Parsed =
      Ctx && Ctx->ParsedFunctions ? *Ctx->ParsedFunctions : NoneParsed;
  // `devm_add_action_or_reset(dev, put_action, mc)`, mc the driver data of a device this
  // function holds, the action putting `mc->dev`: the device's reference goes to the action.
  for (const ArgRule &A : R->Args)
    if (SymbolRef Obj = handleActionObject(St, A, CE, Call, Parsed)) ActionObjects[A.Index] = Obj;
  auto MeaningAt = [&](const ArgRule &A) {
    if (ActionObjects.count(A.Index)) return meaningOf(A.Effect);
    return meaningOf(callbackEffect(A, CE, *Rules, Parsed));
  };
  for (const ArgRule &A : R->Args) {
    EffectMeaning M = MeaningAt(A);
    Conditional |= M.conditional();
    if (M.conditional() || A.Index >= Call.getNumArgs()) continue;
    St = applyChange(M.OnSuccess, St, ArgOf(A), C, Pending);
    if (!St) return true;  // reported on a sink
  }
  SVal RetVal = UnknownVal();
  St = bindReturnValue(St, *R, Call, C, RetVal);
  const LocationContext *LC = C.getLocationContext();
  auto Finish = [&](ProgramStateRef St) {
    if (!Conditional) {
      transition(C, St->BindExpr(CE, LC, RetVal), Pending);
      return;
    }
    // The effects that depend on success (a 0 return) or failure.
    auto [Ok, Fail] = splitOnResult(St, *R, CE, RetVal, C);
    PendingReports PendingFail = Pending;
    for (const ArgRule &A : R->Args) {
      EffectMeaning M = MeaningAt(A);
      if (!M.conditional() || A.Index >= Call.getNumArgs()) continue;
      if (Fail) Fail = applyChange(M.OnFailure, Fail, ArgOf(A), C, PendingFail);
      if (Ok) Ok = applyChange(M.OnSuccess, Ok, ArgOf(A), C, Pending);
    }
    if (Ok) transition(C, Ok->BindExpr(CE, LC, RetVal), Pending);
    if (Fail && Fail != Ok) transition(C, Fail->BindExpr(CE, LC, RetVal), PendingFail);
  };
  // NULL in, NULL out (of_get_parent(NULL)): the path where the argument is NULL gets no
  // reference. The reports of this call go with the first state.
  auto [First, NullIn] = splitOnNullArgument(St, *R, Call, RetVal);
  Finish(First);
  if (NullIn) Finish(NullIn);
  return true;
}

/// `is_acpi_node(fw)`: where it returns true, fw is a handle whose implementation counts no
/// references; where it returns false, nothing is known.
bool RefcountChecker::evalUncountedPredicate(const FunctionRule &R, const CallEvent &Call,
                                             CheckerContext &C) const {
  const auto *CE = cast<CallExpr>(Call.getOriginExpr());
  const LocationContext *LC = C.getLocationContext();
  SValBuilder &SVB = C.getSValBuilder();
  ProgramStateRef St = invalidateForRule(R, Call, C);
  DefinedOrUnknownSVal Ret =
      SVB.conjureSymbolVal(&ConjureTag, CE, LC, CE->getType(), C.blockCount());
  St = St->BindExpr(CE, LC, Ret);
  SymbolRef Handle = static_cast<unsigned>(R.UncountedIfTrue) < Call.getNumArgs()
                         ? objectSymbol(Call.getArgSVal(R.UncountedIfTrue))
                         : nullptr;
  if (!Handle) {
    C.addTransition(St);
    return true;
  }
  auto [True, False] = St->assume(Ret);
  // True only for a real handle (is_acpi_device_node(): !IS_ERR_OR_NULL(fwnode) && ...).
  if (True)
    if (auto H = Call.getArgSVal(R.UncountedIfTrue).getAs<DefinedOrUnknownSVal>())
      True = True->assume(*H, true);
  if (True) {
    // A reference this function took on it counted nothing: nothing is owed.
    if (const RefState *RS = True->get<RefMap>(Handle))
      if (RS->Rule && RS->Rule->Family == R.Family)
        True = fields::forgetHeld(True->remove<RefMap>(Handle), Handle);
    C.addTransition(True->set<UncountedHandles>(Handle, &R));
  }
  if (False) C.addTransition(False);
  return true;
}

/// A call of the predicate's family on a handle it found uncounted (or one derived from such a
/// handle): it takes and drops nothing; a handle it returns is uncounted too
/// (fwnode_get_named_child_node() of an ACPI fwnode).
bool RefcountChecker::evalOnUncounted(const FunctionRule &R, const CallEvent &Call,
                                      CheckerContext &C) const {
  ProgramStateRef St = C.getState();
  if (St->get<UncountedHandles>().isEmpty() || R.Family.empty()) return false;
  const FunctionRule *Pred = nullptr;
  for (unsigned I = 0, E = Call.getNumArgs(); I < E && !Pred; ++I)
    if (SymbolRef S = objectSymbol(Call.getArgSVal(I)))
      if (const FunctionRule *const *P = St->get<UncountedHandles>(S))
        if ((*P)->Family == R.Family) Pred = *P;
  if (!Pred) return false;
  const auto *CE = cast<CallExpr>(Call.getOriginExpr());
  const LocationContext *LC = C.getLocationContext();
  St = invalidateForRule(R, Call, C);
  SVal Ret;
  if ((R.Returns == ReturnEffect::Arg || R.Returns == ReturnEffect::Passthrough) &&
      R.ReturnsArg < Call.getNumArgs())
    Ret = Call.getArgSVal(R.ReturnsArg);
  else if (CE->getType()->isVoidType()) Ret = UnknownVal();
  else
    Ret = C.getSValBuilder().conjureSymbolVal(&ConjureTag, CE, LC, CE->getType(), C.blockCount());
  if (R.Returns == ReturnEffect::Acquired)
    if (SymbolRef S = Ret.getAsLocSymbol()) St = St->set<UncountedHandles>(S, Pred);
  C.addTransition(St->BindExpr(CE, LC, Ret));
  return true;
}

void RefcountChecker::transition(CheckerContext &C, ProgramStateRef St,
                                 PendingReports &Pending) const {
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
    if (!FD || !FD->hasBody()) St = fields::markPassedWhole(St, Call);
  }
  if (St->get<RefMap>().isEmpty()) {
    if (St != Entry) C.addTransition(St);
    return;
  }
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) {
    if (const ArgRule *A = R ? R->argRule(I) : nullptr) {
      EffectMeaning M = meaningOf(A->Effect);
      if (M.releases() || M.mayDo(RefChange::Free)) continue;  // release() decides
      // An unregistration after the caller's own put (find, put, device_unregister()): the
      // registration's reference keeps the object until this call drops it.
      if (A->Effect == ArgEffect::Unregister) continue;
      // Only compared (`device_match_of_node(dev, np)`): a stale pointer as a lookup key.
      if (A->Compared) continue;
    }
    SymbolRef Sym = objectSymbol(Call.getArgSVal(I));
    if (!Sym) continue;
    const RefState *RS = St->get<RefMap>(Sym);
    if (RS && RS->K == RefState::ConsumedByStep &&
        !(R && R->Returns == ReturnEffect::Arg && R->ReturnsArg == I)) {
      reportUseAfterStepDrop(St, Sym, *RS, Call, C);
      return;
    }
    if (!RS || RS->K != RefState::Released || memoryKept(St, Sym)) continue;
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

void RefcountChecker::checkLocation(SVal Loc, bool IsLoad, const Stmt *S, CheckerContext &C) const {
  ProgramStateRef St = C.getState();
  const MemRegion *R = Loc.getAsRegion();
  if (!R) return;
  if (const auto *FR = dyn_cast<FieldRegion>(R); FR && IsLoad) {
    MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
    if (ProgramStateRef N = fields::noteOwningFieldRead(St, FR, Ctx, MRM)) {
      C.addTransition(N);
      return;  // a region of a field is no symbolic region: nothing else to check here
    }
  }
  if (St->get<RefMap>().isEmpty()) return;
  const auto *SymR = dyn_cast<SymbolicRegion>(R->getBaseRegion());
  if (!SymR) return;
  SymbolRef Sym = SymR->getSymbol();
  const RefState *RS = St->get<RefMap>(Sym);
  if (!RS || RS->K != RefState::Released || memoryKept(St, Sym)) return;
  ExplodedNode *EN = C.generateErrorNode(St);
  report(C, UseAfterPutBT, EN,
         describe(*RS, C) + " is dereferenced after its last reference was released (line " +
             lineMark(expansionLine(RS->ReleaseSite, C.getSourceManager())) + ")",
         Sym, RS, S);
}

void RefcountChecker::checkBind(SVal Loc, SVal Val, const Stmt *S, CheckerContext &C) const {
  const MemRegion *R = Loc.getAsRegion();
  ProgramStateRef St = C.getState();
  // What a field holds now, kept across calls (fields::restoreStoredReferences).
  if (const auto *FR = dyn_cast_or_null<FieldRegion>(R))
    St = fields::noteFieldStore(St, FR, Val, C.getSValBuilder().getRegionManager());
  else if (const auto *ER = dyn_cast_or_null<ElementRegion>(R)) {
    if (ProgramStateRef N =
            fields::noteElementStore(St, ER, Val, C.getSValBuilder().getRegionManager()))
      St = N;
  } else if (const auto *VR = dyn_cast_or_null<VarRegion>(R))
    if (ProgramStateRef N = fields::forgetStoresIn(St, VR)) St = N;
  if (const auto *FR = dyn_cast_or_null<FieldRegion>(R)) bindField(St, FR, Val, S, C);
  else if (const auto *ER = dyn_cast_or_null<ElementRegion>(R)) {
    // `priv->comps[id] = &pdev->dev;`: an element of an array field is that field's.
    if (const auto *AF = dyn_cast<FieldRegion>(ER->getSuperRegion()->StripCasts()))
      bindField(St, AF, Val, S, C);
    else bindArrayElement(St, R, Val, S, C);
  } else if (const auto *VR = dyn_cast_or_null<VarRegion>(R)) bindVariable(St, VR, Val, S, C);
  else if (St != C.getState()) C.addTransition(St);
}

void RefcountChecker::bindField(ProgramStateRef St, const FieldRegion *FR, SVal Val, const Stmt *S,
                                CheckerContext &C) const {
  auto Done = [&](ProgramStateRef Out) {
    if (Out != C.getState()) C.addTransition(Out);
  };
  if (const FunctionDecl *Fn = Val.getAsFunctionDecl()) {
    MemRegionManager &MRM = C.getSValBuilder().getRegionManager();
    if (ProgramStateRef N = fields::noteReleaseCallbackStore(St, FR, Fn, *Rules, MRM)) St = N;
    return Done(St);
  }
  if (ProgramStateRef N = fields::noteReleaseCallbackVia(St, FR, Val, *Rules,
                                                         C.getSValBuilder().getRegionManager()))
    return Done(N);
  // `p->np = np` (or `p->dev = &pdev->dev`) into an object that outlives this frame: the
  // object holds the reference.
  const MemRegion *BaseR = FR->getBaseRegion();
  SymbolRef VS = Val.getAsLocSymbol();
  // A pointer into the object (`&pdev->dev`, `of_fwnode_handle(np)`) counts only in a struct
  // of the driver's own (declared beside the file): a kernel API's struct filled for a caller
  // (`args->fwnode` of struct fwnode_reference_args) is released by that caller's file.
  if (!VS && declaredBesideMainFile(FR->getDecl()->getParent(), C.getSourceManager()))
    VS = objectSymbol(Val);
  if (!VS || isa<StackSpaceRegion>(BaseR->getMemorySpace())) return Done(St);
  const RefState *RS = St->get<RefMap>(VS);
  if (!RS || RS->K != RefState::Owned || RS->Count != 1 || RS->Cleanup) return Done(St);
  // An iterator's current node: the object keeps it only if the loop is left now (a break
  // hands the iterator's reference over); the next step drops it otherwise.
  if (RS->inLoop() && S) St = St->set<StoredNoRef>(VS, S);
  if (const auto *Base = dyn_cast<SymbolicRegion>(BaseR))
    St = fields::holdInField(St, VS, Base->getSymbol(), FR->getDecl(), FR,
                             &C.getSValBuilder().getRegionManager());
  Done(St);
}

void RefcountChecker::bindArrayElement(ProgramStateRef St, const MemRegion *R, SVal Val,
                                       const Stmt *S, CheckerContext &C) const {
  // `nodes[i] = child;` in a for_each loop, keeping no reference of its own.
  const auto *BO = dyn_cast_or_null<BinaryOperator>(S);
  SymbolRef VS = Val.getAsLocSymbol();
  if (!BO || !BO->isAssignmentOp() || !VS ||
      !isa<ArraySubscriptExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
    if (St != C.getState()) C.addTransition(St);
    return;
  }
  const RefState *RS = St->get<RefMap>(VS);
  if (RS && RS->K == RefState::Owned && RS->inLoop() && RS->Count == 1 && !RS->Cleanup)
    St = St->set<StoredNoRef>(VS, S);
  if (RS && RS->K == RefState::Owned)
    if (ProgramStateRef N = widening::noteBind(St, R, VS, Stable)) St = N;
  if (St != C.getState()) C.addTransition(St);
}

/// `wwandev = wwan_dev_get_by_debugfs(dir);` in a handle's put function (PrepassResult::
/// HandleLookups): the function now holds the lookup's reference and the one the handle
/// carried back. Null if nothing changes.
ProgramStateRef RefcountChecker::carryHandleReference(ProgramStateRef St, const VarRegion *VR,
                                                      SVal Val, CheckerContext &C) const {
  if (!Ctx || !Ctx->HandleLookups || !Ctx->HandleLookups->count(VR->getDecl()) ||
      VR->getStackFrame() != C.getStackFrame() || !C.inTopFrame())
    return nullptr;
  SymbolRef Sym = objectSymbol(Val);
  const RefState *RS = Sym ? St->get<RefMap>(Sym) : nullptr;
  if (!RS || RS->K != RefState::Owned || RS->Count != 1 || St->contains<HandleCarried>(Sym))
    return nullptr;
  return St->set<RefMap>(Sym, RS->withCount(2))->add<HandleCarried>(Sym);
}

void RefcountChecker::bindVariable(ProgramStateRef St, const VarRegion *VR, SVal Val, const Stmt *S,
                                   CheckerContext &C) const {
  const VarDecl *VD = VR->getDecl();
  if (ProgramStateRef N = carryHandleReference(St, VR, Val, C)) St = N;
  SymbolRef NewSym = Val.getAsLocSymbol();
  bool Changed = St != C.getState();
  // Name findings after the variable that holds the reference, unless it is a macro's own
  // temporary (`__of_fwnode_handle_node`); a macro argument (`child` of for_each_*) is fine.
  SourceLocation VL = VD->getLocation();
  bool Nameable = !VL.isMacroID() || C.getSourceManager().isMacroArgExpansion(VL);
  // `global_np = np;` inside an iterator: kept only if the loop is left now (see bindField);
  // the finding names the iterator's variable.
  if (const RefState *RS = NewSym ? St->get<RefMap>(NewSym) : nullptr;
      RS && !VD->hasLocalStorage() && RS->K == RefState::Owned && RS->inLoop() && RS->Count == 1 &&
      !RS->Cleanup && S) {
    St = St->set<StoredNoRef>(NewSym, S);
    Changed = true;
    Nameable = false;
  }
  // `stdout_path = np;`: the global keeps the reference; reported at the exit if nothing in
  // the file ever releases that variable.
  if (const RefState *RS = NewSym ? St->get<RefMap>(NewSym) : nullptr;
      RS && VD->hasGlobalStorage() && !VD->isExternallyVisible() && RS->K == RefState::Owned &&
      !RS->inLoop() && RS->Count == 1 && !RS->Cleanup && !RS->borrowedBase() && Ctx &&
      Ctx->ReleasedFields && !Ctx->ReleasedFields->count({"", VD->getNameAsString()})) {
    St = St->set<StoredInGlobal>(NewSym, VD);
    Changed = true;
    Nameable = false;
  }
  if (const RefState *RS = NewSym && Nameable ? St->get<RefMap>(NewSym) : nullptr;
      RS && RS->Var != VD) {
    RefState N = *RS;
    N.Var = VD;
    St = St->set<RefMap>(NewSym, N);
    Changed = true;
  }
  // `*o = of_find_node_by_phandle(h);` in an inlined callee, into a local of a caller's frame
  // (an out-parameter, `find(h, &np)`): that caller owns the reference now and reports it.
  // The value may point into the object (`return container_of(dev, struct x, dev);`).
  SymbolRef ObjSym = NewSym ? NewSym : objectSymbol(Val);
  if (const RefState *RS = ObjSym ? St->get<RefMap>(ObjSym) : nullptr;
      RS && RS->K == RefState::Owned && RS->Frame && VR->getStackFrame() &&
      VR->getStackFrame()->isParentOf(RS->Frame)) {
    RefState N = *RS;
    N.Frame = VR->getStackFrame();
    if (Nameable) N.Var = VD;
    // `adapter = find_adapter(h);`: the inlined callee returned the reference, so for this
    // function it is acquired by that call (a loop of the callee it came from is left behind).
    if (C.getStackFrame() == VR->getStackFrame())
      if (const Stmt *CS = callSiteIn(RS->Frame, VR->getStackFrame())) {
        N.Site = CS;
        if (N.O == RefState::NewInLoop) N.O = RefState::New;
      }
    St = St->set<RefMap>(ObjSym, N);
    Changed = true;
  }
  const CleanupAttr *CA = VD->getAttr<CleanupAttr>();
  const FunctionDecl *CF = CA ? CA->getFunctionDecl() : nullptr;
  if (CF && Rules && Rules->releasingCleanup(CF->getNameAsString())) {
    // An initialisation of a variable that already holds a value means its scope was left
    // and entered again (a loop body): the cleanup released the old value on the way out.
    // `struct device *dev __free(put_device) = &pdev->dev;`: the cleanup puts the object the
    // member belongs to.
    St = bindCleanupVariable(St, VR, ObjSym, /*ScopeReentered=*/S && isa<DeclStmt>(S));
    Changed = true;
  }
  if (const RefState *RS = NewSym ? St->get<RefMap>(NewSym) : nullptr;
      RS && RS->K == RefState::Owned)
    if (ProgramStateRef N = widening::noteBind(St, VR, NewSym, Stable)) {
      St = N;
      Changed = true;
    }
  if (Changed) C.addTransition(St);
}

ProgramStateRef RefcountChecker::bindCleanupVariable(ProgramStateRef St, const VarRegion *VR,
                                                     SymbolRef NewSym, bool ScopeReentered) const {
  // The value the variable held before: its cleanup no longer releases it (unless another
  // __free() variable still holds it), or released it if the scope was left.
  const SymbolRef *OldP = St->get<CleanupHeld>(VR);
  SymbolRef Old = OldP ? *OldP : nullptr;
  if (const RefState *RS = Old ? St->get<RefMap>(Old) : nullptr; RS && RS->Cleanup) {
    RefState N = *RS;
    bool LetGo = Old != NewSym && !heldByOtherCleanup(St, Old, VR);
    bool Keep = true;
    if (ScopeReentered && N.K == RefState::Owned) {
      N.Count--;
      if (LetGo) N.Cleanup = false;
      if (N.Count == 0) {
        if (N.borrowedBase()) Keep = false;
        else N.K = RefState::Released;
      }
    } else if (LetGo) {
      // `prev __free = np; np = next(np);`: prev's cleanup still releases the old node.
      N.Cleanup = false;
      if (N.borrowedBase() && (N.dropped() || N.Count == 0)) Keep = false;
      if (N.K == RefState::Owned && N.Count == 0) Keep = false;
    }
    St = Keep ? St->set<RefMap>(Old, N) : St->remove<RefMap>(Old);
  }
  // The new value: one of its references is the variable's.
  if (!NewSym) return St->remove<CleanupHeld>(VR);
  St = St->set<CleanupHeld>(VR, NewSym);
  if (const RefState *RS = St->get<RefMap>(NewSym);
      RS && RS->K == RefState::Owned && !RS->Cleanup) {
    RefState N = *RS;
    N.Cleanup = true;
    St = St->set<RefMap>(NewSym, N);
  }
  return St;
}

/// Stops tracking Sym at a call that may have taken it (LetGoOwned remembers an owned one).
static ProgramStateRef letGo(ProgramStateRef St, SymbolRef Sym, const RefState &RS) {
  St = St->remove<RefMap>(Sym);
  return RS.K == RefState::Owned ? St->add<LetGoOwned>(Sym) : St;
}

ProgramStateRef RefcountChecker::checkRegionChanges(
    ProgramStateRef State, const InvalidatedSymbols *, ArrayRef<const MemRegion *>,
    ArrayRef<const MemRegion *> Regions, const LocationContext *, const CallEvent *Call) const {
  // A call that was handed the object (`nvmem_add_one_cell(nvmem, &info)`,
  // `dev_set_name(pmu->dev, ...)` reaching pmu through the device's driver_data) leaves the
  // reference this function stored in its field where it was: the field still holds it
  // (fields::restoreStoredReferences). Not after a loop's widening (no call): the loop may
  // store something else.
  // An object this function allocated is kept the same way (`cp->interface[i] = intf` of a
  // kzalloc()ed intf, before device_initialize(&intf->dev) gives it its reference).
  if (!Call) return State;
  return fields::restoreStoredReferences(State, Regions, [&](SymbolRef S) {
    const RefState *RS = State->get<RefMap>(S);
    return (RS && RS->K == RefState::Owned) || fields::isFresh(State, S);
  });
}

ProgramStateRef RefcountChecker::checkPointerEscape(ProgramStateRef State,
                                                    const InvalidatedSymbols &Escaped,
                                                    const CallEvent *Call,
                                                    PointerEscapeKind Kind) const {
  // The operands of a pointer comparison the engine could not evaluate: nothing escapes.
  if (!Call && Kind == PSK_EscapeOther && State->get<ComparingPointers>()) return State;
  if (Call && Rules && Call->getCalleeIdentifier()) {
    std::string Name = Call->getCalleeIdentifier()->getName().str();
    const FunctionRule *R = Rules->function(Name);
    if ((R && !onlyCompares(*R)) || Rules->errorCheck(Name)) return State;  // the rule decides
  }
  if (Call && (Kind == PSK_DirectEscapeOnCall || Kind == PSK_IndirectEscapeOnCall)) {
    // A call with no rule and no body borrows the objects its arguments point to (`np`, and
    // `pdev` for `&pdev->dev`), except where it takes them as the `void *` context of a
    // callback it is given (takesCallbackContext): then the callee keeps them. Objects only
    // reachable through an argument (`foo(&np)`, a struct holding them) may be taken: stop
    // tracking.
    llvm::SmallPtrSet<SymbolRef, 4> Borrowed, Kept;
    const auto *OCE = dyn_cast_or_null<CallExpr>(Call->getOriginExpr());
    for (unsigned I = 0, E = Call->getNumArgs(); I < E; ++I) {
      SymbolRef S = objectSymbol(Call->getArgSVal(I));
      if (!S) continue;
      (takesCallbackContext(OCE, I) ? Kept : Borrowed).insert(S);
    }
    llvm::SmallPtrSet<SymbolRef, 4> Whole = fields::typedObjects(*Call);
    // A local struct the call only reads (`consume(&args)` with a `const struct
    // of_phandle_args *` parameter and nowhere else to copy to): args.np stays this function's.
    // (The analyzer keeps args' contents for a pointer-to-const argument, but still reports the
    // pointers stored in it as escaping.)
    llvm::SmallPtrSet<SymbolRef, 4> ReadOnly;
    if (Kind == PSK_IndirectEscapeOnCall)
      ReadOnly =
          fields::heldInReadOnlyLocals(State, *Call, State->getStateManager().getRegionManager());
    for (SymbolRef S : Escaped) {
      const RefState *RS = State->get<RefMap>(S);
      if (!RS) continue;
      // The callee keeps one reference; the function still owes any other it took
      // (`of_node_get(np);` before component_match_add_release(dev, m, release, cmp, np)).
      if (Kept.count(S) && RS->K == RefState::Owned && RS->Count > 1 && !RS->Cleanup) {
        State = State->set<RefMap>(S, RS->leftAfterHandOver());
        continue;
      }
      if (const SymbolRef *Owner = fields::holderOf(State, S)) {
        // Held in a field: only a function that receives the object itself (as its struct
        // type: `void *` data is only stored) may take it.
        if (Whole.count(*Owner) || Kept.count(S))
          State = letGo(fields::forgetHeld(State, S), S, *RS);
        continue;
      }
      if (Kept.count(S) ||
          (Kind == PSK_IndirectEscapeOnCall && !Borrowed.count(S) && !ReadOnly.count(S)))
        State = letGo(State, S, *RS);
    }
    return State;
  }
  // The loop widening invalidates every local: a stable one holding a reference that is also
  // held in an object's field gets it back (a put through it after the loop names it).
  if (!Call && Kind == PSK_EscapeOther)
    State = widening::restoreStable(State, Escaped, [&](SymbolRef S) {
      const RefState *RS = State->get<RefMap>(S);
      return RS && RS->K == RefState::Owned && fields::holderOf(State, S);
    });
  // Stored where it outlives the function, or handed over through a pointer to it.
  for (SymbolRef S : Escaped) {
    const RefState *RS = State->get<RefMap>(S);
    if (!RS) continue;
    if (fields::holderOf(State, S)) continue;  // see checkBind
    if (Kind == PSK_EscapeOnBind && (State->get<StoredNoRef>(S) || State->get<StoredInGlobal>(S)))
      continue;
    if (RS->dropped() && Kind != PSK_EscapeOnBind) continue;
    State =
        Kind == PSK_EscapeOnBind ? handOver(State, S, nullptr, nullptr) : State->remove<RefMap>(S);
  }
  return State;
}

void RefcountChecker::checkPreStmt(const BinaryOperator *BO, CheckerContext &C) const {
  if (!BO->isComparisonOp()) return;
  if (!BO->getLHS()->getType()->isAnyPointerType() && !BO->getRHS()->getType()->isAnyPointerType())
    return;
  ProgramStateRef St = C.getState();
  if (St->get<RefMap>().isEmpty()) return;
  C.addTransition(St->set<ComparingPointers>(BO));
}

void RefcountChecker::checkPostStmt(const BinaryOperator *, CheckerContext &C) const {
  ProgramStateRef St = C.getState();
  if (St->get<ComparingPointers>()) C.addTransition(St->remove<ComparingPointers>());
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
    if (Obj && St->get<RefMap>(*Obj)) {
      Sym = *Obj;
    } else {
      // A pointer read from a field of an object the function holds (`&chip->mux[i]`, with
      // `mux` a pointer member), of a type the file's put function takes back and releases
      // that family's reference through (mux_control_put(): put_device(&mux->chip->dev)):
      // the handle carries the reference (mux_get()). Without that put function the pointer
      // is only read from the object, and the reference is still owed.
      auto [Holder, FR] = fields::fieldOrigin(Sym);
      const RefState *HS = Holder ? St->get<RefMap>(Holder) : nullptr;
      QualType T = E->getType();
      const RecordDecl *RD = T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
      bool Held = HS && (HS->K == RefState::Owned ||
                         (HS->K == RefState::Lost && !St->get<LostInField>(Holder)));
      if (!FR || !Held || !handleField(Ctx, familyOf(*HS), RD, nullptr)) return;
      Sym = Holder;
    }
  }
  C.addTransition(handOver(St, Sym, nullptr, nullptr));
}

ProgramStateRef RefcountChecker::handOver(ProgramStateRef St, SymbolRef Sym, const Stmt *Site,
                                          const FunctionRule *To) const {
  const RefState *RS = St->get<RefMap>(Sym);
  if (!RS) return St;
  // One reference goes; any other the function holds is still owed
  // (`return of_node_get(child);` from inside a for_each loop).
  if (RS->K == RefState::Owned && RS->Count > 1 && !RS->Cleanup)
    return St->set<RefMap>(Sym, RS->withCount(RS->Count - 1));
  // Handed to an API that the rules say will put it (devm_add_action_or_reset()): a later put
  // by this function is a double put. (A same-file summary's "stores its argument" is weaker
  // evidence: the pointer may be kept without a reference of its own.)
  bool Declared = To && To->Origin.rfind("summary", 0) != 0;
  if (Declared && RS->K == RefState::Owned && !RS->borrowedBase() && !RS->Cleanup)
    return St->set<RefMap>(Sym, RS->relinquishedAt(Site));
  return St->remove<RefMap>(Sym);
}

void RefcountChecker::checkDeadSymbols(SymbolReaper &SR, CheckerContext &C) const {
  ProgramStateRef St = C.getState();
  if (!St->get<UncountedHandles>().isEmpty() || !St->get<LetGoOwned>().isEmpty()) {
    ProgramStateRef Live = St;
    for (auto &[S, P] : St->get<UncountedHandles>())
      if (SR.isDead(S)) Live = Live->remove<UncountedHandles>(S);
    for (SymbolRef S : St->get<LetGoOwned>())
      if (SR.isDead(S)) Live = Live->remove<LetGoOwned>(S);
    if (Live != St) {
      St = Live;
      if (St->get<RefMap>().isEmpty()) {
        C.addTransition(St);
        return;
      }
    }
  }
  RefMapTy Map = St->get<RefMap>();
  St = fields::removeDeadStores(St, SR, [&](SymbolRef S) { return Map.lookup(S) != nullptr; });
  if (Map.isEmpty()) {
    if (St != C.getState()) C.addTransition(St);
    return;
  }
  llvm::SmallVector<std::pair<SymbolRef, RefState>, 2> DoublePuts;
  ProgramStateRef Next = St;
  for (auto &[Sym, RS] : Map) {
    if (RS.K == RefState::Lost || !SR.isDead(Sym)) continue;
    if (St->get<StoredNoRef>(Sym)) {
      Next = fields::forgetHeld(Next->remove<StoredNoRef>(Sym)->remove<RefMap>(Sym), Sym);
      continue;
    }
    if (const SymbolRef *Owner = fields::holderOf(St, Sym)) {
      // Held by an object: gone with it, kept while it lives (kfree() of it checks). Lost if
      // nothing in the file ever releases that field: reported where the function exits.
      if (SR.isDead(*Owner)) {
        const FieldDecl *FD = unreleasedField(St, Sym, RS);
        Next = fields::forgetHeld(Next->remove<RefMap>(Sym), Sym);
        if (FD) {
          RefState L = RS;
          L.K = RefState::Lost;
          Next = Next->set<RefMap>(Sym, L)->set<LostInField>(Sym, FD);
        }
      }
      continue;
    }
    if (RS.K == RefState::Owned) {
      unsigned NotOwed = (RS.Cleanup ? 1 : 0) + (St->contains<HandleCarried>(Sym) ? 1 : 0);
      unsigned Owed = RS.Count > NotOwed ? RS.Count - NotOwed : 0;
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
  for (auto &[Sym, VD] : Next->get<StoredInGlobal>())
    if (SR.isDead(Sym)) Next = Next->remove<StoredInGlobal>(Sym);
  for (SymbolRef Sym : Next->get<ListHeld>())
    if (SR.isDead(Sym)) Next = Next->remove<ListHeld>(Sym);
  for (SymbolRef Sym : Next->get<KeptAfterPut>())
    if (SR.isDead(Sym)) Next = Next->remove<KeptAfterPut>(Sym);
  for (SymbolRef Sym : Next->get<HandleCarried>())
    if (SR.isDead(Sym)) Next = Next->remove<HandleCarried>(Sym);
  Next = fields::removeDeadObjects(Next, SR);
  Next = widening::removeDead(Next, SR);
  // Kept while the object is tracked: a pointer read from the data (`led->dev`) outlives the
  // data's own symbol, and a put of it may be a put of the object (release()).
  for (auto &[V, O] : Next->get<DataOfObject>())
    if (SR.isDead(V) && !Next->get<RefMap>(O)) Next = Next->remove<DataOfObject>(V);
  if (DoublePuts.empty()) {
    if (Next != C.getState()) C.addTransition(Next);
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

const FieldDecl *RefcountChecker::unreleasedField(ProgramStateRef St, SymbolRef Sym,
                                                  const RefState &RS) const {
  if (RS.K != RefState::Owned || RS.kept() || RS.Cleanup || St->get<StoredNoRef>(Sym) ||
      St->getConstraintManager().isNull(St, Sym).isConstrainedTrue())
    return nullptr;
  return fields::unreleasedHeldField(St, Sym, Ctx, *Rules);
}

bool RefcountChecker::transferredWithResult(const RefState &S, const ReturnStmt *RS,
                                            CheckerContext &C) const {
  if (!RS || !RS->getRetValue() || !S.Var || !Ctx || !Ctx->ReleasedOnFailedResult) return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(RS->getRetValue()->IgnoreParenCasts());
  const auto *Res = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!Res || !Res->getType()->isPointerType()) return false;
  auto It = Ctx->ReleasedOnFailedResult->find(C.getStackFrame()->getDecl()->getCanonicalDecl());
  if (It == Ctx->ReleasedOnFailedResult->end()) return false;
  auto Pair = It->second.find({S.Var, Res});
  // ... returned after the test that decides the release.
  if (Pair == It->second.end() ||
      !C.getSourceManager().isBeforeInTranslationUnit(Pair->second, RS->getBeginLoc()))
    return false;
  // The function releases S.Var where Res is an error: here Res must be known to hold none.
  ProgramStateRef St = C.getState();
  SVal RV = C.getSVal(RS->getRetValue());
  if (auto CI = RV.getAs<loc::ConcreteInt>()) {
    llvm::APSInt P = CI->getValue();
    P.setIsUnsigned(true);
    return !P.isZero() && P.ult(llvm::APSInt::getMaxValue(P.getBitWidth(), true) - 4094);
  }
  // Not an ERR_PTR() and not NULL (IS_ERR() leaves no constraint on the other branch).
  SymbolRef RSym = RV.getAsLocSymbol();
  if (!RSym) return RV.getAsRegion() != nullptr;
  return !St->contains<ErrorPointers>(RSym) &&
         !St->getConstraintManager().isNull(St, RSym).isConstrainedTrue();
}

void RefcountChecker::checkEndFunction(const ReturnStmt *RS, CheckerContext &C) const {
  if (!C.inTopFrame()) return;
  ProgramStateRef St = C.getState();
  llvm::SmallVector<std::pair<SymbolRef, RefState>, 2> Lost;
  struct Held {
    SymbolRef Sym;
    RefState S;
    const FieldDecl *FD;
  };
  llvm::SmallVector<Held, 1> Unreleased;
  struct InGlobal {
    SymbolRef Sym;
    RefState S;
    const VarDecl *VD;
  };
  llvm::SmallVector<InGlobal, 1> Globals;
  for (auto &[Sym, S] : St->get<RefMap>()) {
    // Lost on the way, or still held now that the function ends (a returned object keeps its
    // symbol alive: `return of_node_get(child);` hands over one reference of two).
    bool Held = S.K == RefState::Owned &&
                S.Count > (S.Cleanup ? 1u : 0u) + (St->contains<HandleCarried>(Sym) ? 1u : 0u) &&
                !St->getConstraintManager().isNull(St, Sym).isConstrainedTrue();
    if (S.K != RefState::Lost && !Held) continue;
    if (fields::holderOf(St, Sym)) {
      // An object's field holds it: handed over, if something in the file releases that field.
      if (const FieldDecl *FD = unreleasedField(St, Sym, S)) Unreleased.push_back({Sym, S, FD});
      continue;
    }
    if (const FieldDecl *const *FD = St->get<LostInField>(Sym)) {
      Unreleased.push_back({Sym, S, *FD});
      continue;
    }
    if (St->get<StoredNoRef>(Sym)) continue;  // kept by the array it was stored in (a break)
    if (const VarDecl *const *G = St->get<StoredInGlobal>(Sym)) {
      if (S.K == RefState::Owned) Globals.push_back({Sym, S, *G});
      continue;
    }
    // A get whose result is thrown away (`of_node_get(np); return 0;`, `get_device(dev);`
    // kept while bound), or device_initialize() on an object the caller passed in, is how
    // the kernel keeps a reference on purpose: not reported.
    if (S.kept()) continue;
    // A get on an object the caller gave it whose result is only tested (`if
    // (!get_device(&sdev->sdev_gendev)) goto fail;`), still held where the function returns 0:
    // the function takes that reference for its caller on success, an acquire-on-success API
    // itself (scsi_device_get(), pwm_device_request(): the paired scsi_device_put() /
    // pwm_put() drops it). Its failure exits must not keep it: those are still reported. A get
    // kept in a variable (`np = of_node_get(dev->of_node);`) is the function's own handle.
    if (S.O == RefState::OnBorrowed && resultOnlyTested(S.Site, S.Frame) && returnsZero(RS, C))
      continue;
    if (transferredWithResult(S, RS, C)) continue;
    Lost.push_back({Sym, S});
  }
  if (Lost.empty() && Unreleased.empty() && Globals.empty()) return;
  ExplodedNode *N = C.generateNonFatalErrorNode(St);
  if (!N) return;
  for (Held &H : Unreleased) {
    const RecordDecl *RD = H.FD->getParent();
    report(C, LeakBT, N,
           describe(H.S, C) + " is stored in field '" + H.FD->getNameAsString() +
               "' of an object that outlives this function, and nothing in this file releases "
               "that field (no put of 'struct " +
               RD->getNameAsString() + "." + H.FD->getNameAsString() + "')" +
               missingRelease(H.S.Rule),
           H.Sym, &H.S, H.S.Site, RS, fields::sharedFieldKey(H.FD, C.getSourceManager()));
  }
  for (InGlobal &G : Globals)
    report(C, LeakBT, N,
           describe(G.S, C) + " is stored in global variable '" + G.VD->getNameAsString() +
               "', and nothing in this file releases that variable" + missingRelease(G.S.Rule),
           G.Sym, &G.S, G.S.Site, RS);
  for (auto &[Sym, S] : Lost) {
    std::string Fix = missingRelease(S.Rule);
    if (S.inLoop())
      report(C, LoopLeakBT, N,
             describe(S, C) + " is not released when leaving the loop early" + Fix, Sym, &S, S.Site,
             RS);
    else
      report(C, LeakBT, N, describe(S, C) + " is not released on this path" + Fix, Sym, &S, S.Site,
             RS);
  }
}

}  // namespace

void registerRefcountChecker(CheckerManager &Mgr) {
  RefcountChecker *Chk = Mgr.registerChecker<RefcountChecker>();
  widening::registerLoopWidener(Mgr);
  Chk->Ctx = CurrentCtx;
  Chk->Rules = CurrentCtx ? CurrentCtx->Rules : nullptr;
}

bool shouldRegisterRefcountChecker(const CheckerManager &) { return true; }

}  // namespace krefcheck
