/**
 * The largest window symmetric about an estimated center.
 *
 * The crop's own center (in image coordinates) is `origin + (size - 1) / 2`; the window is
 * chosen so that this is the integer or half-integer nearest to the estimate (odd sizes for
 * integer centers, even sizes for half-integer ones). Reversing the crop along an axis then
 * reflects it exactly about that center: pixel i goes to 2 c - i. If the NCC of the crop with
 * its reversal peaks at shift s, the pattern's center is `c + s / 2` (see ncc.ts).
 */
import type { Plane } from './ncc.js';
import { wasmCropPlane } from './wasm-image.js';

/** One axis of a crop. */
export interface CropAxis {
  /** First image index inside the crop. */
  origin: number;
  /** Number of pixels. */
  size: number;
  /** The crop's center in image coordinates: origin + (size - 1) / 2. */
  center: number;
}

/** The symmetric window along one axis of `length` pixels about `estimate`. */
export function cropAxis(estimate: number, length: number): CropAxis {
  const clamped = Math.min(Math.max(estimate, 0), length - 1);
  const center = Math.round(2 * clamped) / 2;
  const half = Math.floor(Math.min(center, length - 1 - center));
  // Integer center: [center - half, center + half]; half-integer: same with half = k + 0.5.
  const origin = Math.ceil(center - half - (Number.isInteger(center) ? 0 : 0.5));
  const last = Math.floor(center + half + (Number.isInteger(center) ? 0 : 0.5));
  const fitOrigin = Math.max(0, origin);
  const fitLast = Math.min(length - 1, last);
  // Keep symmetry if the half-integer window ran over an edge.
  const extent = Math.min(center - fitOrigin, fitLast - center);
  const o = Math.ceil(center - extent);
  const size = Math.floor(center + extent) - o + 1;
  return { origin: o, size, center: o + (size - 1) / 2 };
}

/** The same axis shrunk symmetrically (same center) to at most `max` pixels. */
export function capAxis(axis: CropAxis, max: number): CropAxis {
  if (axis.size <= max) {
    return axis;
  }
  const trim = Math.ceil((axis.size - max) / 2);
  return { origin: axis.origin + trim, size: axis.size - 2 * trim, center: axis.center };
}

/** Copy the window [rowAxis] x [colAxis] of `data` (and of `mask`) into new arrays. */
export function cropWindow(
  data: ArrayLike<number>,
  mask: Uint8Array,
  width: number,
  rowAxis: CropAxis,
  colAxis: CropAxis
): { values: Float64Array; mask: Uint8Array } {
  const rows = rowAxis.size;
  const cols = colAxis.size;
  const values = new Float64Array(rows * cols);
  const outMask = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = (rowAxis.origin + r) * width + colAxis.origin;
    const dst = r * cols;
    for (let c = 0; c < cols; c++) {
      if (mask[src + c]) {
        values[dst + c] = data[src + c];
        outMask[dst + c] = 1;
      }
    }
  }
  return { values, mask: outMask };
}

/**
 * The window [rowAxis] x [colAxis] as a plane, cut straight out of the image: the same plane
 * as `makePlane` on `cropWindow`'s copy (same sums in the same order) without the copy.
 */
export function cropPlane(
  data: ArrayLike<number>,
  mask: Uint8Array,
  width: number,
  rowAxis: CropAxis,
  colAxis: CropAxis
): Plane {
  const rows = rowAxis.size;
  const cols = colAxis.size;
  // The same sums in the WebAssembly kernel (wasm-image.ts).
  const compiled = wasmCropPlane(data, mask, width, rowAxis, colAxis);
  if (compiled) {
    return { rows, cols, ...compiled };
  }
  // Rows of a typed array are converted in native code (a generic loop over every sample type
  // would see many array types and run several times slower).
  const typed = ArrayBuffer.isView(data) && !(data instanceof DataView);
  const line = new Float64Array(cols);
  const read = (src: number): Float64Array => {
    if (typed) {
      line.set((data as unknown as Float64Array).subarray(src, src + cols));
    } else {
      for (let c = 0; c < cols; c++) {
        line[c] = data[src + c];
      }
    }
    return line;
  };
  let sum = 0;
  let valid = 0;
  for (let r = 0; r < rows; r++) {
    const src = (rowAxis.origin + r) * width + colAxis.origin;
    const values = read(src);
    for (let c = 0; c < cols; c++) {
      if (mask[src + c]) {
        sum += values[c];
        valid++;
      }
    }
  }
  const mean = valid > 0 ? sum / valid : 0;
  const x = new Float32Array(rows * cols);
  const m = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = (rowAxis.origin + r) * width + colAxis.origin;
    const dst = r * cols;
    const values = read(src);
    for (let c = 0; c < cols; c++) {
      if (mask[src + c]) {
        x[dst + c] = values[c] - mean;
        m[dst + c] = 1;
      }
    }
  }
  return { rows, cols, x, m, valid, mean };
}
