// What survives the analyzer's loop widening (AO.ShouldWidenLoops, TUAnalyzer.cpp). Past the
// loop bound, Clang invalidates every local, argument and global of the frame, whatever the
// loop assigns: a local holding a reference (`codec_np`, `saif_np[0]`) gets an unknown value
// and a put through it after the loop no longer names the reference. A local the function
// assigns once, outside every loop, and whose address is never taken ("stable") cannot be
// changed by any loop: its value is restored after the widening. The program-state trait is
// private to LoopWidening.cpp; the checker reaches it through these functions only.
#pragma once

#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SymbolManager.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <map>
#include <memory>

namespace clang {
class FunctionDecl;
class VarDecl;
namespace ento {
class CheckerManager;
}
}  // namespace clang

namespace krefcheck {
namespace widening {

using clang::ento::ProgramStateRef;
using clang::ento::SymbolRef;

/// Which locals of a function are stable (assigned once outside loops, address never taken;
/// for a local array: each element, by constant index). Cached per function for one TU.
class StableLocals {
public:
  StableLocals();
  ~StableLocals();
  /// Is region R (a local variable, or an element of a local array by constant index) stable?
  bool isStable(const clang::ento::MemRegion *R);

  struct FnInfo;

private:
  std::map<const clang::FunctionDecl *, std::unique_ptr<FnInfo>> Cache;
};

/// `R = Sym` was bound: remember it if R is stable (null when nothing changes).
ProgramStateRef noteBind(ProgramStateRef St, const clang::ento::MemRegion *R, SymbolRef Sym,
                         StableLocals &Stable);
/// A non-call invalidation (the loop widening) made Escaped escape: every stable local that
/// held one of them for which Keep(sym) holds gets its value back.
ProgramStateRef restoreStable(ProgramStateRef St, const clang::ento::InvalidatedSymbols &Escaped,
                              llvm::function_ref<bool(SymbolRef)> Keep);
/// Forgets dead symbols and dead locals.
ProgramStateRef removeDead(ProgramStateRef St, clang::ento::SymbolReaper &SR);

/// The loop widening itself, registered beside the checker (TUAnalyzer.cpp turns Clang's
/// AO.ShouldWidenLoops off). Clang widens on entering a loop's condition block for the last
/// time the path may (maxBlockVisitOnPath - 1 visits before): it invalidates the frame's
/// locals, arguments and globals. But first it runs an AST matcher over the whole function
/// body (to spare C++ references), at every widening: a quarter of the CPU of arm64
/// drivers/of, 43% of unittest.c. C has no references: this checker invalidates the same
/// regions with the same conjured-symbol tag (the loop condition, the same block count), at
/// the first statement of that visit of the condition block (before anything in it is
/// loaded), once per loop and stack frame on a path.
void registerLoopWidener(clang::ento::CheckerManager &Mgr);

}  // namespace widening
}  // namespace krefcheck
