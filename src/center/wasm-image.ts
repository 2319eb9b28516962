/**
 * The kernel's passes over images (kernel.ts loads it): the masked center of mass (com.ts), the
 * crop plane (crop.ts, ncc.ts `makePlane`), the hot-pixel mask (masking.ts), the pyramid's
 * reductions (pyramid.ts). The image's rows are copied into the kernel's memory in native code
 * (any sample type converts to f64 there); each returns null (false) when the kernel is not
 * available for the input, and the caller runs its JavaScript route.
 */
import { CHUNK_PIXELS, copyValues, MAX_BYTES, reserve, scratch, wasmKernel, type Exports } from './kernel.js';
import { isIntegerData } from './validity.js';

/** A window of an image: rows [rowOrigin, rowOrigin + rows), columns likewise. */
interface WindowLike {
  readonly origin: number;
  readonly size: number;
}

/** Rows of the window the kernel's reduction takes per call: about this many bytes of input. */
const REDUCE_CHUNK_BYTES = 1 << 20;

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
  const kernel = wasmKernel();
  if (!kernel || width <= 0) {
    return null;
  }
  const chunk = Math.max(1, Math.min(height, Math.floor(CHUNK_PIXELS / width)));
  const heap = scratch();
  if (!reserve(kernel, heap + kernel.imageBytes(chunk, width))) {
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
    copyValues(data, a, b, new Float64Array(buffer, kernel.imageValuesAt(heap), rows * width));
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
  colAxis: WindowLike,
  into?: { x: Float32Array; m: Float32Array }
): { x: Float32Array; m: Float32Array; valid: number; mean: number } | null {
  const kernel = wasmKernel();
  if (!kernel) {
    return null;
  }
  const rows = rowAxis.size;
  const cols = colAxis.size;
  const heap = scratch();
  const bytes = kernel.imageBytes(rows, cols);
  if (bytes > MAX_BYTES || !reserve(kernel, heap + bytes)) {
    return null;
  }
  const buffer = kernel.memory.buffer;
  const values = new Float64Array(buffer, kernel.imageValuesAt(heap), rows * cols);
  const maskView = new Uint8Array(buffer, kernel.imageMaskAt(heap, rows, cols), rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = (rowAxis.origin + r) * width + colAxis.origin;
    copyValues(data, src, src + cols, values.subarray(r * cols, (r + 1) * cols));
    maskView.set(mask.subarray(src, src + cols), r * cols);
  }
  kernel.cropPlane(heap, rows, cols);
  return Private.readPlane(kernel, kernel.imageOutAt(heap, rows, cols), rows * cols, into);
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
  const kernel = wasmKernel();
  if (!kernel) {
    return false;
  }
  const { height, width, data } = image;
  const n = height * width;
  const chunk = Math.min(n, CHUNK_PIXELS);
  const heap = scratch();
  const bytes = kernel.hotBytes(n, chunk, step);
  if (bytes > MAX_BYTES || !reserve(kernel, heap + bytes)) {
    return false;
  }
  const buffer = kernel.memory.buffer;
  const values = new Float64Array(buffer, kernel.hotValuesAt(heap, n), chunk);
  const validView = new Uint8Array(buffer, kernel.hotValidAt(heap, n, chunk), chunk);
  // Float32 and integer samples are written as float32 straight into the work array (the same
  // float32 as through f64: one rounding either way); float64 ones go through f64 (a finite value
  // beyond the float32 range must stay a value, not become a non-finite one).
  const direct = Private.float32Exact(data);
  const work = direct ? new Float32Array(buffer, kernel.hotWorkAt(heap), n) : null;
  for (let first = 0; first < n; first += chunk) {
    const count = Math.min(chunk, n - first);
    if (valid) {
      validView.set(valid.subarray(first, first + count));
    }
    if (work && direct) {
      work.set(direct.subarray(first, first + count), first);
      kernel.hotSanitize(heap, n, chunk, first, count, valid ? 1 : 0);
    } else {
      copyValues(data, first, first + count, values);
      kernel.hotWorkingValues(heap, n, chunk, first, count, valid ? 1 : 0);
    }
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
  const kernel = wasmKernel();
  if (!kernel) {
    return null;
  }
  // Scratch space above the resident planes, as for a map.
  const heap = scratch();
  const chunk = Math.max(1, Math.min(rows, Math.floor(REDUCE_CHUNK_BYTES / (9 * Math.max(1, cols)))));
  const bytes = kernel.reduceBytes(rows, cols, times, chunk);
  if (!(bytes <= MAX_BYTES) || !reserve(kernel, heap + bytes)) {
    return null;
  }
  kernel.reduceStart(heap, rows, cols, times, chunk, offset);
  const buffer = kernel.memory.buffer;
  const values = new Float64Array(buffer, kernel.reduceValuesAt(heap), chunk * cols);
  const valid = new Uint8Array(buffer, kernel.reduceMaskAt(heap), chunk * cols);
  // 8-bit masks keep exactly their non-zero entries when copied as bytes (a wider type could
  // wrap, 256 -> 0; a fraction truncate to 0): others are tested entry by entry.
  const bytesMask =
    binaryMask || mask instanceof Uint8Array || mask instanceof Int8Array || mask instanceof Uint8ClampedArray;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const count = Math.min(chunk, rows - r0);
    for (let r = 0; r < count; r++) {
      const start = (rowOrigin + r0 + r) * width + colOrigin;
      const at = r * cols;
      copyValues(data, start, start + cols, values.subarray(at, at + cols));
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
 * global.ts `binnedPlane` computed by the kernel: the image binned in `block` x `block` blocks
 * (rows x cols of them from pixel (top, left)), as a plane's values and mask. Null when the
 * kernel is not available for this size.
 */
export function wasmBinnedPlane(
  data: ArrayLike<number>,
  mask: Uint8Array,
  width: number,
  block: number,
  grid: { rows: number; cols: number; top: number; left: number }
): { x: Float32Array; m: Float32Array; valid: number; mean: number } | null {
  const kernel = wasmKernel();
  if (!kernel) {
    return null;
  }
  const { rows, cols, top, left } = grid;
  const heap = scratch();
  const bytes = kernel.binBytes(block, width, rows, cols);
  if (bytes > MAX_BYTES || !reserve(kernel, heap + bytes)) {
    return null;
  }
  const buffer = kernel.memory.buffer;
  const band = block * width;
  const values = new Float64Array(buffer, kernel.imageValuesAt(heap), band);
  const maskView = new Uint8Array(buffer, kernel.imageMaskAt(heap, block, width), band);
  for (let br = 0; br < rows; br++) {
    const a = (top + br * block) * width;
    copyValues(data, a, a + band, values);
    maskView.set(mask.subarray(a, a + band));
    kernel.binBand(heap, block, width, left, cols, br, rows);
  }
  kernel.binFinish(heap, block, width, rows, cols);
  return Private.readPlane(kernel, kernel.binOutAt(heap, block, width, rows, cols), rows * cols);
}

namespace Private {
  /**
   * `data` when its samples become float32 by the one rounding of f64 -> f32 (float32 and
   * integer typed arrays; `Float32Array.set` converts them in native code); else null.
   */
  export function float32Exact(data: ArrayLike<number>): Float32Array | null {
    return data instanceof Float32Array || isIntegerData(data) ? (data as unknown as Float32Array) : null;
  }

  /**
   * Copies of the plane the kernel wrote from `x` (values, mask, valid count, mean): new arrays,
   * or views of `into` (ncc.ts `PlaneBuffers`) written over.
   */
  export function readPlane(
    kernel: Exports,
    x: number,
    size: number,
    into?: { x: Float32Array; m: Float32Array }
  ): { x: Float32Array; m: Float32Array; valid: number; mean: number } {
    const buffer = kernel.memory.buffer;
    const [valid, mean] = new Float64Array(buffer, kernel.planeResultAt(x, size), 2);
    const values = new Float32Array(buffer, x, size);
    const mask = new Float32Array(buffer, kernel.planeMaskAt(x, size), size);
    if (into) {
      const ownX = into.x.subarray(0, size);
      const ownM = into.m.subarray(0, size);
      ownX.set(values);
      ownM.set(mask);
      return { x: ownX, m: ownM, valid, mean };
    }
    return { x: values.slice(), m: mask.slice(), valid, mean };
  }
}
