// The fix of a leak, computed from the AST while it is alive (the finding collector calls it for
// each report): insert the family's release call before the statement through which the
// function leaves on the leaking path, when that fix is unambiguous. The edit goes into the
// Finding (FixEdit); report/ only writes it out.
#pragma once

#include "findings/Finding.h"

#include "clang/Basic/SourceLocation.h"

#include <optional>

namespace clang {
class FunctionDecl;
class SourceManager;
}  // namespace clang

namespace krefcheck {

class RuleSet;

/// Where the analysis saw the finding (expansion or spelling locations; macro locations are
/// resolved to their expansion).
struct FixSite {
  const clang::FunctionDecl *Function = nullptr;  // the function with the issue
  clang::SourceLocation Exit;        // the report's location: the `return` or the closing brace
  clang::SourceLocation Acquire;     // the acquiring call
  clang::SourceLocation LastBranch;  // the last condition on the path (invalid: none)
};

/// The fix of F (a krefcheck-leak or krefcheck-loop-leak with its variable, family and release
/// function filled in), or nullopt when it is not unambiguous. Unambiguous means: the variable
/// is the only one of that name in the function, a pointer to a struct, local or a parameter,
/// not a __free() variable; the acquire is a statement of a block that holds the exit; the exit
/// is a `return` written in the file (not in a macro) whose expression does not use the
/// variable, or the closing brace of the function; between the acquire and the exit no
/// statement reassigns the variable, takes its address, stores it, hands it to a call that
/// releases, consumes or keeps it (by the rules, also a same-file summary) or to a helper
/// defined in the file, and no jump enters that stretch from outside it. Otherwise, when the
/// path's last branch is an `if` whose body ends in a `goto` to a label from which the code
/// runs to that exit without using the variable, the put goes before the goto (when that
/// stretch is as clean). Rules gives the family's release and embedding member.
std::optional<FixEdit> buildFix(const Finding &F, const FixSite &Site, const RuleSet &Rules,
                                const clang::SourceManager &SM);

}  // namespace krefcheck
