#include "analysis/FixBuilder.h"

#include "rules/Rules.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>
#include <map>
#include <vector>

using namespace clang;

namespace krefcheck {
namespace {

constexpr unsigned NoOffset = ~0u;

/// One function's statements, positions and lines, and what the fix of one leak in it needs.
/// Positions are byte offsets in the function's file (of the expansion of macro locations).
class Builder {
public:
  Builder(const Finding &F, const FixSite &Site, const RuleSet &Rules, const SourceManager &SM)
      : F(F), Site(Site), Rules(Rules), SM(SM), LO(Site.Function->getASTContext().getLangOpts()) {}

  std::optional<FixEdit> run();

private:
  bool setUp();
  void index(const Stmt *S, const Stmt *Parent);
  unsigned off(SourceLocation L) const;
  unsigned endOff(const Stmt *S) const {
    return off(SM.getExpansionRange(S->getEndLoc()).getEnd());
  }
  unsigned lineOf(unsigned Off) const {
    return unsigned(std::upper_bound(LineStart.begin(), LineStart.end(), Off) - LineStart.begin());
  }
  std::string line(unsigned L) const;
  std::string indentOf(unsigned L) const {
    std::string T = line(L);
    return T.substr(0, T.find_first_not_of(" \t"));
  }
  const Stmt *parent(const Stmt *S) const {
    auto It = Parents.find(S);
    return It == Parents.end() ? nullptr : It->second;
  }
  bool inside(const Stmt *S, const Stmt *Ancestor) const {
    for (; S; S = parent(S))
      if (S == Ancestor) return true;
    return false;
  }
  /// Is the token at Off the first one of its line (comments aside)?
  bool startsItsLine(unsigned Off) const;
  /// The offset of the token after the one starting at Off (NoOffset at the end of the file).
  unsigned tokenAfter(unsigned Off) const;
  /// May the use R of the variable take, give away, release, store or replace the reference?
  bool escapes(const DeclRefExpr *R) const;
  bool callKeeps(const CallExpr *CE, const Stmt *Arg) const;
  bool guardedErrorReturn(const CallExpr *CE) const;
  bool definedInFile(const FunctionDecl *FD) const;
  /// The variable is held and untouched from the acquire up to End (the statement At): At lies
  /// in the acquire's block, nothing between (nor in the rest of a loop around At that starts
  /// after the acquire) releases, hands over, stores or reassigns it, and no jump enters the
  /// stretch from before the acquire or from after End.
  bool cleanUpTo(unsigned End, const Stmt *At) const;
  /// The exit at Exit (a `return` not using the variable, or the function's closing brace)?
  bool usableExit() const;
  /// The edit putting the variable before S (a statement starting its line): an inserted line,
  /// or braces around the braceless body of an `if`.
  std::optional<FixEdit> putBefore(const Stmt *S) const;
  std::optional<FixEdit> atExit();
  std::optional<FixEdit> atGoto();
  std::string put() const { return Fam->Release + "(" + Arg + ");"; }

