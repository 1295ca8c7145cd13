#!/usr/bin/env bash
# recall.sh - krefcheck's recall and precision on the evaluation corpus (integration/corpus/).
#
# Usage: recall.sh [options] [CORPUS.json...]
#
#   CORPUS.json     corpus files (README.md beside this script); default: debian-6.1.json,
#                   public-6.12.json and negatives-6.1.json beside this script (those that
#                   exist). A file whose name starts with "negatives" holds look-alikes (krefcheck
#                   must stay QUIET on them); every other file holds bugs. Each file is checked
#                   with split.py --check first (a problem stops the run, exit 2).
#   --kcorpus DIR   where the compile databases are recorded and kept (default
#                   /work/kcorpus, or $KCORPUS); results of the run in DIR/results/
#   --results DIR   the run's intermediate results there instead (runs side by side with
#                   --no-record share the databases)
#   --src61 DIR     the Linux 6.1 tree (default /work/kernels/linux-6.1)
#   --src612 DIR    the Linux 6.12 tree (default /work/kbuild/linux-6.12)
#   --db TREE-PART=FILE
#                   use FILE as the database of that part instead of recording one, e.g.
#                   --db 6.12-arm64=/work/kb13/arm64-allmod/compile_commands.json (repeatable;
#                   its entries are matched by their path relative to the build directory's
#                   "source" link, or to --src61/--src612)
#   --no-record     never run kernel-compdb.sh: a part without a database is skipped (its
#                   files go to the next part), a recorded one is used as it is
#   --out FILE      the table (default integration/corpus/results.txt)
#   --json FILE     the same as JSON (default integration/corpus/results.json)
#   -j N            make -j and krefcheck -j (default 2, or $JOBS)
#   --krefcheck BIN the binary (default build/krefcheck of this checkout, or $KREFCHECK); a
#                   copy taken at the start is run
#
# What it does:
#  1. Gives each (tree, file, function) to analyse an ordered list of parts (a configuration
#     of one architecture each), tried in this order:
#       part    ARCH     configuration
#       arm64   arm64    allmodconfig  (every allmodconfig here: without WERROR, KASAN,
#       armv7   arm      multi_v7_defconfig   KCSAN, UBSAN, KCOV, GCOV_KERNEL, RANDSTRUCT
#       armmod  arm      allmodconfig          through KCONFIG_ALLCONFIG)
#       armv5   arm      multi_v5_defconfig
#       pxa     arm      pxa_defconfig (6.12's multi_v5_defconfig has no ARCH_PXA)
#       x86     x86      allmodconfig (x86_64)
#       riscv   riscv    allmodconfig
#       ppc64   powerpc  ppc64_defconfig
#       ppc32   powerpc  mpc85xx_defconfig, TOOLCHAIN_DEFAULT_CPU instead of E500_CPU
#       pmac32  powerpc  pmac32_defconfig + SMP
#       holly   powerpc  holly_defconfig
#       wii     powerpc  wii_defconfig
#     arch/X/ files only in X's parts (arch/arm/: armv7, armmod, armv5, pxa; arch/powerpc/: the
#     powerpc parts); arch/X/ of an architecture clang does not build the kernel for (sh,
#     sparc, ...: Documentation/kbuild/llvm.rst) is not analysed; every other file may use
#     every part. The file is analysed in the first part whose database holds it and whose
#     command compiles the function in (the file preprocessed with its own command), the
#     definition that holds the entry's bad line (not a stub of the same name under
#     #else: arm-cci.c's cci_probe_ports() on arm64, without ARM_CCI400_PORT_CTRL): a driver
#     only a 32-bit or another architecture's configuration builds, a function under an
#     #ifdef (feature.c's core99_reset_cpu needs !PPC64 and SMP: pmac32) find their part
#     without a special case. A bug of tree 6.1 is also looked up in 6.12 (same path, else
#     the one file of that base name: it moved) to tell whether the fixed version is still
#     flagged.
#  2. Records the databases part by part, in that order, with integration/kernel-compdb.sh
#     (nice -n 10, LLVM=-19; no object is compiled) in DIR/<tree>-<part>/, for the
#     directories of the files not found in an earlier part: for each file the nearest
#     directory with a Makefile or Kbuild file (the one that names its object, also for a
#     member of a composite object such as drivers/gpu/drm/msm/hdmi/hdmi.o); make DIR/
#     descends from the top, so the commands are those of a whole-tree build, and a
#     directory the configuration does not build records nothing. A part is reused
#     afterwards (the stamp DIR/<tree>-<part>/.kcorpus-recipe names the configuration and the
#     directories); when the corpus needs a new directory, the part is recorded again with
#     it (incrementally: recorded objects are up to date). A part nothing needs is not even
#     configured. A whole-tree database made otherwise is used with --db.
#  3. Keeps only the corpus files of each database (DIR/results/<tree>-<part>.db.json) and runs
#     krefcheck --format json on it: the whole-program summaries are those of the corpus files.
#  4. Per entry: FOUND (a finding of the bug's kind in the function: leak or loop-leak with the
#     bug's acquire line or API for classes a-d, double-put or put-unowned for e, use-after-put
#     for f), OTHER (findings in the function, none of them matching), MISSED, or n/a (no part
#     builds the file, none compiles the function in, or krefcheck failed on it; the notes and
#     the "Not analysed, by reason" table say which); for a 6.1 bug also whether the 6.12
#     function is still FLAGGED; for a look-alike QUIET or FLAGGED (any finding in the
#     function). Then recall per split (dev, heldout) and class, per corpus file, the
#     precision on the look-alikes (QUIET of analysed), the entries not analysed by reason and
#     the analysed entries per part.
#
# Exit status: 0 done (whatever the recall); 2 bad usage, a bad corpus file or a failed step.
set -euo pipefail

