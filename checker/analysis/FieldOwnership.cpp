#include "analysis/FieldOwnership.h"

#include "rules/Rules.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/SymbolManager.h"

#include "analysis/AstUtil.h"

#include <algorithm>

using namespace clang;
using namespace clang::ento;

// A reference stored into a field of a (non-stack) object: the reference -> that object and
// field.
REGISTER_MAP_WITH_PROGRAMSTATE(HeldOwner, clang::ento::SymbolRef, clang::ento::SymbolRef)
REGISTER_MAP_WITH_PROGRAMSTATE(HeldField, clang::ento::SymbolRef, const clang::FieldDecl *)
// ... and the field's region, when the store went through an array element
// (`priv->chan[i].np = np`): a field of another element holds another reference.
REGISTER_MAP_WITH_PROGRAMSTATE(HeldElementField, clang::ento::SymbolRef,
                               const clang::ento::MemRegion *)
// ... and the member through which the field's struct is embedded, when it is (`dev` of
// struct i2c_adapter for `priv->adapter.dev.of_node = np`).
REGISTER_MAP_WITH_PROGRAMSTATE(HeldEmbeddedIn, clang::ento::SymbolRef, const clang::FieldDecl *)
// ... and the field of the same object it was stored in before, when the pointer was then copied
// into another field of it (`card->dev = get_device(parent); card->card_dev.parent = parent;`):
// either field may be the one the file releases.
REGISTER_MAP_WITH_PROGRAMSTATE(HeldAlsoIn, clang::ento::SymbolRef, const clang::FieldDecl *)
// Objects this function allocated (kzalloc...): their fields hold nothing it did not store.
REGISTER_SET_WITH_PROGRAMSTATE(FreshObjects, clang::ento::SymbolRef)
// Objects passed whole to a function whose body is not seen (it may release their fields).
REGISTER_SET_WITH_PROGRAMSTATE(PassedWhole, clang::ento::SymbolRef)
// ... of which those passed as their own struct type (`foo_cleanup(priv)`), not as `void *`
// data (`dev_set_drvdata(dev, priv)` keeps the pointer, it releases nothing).
REGISTER_SET_WITH_PROGRAMSTATE(PassedTyped, clang::ento::SymbolRef)
// Owning fields (of an object the function did not allocate) whose value this function read
// or released: the reference went somewhere (put, or moved to a variable): kfree() of the
// object does not lose it.
REGISTER_SET_WITH_PROGRAMSTATE(HandledFields, const clang::ento::MemRegion *)
// Release callbacks stored on this path (`sl->dev.release = fn`): the object (normalised
// region of the struct holding the callback field) -> the callback. Kept apart from the store,
// which a later call (dev_set_name(&sl->dev, ...)) invalidates.
REGISTER_MAP_WITH_PROGRAMSTATE(KnownReleaseCallback, const clang::ento::MemRegion *,
                               const clang::FunctionDecl *)
// Release callbacks named by a static struct the object was given (`dev.class = &cls`,
// cls.dev_release): the object -> the callback. Kept apart from KnownReleaseCallback: only
// whether it frees at all is read from it (noteReleaseCallbackVia()).
REGISTER_MAP_WITH_PROGRAMSTATE(ViaReleaseCallback, const clang::ento::MemRegion *,
                               const clang::FunctionDecl *)

// The pointer this function last stored into a field (normalised field region -> its symbol):
// the value it still holds when a call's invalidation replaced it with a derived symbol.
REGISTER_MAP_WITH_PROGRAMSTATE(StoredInField, const clang::ento::MemRegion *, clang::ento::SVal)

