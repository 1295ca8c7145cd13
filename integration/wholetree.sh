#!/usr/bin/env bash
# wholetree.sh - krefcheck over a whole kernel compile database (or a deterministic slice of
# it), cold and with a reused --summaries store, side by side with clang -fsyntax-only on the
# same files and Coccinelle's kernel refcount scripts on the same source tree. Prints figures;
# it is not a test and never fails on a figure.
#
#   integration/wholetree.sh --db DB [--work DIR] [-j J] [--every K] [--nice N]
#                            [--dirs D1,D2,...] [--clang parsed|all|none] [--no-cocci] [--no-warm]
#
#   --db DB      a compile_commands.json (or its directory) of a kernel tree, e.g. the one
#                integration/kernel-compdb.sh records without building
#   --work DIR   where everything is written (default: ./wholetree-work); emptied first
#   -j J         parallel jobs of every tool (default 2)
#   --every K    a slice: only the entries whose index in DB is a multiple of K (database
#                order; default 1 = every entry), written to DIR/db/compile_commands.json
#   --dirs LIST  then only the entries under these source directories (comma-separated,
#                relative to the source tree, e.g. drivers/irqchip,drivers/bus)
#   --nice N     run every tool under nice -n N (default 10)
#   --clang WHAT clang -fsyntax-only on the files krefcheck parsed (default: the ones its
#                prefilter let through, listed by the cold run), on all entries, or not at all
#   --no-cocci   no Coccinelle run
#   --no-warm    no second run with the store
#   --report-only  run nothing: print the figures of the runs already in DIR
#
# Runs, one after the other:
#   cold   KREFCHECK_TRACE_ROUNDS=1 krefcheck -p DB -jJ --format json --summaries DIR/store
#          -o DIR/cold.json   (the store is removed first)
#   warm   the same command again, reusing DIR/store            -> DIR/warm.json
#   clang  every chosen entry's own command, from its directory, compiler replaced by $CLANG,
#          -c/-o/-MD/-MMD/-MF/-MT removed, -fsyntax-only added, J at a time (xargs -P J)
#   cocci  spatch -D report with iterators/for_each_child.cocci, free/put_device.cocci and
#          iterators/device_node_continue.cocci on the whole source tree, with the options
#          `make coccicheck MODE=report` uses (--dir SRCTREE, the script's Options line,
#          LINUXINCLUDE as -I, --jobs J --chunksize 1)
# Each run is under /usr/bin/time -v (wall, user, sys, maximum resident set size: the largest
# single process of the tree, i.e. the largest krefcheck worker). krefcheck's per-file seconds
# come from its JSON output. Failures: every file krefcheck could not analyse is one
# "krefcheck: error: FILE: reason" line (listed in DIR/failures.txt); the script checks that
# their number equals the JSON's ok=false count, so none is lost.
#
# Environment: KREFCHECK (default build/krefcheck), CLANG (default clang-19), SPATCH
# (default spatch).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
KREFCHECK=${KREFCHECK:-$top/build/krefcheck}
CLANG=${CLANG:-clang-19}
SPATCH=${SPATCH:-spatch}
DB='' WORKDIR=./wholetree-work J=2 EVERY=1 NICE=10 CLANGSET=parsed COCCI=1 WARM=1 REPORT=0 DIRS=''
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
die() { echo "wholetree.sh: error: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --db) DB=${2:-}; shift 2 || die "--db needs a value" ;;
    --work) WORKDIR=${2:-}; shift 2 || die "--work needs a value" ;;
    -j) J=${2:-}; shift 2 || die "-j needs a value" ;;
    --every) EVERY=${2:-}; shift 2 || die "--every needs a value" ;;
    --nice) NICE=${2:-}; shift 2 || die "--nice needs a value" ;;
    --dirs) DIRS=${2:-}; shift 2 || die "--dirs needs a value" ;;
    --clang) CLANGSET=${2:-}; shift 2 || die "--clang needs a value" ;;
    --no-cocci) COCCI=0; shift ;;
    --no-warm) WARM=0; shift ;;
    --report-only) REPORT=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
