/**
 * A plane divided by its wide background (autocenter's normalized representation; the JS route
 * is normalize.ts with blur.ts `backgroundModel` and `maskedGaussianBlur`), in one call
 * (AssemblyScript; see index.ts). Same steps and arithmetic: the background is the masked
 * Gaussian blur (three box filters per axis, widths given by the caller from blur.ts
 * `boxWidths`) of the block-averaged values (blocks of f x f pixels),
 * interpolated back bilinearly; values are divided by it, floored at 1 % of its mean magnitude;
 * then the masked mean is subtracted (ncc.ts `planeOf`).
 *
 * Layout from `heap`: x f32[rows * cols] (the plane's values, mean-subtracted; replaced by the
 * normalized plane's values), m f32[rows * cols], then `valid` and `mean` of the result (f64),
 * then work space (`normalizeBytes`).
 */
import { align16, maskAt, valuesAt } from './layout';

function resultAt(heap: usize, rows: i32, cols: i32): usize {
  return maskAt(heap, rows, cols) + align16(<usize>(rows * cols) << 2);
}

/** Bytes from `heap` that `normalize` uses. */
export function normalizeBytes(rows: i32, cols: i32, f: i32): f64 {
  const sr = (rows + f - 1) / f;
  const sc = (cols + f - 1) / f;
  const grid = <f64>sr * <f64>sc;
  const n = <f64>rows * <f64>cols;
  // x, m, result; grid: sum, count, small, smallMask, num, den, blurred; (f = 1: num, den,
  // blurred of full size); column tables, a line, a box line.
  return 8.0 * n + 16.0 + 64.0 + 8.0 * 7.0 * grid + 8.0 * 3.0 * n + 24.0 * <f64>cols + 8.0 * <f64>cols +
    8.0 * <f64>max(rows, cols) + 256.0;
}

/** Box sum of radius r along a line (zero outside), written back in place (blur.ts `boxLine`). */
function boxLine(data: usize, start: i32, stride: i32, length: i32, radius: i32, line: usize): void {
  for (let i = 0; i < length; i++) {
    store<f64>(line + (<usize>i << 3), load<f64>(data + (<usize>(start + i * stride) << 3)));
  }
  let sum = 0.0;
  const head = min(radius, length);
  for (let i = 0; i < head; i++) {
    sum += load<f64>(line + (<usize>i << 3));
  }
  const scale = 1 / <f64>(2 * radius + 1);
  for (let i = 0; i < length; i++) {
    const add = i + radius;
    if (add < length) {
      sum += load<f64>(line + (<usize>add << 3));
    }
    const drop = i - radius - 1;
    if (drop >= 0) {
      sum -= load<f64>(line + (<usize>drop << 3));
    }
    store<f64>(data + (<usize>(start + i * stride) << 3), sum * scale);
  }
}

/**
 * blur.ts `maskedGaussianBlur` of (values, mask) (rows x cols, f64) into `out`, with box widths
 * w0, w1, w2; num and den are work arrays of rows x cols, line one of max(rows, cols).
 */
function maskedBlur(
  rows: i32,
  cols: i32,
  values: usize,
  mask: usize,
  w0: i32,
  w1: i32,
  w2: i32,
  num: usize,
  den: usize,
  line: usize,
  out: usize
): void {
  const size = rows * cols;
  for (let i = 0; i < size; i++) {
    const o = <usize>i << 3;
    if (load<f64>(mask + o) != 0) {
      store<f64>(num + o, load<f64>(values + o));
      store<f64>(den + o, 1);
    } else {
      store<f64>(num + o, 0);
      store<f64>(den + o, 0);
    }
  }
  for (let k = 0; k < 3; k++) {
    const width = k == 0 ? w0 : k == 1 ? w1 : w2;
    const radius = (width - 1) >> 1;
    for (let p = 0; p < 2; p++) {
      const plane = p == 0 ? num : den;
      for (let r = 0; r < rows; r++) {
        boxLine(plane, r * cols, 1, cols, radius, line);
      }
      for (let c = 0; c < cols; c++) {
        boxLine(plane, c, cols, rows, radius, line);
      }
    }
  }
  for (let i = 0; i < size; i++) {
    const o = <usize>i << 3;
    const d = load<f64>(den + o);
    store<f64>(out + o, d > 1e-9 ? load<f64>(num + o) / d : 0);
  }
}

/** Mean of |values| weighted by `weights` (blur.ts `weightedMeanMagnitude`). */
function weightedMeanMagnitude(values: usize, weights: usize, size: i32): f64 {
  let sum = 0.0;
  let total = 0.0;
  for (let i = 0; i < size; i++) {
    const w = load<f64>(weights + (<usize>i << 3));
    if (w != 0) {
      sum += w * Math.abs(load<f64>(values + (<usize>i << 3)));
      total += w;
    }
  }
  return total > 0 ? sum / total : 0;
}

/**
 * Normalize the plane at `heap` (see the module comment) by its background on blocks of f x f
 * pixels, blurred with box widths w0, w1, w2 (blur.ts `blockSize` and `boxWidths` of the
 * background's sigma); `mean` is the plane's subtracted mean.
 */
