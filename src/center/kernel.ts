/**
 * The engine's WebAssembly kernel (wasm/index.ts, AssemblyScript, compiled ahead of time into
 * wasm-binary.ts): loaded on first use, synchronously, in a Worker, in Node and in jest alike,
 * and its memory. wasm.ts and wasm-image.ts call it for the engine's passes.
 *
 * WebAssembly runs compiled from its first call, where V8 interprets JavaScript until it is hot
 * (and boxes every double it computes there): the first Find Center in a fresh Worker, and every
 * CLI call, ran the engine's loops several times slower than later calls (issue 13). Where
 * WebAssembly cannot be compiled synchronously (a browser's main thread refuses modules over
 * 4 KB; no WebAssembly at all) or a pass needs more memory than `MAX_BYTES`, the callers use
 * their JavaScript route, which computes the same values (up to rounding where noted).
 *
 * Memory: from `HEAP`, resident planes (for the NCC at one shift, called many times per plane)
 * up to `PLANES_BYTES`, then dropped all at once; above them (`scratch()`), each call's work
 * space, used and forgotten within the call (calls are synchronous).
 */
import { WASM_KERNEL } from './wasm-binary.js';

/** Largest working memory (bytes) one map or one resident plane may take in the kernel. */
export const MAX_BYTES = 32 * 1024 * 1024;
/** Resident planes (for `wasmNccAt`) take at most this much; then they are all dropped. */
export const PLANES_BYTES = 32 * 1024 * 1024;

/** The kernel's exports (see wasm/index.ts and its files). */
export interface Exports {
  memory: WebAssembly.Memory;
  nccMapBytes(rows: number, cols: number): number;
  valuesAt(heap: number): number;
  maskAt(heap: number, rows: number, cols: number): number;
  nccMap(heap: number, rows: number, cols: number, minOverlap: number, firstRow: number, endRow: number): number;
  twiddlesAt(heap: number, rows: number, cols: number): number;
  planeBytes(rows: number, cols: number): number;
  planeLoad(at: number, rows: number, cols: number): void;
  nccAt(at: number, rows: number, cols: number, shiftRow: number, shiftCol: number, minOverlap: number): number;
  residualBytes(rows: number, cols: number): number;
  residualStats(at: number, rows: number, cols: number, shiftRow: number, shiftCol: number, scratch: number): number;
  normalizeBytes(rows: number, cols: number, block: number): number;
  normalizeResultAt(heap: number, rows: number, cols: number): number;
  normalize(
    heap: number,
    rows: number,
    cols: number,
    mean: number,
    block: number,
    w0: number,
    w1: number,
    w2: number
  ): void;
  imageValuesAt(heap: number): number;
  imageMaskAt(heap: number, rows: number, cols: number): number;
  imageGivenAt(heap: number, rows: number, cols: number): number;
  imageOutAt(heap: number, rows: number, cols: number): number;
  imageBytes(rows: number, cols: number): number;
  comRows(heap: number, rows: number, cols: number, firstRow: number, useMask: number, useGiven: number): void;
  cropPlane(heap: number, rows: number, cols: number): void;
  planeMaskAt(x: number, size: number): number;
  planeResultAt(x: number, size: number): number;
  hotWorkAt(heap: number): number;
  hotMaskAt(heap: number, n: number): number;
  hotValuesAt(heap: number, n: number): number;
  hotValidAt(heap: number, n: number, chunk: number): number;
  hotBytes(n: number, chunk: number, step: number): number;
  hotWorkingValues(heap: number, n: number, chunk: number, first: number, count: number, useValid: number): void;
  hotSanitize(heap: number, n: number, chunk: number, first: number, count: number, useValid: number): void;
  hotNoiseScale(heap: number, n: number, chunk: number, height: number, width: number, step: number): number;
  hotScan(
    heap: number,
    n: number,
    chunk: number,
    height: number,
    width: number,
    floor: number,
    ratio: number
  ): void;
  reduceBytes(rows: number, cols: number, times: number, chunk: number): number;
  reduceStart(heap: number, rows: number, cols: number, times: number, chunk: number, offset: number): void;
  reduceValuesAt(heap: number): number;
  reduceMaskAt(heap: number): number;
  reducePush(heap: number, count: number): void;
  reduceFinish(heap: number): number;
  reduceOutMaskAt(heap: number): number;
  reduceOutRows(heap: number): number;
  reduceOutCols(heap: number): number;
  binOutAt(heap: number, block: number, width: number, rows: number, cols: number): number;
  binBytes(block: number, width: number, rows: number, cols: number): number;
  binBand(heap: number, block: number, width: number, left: number, cols: number, br: number, rows: number): void;
  binFinish(heap: number, block: number, width: number, rows: number, cols: number): void;
}

