/**
 * The engine's WebAssembly kernel (wasm/index.ts, AssemblyScript, compiled ahead of time into
 * wasm-binary.ts): loaded on first use, synchronously, in a Worker, in Node and in jest alike.
 *
 * WebAssembly runs compiled from its first call, where V8 interprets JavaScript until it is hot:
 * the FFT NCC maps of the first Find Center in a fresh Worker, and of every CLI call, ran several
 * times slower than in later calls (issue 13). Where WebAssembly cannot be compiled synchronously
 * (a browser's main thread refuses modules over 4 KB; no WebAssembly at all) or a map needs more
 * memory than `MAX_BYTES`, the callers use the JavaScript route (ncc.ts, fft.ts, pyramid.ts,
 * uncertainty.ts), which computes the same values up to rounding.
 */
import { WASM_KERNEL } from './wasm-binary.js';

/** Largest working memory (bytes) one map or one resident plane may take in the kernel. */
export const MAX_BYTES = 32 * 1024 * 1024;
/** Resident planes (for `wasmNccAt`) take at most this much; then they are all dropped. */
export const PLANES_BYTES = 32 * 1024 * 1024;

/** The kernel's exports (see wasm/index.ts and its files). */
interface Exports {
  memory: WebAssembly.Memory;
  nccMapBytes(rows: number, cols: number): number;
  valuesAt(heap: number): number;
  maskAt(heap: number, rows: number, cols: number): number;
  nccMap(heap: number, rows: number, cols: number, minOverlap: number, firstRow: number, endRow: number): number;
  planeBytes(rows: number, cols: number): number;
  planeLoad(at: number, rows: number, cols: number): void;
  nccAt(at: number, rows: number, cols: number, shiftRow: number, shiftCol: number, minOverlap: number): number;
  residualBytes(rows: number, cols: number): number;
  residualStats(at: number, rows: number, cols: number, shiftRow: number, shiftCol: number, scratch: number): number;
  reduceBytes(rows: number, cols: number, times: number, chunk: number): number;
  reduceStart(heap: number, rows: number, cols: number, times: number, chunk: number, offset: number): void;
  reduceValuesAt(heap: number): number;
  reduceMaskAt(heap: number): number;
  reducePush(heap: number, count: number): void;
  reduceFinish(heap: number): number;
  reduceOutMaskAt(heap: number): number;
  reduceOutRows(heap: number): number;
  reduceOutCols(heap: number): number;
}

/** Rows of the window the kernel's reduction takes per call: about this many bytes of input. */
const REDUCE_CHUNK_BYTES = 1 << 20;

/** The parts of an ncc.ts `Plane` the kernel reads. */
interface PlaneLike {
  readonly rows: number;
  readonly cols: number;
  readonly x: Float32Array;
  readonly m: Float32Array;
}

/**
 * The masked NCC map of (x, m) with its inversion, computed by the kernel: `(2 rows - 1) x
 * (2 cols - 1)` values, shift rows outside [firstRow, endRow) 0. Null when the kernel is not
 * available for this size (the caller then computes it in JavaScript).
 */
export function wasmNccMap(
  rows: number,
  cols: number,
  x: Float32Array,
  m: Float32Array,
  minOverlap: number,
  firstRow: number,
  endRow: number
): Float64Array | null {
  const kernel = Private.kernel();
  if (!kernel) {
    return null;
  }
  // The map's work space lies above the resident planes.
  const heap = Private.top;
  const bytes = kernel.nccMapBytes(rows, cols);
  if (bytes > MAX_BYTES || !Private.reserve(kernel, heap + bytes)) {
    return null;
  }
  const buffer = kernel.memory.buffer;
  new Float32Array(buffer, kernel.valuesAt(heap), rows * cols).set(x);
  new Float32Array(buffer, kernel.maskAt(heap, rows, cols), rows * cols).set(m);
  const at = kernel.nccMap(heap, rows, cols, minOverlap, firstRow, endRow);
  return new Float64Array(kernel.memory.buffer, at, (2 * rows - 1) * (2 * cols - 1)).slice();
}

/**
 * ncc.ts `nccAt` computed by the kernel on its own copy of the plane (made on the plane's first
 * call and kept while the plane's values array lives and the kernel's plane space lasts); NaN
 * when the kernel is not available for this plane (the caller then sums in JavaScript).
 */
export function wasmNccAt(plane: PlaneLike, shiftRow: number, shiftCol: number, minOverlap: number): number {
  const kernel = Private.kernel();
  const at = kernel ? Private.resident(kernel, plane) : -1;
  if (at < 0) {
    return NaN;
  }
  return kernel!.nccAt(at, plane.rows, plane.cols, shiftRow, shiftCol, minOverlap);
}

/**
 * uncertainty.ts `residualStats` computed by the kernel on its copy of the plane (valid pairs
 * and correlation area of the residual at a sub-pixel shift); null when the kernel is not
 * available for this plane.
 */
export function wasmResidualStats(
  plane: PlaneLike,
  shiftRow: number,
  shiftCol: number
): { count: number; area: number } | null {
  const kernel = Private.kernel();
  const at = kernel ? Private.resident(kernel, plane) : -1;
  if (at < 0) {
    return null;
  }
  const scratch = Private.top;
  if (!Private.reserve(kernel!, scratch + kernel!.residualBytes(plane.rows, plane.cols))) {
    return null;
  }
  const area = kernel!.residualStats(at, plane.rows, plane.cols, shiftRow, shiftCol, scratch);
  const count = new Float64Array(kernel!.memory.buffer, scratch, 1)[0];
  return { count, area };
}

/** A reduced plane as the kernel returns it (the fields of an ncc.ts `Plane`). */
export interface ReducedPlane {
  rows: number;
  cols: number;
  x: Float32Array;
  m: Float32Array;
  valid: number;
  mean: number;
}

