/**
 * masking.ts `hotPixelMask` (AssemblyScript; see index.ts): the noise scale (1.4826 times the
 * median |working value - its 3 x 3 median| over every `step`-th pixel valid in the mask, or
 * 5 % of the median magnitude on noise-free images) and the scan (a pixel valid in the mask is
 * hot when it exceeds its 3 x 3 median by more than the floor and by more than `ratio` times
 * the median's magnitude). Working values as in JavaScript: float32 of the value, 0 where the
 * given validity is 0 or the value is NaN/Inf; edges mirrored. The JavaScript route finds the
 * same pixels with a cheaper pre-test; here every valid pixel gets the exact 4-neighbour test
 * first, then the count of low neighbours, then the median: the same mask.
 *
 * Layout from `heap` for n pixels and chunks of `chunk` pixels: work f32[n], mask u8[n],
 * values f64[chunk], valid u8[chunk], sample f64[ceil(n / step)] (`hotBytes`).
 */
import { align16 } from './layout';

export function hotWorkAt(heap: usize): usize {
  return align16(heap);
}

export function hotMaskAt(heap: usize, n: i32): usize {
  return hotWorkAt(heap) + align16(<usize>n << 2);
}

export function hotValuesAt(heap: usize, n: i32): usize {
  return hotMaskAt(heap, n) + align16(<usize>n);
}

export function hotValidAt(heap: usize, n: i32, chunk: i32): usize {
  return hotValuesAt(heap, n) + align16(<usize>chunk << 3);
}

function sampleAt(heap: usize, n: i32, chunk: i32): usize {
  return hotValidAt(heap, n, chunk) + align16(<usize>chunk);
}

/** Bytes from `heap` for n pixels, chunks of `chunk` pixels and a sample of every `step`-th. */
export function hotBytes(n: i32, chunk: i32, step: i32): f64 {
  return <f64>(sampleAt(0, n, chunk)) + 8.0 * <f64>(n / step + 1) + 64.0;
}

/**
 * Working values of `count` pixels from pixel `first`: the values (f64) and validity (u8, read
 * when `useValid`) the caller copied into the chunk.
 */
export function hotWorkingValues(heap: usize, n: i32, chunk: i32, first: i32, count: i32, useValid: i32): void {
  const work = hotWorkAt(heap) + (<usize>first << 2);
  const values = hotValuesAt(heap, n);
  const valid = hotValidAt(heap, n, chunk);
  for (let k = 0; k < count; k++) {
    const v = load<f64>(values + (<usize>k << 3));
    const ok = (!useValid || load<u8>(valid + <usize>k) != 0) && isFinite(v);
    store<f32>(work + (<usize>k << 2), ok ? <f32>v : 0);
  }
}

/**
 * Order-preserving integer key of a float32 value: keys compare as the values do (-0 just below
 * +0, which the median's callers cannot tell apart: they use v - median and |median|). The
 * working values are never NaN.
 */
// @ts-ignore: decorator
@inline
function key(v: f32): i32 {
  const bits = reinterpret<i32>(v);
  return bits ^ ((bits >> 31) & 0x7fffffff);
}

// @ts-ignore: decorator
@inline
function unkey(k: i32): f64 {
  return <f64>reinterpret<f32>(k ^ ((k >> 31) & 0x7fffffff));
}

/**
 * The working values of `count` pixels from pixel `first` that the caller wrote as float32
 * straight into the work array (float32 or integer samples: the same float32 as through f64):
 * 0 where the validity (read when `useValid`) is 0 or the value is NaN/Inf.
 */
export function hotSanitize(heap: usize, n: i32, chunk: i32, first: i32, count: i32, useValid: i32): void {
  const work = hotWorkAt(heap) + (<usize>first << 2);
  const valid = hotValidAt(heap, n, chunk);
  for (let k = 0; k < count; k++) {
    const v = load<f32>(work + (<usize>k << 2));
    if ((useValid && load<u8>(valid + <usize>k) == 0) || !isFinite(v)) {
      store<f32>(work + (<usize>k << 2), 0);
    }
  }
}

/**
 * Median of nine values by the selection network of median9.ts (A. Paeth, Graphics Gems): 19
 * compare-exchanges on the values' integer keys. An integer select compiles to a conditional
 * move; a float one (and f64.min / f64.max) to a branch that the noisy data mispredict about
 * every other time: the float network cost about 100 ns a median, most of the hot-pixel scan.
 */
