#!/usr/bin/env bash
# kernel-compdb.sh - a Linux kernel compile_commands.json in minutes, without compiling.
#
# Usage: kernel-compdb.sh -O BUILD [options] [DIR/...] [VAR=VALUE...]
#
#   -O, --build DIR    build directory (make O=DIR); created if missing.  It ends up holding
#                      EMPTY objects: use it for the database only, never to build a kernel
#   -s, --src DIR      kernel source tree (default: the current directory)
#   -a, --arch ARCH    ARCH= (default: the host's)
#   --llvm VALUE       LLVM=VALUE, e.g. --llvm -19 or --llvm 1
#   --cross PREFIX     CROSS_COMPILE=PREFIX, e.g. --cross aarch64-linux-gnu-
#   -c, --config CFG   a config target (defconfig, allmodconfig, pseries_le_defconfig, ...;
#                      default defconfig) or a .config file (copied, then olddefconfig);
#                      "keep" uses BUILD/.config as it is
#   -j N               make -j (default: nproc)
#   -o FILE            output database (default: BUILD/compile_commands.json)
#   --exact-deps       preprocess every recorded file: exact dependency files (the .cmd
#                      files are then byte-identical to a real build's), and a missing header
#                      fails like in a real build; costs about 0.2 s of CPU per file (a
#                      compile: about 1.1 s), the default about 0.03 s
#   --check N          afterwards, syntax-check N entries spread evenly over the database
#                      with the real compiler (-fsyntax-only with the entry's own command,
#                      from its directory); fails if one does not parse
#   DIR/               only these directories (make DIR/, the way "make drivers/of/" builds
#                      them); default: the whole tree (make compile_commands.json: every C and
#                      assembler file of vmlinux and the modules, as the kernel's own target)
#   VAR=VALUE          passed to every make call (W=1, KCFLAGS=..., CONFIG_...=...)
#
# Steps: make <config>; make prepare (the real compiler: generated headers, asm-offsets,
# the vDSO, host tools); then Kbuild builds the objects with kcompdb-cc (next to this
# script) first in PATH under the compiler's own name, so the commands Kbuild saves in its
# .cmd files are exactly the real build's; kcompdb-cc writes an empty object and a
# dependency file for each C object and runs the real compiler for everything else
# (probes, host programs, .S files, generators), so generated sources and headers that
# directories need beyond prepare are made as in a real build.  Finally
# scripts/clang-tools/gen_compile_commands.py writes the database.
#
# Exit status: 0 done; 2 bad usage, a failed make step (the end of its log is printed) or a
# failed --check.
set -euo pipefail

PROG=$(basename "$0")
HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "$PROG: error: $*" >&2; exit 2; }
log() { echo "[$PROG $(date +%H:%M:%S)] $*"; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

SRC=. BUILD= ARCH_= LLVM_= CROSS_= CONFIG=defconfig JOBS=$(nproc) OUT= EXACT=0 CHECK=0
dirs=() vars=()
while [ $# -gt 0 ]; do
    case $1 in
    -O | --build | -s | --src | -a | --arch | --llvm | --cross | -c | --config | -j | -o | --check)
        [ $# -ge 2 ] && [ -n "$2" ] || die "$1: needs a value" ;;
    esac
    case $1 in
    -h | --help) usage; exit 0 ;;
    -O | --build) BUILD=$2; shift ;;
    -s | --src) SRC=$2; shift ;;
    -a | --arch) ARCH_=$2; shift ;;
    --llvm) LLVM_=$2; shift ;;
    --cross) CROSS_=$2; shift ;;
    -c | --config) CONFIG=$2; shift ;;
    -j) JOBS=$2; shift ;;
    -j*) JOBS=${1#-j} ;;
    -o) OUT=$2; shift ;;
    --exact-deps) EXACT=1 ;;
    --check) CHECK=$2; shift ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *=*) vars+=("$1") ;;
    *) dirs+=("${1%/}/") ;;
    esac
    shift
done
[ -n "$BUILD" ] || die "no build directory (-O DIR)"
case $CHECK in *[!0-9]* | '') die "--check $CHECK: not a number" ;; esac
[ -f "$SRC/Makefile" ] && [ -f "$SRC/scripts/clang-tools/gen_compile_commands.py" ] ||
    die "$SRC: not a kernel source tree (no Makefile or scripts/clang-tools/gen_compile_commands.py)"
SRC=$(cd "$SRC" && pwd)
mkdir -p "$BUILD" || die "$BUILD: cannot create"
BUILD=$(cd "$BUILD" && pwd)
[ "$BUILD" != "$SRC" ] || die "$BUILD: the build directory must not be the source tree"
OUT=${OUT:-$BUILD/compile_commands.json}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
for d in "${dirs[@]}"; do
    [ -d "$SRC/$d" ] || die "$d: no such directory in $SRC"
done

