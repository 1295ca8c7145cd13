// Small AST helpers shared by the pre-pass and the checker.
#pragma once

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <string>

namespace krefcheck {

/// A line number as a finding's message shows it. Marked (\x01 ... \x02) so that the report
/// keeps, beside the text shown, the message with every such number as "N"
/// (Finding::MessageKey: what a baseline's "updated" compares) without reading the text back.
/// Only for text that goes into a report's message (the checker strips the marks there).
inline std::string lineMark(unsigned Line) { return "\x01" + std::to_string(Line) + "\x02"; }

/// The variable whose object an argument expression denotes: `np`, `(void *)np`,
/// `&pdev->dev` -> pdev, `&s.dev` -> s. A pointer loaded from a field (`p->np`) is another
/// object: nullptr.
inline const clang::VarDecl *objectVar(const clang::Expr *E) {
  using namespace clang;
  if (!E) return nullptr;
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) return dyn_cast<VarDecl>(DRE->getDecl());
  const auto *UO = dyn_cast<UnaryOperator>(E);
  if (!UO || UO->getOpcode() != UO_AddrOf) return nullptr;
  const Expr *Sub = UO->getSubExpr()->IgnoreParens();
  while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
    if (ME->isArrow()) return objectVar(ME->getBase());
    Sub = ME->getBase()->IgnoreParens();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Sub)) return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// The access path of a field expression: `sl->dev.of_node` and `(&sl->dev)->of_node` give
/// the same string (declarations, not spelling); "" for anything else.
inline std::string accessPath(const clang::Expr *E) {
  using namespace clang;
  if (!E) return "";
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return "v" + std::to_string(reinterpret_cast<uintptr_t>(DRE->getDecl()->getCanonicalDecl()));
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
      return accessPath(UO->getSubExpr());
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    std::string B = accessPath(ME->getBase());
    if (B.empty()) return "";
    return B + ".f" +
           std::to_string(reinterpret_cast<uintptr_t>(ME->getMemberDecl()->getCanonicalDecl()));
  }
  return "";
}

/// A conversion to the structure embedding an object (`to_auxiliary_dev(dev)`, `kobj_to_dev()`:
/// a static inline container_of() whose body krefcheck does not read): a call with one pointer
/// argument to a struct that the returned pointer's struct embeds as a member. Returns that
/// argument, or nullptr. The result names the same object: its reference is the argument's.
inline const clang::Expr *containerConversionArg(const clang::CallExpr *CE) {
  using namespace clang;
  if (!CE || CE->getNumArgs() != 1) return nullptr;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || FD->getNumParams() != 1) return nullptr;
  QualType RT = CE->getType();
  const Expr *Arg = CE->getArg(0);
  QualType AT = Arg->IgnoreParenImpCasts()->getType();
  if (!RT->isPointerType() || !AT->isPointerType()) return nullptr;
  const RecordDecl *Outer = RT->getPointeeType()->getAsRecordDecl();
  const RecordDecl *Inner = AT->getPointeeType()->getAsRecordDecl();
  if (!Outer || !Inner) return nullptr;
  Outer = Outer->getDefinition();
  const Decl *InnerC = Inner->getCanonicalDecl();
  if (!Outer || Outer->getCanonicalDecl() == InnerC) return nullptr;
  for (const FieldDecl *F : Outer->fields())
    if (const RecordDecl *M = F->getType()->getAsRecordDecl())
      if (M->getCanonicalDecl() == InnerC) return Arg;
  return nullptr;
}

/// Does argument \p I of a call to a function whose body is not seen take its object as
/// callback context: a non-const `void *` parameter of a call that also passes a function
/// (`request_irq(irq, handler, ..., obj)`, `kthread_run(fn, obj, ...)`)? The callback may keep
/// and release the object. A `void *` with no function beside it (`free_irq(irq, obj)`, a
/// lookup key, a cookie) is only read: the caller keeps its reference.
inline bool takesCallbackContext(const clang::CallExpr *CE, unsigned I) {
  using namespace clang;
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || I >= FD->getNumParams() || I >= CE->getNumArgs()) return false;
  QualType PT = FD->getParamDecl(I)->getType();
  if (!PT->isVoidPointerType() || PT->getPointeeType().isConstQualified()) return false;
  for (unsigned K = 0; K < CE->getNumArgs(); ++K) {
    if (K == I) continue;
    QualType AT = CE->getArg(K)->IgnoreParenImpCasts()->getType();
    if (AT->isFunctionPointerType() || AT->isFunctionType()) return true;
  }
  return false;
}

/// The raw tokens (macros not expanded) of the body of the function definition named at
/// \p NameLoc, from its `{` to its `}` (nested braces included, the outer ones not), given one
/// by one to \p Visit until it returns false. True when the closing `}` was reached; false when
/// the file cannot be read, the declaration ends at a `;` first, \p MaxLexed tokens were lexed
/// (the signature's included) or \p Visit stopped. For bodies the parse skipped or the
/// pre-pass only peeks at (header wrappers, getters).
inline bool visitRawBody(clang::SourceLocation NameLoc, const clang::SourceManager &SM,
                         const clang::LangOptions &LO, size_t MaxLexed,
                         llvm::function_ref<bool(const clang::Token &)> Visit) {
  using namespace clang;
  if (!NameLoc.isFileID()) return false;
  std::pair<FileID, unsigned> Pos = SM.getDecomposedLoc(NameLoc);
  bool Invalid = false;
  StringRef Buf = SM.getBufferData(Pos.first, &Invalid);
  if (Invalid) return false;
  Lexer L(SM.getLocForStartOfFile(Pos.first), LO, Buf.begin(), Buf.begin() + Pos.second, Buf.end());
  Token Tok;
  int Parens = 0, Braces = 0;
  for (size_t N = 0; N < MaxLexed && !L.LexFromRawLexer(Tok) && Tok.isNot(tok::eof); ++N) {
    if (!Braces) {
      if (Tok.is(tok::l_paren)) ++Parens;
      else if (Tok.is(tok::r_paren)) --Parens;
      else if (Parens == 0 && Tok.is(tok::semi)) return false;
      else if (Parens == 0 && Tok.is(tok::l_brace)) Braces = 1;
      continue;
    }
    if (Tok.is(tok::l_brace)) ++Braces;
    else if (Tok.is(tok::r_brace) && --Braces == 0) return true;
    if (!Visit(Tok)) return false;
  }
  return false;
}

}  // namespace krefcheck