function median9(p0: i32, p1: i32, p2: i32, p3: i32, p4: i32, p5: i32, p6: i32, p7: i32, p8: i32): f64 {
  let t: i32;
  let s: bool;
  // Sort each triple.
  s = p2 < p1; t = select<i32>(p2, p1, s); p2 = select<i32>(p1, p2, s); p1 = t;
  s = p5 < p4; t = select<i32>(p5, p4, s); p5 = select<i32>(p4, p5, s); p4 = t;
  s = p8 < p7; t = select<i32>(p8, p7, s); p8 = select<i32>(p7, p8, s); p7 = t;
  s = p1 < p0; t = select<i32>(p1, p0, s); p1 = select<i32>(p0, p1, s); p0 = t;
  s = p4 < p3; t = select<i32>(p4, p3, s); p4 = select<i32>(p3, p4, s); p3 = t;
  s = p7 < p6; t = select<i32>(p7, p6, s); p7 = select<i32>(p6, p7, s); p6 = t;
  s = p2 < p1; t = select<i32>(p2, p1, s); p2 = select<i32>(p1, p2, s); p1 = t;
  s = p5 < p4; t = select<i32>(p5, p4, s); p5 = select<i32>(p4, p5, s); p4 = t;
  s = p8 < p7; t = select<i32>(p8, p7, s); p8 = select<i32>(p7, p8, s); p7 = t;
  // Largest minimum into p6, smallest maximum into p2, middle middle into p4.
  p3 = select<i32>(p0, p3, p3 < p0);
  p6 = select<i32>(p3, p6, p6 < p3);
  p5 = select<i32>(p8, p5, p8 < p5);
  p2 = select<i32>(p5, p2, p5 < p2);
  s = p7 < p4; t = select<i32>(p7, p4, s); p7 = select<i32>(p4, p7, s); p4 = t;
  p4 = select<i32>(p1, p4, p4 < p1);
  p4 = select<i32>(p7, p4, p7 < p4);
  // Median of p6, p4, p2.
  s = p2 < p4; t = select<i32>(p2, p4, s); p2 = select<i32>(p4, p2, s); p4 = t;
  p4 = select<i32>(p6, p4, p4 < p6);
  return unkey(select<i32>(p2, p4, p2 < p4));
}

// @ts-ignore: decorator
@inline
function keyAt(work: usize, i: i32): i32 {
  return key(load<f32>(work + (<usize>i << 2)));
}

// @ts-ignore: decorator
@inline
function at(work: usize, i: i32): f64 {
  return <f64>load<f32>(work + (<usize>i << 2));
}

/** The 3 x 3 median about pixel (r, c) of the working values, edges mirrored. */
function localMedian(work: usize, height: i32, width: i32, r: i32, c: i32): f64 {
  const i = r * width + c;
  const up = r > 0 ? i - width : i + width;
  const down = r < height - 1 ? i + width : i - width;
  const left = c > 0 ? -1 : 1;
  const right = c < width - 1 ? 1 : -1;
  return median9(
    keyAt(work, up + left), keyAt(work, up), keyAt(work, up + right),
    keyAt(work, i + left), keyAt(work, i), keyAt(work, i + right),
    keyAt(work, down + left), keyAt(work, down), keyAt(work, down + right)
  );
}

/**
 * The median a sorted copy of values[0, n) gives, NaN sorting last (masking.ts `median`):
 * NaN values are moved to the end, then the middle order statistics are selected.
 */
function median(values: usize, n: i32): f64 {
  if (n == 0) {
    return 0;
  }
  let end = n;
  for (let i = 0; i < end; ) {
    const v = load<f64>(values + (<usize>i << 3));
    if (v != v) {
      end--;
      store<f64>(values + (<usize>i << 3), load<f64>(values + (<usize>end << 3)));
      store<f64>(values + (<usize>end << 3), NaN);
    } else {
      i++;
    }
  }
  const mid = n >> 1;
  if (mid >= end) {
    return NaN;
  }
  const upper = kthSmallest(values, end, mid);
  if (n % 2) {
    return upper;
  }
  let lower = load<f64>(values);
  for (let i = 1; i < mid; i++) {
    const v = load<f64>(values + (<usize>i << 3));
    if (v > lower) {
      lower = v;
    }
  }
  return (lower + upper) / 2;
}

/** The k-th smallest of a[0, end) (no NaN), leaving the smaller ones before k (quickselect). */
function kthSmallest(a: usize, end: i32, k: i32): f64 {
  let lo = 0;
  let hi = end - 1;
  while (lo < hi) {
    const x = load<f64>(a + (<usize>lo << 3));
    const y = load<f64>(a + (<usize>((lo + hi) >> 1) << 3));
    const z = load<f64>(a + (<usize>hi << 3));
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (load<f64>(a + (<usize>i << 3)) < pivot) {
        i++;
      }
      while (load<f64>(a + (<usize>j << 3)) > pivot) {
        j--;
      }
      if (i <= j) {
        const t = load<f64>(a + (<usize>i << 3));
        store<f64>(a + (<usize>i << 3), load<f64>(a + (<usize>j << 3)));
        store<f64>(a + (<usize>j << 3), t);
        i++;
        j--;
      }
    }
    if (k <= j) {
      hi = j;
    } else if (k >= i) {
      lo = i;
    } else {
      break;
    }
  }
  return load<f64>(a + (<usize>k << 3));
}