PROG=$(basename "$0")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "$PROG: error: $*" >&2; exit 2; }
log() { echo "[$PROG $(date +%H:%M:%S)] $*"; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

KCORPUS=${KCORPUS:-/work/kcorpus}
SRC61=/work/kernels/linux-6.1
SRC612=/work/kbuild/linux-6.12
OUTTXT=$here/results.txt
OUTJSON=$here/results.json
JOBS=${JOBS:-2}
KREFCHECK=${KREFCHECK:-$top/build/krefcheck}
RECORD=1
LLVM_SUFFIX=${LLVM_SUFFIX:--19}
dbs=() corpus=()
while [ $# -gt 0 ]; do
  case $1 in
  --kcorpus | --results | --src61 | --src612 | --db | --out | --json | -j | --krefcheck)
    [ $# -ge 2 ] && [ -n "$2" ] || die "$1: needs a value" ;;
  esac
  case $1 in
  -h | --help) usage; exit 0 ;;
  --kcorpus) KCORPUS=$2; shift ;;
  --results) RESULTS=$2; shift ;;
  --src61) SRC61=$2; shift ;;
  --src612) SRC612=$2; shift ;;
  --db)
    case $2 in 6.1-*=?* | 6.12-*=?*) ;; *) die "--db $2: not TREE-PART=FILE" ;; esac
    [ -f "${2#*=}" ] || die "${2#*=}: no such database"
    dbs+=("$2"); shift ;;
  --no-record) RECORD=0 ;;
  --out) OUTTXT=$2; shift ;;
  --json) OUTJSON=$2; shift ;;
  -j) JOBS=$2; shift ;;
  --krefcheck) KREFCHECK=$2; shift ;;
  -*) die "unknown option '$1' (see --help)" ;;
  *) corpus+=("$1") ;;
  esac
  shift
