#!/usr/bin/env bash
# Installs what krefcheck needs from Debian (when missing) and builds it into build/.
# Used by the README's set-up commands and by .ci/run. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(clang-19 libclang-19-dev libclang-cpp19-dev llvm-19-dev nlohmann-json3-dev libgtest-dev
      cmake g++ make python3 python3-jsonschema git)
# --sanitizer-deps (scripts/sanitize-and-fuzz.sh): also clang's ASan/UBSan/libFuzzer runtimes,
# and install only (no build/).
[ "${1:-}" = --sanitizer-deps ] && PKGS+=(libclang-rt-19-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${1:-}" = --sanitizer-deps ] && exit 0
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