  const Finding &F;
  const FixSite &Site;
  const RuleSet &Rules;
  const SourceManager &SM;
  const LangOptions &LO;
  const Family *Fam = nullptr;
  const FunctionDecl *FD = nullptr;
  const CompoundStmt *Body = nullptr;
  const VarDecl *VD = nullptr;
  FileID FID;
  StringRef Buf;
  std::vector<unsigned> LineStart;  // offset of line i + 1
  std::map<const Stmt *, const Stmt *> Parents;
  std::vector<const Stmt *> All;          // every statement of the body, in source order
  std::vector<const DeclRefExpr *> Refs;  // the uses of the variable
  std::vector<const VarDecl *> SameName;  // every declaration of the variable's name
  const Stmt *AcqStmt = nullptr;          // the statement of a block that acquires
  const Stmt *AcqBlock = nullptr;         // that block
  unsigned AcqBegin = 0, HeaderEnd = 0, Exit = 0, AcqLine = 0;
  const ReturnStmt *ExitReturn = nullptr;  // null: the closing brace
  std::string Arg;                         // what the release function is given
};

unsigned Builder::off(SourceLocation L) const {
  if (L.isInvalid()) return NoOffset;
  SourceLocation E = SM.getExpansionLoc(L);
  if (SM.getFileID(E) != FID) return NoOffset;
  return SM.getFileOffset(E);
}

std::string Builder::line(unsigned L) const {
  if (L == 0 || L > LineStart.size()) return "";
  size_t B = LineStart[L - 1];
  size_t E = L < LineStart.size() ? LineStart[L] - 1 : Buf.size();
  if (E > B && Buf[E - 1] == '\n') --E;  // the file's last line, ending in '\n'
  return Buf.substr(B, E - B).str();
}

void Builder::index(const Stmt *S, const Stmt *Parent) {
  if (!S) return;
  Parents[S] = Parent;
  All.push_back(S);
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (V->getName() == F.Variable) SameName.push_back(V);
  for (const Stmt *C : S->children()) index(C, S);
}

bool Builder::startsItsLine(unsigned Off) const {
  unsigned L = lineOf(Off);
  if (L == 0) return false;
  Lexer Lex(SM.getLocForStartOfFile(FID), LO, Buf.begin(), Buf.begin() + LineStart[L - 1],
            Buf.end());
  Token T;
  Lex.LexFromRawLexer(T);
  return SM.getFileOffset(T.getLocation()) == Off;
}

unsigned Builder::tokenAfter(unsigned Off) const {
  std::optional<Token> T =
      Lexer::findNextToken(SM.getLocForStartOfFile(FID).getLocWithOffset(Off), SM, LO);
  if (!T || T->is(tok::eof)) return NoOffset;
  return SM.getFileOffset(T->getLocation());
}

bool Builder::setUp() {
  if (F.RuleId != "krefcheck-leak" && F.RuleId != "krefcheck-loop-leak") return false;
  if (F.Variable.empty() || F.Loc.File.empty() || F.Loc.File != F.AcquireLoc.File) return false;
  // The reference's family and release, as the checker named them in the finding (also for a
  // same-file helper's summary).
  Fam = Rules.family(F.Family);
  if (!Fam || Fam->Release.empty() || Fam->Release != F.ReleaseFunction) return false;
  FD = Site.Function;
  Body = FD ? dyn_cast_or_null<CompoundStmt>(FD->getBody()) : nullptr;
  if (!Body || Site.Acquire.isInvalid() || Site.Exit.isInvalid()) return false;
  FID = SM.getFileID(SM.getExpansionLoc(Body->getBeginLoc()));
  bool Invalid = false;
  Buf = SM.getBufferData(FID, &Invalid);
  if (Invalid) return false;
  LineStart.push_back(0);
  for (size_t I = 0; I < Buf.size(); ++I)
    if (Buf[I] == '\n' && I + 1 < Buf.size()) LineStart.push_back(I + 1);

  // The variable: the only declaration of its name in the function.
  for (const ParmVarDecl *P : FD->parameters())
    if (P->getName() == F.Variable) SameName.push_back(P);
  index(Body, nullptr);
  if (SameName.size() != 1) return false;
  VD = SameName.front();
  for (const Stmt *S : All)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == VD)
      Refs.push_back(DRE);
  if (VD->hasAttr<CleanupAttr>() || !(isa<ParmVarDecl>(VD) || VD->hasLocalStorage())) return false;
  QualType T = VD->getType().getCanonicalType();
  const RecordDecl *RD = T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
  if (!RD) return false;

  unsigned Acq = off(Site.Acquire);
  Exit = off(Site.Exit);
  if (Acq == NoOffset || Exit == NoOffset || lineOf(Acq) >= lineOf(Exit)) return false;
  AcqLine = lineOf(Acq);

  // The acquire: in the head (not a body) of a statement of a block. A `for`/`while` head's
  // own uses of the variable (the iterator steps) are the acquire's.
  for (const Stmt *S : All) {
    const Stmt *P = parent(S);
    if (!P || !isa<CompoundStmt>(P)) continue;
    unsigned B = off(S->getBeginLoc()), E = endOff(S);
    if (B == NoOffset || E == NoOffset || Acq < B || Acq > E) continue;
    AcqStmt = S;
    AcqBlock = P;
  }
  if (!AcqStmt) return false;
  while (const auto *L = dyn_cast<LabelStmt>(AcqStmt)) AcqStmt = L->getSubStmt();
  AcqBegin = off(AcqStmt->getBeginLoc());
  const Stmt *BodyOfHead = nullptr;
  if (const auto *FS = dyn_cast<ForStmt>(AcqStmt)) BodyOfHead = FS->getBody();
  else if (const auto *WS = dyn_cast<WhileStmt>(AcqStmt)) BodyOfHead = WS->getBody();
  else if (const auto *IS = dyn_cast<IfStmt>(AcqStmt)) BodyOfHead = IS->getThen();
  else if (isa<CompoundStmt, DoStmt, SwitchStmt, LabelStmt>(AcqStmt)) return false;
  HeaderEnd = BodyOfHead ? off(BodyOfHead->getBeginLoc()) : endOff(AcqStmt) + 1;
  if (AcqBegin == NoOffset || HeaderEnd == NoOffset || Acq >= HeaderEnd) return false;