mk=(make -C "$SRC" O="$BUILD" -j"$JOBS")
[ -z "$ARCH_" ] || mk+=(ARCH="$ARCH_")
[ -z "$LLVM_" ] || mk+=(LLVM="$LLVM_")
[ -z "$CROSS_" ] || mk+=(CROSS_COMPILE="$CROSS_")
mk+=("${vars[@]}")

KD=$BUILD/.kcompdb
mkdir -p "$KD"
t0=$(date +%s)
step() { # step NAME CMD... : run, log to $KD/NAME.log, time it, show the log on failure
    local name=$1 s
    shift
    s=$(date +%s)
    if ! "$@" >"$KD/$name.log" 2>&1; then
        tail -n 40 "$KD/$name.log" >&2
        echo "$PROG: error: $KD/$name.log: step '$name' failed (the last 40 lines are above)" >&2
        exit 2
    fi
    log "$name: $(($(date +%s) - s)) s"
}

case $CONFIG in
keep) [ -f "$BUILD/.config" ] || die "$BUILD/.config: missing (--config keep)" ;;
*config) step config "${mk[@]}" "$CONFIG" ;;
*)
    [ -f "$CONFIG" ] || die "$CONFIG: not a config target (*config) nor a file"
    cp "$CONFIG" "$BUILD/.config"
    step config "${mk[@]}" olddefconfig
    ;;
esac
# kernel/kheaders (CONFIG_IKHEADERS, on in allmodconfig) packs the headers with cpio: say so
# now, not after minutes of recording.
if grep -q '^CONFIG_IKHEADERS=[ym]' "$BUILD/.config" && ! command -v cpio >/dev/null; then
    die "cpio: not found, and $BUILD/.config sets CONFIG_IKHEADERS (apt-get install cpio)"
fi
step prepare "${mk[@]}" prepare

# The compiler's name as Kbuild runs it: the first word of a command it saved in prepare.
cmdfile=$BUILD/scripts/mod/.empty.o.cmd
[ -f "$cmdfile" ] || die "$cmdfile: missing after prepare (cannot tell the compiler's name)"
# (savedcmd_X since Linux 6.2, cmd_X before)
CC_NAME=$(sed -n 's/^\(saved\)\{0,1\}cmd_[^ ]* := \([^ ]*\) .*/\2/p' "$cmdfile" | head -n 1)
case $CC_NAME in
'') die "$cmdfile: no saved command" ;;
*/*) die "CC is a path ($CC_NAME): the recorder replaces the compiler through PATH; use a compiler found in PATH (LLVM=-19, CROSS_COMPILE=prefix-)" ;;
esac
REAL=$(command -v "$CC_NAME") || die "$CC_NAME: not found in PATH"
mkdir -p "$KD/bin"
ln -sfn "$HERE/kcompdb-cc" "$KD/bin/$CC_NAME"
: >"$KD/recorded"
touch "$BUILD/.kcompdb-empty-objects" # a marker: this build directory is not a real build

export KCOMPDB_REAL=$REAL KCOMPDB_DIR=$KD KCOMPDB_EXACT_DEPS=$EXACT
if [ ${#dirs[@]} -eq 0 ]; then
    PATH="$KD/bin:$PATH" step record "${mk[@]}" compile_commands.json
    [ "$OUT" = "$BUILD/compile_commands.json" ] || cp "$BUILD/compile_commands.json" "$OUT"
else
    PATH="$KD/bin:$PATH" step record "${mk[@]}" "${dirs[@]}"
    step database sh -c 'cd "$1" && shift && python3 "$@"' sh "$BUILD" \
        "$SRC/scripts/clang-tools/gen_compile_commands.py" -d "$BUILD" -o "$OUT" "${dirs[@]}"
fi

n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT")
r=$(wc -l <"$KD/recorded")
log "$OUT: $n entries; $r C objects recorded this run, without compiling; $(($(date +%s) - t0)) s in all"

if [ "$CHECK" -gt 0 ]; then
    s=$(date +%s)
    python3 - "$OUT" "$CHECK" "$JOBS" <<'PY' || { echo "$PROG: error: $OUT: --check: an entry does not parse" >&2; exit 2; }
import json, shlex, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
db, n, jobs = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
picked = [db[i * len(db) // n] for i in range(min(n, len(db)))]
def check(e):
    w, out, skip = shlex.split(e["command"]), [], False
    for a in w:
        if skip: skip = False; continue
        if a == "-o": skip = True; continue
        if a == "-c" or a.startswith("-Wp,-MMD,"): continue
        out.append(a)
    r = subprocess.run(out + ["-fsyntax-only"], cwd=e["directory"], capture_output=True, text=True)
    return e["file"], r.returncode, r.stderr
bad = 0
with ThreadPoolExecutor(jobs) as ex:
    for f, rc, err in ex.map(check, picked):
        if rc:
            bad += 1
            print(f"{f}: does not parse:\n{err[-2000:]}", file=sys.stderr)
print(f"--check: {len(picked) - bad} of {len(picked)} entries parse")
sys.exit(1 if bad else 0)
PY
    log "check: $(($(date +%s) - s)) s"
fi