[ $REPORT = 1 ] || [ -n "$DB" ] || { usage >&2; die "--db is required"; }
if [ $REPORT = 0 ]; then
[ -d "$DB" ] && DB=$DB/compile_commands.json
[ -f "$DB" ] || die "$DB: no compile database there"
case $J in ''|*[!0-9]*|0) die "-j needs a positive number, not '$J'" ;; esac
case $EVERY in ''|*[!0-9]*|0) die "--every needs a positive number, not '$EVERY'" ;; esac
case $NICE in ''|*[!0-9-]*) die "--nice needs a number, not '$NICE'" ;; esac
case $CLANGSET in parsed|all|none) ;; *) die "--clang must be parsed, all or none, not '$CLANGSET'" ;; esac
[ -x "$KREFCHECK" ] || die "$KREFCHECK: no krefcheck binary (set KREFCHECK)"
[ -x /usr/bin/time ] || die "/usr/bin/time: GNU time is needed (apt-get install time)"
[ "$CLANGSET" = none ] || command -v "$CLANG" >/dev/null || die "$CLANG: not found (set CLANG)"
if [ $COCCI = 1 ] && ! command -v "$SPATCH" >/dev/null; then
  die "$SPATCH: not found (apt-get install coccinelle, or --no-cocci)"
fi
fi

mkdir -p "$WORKDIR"
W=$(readlink -f "$WORKDIR")
stat0=- stat1=- t0=0 t1=0 load0=- load1=-
if [ $REPORT = 1 ]; then
  [ -f "$W/env" ] || die "$W: no earlier run there (no env file)"
  # shellcheck disable=SC1091
  . "$W/env"
