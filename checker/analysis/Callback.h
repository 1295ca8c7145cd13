// The effect of an argument whose fate depends on a callback passed beside it: the `data` of
// devm_add_action_or_reset(dev, action, data) is handed over only if `action` releases it
// (ArgRule::Callback, docs/rules-format.md).
#pragma once

#include <set>

#include "rules/Rules.h"

namespace clang {
class CallExpr;
class Decl;
class FunctionDecl;
}  // namespace clang

namespace krefcheck {

/// What the callback does to its parameter 0.
enum class CallbackVerdict {
  Releases,  // the rules or a summary say it releases (or hands over) its parameter
  Keeps,     // its body is in this TU and its summary says nothing of the kind
  Unknown,   // no body here, no rule, or not a named function (a function pointer variable)
};

/// The function CE passes as argument Index (casts stripped: `(void (*)(void *))of_node_put`),
/// or null.
const clang::FunctionDecl *callbackOf(const clang::CallExpr *CE, unsigned Index);

/// Parsed: canonical decls of the functions whose bodies the pre-pass saw in this TU.
CallbackVerdict callbackVerdict(const clang::FunctionDecl *Cb, const RuleSet &Rules,
                                const std::set<const clang::Decl *> &Parsed);

/// A's effect at the call CE: with a callback that keeps its parameter a transfer is a
/// borrow; otherwise A.Effect.
ArgEffect callbackEffect(const ArgRule &A, const clang::CallExpr *CE, const RuleSet &Rules,
                         const std::set<const clang::Decl *> &Parsed);

}  // namespace krefcheck