  // The exit: a `return` written in the file, or the function's closing brace in column 1.
  for (const Stmt *S : All)
    if (const auto *RS = dyn_cast<ReturnStmt>(S); RS && off(RS->getBeginLoc()) == Exit) {
      if (RS->getBeginLoc().isMacroID()) return false;
      ExitReturn = RS;
    }
  if (ExitReturn) {
    if (!inside(ExitReturn, AcqBlock)) return false;
  } else if (Exit != off(Body->getRBracLoc()) || AcqBlock != Body ||
             SM.getExpansionColumnNumber(Body->getRBracLoc()) != 1) {
    return false;
  }

  // The release's argument: `&var->member` when the acquire took the reference on an object
  // the variable's struct embeds (device_register(&c->dev)); `&var->M` for a struct embedding
  // the family's object as member M (the family's "embedding_member"); else the variable.
  Arg = F.Variable;
  for (const Stmt *S : All) {
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE || off(CE->getBeginLoc()) != Acq) continue;
    for (const Expr *A : CE->arguments()) {
      const auto *UO = dyn_cast<UnaryOperator>(A->IgnoreParenImpCasts());
      const auto *ME = UO && UO->getOpcode() == UO_AddrOf
                           ? dyn_cast<MemberExpr>(UO->getSubExpr()->IgnoreParens())
                           : nullptr;
      const auto *Base = ME && ME->isArrow()
                             ? dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts())
                             : nullptr;
      if (Base && Base->getDecl() == VD) {
        Arg = "&" + F.Variable + "->" + ME->getMemberDecl()->getNameAsString();
        // A member that is a struct embedding the family's object (a summary's
        // register_virtio_device(&vm_dev->vdev) acquires vdev.dev): `&var->vdev.dev`.
        const RecordDecl *MR = ME->getType().getCanonicalType()->getAsRecordDecl();
        auto nameOf = [](const RecordDecl *R) {
          return (R->isUnion() ? "union " : "struct ") + R->getNameAsString();
        };
        if (Fam->Type.empty() || !MR || nameOf(MR) == Fam->Type) return true;
        const RecordDecl *MDef = MR->getDefinition();
        if (!MDef) return false;
        std::string Inner;
        for (const FieldDecl *Fd : MDef->fields()) {
          const RecordDecl *FR = Fd->getType().getCanonicalType()->getAsRecordDecl();
          if (!FR || nameOf(FR) != Fam->Type) continue;
          if (!Inner.empty()) return false;  // two of them: which one is not known
          Inner = Fd->getNameAsString();
        }
        if (Inner.empty()) return false;
        Arg += "." + Inner;
        return true;
      }
    }
    break;
  }
  std::string TypeName = (RD->isUnion() ? "union " : "struct ") + RD->getNameAsString();
  if (Fam->Type.empty() || TypeName == Fam->Type) return true;
  if (Fam->EmbeddingMember.empty()) return false;
  const RecordDecl *Def = RD->getDefinition();
  if (!Def) return false;
  for (const FieldDecl *Fd : Def->fields()) {
    if (Fd->getName() != Fam->EmbeddingMember) continue;
    const RecordDecl *M = Fd->getType().getCanonicalType()->getAsRecordDecl();
    if (!M || (M->isUnion() ? "union " : "struct ") + M->getNameAsString() != Fam->Type)
      return false;
    Arg = "&" + F.Variable + "->" + Fam->EmbeddingMember;
    return true;
  }
  return false;
}

/// Does the file define Callee (also when the pre-pass dropped its body as irrelevant)?
bool Builder::definedInFile(const FunctionDecl *Callee) const {
  for (const FunctionDecl *D : Callee->redecls())
    if ((D->doesThisDeclarationHaveABody() || D->hasSkippedBody()) &&
        SM.getFileID(SM.getExpansionLoc(D->getLocation())) == FID)
      return true;
  return false;
}

