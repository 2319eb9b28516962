/**
 * Contrast limits from the data: valid-pixel test, value range, histograms and percentiles.
 * Pure functions on typed arrays (no DOM), shared by the viewer, its histogram panel and tests.
 *
 * Invalid pixels (left out of every statistic) follow the engine's one pixel-validity rule
 * (`src/center/validity.ts`): NaN and ±Infinity; negative values of signed integer data when
 * `maskNegative` is set (detector sentinels such as -1 for gaps and -2 for bad pixels; negative
 * floats are values); saturated integer values (the sample type's maximum, 4095 for 12-bit data
 * stored in 16-bit words).
 */
import {
  isValidPixel,
  pixelValidity,
  type PixelValidity
} from '../center/validity.js';
import type { PixelArray, SampleType } from '../io/image.js';

/** How invalid pixels are recognised. */
export interface ValidityOptions {
  /** Treat negative values of signed integer data as masked sentinels (default true). */
  maskNegative?: boolean;
}

/** The validity rule for the values of `data` (the engine's rule, see the module comment). */
export function validityOf(data: PixelArray, options: ValidityOptions = {}): PixelValidity {
  return pixelValidity(data, { maskNegative: options.maskNegative ?? true });
}

/** Whether one value is a valid measurement under `rule` (`validityOf` the frame's data). */
export function isValidValue(value: number, rule: PixelValidity): boolean {
  return isValidPixel(value, rule);
}

/** The range of valid values of a frame. */
export interface ValueRange {
  /** Smallest valid value (NaN when there is none). */
  min: number;
  /** Largest valid value (NaN when there is none). */
  max: number;
  /** Number of valid pixels. */
  valid: number;
  /** Number of invalid pixels (NaN, ±Infinity, masked negatives, saturated). */
  invalid: number;
}

/** Smallest and largest valid value, and how many pixels are valid / invalid. */
export function valueRange(data: PixelArray, options: ValidityOptions = {}): ValueRange {
  const acc = Private.newRangeAccumulator();
  Private.rangeInto(data, 0, data.length, validityOf(data, options), acc);
  return Private.finishRange(acc, data.length);
}

/**
 * Counts of valid values in `bins` equal bins over [lo, hi]; values outside are not counted,
 * a value equal to `hi` goes to the last bin.
 */
export function histogram(
  data: PixelArray,
  lo: number,
  hi: number,
  bins: number,
  options: ValidityOptions = {}
): Float64Array {
  const counts = new Float64Array(bins);
  if (!(hi > lo) || bins < 1) {
    if (hi === lo && bins >= 1 && isValidPixel(lo, validityOf(data, options))) {
      for (let i = 0; i < data.length; i++) {
        if (data[i] === lo) counts[0]++;
      }
    }
    return counts;
  }
  Private.histogramInto(data, 0, data.length, lo, hi, counts, validityOf(data, options));
  return counts;
}

/**
 * Statistics of a frame, computed once per frame so that auto-contrast, percentile changes and
 * the histogram panel need no further pass over the data.
 */
export interface FrameStats {
  range: ValueRange;
  /** The validity rule of the frame (its 12-bit saturation known): painting and readout use it. */
  rule: PixelValidity;
  /**
   * Integer data whose valid range spans at most 2^20 values: `counts[v - offset]` valid
   * pixels have the value v (every percentile is then exact and free).
   */
  counts?: Float64Array;
  offset?: number;
  /** Other data: counts of valid values in 2^16 equal bins over [range.min, range.max]. */
  binned?: Float64Array;
}

/** The number of bins of the approximate (non-integer) percentile histogram. */
export const PERCENTILE_BINS = 1 << 16;

/**
 * `FrameStats` as a sequence of steps: the generator yields after every `chunk` pixels, so a
 * caller can spread the work over several event-loop turns (the viewer does, to never block
 * the UI at 4096²); `frameStats` runs it at once. One pass for 8/16-bit data (a count per raw
 * value), two for the others (range, then a histogram).
 */
