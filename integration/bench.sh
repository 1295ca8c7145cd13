#!/usr/bin/env bash
# bench.sh - krefcheck against the parse limit (clang -fsyntax-only) and Coccinelle, side by
# side on the same compile database(s). Prints figures; it is not a test and never fails on
# a figure.
#
#   integration/bench.sh [--work DIR] [-n N] [-j J] [--no-cocci] [--per-file] [PART|DB]...
#
#   PART   a part of build-kernel-db.sh (arm64, ppc64le, ppc64): $WORK/PART/compile_commands.json
#          (built with build-kernel-db.sh if it is missing)
#   DB     a compile_commands.json (or its directory) of a clang kernel build
#   default: arm64 ppc64le
#   -n N   repetitions (default 3); every figure is the median of N, peak RSS the maximum
#   -j J   parallel jobs for every tool (default 2)
#   --per-file  instead: one file at a time, the CPU seconds of krefcheck (-j1, one worker) and
#          of clang -fsyntax-only for every entry, most expensive first (where the time goes)
#
# Per repetition and database, in this order:
#   krefcheck   $KREFCHECK -p DB -jJ --quiet          (all entries; the prefilter is on)
#   krefcheck --no-prefilter                          (same, every file parsed; only if the
#                                                      binary has the option)
#   clang -fsyntax-only   every entry's own command, run from its directory, compiler replaced
#               by $CLANG, -c/-o X/-Wp,-MMD,X/-MD/-MMD/-MF X/-MT X removed, -fsyntax-only added;
#               J at a time with xargs -P J                       (the parse limit)
#   coccinelle  spatch with the kernel's for_each_child.cocci, put_device.cocci and
#               device_node_continue.cocci, in report mode, on every source directory of the
#               database (the smallest set of directories holding its files), with the
#               options `make coccicheck MODE=report` uses (see BENCHMARKS.md), --jobs J
#
# Wall time, CPU time (user+sys, the timed process and all its children) and peak RSS come
# from GNU time (/usr/bin/time -f '%e %U %S %M') around each tool.
# %M is the ru_maxrss that wait4() returns for the timed process; on Linux that is the
# largest peak RSS of any single process among it and all its waited-for descendants (a
# child's maxrss is folded into its parent's "cmaxrss" when the parent reaps it). krefcheck
# forks one worker per file and reaps every one, so %M is the peak RSS of the largest
# worker (or of the parent, if that were larger) - not a sum over workers. Likewise for
# clang it is the largest single clang process, for Coccinelle the largest spatch process.
#
# Environment: WORK (default /work/kbuild), KREFCHECK (default build/krefcheck),
# CLANG (default clang-19), SPATCH (default spatch), SKIP_APT=1 (do not install coccinelle),
# KEEP=DIR (keep every tool's output of every run in DIR).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
WORK=${WORK:-/work/kbuild}
KREFCHECK=${KREFCHECK:-$top/build/krefcheck}
CLANG=${CLANG:-clang-19}
SPATCH=${SPATCH:-spatch}
N=3
J=2
COCCI=1
PERFILE=0
args=()
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --work) WORK=$2; shift 2 ;;
    -n) N=$2; shift 2 ;;
    -j) J=$2; shift 2 ;;
    --no-cocci) COCCI=0; shift ;;
    --per-file) PERFILE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#args[@]} -gt 0 ] || args=(arm64 ppc64le)
case $N in ''|*[!0-9]*|0) echo "bench.sh: -n needs a positive number" >&2; exit 2 ;; esac
case $J in ''|*[!0-9]*|0) echo "bench.sh: -j needs a positive number" >&2; exit 2 ;; esac

TIME=/usr/bin/time
if [ ! -x $TIME ] || [ ! -x "$(command -v "$CLANG")" ]; then
  [ "${SKIP_APT:-0}" = 1 ] || { apt-get update -qq && apt-get install -y -qq time clang-19; } >/dev/null
fi
[ -x "$KREFCHECK" ] || bash "$top/scripts/bootstrap.sh"
if [ $COCCI = 1 ] && ! command -v "$SPATCH" >/dev/null; then
  if [ "${SKIP_APT:-0}" != 1 ]; then
    echo "bench.sh: installing coccinelle" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq coccinelle; } >/dev/null
  fi
  command -v "$SPATCH" >/dev/null || { echo "bench.sh: no $SPATCH; Coccinelle not measured" >&2; COCCI=0; }
