#!/usr/bin/env bash
# build-kernel-db.sh - build real Linux 6.12 compile databases for krefcheck.
#
# Usage: build-kernel-db.sh [--work DIR] [arm64|ppc64le|ppc64|gcc-arm64|arm64-wide|
#                                          arm64-allmod|ppc64-gcc-allmod|allmod|all]...
#
#   arm64    ARCH=arm64 defconfig + OF_OVERLAY/OF_UNITTEST/OF_DYNAMIC,
#            builds drivers/of/                      -> $WORK/arm64/compile_commands.json
#   ppc64le  ARCH=powerpc pseries_le_defconfig (little-endian pSeries guest),
#            builds arch/powerpc/platforms/pseries/ drivers/crypto/nx/ drivers/of/
#                                                    -> $WORK/ppc64le/compile_commands.json
#   ppc64    ARCH=powerpc ppc64_defconfig (big-endian, includes pSeries).  Only
#            needed for drivers/crypto/nx/nx*.c (the NX *encryption* driver,
#            CRYPTO_DEV_NX_ENCRYPT, "depends on !CPU_LITTLE_ENDIAN", so it can
#            not be built in ppc64le).  Builds the same three directories.
#                                                    -> $WORK/ppc64/compile_commands.json
#   gcc-arm64  the arm64 configuration built with GCC instead of clang
#            (Debian gcc-aarch64-linux-gnu, CROSS_COMPILE=aarch64-linux-gnu-),
#            builds drivers/of/; its commands are GCC command lines, for
#            testing krefcheck's GCC command translation
#                                                    -> $WORK/gcc-arm64/compile_commands.json
#   arm64-wide  the arm64 configuration, building drivers/of, drivers/base,
#            drivers/pinctrl and drivers/soc    -> $WORK/arm64-wide/compile_commands.json
#            (the precision triage database; not part of 'all')
#   arm64-allmod  ARCH=arm64 LLVM=-19 allmodconfig as kernel CI builds it
#            (RANDSTRUCT, KASAN, UBSAN, KCOV... all as allmodconfig sets them;
#            only WERROR off), builds drivers/of/ drivers/reset/
#                                                    -> $WORK/arm64-allmod/compile_commands.json
#   ppc64-gcc-allmod  ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu- (GCC)
#            allmodconfig (WERROR off), builds drivers/of/ drivers/crypto/nx/
#                                                    -> $WORK/ppc64-gcc-allmod/compile_commands.json
#   allmod   arm64-allmod + ppc64-gcc-allmod (not part of 'all'); check them
#            with integration/check-allmod.sh
#   all      arm64 + ppc64le + ppc64 + gcc-arm64 (the default)
#
# Environment:
#   WORK          work directory (default /work/kbuild); --work DIR overrides it
#   KSRC_TARBALL  kernel source tarball (default /usr/src/linux-source-6.12.tar.xz)
#   JOBS          make -j value (default: nproc)
#   LLVM_SUFFIX   LLVM version suffix passed as LLVM=... (default -19)
#   GCC_CROSS     CROSS_COMPILE prefix of the gcc-arm64 part (default
#                 aarch64-linux-gnu-)
#   PPC_GCC_CROSS CROSS_COMPILE prefix of ppc64-gcc-allmod (default
#                 powerpc64-linux-gnu-)
#   SKIP_APT=1    do not check/install Debian packages
#   FULL_DB=1     keep every compile command found in the build directory (host
#                 tools in scripts/, asm-offsets, generated .S files, ...); by
#                 default the database holds only the .c files of the target
#                 directories
#   KEEP_GOING=1  build with make -k and, if some objects fail, warn and still
#                 write a database of what did build (default: abort)
#   VERIFY_ALL=1  syntax-check every entry of the database (default: the first
#                 entry of each target directory)
#
# The source tree is never built in: it is untarred to $WORK/linux-6.12 and
# every configuration is an out-of-tree build (make O=$WORK/<part>).
set -euo pipefail

PROG=$(basename "$0")
WORK=${WORK:-/work/kbuild}
KSRC_TARBALL=${KSRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}
LLVM_SUFFIX=${LLVM_SUFFIX:--19}
CLANG=clang${LLVM_SUFFIX}
GCC_CROSS=${GCC_CROSS:-aarch64-linux-gnu-}
PPC_GCC_CROSS=${PPC_GCC_CROSS:-powerpc64-linux-gnu-}