else
DB=$(readlink -f "$DB")
rm -rf "$W/store" "$W/db" "$W"/*.json "$W"/*.err "$W"/*.time "$W"/*.out "$W/clang.jobs"
mkdir -p "$W/db"

# The database to run (a slice when --every K > 1), the source tree, the clang jobs.
python3 - "$DB" "$EVERY" "$W" "$DIRS" <<'EOF' || exit 2
import json, os, re, shlex, sys
db, every, w = sys.argv[1], int(sys.argv[2]), sys.argv[3]
dirs = tuple(d.strip('/') + '/' for d in sys.argv[4].split(',') if d.strip('/'))
try:
    entries = json.load(open(db))
except (OSError, ValueError) as e:
    sys.exit('wholetree.sh: error: %s: not a readable compile database: %s' % (db, e))
if not isinstance(entries, list) or not entries:
    sys.exit('wholetree.sh: error: %s: no entries' % db)
sl = [e for i, e in enumerate(entries) if i % every == 0]
json.dump(sl, open(os.path.join(w, 'db', 'compile_commands.json'), 'w'), indent=1)
src = None
for e in sl:
    argv = e.get('arguments') or shlex.split(e['command'])
    for a in argv:
        m = re.fullmatch(r'-I(/.+)/arch/([a-z0-9_]+)/include', a)
        if m and src is None:
            src, arch, build = m.group(1), m.group(2), e['directory']
if src is None:
    sys.exit('wholetree.sh: error: %s: no -I<srctree>/arch/<arch>/include; not a kernel database?' % db)
if dirs:
    sl = [e for e in sl if os.path.relpath(os.path.normpath(os.path.join(e['directory'], e['file'])),
                                           src).startswith(dirs)]
    if not sl:
        sys.exit('wholetree.sh: error: %s: no entry under %s' % (db, ', '.join(dirs)))
    json.dump(sl, open(os.path.join(w, 'db', 'compile_commands.json'), 'w'), indent=1)
jobs = {}
for e in sl:
    argv = e.get('arguments') or shlex.split(e['command'])
    cmd, skip = [os.environ.get('CLANG', 'clang-19')], False
    for a in argv[1:]:
        if skip: skip = False; continue
        if a in ('-o', '-MF', '-MT', '-MQ'): skip = True; continue
        if a in ('-c', '-MD', '-MMD') or a.startswith(('-Wp,-MD', '-Wp,-MMD')): continue
        cmd.append(a)
    cmd.append('-fsyntax-only')
    f = os.path.normpath(os.path.join(e['directory'], e['file']))
    jobs[f] = 'cd %s && exec %s' % (shlex.quote(e['directory']), ' '.join(map(shlex.quote, cmd)))
json.dump(jobs, open(os.path.join(w, 'clang-jobs.json'), 'w'))
inc = []
for p in ('%s/arch/%s/include' % (src, arch), '%s/arch/%s/include/generated' % (build, arch),
          '%s/include' % src, '%s/include' % build, '%s/arch/%s/include/uapi' % (src, arch),
          '%s/arch/%s/include/generated/uapi' % (build, arch), '%s/include/uapi' % src,
          '%s/include/generated/uapi' % build):
    inc += ['-I', p]
for p in ('include/linux/compiler-version.h', 'include/linux/kconfig.h'):
    inc += ['--include', '%s/%s' % (src, p)]
with open(os.path.join(w, 'env'), 'w') as fh:
    fh.write('SRCTREE=%s\nENTRIES=%d\nALL=%d\n' % (shlex.quote(src), len(sl), len(entries)))
    fh.write('INC=(%s)\n' % ' '.join(map(shlex.quote, inc)))
EOF
# shellcheck disable=SC1091
. "$W/env"
RUNDB=$W/db/compile_commands.json
echo "wholetree.sh: $ENTRIES of the $ALL entries of $DB (every $EVERY), source tree $SRCTREE" >&2

stat0=$(head -n 1 /proc/stat)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s.%N)
# The 1-minute load average, every 30 s, while the runs go on.
( while :; do echo "$(date +%T) $(cut -d' ' -f1 /proc/loadavg)"; sleep 30; done ) >"$W/load.log" &
loadpid=$!
trap 'kill $loadpid 2>/dev/null || true' EXIT

timed() {  # NAME CMD...: /usr/bin/time -v, stdout to NAME.out, stderr to NAME.err
  local name=$1; shift
  local rc=0
  /usr/bin/time -v -o "$W/$name.time" nice -n "$NICE" "$@" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
  echo "$rc" >"$W/$name.rc"
}

krun() {  # NAME
  echo "wholetree.sh: krefcheck $1 ($(date +%T))" >&2
  (cd "$(dirname "$RUNDB")" && KREFCHECK_TRACE_ROUNDS=1 timed "$1" "$KREFCHECK" -p "$RUNDB" -j"$J" \
     --format json --summaries "$W/store" -o "$W/$1.json")
  case $(cat "$W/$1.rc") in 0|1) ;; *) echo "wholetree.sh: krefcheck $1 exited $(cat "$W/$1.rc"): $(grep -v '^ ' "$W/$1.err" | tail -n 1)" >&2 ;; esac
}
krun cold
[ $WARM = 0 ] || krun warm

if [ "$CLANGSET" != none ]; then
  echo "wholetree.sh: clang -fsyntax-only ($(date +%T))" >&2
  python3 - "$W" "$CLANGSET" <<'EOF' || exit 2
import json, os, sys
w, which = sys.argv[1], sys.argv[2]
jobs = json.load(open(os.path.join(w, 'clang-jobs.json')))
if which == 'parsed':
    # round 1 of the cold run lists every file the prefilter let through
    files, in1 = [], False
    for line in open(os.path.join(w, 'cold.err')):
        if line.startswith('round '):
            in1 = line.startswith('round 1:')
        elif in1 and line.startswith('  '):
            files.append(line.strip())
    if not files:
        sys.exit('wholetree.sh: error: %s/cold.err: no round-1 file list; cannot tell what was parsed' % w)
else:
    files = list(jobs)
miss = [f for f in files if f not in jobs]
if miss:
    sys.exit('wholetree.sh: error: %s: not in the database' % miss[0])
open(os.path.join(w, 'clang.jobs'), 'w').write('\0'.join(jobs[f] for f in files) + '\0')
EOF
  timed clang xargs -0 -n 1 -P "$J" sh -c <"$W/clang.jobs"
fi

if [ $COCCI = 1 ]; then
  echo "wholetree.sh: coccinelle ($(date +%T))" >&2
  cat >"$W/cocci.sh" <<'EOF'
set -u
env=$1 J=$2 SPATCH=$3
. "$env"
cd "$SRCTREE"
rc=0
for s in iterators/for_each_child.cocci free/put_device.cocci iterators/device_node_continue.cocci; do
  cocci=$SRCTREE/scripts/coccinelle/$s
  opt=$(grep "Options:" "$cocci" | cut -d: -f2)
  jobs=(); [ "$J" -gt 1 ] && jobs=(--jobs "$J" --chunksize 1)
  # shellcheck disable=SC2086
  "$SPATCH" -D report --no-show-diff --very-quiet --cocci-file "$cocci" $opt \
    --dir "$SRCTREE" "${INC[@]}" "${jobs[@]}" || rc=1
done
exit $rc
EOF
  timed cocci bash "$W/cocci.sh" "$W/env" "$J" "$SPATCH"
fi

t1=$(date +%s.%N)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
stat1=$(head -n 1 /proc/stat)
kill $loadpid 2>/dev/null || true

fi

python3 - "$W" "$SRCTREE" "$EVERY" "$stat0" "$stat1" "$t0" "$t1" "$(getconf CLK_TCK)" "$(nproc)" <<'EOF'
import json, os, re, statistics, sys
w, src, every = sys.argv[1], sys.argv[2], int(sys.argv[3])
have_stat = sys.argv[4] != '-'
s0, s1 = ([int(x) for x in s.split()[1:]] if have_stat else [] for s in sys.argv[4:6])
span, hz, ncpu = float(sys.argv[7]) - float(sys.argv[6]), int(sys.argv[8]), int(sys.argv[9])

def gtime(name):
    p = os.path.join(w, name + '.time')
    if not os.path.exists(p): return None
    t = {}
    for line in open(p):
        k, _, v = line.strip().rpartition(': ')
        t[k] = v
    if 'Elapsed (wall clock) time (h:mm:ss or m:ss)' not in t: return None  # still running
    h = t['Elapsed (wall clock) time (h:mm:ss or m:ss)'].split(':')
    wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(h)))
    return dict(wall=wall, user=float(t['User time (seconds)']), sys=float(t['System time (seconds)']),
                rss=int(t['Maximum resident set size (kbytes)']) / 1024)

def kstats(name):
    j = json.load(open(os.path.join(w, name + '.json')))['files']
    err = open(os.path.join(w, name + '.err')).read().splitlines()
    rounds = [(int(m.group(1)), int(m.group(2))) for m in
              (re.match(r'round (\d+): (\d+) files', l) for l in err) if m]
    summ = [l for l in err if l.startswith('krefcheck: whole-program summaries:')]
    fails = [l for l in err if l.startswith('krefcheck: error: ') and 'could not be analysed' not in l]
    nf = sum(len(r['findings']) for r in j)
    secs = sorted(r['seconds'] for r in j if not r['skipped'])
    return dict(files=len(j), skipped=sum(r['skipped'] for r in j), failed=sum(not r['ok'] for r in j),
                analysed=sum(r['ok'] and not r['skipped'] for r in j), findings=nf, rounds=rounds,
                summary=summ[0] if summ else '', fails=fails, secs=secs,
                parsed=rounds[0][1] if rounds and name == 'cold' else None)

rows = []
base = gtime('clang')
nclang = open(os.path.join(w, 'clang.jobs')).read().count('\0') if base else 0
print('\n| run | files | wall s | CPU s (user+sys) | CPU/file s | ratio CPU to clang | peak RSS MB (largest process) | findings / reports |')
print('|---|---|---|---|---|---|---|---|')
ks = {}
for name in ('cold', 'warm'):
    t = gtime(name)
    if not t: continue
    k = ks[name] = kstats(name)
    cpu = t['user'] + t['sys']
    ratio = '%.2fx' % (cpu / (base['user'] + base['sys'])) if base else 'n/a'
    # cold: the files the prefilter let through (round 1); warm: the files analysed again
    n = k['parsed'] if k['parsed'] is not None else k['analysed'] + k['failed']
    print('| krefcheck %s | %d (%d %s) | %.0f | %.0f | %.2f | %s | %.0f | %d |' % (
        name, k['files'], n, 'parsed' if name == 'cold' else 'analysed', t['wall'], cpu,
        cpu / max(1, n), ratio, t['rss'], k['findings']))
if base:
    cpu = base['user'] + base['sys']
    print('| clang -fsyntax-only | %d | %.0f | %.0f | %.2f | 1.00x | %.0f | n/a |' % (
        nclang, base['wall'], cpu, cpu / max(1, nclang), base['rss']))
c = gtime('cocci')
if c:
    out = open(os.path.join(w, 'cocci.out')).read().splitlines()
    rep = [l for l in out if re.match(r'^[^ ]+:[0-9]+:[0-9]+-[0-9]+: ', l)]
    print('| coccinelle (3 scripts, whole source tree) | %s | %.0f | %.0f | | | %.0f | %d |' % (
        'tree', c['wall'], c['user'] + c['sys'], c['rss'], len(rep)))
for name, k in ks.items():
    print('\nkrefcheck %s: %s' % (name, k['summary']))
    print('  %d files: %d analysed, %d skipped (prefilter or nothing to analyse), %d failed; %d findings'
          % (k['files'], k['analysed'], k['skipped'], k['failed'], k['findings']))
    print('  rounds (files re-parsed per round): %s' % ', '.join('%d' % n for _, n in k['rounds']))
    if k['secs']:
        s = k['secs']
        print('  per analysed file, worker wall seconds: median %.2f, 90%% %.2f, max %.2f' % (
            statistics.median(s), s[int(0.9 * (len(s) - 1))], s[-1]))
    if len(k['fails']) != k['failed']:
        print('  MISMATCH: %d failure lines on stderr, %d files with ok=false in the JSON' % (len(k['fails']), k['failed']))
    with open(os.path.join(w, 'failures-%s.txt' % name), 'w') as fh:
        for l in k['fails']: fh.write(l + '\n')
    for l in k['fails']:
        print('  ' + l)
# Findings outside the directories already triaged (the ones integration/triage/*.txt cover:
# arm64-wide, pseries-nx-of, unittest, gpio-i2c-spi-mfd, soc-phy-regulator-pci).
TRIAGED = ('drivers/of/', 'drivers/base/', 'drivers/pinctrl/', 'drivers/soc/',
           'arch/powerpc/platforms/pseries/', 'drivers/crypto/nx/', 'drivers/gpio/', 'drivers/i2c/',
           'drivers/spi/', 'drivers/mfd/', 'sound/soc/', 'drivers/phy/', 'drivers/regulator/',
           'drivers/pci/')
if 'cold' in ks:
    fs = []
    for r in json.load(open(os.path.join(w, 'cold.json')))['files']:
        for f in r['findings']:
            rel = os.path.relpath(f['location']['file'], src)
            fs.append((rel, f['location']['line'], f['location']['column'], f['rule'], f['function'], f['message']))
    fs.sort()
    out = [f for f in fs if not f[0].startswith(TRIAGED)]
    with open(os.path.join(w, 'findings-untriaged.txt'), 'w') as fh:
        for f in out: fh.write('%s:%d:%d %s %s | %s\n' % f)
    bydir = {}
    for f in fs:
        d = '/'.join(f[0].split('/')[:2])
        bydir[d] = bydir.get(d, 0) + 1
    print('\ncold findings: %d, %d outside the triaged directories (%s/findings-untriaged.txt); by directory: %s'
          % (len(fs), len(out), w, ', '.join('%s %d' % kv for kv in sorted(bydir.items(), key=lambda kv: -kv[1]))))
busy = lambda s: s[0] + s[1] + s[2] + s[5] + s[6] + s[7]
ours = sum(t['user'] + t['sys'] for t in (gtime(n) for n in ('cold', 'warm', 'clang', 'cocci')) if t)
other = max(0.0, (busy(s1) - busy(s0)) / hz - ours) if have_stat else 0
if have_stat: print('\nCPU time of other processes during the %.0f s of measurements: %.0f s, %.0f%% of the %d cores'
      ' (the measured tools used %.0f s)' % (span, other, 100 * other / (span * ncpu), ncpu, ours))
EOF
[ $REPORT = 1 ] || echo "load average (1/5/15 min) at start: $load0, at end: $load1; 1-minute load every 30 s: $W/load.log"
echo "krefcheck: $KREFCHECK ($("$KREFCHECK" --version 2>&1 | head -n 1)); $("$CLANG" --version | head -n 1);" \
  "$( [ $COCCI = 1 ] && "$SPATCH" --version 2>/dev/null | head -n 1 || echo "Coccinelle not run")"