namespace krefcheck {
namespace fields {

std::string sharedFieldKey(const FieldDecl *FD, const SourceManager &SM) {
  const RecordDecl *RD = FD ? FD->getParent() : nullptr;
  if (!RD || !RD->getIdentifier()) return "";
  FileID F = SM.getFileID(SM.getExpansionLoc(RD->getLocation()));
  if (F == SM.getMainFileID()) return "";
  // A driver's own header, beside the file (komeda_pipeline.h): a struct of a kernel API
  // (include/linux/...) is filled by many drivers, and one driver's put of its field says
  // nothing of another's.
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(F),
                       ME = SM.getFileEntryRefForID(SM.getMainFileID());
  if (!FE || !ME || FE->getDir() != ME->getDir()) return "";
  std::string Path = FE->getFileEntry().tryGetRealPathName().str();
  if (Path.empty()) return "";
  return Path + ":" + RD->getNameAsString() + "." + FD->getNameAsString();
}

SymbolRef objectSymbol(SVal V) {
  if (SymbolRef S = V.getAsLocSymbol(/*IncludeBaseRegions=*/true)) return S;
  return V.getAsSymbol();
}

std::pair<SymbolRef, const FieldRegion *> fieldOrigin(SymbolRef Sym) {
  const MemRegion *R = nullptr;
  if (const auto *SRV = dyn_cast_or_null<SymbolRegionValue>(Sym)) R = SRV->getRegion();
  else if (const auto *SD = dyn_cast_or_null<SymbolDerived>(Sym)) R = SD->getRegion();
  const auto *FR = dyn_cast_or_null<FieldRegion>(R);
  if (!FR) return {nullptr, nullptr};
  const auto *Base = dyn_cast<SymbolicRegion>(FR->getBaseRegion());
  if (!Base) return {nullptr, nullptr};
  return {Base->getSymbol(), FR};
}

const FieldRegion *normalField(const FieldRegion *FR, MemRegionManager &MRM) {
  const auto *Super = dyn_cast<SubRegion>(normalRegion(FR->getSuperRegion(), MRM));
  return Super ? MRM.getFieldRegion(FR->getDecl(), Super) : FR;
}

const MemRegion *normalRegion(const MemRegion *R, MemRegionManager &MRM) {
  R = R->StripCasts();
  if (const auto *FR = dyn_cast<FieldRegion>(R)) return normalField(FR, MRM);
  return R;
}

llvm::SmallPtrSet<SymbolRef, 4> wholeObjects(const CallEvent &Call) {
  llvm::SmallPtrSet<SymbolRef, 4> Out;
  for (unsigned I = 0, E = Call.getNumArgs(); I < E; ++I) {
    const MemRegion *R = Call.getArgSVal(I).getAsRegion();
    if (!R) continue;
    R = R->StripCasts();
    bool VoidData = false;
    if (I < Call.parameters().size())
      VoidData = Call.parameters()[I]->getType()->isVoidPointerType();
    if (const auto *SR = dyn_cast<SymbolicRegion>(VoidData ? R->getBaseRegion() : R))
      Out.insert(SR->getSymbol());
  }
  return Out;
}

bool readOnlyArg(const CallEvent &Call, unsigned I) {
  const unsigned N = std::min<unsigned>(Call.getNumArgs(), Call.parameters().size());
  if (I >= N) return false;
  QualType PT = Call.parameters()[I]->getType();
  if (!PT->isPointerType() || !PT->getPointeeType().isConstQualified()) return false;
  // Is there a place other than argument I the callee could copy a reference into (a pointer
  // to a non-const object, or the variadic arguments)?
  if (Call.getNumArgs() > Call.parameters().size()) return false;
  for (unsigned J = 0; J < N; ++J) {
    QualType T = Call.parameters()[J]->getType();
    if (J != I && T->isPointerType() && !T->getPointeeType().isConstQualified()) return false;
  }
  return true;
}

llvm::SmallPtrSet<SymbolRef, 4> typedObjects(const CallEvent &Call) {
  llvm::SmallPtrSet<SymbolRef, 4> Out;
  const unsigned N = std::min<unsigned>(Call.getNumArgs(), Call.parameters().size());
  for (unsigned I = 0; I < N; ++I) {
    QualType PT = Call.parameters()[I]->getType();
    if (!PT->isPointerType() || !PT->getPointeeType()->getAsRecordDecl()) continue;
    // A pointer to a const object (`drm_core_check_feature(const struct drm_device *dev, ..)`)
    // reads it: the callee cannot clear the field, so it takes nothing out of it. Unless the
    // call is also given somewhere to copy the reference to (`snd_soc_get_dlc(const struct
    // of_phandle_args *args, dlc)` sets dlc->of_node = args->np): then it may take it.
    if (readOnlyArg(Call, I)) continue;
    if (const MemRegion *R = Call.getArgSVal(I).getAsRegion())
      if (const auto *SR = dyn_cast<SymbolicRegion>(R->StripCasts())) Out.insert(SR->getSymbol());
  }
  return Out;
}

/// Adds to Out the pointers bound to the fields of R (a struct of type RD), and to those of
/// the structs embedded in it (a few levels).
static void fieldPointers(ProgramStateRef St, const SubRegion *R, const RecordDecl *RD,
                          MemRegionManager &MRM, llvm::SmallPtrSet<SymbolRef, 4> &Out,
                          unsigned Depth = 0) {
  const RecordDecl *Def = RD ? RD->getDefinition() : nullptr;
  if (!Def || Depth > 3) return;
  for (const FieldDecl *FD : Def->fields()) {
    QualType T = FD->getType();
    if (T->isPointerType()) {
      if (SymbolRef S = St->getSVal(MRM.getFieldRegion(FD, R)).getAsLocSymbol()) Out.insert(S);
    } else if (const RecordDecl *Sub = T->getAsRecordDecl()) {
      fieldPointers(St, MRM.getFieldRegion(FD, R), Sub, MRM, Out, Depth + 1);
    }
  }
}

llvm::SmallPtrSet<SymbolRef, 4> heldInReadOnlyLocals(ProgramStateRef St, const CallEvent &Call,
                                                     MemRegionManager &MRM) {
  llvm::SmallPtrSet<SymbolRef, 4> Out;
  const unsigned N = std::min<unsigned>(Call.getNumArgs(), Call.parameters().size());
  for (unsigned I = 0; I < N; ++I) {
    if (!readOnlyArg(Call, I)) continue;
    const MemRegion *R = Call.getArgSVal(I).getAsRegion();
    // The struct itself (its own type, whatever the parameter's), on this function's stack.
    const auto *TR = R ? dyn_cast<TypedValueRegion>(R->StripCasts()) : nullptr;
    if (!TR || !isa<StackLocalsSpaceRegion>(TR->getMemorySpace())) continue;
    const RecordDecl *RD = TR->getValueType()->getAsRecordDecl();
    if (!RD) continue;
    fieldPointers(St, TR, RD, MRM, Out);
  }
  return Out;
}

/// Is R reached through an element of an array (`p->chan[i].np`, `p->chan[i]`)? A cast
/// (an element of index 0 of a char view) is no array.
static bool throughElement(const MemRegion *R) {
  R = R->StripCasts();
  while (const auto *SR = dyn_cast<SubRegion>(R)) {
    if (isa<ElementRegion>(SR)) return true;
    R = SR->getSuperRegion()->StripCasts();
  }
  return false;
}

ProgramStateRef holdInField(ProgramStateRef St, SymbolRef Ref, SymbolRef Owner, const FieldDecl *FD,
                            const FieldRegion *FR, MemRegionManager *MRM) {
  const SymbolRef *Was = St->get<HeldOwner>(Ref);
  const FieldDecl *const *WasField = St->get<HeldField>(Ref);
  if (Was && *Was == Owner && WasField && *WasField && *WasField != FD)
    St = St->set<HeldAlsoIn>(Ref, *WasField);
  else if (!Was || *Was != Owner) St = St->remove<HeldAlsoIn>(Ref);
  St = St->set<HeldOwner>(Ref, Owner)->set<HeldField>(Ref, FD);
  const auto *Member = FR ? dyn_cast<FieldRegion>(FR->getSuperRegion()->StripCasts()) : nullptr;
  St = Member ? St->set<HeldEmbeddedIn>(Ref, Member->getDecl()) : St->remove<HeldEmbeddedIn>(Ref);
  if (FR && MRM && throughElement(FR)) return St->set<HeldElementField>(Ref, normalField(FR, *MRM));
  return St->remove<HeldElementField>(Ref);
}

const SymbolRef *holderOf(ProgramStateRef St, SymbolRef Ref) { return St->get<HeldOwner>(Ref); }

ProgramStateRef forgetHeld(ProgramStateRef St, SymbolRef Ref) {
  return St->remove<HeldOwner>(Ref)
      ->remove<HeldField>(Ref)
      ->remove<HeldAlsoIn>(Ref)
      ->remove<HeldElementField>(Ref)
      ->remove<HeldEmbeddedIn>(Ref);
}

SymbolRef heldIn(ProgramStateRef St, SymbolRef Obj, const FieldDecl *FD, const FieldRegion *FR,
                 MemRegionManager *MRM) {
  // Read through an array element, or stored through one: only the same element's field
  // (`of_node_put(priv->chan[j].np)` after `priv->chan[i].np = np`, j < i, is another node).
  const MemRegion *Read = FR && MRM && throughElement(FR) ? normalField(FR, *MRM) : nullptr;
  for (auto &[S, O] : St->get<HeldOwner>()) {
    if (O != Obj) continue;
    const FieldDecl *const *F = St->get<HeldField>(S);
    if (!F || *F != FD) {
      // `of_node_put(card->dev)` of the first of two fields the pointer was stored in.
      const FieldDecl *const *Also = St->get<HeldAlsoIn>(S);
      if (Also && *Also == FD) return S;
      continue;
    }
    const MemRegion *const *Stored = St->get<HeldElementField>(S);
    if (FR && MRM && (Read || Stored) && (!Stored || *Stored != Read)) continue;
    return S;
  }
  return nullptr;
}

llvm::SmallVector<std::pair<SymbolRef, const FieldDecl *>, 2> heldBy(ProgramStateRef St,
                                                                     SymbolRef Obj) {
  llvm::SmallVector<std::pair<SymbolRef, const FieldDecl *>, 2> Out;
  for (auto &[S, O] : St->get<HeldOwner>()) {
    if (O != Obj) continue;
    const FieldDecl *const *FD = St->get<HeldField>(S);
    Out.push_back({S, FD ? *FD : nullptr});
  }
  return Out;
}

ProgramStateRef noteFieldStore(ProgramStateRef St, const FieldRegion *FR, SVal Val,
                               MemRegionManager &MRM) {
  const FieldRegion *N = normalField(FR, MRM);
  if (Val.getAsLocSymbol()) return St->set<StoredInField>(N, Val);
  return St->remove<StoredInField>(N);
}

ProgramStateRef noteElementStore(ProgramStateRef St, const ElementRegion *ER, SVal Val,
                                 MemRegionManager &MRM) {
  const auto *AF = dyn_cast<FieldRegion>(ER->getSuperRegion()->StripCasts());
  if (!AF || !ER->getIndex().getAs<nonloc::ConcreteInt>()) return nullptr;
  const MemRegion *N = MRM.getElementRegion(ER->getElementType(), ER->getIndex(),
                                            normalField(AF, MRM), MRM.getContext());
  if (Val.getAsLocSymbol()) return St->set<StoredInField>(N, Val);
  return St->remove<StoredInField>(N);
}

ProgramStateRef forgetStoresIn(ProgramStateRef St, const VarRegion *VR) {
  ProgramStateRef Out = St;
  for (auto &[R, V] : St->get<StoredInField>())
    if (R->getBaseRegion() == VR) Out = Out->remove<StoredInField>(R);
  return Out == St ? nullptr : Out;
}

ProgramStateRef restoreStoredReferences(ProgramStateRef St,
                                        llvm::ArrayRef<const MemRegion *> Changed,
                                        llvm::function_ref<bool(SymbolRef)> Owned) {
  if (St->get<StoredInField>().isEmpty()) return St;
  llvm::SmallPtrSet<const MemRegion *, 8> Bases;
  for (const MemRegion *R : Changed) Bases.insert(R->getBaseRegion());
  for (auto &[R, V] : St->get<StoredInField>()) {
    if (!Bases.count(R->getBaseRegion()) || !Owned(V.getAsLocSymbol())) continue;
    if (St->getSVal(R) == V) continue;
    St = St->bindLoc(loc::MemRegionVal(R), V, /*LCtx=*/nullptr, /*notifyChanges=*/false);
  }
  return St;
}

ProgramStateRef removeDeadStores(ProgramStateRef St, SymbolReaper &SR,
                                 llvm::function_ref<bool(SymbolRef)> Tracked) {
  for (auto &[R, V] : St->get<StoredInField>())
    if (SymbolRef S = V.getAsLocSymbol(); SR.isDead(S) && !Tracked(S))
      St = St->remove<StoredInField>(R);
  return St;
}

ProgramStateRef markFresh(ProgramStateRef St, SymbolRef Obj) { return St->add<FreshObjects>(Obj); }

bool isFresh(ProgramStateRef St, SymbolRef Obj) { return St->contains<FreshObjects>(Obj); }

ProgramStateRef markPassedWhole(ProgramStateRef St, const CallEvent &Call) {
  for (SymbolRef S : wholeObjects(Call)) St = St->add<PassedWhole>(S);
  for (SymbolRef S : typedObjects(Call)) St = St->add<PassedTyped>(S);
  return St;
}

ProgramStateRef markHandled(ProgramStateRef St, const FieldRegion *FR, MemRegionManager &MRM) {
  return St->add<HandledFields>(normalField(FR, MRM));
}

ProgramStateRef noteOwningFieldRead(ProgramStateRef St, const FieldRegion *FR,
                                    const CheckerContextData *Ctx, MemRegionManager &MRM) {
  if (!Ctx || !Ctx->OwningFields || Ctx->OwningFields->empty()) return nullptr;
  const FieldDecl *FD = FR->getDecl();
  if (!FD->getParent()->getIdentifier() ||
      !Ctx->OwningFields->count({FD->getParent()->getNameAsString(), FD->getNameAsString()}))
    return nullptr;
  const FieldRegion *N = normalField(FR, MRM);
  if (St->contains<HandledFields>(N)) return nullptr;
  return St->add<HandledFields>(N);
}

ProgramStateRef removeDeadObjects(ProgramStateRef St, SymbolReaper &SR) {
  for (SymbolRef S : St->get<FreshObjects>())
    if (SR.isDead(S)) St = St->remove<FreshObjects>(S);
  for (SymbolRef S : St->get<PassedWhole>())
    if (SR.isDead(S)) St = St->remove<PassedWhole>(S);
  for (SymbolRef S : St->get<PassedTyped>())
    if (SR.isDead(S)) St = St->remove<PassedTyped>(S);
  return St;
}

std::vector<UnreleasedField> unreleasedOwningFields(ProgramStateRef St, SymbolRef X,
                                                    const CallEvent &Call, unsigned ArgIdx,
                                                    const CheckerContextData *Ctx,
                                                    MemRegionManager &MRM,
                                                    llvm::function_ref<bool(SymbolRef)> Tracked) {
  std::vector<UnreleasedField> Out;
  if (!Ctx || !Ctx->OwningFields || Ctx->OwningFields->empty()) return Out;
  if (St->contains<FreshObjects>(X) || St->contains<PassedWhole>(X)) return Out;
  // One object named by a variable (`kfree(priv)`): not an array (`kfree(p->items)`).
  const Expr *ArgE = Call.getArgExpr(ArgIdx)->IgnoreParenImpCasts();
  if (!isa<DeclRefExpr>(ArgE)) return Out;
  QualType T = ArgE->getType();
  if (!T->isPointerType()) return Out;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  if (!RD || !RD->getIdentifier()) return Out;
  const auto *XR = dyn_cast_or_null<SubRegion>(Call.getArgSVal(ArgIdx).getAsRegion());
  if (!XR) return Out;
  XR = cast<SubRegion>(XR->StripCasts());
  // An object this function was handed (a parameter's value) or got from a call: if the
  // function itself stores the field's reference (snd_card_init() sets card->dev after the
  // slot check that can kfree(card)), it is the one that initialises the field, and on a
  // path that has not stored it yet the field holds none. (An object read from a list the
  // function filled earlier may hold one: not this case.)
  const Decl *Fn = Call.getLocationContext()->getDecl();
  const auto *XParam = dyn_cast_or_null<SymbolRegionValue>(X);
  bool HandedOrObtained = isa_and_nonnull<SymbolConjured>(X) ||
                          (XParam && isa<VarRegion>(XParam->getRegion()) &&
                           isa<ParmVarDecl>(cast<VarRegion>(XParam->getRegion())->getDecl()));
  for (const FieldDecl *FD : RD->fields()) {
    auto It = Ctx->OwningFields->find({RD->getNameAsString(), FD->getNameAsString()});
    if (It == Ctx->OwningFields->end()) continue;
    if (HandedOrObtained && Fn && It->second.Storers.count(Fn->getCanonicalDecl())) continue;
    const FieldRegion *FR = normalField(MRM.getFieldRegion(FD, XR), MRM);
    if (St->contains<HandledFields>(FR) || heldIn(St, X, FD)) continue;
    SymbolRef V = St->getSVal(FR).getAsLocSymbol();
    if (!V || Tracked(V)) continue;  // NULL, something else, or tracked here
    if (St->getConstraintManager().isNull(St, V).isConstrainedTrue()) continue;
    auto [O, OF] = fieldOrigin(V);
    if (!OF || normalField(OF, MRM) != FR) continue;  // assigned on this path
    Out.push_back({FD, &It->second});
  }
  return Out;
}

bool storesIntoField(const CheckerContextData *Ctx, const Decl *Fn, const Expr *Put) {
  if (!Fn || !Ctx || !Ctx->StoredFields) return false;
  auto It = Ctx->StoredFields->find(Fn);
  return It != Ctx->StoredFields->end() && It->second.count(accessPath(Put));
}

/// "record.m1.m2..." for every suffix of at least two members of Fields (outermost first).
static std::vector<std::string> chainsOf(llvm::ArrayRef<const FieldDecl *> Fields) {
  std::vector<std::string> Out;
  for (size_t I = 0; I + 1 < Fields.size(); ++I) {
    const RecordDecl *RD = Fields[I]->getParent();
    if (!RD->getIdentifier()) continue;
    std::string K = RD->getNameAsString();
    for (size_t J = I; J < Fields.size(); ++J) K += "." + Fields[J]->getNameAsString();
    Out.push_back(std::move(K));
  }
  return Out;
}

std::vector<std::string> fieldChains(const Expr *E, const FieldDecl *Last) {
  llvm::SmallVector<const FieldDecl *, 4> Fields;  // innermost first
  if (Last) {
    Fields.push_back(Last);
    E = E->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr();
    else return {};  // `dev` itself: no member names the object's kind
  }
  for (E = E->IgnoreParenCasts(); const auto *ME = dyn_cast<MemberExpr>(E);
       E = ME->getBase()->IgnoreParenCasts()) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD) break;
    Fields.push_back(FD);
    if (ME->isArrow()) break;  // the object ends here
  }
  std::reverse(Fields.begin(), Fields.end());
  return chainsOf(Fields);
}

