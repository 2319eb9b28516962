/**
 * Masked Gaussian blur whose cost does not grow with sigma: three successive box filters per
 * axis (running sums, O(1) per pixel), sized after W. M. Wells, "Efficient synthesis of Gaussian
 * filters by cascaded uniform filters", IEEE PAMI 8(2), 1986. Masked pixels are left out
 * (normalized convolution: blur(value * mask) / blur(mask)).
 */

/** Widths of `n` box filters whose cascade has (about) the variance of a Gaussian of `sigma`. */
export function boxWidths(sigma: number, n = 3): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / n + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) {
    lower--;
  }
  const upper = lower + 2;
  const m = Math.round(
    (12 * sigma * sigma - n * lower * lower - 4 * n * lower - 3 * n) / (-4 * lower - 4)
  );
  return Array.from({ length: n }, (_, i) => (i < m ? lower : upper));
}

/**
 * Blur `values` (rows x cols) where `mask` is 1, with a Gaussian of `sigma` pixels.
 * Returns the blurred values; where no valid pixel is near, the result is 0.
 */
export function maskedGaussianBlur(
  rows: number,
  cols: number,
  values: ArrayLike<number>,
  mask: ArrayLike<number>,
  sigma: number
): Float64Array {
  const size = rows * cols;
  const num = new Float64Array(size);
  const den = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    if (mask[i]) {
      num[i] = values[i];
      den[i] = 1;
    }
  }
  const scratch = new Float64Array(Math.max(rows, cols));
  for (const width of boxWidths(sigma)) {
    const radius = (width - 1) >> 1;
    for (const plane of [num, den]) {
      Private.boxRows(plane, rows, cols, radius, scratch);
      Private.boxCols(plane, rows, cols, radius, scratch);
    }
  }
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = den[i] > 1e-9 ? num[i] / den[i] : 0;
  }
  return out;
}

namespace Private {
  /** Mean of |values| weighted by `weights` (0 when they sum to 0). */
  export function weightedMeanMagnitude(values: Float64Array, weights: ArrayLike<number>): number {
    let sum = 0;
    let total = 0;
    for (let i = 0; i < values.length; i++) {
      if (weights[i]) {
        sum += weights[i] * Math.abs(values[i]);
        total += weights[i];
      }
    }
    return total > 0 ? sum / total : 0;
  }

  /** Box sum of radius r along a line (zero outside), written back in place. */
  function boxLine(
    data: Float64Array,
    start: number,
    stride: number,
    length: number,
    radius: number,
    line: Float64Array
  ): void {
    for (let i = 0; i < length; i++) {
      line[i] = data[start + i * stride];
    }
    let sum = 0;
    for (let i = 0; i < Math.min(radius, length); i++) {
      sum += line[i];
    }
    const scale = 1 / (2 * radius + 1);
    for (let i = 0; i < length; i++) {
      const add = i + radius;
      if (add < length) {
        sum += line[add];
      }
      const drop = i - radius - 1;
      if (drop >= 0) {
        sum -= line[drop];
      }
      data[start + i * stride] = sum * scale;
    }
  }

  export function boxRows(
    data: Float64Array,
    rows: number,
    cols: number,
    radius: number,
    line: Float64Array
  ): void {
    for (let r = 0; r < rows; r++) {
      boxLine(data, r * cols, 1, cols, radius, line);
    }
  }

  export function boxCols(
    data: Float64Array,
    rows: number,
    cols: number,
    radius: number,
    line: Float64Array
  ): void {
    for (let c = 0; c < cols; c++) {
      boxLine(data, c, cols, rows, radius, line);
    }
  }
}

/**
 * The wide background of an image: the masked Gaussian blur computed on a block-averaged copy
 * (blocks of about sigma / 3 pixels, which a blur this wide cannot tell apart) and interpolated
 * back bilinearly. Cost is about that of one pass over the pixels, whatever sigma.
 */
export function estimateBackground(
  rows: number,
  cols: number,
  values: ArrayLike<number>,
  mask: ArrayLike<number>,
  sigma: number
): Float64Array {
  const model = backgroundModel(rows, cols, values, mask, sigma);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    model.row(r, out.subarray(r * cols, (r + 1) * cols));
  }
  return out;
}

