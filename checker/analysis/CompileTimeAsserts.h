// Compile-time assertions never run: the analysis must not end paths at them.
#pragma once

namespace clang {
class ASTContext;
class FunctionDecl;
}  // namespace clang

namespace krefcheck {

/// A function declared `__attribute__((error("...")))`: a call to it that the optimiser does not
/// remove fails the build, so no call to it is ever executed. The kernel's compile-time checks
/// (`compiletime_assert()`, BUILD_BUG_ON(), the type checks of min()/max()) call one, declared
/// `__noreturn`, under a condition only the optimiser folds (`__builtin_constant_p()` of a
/// local variable): the front end folds it the other way, and the static analyzer would end
/// every path there.
bool isCompileTimeError(const clang::FunctionDecl *FD);

/// Makes every compile-time error function of the TU an ordinary (returning) function, in its
/// declarations and at its calls, before any CFG is built: a path goes on past the check as
/// in the compiled code. The checker evaluates the call as a no-op.
void neutraliseCompileTimeAsserts(clang::ASTContext &Ctx);

}  // namespace krefcheck
