#!/usr/bin/env bash
# Runs krefcheck the way the kernel runs sparse and smatch: through Kbuild's CHECK hook.
#   make C=1 CHECK="krefcheck --kbuild"   checks the files being recompiled
#   make C=2 CHECK="krefcheck --kbuild"   checks every file of the targets
# Kbuild calls $(CHECK) $(CHECKFLAGS) $(c_flags) file.c from the build directory; krefcheck
# prints its findings in the text format and exits 0 so the build goes on.
#
#   integration/kbuild-check.sh [--work DIR] [DIR/...]     (default: drivers/of/ on arm64)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
WORK=${WORK:-/work/kbuild}
[ "${1:-}" = "--work" ] && { WORK=$2; shift 2; }
targets=("${@:-drivers/of/}")
[ -x "$top/build/krefcheck" ] || bash "$top/scripts/bootstrap.sh"
[ -f "$WORK/arm64/.config" ] || WORK=$WORK bash "$here/build-kernel-db.sh" arm64
out=$(mktemp)
make -C "$WORK/linux-6.12" O="$WORK/arm64" ARCH=arm64 LLVM=-19 -j"$(nproc)" C=2 \
  CHECK="$top/build/krefcheck --kbuild" "${targets[@]}" >"$out" 2>&1
grep ': warning: .*\[krefcheck-' "$out" | sed "s|^$WORK/linux-6.12/||; s|^\.\./linux-6.12/||" | sort -u >"$out.found"
echo "make C=2 ${targets[*]}: $(grep -c '  CHECK ' "$out") files checked, $(wc -l <"$out.found") findings"
if [ "${targets[*]}" = "drivers/of/" ]; then
  # The same findings as the compile-database run.
  if diff -u "$here/expected/arm64.txt" "$out.found"; then echo "same findings as integration/expected/arm64.txt"
  else echo "findings differ from the compile-database run"; exit 1; fi
fi
rm -f "$out" "$out.found"