/// `if (IS_ERR(var)) return ...;` keeps error pointers away from the exits below; any other
/// test may let one through to the put.
bool Builder::guardedErrorReturn(const CallExpr *CE) const {
  const Stmt *Cur = CE;
  const Stmt *P = parent(Cur);
  while (P && isa<ImplicitCastExpr, ParenExpr>(P)) {
    Cur = P;
    P = parent(P);
  }
  const auto *If = dyn_cast_or_null<IfStmt>(P);
  return If && If->getCond() == Cur && isa<ReturnStmt>(If->getThen());
}

bool Builder::callKeeps(const CallExpr *CE, const Stmt *Arg) const {
  unsigned Index = 0;
  bool Found = false;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I)
    if (CE->getArg(I) == Arg) {
      Index = I;
      Found = true;
    }
  if (!Found) return false;  // the callee expression (a function pointer read through it)
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee) return true;  // an indirect call may do anything with it
  if (Callee->getBuiltinID()) return false;
  std::string Name = Callee->getNameAsString();
  if (Rules.errorCheck(Name)) return !guardedErrorReturn(CE);
  // A helper of this file may release or keep it.
  if (definedInFile(Callee)) return true;
  if (const FunctionRule *R = Rules.function(Name)) {
    if (const ArgRule *A = R->argRule(Index))
      if (A->Effect != ArgEffect::Borrow) return true;
    if (R->Returns == ReturnEffect::Arg && R->ReturnsArg == Index) return true;
  }
  return false;
}

bool Builder::escapes(const DeclRefExpr *R) const {
  // Climb through what keeps the pointer's value (casts, parentheses, the arms of ?:, the
  // right of a comma) and what reads through it (`var->f`, `*var`, `var[i]`: Derived).
  const Stmt *Cur = R;
  bool Derived = false;
  for (const Stmt *P = parent(Cur); P; Cur = P, P = parent(P)) {
    if (isa<ImplicitCastExpr, ParenExpr, CStyleCastExpr>(P)) continue;
    if (const auto *CO = dyn_cast<ConditionalOperator>(P)) {
      if (CO->getCond() == Cur) return false;
      continue;
    }
    if (isa<BinaryConditionalOperator>(P)) continue;
    // The value of a statement expression `({ ...; var; })`.
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      const Stmt *SE = parent(CS);
      if (!SE || !isa<StmtExpr>(SE) || CS->body_empty() || CS->body_back() != Cur) return false;
      P = SE;
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      if (ME->getBase() != Cur) return false;
      Derived = true;
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(P)) {
      if (AS->getBase() != Cur) return false;
      Derived = true;
      continue;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(P)) {
      switch (U->getOpcode()) {
      case UO_Deref: Derived = true; continue;
      // `&var`: an out-parameter; `&var->member`: a pointer into the object, like the variable.
      case UO_AddrOf:
        if (!Derived) return true;
        Derived = false;
        continue;
      case UO_PreInc:
      case UO_PreDec:
      case UO_PostInc:
      case UO_PostDec: return !Derived;
      default: return false;
      }
    }
    if (const auto *B = dyn_cast<BinaryOperator>(P)) {
      if (B->isAssignmentOp()) return !Derived;  // reassigned (`var = `) or stored (`x = var`)
      if (B->getOpcode() == BO_Comma && B->getRHS() == Cur) continue;
      return false;
    }
    if (isa<ReturnStmt>(P)) return false;  // ownership leaves through that other exit
    if (const auto *CE = dyn_cast<CallExpr>(P)) return callKeeps(CE, Cur);
    if (isa<InitListExpr, DeclStmt>(P)) return !Derived;  // stored in another object
    return false;
  }
  return false;
}