fi
NOPRE=0
"$KREFCHECK" --help 2>&1 | grep -q -- '--no-prefilter' && NOPRE=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -z "${KEEP:-}" ] || mkdir -p "$KEEP"

# Resolve the databases and prepare, per database: the clang job list and the Coccinelle
# directories and include options.
dbs=()
names=()
for a in "${args[@]}"; do
  case $a in
    arm64|ppc64le|ppc64)
      db=$WORK/$a/compile_commands.json
      [ -f "$db" ] || WORK=$WORK bash "$here/build-kernel-db.sh" "$a" >&2
      name=$a ;;
    *)
      db=$a; [ -d "$db" ] && db=$db/compile_commands.json
      [ -f "$db" ] || { echo "bench.sh: no compile database at $a" >&2; exit 2; }
      name=$(basename "$(dirname "$(readlink -f "$db")")") ;;
  esac
  i=${#dbs[@]}
  dbs+=("$(readlink -f "$db")")
  names+=("$name")
  python3 - "$db" "$CLANG" "$tmp/$i" <<'EOF'
import json, os, re, shlex, sys
db, clang, out = sys.argv[1], sys.argv[2], sys.argv[3]
entries = json.load(open(db))
if not entries:
    sys.exit(f"bench.sh: {db} has no entries")
jobs, srcs, arch, build = [], set(), None, None
for e in entries:
    argv = e.get('arguments') or shlex.split(e['command'])
    if 'clang' not in os.path.basename(argv[0]):
        sys.exit(f"bench.sh: {db}: '{argv[0]}' is not clang; only clang databases can be "
                 "compared with clang -fsyntax-only")
    cmd, skip = [clang], False
    for a in argv[1:]:
        if skip: skip = False; continue
        if a in ('-o', '-MF', '-MT', '-MQ'): skip = True; continue
        if a in ('-c', '-MD', '-MMD') or a.startswith(('-Wp,-MD', '-Wp,-MMD')): continue
        cmd.append(a)
    cmd.append('-fsyntax-only')
    d = e['directory']
    jobs.append('cd %s && exec %s' % (shlex.quote(d), ' '.join(map(shlex.quote, cmd))))
    f = os.path.normpath(os.path.join(d, e['file']))
    for a in argv:
        m = re.fullmatch(r'-I(.+)/arch/([a-z0-9_]+)/include', a)
        if m and not m.group(1).startswith('./') and arch is None:
            srctree = os.path.normpath(os.path.join(d, m.group(1)))
            arch, build = m.group(2), d
    srcs.add(f)
if arch is None:
    sys.exit(f"bench.sh: {db}: cannot find -I<srctree>/arch/<arch>/include; not a kernel build?")
with open(out + '.jobs', 'w') as fh:
    fh.write('\0'.join(jobs) + '\0')
# The smallest set of directories (relative to the source tree) holding every file.
dirs = sorted({os.path.relpath(os.path.dirname(f), srctree) for f in srcs})
dirs = [x for x in dirs if not any(x.startswith(y + '/') for y in dirs if y != x)]
ncfiles = sum(1 for x in dirs for _, _, fs in os.walk(os.path.join(srctree, x))
              for n in fs if n.endswith('.c'))
# LINUXINCLUDE of the kernel's Makefile, as scripts/coccicheck turns it into spatch options.
inc = []
for p in ('%s/arch/%s/include' % (srctree, arch), '%s/arch/%s/include/generated' % (build, arch),
          '%s/include' % srctree, '%s/include' % build,
          '%s/arch/%s/include/uapi' % (srctree, arch),
          '%s/arch/%s/include/generated/uapi' % (build, arch),
          '%s/include/uapi' % srctree, '%s/include/generated/uapi' % build):
    inc += ['-I', p]
for p in ('include/linux/compiler-version.h', 'include/linux/kconfig.h'):
    inc += ['--include', '%s/%s' % (srctree, p)]
with open(out + '.env', 'w') as fh:
    fh.write('SRCTREE=%s\nENTRIES=%d\nCFILES=%d\n' % (shlex.quote(srctree), len(entries), ncfiles))
    fh.write('DIRS=(%s)\n' % ' '.join(map(shlex.quote, dirs)))
    fh.write('INC=(%s)\n' % ' '.join(map(shlex.quote, inc)))
EOF
done

if [ $PERFILE = 1 ]; then
  for i in "${!dbs[@]}"; do
    echo; echo "${names[$i]}: CPU seconds (user+sys) per file, one run, one file at a time"
    python3 - "${dbs[$i]}" "$tmp/$i.jobs" "$KREFCHECK" "$top/rules" <<'EOF'
import json, os, resource, subprocess, sys
db, jobs, krefcheck, rules = sys.argv[1:5]
entries = json.load(open(db))
cmds = open(jobs).read().split('\0')
def cpu(argv):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
rows = []
for e, c in zip(entries, cmds):
    f = os.path.normpath(os.path.join(e['directory'], e['file']))
    k = cpu([krefcheck, '-p', db, '-j1', '--quiet', '--rules-dir', rules, f])
    rows.append((os.path.basename(f), k, cpu(['sh', '-c', c])))
rows.sort(key=lambda r: -r[1])
print('| %-24s | %9s | %9s | %6s |' % ('file', 'krefcheck', 'clang', 'ratio'))
print('|%s|%s|%s|%s|' % ('-' * 26, '-' * 11, '-' * 11, '-' * 8))
for n, k, c in rows + [('total', sum(r[1] for r in rows), sum(r[2] for r in rows))]:
    print('| %-24s | %9.2f | %9.2f | %5.2fx |' % (n, k, c, k / c if c else float('nan')))
EOF
  done
  exit 0
fi

SCRIPTS=(iterators/for_each_child.cocci free/put_device.cocci iterators/device_node_continue.cocci)

# timed TAG REP DBI CMD...: run CMD under GNU time; append "tag rep dbi wall user sys maxrss_kb rc" to
# $tmp/results and leave stdout/stderr in $tmp/out.TAG.DBI / $tmp/err.TAG.DBI.
timed() {
  local tag=$1 rep=$2 dbi=$3; shift 3
  local rc=0
  $TIME -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out.$tag.$dbi" 2>"$tmp/err.$tag.$dbi" || rc=$?
  # GNU time writes "Command exited with non-zero status N" before the figures.
  echo "$tag $rep $dbi $(tail -n 1 "$tmp/time") $rc" >>"$tmp/results"
  if [ -n "${KEEP:-}" ]; then
    cp "$tmp/out.$tag.$dbi" "$KEEP/$tag.${names[$dbi]}.$rep.out"
    cp "$tmp/err.$tag.$dbi" "$KEEP/$tag.${names[$dbi]}.$rep.err"
  fi
}

# count TAG DBI: the findings (or errors) of the last run of TAG on database DBI.
count() {
  local tag=$1 dbi=$2 n f e
  case $tag in
    krefcheck|krefcheck-nopre)
      n=$(grep -c ': warning: ' "$tmp/out.$tag.$dbi" || true)
      # one stderr line per file that was not analysed
      f=$(grep -c . "$tmp/err.$tag.$dbi" || true)
      echo "$n $f" ;;
    clang)
      e=$(grep -c ' error: ' "$tmp/err.$tag.$dbi" || true)
      echo "0 $e" ;;
    cocci)
      n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+-[0-9]+: ' "$tmp/out.$tag.$dbi" || true)
      e=$(grep -cE 'Fatal error|coccicheck failed|^exception' "$tmp/err.$tag.$dbi" || true)
      echo "$n $e" ;;
  esac
}

