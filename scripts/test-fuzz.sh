#!/usr/bin/env bash
# Fuzzing (libFuzzer, clang) with AddressSanitizer + UndefinedBehaviorSanitizer: first every saved
# regression input, then a bounded session per target (FUZZ_SECONDS, default 30) from the seed
# corpus. A crash leaves its input in build/fuzz/ and fails the run: copy it to
# tests/fuzz/regressions/<target>/ with the fix. Prints "fuzz: N passed, N failed" (targets).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
out=build/fuzz
mkdir -p "$out"
passed=0
failed=0
for target in csv_reader pipeline project; do
  bin="$out/fuzz_$target"
  if ! clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
      -I cpp/core -isystem /usr/include/eigen3 "tests/fuzz/fuzz_$target.cpp" cpp/core/*.cpp -o "$bin" 2> "$out/$target.build.log"; then
    echo "fuzz ($target): build failed"; tail -20 "$out/$target.build.log"
    failed=$((failed + 1))
    continue
  fi
  corpus="$out/corpus_$target"
  mkdir -p "$corpus"
  if "$bin" -runs=0 "tests/fuzz/regressions/$target" > "$out/$target.regressions.log" 2>&1 &&
     "$bin" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/$target-" \
       "$corpus" tests/fuzz/seeds > "$out/$target.log" 2>&1; then
    echo "fuzz ($target): ok, $(grep -oE '#[0-9]+' "$out/$target.log" | tail -1 | tr -d '#') inputs in ${seconds}s"
    passed=$((passed + 1))
  else
    echo "fuzz ($target): FAILED"
    grep -E "ERROR|SUMMARY|Test unit written|runtime error" "$out/$target.regressions.log" "$out/$target.log" | head -10
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed == 0 ]]
