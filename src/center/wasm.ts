/**
 * The kernel's passes on planes (kernel.ts loads it): the NCC map and the NCC at one shift
 * (ncc.ts), the residual statistics of the uncertainty (uncertainty.ts), the background-
 * normalized plane (normalize.ts). Each returns null (NaN for a number) when the kernel is not
 * available for the input; the caller then runs its JavaScript route.
 */
import { nextPowerOfTwo } from './fft.js';
import { MAX_BYTES, reserve, resident, scratch, wasmKernel, type PlaneLike } from './kernel.js';

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
  endRow: number,
  into: Float64Array | null = null
): Float64Array | null {
  const kernel = wasmKernel();
  if (!kernel) {
    return null;
  }
  // The map's work space lies above the resident planes.
  const heap = scratch();
  const bytes = kernel.nccMapBytes(rows, cols);
  if (bytes > MAX_BYTES || !reserve(kernel, heap + bytes)) {
    return null;
  }
  const buffer = kernel.memory.buffer;
  new Float32Array(buffer, kernel.valuesAt(heap), rows * cols).set(x);
  new Float32Array(buffer, kernel.maskAt(heap, rows, cols), rows * cols).set(m);
  // The forward twiddles of both transform sizes (the kernel has no cos or sin of its own).
  const fr = nextPowerOfTwo(2 * rows - 1);
  const fc = nextPowerOfTwo(2 * cols - 1);
  const twiddles = new Float64Array(buffer, kernel.twiddlesAt(heap, rows, cols), fr + fc);
  Private.twiddles(fr, twiddles.subarray(0, fr));
  Private.twiddles(fc, twiddles.subarray(fr));
  const at = kernel.nccMap(heap, rows, cols, minOverlap, firstRow, endRow);
  const map = new Float64Array(kernel.memory.buffer, at, (2 * rows - 1) * (2 * cols - 1));
  if (into && into.length === map.length) {
    into.set(map);
    return into;
  }
  return map.slice();
}

/**
 * ncc.ts `nccAt` computed by the kernel on its own copy of the plane (made on the plane's first
 * call and kept while the plane's values array lives and the kernel's plane space lasts); NaN
 * when the kernel is not available for this plane (the caller then sums in JavaScript).
 */
export function wasmNccAt(plane: PlaneLike, shiftRow: number, shiftCol: number, minOverlap: number): number {
  const kernel = wasmKernel();
  const at = kernel ? resident(kernel, plane) : -1;
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
  const kernel = wasmKernel();
  const at = kernel ? resident(kernel, plane) : -1;
  if (at < 0) {
    return null;
  }
  const work = scratch();
  if (!reserve(kernel!, work + kernel!.residualBytes(plane.rows, plane.cols))) {
    return null;
  }
  const area = kernel!.residualStats(at, plane.rows, plane.cols, shiftRow, shiftCol, work);
  const count = new Float64Array(kernel!.memory.buffer, work, 1)[0];
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
  const kernel = wasmKernel();
  if (!kernel || widths.length !== 3) {
    return null;
  }
  const { rows, cols } = plane;
  const heap = scratch();
  const bytes = kernel.normalizeBytes(rows, cols, block);
  if (bytes > MAX_BYTES || !reserve(kernel, heap + bytes)) {
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

namespace Private {
  /** exp(-2 pi i k / n) for k < n / 2 into `out` as (re, im) pairs. */
  export function twiddles(n: number, out: Float64Array): void {
    for (let k = 0; k < n / 2; k++) {
      const angle = (2 * Math.PI * k) / n;
      out[2 * k] = Math.cos(angle);
      out[2 * k + 1] = -Math.sin(angle);
    }
  }
}