std::vector<std::string> fieldChains(const FieldRegion *FR) {
  llvm::SmallVector<const FieldDecl *, 4> Fields;
  for (const MemRegion *R = FR; const auto *F = dyn_cast<FieldRegion>(R);
       R = F->getSuperRegion()->StripCasts())
    Fields.push_back(F->getDecl());
  std::reverse(Fields.begin(), Fields.end());
  return chainsOf(Fields);
}

bool isOwnedFieldChain(const CheckerContextData *Ctx, const Expr *E, const FieldRegion *FR) {
  if (!Ctx || !Ctx->OwnedFieldChains || Ctx->OwnedFieldChains->empty()) return false;
  std::vector<std::string> Chains = E ? fieldChains(E) : std::vector<std::string>();
  if (FR)
    for (std::string &C : fieldChains(FR)) Chains.push_back(std::move(C));
  for (const std::string &C : Chains)
    if (Ctx->OwnedFieldChains->count(C)) return true;
  return false;
}

bool isOwnedFieldOfTestedKind(const CheckerContextData *Ctx, const FieldRegion *FR,
                              SourceLocation At, const SourceManager &SM) {
  if (!Ctx || !Ctx->KindTestedParams || !Ctx->OwnedFieldChains || !FR) return false;
  const auto *SR = dyn_cast<SymbolicRegion>(FR->getSuperRegion()->StripCasts());
  const auto *SRV = SR ? dyn_cast<SymbolRegionValue>(SR->getSymbol()) : nullptr;
  const auto *VR = SRV ? dyn_cast<VarRegion>(SRV->getRegion()) : nullptr;
  const auto *P = VR ? dyn_cast<ParmVarDecl>(VR->getDecl()) : nullptr;
  auto It = P ? Ctx->KindTestedParams->find(P) : Ctx->KindTestedParams->end();
  if (It == Ctx->KindTestedParams->end() || !At.isValid() ||
      !SM.isBeforeInTranslationUnit(It->second.first, At))
    return false;
  for (const std::string &Kind : It->second.second)
    if (Ctx->OwnedFieldChains->count(Kind + "." + FR->getDecl()->getNameAsString())) return true;
  return false;
}