# The Coccinelle run of one database: every directory, every script, one after the other,
# each spatch with --jobs J (what `make coccicheck MODE=report M=<dir> J=<J>` runs).
cat >"$tmp/cocci.sh" <<'EOF'
set -u
env=$1 J=$2 SPATCH=$3; shift 3
. "$env"
cd "$SRCTREE"
rc=0
for d in "${DIRS[@]}"; do
  for s in "$@"; do
    cocci=$SRCTREE/scripts/coccinelle/$s
    opt=$(grep "Options:" "$cocci" | cut -d: -f2)
    jobs=(); [ "$J" -gt 1 ] && jobs=(--jobs "$J" --chunksize 1)
    # shellcheck disable=SC2086
    "$SPATCH" -D report --no-show-diff --very-quiet --cocci-file "$cocci" $opt \
      --dir "$d" "${INC[@]}" "${jobs[@]}" || rc=1
  done
done
exit $rc
EOF

: >"$tmp/results"
: >"$tmp/counts"
echo "bench.sh: $N repetitions, -j$J, databases: ${names[*]}" >&2
# Other work on the machine skews every figure: say how busy it was.
load0=$(cut -d' ' -f1-3 /proc/loadavg)
stat0=$(head -n 1 /proc/stat)
t0=$(date +%s.%N)
for rep in $(seq 1 "$N"); do
  for i in "${!dbs[@]}"; do
    db=${dbs[$i]}
    echo "bench.sh: run $rep/$N ${names[$i]}" >&2
    timed krefcheck "$rep" "$i" "$KREFCHECK" -p "$db" -j"$J" --quiet --rules-dir "$top/rules"
    echo "krefcheck $i $(count krefcheck "$i")" >>"$tmp/counts"
    if [ $NOPRE = 1 ]; then
      timed krefcheck-nopre "$rep" "$i" "$KREFCHECK" -p "$db" -j"$J" --quiet \
        --rules-dir "$top/rules" --no-prefilter
      echo "krefcheck-nopre $i $(count krefcheck-nopre "$i")" >>"$tmp/counts"
    fi
    timed clang "$rep" "$i" xargs -0 -n 1 -P "$J" sh -c <"$tmp/$i.jobs"
    echo "clang $i $(count clang "$i")" >>"$tmp/counts"
    if [ $COCCI = 1 ]; then
      timed cocci "$rep" "$i" bash "$tmp/cocci.sh" "$tmp/$i.env" "$J" "$SPATCH" "${SCRIPTS[@]}"
      echo "cocci $i $(count cocci "$i")" >>"$tmp/counts"
    fi
  done