export function normalize(heap: usize, rows: i32, cols: i32, mean: f64, f: i32, w0: i32, w1: i32, w2: i32): void {
  const x = valuesAt(heap);
  const m = maskAt(heap, rows, cols);
  const result = resultAt(heap, rows, cols);
  let work = align16(result + 16);
  const size = rows * cols;
  // The background grid (blocks of f x f pixels; f = 1: the plane itself).
  const sr = f == 1 ? rows : (rows + f - 1) / f;
  const sc = f == 1 ? cols : (cols + f - 1) / f;
  const cells = <usize>(sr * sc) << 3;
  const small = work;
  const smallMask = small + cells;
  const weights = smallMask + cells;
  const num = weights + cells;
  const den = num + cells;
  const blurred = den + cells;
  const line = blurred + cells;
  const boxScratch = line + (<usize>cols << 3);
  const colIndex = boxScratch + (<usize>max(max(rows, cols), max(sr, sc)) << 3);
  const colNext = colIndex + (<usize>cols << 2);
  const colFrac = align16(colNext + (<usize>cols << 2));
  if (f == 1) {
    for (let i = 0; i < size; i++) {
      const o = <usize>i << 3;
      const valid = load<f32>(m + (<usize>i << 2)) != 0;
      store<f64>(small + o, valid ? <f64>load<f32>(x + (<usize>i << 2)) + mean : 0);
      store<f64>(smallMask + o, valid ? 1 : 0);
    }
    maskedBlur(rows, cols, small, smallMask, w0, w1, w2, num, den, boxScratch, blurred);
    memory.copy(weights, smallMask, cells);
  } else {
    // Block sums (in `num`) and counts (in `weights`).
    memory.fill(num, 0, cells);
    memory.fill(weights, 0, cells);
    // Block by block along each row (no division per pixel; the same order of additions).
    for (let r = 0, br = 0, inBlock = 0; r < rows; r++) {
      for (let c0 = 0, b = <usize>br << 3; c0 < cols; c0 += f, b += 8) {
        const end = min(c0 + f, cols);
        let s = load<f64>(num + b);
        let n = load<f64>(weights + b);
        for (let c = c0; c < end; c++) {
          const i = <usize>(r * cols + c) << 2;
          if (load<f32>(m + i) != 0) {
            s += <f64>load<f32>(x + i);
            n += 1;
          }
        }
        store<f64>(num + b, s);
        store<f64>(weights + b, n);
      }
      if (++inBlock == f) {
        inBlock = 0;
        br += sc;
      }
    }
    const grid = sr * sc;
    for (let b = 0; b < grid; b++) {
      const o = <usize>b << 3;
      const count = load<f64>(weights + o);
      if (count > 0) {
        store<f64>(small + o, load<f64>(num + o) / count + mean);
        store<f64>(smallMask + o, 1);
      } else {
        store<f64>(small + o, 0);
        store<f64>(smallMask + o, 0);
      }
    }
    maskedBlur(sr, sc, small, smallMask, w0, w1, w2, num, den, boxScratch, blurred);
  }
  const magnitude = weightedMeanMagnitude(blurred, weights, sr * sc);
  const floor = Math.max(1e-12, 0.01 * magnitude);
  // Column interpolation tables (blur.ts `backgroundModel`; f = 1: each column is its own).
  const ff = <f64>f;
  for (let c = 0; c < cols; c++) {
    const t = Math.min(Math.max((<f64>c - (ff - 1) / 2) / ff, 0), <f64>(sc - 1));
    const c0 = min(<i32>Math.floor(t), sc - 2 < 0 ? 0 : sc - 2);
    store<i32>(colIndex + (<usize>c << 2), c0);
    store<i32>(colNext + (<usize>c << 2), min(c0 + 1, sc - 1));
    store<f64>(colFrac + (<usize>c << 3), sc > 1 ? t - <f64>c0 : 0);
  }
  let sum = 0.0;
  let valid = 0;
  for (let r = 0; r < rows; r++) {
    // The background of row r into `line`.
    if (f == 1) {
      memory.copy(line, blurred + (<usize>(r * cols) << 3), <usize>cols << 3);
    } else {
      const t = Math.min(Math.max((<f64>r - (ff - 1) / 2) / ff, 0), <f64>(sr - 1));
      const r0 = min(<i32>Math.floor(t), sr - 2 < 0 ? 0 : sr - 2);
      const fr = sr > 1 ? t - <f64>r0 : 0;
      const top = blurred + (<usize>(r0 * sc) << 3);
      const bottom = blurred + (<usize>(min(r0 + 1, sr - 1) * sc) << 3);
      for (let c = 0; c < cols; c++) {
        const c0 = <usize>load<i32>(colIndex + (<usize>c << 2)) << 3;
        const c1 = <usize>load<i32>(colNext + (<usize>c << 2)) << 3;
        const fc = load<f64>(colFrac + (<usize>c << 3));
        const up = load<f64>(top + c0) * (1 - fc) + load<f64>(top + c1) * fc;
        const down = load<f64>(bottom + c0) * (1 - fc) + load<f64>(bottom + c1) * fc;
        store<f64>(line + (<usize>c << 3), up * (1 - fr) + down * fr);
      }
    }
    for (let c = 0; c < cols; c++) {
      const i = <usize>(r * cols + c) << 2;
      if (load<f32>(m + i) != 0) {
        const v = <f32>((<f64>load<f32>(x + i) + mean) / Math.max(load<f64>(line + (<usize>c << 3)), floor));
        store<f32>(x + i, v);
        sum += <f64>v;
        valid++;
      } else {
        store<f32>(x + i, 0);
      }
    }
  }
  // ncc.ts `planeOf`: subtract the masked mean.
  const newMean = valid > 0 ? sum / <f64>valid : 0;
  for (let i = 0; i < size; i++) {
    const o = <usize>i << 2;
    if (load<f32>(m + o) != 0) {
      store<f32>(x + o, <f32>(<f64>load<f32>(x + o) - newMean));
    }
  }
  store<f64>(result, <f64>valid);
  store<f64>(result + 8, newMean);
}

/** Byte offset of `normalize`'s result: valid (f64), then mean (f64). */
export function normalizeResultAt(heap: usize, rows: i32, cols: i32): usize {
  return resultAt(heap, rows, cols);
}
