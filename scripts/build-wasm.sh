#!/usr/bin/env bash
# Builds the wasm module twice from the same core: loyaltylens.js/.wasm (ES6, web + worker) for the
# page and loyaltylens.node.cjs/.wasm for Node tests; copies them to web/generated/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's Emscripten optimizer needs Debian's acorn.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
if ! command -v emcmake >/dev/null; then
  echo "build-wasm: emcmake not found; run 'npm run setup' (installs Debian's emscripten)" >&2
  exit 1
fi
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j2
mkdir -p web/generated
cp build/wasm/loyaltylens.js build/wasm/loyaltylens.wasm web/generated/
cp build/wasm/loyaltylens.node.cjs web/generated/
cp build/wasm/loyaltylens.node.wasm web/generated/
echo "build-wasm: web/generated/loyaltylens.{js,wasm} and loyaltylens.node.{cjs,wasm}"