/** The background of `estimateBackground`, evaluated a row at a time (no full-size array). */
export interface BackgroundModel {
  /** Write the background of row `r` into `out` (`cols` values). */
  row(r: number, out: Float64Array): void;
  /**
   * Mean magnitude of the background over the valid pixels, from the block grid (each block
   * weighted by its valid pixels; exact when no blocks are formed).
   */
  readonly meanMagnitude: number;
}

/**
 * Side of the blocks the background of `sigma` pixels is averaged over (1: none): a blur this
 * wide cannot tell apart pixels closer than about sigma / 3.
 */
export function blockSize(sigma: number): number {
  return Math.max(1, Math.floor(sigma / 3));
}

/**
 * The model behind `estimateBackground`: `values[i] + offset` where `mask[i]` is set. Only the
 * block-averaged grid is stored (unless sigma is so small that no blocks are formed).
 */
export function backgroundModel(
  rows: number,
  cols: number,
  values: ArrayLike<number>,
  mask: ArrayLike<number>,
  sigma: number,
  offset = 0
): BackgroundModel {
  const f = blockSize(sigma);
  if (f === 1) {
    const shifted = new Float64Array(rows * cols);
    for (let i = 0; i < shifted.length; i++) {
      shifted[i] = mask[i] ? values[i] + offset : 0;
    }
    const blurred = maskedGaussianBlur(rows, cols, shifted, mask, sigma);
    return {
      row: (r, out) => out.set(blurred.subarray(r * cols, (r + 1) * cols)),
      meanMagnitude: Private.weightedMeanMagnitude(blurred, mask)
    };
  }
  const sr = Math.ceil(rows / f);
  const sc = Math.ceil(cols / f);
  const sum = new Float64Array(sr * sc);
  const count = new Float64Array(sr * sc);
  const blockOf = new Int32Array(cols);
  for (let c = 0; c < cols; c++) {
    blockOf[c] = Math.floor(c / f);
  }
  for (let r = 0; r < rows; r++) {
    const br = Math.floor(r / f) * sc;
    for (let c = 0, i = r * cols; c < cols; c++, i++) {
      if (mask[i]) {
        const b = br + blockOf[c];
        sum[b] += values[i];
        count[b] += 1;
      }
    }
  }
  const small = new Float64Array(sr * sc);
  const smallMask = new Uint8Array(sr * sc);
  for (let b = 0; b < small.length; b++) {
    if (count[b] > 0) {
      small[b] = sum[b] / count[b] + offset;
      smallMask[b] = 1;
    }
  }
  const blurred = maskedGaussianBlur(sr, sc, small, smallMask, sigma / f);
  // Block b covers pixels [b f, b f + f - 1]: its center is at b f + (f - 1) / 2.
  const colIndex = new Int32Array(cols);
  const colNext = new Int32Array(cols);
  const colFrac = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const t = Math.min(Math.max((c - (f - 1) / 2) / f, 0), sc - 1);
    colIndex[c] = Math.min(Math.floor(t), sc - 2 < 0 ? 0 : sc - 2);
    colNext[c] = Math.min(colIndex[c] + 1, sc - 1);
    colFrac[c] = sc > 1 ? t - colIndex[c] : 0;
  }
  return {
    meanMagnitude: Private.weightedMeanMagnitude(blurred, count),
    row(r: number, out: Float64Array): void {
      const t = Math.min(Math.max((r - (f - 1) / 2) / f, 0), sr - 1);
      const r0 = Math.min(Math.floor(t), sr - 2 < 0 ? 0 : sr - 2);
      const fr = sr > 1 ? t - r0 : 0;
      const top = r0 * sc;
      const bottom = Math.min(r0 + 1, sr - 1) * sc;
      for (let c = 0; c < cols; c++) {
        const c0 = colIndex[c];
        const c1 = colNext[c];
        const fc = colFrac[c];
        const up = blurred[top + c0] * (1 - fc) + blurred[top + c1] * fc;
        const down = blurred[bottom + c0] * (1 - fc) + blurred[bottom + c1] * fc;
        out[c] = up * (1 - fr) + down * fr;
      }
    }
  };
}
