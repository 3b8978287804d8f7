#!/usr/bin/env bash
# Installs what LoyaltyLens needs on Debian 12 / Ubuntu, then the npm packages.
#   bash scripts/setup.sh          # to build and run the app
#   bash scripts/setup.sh --test   # also what the tests need (Chromium, the reference tools, clang-format, clang-tidy)
# System packages go through apt when run as root or with password-less sudo; otherwise this
# prints the one command to run and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

missing=()
need() {  # need PACKAGE TEST-COMMAND...
  local pkg="$1"
  shift
  "$@" >/dev/null 2>&1 || missing+=("$pkg")
}
need g++ command -v g++
need cmake command -v cmake
need make command -v make
need emscripten command -v emcmake
need libeigen3-dev test -f /usr/include/eigen3/Eigen/Dense
need doctest-dev test -f /usr/include/doctest/doctest.h
need zlib1g-dev test -f /usr/include/zlib.h
if [[ $want_test == 1 ]]; then
  need chromium test -x /usr/bin/chromium
  need clang command -v clang++
  need libclang-rt-14-dev bash -c 'ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a'
  need clang-format command -v clang-format
  need clang-tidy command -v clang-tidy
fi

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) == 0 ]]; then
    sudo_cmd=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo_cmd=(sudo)
  else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]} with apt-get" >&2
  "${sudo_cmd[@]}" apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when node_modules does not match package-lock.json.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.ll-lock-hash || "$(cat node_modules/.ll-lock-hash)" != "$lock_hash" ]]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.ll-lock-hash
fi