done
case $JOBS in *[!0-9]* | '' | 0) die "-j $JOBS: not a positive number" ;; esac
if [ ${#corpus[@]} -eq 0 ]; then
  for f in debian-6.1 public-6.12 negatives-6.1; do
    [ -f "$here/$f.json" ] && corpus+=("$here/$f.json")
  done
  [ ${#corpus[@]} -gt 0 ] || die "$here: no corpus file (debian-6.1.json, public-6.12.json, negatives-6.1.json)"
fi
for f in "${corpus[@]}"; do [ -f "$f" ] || die "$f: no such corpus file"; done
for d in "$SRC61" "$SRC612"; do [ -f "$d/Makefile" ] || die "$d: not a kernel tree"; done
[ -x "$KREFCHECK" ] || die "$KREFCHECK: no krefcheck binary (build it: cmake --build build)"
SRC61=$(cd "$SRC61" && pwd -P)
SRC612=$(cd "$SRC612" && pwd -P)
mkdir -p "$KCORPUS" || die "$KCORPUS: cannot create"
KCORPUS=$(cd "$KCORPUS" && pwd -P)
RES=${RESULTS:-$KCORPUS/results}
mkdir -p "$RES" || die "$RES: cannot create"
RES=$(cd "$RES" && pwd -P)
T0=$SECONDS
TIMES=$RES/times.txt
: >"$TIMES"
timing() { echo "$1: $2 s" | tee -a "$TIMES"; }

python3 "$here/split.py" --check "${corpus[@]}" >"$RES/split-check.txt" ||
  { cat "$RES/split-check.txt" >&2; die "corpus files do not pass split.py --check (above)"; }

# ---------------------------------------------------------------------------
# 1. The plan: $RES/plan.json (the entries) and $RES/lookups.json (each (tree, file, function)
#    to analyse, with its candidate parts, in order).
PARTS=(arm64 armv7 armmod armv5 pxa x86 riscv ppc64 ppc32 pmac32 holly wii)
python3 - "$RES" "$SRC61" "$SRC612" "${PARTS[*]}" "${corpus[@]}" <<'EOF'
import json, os, subprocess, sys
res, src61, src612, order, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(), sys.argv[5:]
SRC = {'6.1': src61, '6.12': src612}
ARCH_PARTS = {'arm64': ['arm64'], 'arm': ['armv7', 'armmod', 'armv5', 'pxa'], 'x86': ['x86'],
              'riscv': ['riscv'], 'powerpc': ['ppc64', 'ppc32', 'pmac32', 'holly', 'wii']}

def candidates(f):
    """(parts to try in order, why none): an architecture's own code only in its own parts;
    any other file in every part (a driver one 64-bit config does not build, a function
    under an #ifdef it does not enable: the first part that builds the file and defines the
    function is used)."""
    if f.startswith('arch/'):
        arch = f.split('/')[1]
        if arch not in ARCH_PARTS:
            return [], ('no configuration of this script records arch/%s (clang does not build '
                        'the kernel for ARCH=%s: Documentation/kbuild/llvm.rst)' % (arch, arch))
        return ARCH_PARTS[arch], ''
    return list(order), ''

def in_612(f):
    """(path in 6.12, note): the same path, else the one file of that base name."""
    if os.path.exists(os.path.join(src612, f)):
        return f, ''
    base, top = os.path.basename(f), f.split('/')[0]
    hits = subprocess.run(['find', top, '-name', base, '-type', 'f'], cwd=src612,
                          capture_output=True, text=True).stdout.split()
    if len(hits) == 1:
        return hits[0], 'moved to %s in 6.12' % hits[0]
    return None, 'not in 6.12 (%d files named %s)' % (len(hits), base)

plan, lookups = [], {}
def lookup(tree, f, fn):
    key = '%s:%s:%s' % (tree, f, fn)
    if key not in lookups:
        c, why = candidates(f)
        lookups[key] = {'tree': tree, 'file': f, 'function': fn, 'cands': c, 'part': None,
                        'tried': [], 'notes': [why] if why else [], 'lines': []}
    return key
for path in files:
    name = os.path.basename(path)
    if name.endswith('.json'): name = name[:-5]
    negative = name.startswith('negatives')
    for e in json.load(open(path)):
        tree, f, fn = e['tree'], e['file'], e['function']
        p = {'id': e['id'], 'set': name, 'negative': negative, 'split': e['split'],
             'class': e['class'], 'tree': tree, 'file': f, 'function': fn, 'api': e['api'],
             'acquire_line': e['acquire_line'], 'bad_line': e['bad_line'],
             'capability': e.get('capability', ''), 'notes': []}
        if not os.path.exists(os.path.join(SRC[tree], f)):
            p['notes'].append('%s not in the %s tree' % (f, tree))
        else:
            p['key'] = lookup(tree, f, fn)
            # the part must compile the entry's bad line in that function, not another
            # definition of it (a stub under #else: arm-cci.c's cci_probe_ports() on arm64);
            # the acquire line may be in another function (a probe's, for a remove's bug)
            l = lookups[p['key']]['lines']
            if isinstance(e['bad_line'], int) and e['bad_line'] > 0 and e['bad_line'] not in l:
                l.append(e['bad_line'])
        if tree == '6.1' and not negative:
            f612, note = in_612(f)
            p['file_612'] = f612
            if note: p['notes'].append(note)
            if f612: p['key_612'] = lookup('6.12', f612, fn)
        plan.append(p)
json.dump(plan, open(os.path.join(res, 'plan.json'), 'w'), indent=1)
json.dump(lookups, open(os.path.join(res, 'lookups.json'), 'w'), indent=1)
print('%d entries from %d files; %d (tree, file, function) to analyse' % (len(plan), len(files), len(lookups)))
EOF

# ---------------------------------------------------------------------------
# 2. The databases, part by part in the order of PARTS: each part is recorded for the
#    directories of the lookups not yet resolved that may use it; a lookup is resolved to the
#    first part whose database holds its file and whose command compiles its function in
#    (the file preprocessed with its own command).
part_arch() {
  case $1 in
  arm64) echo arm64 ;; armv7 | armmod | armv5 | pxa) echo arm ;; x86) echo x86 ;; riscv) echo riscv ;;
  ppc64 | ppc32 | pmac32 | holly | wii) echo powerpc ;;
  esac
}
part_config() {
  case $1 in
  arm64 | armmod | x86 | riscv) echo allmodconfig ;; armv7) echo multi_v7_defconfig ;;
  armv5) echo multi_v5_defconfig ;; pxa) echo pxa_defconfig ;; ppc64) echo ppc64_defconfig ;; ppc32) echo mpc85xx_defconfig ;;
  pmac32) echo pmac32_defconfig ;; holly) echo holly_defconfig ;; wii) echo wii_defconfig ;;
  esac
}
db_override() { # db_override TREE-PART: the --db file, or nothing
  local d
  for d in ${dbs[@]+"${dbs[@]}"}; do [ "${d%%=*}" = "$1" ] && { echo "${d#*=}"; return; }; done
  return 0
}

