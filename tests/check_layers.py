#!/usr/bin/env python3
"""The layering, checked on the built libraries: every krefcheck symbol a layer's archive uses
is defined in that layer or in a layer it declares (CMakeLists.txt, krefcheck_layer DEPS, and
theirs). A call back up a layer (or across, undeclared) fails here even where the final link
would still resolve it.

usage: check_layers.py NM LAYER=ARCHIVE=DEP,DEP... ...
"""
import subprocess
import sys


def symbols(nm, archive):
    out = subprocess.run([nm, "--format=posix", archive], capture_output=True, text=True,
                         check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or line.endswith(":"):
            continue
        name, kind = parts[0], parts[1]
        if "9krefcheck" not in name:  # only ours (namespace krefcheck, mangled)
            continue
        (undefined if kind == "U" else defined).add(name)
    return defined, undefined


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    nm = sys.argv[1]
    layers = {}
    for arg in sys.argv[2:]:
        name, archive, deps = arg.split("=")
        layers[name] = (archive, [d for d in deps.split(",") if d])
    syms = {n: symbols(nm, a) for n, (a, _) in layers.items()}
    failures = []
    for name, (_, deps) in layers.items():
        closure, todo = set(), list(deps)
        while todo:
            d = todo.pop()
            if d in closure:
                continue
            if d not in layers:
                failures.append(f"{name}: unknown layer {d}")
                continue
            closure.add(d)
            todo += layers[d][1]
        allowed = set(syms[name][0])
        for d in closure:
            allowed |= syms[d][0]
        for u in sorted(syms[name][1] - allowed):
            where = [n for n in layers if u in syms[n][0]]
            demangled = subprocess.run(["c++filt", u], capture_output=True, text=True).stdout.strip()
            failures.append(f"{name} uses {demangled or u}, defined in {where or 'no layer'}")
    for f in failures:
        print("FAIL " + f)
    if failures:
        sys.exit(1)
    print(f"layers: {len(layers)} libraries, every use within the declared dependencies")


if __name__ == "__main__":
    main()
