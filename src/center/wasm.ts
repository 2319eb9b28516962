/**
 * The engine's WebAssembly kernel (wasm/index.ts, AssemblyScript, compiled ahead of time into
 * wasm-binary.ts): loaded on first use, synchronously, in a Worker, in Node and in jest alike.
 *
 * WebAssembly runs compiled from its first call, where V8 interprets JavaScript until it is hot:
 * the FFT NCC maps of the first Find Center in a fresh Worker, and of every CLI call, ran several
 * times slower than in later calls (issue 13). Where WebAssembly cannot be compiled synchronously
 * (a browser's main thread refuses modules over 4 KB; no WebAssembly at all) or a map needs more
 * memory than `MAX_BYTES`, the callers use the JavaScript route (ncc.ts, fft.ts), which computes
 * the same values up to rounding.
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
  hotWorkAt(heap: number): number;
  hotMaskAt(heap: number, n: number): number;
  hotValuesAt(heap: number, n: number): number;
  hotValidAt(heap: number, n: number, chunk: number): number;
  hotBytes(n: number, chunk: number, step: number): number;
  hotWorkingValues(heap: number, n: number, chunk: number, first: number, count: number, useValid: number): void;
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
}

/** A window of an image: rows [rowOrigin, rowOrigin + rows), columns likewise. */
interface WindowLike {
  readonly origin: number;
  readonly size: number;
}

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

/**
 * normalize.ts `normalizedPlane`'s values computed by the kernel: the plane divided by its
 * background (blocks of `block` pixels blurred with box `widths`), its masked mean subtracted.
 * Null when the kernel is not available for this size.
 */
export function wasmNormalize(
  plane: PlaneLike & { readonly mean: number },
  block: number,
  widths: number[]
): { x: Float32Array; valid: number; mean: number } | null {
  const kernel = Private.kernel();
  if (!kernel || widths.length !== 3) {
    return null;
  }
  const { rows, cols } = plane;
  const heap = Private.top;
  const bytes = kernel.normalizeBytes(rows, cols, block);
  if (bytes > MAX_BYTES || !Private.reserve(kernel, heap + bytes)) {
    return null;
  }
  const buffer = kernel.memory.buffer;
  const x = new Float32Array(buffer, kernel.valuesAt(heap), rows * cols);
  x.set(plane.x);
  new Float32Array(buffer, kernel.maskAt(heap, rows, cols), rows * cols).set(plane.m);
  kernel.normalize(heap, rows, cols, plane.mean, block, widths[0], widths[1], widths[2]);
  const [valid, mean] = new Float64Array(buffer, kernel.normalizeResultAt(heap, rows, cols), 2);
  return { x: x.slice(), valid, mean };
}

/**
 * com.ts `centerOfMassAndCount`'s sums computed by the kernel, a chunk of rows at a time (the
 * rows copied in natively): total intensity, its row and column moments, valid pixels; `mask`
 * is cleared where `given` is 0, as in JavaScript. Null when the kernel is not available.
 */
export function wasmCenterOfMass(
  data: ArrayLike<number>,
  height: number,
  width: number,
  mask: Uint8Array | null,
  given: Uint8Array | null
): { total: number; sumRow: number; sumCol: number; valid: number } | null {
  const kernel = Private.kernel();
  if (!kernel || width <= 0) {
    return null;
  }
  const chunk = Math.max(1, Math.min(height, Math.floor(Private.CHUNK_PIXELS / width)));
  const heap = Private.top;
  if (!Private.reserve(kernel, heap + kernel.imageBytes(chunk, width))) {
    return null;
  }
  const buffer = kernel.memory.buffer;
  const useGiven = mask !== null && given !== null;
  // The running sums, carried from chunk to chunk (the kernel adds in the JavaScript's order).
  const out = new Float64Array(4);
  for (let first = 0; first < height; first += chunk) {
    const rows = Math.min(chunk, height - first);
    const a = first * width;
    const b = a + rows * width;
    Private.copyValues(data, a, b, new Float64Array(buffer, kernel.imageValuesAt(heap), rows * width));
    const maskView = new Uint8Array(buffer, kernel.imageMaskAt(heap, rows, width), rows * width);
    if (mask) {
      maskView.set(mask.subarray(a, b));
    }
    if (useGiven) {
      new Uint8Array(buffer, kernel.imageGivenAt(heap, rows, width), rows * width).set(given!.subarray(a, b));
    }
    const sums = new Float64Array(buffer, kernel.imageOutAt(heap, rows, width), 4);
    sums.set(out);
    kernel.comRows(heap, rows, width, first, mask ? 1 : 0, useGiven ? 1 : 0);
    if (useGiven) {
      mask!.set(maskView, a);
    }
    out.set(sums);
  }
  const [total, sumRow, sumCol, valid] = out;
  return { total, sumRow, sumCol, valid };
}