/** The parts of an ncc.ts `Plane` the kernel reads. */
export interface PlaneLike {
  readonly rows: number;
  readonly cols: number;
  readonly x: Float32Array;
  readonly m: Float32Array;
}

/**
 * Use the kernel (true, the default) or the JavaScript route everywhere (false): for tests and
 * benchmarks that compare the two.
 */
export function setWasmEnabled(enabled: boolean): void {
  state.enabled = enabled;
}

/** Whether the kernel is enabled and could be loaded here. */
export function wasmAvailable(): boolean {
  return wasmKernel() !== null;
}

/** The kernel's working memory starts here (below: its own static data, none so far). */
const HEAP = 65536;
/** Pixels per chunk of rows that `wasmCenterOfMass` copies in at a time. */
export const CHUNK_PIXELS = 1 << 18;

/** data[a .. b) into `target` as f64: typed arrays convert in native code. */
export function copyValues(data: ArrayLike<number>, a: number, b: number, target: Float64Array): void {
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    target.set((data as unknown as Float64Array).subarray(a, b));
    return;
  }
  for (let i = a; i < b; i++) {
    target[i - a] = data[i];
  }
}

/** Where a call's work space starts: above the resident planes. */
export function scratch(): number {
  return top;
}

/** `setWasmEnabled`'s choice. */
const state = { enabled: true };
let loaded: Exports | null | undefined;

/** End of the resident planes (the maps' work space starts here). */
let top = HEAP;
/** Bumped when the plane space is emptied: entries of an older generation are gone. */
let generation = 0;
const planes = new WeakMap<Float32Array, { at: number; generation: number }>();

/**
 * Start a new piece of work (an `autocenter` call, a tracked frame): the resident planes of
 * the earlier ones are let go, so that this one's planes and work space reuse the same memory
 * (on a fresh page, this machine class pays 15-25 µs per 4 KB page at first touch: appending
 * each call's planes above the last call's had every call touch new memory until the plane
 * space was full). A plane of an earlier piece that is used again is simply copied in again.
 */
export function beginWork(): void {
  if (top !== HEAP) {
    generation++;
    top = HEAP;
  }
}

/** Offset of the plane's resident copy, made now if needed; -1 when it does not fit. */
export function resident(k: Exports, plane: PlaneLike): number {
  const known = planes.get(plane.x);
  if (known && known.generation === generation) {
    return known.at;
  }
  const { rows, cols } = plane;
  const bytes = Math.ceil(k.planeBytes(rows, cols) / 16) * 16;
  if (bytes > PLANES_BYTES) {
    return -1;
  }
  if (top + bytes > HEAP + PLANES_BYTES) {
    generation++;
    top = HEAP;
  }
  const at = top;
  if (!reserve(k, at + bytes)) {
    return -1;
  }
  top += bytes;
  const buffer = k.memory.buffer;
  new Float32Array(buffer, k.valuesAt(at), rows * cols).set(plane.x);
  new Float32Array(buffer, k.maskAt(at, rows, cols), rows * cols).set(plane.m);
  k.planeLoad(at, rows, cols);
  planes.set(plane.x, { at, generation });
  return at;
}

/** The kernel, loaded on first use; null when disabled or not loadable here. */
export function wasmKernel(): Exports | null {
  if (!state.enabled) {
    return null;
  }
  if (loaded === undefined) {
    loaded = load();
  }
  return loaded;
}

function load(): Exports | null {
  if (typeof WebAssembly !== 'object') {
    return null;
  }
  try {
    const bytes = Uint8Array.from(atob(WASM_KERNEL), ch => ch.charCodeAt(0));
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort: () => {
          throw new Error('the WebAssembly kernel aborted');
        }
      }
    });
    return instance.exports as unknown as Exports;
  } catch {
    // e.g. a browser's main thread (synchronous compilation of modules over 4 KB is refused).
    return null;
  }
}

/** Grow the kernel's memory to at least `bytes`; false when it cannot grow. */
export function reserve(k: Exports, bytes: number): boolean {
  const have = k.memory.buffer.byteLength;
  if (have >= bytes) {
    return true;
  }
  try {
    k.memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}
