#include "analysis/RefPath.h"

#include "analysis/FieldOwnership.h"
#include "analysis/RefState.h"
#include "rules/Rules.h"

#include "clang/AST/Expr.h"
#include "clang/StaticAnalyzer/Core/BugReporter/BugReporterVisitors.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ExplodedGraph.h"

#include <iterator>

using namespace clang;
using namespace clang::ento;

namespace krefcheck {

// One distinct string per step kind: a piece's tag is compared by address.
static const char *const StepTags[] = {
    "krefcheck.acquire", "krefcheck.release", "krefcheck.branch", "krefcheck.loop",
    "krefcheck.call",    "krefcheck.lost",    "krefcheck.note",   "krefcheck.unsummarised"};
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

const std::string *unsummarisedCalleeOf(const CheckerContextData &Ctx, const void *Tag) {
  auto It = Ctx.UnsummarisedByTag.find(Tag);
  return It == Ctx.UnsummarisedByTag.end() ? nullptr : &It->second;
}

std::string calleeOf(const Stmt *S) {
  if (const auto *CE = dyn_cast_or_null<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee()) return FD->getNameAsString() + "()";
  return {};
}

namespace {

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
    Kind = Cur->dropped() ? StepKind::Release : StepKind::Acquire;
    if (Cur->dropped())
      Msg = Var + " is consumed by " + calleeOf(S) + " although this function holds no reference";
    else if (Cur->Rule && Cur->Rule->Origin.rfind("summary", 0) == 0 && !Cur->Rule->Note.empty())
      Msg = Var + " acquired: " + Cur->Rule->Note;
    else if (Cur->borrowedBase())
      Msg = "reference taken by " + (Cur->Rule ? Cur->Rule->Name + "()" : calleeOf(S));
    else
      Msg = "reference acquired by " + (Cur->Rule ? Cur->Rule->Name + "()" : calleeOf(S)) +
            (Cur->Rule && Cur->Rule->MayBeNull ? " (NULL when not found)" : "");
  } else if (Cur && Old) {
    if (Cur->dropped() && Old->K == RefState::Owned) {
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
    else if (!Cur->Cleanup && Old->Cleanup) Msg = Var + " taken out of its __free() variable";
    else return nullptr;
  } else if (!Cur && Old && Old->borrowedBase()) {
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

/// A note on each call of the path that hands the reference to (or gets it from) a function
/// the run knows nothing of: what that function does to it decides whether the finding holds.
class UnsummarisedVisitor final : public BugReporterVisitor {
public:
  UnsummarisedVisitor(SymbolRef Sym, CheckerContextData &Ctx) : Sym(Sym), Ctx(Ctx) {}
  void Profile(llvm::FoldingSetNodeID &ID) const override {
    static int Tag = 0;
    ID.AddPointer(&Tag);
    ID.AddPointer(Sym);
  }
  PathDiagnosticPieceRef VisitNode(const ExplodedNode *N, BugReporterContext &BRC,
                                   PathSensitiveBugReport &) override {
    const ExplodedNode *Pred = N->getFirstPred();
    std::optional<PostStmt> PS = N->getLocationAs<PostStmt>();
    if (!Pred || !PS) return nullptr;
    const auto *CE = dyn_cast<CallExpr>(PS->getStmt());
    if (!CE) return nullptr;
    // The first node after the call only (checkers add more nodes on the same statement).
    if (std::optional<PostStmt> PP = Pred->getLocationAs<PostStmt>())
      if (PP->getStmt() == CE) return nullptr;
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || FD->getBuiltinID() || FD->hasBody()) return nullptr;
    if (Ctx.ParsedFunctions && Ctx.ParsedFunctions->count(FD->getCanonicalDecl())) return nullptr;
    std::string Name = FD->getNameAsString();
    if (!Ctx.Rules || Ctx.Rules->function(Name) || Ctx.Rules->errorCheck(Name)) return nullptr;
    bool Passed = fields::objectSymbol(N->getSVal(CE)) == Sym;
    for (unsigned I = 0; I < CE->getNumArgs() && !Passed; ++I) {
      // A variadic argument (`_printk("%pOF", np)`) or a pointer-to-const parameter
      // (`of_property_read_u32(const struct device_node *, ...)`) cannot drop or keep the
      // reference: the puts take a non-const pointer.
      if (I >= FD->getNumParams()) break;
      QualType PT = FD->getParamDecl(I)->getType();
      if (PT->isPointerType() && PT->getPointeeType().isConstQualified()) continue;
      SVal V = N->getSVal(CE->getArg(I));
      if (V.isUnknown()) V = Pred->getSVal(CE->getArg(I));
      Passed = fields::objectSymbol(V) == Sym;
    }
    if (!Passed) return nullptr;
    auto [It, New] = Ctx.UnsummarisedTags.try_emplace(Name, "krefcheck.unsummarised." + Name);
    if (New) Ctx.UnsummarisedByTag[It->second.c_str()] = Name;
    PathDiagnosticLocation Pos(CE, BRC.getSourceManager(), N->getLocationContext());
    auto Piece = std::make_shared<PathDiagnosticEventPiece>(
        Pos,
        Name + "() has no summary (its definition is not in the files analysed): if it releases "
               "or keeps the reference, this finding is wrong",
        true);
    Piece->setTag(It->second.c_str());
    return Piece;
  }

private:
  SymbolRef Sym;
  CheckerContextData &Ctx;
};

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

}  // namespace

void addRefVisitor(PathSensitiveBugReport &R, SymbolRef Sym) { R.addVisitor<RefVisitor>(Sym); }
void addUnsummarisedVisitor(PathSensitiveBugReport &R, SymbolRef Sym, CheckerContextData &Ctx) {
  R.addVisitor<UnsummarisedVisitor>(Sym, Ctx);
}
void addMetaVisitor(PathSensitiveBugReport &R, const ReportMeta &M) {
  R.addVisitor<MetaVisitor>(M);
}

}  // namespace krefcheck