bool Builder::cleanUpTo(unsigned End, const Stmt *At) const {
  if (At && !inside(At, AcqBlock)) return false;
  // In a loop entered after the acquire, the rest of the loop runs before the next round
  // reaches At: its uses count too.
  unsigned UsesEnd = End;
  for (const Stmt *S = At; S && S != AcqStmt && S != AcqBlock; S = parent(S))
    if (isa<ForStmt, WhileStmt, DoStmt>(S)) UsesEnd = std::max(UsesEnd, endOff(S) + 1);
  for (const DeclRefExpr *R : Refs) {
    unsigned O = off(R->getLocation());
    if (O == NoOffset || O < HeaderEnd || O >= UsesEnd) continue;
    if (escapes(R)) return false;
  }
  // No jump into [acquire, End) from outside it, no case label in it.
  for (const Stmt *S : All) {
    unsigned O = off(S->getBeginLoc());
    if (O == NoOffset || O < AcqBegin || O >= End) continue;
    if (isa<SwitchCase>(S)) return false;
    const auto *L = dyn_cast<LabelStmt>(S);
    if (!L) continue;
    for (const Stmt *G : All)
      if (const auto *GS = dyn_cast<GotoStmt>(G); GS && GS->getLabel() == L->getDecl()) {
        unsigned GO = off(GS->getBeginLoc());
        if (GO == NoOffset || GO < AcqBegin || GO >= End) return false;
      }
    if (L->getDecl()->isGnuLocal() || L->getDecl()->hasAttrs()) return false;
  }
  for (const Stmt *S : All)
    if (isa<IndirectGotoStmt>(S)) return false;
  return true;
}

bool Builder::usableExit() const {
  if (!ExitReturn) return true;
  // `return of_get_child_by_name(np, ...);` still needs it.
  for (const DeclRefExpr *R : Refs)
    if (inside(R, ExitReturn)) return false;
  return true;
}

std::optional<FixEdit> Builder::putBefore(const Stmt *S) const {
  unsigned Begin = off(S->getBeginLoc());
  if (S->getBeginLoc().isMacroID() || Begin == NoOffset || !startsItsLine(Begin))
    return std::nullopt;
  unsigned Line = lineOf(Begin);
  FixEdit Fx;
  Fx.File = F.Loc.File;
  const Stmt *P = parent(S);
  if (P && isa<CompoundStmt, LabelStmt, SwitchCase>(P)) {
    Fx.StartLine = Line;
    Fx.Text = indentOf(Line) + put() + "\n";
    Fx.Original = {line(Line)};
    return Fx;
  }
  // The braceless body of an `if` without `else`: add the braces, over the lines from the one
  // ending in the `)` to the one ending in the statement's `;`.
  const auto *If = dyn_cast_or_null<IfStmt>(P);
  if (!If || If->getThen() != S || If->getElse() || If->getRParenLoc().isMacroID() ||
      If->getIfLoc().isMacroID())
    return std::nullopt;
  unsigned Close = off(If->getRParenLoc()), Last = endOff(S);
  if (Close == NoOffset || Last == NoOffset) return std::nullopt;
  unsigned Semi = tokenAfter(Last);
  if (Semi == NoOffset || Buf[Semi] != ';') return std::nullopt;
  unsigned After = tokenAfter(Semi);
  unsigned IfLine = lineOf(Close), EndLine = lineOf(Semi);
  if (IfLine >= Line || (After != NoOffset && lineOf(After) == EndLine)) return std::nullopt;
  size_t ParenCol = Close - LineStart[IfLine - 1];
  std::string L0 = line(IfLine);
  Fx.StartLine = IfLine;
  Fx.DeletedLines = EndLine - IfLine + 1;
  Fx.Text = L0.substr(0, ParenCol + 1) + " {" + L0.substr(ParenCol + 1) + "\n";
  Fx.Original.push_back(L0);
  for (unsigned L = IfLine + 1; L <= EndLine; ++L) {
    if (L == Line) Fx.Text += indentOf(Line) + put() + "\n";
    Fx.Text += line(L) + "\n";
    Fx.Original.push_back(line(L));
  }
  Fx.Text += indentOf(lineOf(off(If->getIfLoc()))) + "}\n";
  return Fx;
}

/// The put right before the exit: the `return` that does not use the variable, or the closing
/// brace of the function.
std::optional<FixEdit> Builder::atExit() {
  if (!usableExit() || !cleanUpTo(Exit, ExitReturn)) return std::nullopt;
  if (ExitReturn) {
    std::optional<FixEdit> Fx = putBefore(ExitReturn);
    if (Fx)
      Fx->Description = "Release '" + F.Variable + "' with " + Fam->Release + "() before returning";
    return Fx;
  }
  // Falling off the end: indent like the body's first statement.
  if (Body->body_empty()) return std::nullopt;
  unsigned First = off(Body->body_front()->getBeginLoc());
  if (First == NoOffset) return std::nullopt;
  std::string Indent = indentOf(lineOf(First));
  if (Indent.empty()) return std::nullopt;
  unsigned Line = lineOf(Exit);
  FixEdit Fx;
  Fx.File = F.Loc.File;
  Fx.StartLine = Line;
  Fx.Text = Indent + put() + "\n";
  Fx.Original = {line(Line)};
  Fx.Description = "Release '" + F.Variable + "' with " + Fam->Release + "() before leaving " +
                   F.Function + "()";
  return Fx;
}

