#include "analysis/PathRefutation.h"
#include "analysis/AstUtil.h"

#include "analysis/FieldOwnership.h"
#include "analysis/RefState.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Analysis/ProgramPoint.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporterVisitors.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ExplodedGraph.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <memory>
#include <vector>

using namespace clang;
using namespace clang::ento;

namespace krefcheck {
namespace {

/// What a condition reads, or what a statement may write: variables and fields by
/// declaration (so `a->f` and `b->f` are the same field: no alias reasoning is needed), and,
/// for writes, whole structures assigned at once.
struct Access {
  llvm::SmallPtrSet<const VarDecl *, 4> Vars;
  llvm::SmallPtrSet<const FieldDecl *, 4> Fields;
  llvm::SmallPtrSet<const RecordDecl *, 2> Records;
  llvm::StringSet<> FieldNames;  // a write seen in the raw tokens of a body not parsed
  bool All = false;              // a write: too much to tell (a call tree too large to scan)

  void add(const Access &O) {
    Vars.insert(O.Vars.begin(), O.Vars.end());
    Fields.insert(O.Fields.begin(), O.Fields.end());
    Records.insert(O.Records.begin(), O.Records.end());
    for (const auto &N : O.FieldNames) FieldNames.insert(N.getKey());
    All = All || O.All;
  }
  bool empty() const {
    return !All && Vars.empty() && Fields.empty() && Records.empty() && FieldNames.empty();
  }
};

const RecordDecl *recordOf(QualType T) {
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD) return nullptr;
  const RecordDecl *Def = RD->getDefinition();
  return Def ? Def : RD;
}

/// Could a write \p W change what \p R reads?
bool overlaps(const Access &R, const Access &W) {
  if (W.All) return true;
  for (const VarDecl *V : R.Vars)
    if (W.Vars.count(V)) return true;
  for (const FieldDecl *F : R.Fields)
    if (W.Fields.count(F) ||
        W.Records.count(recordOf(QualType(F->getParent()->getTypeForDecl(), 0))) ||
        (F->getIdentifier() && W.FieldNames.count(F->getName())))
      return true;
  return false;
}

/// \p E (an lvalue) is written: the variable, the field, or the whole structure.
void lvalueWritten(const Expr *E, Access &W) {
  E = E->IgnoreParenCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) W.Fields.insert(FD);
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) W.Vars.insert(VD);
    return;
  }
  if (const RecordDecl *RD = recordOf(E->getType())) W.Records.insert(RD);
}

/// Does the member chain \p E reach its object through a pointer (`p->a.b`), rather than
/// lie inside a local structure (`local.a.b`)?
bool throughPointer(const Expr *E) {
  E = E->IgnoreParenCasts();
  while (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (ME->isArrow()) return true;
    E = ME->getBase()->IgnoreParenCasts();
  }
  return !isa<DeclRefExpr>(E);
}

/// `&x` makes x writable by whoever gets the address: a variable, a scalar field (an out
/// parameter such as `&p->ptr`), or a structure inside a local. The address of a structure
/// embedded in a pointed-to object (`&pdev->dev`) is the object itself handed on, as a call
/// receiving `pdev` would be: the analysis assumes such calls do not rewrite the fields it
/// tests (that is the premise of this refutation).
void addressTaken(const Expr *Sub, Access &W) {
  const Expr *E = Sub->IgnoreParenCasts();
  if (isa<MemberExpr>(E) && E->getType()->isRecordType() && throughPointer(E)) return;
  lvalueWritten(E, W);
}

/// The writes of one statement node of the path (not of its sub-statements: they are nodes of
/// their own). Calls are handled by the caller (they need the callee scan).
void statementWrites(const Stmt *S, Access &W) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp()) lvalueWritten(BO->getLHS(), W);
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->isIncrementDecrementOp()) lvalueWritten(UO->getSubExpr(), W);
    else if (UO->getOpcode() == UO_AddrOf) addressTaken(UO->getSubExpr(), W);
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D)) W.Vars.insert(VD);
  }
}