die() { echo "$PROG: ERROR: $*" >&2; exit 1; }
log() { echo "[$PROG $(date +%H:%M:%S)] $*"; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

parts=()
while [ $# -gt 0 ]; do
  case "$1" in
    -w|--work) [ $# -ge 2 ] || die "--work needs a directory"; WORK=$2; shift 2 ;;
    --work=*) WORK=${1#--work=}; shift ;;
    -h|--help) usage; exit 0 ;;
    arm64|ppc64le|ppc64|gcc-arm64|arm64-wide|arm64-allmod|ppc64-gcc-allmod) parts+=("$1"); shift ;;
    allmod) parts+=(arm64-allmod ppc64-gcc-allmod); shift ;;
    all) parts+=(arm64 ppc64le ppc64 gcc-arm64); shift ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(arm64 ppc64le ppc64 gcc-arm64)
want_gcc=0 want_ppc_gcc=0
for p in "${parts[@]}"; do
  [ "$p" = gcc-arm64 ] && want_gcc=1
  [ "$p" = ppc64-gcc-allmod ] && want_ppc_gcc=1
done

mkdir -p "$WORK" || die "cannot create work directory $WORK"
WORK=$(cd "$WORK" && pwd -P)
SRC=$WORK/linux-6.12
LOGDIR=$WORK/logs
mkdir -p "$LOGDIR"

