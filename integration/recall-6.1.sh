#!/usr/bin/env bash
# recall-6.1.sh - measure krefcheck's recall on real reference-count bugs of Linux 6.1.
#
# Usage: recall-6.1.sh [--work DIR] [--bugs FILE] [--out FILE] [--no-build]
#
# The bug list (default ../shared/bench/known-bugs-6.1.json next to this checkout) names 21
# reference-count bugs present in Linux 6.1.192 (Debian linux-source-6.1) and fixed before
# 6.12.117 (Debian linux-source-6.12), each by file and function. This script:
#
#  1. installs what is missing from Debian (make xz-utils python3 flex bison bc libelf-dev
#     libssl-dev clang-19 lld-19 llvm-19 linux-source-6.1 linux-source-6.12, and krefcheck's
#     own packages via scripts/bootstrap.sh when build/krefcheck is missing);
#  2. untars /usr/src/linux-source-6.1.tar.xz to $WORK/linux-6.1 and uses the 6.12 tree
#     $KSRC612 (default /work/kbuild/linux-6.12 when build-kernel-db.sh already untarred it,
#     else it untars /usr/src/linux-source-6.12.tar.xz to $WORK/linux-6.12). Source trees are
#     never built in: every configuration is an out-of-tree build, make O=$WORK/<tree>-<part>;
#  3. per tree and configuration ("part") configures the kernel, runs modules_prepare and
#     builds only the objects of the bug files (make -k O=... ARCH=... LLVM=-19 dir/file.o),
#     then writes $WORK/<tree>-<part>/compile_commands.json with
#     scripts/clang-tools/gen_compile_commands.py, keeping only the bug files:
#
#       part   ARCH     configuration                           files
#       arm64  arm64    allmodconfig, with WERROR, KASAN, KCSAN,  drivers/ and sound/ except
#                       UBSAN, KCOV, GCOV_KERNEL, RANDSTRUCT off  the two below
#                       (KCONFIG_ALLCONFIG; none of them changes
#                       the C that is parsed, they only add
#                       instrumentation flags)
#       arm    arm      mvebu_v7_defconfig (MACH_DOVE)          drivers/soc/dove/pmu.c (built
#                                                               only for 32-bit ARM Dove:
#                                                               obj-$(CONFIG_MACH_DOVE))
#       ppc64  powerpc  ppc64_defconfig (PPC_PMAC, PMAC_SMU,    arch/powerpc/... except:
#                       SMP, KEXEC_FILE)
#       pmac32 powerpc  pmac32_defconfig + SMP                  powermac/feature.c for
#                                                               core99_reset_cpu(), which
#                                                               is #ifndef CONFIG_PPC64 and
#                                                               #ifdef CONFIG_SMP
#       ppc32  powerpc  mpc85xx_defconfig (QUICC_ENGINE,        drivers/tty/serial/ucc_uart.c
#                       SERIAL_QE=m) with TOOLCHAIN_DEFAULT_CPU
#                       instead of E500_CPU (-mcpu=8540, which
#                       clang rejects)
#
#     A file that does not build is recorded (with the error) and the rest goes on. A file
#     that moved between 6.1 and 6.12 is looked up by its base name and noted. Each bug's
#     function is looked for in its file preprocessed with the database's own command (a
#     function that the configuration compiles out counts as not analysed);
#  4. runs krefcheck -j$JOBS --format json on every database ($WORK/results/<tree>-<part>.json)
#     and turns that into text with `krefcheck merge --format text` (<tree>-<part>.txt, with
#     the path notes);
#  5. prints per bug whether krefcheck reports a finding in that file and function on 6.1
#     (and with which rule ids) and whether the same function is still flagged on 6.12, then
#     recall = found/known over the bugs whose function was analysed and over all bugs, and
#     how many of the found functions are still flagged on 6.12. Two counts: any finding in
#     the function (the rule of shared/bench/README.md), and "matching" findings only: the
#     bug's kind (leak or loop-leak for classes a-d, double-put or put-unowned for e,
#     use-after-put for f) and, for leaks, the bug's acquire line or API. The table is written to
#     --out (default integration/recall-6.1.txt). Build/analysis times go to stdout and to
#     $WORK/results/times.txt.
#
# Safe to run again: untarring happens once (a stamp file marks a complete tree), configs are
# regenerated (Kconfig only) and make recompiles nothing that is up to date.
#
# Environment:
#   WORK           work directory (default /work/kbuild-recall); --work DIR overrides it
#   BUGS           bug list (default ../shared/bench/known-bugs-6.1.json); --bugs overrides
#   KSRC612        an untarred 6.12 tree to use (see 2.)
#   JOBS           make -j and krefcheck -j (default 2)
#   LLVM_SUFFIX    passed as LLVM=... (default -19)
#   KREFCHECK      the binary (default build/krefcheck of this checkout)
#   SKIP_APT=1     do not check/install Debian packages
#   --no-build     do not configure or build; use the databases of an earlier run
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
RES=$WORK/results
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
SRC61=$WORK/linux-6.1
untar "$TAR61" "$SRC61"
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
# 2. Which file is built in which part, per tree. A file missing from 6.12 at its 6.1 path
# is looked up by base name (it moved); the mapping is in $RES/files.tsv:
#   id  function  part  file-6.1  file-6.12  note
python3 - "$BUGS" "$SRC61" "$SRC612" >"$RES/files.tsv" <<'EOF'
import json, os, subprocess, sys
bugs, src61, src612 = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
def part_of(f, fn):
    # core99_reset_cpu() is in feature.c's #ifndef CONFIG_PPC64 part (and needs SMP)
    if f == 'arch/powerpc/platforms/powermac/feature.c' and fn == 'core99_reset_cpu':
        return 'pmac32'
    if f.startswith('arch/powerpc/'): return 'ppc64'
    if f == 'drivers/tty/serial/ucc_uart.c': return 'ppc32'
    if f.startswith('drivers/soc/dove/'): return 'arm'
    return 'arm64'