const FieldDecl *unreleasedHeldField(ProgramStateRef St, SymbolRef Ref,
                                     const CheckerContextData *Ctx, const RuleSet &Rules) {
  if (!Ctx || !Ctx->ReleasedFields) return nullptr;
  const FieldDecl *const *FD = St->get<HeldField>(Ref);
  const SymbolRef *Owner = St->get<HeldOwner>(Ref);
  if (!FD || !*FD || !Owner) return nullptr;
  // Passed whole to a function whose body is not seen: it may release the field.
  if (St->contains<PassedTyped>(*Owner)) return nullptr;
  // Also in another field of the object, one that the file releases.
  if (const FieldDecl *const *Also = St->get<HeldAlsoIn>(Ref);
      Also && (*Also)->getParent()->getIdentifier() &&
      Ctx->ReleasedFields->count(
          {(*Also)->getParent()->getNameAsString(), (*Also)->getNameAsString()}))
    return nullptr;
  const RecordDecl *RD = (*FD)->getParent();
  if (!RD->getIdentifier()) return nullptr;
  std::string Record = RD->getNameAsString(), Name = (*FD)->getNameAsString();
  if (Rules.borrowedField(Record, Name)) {
    // Released by the object that holds it (a platform device's of_node), unless the struct
    // is embedded in one whose release does not (struct i2c_adapter's dev.of_node).
    const FieldDecl *const *Member = St->get<HeldEmbeddedIn>(Ref);
    const RecordDecl *Embedder = Member ? (*Member)->getParent() : nullptr;
    if (!Embedder || !Embedder->getIdentifier() ||
        !Rules.notReleasedIn(Record, Name, Embedder->getNameAsString()))
      return nullptr;
  }
  if (Ctx->ReleasedFields->count({Record, Name})) return nullptr;
  return *FD;
}

