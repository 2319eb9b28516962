/** Masked intensity center of mass, in floating point (not truncated). */
import type { ImageLike } from './types.js';
import { wasmCenterOfMass } from './wasm-image.js';

/** The center of mass of the valid pixels, or null when their total intensity is not positive. */
export function maskedCenterOfMass(
  image: ImageLike,
  mask: Uint8Array | null
): { row: number; col: number } | null {
  return centerOfMassAndCount(image, mask, null).center;
}

/**
 * `maskedCenterOfMass` in the same pass as applying a second mask: `mask` is cleared in place
 * wherever `given` is 0 (when both are present), and the pixels left valid are counted (all of
 * them when `mask` is null).
 */
export function centerOfMassAndCount(
  image: ImageLike,
  mask: Uint8Array | null,
  given: Uint8Array | null
): { center: { row: number; col: number } | null; valid: number } {
  const { height, width, data } = image;
  // The same sums in the WebAssembly kernel (wasm-image.ts); in JavaScript below otherwise.
  const sums = wasmCenterOfMass(data, height, width, mask, given) ?? Private.sums(image, mask, given);
  const { total, sumRow, sumCol, valid } = sums;
  if (!(total > 0) || !Number.isFinite(total)) {
    return { center: null, valid };
  }
  return { center: { row: sumRow / total, col: sumCol / total }, valid };
}

namespace Private {
  /** The moments and the count of `centerOfMassAndCount`, in JavaScript. */
  export function sums(
    image: ImageLike,
    mask: Uint8Array | null,
    given: Uint8Array | null
  ): { total: number; sumRow: number; sumCol: number; valid: number } {
    const { height, width, data } = image;
    let total = 0;
    let sumRow = 0;
    let sumCol = 0;
    let valid = 0;
    for (let r = 0; r < height; r++) {
    let rowTotal = 0;
    let rowCol = 0;
    const offset = r * width;
    for (let c = 0; c < width; c++) {
      const i = offset + c;
      if (mask) {
        if (given && !given[i]) {
          mask[i] = 0;
        }
        if (!mask[i]) {
          continue;
        }
      }
      valid++;
      const v = data[i];
      if (!(v > 0) || v === Infinity) {
        continue;
      }
      rowTotal += v;
      rowCol += v * c;
    }
    total += rowTotal;
    sumRow += rowTotal * r;
    sumCol += rowCol;
  }
    return { total, sumRow, sumCol, valid };
  }
}
