// Refutes a report's path when it tests the same side-effect-free condition twice, in one
// function call, with opposite outcomes and nothing on the path in between can have changed
// what the condition reads. The analyzer produces such paths because it forgets a field across
// a call that receives the object (`if (p->aux) get...; foo(p); ... if (p->aux) put...`) and
// re-reads a pure getter (`dev_get_platdata(dev)`) as a fresh value in each loop iteration.
// A refuted report is marked invalid: the BugReporter then tries the next path of the same
// finding (as clang's Z3 refutation does), so a leak on a consistent path is still reported.
#pragma once

#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"

#include <string>

namespace krefcheck {

/// Adds the refutation to \p R. For a leak of \p LeakedSym (else null) whose release function
/// is \p ReleaseFunction, a path is also refuted when it takes the reference with
/// `get(E)` and later calls `release(E)` on the same pure expression E, nothing having
/// written what E reads in between: the analyzer forgot the field and saw another object, the
/// code releases the one it took.
void addContradictionRefuter(clang::ento::PathSensitiveBugReport &R,
                             clang::ento::SymbolRef LeakedSym, const std::string &ReleaseFunction);

}  // namespace krefcheck