ProgramStateRef noteReleaseCallbackStore(ProgramStateRef St, const FieldRegion *FR,
                                         const FunctionDecl *Fn, const RuleSet &Rules,
                                         MemRegionManager &MRM) {
  const FieldDecl *FD = FR->getDecl();
  for (const ReleaseCallbackField &RC : Rules.releaseCallbacks())
    if (RC.Record == FD->getParent()->getNameAsString() && RC.Field == FD->getNameAsString())
      return St->set<KnownReleaseCallback>(normalRegion(FR->getSuperRegion(), MRM),
                                           Fn->getCanonicalDecl());
  return nullptr;
}

ProgramStateRef noteReleaseCallbackVia(ProgramStateRef St, const FieldRegion *FR, SVal Val,
                                       const RuleSet &Rules, MemRegionManager &MRM) {
  const auto *VR = dyn_cast_or_null<VarRegion>(Val.getAsRegion());
  const VarDecl *VD = VR ? VR->getDecl() : nullptr;
  if (!VD || !VD->hasGlobalStorage()) return nullptr;
  const VarDecl *Def = VD->getDefinition();
  const auto *IL = dyn_cast_or_null<InitListExpr>(Def ? Def->getInit() : nullptr);
  const RecordDecl *RD = VD->getType()->getAsRecordDecl();
  QualType FT = FR->getDecl()->getType();
  if (!IL || !RD || !RD->getIdentifier() || !FT->isPointerType() ||
      FT->getPointeeType()->getAsRecordDecl() != RD)
    return nullptr;
  const MemRegion *Obj = normalRegion(FR->getSuperRegion(), MRM);
  for (const ReleaseCallbackField &RC : Rules.releaseCallbacks()) {
    if (RC.Record != RD->getNameAsString()) continue;
    for (const FieldDecl *FD : RD->fields()) {
      if (FD->getName() != RC.Field || FD->getFieldIndex() >= IL->getNumInits()) continue;
      const auto *DRE = dyn_cast<DeclRefExpr>(IL->getInit(FD->getFieldIndex())->IgnoreParenCasts());
      if (const auto *Fn = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr)
        return St->set<ViaReleaseCallback>(Obj, Fn->getCanonicalDecl());
    }
  }
  return nullptr;
}

