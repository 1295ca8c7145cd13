// What each argument effect of the rules format means: the one table the loader, the pre-pass
// and the checker read. A new ArgEffect fails to compile (-Wswitch, warnings are errors in CI)
// until meaningOf() says what it does; the checker then applies its RefChange.
#pragma once

namespace krefcheck {

/// The "effect" of one argument of a rules entry (docs/rules-format.md).
enum class ArgEffect {
  Borrow,
  Release,
  ReleaseOnFailure,
  Transfer,
  TransferOnSuccess,
  Acquire,
  AcquireOnSuccess,
  AcquireOnFailure,
  Free,
  OutAcquire,
  Unregister,
  Store,  // the last one (NumArgEffects)
};
constexpr unsigned NumArgEffects = static_cast<unsigned>(ArgEffect::Store) + 1;

/// What one outcome of a call does to the reference its argument carries.
enum class RefChange {
  None,        // borrowed: the caller keeps what it had
  Release,     // one reference is dropped (of_node_put)
  Transfer,    // handed to the callee, which puts it later: a later put here is a double put
  Forget,      // the callee took it: the caller no longer owes it (nothing more is claimed)
  Store,       // linked into a list or table that outlives the call: its owner releases it
  Acquire,     // a reference is taken on the argument's object (device_initialize)
  Free,        // the object is freed (kfree): a counted object must be put instead
  OutAcquire,  // a field of the pointed-to struct is filled with a new reference
};

struct EffectMeaning {
  const char *Name;     // as written in rules files
  RefChange OnSuccess;  // the call returned 0 (or anything, for an unconditional effect)
  RefChange OnFailure;  // the call returned non-zero

  /// The call's result decides what happens (a 0 return is success).
  bool conditional() const { return OnSuccess != OnFailure; }
  bool mayDo(RefChange C) const { return OnSuccess == C || OnFailure == C; }
  bool releases() const { return mayDo(RefChange::Release); }
  bool acquires() const { return mayDo(RefChange::Acquire); }
  /// Changes a count of the family (and so needs a family in the rules).
  bool countsReferences() const { return releases() || acquires() || mayDo(RefChange::OutAcquire); }
  /// The caller's reference goes elsewhere on some outcome.
  bool handsOver() const {
    return mayDo(RefChange::Transfer) || mayDo(RefChange::Forget) || mayDo(RefChange::Store);
  }
};

inline EffectMeaning meaningOf(ArgEffect E) {
  using C = RefChange;
  switch (E) {
  case ArgEffect::Borrow: return {"borrow", C::None, C::None};
  case ArgEffect::Release: return {"release", C::Release, C::Release};
  case ArgEffect::ReleaseOnFailure: return {"release_on_failure", C::None, C::Release};
  case ArgEffect::Transfer: return {"transfer", C::Transfer, C::Transfer};
  case ArgEffect::TransferOnSuccess: return {"transfer_on_success", C::Forget, C::None};
  case ArgEffect::Acquire: return {"acquire", C::Acquire, C::Acquire};
  case ArgEffect::AcquireOnSuccess: return {"acquire_on_success", C::Acquire, C::None};
  // device_register(): on failure the caller holds the initial reference; on success nothing
  // is owed.
  case ArgEffect::AcquireOnFailure: return {"acquire_on_failure", C::Forget, C::Acquire};
  case ArgEffect::Free: return {"free", C::Free, C::Free};
  case ArgEffect::OutAcquire: return {"out_acquire", C::OutAcquire, C::None};
  // device_del(): ends the registration; the caller's reference stays. A function that
  // unregisters its parameter and then puts it drops the registration's reference
  // (device_unregister()), not its caller's: its summary borrows the parameter.
  case ArgEffect::Unregister: return {"unregister", C::None, C::None};
  case ArgEffect::Store: return {"store", C::Store, C::Store};
  }
  return {"?", C::None, C::None};
}

}  // namespace krefcheck
