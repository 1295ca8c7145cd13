#!/usr/bin/env bash
# Sharded = single on a real kernel database: runs krefcheck once over the whole database, then
# as N shards (--shard I/N --format json) merged with `krefcheck merge`, for each N given, and
# fails unless the merged text output is byte for byte the single run's.
#
#   integration/shard-check.sh [--work DIR] [--db FILE] [N...]     # default: ppc64le, N = 2 3
#
# The database defaults to $WORK/ppc64le/compile_commands.json (build-kernel-db.sh ppc64le).
# Prints per N: the shards' wall time, the findings, and SAME or the diff.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
WORK=${WORK:-/work/kbuild}
DB=
counts=()
while [ $# -gt 0 ]; do
  case $1 in
    --work) [ $# -ge 2 ] || { echo "shard-check.sh: error: --work needs a directory" >&2; exit 2; }
            WORK=$2; shift 2 ;;
    --db) [ $# -ge 2 ] || { echo "shard-check.sh: error: --db needs a file" >&2; exit 2; }
          DB=$2; shift 2 ;;
    [1-9]|[1-9][0-9]) counts+=("$1"); shift ;;
    *) echo "shard-check.sh: error: unknown argument '$1' (usage: [--work DIR] [--db FILE] [N...])" >&2
       exit 2 ;;
  esac
done
[ ${#counts[@]} -gt 0 ] || counts=(2 3)
[ -n "$DB" ] || DB=$WORK/ppc64le/compile_commands.json
[ -f "$DB" ] || { echo "shard-check.sh: error: $DB: no compile database (integration/build-kernel-db.sh ppc64le builds it)" >&2; exit 2; }
KREFCHECK=${KREFCHECK:-$top/build/krefcheck}
[ -x "$KREFCHECK" ] || { echo "shard-check.sh: error: $KREFCHECK: not built (scripts/bootstrap.sh)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {  # krefcheck exits 1 on findings
  local rc=0
  "$KREFCHECK" "$@" || rc=$?
  [ $rc -le 1 ] || { echo "shard-check.sh: error: krefcheck $* exited $rc" >&2; exit 1; }
}
start=$(date +%s.%N)
run -p "$DB" -j"$(nproc)" --quiet >"$tmp/single.txt"
printf 'single: %d findings, %.1f s\n' "$(grep -c ': warning: ' "$tmp/single.txt" || true)" \
  "$(echo "$(date +%s.%N) - $start" | bc)"
status=0
for n in "${counts[@]}"; do
  start=$(date +%s.%N)
  parts=()
  for i in $(seq 1 "$n"); do
    run -p "$DB" -j"$(nproc)" --quiet --shard "$i/$n" --format json -o "$tmp/s$n-$i.json"
    parts+=("$tmp/s$n-$i.json")
  done
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  run merge --quiet "${parts[@]}" >"$tmp/merged$n.txt"
  found=$(grep -c ': warning: ' "$tmp/merged$n.txt" || true)
  if cmp -s "$tmp/single.txt" "$tmp/merged$n.txt"; then
    printf '%d shards: %d findings, %.1f s for all shards one after the other: SAME\n' "$n" "$found" "$secs"
  else
    printf '%d shards: %d findings: DIFFERENT from the single run\n' "$n" "$found"
    diff -u "$tmp/single.txt" "$tmp/merged$n.txt" || true
    status=1
  fi
done
exit $status