const FunctionDecl *releaseCallbackViaOf(ProgramStateRef St, const CallEvent &Call,
                                         unsigned ArgIdx) {
  MemRegionManager &MRM = St->getStateManager().getRegionManager();
  const auto *SR = dyn_cast_or_null<SubRegion>(Call.getArgSVal(ArgIdx).getAsRegion());
  if (!SR) return nullptr;
  const FunctionDecl *const *Fn = St->get<ViaReleaseCallback>(normalRegion(SR, MRM));
  return Fn ? *Fn : nullptr;
}

const FunctionDecl *releaseCallbackOf(ProgramStateRef St, const CallEvent &Call, unsigned ArgIdx,
                                      const RuleSet &Rules) {
  MemRegionManager &MRM = St->getStateManager().getRegionManager();
  const auto *SR = dyn_cast_or_null<SubRegion>(Call.getArgSVal(ArgIdx).getAsRegion());
  if (SR)
    if (const FunctionDecl *const *Fn = St->get<KnownReleaseCallback>(normalRegion(SR, MRM)))
      return *Fn;
  QualType T = Call.getArgExpr(ArgIdx)->IgnoreParenImpCasts()->getType();
  if (!SR || !T->isPointerType()) return nullptr;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  if (!RD) return nullptr;
  for (const ReleaseCallbackField &RC : Rules.releaseCallbacks()) {
    if (RC.Record != RD->getNameAsString()) continue;
    for (const FieldDecl *FD : RD->fields()) {
      if (FD->getName() != RC.Field) continue;
      const FieldRegion *FR = MRM.getFieldRegion(FD, SR);
      if (const FunctionDecl *Fn = St->getSVal(FR).getAsFunctionDecl()) return Fn;
    }
  }
  return nullptr;
}

}  // namespace fields
}  // namespace krefcheck