/// The raw tokens between the braces of the body of \p FD (a definition whose body was not
/// parsed, or was dropped as irrelevant: FunctionDecl::hasSkippedBody()). False when the body
/// cannot be read (a function defined by a macro) or is longer than \p Max tokens.
bool skippedBodyTokens(const FunctionDecl *FD, ASTContext &Ctx, size_t Max,
                       std::vector<Token> &Body) {
  const FunctionDecl *Skipped = nullptr;
  for (const FunctionDecl *D : FD->redecls())
    if (D->hasSkippedBody()) Skipped = D;
  if (!Skipped) return false;
  bool TooLong = false;
  bool Whole = visitRawBody(Skipped->getLocation(), Ctx.getSourceManager(), Ctx.getLangOpts(),
                            Max + 1000, [&](const Token &Tok) {
                              if (Body.size() >= Max) return !(TooLong = true);
                              Body.push_back(Tok);
                              return true;
                            });
  return Whole && !TooLong;
}

bool isRawWord(const Token &T, StringRef W) {
  return T.is(tok::raw_identifier) && T.getRawIdentifier() == W;
}

/// The writes of a body not parsed, from its raw tokens, conservatively: a member named
/// before an assignment or `++`/`--`, or after `&`, `++`, `--`; every member named in the
/// arguments of a macro (WRITE_ONCE(), memset()...). The functions it calls go to \p Calls.
/// False when the tokens cannot be read.
bool skippedBodyWrites(const FunctionDecl *FD, ASTContext &Ctx, Access &W,
                       std::vector<const FunctionDecl *> &Calls) {
  std::vector<Token> B;
  if (!skippedBodyTokens(FD, Ctx, 20000, B)) return false;
  auto IsMember = [&](size_t I) {
    return I > 0 && B[I].is(tok::raw_identifier) && B[I - 1].isOneOf(tok::arrow, tok::period);
  };
  for (size_t I = 0; I < B.size(); ++I) {
    const Token &T = B[I];
    if (IsMember(I) && I + 1 < B.size() &&
        B[I + 1].isOneOf(tok::equal, tok::plusequal, tok::minusequal, tok::starequal,
                         tok::slashequal, tok::percentequal, tok::ampequal, tok::pipeequal,
                         tok::caretequal, tok::lesslessequal, tok::greatergreaterequal))
      W.FieldNames.insert(T.getRawIdentifier());
    if (IsMember(I) && I + 1 < B.size() && B[I + 1].isOneOf(tok::plusplus, tok::minusminus))
      W.FieldNames.insert(T.getRawIdentifier());
    if (T.isOneOf(tok::amp, tok::plusplus, tok::minusminus)) {
      // The member chain that follows: `&p->a.b`, `++p->n`.
      for (size_t J = I + 1; J < B.size() && (B[J].isOneOf(tok::raw_identifier, tok::arrow,
                                                           tok::period, tok::l_paren));
           ++J)
        if (IsMember(J)) W.FieldNames.insert(B[J].getRawIdentifier());
    }
    if (T.is(tok::raw_identifier) && I + 1 < B.size() && B[I + 1].is(tok::l_paren) &&
        !IsMember(I)) {
      StringRef Name = T.getRawIdentifier();
      if (Name == "if" || Name == "while" || Name == "for" || Name == "switch" ||
          Name == "return" || Name == "sizeof")
        continue;
      const FunctionDecl *Callee = nullptr;
      for (const NamedDecl *ND :
           Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Ctx.Idents.get(Name))))
        if (const auto *F = dyn_cast<FunctionDecl>(ND)) Callee = F;
      if (Callee) {
        Calls.push_back(Callee);
        continue;
      }
      // A macro (or an undeclared name): whatever members its arguments name may be written.
      int Depth = 0;
      for (size_t J = I + 1; J < B.size(); ++J) {
        if (B[J].is(tok::l_paren)) ++Depth;
        else if (B[J].is(tok::r_paren) && --Depth == 0) break;
        if (IsMember(J)) W.FieldNames.insert(B[J].getRawIdentifier());
      }
    }
  }
  return true;
}

