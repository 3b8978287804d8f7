#!/usr/bin/env bash
# Static checks, each counted: ESLint, Prettier and tsc over the JavaScript, clang-format and
# clang-tidy over the C++. Prints "PASS name" or "FAIL name" (with what failed) for each check,
# then "lint: N passed, N failed". Needs node_modules (npm ci) and the clang tools
# (bash scripts/setup.sh --test).
#   bash scripts/lint.sh            # npm run lint: check only, changes nothing
#   bash scripts/lint.sh --format   # npm run format: Prettier and clang-format rewrite the files
# clang-tidy checks every cpp/core and cpp/cli source, two at a time (LINT_JOBS), with the flags
# of build/native/compile_commands.json; a file that passed is not checked again until it, a
# header of cpp/core or cpp/cli, .clang-tidy or the flags change (build/clang-tidy-cache/).
set -uo pipefail
cd "$(dirname "$0")/.."

# What the formatters cover (.prettierignore leaves out data, Emscripten's output and prose).
PRETTIER_PATHS=(web tests scripts bench '*.js')
mapfile -t CXX_FILES < <(find cpp tests/cpp tests/fuzz bench -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
TIDY_FILES=(cpp/core/*.cpp cpp/cli/*.cpp)
JOBS="${LINT_JOBS:-2}"
bin=node_modules/.bin

if [[ "${1:-}" == "--format" ]]; then
  "$bin/prettier" --write --log-level=warn "${PRETTIER_PATHS[@]}" || exit 1
  clang-format -i "${CXX_FILES[@]}" || exit 1
  echo "format: Prettier and clang-format applied (${#CXX_FILES[@]} C++ files)"
  exit 0
fi

passed=0
failed=0
check() {  # check NAME COMMAND...: runs COMMAND, its output shown only when it fails
  local name="$1"
  shift
  local start=$SECONDS out
  if out=$("$@" 2>&1); then
    echo "PASS $name ($((SECONDS - start)) s)${out:+: $(echo "$out" | tail -1)}"
    passed=$((passed + 1))
  else
    echo "FAIL $name ($((SECONDS - start)) s)"
    echo "$out" | head -60 | sed 's/^/  /'
    failed=$((failed + 1))
  fi
}

need_tool() {  # need_tool PATH-OR-COMMAND HINT
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "$1 not found: $2"
  return 1
}

eslint() {
  need_tool "$bin/eslint" "run npm ci" || return 1
  "$bin/eslint" --max-warnings 0 .
}

prettier() {
  need_tool "$bin/prettier" "run npm ci" || return 1
  local out
  out=$("$bin/prettier" --list-different "${PRETTIER_PATHS[@]}")
  local rc=$?
  if [[ -n "$out" ]]; then
    echo "$(echo "$out" | wc -l) files not formatted as .prettierrc.json says (npm run format rewrites them):"
    echo "$out" | head -30
    return 1
  fi
  return $rc
}

tsc() {
  need_tool "$bin/tsc" "run npm ci" || return 1
  "$bin/tsc" -p . --noEmit
}

clang_format() {
  need_tool clang-format "bash scripts/setup.sh --test installs it" || return 1
  local out
  out=$(clang-format --dry-run --Werror "${CXX_FILES[@]}" 2>&1) && return 0
  local files
  files=$(echo "$out" | grep -oE '^[^ :]+\.(cpp|h):[0-9]+:[0-9]+: error' | cut -d: -f1 | sort | uniq -c | sort -rn)
  if [[ -z "$files" ]]; then
    echo "$out"
    return 1
  fi
  echo "$(echo "$files" | wc -l) of ${#CXX_FILES[@]} files not formatted as .clang-format says (npm run format rewrites them); places per file:"
  echo "$files" | head -30
  return 1
}

# One file: clang-tidy, and on success a mark in the cache.
tidy_one() {  # tidy_one FILE KEY CACHE-DIR
  local log="$3/$2.log"
  if clang-tidy -p build/native --quiet "$1" >"$log" 2>&1; then
    mv "$log" "$3/$2"
  else
    grep -v ' warnings\? generated\.$' "$log"
    rm -f "$log"
    return 1
  fi
}
export -f tidy_one

clang_tidy() {
  need_tool clang-tidy "bash scripts/setup.sh --test installs it" || return 1
  # The flags of the native build (CMakeLists.txt exports compile_commands.json).
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null || return 1
  local cache=build/clang-tidy-cache
  mkdir -p "$cache"
  local common
  common=$({ clang-tidy --version; cat .clang-tidy build/native/compile_commands.json cpp/core/*.h cpp/cli/*.h; } | sha256sum | cut -d' ' -f1)
  local todo=() f key
  for f in "${TIDY_FILES[@]}"; do
    key=$({ echo "$common"; cat "$f"; } | sha256sum | cut -d' ' -f1)
    [[ -f "$cache/$key" ]] || todo+=("$f" "$key")
  done
  echo "$((${#todo[@]} / 2)) of ${#TIDY_FILES[@]} files checked, the others unchanged since they passed"
  ((${#todo[@]} == 0)) && return 0
  printf '%s\n' "${todo[@]}" | xargs -n2 -P"$JOBS" bash -c 'tidy_one "$0" "$1" '"$cache"
}

check eslint eslint
check prettier prettier
check tsc tsc
check clang-format clang_format
check clang-tidy clang_tidy

echo "lint: $passed passed, $failed failed"
[[ $failed == 0 ]]
