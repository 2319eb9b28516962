/** Masked intensity center of mass, in floating point (not truncated). */
import type { ImageLike } from './types.js';

/** The center of mass of the valid pixels, or null when their total intensity is not positive. */
export function maskedCenterOfMass(
  image: ImageLike,
  mask: Uint8Array | null
): { row: number; col: number } | null {
  const { height, width, data } = image;
  let total = 0;
  let sumRow = 0;
  let sumCol = 0;
  for (let r = 0; r < height; r++) {
    let rowTotal = 0;
    let rowCol = 0;
    const offset = r * width;
    for (let c = 0; c < width; c++) {
      const i = offset + c;
      if (mask && !mask[i]) {
        continue;
      }
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
  if (!(total > 0) || !Number.isFinite(total)) {
    return null;
  }
  return { row: sumRow / total, col: sumCol / total };
}