/** masking.ts `noiseScale` on the working values and the mask at `heap`. */
export function hotNoiseScale(heap: usize, n: i32, chunk: i32, height: i32, width: i32, step: i32): f64 {
  const work = hotWorkAt(heap);
  const mask = hotMaskAt(heap, n);
  const sample = sampleAt(heap, n, chunk);
  let count = 0;
  for (let i = 0; i < n; i += step) {
    if (load<u8>(mask + <usize>i) == 0) {
      continue;
    }
    const r = i / width;
    const c = i - r * width;
    const v = at(work, i);
    store<f64>(sample + (<usize>count << 3), Math.abs(v - localMedian(work, height, width, r, c)));
    count++;
  }
  const mad = 1.4826 * median(sample, count);
  if (mad > 0) {
    return mad;
  }
  count = 0;
  for (let i = 0; i < n; i += step) {
    const v = at(work, i);
    if (load<u8>(mask + <usize>i) != 0 && v != 0) {
      store<f64>(sample + (<usize>count << 3), Math.abs(v));
      count++;
    }
  }
  return count > 0 ? 0.05 * median(sample, count) : 0;
}

/**
 * masking.ts `scanHotPixels`: clears the hot pixels in the mask at `heap`. Four pixels at a time
 * first take a conservative float32 form of the 4-neighbour test (float32 differences, against
 * the floor lowered by 1e-6 of itself: a pixel the exact test would keep as a candidate passes
 * it); only groups with a candidate are tested pixel by pixel (`scanPixel`, the exact tests).
 */
export function hotScan(heap: usize, n: i32, chunk: i32, height: i32, width: i32, floor: f64, ratio: f64): void {
  const work = hotWorkAt(heap);
  const mask = hotMaskAt(heap, n);
  const low = f32x4.splat(<f32>(floor * (1 - 1e-6)));
  // Interior columns in groups of four (the first and last columns mirror their neighbours).
  const groupEnd = width >= 6 ? 1 + ((width - 2) & ~3) : 1;
  for (let r = 0; r < height; r++) {
    const row = r * width;
    const up = r > 0 ? row - width : row + width;
    const down = r < height - 1 ? row + width : row - width;
    scanPixel(work, mask, height, width, r, 0, row, up, down, floor, ratio);
    let c = 1;
    for (; c < groupEnd; c += 4) {
      const here = work + (<usize>(row + c) << 2);
      const v = v128.load(here);
      const candidate = v128.or(
        v128.or(
          f32x4.gt(f32x4.sub(v, v128.load(work + (<usize>(up + c) << 2))), low),
          f32x4.gt(f32x4.sub(v, v128.load(work + (<usize>(down + c) << 2))), low)
        ),
        v128.or(f32x4.gt(f32x4.sub(v, v128.load(here - 4)), low), f32x4.gt(f32x4.sub(v, v128.load(here + 4)), low))
      );
      if (!v128.any_true(candidate)) {
        continue;
      }
      for (let k = 0; k < 4; k++) {
        scanPixel(work, mask, height, width, r, c + k, row, up, down, floor, ratio);
      }
    }
    for (; c < width; c++) {
      scanPixel(work, mask, height, width, r, c, row, up, down, floor, ratio);
    }
  }
}

/** The exact tests of masking.ts `scanHotPixels` for pixel (r, c); clears it in `mask` if hot. */
// @ts-ignore: decorator
@inline
function scanPixel(
  work: usize,
  mask: usize,
  height: i32,
  width: i32,
  r: i32,
  c: i32,
  row: i32,
  up: i32,
  down: i32,
  floor: f64,
  ratio: f64
): void {
  const i = row + c;
  if (load<u8>(mask + <usize>i) == 0) {
    return;
  }
  const v = at(work, i);
  const left = c > 0 ? c - 1 : 1;
  const right = c < width - 1 ? c + 1 : width - 2;
  // Hot needs v - median > floor; the median is >= the least of v and its 4 neighbours.
  if (
    !(v - at(work, up + c) > floor) &&
    !(v - at(work, down + c) > floor) &&
    !(v - at(work, row + left) > floor) &&
    !(v - at(work, row + right) > floor)
  ) {
    return;
  }
  // ... and the five smallest of the nine values all below v - floor.
  const lowCount =
    (v - at(work, up + left) > floor ? 1 : 0) +
    (v - at(work, up + c) > floor ? 1 : 0) +
    (v - at(work, up + right) > floor ? 1 : 0) +
    (v - at(work, row + left) > floor ? 1 : 0) +
    (v - at(work, row + right) > floor ? 1 : 0) +
    (v - at(work, down + left) > floor ? 1 : 0) +
    (v - at(work, down + c) > floor ? 1 : 0) +
    (v - at(work, down + right) > floor ? 1 : 0);
  if (lowCount < 5) {
    return;
  }
  const med = localMedian(work, height, width, r, c);
  const residual = v - med;
  if (residual > floor && residual > ratio * Math.abs(med)) {
    store<u8>(mask + <usize>i, 0);
  }
}
