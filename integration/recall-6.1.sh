#!/usr/bin/env bash
# recall-6.1.sh - measure krefcheck's recall on real reference-count bugs of Linux 6.1.
#
# Usage: recall-6.1.sh [--work DIR] [--bugs FILE] [--out FILE] [--no-build]
#
# The bug list (default ../shared/bench/known-bugs-6.1.json next to this checkout) names 21
# reference-count bugs present in Linux 6.1.192 (Debian linux-source-6.1) and fixed before
# 6.12.117 (Debian linux-source-6.12), each by file and function. A thin wrapper around
# corpus/recall.sh (the same measurement as on the evaluation corpus), this script:
#
#  1. installs what is missing from Debian (make xz-utils python3 flex bison bc libelf-dev
#     libssl-dev clang-19 lld-19 llvm-19 linux-source-6.1 linux-source-6.12, and krefcheck's
#     own packages via scripts/bootstrap.sh when build/krefcheck is missing);
#  2. untars /usr/src/linux-source-6.1.tar.xz to $WORK/linux-6.1 (or uses $KSRC61) and the 6.12 tree
#     $KSRC612 (default /work/kbuild/linux-6.12 when build-kernel-db.sh already untarred it,
#     else it untars /usr/src/linux-source-6.12.tar.xz to $WORK/linux-6.12);
#  3. writes the bug list in the corpus format ($WORK/recall-6.1/known-bugs-6.1.json: null
#     commits as "", also_in_shared_bench = the id, split by corpus/split.py --write) and runs
#     corpus/recall.sh on it with --kcorpus $WORK: each bug file is analysed in the first
#     configuration ("part") of recall.sh's ordered list that builds it and compiles its
#     function in (here: arm64 allmodconfig for drivers/ and sound/, armv7
#     multi_v7_defconfig for drivers/soc/dove/, ppc64_defconfig for arch/powerpc/,
#     pmac32_defconfig + SMP for core99_reset_cpu(), which is #ifndef CONFIG_PPC64 and
#     #ifdef CONFIG_SMP), with a compile database of the bug files' directories recorded by
#     kernel-compdb.sh in $WORK/<tree>-<part>/ (no object is compiled) and krefcheck --format
#     json ($WORK/recall-6.1/corpus/<tree>-<part>.kc.json); a file that moved between 6.1 and
#     6.12 is looked up by its base name and noted;
#  4. prints per bug whether krefcheck reports a finding in that file and function on 6.1
#     (and with which rule ids) and whether the same function is still flagged on 6.12, then
#     recall = found/known over the bugs whose function was analysed and over all bugs, and
#     how many of the found functions are still flagged on 6.12. Two counts: any finding in
#     the function (the rule of shared/bench/README.md), and "matching" findings only: the
#     bug's kind (leak or loop-leak for classes a-d, double-put or put-unowned for e,
#     use-after-put for f) and, for leaks, the bug's acquire line or API. The table is written to
#     --out (default integration/recall-6.1.txt). Times go to stdout and to
#     $WORK/recall-6.1/corpus/times.txt.
#
# Safe to run again: untarring happens once (a stamp file marks a complete tree) and recorded
# databases are reused (recall.sh's stamps).
#
# Environment:
#   WORK           work directory (default /work/kbuild-recall); --work DIR overrides it
#   BUGS           bug list (default ../shared/bench/known-bugs-6.1.json); --bugs overrides
#   KSRC61         an untarred 6.1 tree to use instead of untarring one to $WORK/linux-6.1
#   KSRC612        an untarred 6.12 tree to use (see 2.)
#   JOBS           make -j and krefcheck -j (default 2)
#   LLVM_SUFFIX    passed as LLVM=... (default -19)
#   KREFCHECK      the binary (default build/krefcheck of this checkout)
#   SKIP_APT=1     do not check/install Debian packages
#   --no-build     do not configure or record; use the databases of an earlier run
set -euo pipefail

PROG=$(basename "$0")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
WORK=${WORK:-/work/kbuild-recall}
BUGS=${BUGS:-$top/../shared/bench/known-bugs-6.1.json}
OUTTXT=$here/recall-6.1.txt
JOBS=${JOBS:-2}
LLVM_SUFFIX=${LLVM_SUFFIX:--19}
KREFCHECK=${KREFCHECK:-$top/build/krefcheck}
TAR61=/usr/src/linux-source-6.1.tar.xz
TAR612=/usr/src/linux-source-6.12.tar.xz
BUILD=1

