// What the fields of objects hold, for the checker (RefcountChecker.cpp): references this
// function stored into a field of a longer-lived object (`p->np = np`: the object holds it),
// the owning fields of the TU (Prepass: every store into them is a reference) and whether this
// path released them, objects this function allocated or passed whole to an unseen function,
// and the release callbacks stored into objects. The program-state traits are private to
// FieldOwnership.cpp; the checker reaches them through these functions only.
#pragma once

#include "analysis/RefcountChecker.h"

#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <utility>
#include <vector>

namespace krefcheck {

class RuleSet;

namespace fields {

using clang::ento::ProgramStateRef;
using clang::ento::SymbolRef;

/// "<header>:<struct>.<field>" for a field of a named struct declared in a header beside the
/// main file (the driver's own header; its real path): the name every file of that directory
/// gives the same field, so a release of it in another file of the run counts
/// (Finding::HeldField). "" for a struct of the main file, of a header elsewhere (a kernel
/// API's) or an anonymous one.
std::string sharedFieldKey(const clang::FieldDecl *FD, const clang::SourceManager &SM);

/// The symbol naming the object a pointer value reaches: `np` -> np's symbol,
/// `&pdev->dev` -> pdev's symbol.
SymbolRef objectSymbol(clang::ento::SVal V);

/// The object and field a pointer value was read from: `p->np` (the value it had when the
/// function started, or after a call invalidated p's contents) -> p's symbol and that field.
std::pair<SymbolRef, const clang::ento::FieldRegion *> fieldOrigin(SymbolRef Sym);

/// One region per field of one object, however the object was reached (`p->f` is read through
/// a typed view of p's region; kfree(p) names the region itself).
const clang::ento::MemRegion *normalRegion(const clang::ento::MemRegion *R,
                                           clang::ento::MemRegionManager &MRM);
const clang::ento::FieldRegion *normalField(const clang::ento::FieldRegion *FR,
                                            clang::ento::MemRegionManager &MRM);

/// Objects a call receives whole (`foo(priv)`, or any pointer as `void *` data), as opposed
/// to a pointer into one of their members (`foo(&priv->sub)`): a function that receives the
/// object may release what its fields hold.
llvm::SmallPtrSet<SymbolRef, 4> wholeObjects(const clang::ento::CallEvent &Call);
/// ... of those, the objects passed as a pointer to their struct type (`foo(priv)`), not as
/// `void *` data (`dev_set_drvdata(dev, priv)` stores the pointer; it releases nothing), nor
/// as a pointer to a const struct (a reader: it cannot clear the field it would take).
llvm::SmallPtrSet<SymbolRef, 4> typedObjects(const clang::ento::CallEvent &Call);
/// Does argument I reach its callee through a pointer to a const object, the call getting
/// nowhere else to copy a reference into (no other pointer to a non-const object, no variadic
/// arguments)? Then the callee only reads the object: it takes no reference out of it.
bool readOnlyArg(const clang::ento::CallEvent &Call, unsigned I);
/// The pointers held in the fields of the local structs (this function's stack) that Call
/// receives only to read (readOnlyArg: `consume(&args)`, consume(const struct of_phandle_args
/// *)): args.np stays where it is, and the function still owes its reference.
llvm::SmallPtrSet<SymbolRef, 4> heldInReadOnlyLocals(ProgramStateRef St,
                                                     const clang::ento::CallEvent &Call,
                                                     clang::ento::MemRegionManager &MRM);

// References held in fields of objects (a reference stored into a field of a non-stack object
// is the object's now: not a leak when the function ends, but lost when the object is freed or
// its last reference dropped while the field still holds it).

/// Reference Ref is now held in field FD of object Owner (in region FR, when known: a store
/// through an array element, `priv->chan[i].np = np`, holds it in that element only).
ProgramStateRef holdInField(ProgramStateRef St, SymbolRef Ref, SymbolRef Owner,
                            const clang::FieldDecl *FD,
                            const clang::ento::FieldRegion *FR = nullptr,
                            clang::ento::MemRegionManager *MRM = nullptr);
/// The object whose field holds Ref, or null.
const SymbolRef *holderOf(ProgramStateRef St, SymbolRef Ref);
/// Ref is no longer held in a field.
ProgramStateRef forgetHeld(ProgramStateRef St, SymbolRef Ref);
/// The reference this function stored into field FD of object Obj (still held there); with
/// FR, the region read, only one stored into that same field region when either goes through
/// an array element (another element's field holds another reference).
SymbolRef heldIn(ProgramStateRef St, SymbolRef Obj, const clang::FieldDecl *FD,
                 const clang::ento::FieldRegion *FR = nullptr,
                 clang::ento::MemRegionManager *MRM = nullptr);
/// The references held in fields of Obj, with their fields (null if unknown).
llvm::SmallVector<std::pair<SymbolRef, const clang::FieldDecl *>, 2> heldBy(ProgramStateRef St,
                                                                            SymbolRef Obj);

// Pointers this function stored into fields, kept there across calls that invalidate the
// object (`info.np = of_node_get(child); nvmem_add_one_cell(nvmem, &info); ...
// of_node_put(info.np)`: the analyzer would read a new symbol derived from the call, the
// code puts the same node).

/// A store of Val into field FR (of any object, a local struct too): a pointer symbol is
/// remembered for the field, anything else forgets what it held.
ProgramStateRef noteFieldStore(ProgramStateRef St, const clang::ento::FieldRegion *FR,
                               clang::ento::SVal Val, clang::ento::MemRegionManager &MRM);
/// The same for a store into an element of an array field at a constant index
/// (`cp->interface[i] = intf`, i known on the path): that element keeps what was stored. Null
/// for any other element (a symbolic index names no one element).
ProgramStateRef noteElementStore(ProgramStateRef St, const clang::ento::ElementRegion *ER,
                                 clang::ento::SVal Val, clang::ento::MemRegionManager &MRM);
/// A store into the whole of variable region VR (its initialisation `= {0}`, a struct copy):
/// forgets what its fields held. Null when nothing changes.
ProgramStateRef forgetStoresIn(ProgramStateRef St, const clang::ento::VarRegion *VR);
/// After a call changed the regions Changed (invalidated what it could reach): every field
/// of them that holds, as this function stored it, a reference Owned() says the function
/// still holds gets that reference back. A call handed the object does not replace a
/// reference its caller stored there: its caller releases it through the field.
ProgramStateRef restoreStoredReferences(ProgramStateRef St,
                                        llvm::ArrayRef<const clang::ento::MemRegion *> Changed,
                                        llvm::function_ref<bool(SymbolRef)> Owned);
/// Forgets the stores of dead pointers the checker does not track (the field's region may
/// die before the read that needs it: `of_node_put(info.np)` is the last use of info).
ProgramStateRef removeDeadStores(ProgramStateRef St, clang::ento::SymbolReaper &SR,
                                 llvm::function_ref<bool(SymbolRef)> Tracked);

// Objects and fields whose content this function knows.

/// Obj was allocated by this function (kzalloc...): its fields hold nothing it did not store.
ProgramStateRef markFresh(ProgramStateRef St, SymbolRef Obj);
/// Obj was allocated by this function (a rule's `returns: allocated`), on this path.
bool isFresh(ProgramStateRef St, SymbolRef Obj);
/// A function whose body is not seen receives these objects: it may release their fields.
ProgramStateRef markPassedWhole(ProgramStateRef St, const clang::ento::CallEvent &Call);
/// The owning field FR of an object the function did not allocate was read or released: the
/// reference went somewhere, a free of the object does not lose it.
ProgramStateRef markHandled(ProgramStateRef St, const clang::ento::FieldRegion *FR,
                            clang::ento::MemRegionManager &MRM);
/// A load of field FR: marks it handled if it is an owning field (Ctx) not handled yet;
/// null when nothing changes.
ProgramStateRef noteOwningFieldRead(ProgramStateRef St, const clang::ento::FieldRegion *FR,
                                    const CheckerContextData *Ctx,
                                    clang::ento::MemRegionManager &MRM);
/// Forgets what it knew about dead objects.
ProgramStateRef removeDeadObjects(ProgramStateRef St, clang::ento::SymbolReaper &SR);

/// An owning field of an object being freed that still holds a reference on this path.
struct UnreleasedField {
  const clang::FieldDecl *Field;
  const OwningField *Owning;  // where the TU stores references into it (Prepass)
};
/// kfree(X) (argument ArgIdx of Call) of an object this function did not allocate: its owning
/// fields not released on this path. Tracked(V): the checker tracks V itself.
std::vector<UnreleasedField> unreleasedOwningFields(ProgramStateRef St, SymbolRef X,
                                                    const clang::ento::CallEvent &Call,
                                                    unsigned ArgIdx, const CheckerContextData *Ctx,
                                                    clang::ento::MemRegionManager &MRM,
                                                    llvm::function_ref<bool(SymbolRef)> Tracked);

/// Does function \p Fn's body assign to the field that \p Put names (`x->of_node`, the same
/// object reached the same way: `sl->dev.of_node`, not `sl->master->dev.of_node`), or call
/// an API that fills it with a reference (`out_acquire`)?
bool storesIntoField(const CheckerContextData *Ctx, const clang::Decl *Fn, const clang::Expr *Put);

// Fields a file fills with owned references (paired set/teardown): named by their chain of
// members, "record.m1.m2...", at least two members long (`i2c_client.dev.of_node`: a kind of
// object's field; `device.of_node` alone would name every device's).

/// The chains of field expression E (`priv->adap.dev.of_node` -> "i2c_adapter.dev.of_node",
/// "i2c_mux_priv.adap.dev.of_node"), or, with Last, of field Last of the object Base points to
/// (`&spi->dev` + of_node -> "spi_device.dev.of_node"). Empty for anything else.
std::vector<std::string> fieldChains(const clang::Expr *E, const clang::FieldDecl *Last = nullptr);
/// The same for the field a region is (`adap->dev.of_node` as read by the analyzer).
std::vector<std::string> fieldChains(const clang::ento::FieldRegion *FR);
/// Does the TU fill one of the chains of the released field (expression E, or region FR)
/// with an owned reference somewhere (Prepass)?
bool isOwnedFieldChain(const CheckerContextData *Ctx, const clang::Expr *E,
                       const clang::ento::FieldRegion *FR);

/// Is FR a field of a parameter whose kind its function tests before At (an expansion
/// location: `if (dev->bus != &dp_aux_bus_type) return 0;`, PrepassResult::KindTestedParams),
/// a field of that kind of object the TU fills with an owned reference ("dp_aux_ep_device.dev"
/// + ".of_node")?
bool isOwnedFieldOfTestedKind(const CheckerContextData *Ctx, const clang::ento::FieldRegion *FR,
                              clang::SourceLocation At, const clang::SourceManager &SM);

/// The field holding Ref (held in an object's field on this path) when nothing in the TU
/// releases that field (Ctx->ReleasedFields) and the rules do not give it to the object's own
/// release (a borrowed field such as `device.of_node`); null otherwise.
const clang::FieldDecl *unreleasedHeldField(ProgramStateRef St, SymbolRef Ref,
                                            const CheckerContextData *Ctx, const RuleSet &Rules);

// Release callbacks (`sl->dev.release = fn`, a field the rules' release_callbacks name).

/// A store of function Fn into field FR: remembered if the rules name it a release callback
/// field. Null when it is not one.
ProgramStateRef noteReleaseCallbackStore(ProgramStateRef St, const clang::ento::FieldRegion *FR,
                                         const clang::FunctionDecl *Fn, const RuleSet &Rules,
                                         clang::ento::MemRegionManager &MRM);
/// A store of the address of a global (`chan_dev.class = &k3_udma_glue_devclass`) into field
/// FR whose type points to a record with a release callback field (struct class's
/// dev_release): the callback the global's initializer names is remembered for the object
/// (releaseCallbackViaOf(); dev->release, when the path set one, comes first in
/// device_release()). Null otherwise.
ProgramStateRef noteReleaseCallbackVia(ProgramStateRef St, const clang::ento::FieldRegion *FR,
                                       clang::ento::SVal Val, const RuleSet &Rules,
                                       clang::ento::MemRegionManager &MRM);
/// The release callback noteReleaseCallbackVia() found for the object argument ArgIdx of Call
/// points to, if any.
const clang::FunctionDecl *
releaseCallbackViaOf(ProgramStateRef St, const clang::ento::CallEvent &Call, unsigned ArgIdx);
/// The release callback stored in the object argument ArgIdx of Call points to, if this
/// path knows it.
const clang::FunctionDecl *releaseCallbackOf(ProgramStateRef St, const clang::ento::CallEvent &Call,
                                             unsigned ArgIdx, const RuleSet &Rules);

}  // namespace fields
}  // namespace krefcheck
