#!/usr/bin/env bash
# check-allmod.sh - every entry of a real kernel compile database must parse.
#
# Usage: check-allmod.sh [--work DIR] [--krefcheck BIN] [-j N] [PART|DB]...
#        (default parts: arm64-allmod ppc64-gcc-allmod, built by build-kernel-db.sh allmod)
#
# Runs krefcheck over every entry of each database with --no-prefilter (so every file
# is parsed, also those that name no tracked API), from a directory that is not the
# build directory, and fails unless 0 files failed. Prints per database: entries,
# analysed, failed (with the first errors), findings, wall time.
#
# Environment: WORK (default /work/kbuild), KREFCHECK (default build/krefcheck of this
# checkout), JOBS (default 2).
set -euo pipefail

PROG=$(basename "$0")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/work/kbuild}
KREFCHECK=${KREFCHECK:-$HERE/../build/krefcheck}
JOBS=${JOBS:-2}

die() { echo "$PROG: ERROR: $*" >&2; exit 2; }

dbs=()
while [ $# -gt 0 ]; do
  case "$1" in
    -w|--work) WORK=$2; shift 2 ;;
    --krefcheck) KREFCHECK=$2; shift 2 ;;
    -j) JOBS=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) dbs+=("$1"); shift ;;
  esac
done
[ ${#dbs[@]} -gt 0 ] || dbs=(arm64-allmod ppc64-gcc-allmod)
[ -x "$KREFCHECK" ] || die "krefcheck binary $KREFCHECK not found (build it, or set KREFCHECK)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
for d in "${dbs[@]}"; do
  db=$d
  [ -e "$db" ] || db=$WORK/$d/compile_commands.json
  db=$(realpath "$db")
  [ -f "$db" ] || [ -f "$db/compile_commands.json" ] || die "$d: no compile database ($db); run build-kernel-db.sh allmod"
  out=$tmp/$(basename "$d").json
  t0=$(date +%s.%N)
  rc=0
  # From $tmp, not the build directory: relative paths must resolve against each entry's.
  (cd "$tmp" && "$KREFCHECK" -p "$db" --no-prefilter --quiet -j "$JOBS" --format json -o "$out") \
    2>"$tmp/err" || rc=$?
  t1=$(date +%s.%N)
  python3 - "$d" "$out" "$rc" "$t0" "$t1" "$tmp/err" <<'EOF' || bad=1
import json, sys
name, out, rc, t0, t1, errf = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
try:
    files = json.load(open(out))["files"]
except Exception as e:
    print(f"{name}: krefcheck wrote no result (exit {rc}): {e}")
    sys.stdout.write(open(errf).read()[-3000:])
    sys.exit(1)
failed = [f for f in files if not f["ok"]]
findings = sum(len(f["findings"]) for f in files)
# Entries krefcheck could not even use (bad entry, directory as source...) are errors too.
failed_files = {f["file"] for f in failed}
entry_errors = [l for l in open(errf).read().splitlines()
                if l.startswith("krefcheck: error: ") and "no file could be analysed" not in l
                and not any(x in l for x in failed_files)]
print(f"{name}: {len(files) + len(entry_errors)} entries, {len(files) - len(failed)} analysed, "
      f"{len(failed) + len(entry_errors)} failed, {findings} findings, "
      f"{float(t1) - float(t0):.0f} s (krefcheck exit {rc})")
for f in failed[:10]:
    print(f"  FAILED {f['file']}: {f['error']}")
for l in entry_errors[:10]:
    print(f"  FAILED {l}")
if rc == 2 or failed or entry_errors:
    sys.stdout.write(open(errf).read()[-2000:])
    sys.exit(1)
EOF
done
exit $bad