/**
 * crop.ts `cropPlane` computed by the kernel: the window of `data` (row length `width`) where
 * `mask` is set, as a plane's values (masked mean subtracted) and 0/1 mask. Null when the
 * kernel is not available for this size.
 */
export function wasmCropPlane(
  data: ArrayLike<number>,
  mask: Uint8Array,
  width: number,
  rowAxis: WindowLike,
  colAxis: WindowLike
): { x: Float32Array; m: Float32Array; valid: number; mean: number } | null {
  const kernel = Private.kernel();
  if (!kernel) {
    return null;
  }
  const rows = rowAxis.size;
  const cols = colAxis.size;
  const heap = Private.top;
  const bytes = kernel.imageBytes(rows, cols);
  if (bytes > MAX_BYTES || !Private.reserve(kernel, heap + bytes)) {
    return null;
  }
  const buffer = kernel.memory.buffer;
  const values = new Float64Array(buffer, kernel.imageValuesAt(heap), rows * cols);
  const maskView = new Uint8Array(buffer, kernel.imageMaskAt(heap, rows, cols), rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = (rowAxis.origin + r) * width + colAxis.origin;
    Private.copyValues(data, src, src + cols, values.subarray(r * cols, (r + 1) * cols));
    maskView.set(mask.subarray(src, src + cols), r * cols);
  }
  kernel.cropPlane(heap, rows, cols);
  const out = kernel.imageOutAt(heap, rows, cols);
  const size = rows * cols;
  const x = new Float32Array(buffer, out, size).slice();
  const mAt = out + Private.align16(4 * size);
  const m = new Float32Array(buffer, mAt, size).slice();
  const [valid, mean] = new Float64Array(buffer, mAt + Private.align16(4 * size), 2);
  return { x, m, valid, mean };
}

/**
 * masking.ts `hotPixelMask` computed by the kernel: the noise scale over every `step`-th pixel,
 * then the pixels hot by `sigmas` noise scales and `ratio` times their median cleared in `mask`
 * (which holds the valid pixels on entry). False when the kernel is not available for this
 * size (`mask` untouched; the caller then scans in JavaScript).
 */
export function wasmHotPixels(
  image: { height: number; width: number; data: ArrayLike<number> },
  valid: Uint8Array | null,
  mask: Uint8Array,
  step: number,
  sigmas: number,
  ratio: number
): boolean {
  const kernel = Private.kernel();
  if (!kernel) {
    return false;
  }
  const { height, width, data } = image;
  const n = height * width;
  const chunk = Math.min(n, Private.CHUNK_PIXELS);
  const heap = Private.top;
  const bytes = kernel.hotBytes(n, chunk, step);
  if (bytes > MAX_BYTES || !Private.reserve(kernel, heap + bytes)) {
    return false;
  }
  const buffer = kernel.memory.buffer;
  const values = new Float64Array(buffer, kernel.hotValuesAt(heap, n), chunk);
  const validView = new Uint8Array(buffer, kernel.hotValidAt(heap, n, chunk), chunk);
  for (let first = 0; first < n; first += chunk) {
    const count = Math.min(chunk, n - first);
    Private.copyValues(data, first, first + count, values);
    if (valid) {
      validView.set(valid.subarray(first, first + count));
    }
    kernel.hotWorkingValues(heap, n, chunk, first, count, valid ? 1 : 0);
  }
  const maskView = new Uint8Array(buffer, kernel.hotMaskAt(heap, n), n);
  maskView.set(mask);
  const floor = sigmas * kernel.hotNoiseScale(heap, n, chunk, height, width, step);
  // (An infinite floor leaves nothing hot.)
  if (floor < Infinity) {
    kernel.hotScan(heap, n, chunk, height, width, floor, ratio);
    mask.set(maskView);
  }
  return true;
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
  /** Pixels per chunk of rows that `wasmCenterOfMass` copies in at a time. */
  export const CHUNK_PIXELS = 1 << 18;

  export function align16(n: number): number {
    return Math.ceil(n / 16) * 16;
  }

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
