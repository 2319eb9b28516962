/**
 * The radial profile: the masked azimuthal mean (or median) of an image per radius bin about a
 * center, the 1-D "integration" pyFAI's `AzimuthalIntegrator.integrate1d` does without pixel
 * splitting, solid-angle or polarization corrections.
 *
 * Bin convention (stated once, used everywhere): a pixel's radius is the distance of its center
 * from the center, `r = hypot(row - centerRow, col - centerCol)` with pixel centers at integer
 * (row, col) as numpy indexes them. Bin k covers `k * binWidth <= r < (k + 1) * binWidth`
 * (k = 0 .. bins - 1); its reported radius is the bin's middle, `(k + 0.5) * binWidth`. A pixel
 * lands whole in one bin (no splitting); pixels at `r >= bins * binWidth`, masked pixels and
 * NaN/Inf values are left out. This is pyFAI's `integrate1d(npt=bins, radial_range=(0,
 * bins * binWidth), method=('no', 'histogram', 'cython'), correctSolidAngle=False)` in pixel
 * units (see tests/center/profile.test.ts).
 */
import { CenterError } from './errors.js';
import type { ImageLike } from './types.js';

/** Options of `radialProfile`; every one has a default. */
export interface RadialProfileOptions {
  /** 1 = valid pixel, same length as the image; null/undefined = all valid. */
  mask?: Uint8Array | null;
  /** Bin width in pixels (default 1). */
  binWidth?: number;
  /**
   * Number of bins (default: enough to reach the farthest image corner from the center,
   * `ceil(maxCornerDistance / binWidth) + 1`).
   */
  bins?: number;
  /** 'mean' (default) or 'median' of each bin's valid values. */
  statistic?: 'mean' | 'median';
}

/** A radial profile: one entry per bin. */
export interface RadialProfile {
  /** The center the radii are measured from (row, col). */
  center: { row: number; col: number };
  binWidth: number;
  statistic: 'mean' | 'median';
  /** Middle of each bin, `(k + 0.5) * binWidth`, in pixels. */
  radius: Float64Array;
  /** Mean or median of the bin's valid values; NaN where the bin holds none. */
  value: Float64Array;
  /** Number of valid pixels in each bin. */
  count: Uint32Array;
}

/** The masked azimuthal mean (or median) per radius bin about `center`. See the module comment. */
export function radialProfile(
  image: ImageLike,
  center: { row: number; col: number },
  options: RadialProfileOptions = {}
): RadialProfile {
  const { height, width, data } = image;
  const mask = options.mask ?? null;
  const binWidth = options.binWidth ?? 1;
  const statistic = options.statistic ?? 'mean';
  validateImageAndCenter(image, center, mask);
  if (!(binWidth > 0) || !Number.isFinite(binWidth)) {
    throw new CenterError('invalid-input', `binWidth must be a positive number, got ${binWidth}`);
  }
  const bins = options.bins ?? Math.ceil(maxRadius(height, width, center) / binWidth) + 1;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new CenterError('invalid-input', `bins must be a positive integer, got ${bins}`);
  }
  if (statistic !== 'mean' && statistic !== 'median') {
    throw new CenterError('invalid-input', `statistic must be 'mean' or 'median', got ${String(statistic)}`);
  }
  const count = new Uint32Array(bins);
  const value = new Float64Array(bins);
  if (statistic === 'mean') {
    Private.sums(height, width, center, binWidth, data, mask, count, value);
    for (let k = 0; k < bins; k++) {
      value[k] = count[k] > 0 ? value[k] / count[k] : NaN;
    }
  } else {
    const index = Private.binIndex(height, width, center, binWidth, bins, data, mask);
    Private.medians(index, data, count, value);
  }
  const radius = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    radius[k] = (k + 0.5) * binWidth;
  }
  return { center: { row: center.row, col: center.col }, binWidth, statistic, radius, value, count };
}

/** Distance from `center` to the farthest pixel center of a height x width image. */
export function maxRadius(height: number, width: number, center: { row: number; col: number }): number {
  const dr = Math.max(Math.abs(center.row), Math.abs(height - 1 - center.row));
  const dc = Math.max(Math.abs(center.col), Math.abs(width - 1 - center.col));
  return Math.hypot(dr, dc);
}