export function* frameStatsSteps(
  data: PixelArray,
  options: ValidityOptions = {},
  chunk = 1 << 20
): Generator<void, FrameStats, void> {
  const maskNegative = options.maskNegative ?? true;
  const n = data.length;
  const step = Math.max(1, Math.floor(chunk));
  if (
    data instanceof Uint8Array ||
    data instanceof Uint16Array ||
    data instanceof Int8Array ||
    data instanceof Int16Array
  ) {
    const bits = data instanceof Uint8Array || data instanceof Int8Array ? 8 : 16;
    const offset = data instanceof Int8Array || data instanceof Int16Array ? -(1 << (bits - 1)) : 0;
    const counts32 = new Uint32Array(1 << bits);
    for (let start = 0; start < n; start += step) {
      Private.countInto(data, start, Math.min(n, start + step), offset, counts32);
      if (start + step < n) yield;
    }
    const counts = Float64Array.from(counts32);
    // The validity rule on the counts: sentinels (negatives) and the saturation value out.
    let top = counts.length - 1;
    while (top > 0 && counts[top] === 0) top--;
    const rule = pixelValidity(data, { maskNegative, max: top + offset });
    if (rule.negativeInvalid) counts.fill(0, 0, -offset);
    if (Number.isFinite(rule.saturation)) counts[rule.saturation - offset] = 0;
    return { range: Private.rangeFromCounts(counts, offset, n), rule, counts, offset };
  }
  const rule = validityOf(data, options);
  const acc = Private.newRangeAccumulator();
  for (let start = 0; start < n; start += step) {
    Private.rangeInto(data, start, Math.min(n, start + step), rule, acc);
    yield;
  }
  const range = Private.finishRange(acc, n);
  if (!(range.valid > 0) || range.max === range.min) {
    return { range, rule };
  }
  const exact = Private.isIntegerArray(data) && range.max - range.min + 1 <= 1 << 20;
  const bins = exact ? range.max - range.min + 1 : PERCENTILE_BINS;
  const hi = exact ? range.max + 1 : range.max;
  const counts = new Float64Array(bins);
  for (let start = 0; start < n; start += step) {
    Private.histogramInto(data, start, Math.min(n, start + step), range.min, hi, counts, rule);
    if (start + step < n) yield;
  }
  return exact ? { range, rule, counts, offset: range.min } : { range, rule, binned: counts };
}

/** `FrameStats` of a frame, at once. */
export function frameStats(data: PixelArray, options: ValidityOptions = {}): FrameStats {
  const steps = frameStatsSteps(data, options, Infinity);
  let next = steps.next();
  while (!next.done) next = steps.next();
  return next.value;
}

/**
 * Percentiles (0..100) of the valid values, with numpy's default ("linear") definition:
 * the value at rank p/100 · (n - 1) of the sorted valid values, interpolated between neighbours.
 *
 * Exact for integer data whose valid range spans at most 2^20 values (one bin per integer).
 * Otherwise a 2^16-bin histogram over [min, max] is used and the value is interpolated inside
 * its bin, so the error is below (max - min) / 65536. One or two passes over the data; no sort.
 * Returns NaN for every p when no pixel is valid.
 */
export function percentiles(
  data: PixelArray,
  ps: readonly number[],
  options: ValidityOptions & { range?: ValueRange; stats?: FrameStats } = {}
): number[] {
  const range = options.stats?.range ?? options.range ?? valueRange(data, options);
  if (range.valid === 0) {
    return ps.map(() => NaN);
  }
  const { min, max, valid } = range;
  if (min === max) {
    return ps.map(() => min);
  }
  const exact = Private.isIntegerArray(data) && max - min + 1 <= 1 << 20;
  const bins = exact ? max - min + 1 : PERCENTILE_BINS;
  // For exact integer bins, bin b holds the value min + b: use [min, max + 1) with bins of 1.
  const stats = options.stats;
  const counts =
    exact && stats?.counts
      ? stats.counts.subarray(min - stats.offset!, max - stats.offset! + 1)
      : !exact && stats?.binned && stats.binned.length === bins
        ? stats.binned
        : exact
          ? histogram(data, min, max + 1, bins, options)
          : histogram(data, min, max, bins, options);
  const width = exact ? 1 : (max - min) / bins;
  // Cumulative counts, then look up each rank.
  const cumulative = new Float64Array(bins);
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    sum += counts[b];
    cumulative[b] = sum;
  }
  const valueAtRank = (rank: number): number => {
    // The bin holding the element of 0-based rank `rank`: first b with cumulative[b] > rank.
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > rank) hi = mid;
      else lo = mid + 1;
    }
    if (exact) {
      return min + lo;
    }
    // Spread the bin's counts evenly over its width.
    const before = lo > 0 ? cumulative[lo - 1] : 0;
    const inBin = counts[lo];
    const fraction = inBin > 0 ? (rank - before + 0.5) / inBin : 0.5;
    return Math.min(max, Math.max(min, min + (lo + fraction) * width));
  };
  return ps.map(p => {
    const clamped = Math.min(100, Math.max(0, p));
    const rank = (clamped / 100) * (valid - 1);
    const below = Math.floor(rank);
    const above = Math.min(valid - 1, below + 1);
    const a = valueAtRank(below);
    if (rank === below) {
      return a;
    }
    const b = valueAtRank(above);
    return a + (b - a) * (rank - below);
  });
}

