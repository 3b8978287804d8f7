#!/usr/bin/env bash
# C++ layer: the core must not know Emscripten; doctest on the native build, then again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Prints "cpp: N passed, N failed" (test cases).
set -uo pipefail
cd "$(dirname "$0")/.."

if grep -rIlE "#include *<emscripten|EMSCRIPTEN" cpp/core; then
  echo "cpp/core must not mention Emscripten (only cpp/wasm/bindings.cpp may)" >&2
  echo "cpp: 0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
run_suite() {  # run_suite NAME BUILD-DIR CMAKE-ARGS...
  local name="$1" dir="$2"
  shift 2
  if ! cmake -S . -B "$dir" "$@" >/dev/null || ! cmake --build "$dir" -j2 >/dev/null; then
    echo "cpp ($name): build failed" >&2
    cmake --build "$dir" -j1 2>&1 | grep -E "error" | head -20 >&2
    failed=$((failed + 1))
    return
  fi
  local out
  out=$("$dir/core_tests" 2>&1)
  local rc=$?
  echo "$out" | tail -4
  local line
  line=$(echo "$out" | grep -E '^\[doctest\] test cases:' | tail -1)
  local p f
  p=$(echo "$line" | sed -E 's/.*\| *([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.*\| *([0-9]+) failed.*/\1/')
  if [[ -z "$line" ]]; then p=0; f=1; fi
  if [[ $rc != 0 && $f == 0 ]]; then f=1; fi
  echo "cpp ($name): $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
}

run_suite native build/native -DCMAKE_BUILD_TYPE=Release
run_suite asan+ubsan build/sanitize -DCMAKE_BUILD_TYPE=Debug -DLL_SANITIZE=ON -DCMAKE_CXX_FLAGS=-O1

echo "cpp: $passed passed, $failed failed"
[[ $failed == 0 ]]