# record TREE PART SRC: make sure $KCORPUS/TREE-PART/compile_commands.json holds the
# directories $RES/want.tsv names for TREE-PART
record() {
  local tree=$1 part=$2 src=$3
  local out=$KCORPUS/$tree-$part arch cfg recipe want=() have=() d
  arch=$(part_arch "$part")
  cfg=$(part_config "$part")
  recipe="kernel-compdb.sh ARCH=$arch LLVM=$LLVM_SUFFIX $cfg src=$src"
  [ "$cfg" = allmodconfig ] && recipe="$recipe KCONFIG_ALLCONFIG=-WERROR,KASAN,KCSAN,UBSAN,KCOV,GCOV_KERNEL,RANDSTRUCT"
  [ "$part" = ppc32 ] && recipe="$recipe -E500_CPU +TOOLCHAIN_DEFAULT_CPU"
  [ "$part" = pmac32 ] && recipe="$recipe +SMP"
  mapfile -t want < <(awk -F'\t' -v t="$tree" -v p="$part" '$1 == t && $2 == p { print $3 }' "$RES/want.tsv" | sort -u)
  if [ -f "$out/.kcorpus-recipe" ] && [ -s "$out/compile_commands.json" ] &&
    [ "$(head -n 1 "$out/.kcorpus-recipe")" = "$recipe" ]; then
    mapfile -t have < <(tail -n +2 "$out/.kcorpus-recipe")
    local missing=()
    for d in ${want[@]+"${want[@]}"}; do
      printf '%s\n' ${have[@]+"${have[@]}"} | grep -qxF -- "$d" || missing+=("$d")
    done
    if [ ${#missing[@]} = 0 ]; then
      log "$tree-$part: reusing $out/compile_commands.json"
      return 0
    fi
    if [ $RECORD = 0 ]; then
      log "$tree-$part: --no-record: using $out/compile_commands.json without ${missing[*]}"
      printf "$tree\t$part\t%s\n" "${missing[@]}" >>"$RES/unrecorded.tsv"
      return 0
    fi
  fi
  if [ $RECORD = 0 ]; then
    log "$tree-$part: no database and --no-record: its files go to the next part"
    printf "$tree\t$part\t%s\n" ${want[@]+"${want[@]}"} >>"$RES/unrecorded.tsv"
    return 0
  fi
  mapfile -t want < <(printf '%s\n' ${want[@]+"${want[@]}"} ${have[@]+"${have[@]}"} | sort -u | sed '/^$/d')
  local t0=$SECONDS
  log "$tree-$part: recording ARCH=$arch $cfg in $out: ${#want[@]} directories"
  mkdir -p "$out"
  rm -f "$out/.kcorpus-recipe"
  local kmake=(nice -n 10 make -C "$src" O="$out" ARCH="$arch" LLVM="$LLVM_SUFFIX")
  if [ "$cfg" = allmodconfig ]; then
    printf '%s\n' '# CONFIG_WERROR is not set' '# CONFIG_KASAN is not set' \
      '# CONFIG_KCSAN is not set' '# CONFIG_UBSAN is not set' '# CONFIG_KCOV is not set' \
      '# CONFIG_GCOV_KERNEL is not set' 'CONFIG_RANDSTRUCT_NONE=y' \
      '# CONFIG_GCC_PLUGIN_RANDSTRUCT is not set' >"$out/allmod.config"
    "${kmake[@]}" KCONFIG_ALLCONFIG="$out/allmod.config" "$cfg" >"$out/kcorpus-config.log" 2>&1 ||
      { tail -20 "$out/kcorpus-config.log" >&2; die "$tree-$part: $cfg failed"; }
  else
    "${kmake[@]}" "$cfg" >"$out/kcorpus-config.log" 2>&1 ||
      { tail -20 "$out/kcorpus-config.log" >&2; die "$tree-$part: $cfg failed"; }
    case $part in
    ppc32) # E500_CPU means -mcpu=8540, which clang rejects ("unknown target CPU '8540'")
      "$src/scripts/config" --file "$out/.config" -d E500_CPU -e TOOLCHAIN_DEFAULT_CPU ;;
    pmac32) "$src/scripts/config" --file "$out/.config" -e SMP ;;
    esac
    "${kmake[@]}" olddefconfig >>"$out/kcorpus-config.log" 2>&1 ||
      { tail -20 "$out/kcorpus-config.log" >&2; die "$tree-$part: olddefconfig failed"; }
  fi
  # Only the top-most directories go to make: with both sound/soc/ and sound/soc/sh/ as goals,
  # 6.1's Kbuild builds sound/soc/sh/ twice at -j and one run deletes the other's
  # modules.order ("cat: sound/soc/sh/modules.order: No such file"). make DIR/ records
  # everything below DIR anyway; a directory the configuration does not build records
  # nothing ("Nothing to be done for 'DIR/'").
  local top_dirs=()
  mapfile -t top_dirs < <(printf '%s\n' ${want[@]+"${want[@]}"} |
    awk '{ d[NR] = $0 } END { for (i = 1; i <= NR; i++) { keep = 1
           for (j = 1; j <= NR; j++) if (i != j && index(d[i], d[j]) == 1 && d[i] != d[j]) keep = 0
           if (keep) print d[i] } }')
  nice -n 10 bash "$top/integration/kernel-compdb.sh" -s "$src" -O "$out" -a "$arch" \
    --llvm "$LLVM_SUFFIX" -c keep -j "$JOBS" ${top_dirs[@]+"${top_dirs[@]}"} >"$out/kcorpus-record.log" 2>&1 ||
    { tail -20 "$out/kcorpus-record.log" >&2; die "$tree-$part: kernel-compdb.sh failed (log $out/kcorpus-record.log)"; }
  { echo "$recipe"; printf '%s\n' ${want[@]+"${want[@]}"}; } >"$out/.kcorpus-recipe"
  timing "record $tree-$part" $((SECONDS - t0))
}

