#!/usr/bin/env bash
# Runs krefcheck on the real Linux 6.12 databases made by build-kernel-db.sh and compares the
# findings with the reviewed expected files in integration/expected/ (one warning line per
# finding, paths relative to the kernel root). Any difference fails with a diff.
#
#   integration/run-6.12.sh [--work DIR] [--update] [arm64|ppc64le|ppc64|gcc-arm64|all]
#
# --update rewrites the expected files from this run (review the diff before committing,
# and triage every new finding in integration/triage/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
WORK=${WORK:-/work/kbuild}
UPDATE=0
parts=()
while [ $# -gt 0 ]; do
  case $1 in
    --work) WORK=$2; shift 2 ;;
    --update) UPDATE=1; shift ;;
    all) parts=(arm64 ppc64le ppc64 gcc-arm64); shift ;;
    arm64|ppc64le|ppc64|gcc-arm64) parts+=("$1"); shift ;;
    *) echo "usage: $0 [--work DIR] [--update] [arm64|ppc64le|ppc64|gcc-arm64|all]" >&2; exit 2 ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(arm64 ppc64le ppc64 gcc-arm64)

KREFCHECK=${KREFCHECK:-$top/build/krefcheck}
[ -x "$KREFCHECK" ] || bash "$top/scripts/bootstrap.sh"

status=0
for p in "${parts[@]}"; do
  db=$WORK/$p/compile_commands.json
  [ -f "$db" ] || WORK=$WORK bash "$here/build-kernel-db.sh" "$p"
  out=$(mktemp)
  err=$(mktemp)
  start=$(date +%s.%N)
  set +e
  "$KREFCHECK" -p "$db" -j"$(nproc)" --quiet >"$out" 2>"$err"
  rc=$?
  set -e
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "$p: krefcheck failed (exit $rc)"; cat "$err"; status=1; continue
  fi
  if [ -s "$err" ]; then
    echo "$p: files that were not analysed:"; cat "$err"; status=1
  fi
  ksrc=$(python3 -c 'import json,sys,os; d=json.load(open(sys.argv[1])); f=d[0]["file"]; print(f[:f.index("/drivers/") if "/drivers/" in f else f.index("/arch/")])' "$db")
  got=$(mktemp)
  grep ': warning: ' "$out" | sed "s|^$ksrc/||" | sort >"$got" || true
  exp=$here/expected/$p.txt
  n=$(wc -l <"$got")
  entries=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$db")
  printf '%s: %d files, %d findings, %.1f s\n' "$p" "$entries" "$n" "$secs"
  if [ $UPDATE = 1 ]; then
    cp "$got" "$exp"
  elif ! diff -u "$exp" "$got"; then
    echo "$p: findings differ from $exp (- expected, + this run)"; status=1
  fi
  rm -f "$out" "$err" "$got"
done
exit $status