done

load1=$(cut -d' ' -f1-3 /proc/loadavg)
stat1=$(head -n 1 /proc/stat)
t1=$(date +%s.%N)

# Table: per database, then all databases together (per repetition the sum of the wall
# times, then the median of the sums).
{
  for i in "${!dbs[@]}"; do
    # shellcheck disable=SC1090
    . "$tmp/$i.env"
    echo "db $i ${names[$i]} $ENTRIES $CFILES ${DIRS[*]}"
  done
} >"$tmp/dbinfo"
python3 - "$tmp/results" "$tmp/counts" "$tmp/dbinfo" "$N" "$J" <<'EOF'
import collections, statistics, sys
res, cnt, info, N, J = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
dbs = {}
for line in open(info):
    _, i, name, entries, cfiles, *dirs = line.split()
    dbs[i] = (name, int(entries), int(cfiles), dirs)
wall = collections.defaultdict(dict)          # (tag, db) -> rep -> seconds
cpu = collections.defaultdict(dict)           # (tag, db) -> rep -> user+sys seconds
rss = collections.defaultdict(int)            # (tag, db) -> max KB
rcs = collections.defaultdict(set)
for line in open(res):
    tag, rep, i, w, u, sy, m, rc = line.split()
    wall[tag, i][rep] = float(w); cpu[tag, i][rep] = float(u) + float(sy); rss[tag, i] = max(rss[tag, i], int(m)); rcs[tag, i].add(int(rc))
found, errs = collections.defaultdict(set), collections.defaultdict(int)
for line in open(cnt):
    tag, i, n, e = line.split()
    found[tag, i].add(int(n)); errs[tag, i] = max(errs[tag, i], int(e))
tags = [t for t in ('krefcheck', 'krefcheck-nopre', 'clang', 'cocci') if any(k[0] == t for k in wall)]
label = {'krefcheck': 'krefcheck -j%s' % J, 'krefcheck-nopre': 'krefcheck -j%s --no-prefilter' % J,
         'clang': 'clang -fsyntax-only (xargs -P%s)' % J, 'cocci': 'coccinelle (3 scripts, --jobs %s)' % J}

def files(tag, i):
    name, entries, cfiles, dirs = dbs[i]
    return cfiles if tag == 'cocci' else entries