/// A header function whose body the parse skipped (only the bodies the analysis needs are
/// parsed) and whose raw tokens are exactly `{ return param->field...; }` (`dev_get_platdata()`
/// is `return dev->platform_data;`): the fields it reads, in \p R.
bool skippedGetter(const FunctionDecl *FD, Access &R, ASTContext &Ctx) {
  std::vector<Token> Body;
  if (FD->getNumParams() != 1 || FD->isVariadic() || !skippedBodyTokens(FD, Ctx, 16, Body))
    return false;
  const FunctionDecl *Skipped = FD;
  for (const FunctionDecl *D : FD->redecls())
    if (D->hasSkippedBody()) Skipped = D;
  // return P -> f1 (-> | .) f2 ... ;
  const ParmVarDecl *P = Skipped->getParamDecl(0);
  if (Body.size() < 5 || Body.size() % 2 == 0 || !isRawWord(Body[0], "return") ||
      !Body[1].is(tok::raw_identifier) || !P->getIdentifier() ||
      Body[1].getRawIdentifier() != P->getName() || !Body.back().is(tok::semi))
    return false;
  QualType T = P->getType();
  for (size_t I = 2; I + 1 < Body.size(); I += 2) {
    bool Arrow = Body[I].is(tok::arrow);
    if (!(Arrow || Body[I].is(tok::period)) || !Body[I + 1].is(tok::raw_identifier)) return false;
    if (Arrow) {
      if (!T->isPointerType()) return false;
      T = T->getPointeeType();
    }
    const RecordDecl *RD = recordOf(T);
    const FieldDecl *Found = nullptr;
    if (RD)
      for (const FieldDecl *F : RD->fields())
        if (F->getIdentifier() && F->getName() == Body[I + 1].getRawIdentifier()) Found = F;
    if (!Found || Found->getType().isVolatileQualified()) return false;
    R.Fields.insert(Found);
    T = Found->getType();
  }
  return true;
}

/// Is \p E free of side effects and does it read only non-volatile locals and parameters of
/// the function it is in (through member accesses, dereferences, arithmetic and comparisons),
/// or calls of functions whose body only returns such an expression of their parameters
/// (`dev_get_platdata(dev)`)? \p Getter: the function whose return expression \p E is.
bool pureRead(const Expr *E, Access &R, const FunctionDecl *Getter, unsigned Depth) {
  if (!E) return false;
  E = E->IgnoreParens();
  if (E->getType().isVolatileQualified()) return false;
  if (isa<IntegerLiteral, CharacterLiteral, GNUNullExpr, UnaryExprOrTypeTraitExpr>(E)) return true;
  if (const auto *CE = dyn_cast<CastExpr>(E)) {
    if (CE->getSubExpr()->getType().isVolatileQualified()) return false;
    return pureRead(CE->getSubExpr(), R, Getter, Depth);
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (isa<EnumConstantDecl>(DRE->getDecl())) return true;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || !VD->hasLocalStorage() || VD->getType().isVolatileQualified()) return false;
    if (Getter) {
      const auto *PD = dyn_cast<ParmVarDecl>(VD);
      return PD && PD->getDeclContext() == Getter;
    }
    R.Vars.insert(VD);
    return true;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD || FD->getType().isVolatileQualified()) return false;
    R.Fields.insert(FD);
    return pureRead(ME->getBase(), R, Getter, Depth);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    switch (UO->getOpcode()) {
    case UO_Deref:
    case UO_AddrOf:
    case UO_LNot:
    case UO_Not:
    case UO_Minus:
    case UO_Plus: return pureRead(UO->getSubExpr(), R, Getter, Depth);
    default: return false;
    }
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return pureRead(AS->getBase(), R, Getter, Depth) && pureRead(AS->getIdx(), R, Getter, Depth);
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isAssignmentOp() || BO->getOpcode() == BO_Comma) return false;
    return pureRead(BO->getLHS(), R, Getter, Depth) && pureRead(BO->getRHS(), R, Getter, Depth);
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E))
    return pureRead(CO->getCond(), R, Getter, Depth) &&
           pureRead(CO->getTrueExpr(), R, Getter, Depth) &&
           pureRead(CO->getFalseExpr(), R, Getter, Depth);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    const FunctionDecl *Def = nullptr;
    if (FD && !FD->hasBody() && Call->getNumArgs() == 1 &&
        skippedGetter(FD, R, FD->getASTContext()))
      return pureRead(Call->getArg(0), R, Getter, Depth);
    if (Depth >= 4 || !FD || FD->getBuiltinID() || !FD->hasBody(Def) || Def->isVariadic() ||
        Def->getNumParams() != Call->getNumArgs())
      return false;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
    if (!Body || Body->size() != 1) return false;
    const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
    if (!Ret || !pureRead(Ret->getRetValue(), R, Def, Depth + 1)) return false;
    for (const Expr *A : Call->arguments())
      if (!pureRead(A, R, Getter, Depth)) return false;
    return true;
  }
  return false;
}

