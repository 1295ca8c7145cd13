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

}  // namespace widening
}  // namespace krefcheck