def row(tag, ws, base, cs, cbase, kb, nf, ne, nfiles, rc):
    med, cmed = statistics.median(ws), statistics.median(cs)
    ratio = med / base if base else float('nan')
    cratio = cmed / cbase if cbase else float('nan')
    note = []
    bad = {'krefcheck': {0, 1}, 'krefcheck-nopre': {0, 1}}.get(tag, {0})
    if rc - bad:
        note.append('exit status %s' % ','.join(map(str, sorted(rc - bad))))
    if ne:
        note.append({'clang': '%d errors', 'cocci': '%d fatal'}.get(tag, '%d files not analysed') % ne)
    f = 'n/a' if tag == 'clang' else '/'.join(str(x) for x in sorted(nf))
    print('| %-40s | %5d | %8.1f | %5.2fx | %7.1f | %5.2fx | %7.0f | %8s | %s |' %
          (label[tag], nfiles, med, ratio, cmed, cratio, kb / 1024, f, ', '.join(note)))

hdr = '| %-40s | %5s | %8s | %6s | %7s | %6s | %7s | %8s | notes |' % (
    'tool', 'files', 'wall s', 'ratio', 'cpu s', 'ratio', 'RSS MB', 'findings')
sep = '|' + '|'.join('-' * (len(c)) for c in hdr.split('|')[1:-1]) + '|'
for i, (name, entries, cfiles, dirs) in dbs.items():
    print('\n%s: %d entries; Coccinelle on %s (%d .c files)' % (name, entries, ' '.join(dirs), cfiles))
    print(hdr); print(sep)
    base = statistics.median(wall['clang', i].values())
    cbase = statistics.median(cpu['clang', i].values())
    for t in tags:
        row(t, list(wall[t, i].values()), base, list(cpu[t, i].values()), cbase, rss[t, i],
            found[t, i], errs[t, i], files(t, i), rcs[t, i])
if len(dbs) > 1:
    print('\nall databases (%s): per repetition the sum over the databases' %
          ' + '.join(d[0] for d in dbs.values()))
    print(hdr); print(sep)
    def sums(t, what=wall):
        reps = set.intersection(*(set(what[t, i]) for i in dbs))
        return [sum(what[t, i][r] for i in dbs) for r in sorted(reps)]
    base, cbase = statistics.median(sums('clang')), statistics.median(sums('clang', cpu))
    for t in tags:
        nf = {sum(min(found[t, i]) for i in dbs)} if all(len(found[t, i]) == 1 for i in dbs) else \
             {sum(min(found[t, i]) for i in dbs), sum(max(found[t, i]) for i in dbs)}
        row(t, sums(t), base, sums(t, cpu), cbase, max(rss[t, i] for i in dbs), nf, sum(errs[t, i] for i in dbs),
            sum(files(t, i) for i in dbs), set().union(*(rcs[t, i] for i in dbs)))
print('\nwall s: median of %d runs; cpu s: median user+sys of the tool and all its processes; '
      'ratio: to clang -fsyntax-only; RSS MB: peak RSS of the largest single process (worker) '
      'over all runs (GNU time %%M); findings: krefcheck warnings / Coccinelle reports (a/b if '
      'runs differed)' % N)
EOF
echo "krefcheck: $KREFCHECK ($("$KREFCHECK" --version 2>&1 | head -n 1)); $("$CLANG" --version | head -n 1);" \
  "$("$SPATCH" --version 2>/dev/null | head -n 1 || echo 'no spatch')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //');" \
  "load average (1/5/15 min) at start: $load0, at end: $load1"
# The CPU time the whole machine was busy during the measurements, less what the measured
# tools used (GNU time's user+sys): what other processes took from them.
python3 - "$stat0" "$stat1" "$t0" "$t1" "$(getconf CLK_TCK)" "$(nproc)" "$tmp/results" <<'EOF'
import sys
s0, s1 = ([int(x) for x in s.split()[1:]] for s in sys.argv[1:3])
wall, hz, ncpu = float(sys.argv[4]) - float(sys.argv[3]), int(sys.argv[5]), int(sys.argv[6])
busy = lambda s: s[0] + s[1] + s[2] + s[5] + s[6] + s[7]   # user nice system irq softirq steal
ours = sum(float(l.split()[4]) + float(l.split()[5]) for l in open(sys.argv[7]))
other = max(0.0, (busy(s1) - busy(s0)) / hz - ours)
print('CPU time of other processes during the %.0f s of measurements: %.0f s, %.0f%% of the '
      '%d cores (0%% = an idle machine; the measured tools used %.0f s)'
      % (wall, other, 100 * other / (wall * ncpu), ncpu, ours))
EOF
