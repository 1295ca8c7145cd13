#!/usr/bin/env bash
# Sharded = single on a real kernel database, in the staged form of the README ("Shards"):
# runs krefcheck once over the whole database, then for each N given the three stages
#   krefcheck summarize --shard I/N -o part-I.jsonl        (each shard: its own files' summaries)
#   krefcheck summaries merge -o store part-*.jsonl        (the cross-file rounds, solved)
#   krefcheck --summaries store --shard I/N --format json  (each shard: checks its own files)
# and `krefcheck merge` of the check outputs, and fails unless the merged text output is byte for
# byte the single run's. With --unstaged, also the one-command form (--shard I/N alone: every
# shard summarises the whole database).
#
#   integration/shard-check.sh [--work DIR] [--db FILE] [--unstaged] [N...]   # default: ppc64le, N = 2 3
#
# The database defaults to $WORK/ppc64le/compile_commands.json (build-kernel-db.sh ppc64le).
# Prints the wall and CPU seconds (user + system, krefcheck and its workers) of the single run
# and of every stage, the findings, and SAME or the diff.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
WORK=${WORK:-/work/kbuild}
DB=
unstaged=0
counts=()
while [ $# -gt 0 ]; do
  case $1 in
    --work) [ $# -ge 2 ] || { echo "shard-check.sh: error: --work needs a directory" >&2; exit 2; }
            WORK=$2; shift 2 ;;
    --db) [ $# -ge 2 ] || { echo "shard-check.sh: error: --db needs a file" >&2; exit 2; }
          DB=$2; shift 2 ;;
    --unstaged) unstaged=1; shift ;;
    [1-9]|[1-9][0-9]) counts+=("$1"); shift ;;
    *) echo "shard-check.sh: error: unknown argument '$1' (usage: [--work DIR] [--db FILE] [--unstaged] [N...])" >&2
       exit 2 ;;
  esac
done
[ ${#counts[@]} -gt 0 ] || counts=(2 3)
[ -n "$DB" ] || DB=$WORK/ppc64le/compile_commands.json
[ -f "$DB" ] || { echo "shard-check.sh: error: $DB: no compile database (integration/build-kernel-db.sh ppc64le builds it)" >&2; exit 2; }
KREFCHECK=${KREFCHECK:-$top/build/krefcheck}
[ -x "$KREFCHECK" ] || { echo "shard-check.sh: error: $KREFCHECK: not built (scripts/bootstrap.sh)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "shard-check.sh: error: /usr/bin/time (GNU time) is needed for the CPU figures" >&2; exit 2; }
J=$(nproc)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
WALL=0 CPU=0  # of the last run()
run() {  # krefcheck exits 1 on findings; anything else stops the check
  local rc=0
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$KREFCHECK" "$@" 2>"$tmp/err" || rc=$?
  cat "$tmp/err" >&2
  [ $rc -le 1 ] || { echo "shard-check.sh: error: krefcheck $* exited $rc" >&2; exit 1; }
  read -r WALL user sys < <(tail -n 1 "$tmp/time")  # after "Command exited with ..."
  CPU=$(echo "$user + $sys" | bc)
}
sum() { echo "$1 + $2" | bc; }
findings() { grep -c ': warning: ' "$1" || true; }

run -p "$DB" -j"$J" --quiet -o "$tmp/single.txt"
single_cpu=$CPU
printf 'single: %d findings, %.1f s wall, %.1f s CPU\n' "$(findings "$tmp/single.txt")" "$WALL" "$CPU"
status=0
compare() {  # label output
  if cmp -s "$tmp/single.txt" "$2"; then
    echo "$1: $(findings "$2") findings: SAME"
  else
    echo "$1: $(findings "$2") findings: DIFFERENT from the single run"
    diff -u "$tmp/single.txt" "$2" || true
    status=1
  fi
}
for n in "${counts[@]}"; do
  parts=() outs=() sum_cpu=0 line_sum="" line_check=""
  for i in $(seq 1 "$n"); do
    run summarize -p "$DB" -j"$J" --quiet --shard "$i/$n" -o "$tmp/part$n-$i.jsonl"
    parts+=("$tmp/part$n-$i.jsonl")
    sum_cpu=$(sum "$sum_cpu" "$CPU")
    line_sum+=" $(printf '%.1f' "$CPU")"
  done
  run summaries merge -j"$J" -o "$tmp/store$n" "${parts[@]}"
  merge_cpu=$CPU
  again=$(sed -n 's/.* \([0-9]*\) files summarised again, \([0-9]*\) round.*/\1 files summarised again in \2 rounds/p' "$tmp/err")
  check_cpu=0
  for i in $(seq 1 "$n"); do
    run -p "$DB" -j"$J" --quiet --summaries "$tmp/store$n" --shard "$i/$n" --format json \
      -o "$tmp/check$n-$i.json"
    outs+=("$tmp/check$n-$i.json")
    check_cpu=$(sum "$check_cpu" "$CPU")
    line_check+=" $(printf '%.1f' "$CPU")"
  done
  run merge --quiet -o "$tmp/staged$n.txt" "${outs[@]}"
  total=$(echo "$sum_cpu + $merge_cpu + $check_cpu" | bc)
  printf '%d shards, staged: CPU s: summary stage per shard:%s; merge %.1f (%s); check stage per shard:%s; total %.1f (single %.1f)\n' \
    "$n" "$line_sum" "$merge_cpu" "$again" "$line_check" "$total" "$single_cpu"
  compare "$n shards, staged" "$tmp/staged$n.txt"
  if [ $unstaged = 1 ]; then
    outs=() line="" total=0
    for i in $(seq 1 "$n"); do
      run -p "$DB" -j"$J" --quiet --shard "$i/$n" --format json -o "$tmp/s$n-$i.json"
      outs+=("$tmp/s$n-$i.json")
      total=$(sum "$total" "$CPU")
      line+=" $(printf '%.1f' "$CPU")"
    done
    run merge --quiet -o "$tmp/unstaged$n.txt" "${outs[@]}"
    printf '%d shards, one command each: CPU s per shard:%s; total %.1f\n' "$n" "$line" "$total"
    compare "$n shards, one command each" "$tmp/unstaged$n.txt"
  fi
done
exit $status