# ---------------------------------------------------------------------------
# run_step NAME CMD...: run a command with its output in $LOGDIR/NAME.log;
# on failure print the tail of the log and abort.
run_step() {
  local name=$1; shift
  local logf=$LOGDIR/$name.log
  log "step $name: $*"
  local t0=$SECONDS rc=0
  "$@" >"$logf" 2>&1 || rc=$?
  if [ $rc -ne 0 ]; then
    echo "------ last 40 lines of $logf ------" >&2
    tail -n 40 "$logf" >&2
    echo "------------------------------------" >&2
    die "step '$name' failed (exit $rc): $*  (full log: $logf)"
  fi
  log "step $name done in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------------------
# 0. Packages
ensure_packages() {
  [ "${SKIP_APT:-0}" = 1 ] && { log "SKIP_APT=1: not checking packages"; return; }
  local want=(make xz-utils libc6-dev python3 flex bison bc libelf-dev libssl-dev
              "clang${LLVM_SUFFIX}" "lld${LLVM_SUFFIX}" "llvm${LLVM_SUFFIX}")
  [ -f "$KSRC_TARBALL" ] || want+=(linux-source-6.12)
  # gcc-arm64: the cross compiler, and gcc itself for the host tools (HOSTCC=gcc)
  [ $want_gcc = 1 ] && want+=(gcc gcc-aarch64-linux-gnu)
  [ $want_ppc_gcc = 1 ] && want+=(gcc gcc-powerpc64-linux-gnu)
  local missing=() p
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "all needed Debian packages are installed"
    return
  fi
  log "installing missing packages: ${missing[*]}"
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update >"$LOGDIR/apt.log" 2>&1 || die "apt-get update failed (see $LOGDIR/apt.log)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" \
    >>"$LOGDIR/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed (see $LOGDIR/apt.log)"
}

check_tools() {
  local t
  for t in "$CLANG" "ld.lld${LLVM_SUFFIX}" "llvm-ar${LLVM_SUFFIX}" "llvm-nm${LLVM_SUFFIX}" \
           "llvm-objcopy${LLVM_SUFFIX}" "llvm-objdump${LLVM_SUFFIX}" "llvm-readelf${LLVM_SUFFIX}" \
           "llvm-strip${LLVM_SUFFIX}" make flex bison bc python3 xz tar; do
    command -v "$t" >/dev/null || die "required tool '$t' not found in PATH"
  done
  if [ $want_gcc = 1 ]; then
    for t in gcc "${GCC_CROSS}gcc" "${GCC_CROSS}ld" "${GCC_CROSS}ar" "${GCC_CROSS}objcopy"; do
      command -v "$t" >/dev/null || die "required tool '$t' not found in PATH (gcc-arm64 part)"
    done
  fi
  if [ $want_ppc_gcc = 1 ]; then
    for t in gcc "${PPC_GCC_CROSS}gcc" "${PPC_GCC_CROSS}ld" "${PPC_GCC_CROSS}ar"; do
      command -v "$t" >/dev/null || die "required tool '$t' not found in PATH (ppc64-gcc-allmod part)"
    done
  fi
}

# ---------------------------------------------------------------------------
# 1. Source tree
ensure_source() {
  if [ -f "$SRC/.krefcheck-untarred" ] && [ -f "$SRC/Makefile" ]; then
    log "kernel source already at $SRC"
    return
  fi
  [ -f "$KSRC_TARBALL" ] || die "kernel tarball $KSRC_TARBALL not found (apt-get install linux-source-6.12)"
  log "untarring $KSRC_TARBALL to $SRC"
  local t0=$SECONDS tmp=$WORK/.untar.$$
  rm -rf "$tmp" "$SRC"
  mkdir -p "$tmp"
  tar -xJf "$KSRC_TARBALL" -C "$tmp" --strip-components=1 \
    || { rm -rf "$tmp"; die "untar of $KSRC_TARBALL failed"; }
  [ -f "$tmp/Makefile" ] || { rm -rf "$tmp"; die "$KSRC_TARBALL did not contain a kernel tree"; }
  mv "$tmp" "$SRC"
  touch "$SRC/.krefcheck-untarred"
  log "untarred in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------------------
# 2. One configuration
#   build_part NAME ARCH DEFCONFIG "CONFIG-OPTIONS" DIR...
# The toolchain is chosen by TOOLCHAIN (clang: LLVM=$LLVM_SUFFIX; gcc:
# CROSS_COMPILE=$CROSS), set by the caller before build_part.  DEFCONFIG may be
# any config target (allmodconfig...).  CONFIG-OPTIONS are scripts/config
# arguments: '-e SYM' (checked to be =y after olddefconfig) or '-d SYM'
# (checked to be off).
TOOLCHAIN=clang
CROSS=$GCC_CROSS
kmake() {
  if [ "$TOOLCHAIN" = gcc ]; then
    make -C "$SRC" O="$OUT" ARCH="$ARCH" CROSS_COMPILE="$CROSS" "$@"
  else
    make -C "$SRC" O="$OUT" ARCH="$ARCH" LLVM="$LLVM_SUFFIX" "$@"
  fi
}

build_part() {
  local name=$1 arch=$2 defconfig=$3 cfgopts=$4; shift 4
  local dirs=("$@")
  OUT=$WORK/$name ARCH=$arch
  local t0=$SECONDS
  log "=== $name: ARCH=$arch $defconfig ($TOOLCHAIN), building ${dirs[*]} in $OUT"
  mkdir -p "$OUT"
  # Never leave a stale database behind if this run fails.
  rm -f "$OUT/compile_commands.json"

  run_step "$name-defconfig" kmake "$defconfig"
  if [ -n "$cfgopts" ]; then
    # shellcheck disable=SC2086
    run_step "$name-config" "$SRC/scripts/config" --file "$OUT/.config" $cfgopts
  fi
  run_step "$name-olddefconfig-prepare" kmake olddefconfig prepare

  # Refuse to go on if an option we asked for did not survive olddefconfig.
  local o sym want=y
  for o in $cfgopts; do
    case "$o" in -e) want=y; continue ;; -d) want=n; continue ;; esac
    sym=CONFIG_${o#CONFIG_}
    if [ $want = y ]; then
      grep -q "^$sym=y" "$OUT/.config" || die "$name: $sym is not =y after olddefconfig (unmet dependency?)"
    elif grep -q "^$sym=[ym]" "$OUT/.config"; then
      die "$name: $sym is still on after olddefconfig"
    fi
  done

  if [ "${KEEP_GOING:-0}" = 1 ]; then
    log "step $name-build: kmake -k -j$JOBS ${dirs[*]}"
    if ! kmake -k -j"$JOBS" "${dirs[@]}" >"$LOGDIR/$name-build.log" 2>&1; then
      echo "$PROG: WARNING: $name: some objects failed to build (KEEP_GOING=1); errors:" >&2
      grep -E 'error:|Error [0-9]' "$LOGDIR/$name-build.log" | head -n 20 >&2 || true
    fi
  else
    run_step "$name-build" kmake -j"$JOBS" "${dirs[@]}"
  fi

  local db=$OUT/compile_commands.json paths=()
  if [ "${FULL_DB:-0}" = 1 ]; then
    paths=("$OUT")
  else
    local d
    for d in "${dirs[@]}"; do paths+=("$OUT/${d%/}"); done
  fi
  # The script walks -d for .cmd files (or the given paths) and resolves the
  # relative source paths against -d; it does not care about the cwd.
  local ar="llvm-ar${LLVM_SUFFIX}"
  [ "$TOOLCHAIN" = gcc ] && ar="${CROSS}ar"
  run_step "$name-gen-db" python3 "$SRC/scripts/clang-tools/gen_compile_commands.py" \
    -d "$OUT" -o "$db" -a "$ar" "${paths[@]}"
  if [ "${FULL_DB:-0}" != 1 ]; then
    # Keep C sources only: the target directories also hold assembler files
    # (hvCall.S, and .dtb.S/.dtbo.S blobs generated in the build directory).
    run_step "$name-filter-db" python3 -c '
import json, sys
db = sys.argv[1]
entries = json.load(open(db))
kept = [e for e in entries if e["file"].endswith(".c")]
json.dump(kept, open(db, "w"), indent=2, sort_keys=True)
print("kept %d of %d entries (.c only)" % (len(kept), len(entries)))' "$db"
  fi
  run_step "$name-verify" verify_db "$db" "${dirs[@]}"
  cat "$LOGDIR/$name-verify.log"
  TIMES+=("$name: $((SECONDS - t0))s")
  DBS+=("$name")
}

# verify_db DB DIR...: every DIR has entries, and one entry per DIR passes
# -fsyntax-only with its own command line as it is (clang-19 for the clang
# parts, aarch64-linux-gnu-gcc for gcc-arm64), run from its directory.
verify_db() {
  python3 - "$@" <<'EOF'
import json, os, shlex, subprocess, sys
db, dirs = sys.argv[1], [d.rstrip('/') + '/' for d in sys.argv[2:]]
entries = json.load(open(db))

def syntax_check(e):
    """Run the entry's own command with -fsyntax-only instead of -c -o X."""
    out, skip = [], False
    for a in shlex.split(e['command']):
        if skip: skip = False; continue
        if a == '-o': skip = True; continue
        if a == '-c' or a.startswith('-Wp,-MMD') or a.startswith('-Wp,-MD'): continue
        out.append(a)
    out.append('-fsyntax-only')
    r = subprocess.run(out, cwd=e['directory'], capture_output=True, text=True)
    status = 'ok' if r.returncode == 0 else f'FAILED (exit {r.returncode})'
    cc = os.path.basename(out[0])
    print(f"    {cc} -fsyntax-only {os.path.relpath(e['file'], e['directory'])}: {status}")
    if r.returncode != 0:
        print(r.stderr[-3000:], file=sys.stderr)
    return int(r.returncode != 0)

if not entries:
    sys.exit(f"{db}: no entries")
bad = 0
for d in dirs:
    mine = [e for e in entries if ('/' + d) in e['file']]
    print(f"  {d:40s} {len(mine):4d} entries")
    if not mine:
        print(f"  ERROR: no entry for {d}", file=sys.stderr); bad += 1; continue
    for e in (mine if os.environ.get('VERIFY_ALL') == '1' else mine[:1]):
        bad += syntax_check(e)
print(f"  total: {len(entries)} entries")
sys.exit(1 if bad else 0)

EOF
}

# ---------------------------------------------------------------------------
T_START=$SECONDS
TIMES=()
DBS=()
ensure_packages
check_tools
ensure_source

for p in "${parts[@]}"; do
  TOOLCHAIN=clang CROSS=$GCC_CROSS
  case "$p" in
    arm64)
      build_part arm64 arm64 defconfig "-e OF_OVERLAY -e OF_UNITTEST -e OF_DYNAMIC" \
        drivers/of/ ;;
    ppc64le)
      build_part ppc64le powerpc pseries_le_defconfig "" \
        arch/powerpc/platforms/pseries/ drivers/crypto/nx/ drivers/of/ ;;
    ppc64)
      build_part ppc64 powerpc ppc64_defconfig "-e CRYPTO_DEV_NX_ENCRYPT" \
        arch/powerpc/platforms/pseries/ drivers/crypto/nx/ drivers/of/ ;;
    arm64-wide)
      build_part arm64-wide arm64 defconfig "-e OF_OVERLAY -e OF_UNITTEST -e OF_DYNAMIC" \
        drivers/of/ drivers/base/ drivers/pinctrl/ drivers/soc/ ;;
    gcc-arm64)
      TOOLCHAIN=gcc
      build_part gcc-arm64 arm64 defconfig "-e OF_OVERLAY -e OF_UNITTEST -e OF_DYNAMIC" \
        drivers/of/ ;;
    arm64-allmod)
      # As kernel CI builds it: RANDSTRUCT (-frandomize-layout-seed-file=./scripts/...),
      # KASAN, UBSAN, KCOV... stay on.  WERROR off so that a new warning of this
      # clang does not stop the sample build.
      build_part arm64-allmod arm64 allmodconfig "-d WERROR" \
        drivers/of/ drivers/reset/ ;;
    ppc64-gcc-allmod)
      TOOLCHAIN=gcc CROSS=$PPC_GCC_CROSS
      build_part ppc64-gcc-allmod powerpc allmodconfig "-d WERROR" \
        drivers/of/ drivers/crypto/nx/ ;;
  esac
done

echo
echo "==== compile databases ===="
for name in "${DBS[@]}"; do
  db=$WORK/$name/compile_commands.json
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$db")
  printf '%s\t%s entries\n' "$db" "$n"
  grep -E '^  [^ ].* entries$' "$LOGDIR/$name-verify.log" | grep -v 'total:' || true
done
echo "==== times ===="
for t in "${TIMES[@]}"; do echo "$t"; done
echo "total: $((SECONDS - T_START))s (logs in $LOGDIR)"