/// The condition as a truth value of a simpler expression: `!x`, `x == NULL`, `x != 0` are
/// all tests of `x` (\p Outcome flipped for the negated forms).
const Expr *normalise(const Expr *E, bool &Outcome, ASTContext &Ctx) {
  for (;;) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
      Outcome = !Outcome;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E);
        BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
      auto IsZero = [&](const Expr *X) {
        return !X->isValueDependent() &&
               X->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) !=
                   Expr::NPCK_NotNull;
      };
      const Expr *Other = IsZero(BO->getRHS())   ? BO->getLHS()
                          : IsZero(BO->getLHS()) ? BO->getRHS()
                                                 : nullptr;
      if (Other) {
        if (BO->getOpcode() == BO_EQ) Outcome = !Outcome;
        E = Other;
        continue;
      }
    }
    return E;
  }
}

/// Walks the path backwards (as the BugReporter calls it), then replays it forwards.
class ContradictionRefuter final : public BugReporterVisitor {
public:
  ContradictionRefuter(SymbolRef Sym, std::string Release)
      : Sym(Sym), Release(std::move(Release)) {}
  void Profile(llvm::FoldingSetNodeID &ID) const override {
    static int Tag = 0;
    ID.AddPointer(&Tag);
  }
  PathDiagnosticPieceRef VisitNode(const ExplodedNode *N, BugReporterContext &BRC,
                                   PathSensitiveBugReport &) override;
  void finalizeVisitor(BugReporterContext &BRC, const ExplodedNode *,
                       PathSensitiveBugReport &BR) override;

private:
  /// A pure expression evaluated at one point of the path: its structure (profiled), the
  /// call it belongs to, what it reads.
  struct Value {
    llvm::FoldingSetNodeID Key;
    const StackFrameContext *Frame = nullptr;
    Access Reads;
  };
  struct Event {
    enum Kind { Branch, Write, Acquire, Release } K;
    Value V;                  // a branch: the tested expression; an acquire: the object got
    bool Outcome = false;     // a branch
    Access Writes;            // a write
    std::vector<Value> Args;  // a release: its arguments
  };
  SymbolRef Sym;              // a leak's reference, or null
  std::string Release;        // its release function
  bool MoreThanOne = false;   // the path holds more than one reference on it at some point
  std::vector<Event> Events;  // last node first
  const Stmt *LastStmt = nullptr;
  llvm::DenseMap<const FunctionDecl *, std::shared_ptr<Access>> CalleeWrites;
  llvm::DenseMap<const Decl *, std::shared_ptr<Access>> AddressTaken;

  bool value(const Expr *E, const ExplodedNode *N, ASTContext &Ctx, Value &V);
  void branch(const ExplodedNode *N, const BlockEdge &BE, ASTContext &Ctx);
  void acquire(const ExplodedNode *N, ASTContext &Ctx);
  const Access &calleeWrites(const FunctionDecl *FD);
  const Access &addressTakenIn(const Decl *D);
};

