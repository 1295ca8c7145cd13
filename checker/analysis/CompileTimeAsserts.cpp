#include "analysis/CompileTimeAsserts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace krefcheck {

bool isCompileTimeError(const FunctionDecl *FD) {
  const auto *A = FD ? FD->getAttr<ErrorAttr>() : nullptr;
  return A && A->isError();  // `__attribute__((warning))` only warns: such a call may run
}

namespace {

class AssertCalls : public RecursiveASTVisitor<AssertCalls> {
public:
  explicit AssertCalls(ASTContext &Ctx) : Ctx(Ctx) {}

  bool VisitCallExpr(CallExpr *CE) {
    FunctionDecl *FD = CE->getDirectCallee();
    if (!isCompileTimeError(FD)) return true;
    for (FunctionDecl *R : FD->redecls()) {
      R->dropAttr<NoReturnAttr>();
      R->dropAttr<C11NoReturnAttr>();
      R->setType(returning(R->getType()));
    }
    QualType Returning = FD->getType();
    // The callee expression (`__compiletime_assert_12` decayed to a pointer) carries the
    // function type too: the CFG reads noreturn from it.
    for (Expr *E = CE->getCallee(); E;) {
      if (auto *ICE = dyn_cast<ImplicitCastExpr>(E)) {
        if (ICE->getCastKind() == CK_FunctionToPointerDecay)
          ICE->setType(Ctx.getPointerType(Returning));
        E = ICE->getSubExpr();
      } else if (auto *PE = dyn_cast<ParenExpr>(E)) {
        PE->setType(Returning);
        E = PE->getSubExpr();
      } else {
        if (isa<DeclRefExpr>(E)) E->setType(Returning);
        break;
      }
    }
    return true;
  }

private:
  QualType returning(QualType T) const {
    const auto *FT = T->getAs<FunctionType>();
    if (!FT || !FT->getNoReturnAttr()) return T;
    return QualType(Ctx.adjustFunctionType(FT, FT->getExtInfo().withNoReturn(false)), 0);
  }

  ASTContext &Ctx;
};

}  // namespace

void neutraliseCompileTimeAsserts(ASTContext &Ctx) {
  AssertCalls V(Ctx);
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
}

}  // namespace krefcheck
