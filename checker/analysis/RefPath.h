// The path a report shows: the notes made from the changes of a reference's RefState (each
// tagged with its StepKind, see stepTag()), and the facts of the report (ReportMeta) attached
// to its last piece, so the collector (TUAnalyzer) reads them by identity, never from text.
#pragma once

#include "analysis/RefcountChecker.h"

#include "clang/StaticAnalyzer/Core/BugReporter/BugReporter.h"

#include <string>

namespace krefcheck {

/// "foo()" for a direct call statement, "" otherwise.
std::string calleeOf(const clang::Stmt *S);

/// Path notes for each change of \p Sym's reference (acquired, released, handed over...).
void addRefVisitor(clang::ento::PathSensitiveBugReport &R, clang::ento::SymbolRef Sym);
/// Path notes on the calls that received \p Sym (or returned it) to a function the run has no
/// summary of: no body in the TU, no rule, no summary (StepKind::Unsummarised, with the
/// callee's name by its tag, see unsummarisedCalleeOf).
void addUnsummarisedVisitor(clang::ento::PathSensitiveBugReport &R, clang::ento::SymbolRef Sym,
                            CheckerContextData &Ctx);
/// Tags the report's last piece with \p M (which must outlive the report).
void addMetaVisitor(clang::ento::PathSensitiveBugReport &R, const ReportMeta &M);

}  // namespace krefcheck