/// The put before the `goto` through which the leaking path reaches the exit: the body of the
/// `if` whose condition is the path's last branch, jumping to a label from which the code runs
/// to the exit without touching the variable.
std::optional<FixEdit> Builder::atGoto() {
  unsigned B = off(Site.LastBranch);
  if (B == NoOffset || lineOf(B) <= AcqLine || lineOf(B) >= lineOf(Exit)) return std::nullopt;
  // The innermost `if` whose condition holds the branch.
  const IfStmt *If = nullptr;
  unsigned IfOpen = 0;
  for (const Stmt *S : All)
    if (const auto *I = dyn_cast<IfStmt>(S)) {
      unsigned Open = off(I->getLParenLoc()), Close = off(I->getRParenLoc());
      if (I->getLParenLoc().isMacroID() || Open == NoOffset || Close == NoOffset) continue;
      if (Open < B && B <= Close && (!If || Open > IfOpen)) {
        If = I;
        IfOpen = Open;
      }
    }
  if (!If) return std::nullopt;
  const GotoStmt *G = dyn_cast<GotoStmt>(If->getThen());
  if (const auto *Block = dyn_cast<CompoundStmt>(If->getThen()); Block && !Block->body_empty())
    G = dyn_cast<GotoStmt>(Block->body_back());
  if (!G || G->getBeginLoc().isMacroID()) return std::nullopt;
  unsigned GOff = off(G->getBeginLoc());
  const LabelStmt *Label = G->getLabel()->getStmt();
  if (!Label || GOff == NoOffset) return std::nullopt;
  unsigned LOff = off(Label->getIdentLoc());
  if (LOff == NoOffset || LOff <= GOff || LOff >= Exit) return std::nullopt;
  // The way from the label to the exit: straight, without the variable.
  for (const DeclRefExpr *R : Refs) {
    unsigned O = off(R->getLocation());
    if (O != NoOffset && O >= LOff && O < Exit) return std::nullopt;
  }
  for (const Stmt *S : All) {
    unsigned O = off(S->getBeginLoc());
    if (O == NoOffset || O < LOff || O >= Exit) continue;
    if (isa<ReturnStmt, GotoStmt, IndirectGotoStmt, BreakStmt, ContinueStmt, SwitchCase>(S))
      return std::nullopt;
  }
  if (!usableExit() || !cleanUpTo(GOff, G)) return std::nullopt;
  std::optional<FixEdit> Fx = putBefore(G);
  if (Fx)
    Fx->Description = "Release '" + F.Variable + "' with " + Fam->Release + "() before the goto " +
                      G->getLabel()->getNameAsString();
  return Fx;
}

std::optional<FixEdit> Builder::run() {
  if (!setUp()) return std::nullopt;
  std::optional<FixEdit> Fx = atExit();
  if (!Fx) Fx = atGoto();
  if (!Fx) return Fx;
  // The text around the edit, for the diff's context lines: report/ never reads the file.
  const unsigned Ctx = 3, N = LineStart.size(), Span = std::max(Fx->DeletedLines, 1u);
  for (unsigned L = Fx->StartLine > Ctx ? Fx->StartLine - Ctx : 1; L < Fx->StartLine; ++L)
    Fx->Before.push_back(line(L));
  for (unsigned L = Fx->StartLine + Span; L <= N && L < Fx->StartLine + Span + Ctx; ++L)
    Fx->After.push_back(line(L));
  Fx->FileLines = N;
  Fx->FinalNewline = Buf.empty() || Buf.back() == '\n';
  return Fx;
}

}  // namespace

std::optional<FixEdit> buildFix(const Finding &F, const FixSite &Site, const RuleSet &Rules,
                                const SourceManager &SM) {
  if (!Site.Function) return std::nullopt;
  return Builder(F, Site, Rules, SM).run();
}

}  // namespace krefcheck