for b in bugs:
    f = b['file']
    note = ''
    f612 = f
    if not os.path.exists(os.path.join(src612, f)):
        base = os.path.basename(f)
        top = f.split('/')[0]
        hits = subprocess.run(['find', top, '-name', base, '-type', 'f'], cwd=src612,
                              capture_output=True, text=True).stdout.split()
        if len(hits) == 1:
            f612 = hits[0]; note = 'moved to %s in 6.12' % f612
        else:
            f612 = '-'; note = 'not found in 6.12 (%d candidates)' % len(hits)
    if not os.path.exists(os.path.join(src61, f)):
        note = (note + '; ' if note else '') + 'missing from 6.1'
    print('\t'.join([b['id'], b['function'], part_of(f, b['function']), f, f612, note or '-']))
EOF

# part -> ARCH and config
part_arch() { case $1 in arm64) echo arm64 ;; arm) echo arm ;; ppc64|ppc32|pmac32) echo powerpc ;; esac; }
part_config() {
  case $1 in
    arm64) echo allmodconfig ;;
    arm) echo mvebu_v7_defconfig ;;
    ppc64) echo ppc64_defconfig ;;
    ppc32) echo mpc85xx_defconfig ;;
    pmac32) echo pmac32_defconfig ;;
  esac
}
# Options the bug files need; checked after configuring (=y or =m), for the record.
part_needs() {
  case $1 in
    arm64) echo "COMMON_CLK INPUT_IQS269A INPUT_IQS626A LEDS_MAX77693 VIDEO_MEDIATEK_MDP3 VIDEO_TI_CAL FSL_FMAN TI_SCI_PM_DOMAINS SOUNDWIRE W1 SND_SIMPLE_CARD" ;;
    arm) echo "MACH_DOVE" ;;
    ppc64) echo "PPC_PMAC PMAC_SMU SMP KEXEC_FILE" ;;
    ppc32) echo "QUICC_ENGINE SERIAL_QE" ;;
    pmac32) echo "PPC_PMAC SMP" ;;
  esac
}