die() { echo "$PROG: ERROR: $*" >&2; exit 1; }
log() { echo "[$PROG $(date +%H:%M:%S)] $*"; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --work) [ $# -ge 2 ] || die "--work needs a directory"; WORK=$2; shift 2 ;;
    --bugs) [ $# -ge 2 ] || die "--bugs needs a file"; BUGS=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a file"; OUTTXT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
[ -f "$BUGS" ] || die "bug list $BUGS not found"
BUGS=$(cd "$(dirname "$BUGS")" && pwd)/$(basename "$BUGS")
mkdir -p "$WORK" || die "cannot create $WORK"
WORK=$(cd "$WORK" && pwd -P)
LOGDIR=$WORK/logs
RES=$WORK/recall-6.1
mkdir -p "$LOGDIR" "$RES"
TIMES=$RES/times.txt
: >"$TIMES"
T_START=$SECONDS
timing() { echo "$1: $2s" | tee -a "$TIMES"; }

# ---------------------------------------------------------------------------
# 1. Packages
ensure_packages() {
  [ "${SKIP_APT:-0}" = 1 ] && { log "SKIP_APT=1: not checking packages"; return; }
  local want=(make xz-utils libc6-dev python3 flex bison bc libelf-dev libssl-dev
              "clang${LLVM_SUFFIX}" "lld${LLVM_SUFFIX}" "llvm${LLVM_SUFFIX}")
  [ -f "$TAR61" ] || want+=(linux-source-6.1)
  [ -f "$TAR612" ] || [ -f "${KSRC612:-/work/kbuild/linux-6.12}/.krefcheck-untarred" ] \
    || want+=(linux-source-6.12)
  local missing=() p
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing missing packages: ${missing[*]}"
    local sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update >"$LOGDIR/apt.log" 2>&1 || die "apt-get update failed (see $LOGDIR/apt.log)"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" \
      >>"$LOGDIR/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed (see $LOGDIR/apt.log)"
  fi
  [ -x "$KREFCHECK" ] || bash "$top/scripts/bootstrap.sh"
}

# untar TARBALL DIR: once; the stamp marks a complete tree
untar() {
  local tarball=$1 dir=$2
  if [ -f "$dir/.krefcheck-untarred" ] && [ -f "$dir/Makefile" ]; then
    log "kernel source already at $dir"; return
  fi
  [ -f "$tarball" ] || die "$tarball not found"
  log "untarring $tarball to $dir"
  local t0=$SECONDS tmp=$dir.untar.$$
  rm -rf "$tmp" "$dir"
  mkdir -p "$tmp"
  tar -xJf "$tarball" -C "$tmp" --strip-components=1 || { rm -rf "$tmp"; die "untar of $tarball failed"; }
  [ -f "$tmp/Makefile" ] || { rm -rf "$tmp"; die "$tarball holds no kernel tree"; }
  mv "$tmp" "$dir"
  touch "$dir/.krefcheck-untarred"
  timing "untar $(basename "$tarball")" $((SECONDS - t0))
}

ensure_packages
if [ -n "${KSRC61:-}" ]; then
  SRC61=$KSRC61
else
  SRC61=$WORK/linux-6.1
  untar "$TAR61" "$SRC61"
fi
[ -f "$SRC61/Makefile" ] || die "no 6.1 tree at $SRC61"
if [ -n "${KSRC612:-}" ]; then
  SRC612=$KSRC612
elif [ -f /work/kbuild/linux-6.12/.krefcheck-untarred ]; then
  SRC612=/work/kbuild/linux-6.12
else
  SRC612=$WORK/linux-6.12
  untar "$TAR612" "$SRC612"
fi
[ -f "$SRC612/Makefile" ] || die "no 6.12 tree at $SRC612"
log "6.1 tree: $SRC61; 6.12 tree: $SRC612"

# ---------------------------------------------------------------------------
# 3. The bug list in the corpus format, and corpus/recall.sh on it (same measurement code)
CORPUS=$RES/known-bugs-6.1.json
python3 - "$BUGS" "$CORPUS" <<'EOF'
import json, sys
out = []
for b in json.load(open(sys.argv[1])):
    out.append({'id': b['id'], 'title': b.get('title') or '', 'commit': b.get('commit') or '',
                'source': b.get('source') or '', 'tree': b['tree'], 'file': b['file'],
                'function': b['function'], 'api': b['api'], 'class': b['class'],
                'acquire_line': b['acquire_line'], 'bad_line': b['bad_line'],
                'note': b.get('note') or '', 'capability': '', 'also_in_shared_bench': b['id'],
                'split': ''})
json.dump(sorted(out, key=lambda b: b['id']), open(sys.argv[2], 'w'), indent=1)
EOF
python3 "$here/corpus/split.py" --write "$CORPUS" >/dev/null || die "$CORPUS: split.py --write failed"
rargs=(--kcorpus "$WORK" --results "$RES/corpus" --src61 "$SRC61" --src612 "$SRC612"
  --out "$RES/corpus.txt" --json "$RES/corpus.json" -j "$JOBS" --krefcheck "$KREFCHECK")
[ $BUILD = 1 ] || rargs+=(--no-record)
TR=$SECONDS
LLVM_SUFFIX="$LLVM_SUFFIX" bash "$here/corpus/recall.sh" "${rargs[@]}" "$CORPUS" >"$LOGDIR/recall.log" 2>&1 ||
  { tail -20 "$LOGDIR/recall.log" >&2; die "corpus/recall.sh failed (log $LOGDIR/recall.log)"; }
grep -E '^(record|krefcheck|databases|total)' "$LOGDIR/recall.log" || true
timing "corpus/recall.sh" $((SECONDS - TR))

# ---------------------------------------------------------------------------
# 4. The table (the per-bug rows of recall.sh's JSON, in this script's format)
python3 - "$BUGS" "$RES/corpus.json" "$OUTTXT" <<'EOF'
import json, os, sys
from collections import Counter
bugsf, resf, outtxt = sys.argv[1:4]
res = json.load(open(resf))
rows = {r['id']: r for r in res['entries']}

def fmt_rules(rules):
    if not rules:
        return '-'
    return ','.join('%s%s' % (r.replace('krefcheck-', ''), '' if n == 1 else 'x%d' % n)
                    for r, n in sorted(Counter(rules).items()))

fmt = '%-5s %-2s %-6s %-70s %-7s %-22s %-8s %s'
hdr = fmt % ('id', 'cl', 'part', '6.1 file:function', '6.1', 'rules (6.1)', '6.12', 'rules (6.12); notes')
lines = [hdr, '-' * len(hdr)]
bugs = json.load(open(bugsf))
n = len(bugs)
analysed = anyf = strict = 0
still, missed, other, notan = [], [], [], []
for b in bugs:
    r = rows[b['id']]
    s61 = r['status']
    if s61 != 'n/a':
        analysed += 1
        anyf += s61 in ('FOUND', 'OTHER')
        strict += s61 == 'FOUND'
        if s61 == 'OTHER': other.append(b['id'])
        if s61 == 'MISSED': missed.append(b['id'])
    else:
        notan.append(b['id'])
    s612 = r.get('status_612', 'n/a')
    if s612 == 'FLAGGED' and r['rules']:
        still.append(b['id'])
    notes = []
    if r.get('rules_612'): notes.append(fmt_rules(r['rules_612']))
    notes += r['notes']
    lines.append(fmt % (b['id'], b['class'], r['part'], '%s:%s' % (b['file'], b['function']), s61,
                        fmt_rules(r['rules']), s612, '; '.join(notes)))
pct = lambda a, b: 100.0 * a / b if b else 0.0
lines += ['',
  'FOUND: a finding of the bug\'s kind (and, for a leak, its acquire line or API) in that function;',
  'OTHER: findings in that function, none of them the known bug; n/a: function not analysed.',
  'bugs whose function was analysed on 6.1: %d of %d (not analysed: %s)' % (analysed, n, ' '.join(notan) or '-'),
  'recall, any finding in the function:  %d/%d = %.0f%% of the analysed, %d/%d = %.0f%% of all' % (
      anyf, analysed, pct(anyf, analysed), anyf, n, pct(anyf, n)),
  'recall, matching findings only:       %d/%d = %.0f%% of the analysed, %d/%d = %.0f%% of all' % (
      strict, analysed, pct(strict, analysed), strict, n, pct(strict, n)),
  'flagged on 6.1 and still flagged on 6.12: %d (%s)' % (len(still), ' '.join(still) or '-'),
  'missed: %s; other findings only: %s' % (' '.join(missed) or '-', ' '.join(other) or '-')]
text = '\n'.join(lines) + '\n'
sys.stdout.write(text)
open(outtxt, 'w').write(
    '# krefcheck recall on the known bugs of Linux 6.1.192 (%s), written by integration/recall-6.1.sh\n'
    '# 6.1: findings in that file and function on 6.1.192; 6.12: the same function on 6.12.117\n'
    '# (FLAGGED = still reported there). Rule ids without the krefcheck- prefix, xN = N findings.\n'
    '# krefcheck: %s\n' % (os.path.basename(bugsf), res['krefcheck']) + text)
EOF
echo
echo "raw results: $RES/corpus/<tree>-<part>.kc.{json,err}; logs: $LOGDIR; table: $OUTTXT"
timing "total" $((SECONDS - T_START))