PathDiagnosticPieceRef ContradictionRefuter::VisitNode(const ExplodedNode *N,
                                                       BugReporterContext &BRC,
                                                       PathSensitiveBugReport &) {
  ASTContext &Ctx = BRC.getASTContext();
  ProgramPoint P = N->getLocation();
  if (std::optional<BlockEdge> BE = P.getAs<BlockEdge>()) {
    LastStmt = nullptr;
    branch(N, *BE, Ctx);
    return nullptr;
  }
  if (Sym) {
    const RefState *RS = N->getState()->get<RefMap>(Sym);
    if (RS && RS->Count > 1) MoreThanOne = true;
    acquire(N, Ctx);
  }
  std::optional<PostStmt> PS = P.getAs<PostStmt>();
  if (!PS || PS->getStmt() == LastStmt) return nullptr;
  LastStmt = PS->getStmt();
  Event Ev;
  Ev.K = Event::Write;
  statementWrites(LastStmt, Ev.Writes);
  const auto *Call = dyn_cast<CallExpr>(LastStmt);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (FD) Ev.Writes.add(calleeWrites(FD));
  if (!Ev.Writes.empty()) Events.push_back(std::move(Ev));
  // A call of the reference's release function: which pure expressions it is given. (Pushed
  // after the call's writes: the path is walked backwards.)
  if (FD && !Release.empty() && FD->getIdentifier() && FD->getName() == Release) {
    Event Rel;
    Rel.K = Event::Release;
    for (const Expr *A : Call->arguments()) {
      Value V;
      if (value(A, N, Ctx, V)) Rel.Args.push_back(std::move(V));
    }
    if (!Rel.Args.empty()) Events.push_back(std::move(Rel));
  }
  return nullptr;
}

bool ContradictionRefuter::value(const Expr *E, const ExplodedNode *N, ASTContext &Ctx, Value &V) {
  if (!pureRead(E, V.Reads, nullptr, 0)) return false;
  // A variable or field whose address the function takes may change behind its back.
  if (overlaps(V.Reads, addressTakenIn(N->getStackFrame()->getDecl()))) return false;
  E->IgnoreParenImpCasts()->Profile(V.Key, Ctx, /*Canonical=*/true);
  V.Frame = N->getStackFrame();
  return true;
}

/// The node where the reported reference is taken (it enters the checker's map), by a call
/// that returns one of its arguments (`get_device(p->aux->dev)`): that argument, when pure, is
/// the object, as long as nothing writes what it reads.
void ContradictionRefuter::acquire(const ExplodedNode *N, ASTContext &Ctx) {
  const ExplodedNode *Pred = N->getFirstPred();
  if (!Pred) return;
  const RefState *Cur = N->getState()->get<RefMap>(Sym);
  if (!Cur || Pred->getState()->get<RefMap>(Sym) || Cur->K != RefState::Owned || Cur->Count != 1)
    return;
  const auto *Call = dyn_cast_or_null<CallExpr>(N->getStmtForDiagnostics());
  if (!Call) return;
  for (const Expr *A : Call->arguments()) {
    SVal AV = N->getSVal(A);
    if (AV.isUnknown()) AV = Pred->getSVal(A);
    Event Acq;
    Acq.K = Event::Acquire;
    if (fields::objectSymbol(AV) == Sym && value(A, N, Ctx, Acq.V)) {
      Events.push_back(std::move(Acq));
      return;
    }
  }
}

void ContradictionRefuter::branch(const ExplodedNode *N, const BlockEdge &BE, ASTContext &Ctx) {
  const CFGBlock *Src = BE.getSrc();
  const Stmt *Term = Src->getTerminatorStmt();
  // Only `if`, `?:`, `&&` and `||`: a loop condition may be polling what another thread or
  // the hardware changes.
  if (!Term || !isa<IfStmt, ConditionalOperator, BinaryConditionalOperator, BinaryOperator>(Term))
    return;
  if (Src->succ_size() != 2) return;
  const CFGBlock *T = Src->succ_begin()->getReachableBlock();
  const CFGBlock *F = (Src->succ_begin() + 1)->getReachableBlock();
  if (!T || !F || T == F) return;
  bool Outcome;
  if (BE.getDst() == T) Outcome = true;
  else if (BE.getDst() == F) Outcome = false;
  else return;
  const auto *Cond = dyn_cast_or_null<Expr>(Src->getTerminatorCondition());
  if (!Cond) return;
  Event Ev;
  Ev.K = Event::Branch;
  const Expr *E = normalise(Cond, Outcome, Ctx);
  if (!value(E, N, Ctx, Ev.V)) return;
  Ev.Outcome = Outcome;
  Events.push_back(std::move(Ev));
}