/** Contrast limits for display. */
export interface ContrastLimits {
  vmin: number;
  vmax: number;
}

/**
 * Automatic contrast limits: the `low` and `high` percentiles of the valid values (ImageJ's
 * "Auto" saturates about 0.35 % of the pixels in total; the defaults 0.175 / 99.825 do that).
 * Always returns vmax > vmin (a flat image gets [v, v + 1]); [0, 1] when nothing is valid.
 */
export function autoContrast(
  data: PixelArray,
  low = 0.175,
  high = 99.825,
  options: ValidityOptions & { range?: ValueRange; stats?: FrameStats } = {}
): ContrastLimits {
  const [vmin, vmax] = percentiles(data, [low, high], options);
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax)) {
    return { vmin: 0, vmax: 1 };
  }
  return vmax > vmin ? { vmin, vmax } : { vmin, vmax: vmin + 1 };
}

/** The largest value a sample type can hold (for integer types), used to bound manual limits. */
export function sampleTypeRange(sampleType: SampleType): [number, number] {
  switch (sampleType) {
    case 'bool':
      return [0, 1];
    case 'uint8':
      return [0, 255];
    case 'int8':
      return [-128, 127];
    case 'uint16':
      return [0, 65535];
    case 'int16':
      return [-32768, 32767];
    case 'uint32':
      return [0, 4294967295];
    case 'int32':
      return [-2147483648, 2147483647];
    default:
      return [-Number.MAX_VALUE, Number.MAX_VALUE];
  }
}

namespace Private {
  export function countInto(
    data: Uint8Array | Uint16Array | Int8Array | Int16Array,
    start: number,
    end: number,
    offset: number,
    counts: Uint32Array
  ): void {
    if (offset === 0) {
      for (let i = start; i < end; i++) counts[data[i]]++;
    } else {
      for (let i = start; i < end; i++) counts[data[i] - offset]++;
    }
  }

  export interface RangeAccumulator {
    min: number;
    max: number;
    invalid: number;
  }

  export function newRangeAccumulator(): RangeAccumulator {
    return { min: Infinity, max: -Infinity, invalid: 0 };
  }

  export function rangeInto(
    data: PixelArray,
    start: number,
    end: number,
    rule: PixelValidity,
    acc: RangeAccumulator
  ): void {
    let min = acc.min;
    let max = acc.max;
    const lowest = rule.negativeInvalid ? 0 : -Infinity;
    const saturation = rule.saturation;
    let invalid = 0;
    for (let i = start; i < end; i++) {
      const v = data[i];
      // `v >= lowest` is false for NaN; the other two tests remove ±Infinity.
      if (v >= lowest && v < Infinity && v > -Infinity && v !== saturation) {
        if (v < min) min = v;
        if (v > max) max = v;
      } else {
        invalid++;
      }
    }
    acc.invalid += invalid;
    acc.min = min;
    acc.max = max;
  }

  export function finishRange(acc: RangeAccumulator, total: number): ValueRange {
    const valid = total - acc.invalid;
    return valid === 0
      ? { min: NaN, max: NaN, valid, invalid: acc.invalid }
      : { min: acc.min, max: acc.max, valid, invalid: acc.invalid };
  }

  /** Add the valid values of data[start..end) in [lo, hi] to `counts` (equal bins). */
  export function histogramInto(
    data: PixelArray,
    start: number,
    end: number,
    lo: number,
    hi: number,
    counts: Float64Array,
    rule: PixelValidity
  ): void {
    const bins = counts.length;
    const lowest = rule.negativeInvalid ? Math.max(lo, 0) : lo;
    const saturation = rule.saturation;
    const k = bins / (hi - lo);
    const last = bins - 1;
    for (let i = start; i < end; i++) {
      const v = data[i];
      if (v >= lowest && v <= hi && v !== saturation) {
        const b = Math.floor((v - lo) * k);
        counts[b > last ? last : b]++;
      }
    }
  }

  export function rangeFromCounts(counts: Float64Array, offset: number, total: number): ValueRange {
    let lo = 0;
    while (lo < counts.length && counts[lo] === 0) lo++;
    if (lo === counts.length) {
      return { min: NaN, max: NaN, valid: 0, invalid: total };
    }
    let hi = counts.length - 1;
    while (counts[hi] === 0) hi--;
    let valid = 0;
    for (let b = lo; b <= hi; b++) valid += counts[b];
    return { min: lo + offset, max: hi + offset, valid, invalid: total - valid };
  }

  export function isIntegerArray(data: PixelArray): boolean {
    return !(data instanceof Float32Array || data instanceof Float64Array);
  }
}
