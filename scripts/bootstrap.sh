#!/usr/bin/env bash
# Installs what krefcheck needs from Debian (when missing) and the test tools from npm
# (tools/package.json, pinned by tools/package-lock.json), and builds krefcheck into build/.
# Used by the README's set-up commands and by .ci/run. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(clang-19 libclang-19-dev libclang-cpp19-dev llvm-19-dev nlohmann-json3-dev libgtest-dev
      cmake g++ make python3 python3-jsonschema git clang-format-19)
# --sanitizer-deps (scripts/sanitize-and-fuzz.sh): also clang's ASan/UBSan/libFuzzer runtimes,
# and install only (no build/).
[ "${1:-}" = --sanitizer-deps ] && PKGS+=(libclang-rt-19-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm install the SARIF Multitool the tests use (tools/package.json).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${1:-}" = --sanitizer-deps ] && exit 0

# npm ci installs exactly what tools/package-lock.json pins, into tools/node_modules; it is
# run again only when the lock file changes.
stamp=tools/node_modules/.krefcheck-lock
if ! cmp -s tools/package-lock.json "$stamp"; then
  echo "bootstrap: installing the test tools (tools/package-lock.json) with npm" >&2
  npm ci --prefix tools --no-audit --no-fund --loglevel=error >&2
  cp tools/package-lock.json "$stamp"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKREFCHECK_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
