#include "analysis/Callback.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace krefcheck {

const FunctionDecl *callbackOf(const CallExpr *CE, unsigned Index) {
  if (!CE || Index >= CE->getNumArgs()) return nullptr;
  const Expr *E = CE->getArg(Index)->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenCasts();  // `&action`
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
}

CallbackVerdict callbackVerdict(const FunctionDecl *Cb, const RuleSet &Rules,
                                const std::set<const Decl *> &Parsed) {
  if (!Cb || !Cb->getIdentifier()) return CallbackVerdict::Unknown;
  if (const FunctionRule *R = Rules.function(Cb->getNameAsString())) {
    const ArgRule *A = R->argRule(0);
    if (!A) return CallbackVerdict::Keeps;
    EffectMeaning M = meaningOf(A->Effect);
    // Freeing the object disposes of it too: not the caller's to drop any more.
    return M.releases() || M.handsOver() || M.mayDo(RefChange::Free) ? CallbackVerdict::Releases
                                                                     : CallbackVerdict::Keeps;
  }
  return Parsed.count(Cb->getCanonicalDecl()) ? CallbackVerdict::Keeps : CallbackVerdict::Unknown;
}

ArgEffect callbackEffect(const ArgRule &A, const CallExpr *CE, const RuleSet &Rules,
                         const std::set<const Decl *> &Parsed) {
  if (A.Callback < 0) return A.Effect;
  if (callbackVerdict(callbackOf(CE, static_cast<unsigned>(A.Callback)), Rules, Parsed) ==
      CallbackVerdict::Keeps)
    return ArgEffect::Borrow;
  return A.Effect;
}

}  // namespace krefcheck