/** The checks `radialProfile` and `polarTransform` share (typed `CenterError`s). */
export function validateImageAndCenter(
  image: ImageLike,
  center: { row: number; col: number },
  mask: Uint8Array | null
): void {
  if (!image || typeof image !== 'object' || !image.data) {
    throw new CenterError('invalid-input', 'expected an image {height, width, data}');
  }
  const { height, width, data } = image;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new CenterError('invalid-input', `invalid image shape ${height} x ${width}`);
  }
  if (data.length !== height * width) {
    throw new CenterError(
      'invalid-input',
      `image data holds ${data.length} values, expected ${height} x ${width}`
    );
  }
  if (mask && mask.length !== height * width) {
    throw new CenterError(
      'mask-shape',
      `the mask holds ${mask.length} values, the image ${height} x ${width} = ${height * width}`
    );
  }
  if (!center || !Number.isFinite(center.row) || !Number.isFinite(center.col)) {
    throw new CenterError('invalid-input', 'the center must be finite (row, col)');
  }
}

namespace Private {
  /** Count and sum of the valid values per bin, in one pass. */
  export function sums(
    height: number,
    width: number,
    center: { row: number; col: number },
    binWidth: number,
    data: ArrayLike<number>,
    mask: Uint8Array | null,
    count: Uint32Array,
    sum: Float64Array
  ): void {
    const bins = count.length;
    const inv = 1 / binWidth;
    const dc2 = new Float64Array(width);
    for (let c = 0; c < width; c++) {
      dc2[c] = (c - center.col) ** 2;
    }
    for (let r = 0; r < height; r++) {
      const dr2 = (r - center.row) ** 2;
      const start = r * width;
      for (let c = 0; c < width; c++) {
        const i = start + c;
        const v = data[i];
        // v - v is NaN for NaN and +-Inf: a finiteness test without a call.
        if ((mask !== null && !mask[i]) || v - v !== 0) {
          continue;
        }
        const k = Math.floor(Math.sqrt(dr2 + dc2[c]) * inv);
        if (k < bins) {
          count[k]++;
          sum[k] += v;
        }
      }
    }
  }

  /** Bin of every pixel (-1: left out). */
  export function binIndex(
    height: number,
    width: number,
    center: { row: number; col: number },
    binWidth: number,
    bins: number,
    data: ArrayLike<number>,
    mask: Uint8Array | null
  ): Int32Array {
    const index = new Int32Array(height * width);
    const inv = 1 / binWidth;
    const dc2 = new Float64Array(width);
    for (let c = 0; c < width; c++) {
      dc2[c] = (c - center.col) ** 2;
    }
    for (let r = 0; r < height; r++) {
      const dr2 = (r - center.row) ** 2;
      const start = r * width;
      for (let c = 0; c < width; c++) {
        const i = start + c;
        const v = data[i];
        // v - v is NaN for NaN and +-Inf: a finiteness test without a call.
        if ((mask !== null && !mask[i]) || v - v !== 0) {
          index[i] = -1;
          continue;
        }
        const k = Math.floor(Math.sqrt(dr2 + dc2[c]) * inv);
        index[i] = k < bins ? k : -1;
      }
    }
    return index;
  }

  /** Per-bin medians (the mean of the two middle values for even counts, as numpy). */
  export function medians(
    index: Int32Array,
    data: ArrayLike<number>,
    count: Uint32Array,
    value: Float64Array
  ): void {
    const bins = count.length;
    for (let i = 0; i < index.length; i++) {
      if (index[i] >= 0) {
        count[index[i]]++;
      }
    }
    const offset = new Uint32Array(bins + 1);
    for (let k = 0; k < bins; k++) {
      offset[k + 1] = offset[k] + count[k];
    }
    const fill = offset.slice(0, bins);
    const values = new Float64Array(offset[bins]);
    for (let i = 0; i < index.length; i++) {
      const k = index[i];
      if (k >= 0) {
        values[fill[k]++] = data[i];
      }
    }
    for (let k = 0; k < bins; k++) {
      const n = count[k];
      if (n === 0) {
        value[k] = NaN;
        continue;
      }
      const from = offset[k];
      const half = n >> 1;
      const upper = select(values, from, from + n - 1, from + half);
      if (n & 1) {
        value[k] = upper;
      } else {
        // After selecting the upper middle, the lower middle is the largest value before it.
        let lower = -Infinity;
        for (let j = from; j < from + half; j++) {
          if (values[j] > lower) {
            lower = values[j];
          }
        }
        value[k] = (lower + upper) / 2;
      }
    }
  }

  /**
   * Quickselect (Hoare partition, median-of-three pivot): rearranges a[lo..hi] so that a[k] is
   * the value sorted order would put there, smaller-or-equal values before it; returns a[k].
   */
  export function select(a: Float64Array, lo: number, hi: number, k: number): number {
    while (hi > lo) {
      const mid = (lo + hi) >> 1;
      // Median of three as pivot.
      if (a[mid] < a[lo]) swap(a, mid, lo);
      if (a[hi] < a[lo]) swap(a, hi, lo);
      if (a[hi] < a[mid]) swap(a, hi, mid);
      const pivot = a[mid];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }

  function swap(a: Float64Array, i: number, j: number): void {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