# resolve MODE PART: MODE want writes $RES/want.tsv (tree, part, directory: the nearest one
# with a Makefile or Kbuild file, which lists the file's object even when it is part of a
# composite object of a parent directory) for the unresolved lookups that may use PART;
# MODE resolve looks them up in PART's databases ($RES/dbs.tsv).
resolve() {
  python3 - "$1" "$2" "$RES" "$SRC61" "$SRC612" "$JOBS" <<'EOF'
import bisect, json, os, re, shlex, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
mode, part, res, src61, src612, jobs = sys.argv[1:7]
SRC = {'6.1': src61, '6.12': src612}
lf = os.path.join(res, 'lookups.json')
lookups = json.load(open(lf))
todo = [l for l in lookups.values() if l['part'] is None and part in l['cands']]

def makefile_dir(src, f):
    d = os.path.dirname(f)
    while d and not any(os.path.isfile(os.path.join(src, d, m)) for m in ('Makefile', 'Kbuild')):
        d = os.path.dirname(d)
    return d + '/'

if mode == 'want':
    with open(os.path.join(res, 'want.tsv'), 'w') as out:
        for t, d in sorted({(l['tree'], makefile_dir(SRC[l['tree']], l['file'])) for l in todo}):
            out.write('%s\t%s\t%s\n' % (t, part, d))
    print(len(todo))
    sys.exit(0)

def command_args(e):
    return list(e['arguments']) if 'arguments' in e else shlex.split(e['command'])

def defines(e, fn, lines=()):
    """Is fn defined in the file as its command preprocesses it, with every one of lines (of
    the file) within that definition? None: could not tell."""
    args, skip = [], False
    for a in command_args(e):
        if skip: skip = False; continue
        if a == '-o': skip = True; continue
        if a == '-c' or a.startswith('-Wp,-MMD') or a.startswith('-Wp,-MD'): continue
        args.append(a)
    r = subprocess.run(args + ['-E', '-o', '-'], cwd=e.get('directory') or '.',
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    # the main file's text only (its first line marker names it), each line with its line
    # number in the file
    marker = re.compile(r'^# (\d+) "(.*)"')
    main, cur, line, text, where = None, None, 0, [], []
    for l in r.stdout.split('\n'):
        m = marker.match(l)
        if m:
            line, cur = int(m.group(1)), m.group(2)
            if main is None: main = cur
            continue
        if cur == main:
            text.append(l)
            where.append(line)
        line += 1
    starts, n = [], 0
    for l in text:
        starts.append(n); n += len(l) + 1
    body = '\n'.join(text)
    def line_at(off):
        return where[max(0, bisect.bisect_right(starts, off) - 1)]
    for m in re.finditer(r'\b%s\s*\(' % re.escape(fn), body):
        depth, k = 1, m.end()
        while k < len(body) and depth:
            depth += {'(': 1, ')': -1}.get(body[k], 0); k += 1
        rest = body[k:k + 400]
        skipped = re.match(r'(\s|__attribute__\s*\(\(.*?\)\))*', rest, flags=re.S).end()
        if not rest[skipped:].startswith('{'):
            continue
        b, depth = k + skipped + 1, 1
        while b < len(body) and depth:
            depth += {'{': 1, '}': -1}.get(body[b], 0); b += 1
        first, last = line_at(m.start()), line_at(b - 1)
        if all(first <= x <= last for x in lines):
            return True
    return False

unrecorded = set()
for l in open(os.path.join(res, 'unrecorded.tsv')):
    t, p, d = l.rstrip('\n').split('\t')
    if p == part: unrecorded.add((t, d))
dbs = {}
for l in open(os.path.join(res, 'dbs.tsv')):
    tree, p, db, src = l.rstrip('\n').split('\t')
    if p == part: dbs[tree] = (db, src)
index = {}
for tree, (db, src) in dbs.items():
    # the database's own source tree: BUILD/source (an out-of-tree build), else --src
    root = os.path.realpath(os.path.join(os.path.dirname(db), 'source'))
    if not os.path.isfile(os.path.join(root, 'Makefile')):
        root = os.path.realpath(src)
    want = {l['file'] for l in todo if l['tree'] == tree}
    idx = {}
    for e in json.load(open(db)):
        r = os.path.relpath(os.path.normpath(os.path.join(e.get('directory', ''), e['file'])), root)
        if r in want and r not in idx: idx[r] = e
    index[tree] = idx
checks = []
for l in todo:
    if (l['tree'], makefile_dir(SRC[l['tree']], l['file'])) in unrecorded and (
            l['tree'] not in index or l['file'] not in index[l['tree']]):
        l['tried'].append({'part': part, 'result': 'not recorded'})
    elif l['tree'] not in index:
        l['tried'].append({'part': part, 'result': 'no database'})
    elif l['file'] not in index[l['tree']]:
        l['tried'].append({'part': part, 'result': 'file not built'})
    else:
        checks.append(l)
with ThreadPoolExecutor(int(jobs)) as ex:
    found = list(ex.map(lambda l: defines(index[l['tree']][l['file']], l['function'],
                                          l.get('lines', [])), checks))
n = 0
for l, d in zip(checks, found):
    if d is False:
        l['tried'].append({'part': part, 'result': 'function not defined'})
        continue
    if d is None:
        l['notes'].append('could not preprocess the file to see that %s() is compiled in' % l['function'])
    l['part'] = part
    n += 1
json.dump(lookups, open(lf, 'w'), indent=1)
print('%s: %d of %d lookups resolved (%d build the file)' % (part, n, len(todo), len(checks)))
EOF
}

TR=$SECONDS
: >"$RES/dbs.tsv"
: >"$RES/unrecorded.tsv" # --no-record: tree, part, directory not recorded
for part in "${PARTS[@]}"; do
  n=$(resolve want "$part")
  [ "$n" -gt 0 ] || continue
  for tree in 6.1 6.12; do
    grep -q "^$tree	" "$RES/want.tsv" || continue
    src=$SRC61; [ "$tree" = 6.12 ] && src=$SRC612
    db=$(db_override "$tree-$part")
    if [ -z "$db" ]; then
      record "$tree" "$part" "$src"
      db=$KCORPUS/$tree-$part/compile_commands.json
    else
      log "$tree-$part: using --db $db"
    fi
    [ -s "$db" ] && printf '%s\t%s\t%s\t%s\n' "$tree" "$part" "$db" "$src" >>"$RES/dbs.tsv"
  done
  msg=$(resolve resolve "$part") || die "$part: looking the files up failed"
  log "$msg"
done
# needs.tsv: tree part file, one line per file a database must hold
python3 - "$RES" <<'EOF'
import json, os, sys
res = sys.argv[1]
lookups = json.load(open(os.path.join(res, 'lookups.json')))
with open(os.path.join(res, 'needs.tsv'), 'w') as out:
    for t in sorted({(l['tree'], l['part'], l['file']) for l in lookups.values() if l['part']}):
        out.write('\t'.join(t) + '\n')
EOF
timing "databases" $((SECONDS - TR))

# ---------------------------------------------------------------------------
# 3. Filtered databases and krefcheck
KC=$RES/krefcheck.bin
cp "$KREFCHECK" "$KC.tmp" && mv "$KC.tmp" "$KC"
KC_VERSION="$("$KC" --version 2>&1 | head -n 1), checkout $(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
log "krefcheck: $KC_VERSION"
rm -f "$RES"/*.db.json "$RES"/*.kc.json "$RES"/*.kc.err
python3 - "$RES" <<'EOF'
import json, os, sys
res = sys.argv[1]
needs = {}
for l in open(os.path.join(res, 'needs.tsv')):
    t, p, f = l.rstrip('\n').split('\t')
    needs.setdefault((t, p), set()).add(f)
for l in open(os.path.join(res, 'dbs.tsv')):
    tree, part, db, src = l.rstrip('\n').split('\t')
    if (tree, part) not in needs:
        continue  # every file it was recorded for is analysed in another part
    # the database's own source tree: BUILD/source (an out-of-tree build), else --src
    root = os.path.realpath(os.path.join(os.path.dirname(db), 'source'))
    if not os.path.isfile(os.path.join(root, 'Makefile')):
        root = os.path.realpath(src)
    kept, seen = [], set()
    for e in json.load(open(db)):
        f = os.path.normpath(os.path.join(e.get('directory', ''), e['file']))
        r = os.path.relpath(f, root)
        if r in needs[(tree, part)] and r not in seen:
            seen.add(r); kept.append(e)
    out = os.path.join(res, '%s-%s.db.json' % (tree, part))
    json.dump(kept, open(out, 'w'), indent=1)
    with open(out + '.root', 'w') as f: f.write(root + '\n')
    print('%s-%s: %d of %d needed files in %s' % (tree, part, len(kept), len(needs[(tree, part)]), db))
EOF
TA=$SECONDS
for db in "$RES"/*.db.json; do
  [ -e "$db" ] || continue
  name=$(basename "$db" .db.json)
  [ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$db")" -gt 0 ] || continue
  t0=$SECONDS rc=0
  "$KC" --rules-dir "$top/rules" -p "$db" -j"$JOBS" --quiet --format json -o "$RES/$name.kc.json" \
    2>"$RES/$name.kc.err" || rc=$?
  [ $rc -le 1 ] || [ -s "$RES/$name.kc.json" ] ||
    die "krefcheck failed on $db (exit $rc): $(head -n 3 "$RES/$name.kc.err")"
  timing "krefcheck $name" $((SECONDS - t0))
done
timing "krefcheck, all parts" $((SECONDS - TA))

# ---------------------------------------------------------------------------
# 4. The tables
python3 - "$RES" "$OUTTXT" "$OUTJSON" "$KC_VERSION" "$JOBS" "${corpus[@]}" <<'EOF'
import json, os, re, shlex, subprocess, sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
res, outtxt, outjson, version, jobs = sys.argv[1:6]
inputs = sys.argv[6:]
plan = json.load(open(os.path.join(res, 'plan.json')))

parts = {}
def part(tree, p):
    """(entries by relative file, results by relative file) of a part; None if no database."""
    key = (tree, p)
    if key not in parts:
        dbf = os.path.join(res, '%s-%s.db.json' % key)
        if not os.path.exists(dbf):
            parts[key] = None
            return None
        root = open(dbf + '.root').read().strip()
        rel = lambda e: os.path.relpath(os.path.normpath(os.path.join(e.get('directory', ''), e['file'])), root)
        db = {rel(e): e for e in json.load(open(dbf))}
        kc = os.path.join(res, '%s-%s.kc.json' % key)
        results = {}
        if os.path.exists(kc):
            for f in json.load(open(kc))['files']:
                results[os.path.relpath(os.path.realpath(f['file']), os.path.realpath(root))] = f
        parts[key] = (db, results)
    return parts[key]

def status(tree, p, f, fn):
    """(analysed?, why not, findings in fn)"""
    if not f or not p:
        return False, '', []  # the notes say why
    pr = part(tree, p)
    if pr is None:
        return False, 'no %s-%s database' % (tree, p), []
    db, results = pr
    if f not in db:
        return False, '%s not in the %s-%s database' % (f, tree, p), []
    r = results.get(f)
    if r is None:
        return False, 'no krefcheck result for %s' % f, []
    if not r.get('ok', True) or r.get('error'):
        return False, 'krefcheck: ' + (r.get('error') or 'failed'), []
    return True, '', [x for x in r.get('findings', []) if x.get('function') == fn]

KIND = {c: ('krefcheck-leak', 'krefcheck-loop-leak') for c in 'abcd'}
KIND['e'] = ('krefcheck-double-put', 'krefcheck-put-unowned')
KIND['f'] = ('krefcheck-use-after-put',)
def matches(b, x):
    if x['rule'] not in KIND[b['class']]:
        return False
    if b['class'] in 'ef':
        return True
    return (x.get('acquire') or {}).get('line') == b['acquire_line'] or x.get('api') == b['api']

def fmt_rules(fs):
    if not fs:
        return '-'
    return ','.join('%s%s' % (r.replace('krefcheck-', ''), '' if n == 1 else 'x%d' % n)
                    for r, n in sorted(Counter(x['rule'] for x in fs).items()))

lookups = json.load(open(os.path.join(res, 'lookups.json')))
def why_not(l):
    """Why a lookup has no part: the candidates tried and what each gave."""
    if not l['cands']:
        return ''  # its note says why
    built = [t['part'] for t in l['tried'] if t['result'] == 'function not defined']
    nodb = [t['part'] for t in l['tried'] if t['result'] in ('no database', 'not recorded')]
    if built:
        return '%s() not defined in the file as the configurations that build it compile it (%s)' % (
            l['function'], ', '.join(built))
    s = '%s not built by any configuration tried (%s)' % (l['file'], ', '.join(
        t['part'] for t in l['tried'] if t['result'] == 'file not built') or '-')
    return s + ('; its directory not recorded (--no-record) in %s' % ', '.join(nodb) if nodb else '')
for b in plan:
    for k, kk, f in (('_main', 'key', b['file']), ('_612', 'key_612', b.get('file_612'))):
        if kk not in b:
            if k == '_main':
                b['_main'], b['part'], b['_na'] = (False, '', []), '-', 'file not in its tree'
            elif 'file_612' in b: b['_612'] = (False, '', [])  # not in 6.12: the notes say so
            continue
        l = lookups[b[kk]]
        pre = '6.12: ' if k == '_612' else ''
        b['notes'] += [pre + n for n in l['notes']]
        if l['part'] is None:
            b[k] = (False, why_not(l), [])
            na = ('arch/%s: clang does not build the kernel for it' % l['file'].split('/')[1]
                  if not l['cands'] else
                  'function not compiled in by the configurations that build the file'
                  if any(t['result'] == 'function not defined' for t in l['tried']) else
                  'its directory not recorded in some part (--no-record)'
                  if any(t['result'] in ('no database', 'not recorded') for t in l['tried']) else
                  'file not built by any configuration tried')
        else:
            b[k] = status(l['tree'], l['part'], l['file'], b['function'])
            na = 'no database or krefcheck failed on the file'
        if k == '_main': b['_na'] = na
        if k == '_main': b['part'] = l['part'] or '-'
        else: b['part_612'] = l['part'] or '-'

rows = []
for b in plan:
    ok, why, fs = b['_main']
    if b['negative']:
        st = ('FLAGGED' if fs else 'QUIET') if ok else 'n/a'
    elif not ok:
        st = 'n/a'
    elif any(matches(b, x) for x in fs):
        st = 'FOUND'
    elif fs:
        st = 'OTHER'
    else:
        st = 'MISSED'
    notes = list(b['notes'])
    if not ok and why: notes.append(why)
    r = {k: b[k] for k in ('id', 'set', 'split', 'class', 'tree', 'part', 'file', 'function',
                           'api', 'acquire_line', 'bad_line', 'capability')}
    r.update(status=st, rules=sorted(x['rule'] for x in fs),
             findings=[{'rule': x['rule'], 'line': (x.get('location') or {}).get('line'),
                        'acquire_line': (x.get('acquire') or {}).get('line'), 'api': x.get('api'),
                        'message': x.get('message')} for x in fs])
    if '_612' in b:
        ok2, why2, fs2 = b['_612']
        r['file_612'] = b['file_612']
        r['part_612'] = b.get('part_612', '-')
        r['status_612'] = ('FLAGGED' if fs2 else 'clean') if ok2 else 'n/a'
        r['rules_612'] = sorted(x['rule'] for x in fs2)
        if not ok2 and why2: notes.append('6.12: ' + why2)
    r['notes'] = notes
    if st == 'n/a': r['not_analysed'] = b['_na']
    rows.append(r)

pct = lambda a, n: '%5.1f%%' % (100.0 * a / n) if n else '    -'
def tally(rs):
    n = len(rs)
    an = [r for r in rs if r['status'] != 'n/a']
    fnd = sum(r['status'] == 'FOUND' for r in an)
    anyf = sum(r['status'] in ('FOUND', 'OTHER') for r in an)
    return {'entries': n, 'analysed': len(an), 'found': fnd, 'any_finding': anyf,
            'recall_found': fnd / len(an) if an else None,
            'recall_any': anyf / len(an) if an else None,
            'recall_found_of_all': fnd / n if n else None}
def ntally(rs):
    an = [r for r in rs if r['status'] != 'n/a']
    q = sum(r['status'] == 'QUIET' for r in an)
    return {'entries': len(rs), 'analysed': len(an), 'quiet': q, 'flagged': len(an) - q,
            'precision': q / len(an) if an else None}

pos = [r for r in rows if not r['set'].startswith('negatives')]
neg = [r for r in rows if r['set'].startswith('negatives')]
splits = ('dev', 'heldout')
by_split = {s: {c: tally([r for r in pos if r['split'] == s and r['class'] == c]) for c in 'abcdef'}
            for s in splits}
for s in splits:
    by_split[s]['all'] = tally([r for r in pos if r['split'] == s])
by_split['all'] = {c: tally([r for r in pos if r['class'] == c]) for c in 'abcdef'}
by_split['all']['all'] = tally(pos)
sets = sorted({r['set'] for r in pos})
by_set = {s: {sp: tally([r for r in pos if r['set'] == s and r['split'] == sp]) for sp in splits}
          for s in sets}
for s in sets: by_set[s]['all'] = tally([r for r in pos if r['set'] == s])
negs = {sp: ntally([r for r in neg if r['split'] == sp]) for sp in splits}
negs['all'] = ntally(neg)
still = [r['id'] for r in pos if r.get('status_612') == 'FLAGGED' and r['status'] in ('FOUND', 'OTHER')]
fixed_checked = [r for r in pos if r['tree'] == '6.1' and r['status'] in ('FOUND', 'OTHER') and r.get('status_612') != 'n/a']

L = []
wid = lambda key: max([len(key)] + [len(r[key]) for r in rows])
fmt = '%%-%ds %%-%ds %%-7s %%-2s %%-6s %%-%ds %%-7s %%-22s %%-7s %%s' % (
    wid('id'), wid('set'), max([20] + [len(r['file']) + len(r['function']) + 1 for r in rows]))
hdr = fmt % ('id', 'set', 'split', 'cl', 'part', 'file:function', 'status', 'rules', '6.12', 'rules (6.12); notes')
L += [hdr, '-' * len(hdr)]
for r in rows:
    notes = []
    if r.get('rules_612'): notes.append(fmt_rules([{'rule': x} for x in r['rules_612']]))
    notes += r['notes']
    L.append(fmt % (r['id'], r['set'], r['split'], r['class'], r['part'],
                    '%s:%s' % (r['file'], r['function']), r['status'],
                    fmt_rules([{'rule': x} for x in r['rules']]), r.get('status_612', ''),
                    '; '.join(notes)))
L += ['', 'FOUND: a finding of the bug\'s kind (leak/loop-leak with its acquire line or API for a-d,',
      'double-put/put-unowned for e, use-after-put for f) in the function; OTHER: findings there,',
      'none matching; n/a: not analysed (see notes). 6.12: the same function in 6.12.118 (FLAGGED:',
      'still reported there). Look-alikes: QUIET or FLAGGED (any finding in the function).', '']
W = max([22] + [len(s) + 8 for s in sets])
def trow(label, t):
    return ('%-' + str(W) + 's %4d %8d %6d %5d   %s   %s   %s') % (
        label, t['entries'], t['analysed'], t['found'], t['any_finding'],
        pct(t['found'], t['analysed']), pct(t['any_finding'], t['analysed']),
        pct(t['found'], t['entries']))
th = ('%-' + str(W) + 's %4s %8s %6s %5s   %6s   %6s   %6s') % ('', 'n', 'analysed', 'found', 'any',
                                                 'recall', 'any', 'of all')
L += ['Recall on the bugs (recall = FOUND/analysed; any = FOUND+OTHER/analysed; of all = FOUND/n)', th]
for s in splits + ('all',):
    for c in 'abcdef':
        if by_split[s][c]['entries']:
            L.append(trow('%s class %s' % (s, c), by_split[s][c]))
    L.append(trow('%s all classes' % s, by_split[s]['all']))
    L.append('')
L += ['Per corpus file', th]
for s in sets:
    for sp in splits + ('all',):
        L.append(trow('%s %s' % (s, sp), by_set[s][sp]))
L += ['', 'Precision on the look-alikes (QUIET of analysed)',
      ('%-' + str(W) + 's %4s %8s %6s %7s   %s') % ('', 'n', 'analysed', 'quiet', 'flagged', 'precision')]
for sp in splits + ('all',):
    t = negs[sp]
    L.append(('%-' + str(W) + 's %4d %8d %6d %7d   %s') % ('look-alikes ' + sp, t['entries'], t['analysed'],
                                            t['quiet'], t['flagged'], pct(t['quiet'], t['analysed'])))
reasons = sorted({r['not_analysed'] for r in rows if r['status'] == 'n/a'})
na_by_reason = {why: {g: sum(1 for r in rs if r.get('not_analysed') == why)
                      for g, rs in (('dev', [r for r in pos if r['split'] == 'dev']),
                                    ('heldout', [r for r in pos if r['split'] == 'heldout']),
                                    ('look-alikes', neg))} for why in reasons}
L += ['', 'Not analysed, by reason', '%-70s %5s %8s %12s' % ('', 'dev', 'heldout', 'look-alikes')]
for why in reasons:
    t = na_by_reason[why]
    L.append('%-70s %5d %8d %12d' % (why, t['dev'], t['heldout'], t['look-alikes']))
parts_used = Counter(r['part'] for r in rows if r['status'] != 'n/a')
L += ['', 'Analysed entries per part: %s' % (', '.join('%s %d' % kv for kv in sorted(parts_used.items())) or '-')]
L += ['', '6.1 bugs flagged on 6.1 and still flagged in 6.12: %d of %d (%s)' % (
    len(still), len(fixed_checked), ' '.join(still) or '-'),
      'not analysed: %s' % (' '.join(r['id'] for r in rows if r['status'] == 'n/a') or '-'),
      'missed: %s' % (' '.join(r['id'] for r in rows if r['status'] == 'MISSED') or '-'),
      'other findings only: %s' % (' '.join(r['id'] for r in rows if r['status'] == 'OTHER') or '-'),
      'flagged look-alikes: %s' % (' '.join(r['id'] for r in rows if r['status'] == 'FLAGGED') or '-')]
text = '\n'.join(L) + '\n'
names = ', '.join(os.path.basename(i) for i in inputs)
head = ('# krefcheck on the evaluation corpus (%s), written by integration/corpus/recall.sh\n'
        '# krefcheck: %s\n' % (names, version))
sys.stdout.write(text)
open(outtxt, 'w').write(head + text)
json.dump({'krefcheck': version, 'inputs': [os.path.basename(i) for i in inputs],
           'entries': rows, 'recall_by_split': by_split, 'recall_by_set': by_set,
           'lookalikes': negs, 'not_analysed_by_reason': na_by_reason, 'still_flagged_612': still}, open(outjson, 'w'), indent=1)
EOF
echo
log "table: $OUTTXT; JSON: $OUTJSON; raw results: $RES/<tree>-<part>.kc.{json,err}"
timing "total" $((SECONDS - T0))