# build_part TREE PART SRC: configure, prepare, build the bug files, write the database
build_part() {
  local tree=$1 part=$2 src=$3
  local name=$tree-$part out=$WORK/$tree-$part arch
  arch=$(part_arch "$part")
  local col=4; [ "$tree" = 6.12 ] && col=5
  local files=()
  mapfile -t files < <(awk -F'\t' -v p="$part" -v c=$col '$3 == p && $c != "-" { print $c }' "$RES/files.tsv" | sort -u)
  [ ${#files[@]} -gt 0 ] || return 0
  mkdir -p "$out"
  rm -f "$out/compile_commands.json"
  local kmake=(make -C "$src" O="$out" ARCH="$arch" LLVM="$LLVM_SUFFIX")
  local t0=$SECONDS cfg
  cfg=$(part_config "$part")
  log "=== $name: ARCH=$arch $cfg in $out: ${files[*]}"
  if [ "$part" = arm64 ]; then
    printf '%s\n' '# CONFIG_WERROR is not set' '# CONFIG_KASAN is not set' \
      '# CONFIG_KCSAN is not set' '# CONFIG_UBSAN is not set' '# CONFIG_KCOV is not set' \
      '# CONFIG_GCOV_KERNEL is not set' 'CONFIG_RANDSTRUCT_NONE=y' \
      '# CONFIG_GCC_PLUGIN_RANDSTRUCT is not set' >"$out/allmod.config"
    "${kmake[@]}" KCONFIG_ALLCONFIG="$out/allmod.config" "$cfg" >"$LOGDIR/$name-config.log" 2>&1 \
      || { tail -20 "$LOGDIR/$name-config.log"; die "$name: $cfg failed"; }
  else
    "${kmake[@]}" "$cfg" >"$LOGDIR/$name-config.log" 2>&1 \
      || { tail -20 "$LOGDIR/$name-config.log"; die "$name: $cfg failed"; }
  fi
  if [ "$part" = ppc32 ]; then
    # e500 (E500_CPU) means -mcpu=8540, which clang does not know ("unknown target CPU
    # '8540'"): let the compiler use its default 32-bit CPU instead.
    "$src/scripts/config" --file "$out/.config" -d E500_CPU -e TOOLCHAIN_DEFAULT_CPU
    "${kmake[@]}" olddefconfig >>"$LOGDIR/$name-config.log" 2>&1 \
      || { tail -20 "$LOGDIR/$name-config.log"; die "$name: olddefconfig failed"; }
    grep -q '^CONFIG_TOOLCHAIN_DEFAULT_CPU=y' "$out/.config" || die "$name: TOOLCHAIN_DEFAULT_CPU not set"
  fi
  if [ "$part" = pmac32 ]; then
    "$src/scripts/config" --file "$out/.config" -e SMP
    "${kmake[@]}" olddefconfig >>"$LOGDIR/$name-config.log" 2>&1 \
      || { tail -20 "$LOGDIR/$name-config.log"; die "$name: olddefconfig failed"; }
  fi
  local o missing_opts=()
  for o in $(part_needs "$part"); do
    grep -Eq "^CONFIG_$o=(y|m)" "$out/.config" || missing_opts+=("$o")
  done
  [ ${#missing_opts[@]} -eq 0 ] || log "WARNING: $name: not enabled: ${missing_opts[*]}"
  local t1=$SECONDS
  "${kmake[@]}" -j"$JOBS" modules_prepare >"$LOGDIR/$name-prepare.log" 2>&1 \
    || { tail -40 "$LOGDIR/$name-prepare.log"; die "$name: modules_prepare failed (log $LOGDIR/$name-prepare.log)"; }
  local t2=$SECONDS objs=() f
  for f in "${files[@]}"; do objs+=("${f%.c}.o"); done
  "${kmake[@]}" -k -j"$JOBS" "${objs[@]}" >"$LOGDIR/$name-build.log" 2>&1 || true
  local t3=$SECONDS
  # built = the object and its .cmd exist (gen_compile_commands.py reads the .cmd)
  local built=() dirs=()
  : >"$RES/$name.failed"
  for f in "${files[@]}"; do
    local d=${f%/*} b=${f##*/}
    if [ -f "$out/$d/.${b%.c}.o.cmd" ] && [ -f "$out/$d/${b%.c}.o" ]; then
      built+=("$f"); dirs+=("$out/$d")
    else
      local why
      why=$(grep -E "(error|Error [0-9]|No rule)" "$LOGDIR/$name-build.log" | grep -F -- "${b%.c}" | head -3 | tr '\n' ' ')
      [ -n "$why" ] || why="not built (see $LOGDIR/$name-build.log)"
      printf '%s\t%s\n' "$f" "$why" >>"$RES/$name.failed"
      log "WARNING: $name: $f did not build: $why"
    fi
  done
  if [ ${#built[@]} -gt 0 ]; then
    mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | sort -u)
    python3 "$src/scripts/clang-tools/gen_compile_commands.py" -d "$out" \
      -o "$out/compile_commands.json" -a "llvm-ar$LLVM_SUFFIX" "${dirs[@]}" \
      >"$LOGDIR/$name-gen-db.log" 2>&1 || { cat "$LOGDIR/$name-gen-db.log"; die "$name: gen_compile_commands.py failed"; }
    python3 - "$out/compile_commands.json" "$src" "${built[@]}" <<'EOF'
import json, os, sys
db, src, want = sys.argv[1], os.path.realpath(sys.argv[2]), set(sys.argv[3:])
kept = [e for e in json.load(open(db))
        if os.path.relpath(os.path.realpath(e['file']), src) in want]
json.dump(kept, open(db, 'w'), indent=2, sort_keys=True)
print('  %s: %d entries' % (db, len(kept)))
EOF
  fi
  timing "$name config" $((t1 - t0))
  timing "$name modules_prepare" $((t2 - t1))
  timing "$name build ${#built[@]}/${#files[@]} objects" $((t3 - t2))
  timing "$name total" $((SECONDS - t0))
}

PARTS=(arm64 arm ppc64 pmac32 ppc32)
if [ $BUILD = 1 ]; then
  TB=$SECONDS
  for p in "${PARTS[@]}"; do build_part 6.1 "$p" "$SRC61"; done
  for p in "${PARTS[@]}"; do build_part 6.12 "$p" "$SRC612"; done
  timing "all builds" $((SECONDS - TB))
fi

# ---------------------------------------------------------------------------
# 3. krefcheck on every database, with a copy of the binary taken now (other work in this
# checkout may rebuild build/krefcheck while this runs)
KC=$WORK/krefcheck.bin
cp "$KREFCHECK" "$KC.tmp" && mv "$KC.tmp" "$KC"
KC_ARGS=(--rules-dir "$top/rules")
KC_VERSION="$("$KC" --version 2>&1 | head -1), checkout $(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
log "krefcheck: $KC_VERSION"
TA=$SECONDS
for tree in 6.1 6.12; do
  for p in "${PARTS[@]}"; do
    db=$WORK/$tree-$p/compile_commands.json
    rm -f "$RES/$tree-$p.json" "$RES/$tree-$p.txt"
    [ -s "$db" ] || continue
    t0=$SECONDS
    rc=0
    "$KC" "${KC_ARGS[@]}" -p "$db" -j"$JOBS" --quiet --format json -o "$RES/$tree-$p.json" \
      2>"$RES/$tree-$p.err" || rc=$?
    [ $rc -le 1 ] || die "krefcheck failed on $db (exit $rc): $(head -5 "$RES/$tree-$p.err")"
    "$KC" merge "$RES/$tree-$p.json" --format text -o "$RES/$tree-$p.txt" 2>/dev/null || true
    timing "krefcheck $tree-$p" $((SECONDS - t0))
  done
done
timing "all krefcheck runs" $((SECONDS - TA))

# ---------------------------------------------------------------------------
# 4./5. The table
python3 - "$BUGS" "$RES" "$WORK" "$SRC61" "$SRC612" "$OUTTXT" "$KC_VERSION" <<'EOF'
import json, os, re, shlex, subprocess, sys
from collections import Counter
bugsf, res, work, src61, src612, outtxt, version = sys.argv[1:8]
bugs = json.load(open(bugsf))
rows = {l.split('\t')[0]: l.rstrip('\n').split('\t') for l in open(os.path.join(res, 'files.tsv'))}
SRC = {'6.1': os.path.realpath(src61), '6.12': os.path.realpath(src612)}

def rel(tree, path):
    return os.path.relpath(os.path.realpath(path), SRC[tree])

def load_json(tree, part):
    p = os.path.join(res, '%s-%s.json' % (tree, part))
    return {rel(tree, f['file']): f for f in json.load(open(p))['files']} if os.path.exists(p) else {}

def load_failed(tree, part):
    p = os.path.join(res, '%s-%s.failed' % (tree, part))
    out = {}
    if os.path.exists(p):
        for l in open(p):
            k, _, why = l.rstrip('\n').partition('\t')
            out[k] = why
    return out

def load_db(tree, part):
    p = os.path.join(work, '%s-%s' % (tree, part), 'compile_commands.json')
    return {rel(tree, e['file']): e for e in json.load(open(p))} if os.path.exists(p) else {}

def defines(entry, fn):
    """Is fn defined in the file as this command preprocesses it? (None: could not tell)"""
    args, skip = [], False
    for a in shlex.split(entry['command']):
        if skip: skip = False; continue
        if a == '-o': skip = True; continue
        if a == '-c' or a.startswith('-Wp,-MMD') or a.startswith('-Wp,-MD'): continue
        args.append(a)
    r = subprocess.run(args + ['-E', '-P', '-o', '-'], cwd=entry['directory'],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    text = r.stdout
    for m in re.finditer(r'\b%s\s*\(' % re.escape(fn), text):
        depth, k = 1, m.end()
        while k < len(text) and depth:
            depth += {'(': 1, ')': -1}.get(text[k], 0); k += 1
        rest = re.sub(r'^(\s|__attribute__\s*\(\(.*?\)\))*', '', text[k:k + 400], flags=re.S)
        if rest.startswith('{'):
            return True
    return False

cache = {}
def status(tree, part, f, fn):
    """(analysed?, why not, findings in fn)"""
    if f == '-':
        return False, 'file not in tree', []
    key = (tree, part)
    if key not in cache:
        cache[key] = (load_json(tree, part), load_failed(tree, part), load_db(tree, part))
    results, failed, db = cache[key]
    if f in failed:
        return False, 'build failed (%s): %s' % (part, failed[f]), []
    e = results.get(f)
    if e is None or f not in db:
        return False, 'not in the %s database' % part, []
    if not e.get('ok', True) or e.get('error'):
        return False, 'krefcheck: ' + (e.get('error') or 'failed'), []
    if defines(db[f], fn) is False:
        return False, '%s() not compiled in the %s configuration' % (fn, part), []
    return True, '', [x for x in e.get('findings', []) if x.get('function') == fn]

KIND = {c: ('krefcheck-leak', 'krefcheck-loop-leak') for c in 'abcd'}
KIND['e'] = ('krefcheck-double-put', 'krefcheck-put-unowned')
KIND['f'] = ('krefcheck-use-after-put',)
def matches(b, x):
    if x['rule'] not in KIND[b['class']]:
        return False
    if b['class'] in 'ef':
        return True
    acq = (x.get('acquire') or {}).get('line')
    return acq == b.get('acquire_line') or x.get('api') == b.get('api')

def fmt_rules(fs):
    if not fs:
        return '-'
    return ','.join('%s%s' % (r.replace('krefcheck-', ''), '' if n == 1 else 'x%d' % n)
                    for r, n in sorted(Counter(x['rule'] for x in fs).items()))

fmt = '%-5s %-2s %-6s %-70s %-7s %-22s %-8s %s'
hdr = fmt % ('id', 'cl', 'part', '6.1 file:function', '6.1', 'rules (6.1)', '6.12', 'rules (6.12); notes')
lines = [hdr, '-' * len(hdr)]
n = len(bugs)
analysed = anyf = strict = 0
still, missed, other, notan = [], [], [], []
for b in bugs:
    bid, fn = b['id'], b['function']
    _, _, part, f61, f612, note = rows[bid]
    ok61, why61, fs61 = status('6.1', part, f61, fn)
    ok612, why612, fs612 = status('6.12', part, f612, fn)
    if ok61:
        analysed += 1
        if any(matches(b, x) for x in fs61):
            anyf += 1; strict += 1; s61 = 'FOUND'
        elif fs61:
            anyf += 1; other.append(bid); s61 = 'OTHER'
        else:
            missed.append(bid); s61 = 'MISSED'
    else:
        notan.append(bid); s61 = 'n/a'
    s612 = ('FLAGGED' if fs612 else 'clean') if ok612 else 'n/a'
    if ok612 and fs612 and fs61:
        still.append(bid)
    notes = []
    if fs612: notes.append(fmt_rules(fs612))
    if not ok61: notes.append('6.1: ' + why61)
    if not ok612: notes.append('6.12: ' + why612)
    if note != '-': notes.append(note)
    lines.append(fmt % (bid, b['class'], part, '%s:%s' % (f61, fn), s61, fmt_rules(fs61), s612,
                        '; '.join(notes)))
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
    '# krefcheck: %s\n' % (os.path.basename(bugsf), version) + text)
EOF
echo
echo "raw results: $RES/<tree>-<part>.{json,txt,err}; logs: $LOGDIR; table: $OUTTXT"
timing "total" $((SECONDS - T_START))