/**
 * pyramid.ts's reduction computed by the kernel: the window (rowOrigin, colOrigin) of rows x
 * cols of an image `width` wide (values where `mask` is non-zero) reduced `times` times by 2,
 * `offset` added to the valid values of the first reduction, as a plane (masked mean
 * subtracted, as ncc.ts `planeOf`). `binaryMask` says the mask holds only 0 and 1 (a plane's
 * `m`). Null when the kernel is not available for this size (the caller reduces in JavaScript).
 *
 * The window's rows are copied into the kernel's memory a chunk at a time, converted in native
 * code when `data` is a typed array (`Float64Array.set` takes any sample type).
 */
export function wasmReduce(
  data: ArrayLike<number>,
  mask: ArrayLike<number>,
  width: number,
  rowOrigin: number,
  rows: number,
  colOrigin: number,
  cols: number,
  times: number,
  offset = 0,
  binaryMask = false
): ReducedPlane | null {
  const kernel = Private.kernel();
  if (!kernel) {
    return null;
  }
  // Scratch space above the resident planes, as for a map.
  const heap = Private.top;
  const chunk = Math.max(1, Math.min(rows, Math.floor(REDUCE_CHUNK_BYTES / (9 * Math.max(1, cols)))));
  const bytes = kernel.reduceBytes(rows, cols, times, chunk);
  if (!(bytes <= MAX_BYTES) || !Private.reserve(kernel, heap + bytes)) {
    return null;
  }
  kernel.reduceStart(heap, rows, cols, times, chunk, offset);
  const buffer = kernel.memory.buffer;
  const values = new Float64Array(buffer, kernel.reduceValuesAt(heap), chunk * cols);
  const valid = new Uint8Array(buffer, kernel.reduceMaskAt(heap), chunk * cols);
  const view = ArrayBuffer.isView(data) && !(data instanceof DataView);
  // 8-bit masks keep exactly their non-zero entries when copied as bytes (a wider type could
  // wrap, 256 -> 0; a fraction truncate to 0): others are tested entry by entry.
  const bytesMask =
    binaryMask || mask instanceof Uint8Array || mask instanceof Int8Array || mask instanceof Uint8ClampedArray;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const count = Math.min(chunk, rows - r0);
    for (let r = 0; r < count; r++) {
      const start = (rowOrigin + r0 + r) * width + colOrigin;
      const at = r * cols;
      if (view) {
        values.set((data as unknown as Float64Array).subarray(start, start + cols), at);
      } else {
        for (let c = 0; c < cols; c++) {
          values[at + c] = data[start + c];
        }
      }
      if (bytesMask) {
        valid.set((mask as unknown as Uint8Array).subarray(start, start + cols), at);
      } else {
        for (let c = 0; c < cols; c++) {
          valid[at + c] = mask[start + c] ? 1 : 0;
        }
      }
    }
    kernel.reducePush(heap, count);
  }
  const xAt = kernel.reduceFinish(heap);
  const outRows = kernel.reduceOutRows(heap);
  const outCols = kernel.reduceOutCols(heap);
  const size = outRows * outCols;
  const head = new Float64Array(buffer, heap, 2);
  return {
    rows: outRows,
    cols: outCols,
    x: new Float32Array(buffer, xAt, size).slice(),
    m: new Float32Array(buffer, kernel.reduceOutMaskAt(heap), size).slice(),
    mean: head[0],
    valid: head[1]
  };
}

/**
 * Use the kernel (true, the default) or the JavaScript route everywhere (false): for tests and
 * benchmarks that compare the two.
 */
export function setWasmEnabled(enabled: boolean): void {
  Private.state.enabled = enabled;
}

/** Whether the kernel is enabled and could be loaded here. */
export function wasmAvailable(): boolean {
  return Private.kernel() !== null;
}

namespace Private {
  /** The kernel's working memory starts here (below: its own static data, none so far). */
  export const HEAP = 65536;

  /** `setWasmEnabled`'s choice. */
  export const state = { enabled: true };
  let loaded: Exports | null | undefined;

  /** End of the resident planes (the maps' work space starts here). */
  export let top = HEAP;
  /** Bumped when the plane space is emptied: entries of an older generation are gone. */
  let generation = 0;
  const planes = new WeakMap<Float32Array, { at: number; generation: number }>();

  /** Offset of the plane's resident copy, made now if needed; -1 when it does not fit. */
  export function resident(kernel: Exports, plane: PlaneLike): number {
    const known = planes.get(plane.x);
    if (known && known.generation === generation) {
      return known.at;
    }
    const { rows, cols } = plane;
    const bytes = Math.ceil(kernel.planeBytes(rows, cols) / 16) * 16;
    if (bytes > PLANES_BYTES) {
      return -1;
    }
    if (top + bytes > HEAP + PLANES_BYTES) {
      generation++;
      top = HEAP;
    }
    const at = top;
    if (!reserve(kernel, at + bytes)) {
      return -1;
    }
    top += bytes;
    const buffer = kernel.memory.buffer;
    new Float32Array(buffer, kernel.valuesAt(at), rows * cols).set(plane.x);
    new Float32Array(buffer, kernel.maskAt(at, rows, cols), rows * cols).set(plane.m);
    kernel.planeLoad(at, rows, cols);
    planes.set(plane.x, { at, generation });
    return at;
  }

  export function kernel(): Exports | null {
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
  export function reserve(kernel: Exports, bytes: number): boolean {
    const have = kernel.memory.buffer.byteLength;
    if (have >= bytes) {
      return true;
    }
    try {
      kernel.memory.grow(Math.ceil((bytes - have) / 65536));
      return true;
    } catch {
      return false;
    }
  }
}
