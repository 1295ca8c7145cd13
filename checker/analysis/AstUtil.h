// Small AST helpers shared by the pre-pass and the checker.
#pragma once

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace krefcheck {

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

}  // namespace krefcheck
