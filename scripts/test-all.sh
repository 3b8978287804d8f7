#!/usr/bin/env bash
# Every test layer, in order: the static checks (scripts/lint.sh), C++ (doctest, native and
# sanitised), the wasm build in Node against the native CLI, and the page in Chromium. Each layer
# prints its counts; the last line sums them.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit 1

total_passed=0
total_failed=0
count() {  # count LOGFILE: adds the last "N passed, N failed" line of a layer
  local line
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  if [[ -z "$line" ]]; then
    total_failed=$((total_failed + 1))
    return
  fi
  total_passed=$((total_passed + $(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')))
  total_failed=$((total_failed + $(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')))
}

logs=$(mktemp -d)
echo "== lint =="
bash scripts/lint.sh 2>&1 | tee "$logs/lint.log"
count "$logs/lint.log"

echo "== C++ (doctest) =="
bash scripts/test-cpp.sh 2>&1 | tee "$logs/cpp.log"
count "$logs/cpp.log"

echo "== fuzzing (libFuzzer, ASan + UBSan) =="
bash scripts/test-fuzz.sh 2>&1 | tee "$logs/fuzz.log"
count "$logs/fuzz.log"

echo "== wasm build =="
if ! bash scripts/build-wasm.sh > "$logs/wasm.log" 2>&1; then
  tail -20 "$logs/wasm.log"
  echo "wasm build: 0 passed, 1 failed"
  total_failed=$((total_failed + 1))
else
  tail -1 "$logs/wasm.log"
fi

echo "== JS + wasm in Node =="
node --test --test-reporter=spec tests/js/ 2>&1 | tee "$logs/js.log"
p=$(grep -E '^ℹ pass [0-9]+' "$logs/js.log" | tail -1 | awk '{print $3}')
f=$(grep -E '^ℹ fail [0-9]+' "$logs/js.log" | tail -1 | awk '{print $3}')
echo "js: ${p:-0} passed, ${f:-1} failed" | tee "$logs/js-count.log"
count "$logs/js-count.log"

echo "== end-to-end in Chromium =="
node tests/e2e/run.mjs 2>&1 | tee "$logs/e2e.log"
count "$logs/e2e.log"

echo "== privacy in Chromium (canary file, request log, storage) =="
node tests/e2e/privacy.mjs 2>&1 | tee "$logs/privacy.log"
count "$logs/privacy.log"

rm -rf "$logs"
echo "all layers: $total_passed passed, $total_failed failed"
[[ $total_failed == 0 ]]
