#!/usr/bin/env bash
# CI stage 2 (after the README test command; docs/fuzzing.md): builds build-asan/ with clang-19,
# ASan+UBSan and the libFuzzer targets, runs the whole test suite there, then runs each fuzz
# target for a bounded time. Fails on any sanitizer report, failing test or fuzzer crash.
#
#   bash scripts/sanitize-and-fuzz.sh [--seconds N] [--no-tests] [--no-fuzz] [TARGET...]
#
# N: seconds per fuzz target (default 60, or $FUZZ_SECONDS). TARGETs: rules diff compdb baseline
# suppressions (default: all). Targets run $(nproc) at a time. A crash input is copied to
# fuzz/regressions/<target>/ (commit it: the normal suite then replays it) and printed in
# base64, so one found on a CI machine can be recovered from the log.
set -uo pipefail
cd "$(dirname "$0")/.."

SECS=${FUZZ_SECONDS:-60}
RUN_TESTS=1
RUN_FUZZ=1
ALL_TARGETS=(rules diff compdb baseline suppressions)
TARGETS=()
while (($#)); do
  case "$1" in
    --seconds) SECS=$2; shift ;;
    --no-tests) RUN_TESTS=0 ;;
    --no-fuzz) RUN_FUZZ=0 ;;
    rules|diff|compdb|baseline|suppressions) TARGETS+=("$1") ;;
    *) echo "sanitize-and-fuzz: error: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
((${#TARGETS[@]})) || TARGETS=("${ALL_TARGETS[@]}")
[[ "$SECS" =~ ^[0-9]+$ ]] || { echo "sanitize-and-fuzz: error: --seconds: not a number: $SECS" >&2; exit 2; }
JOBS=$(nproc)

# Why each option (docs/fuzzing.md):
# - allow_user_poisoning=0: LLVM's allocator headers (Recycler, BumpPtrAllocator) poison
#   freed memory when the including code is built with ASan, and the uninstrumented LLVM
#   libraries hand that memory out again without unpoisoning it: every analysis then stops
#   at a false "use-after-poison" in ProgramState. Ignoring manual poisoning keeps ASan's own
#   heap, stack and global checks.
# - handle_segv=0 (test suite only): a worker process that crashes must die by its signal, as
#   it does in a normal build, so the parent reports "crashed inside the analysis (signal 11)"
#   (tests/CompileDbTest.cpp injects such a crash). ASan would turn it into exit status 1. A
#   SEGV still fails its test; only ASan's report of it is lost. The fuzz targets keep it.
# - UBSan: print a stack and stop at the first finding (the build also has
#   -fno-sanitize-recover=all, so a finding aborts the process and fails its test).
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_poisoning=0:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

STATUS=0
SUMMARY=()
stage_result() {  # name, rc, seconds, detail
  local verdict=PASS
  (($2 == 0)) || { verdict=FAIL; STATUS=1; }
  SUMMARY+=("$(printf '%-28s %s  %4ss  %s' "$1" "$verdict" "$3" "$4")")
  echo "== $1: $verdict ($3 s) $4"
}

echo "== sanitizers: dependencies and build-asan/ (clang-19, ASan+UBSan, libFuzzer)"
T0=$SECONDS
if bash scripts/bootstrap.sh --sanitizer-deps &&
   cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang-19 \
     -DCMAKE_CXX_COMPILER=clang++-19 -DKREFCHECK_SANITIZE=ON -DKREFCHECK_FUZZ=ON >/dev/null &&
   cmake --build build-asan -j"$JOBS"; then
  stage_result "build-asan" 0 $((SECONDS - T0)) ""
else
  stage_result "build-asan" 1 $((SECONDS - T0)) "(build failed)"
  printf '%s\n' "${SUMMARY[@]}"
  exit 1
fi

if ((RUN_TESTS)); then
  echo "== sanitizers: the test suite under ASan+UBSan (build-asan/)"
  T0=$SECONDS
  LOG=$(mktemp)
  ASAN_OPTIONS=$ASAN_OPTIONS:handle_segv=0 \
    ctest --test-dir build-asan --output-on-failure -j"$JOBS" 2>&1 | tee "$LOG"
  RC=${PIPESTATUS[0]}
  stage_result "tests under ASan+UBSan" "$RC" $((SECONDS - T0)) "$(grep -E '^[0-9]+% tests passed' "$LOG")"
  rm -f "$LOG"
fi

if ((RUN_FUZZ)); then
  echo "== fuzzing: ${TARGETS[*]}, $SECS s each, $JOBS at a time"
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  run_target() {
    local t=$1 dict=fuzz/json.dict
    [ "$t" = diff ] && dict=fuzz/diff.dict
    mkdir -p "$WORK/$t/corpus" "$WORK/$t/crashes"
    local start=$SECONDS
    # The first folder receives the new inputs: a scratch copy, the repository's stay as they are.
    build-asan/krefcheck_fuzz_"$t" -max_total_time="$SECS" -timeout=20 -max_len=65536 \
      -dict="$dict" -print_final_stats=1 -artifact_prefix="$WORK/$t/crashes/" \
      "$WORK/$t/corpus" fuzz/corpus/"$t" fuzz/regressions/"$t" >"$WORK/$t/log" 2>&1
    echo $? >"$WORK/$t/rc"
    echo $((SECONDS - start)) >"$WORK/$t/secs"
  }
  T0=$SECONDS
  running=0
  for t in "${TARGETS[@]}"; do
    run_target "$t" &
    running=$((running + 1))
    if ((running >= JOBS)); then wait -n; running=$((running - 1)); fi
  done
  wait
  for t in "${TARGETS[@]}"; do
    rc=$(cat "$WORK/$t/rc")
    secs=$(cat "$WORK/$t/secs")
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$WORK/$t/log" | tail -1 | awk '{print $2}')
    cov=$(grep -oE 'cov: [0-9]+' "$WORK/$t/log" | tail -1 | awk '{print $2}')
    crashes=0
    for c in "$WORK/$t/crashes"/*; do
      [ -f "$c" ] || continue
      crashes=$((crashes + 1))
      dest=fuzz/regressions/$t/$(basename "$c")
      for old in fuzz/regressions/"$t"/*; do
        cmp -s "$c" "$old" && dest=$old  # a saved regression input that still crashes
      done
      [ -f "$dest" ] || cp "$c" "$dest"
      echo "fuzz $t: crash input $dest ($(stat -c %s "$c") bytes); base64:"
      head -c 4096 "$c" | base64 -w 100
    done
    if ((rc != 0)); then
      echo "---- fuzz $t: log (last 60 lines)"
      tail -60 "$WORK/$t/log"
      ((crashes)) || crashes="?"
    fi
    stage_result "fuzz $t" "$rc" "$secs" "runs=${runs:-?} (~$(( ${runs:-0} / (secs > 0 ? secs : 1) ))/s) cov=${cov:-?} crashes=$crashes"
  done
fi

echo "== sanitize-and-fuzz summary"
printf '%s\n' "${SUMMARY[@]}"
exit $STATUS
