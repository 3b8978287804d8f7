// Types of loyaltylens.js beside this file: Emscripten's output, built by scripts/build-wasm.sh and
// git-ignored, while this file is kept in git. tsc (tsconfig.json) reads this file in place of the
// generated one, so it neither checks Emscripten's code nor needs the module built. The functions
// of the instantiated module: WasmModule in web/worker/handlers.js (docs/protocol.md §1).
declare function createLoyaltyLens(options?: { locateFile?: (path: string, prefix: string) => string }): Promise<import('../worker/handlers.js').WasmModule>;
export default createLoyaltyLens;