/// Everything \p FD and the functions it calls (with bodies in this file) may write.
const Access &ContradictionRefuter::calleeWrites(const FunctionDecl *FD) {
  auto &Slot = CalleeWrites[FD->getCanonicalDecl()];
  if (Slot) return *Slot;
  Slot = std::make_shared<Access>();
  Access &W = *Slot;
  llvm::SmallPtrSet<const FunctionDecl *, 16> Seen;
  std::vector<const FunctionDecl *> Work{FD};
  while (!Work.empty() && !W.All) {
    const FunctionDecl *Def = nullptr;
    const FunctionDecl *Cur = Work.back();
    Work.pop_back();
    if (!Seen.insert(Cur->getCanonicalDecl()).second) continue;
    if (Seen.size() > 64) {
      W.All = true;
      break;
    }
    if (!Cur->hasBody(Def)) {
      // A body not parsed (a header's, or one dropped as irrelevant to the counts): read
      // from its tokens. No body at all: a function of another file, assumed not to rewrite
      // the fields tested (the premise of this refutation).
      bool Skipped = false;
      for (const FunctionDecl *D : Cur->redecls()) Skipped = Skipped || D->hasSkippedBody();
      if (Skipped && !skippedBodyWrites(Cur, Cur->getASTContext(), W, Work)) W.All = true;
      continue;
    }
    std::vector<const Stmt *> Stack{Def->getBody()};
    while (!Stack.empty()) {
      const Stmt *S = Stack.back();
      Stack.pop_back();
      if (!S) continue;
      if (!isa<DeclStmt>(S)) statementWrites(S, W);  // the callee's own locals do not matter
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Callee = Call->getDirectCallee()) Work.push_back(Callee);
      for (const Stmt *Child : S->children()) Stack.push_back(Child);
    }
  }
  return W;
}

/// The variables and fields whose address \p D's body takes (see addressTaken()).
const Access &ContradictionRefuter::addressTakenIn(const Decl *D) {
  auto &Slot = AddressTaken[D];
  if (Slot) return *Slot;
  Slot = std::make_shared<Access>();
  std::vector<const Stmt *> Stack{D ? D->getBody() : nullptr};
  while (!Stack.empty()) {
    const Stmt *S = Stack.back();
    Stack.pop_back();
    if (!S) continue;
    if (const auto *UO = dyn_cast<UnaryOperator>(S); UO && UO->getOpcode() == UO_AddrOf)
      addressTaken(UO->getSubExpr(), *Slot);
    for (const Stmt *Child : S->children()) Stack.push_back(Child);
  }
  return *Slot;
}

void ContradictionRefuter::finalizeVisitor(BugReporterContext &, const ExplodedNode *,
                                           PathSensitiveBugReport &BR) {
  // The tests and the acquired object whose value nothing has changed since.
  std::vector<const Event *> Known;
  unsigned Acquires = 0;
  bool Released = false;
  auto Same = [](const Value &A, const Value &B) { return A.Frame == B.Frame && A.Key == B.Key; };
  for (auto It = Events.rbegin(); It != Events.rend(); ++It) {
    const Event &Ev = *It;
    switch (Ev.K) {
    case Event::Write:
      llvm::erase_if(Known, [&](const Event *K) { return overlaps(K->V.Reads, Ev.Writes); });
      break;
    case Event::Branch:
      for (const Event *K : Known)
        if (K->K == Event::Branch && Same(K->V, Ev.V) && K->Outcome != Ev.Outcome) {
          BR.markInvalid(this, nullptr);  // two opposite outcomes of one value
          return;
        }
      Known.push_back(&Ev);
      break;
    case Event::Acquire:
      ++Acquires;
      Known.push_back(&Ev);
      break;
    case Event::Release:
      for (const Event *K : Known)
        if (K->K == Event::Acquire)
          for (const Value &A : Ev.Args) Released = Released || Same(K->V, A);
      break;
    }
  }
  // The release function was given the very object the reference was taken on: the path
  // releases it (the analyzer, having forgotten the field, saw another object).
  if (Released && Acquires == 1 && !MoreThanOne) BR.markInvalid(this, nullptr);
}

}  // namespace

void addContradictionRefuter(PathSensitiveBugReport &R, SymbolRef LeakedSym,
                             const std::string &ReleaseFunction) {
  R.addVisitor<ContradictionRefuter>(LeakedSym, ReleaseFunction);
}

}  // namespace krefcheck
