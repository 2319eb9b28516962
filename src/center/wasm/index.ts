/**
 * AssemblyScript source of the engine's WebAssembly kernel (this file is its entry),
 * compiled ahead of time by `npm run build:wasm` (scripts/build-wasm.mjs) into ../wasm-binary.ts; loaded by ../wasm.ts.
 * Not compiled by tsc: this is AssemblyScript (f64, i32, usize, load/store, v128).
 *
 * Why WebAssembly: V8 runs JavaScript in its interpreter until a function is hot, so the first
 * call of the engine in a fresh process or Worker ran these loops 5-10x slower than the later
 * calls (issue 13); WebAssembly is compiled before it runs. The arithmetic is that of the JS
 * route (ncc.ts, fft.ts): same formulas, same guards; the FFT is a radix-2 one with complex
 * numbers as f64x2 vectors, so values differ from the JS route's by rounding only.
 *
 * Files: ncc-map.ts (ncc.ts `nccMap`, with fft.ts), ncc-at.ts (`nccAt` on planes kept in the
 * kernel's memory), residual.ts (uncertainty.ts `residualStats`), pyramid.ts (pyramid.ts's 2x
 * reductions, streamed row by row), layout.ts (shared rules).
 * The JavaScript side (../wasm.ts) owns the memory: it writes inputs where these functions say
 * and reads their results; nothing here allocates.
 */

export * from './ncc-map';
export * from './ncc-at';
export * from './residual';
export * from './pyramid';
export { maskAt, valuesAt } from './layout';
export * from './normalize';
export * from './image';
export * from './hot-pixels';
