/**
 * Masked normalized cross-correlation (NCC) of an image with its own inversion.
 *
 * Padfield, D. "Masked object registration in the Fourier domain", IEEE Trans. Image Process.
 * 21(5), 2706-2718 (2012), doi:10.1109/TIP.2011.2181402.
 *
 * A `Plane` of `rows` x `cols` holds masked values `x = (image - mean) * mask` and the mask `m`.
 * The moving image is the fixed one rotated by 180 degrees (and so is its mask):
 * `xr(k) = x(N - 1 - k)` per axis. Shifting the moving image by `s` and summing over the overlap
 * gives sums of the form `sum_k f(k) g(N - 1 + s - k)`, i.e. plain *convolutions* evaluated at
 * lag `q = N - 1 + s`. With that, Padfield's eight correlations collapse to four:
 *
 *   overlap  n(q)  = (m * m)(q)          products  p(q) = (x * x)(q)
 *   sum      s1(q) = (x * m)(q)          squares   s2(q) = (x^2 * m)(q)
 *
 * Both images have the same sum (s1) and the same sum of squares (s2) over every overlap, so
 * the two denominator factors coincide and
 *
 *   NCC(s) = (p - s1^2 / n) / (s2 - s1^2 / n).
 *
 * Computed with FFTs this is 3 forward transforms (x, m, x^2) and 4 inverse ones; complex packing
 * turns them into 2 + 2 complex transforms. Shifts run over `s in [-(N - 1), N - 1]` per axis.
 */
import { createFft2d, nextPowerOfTwo } from './fft.js';
import { wasmNccAt, wasmNccMap } from './wasm.js';
import { wasmCropPlane } from './wasm-image.js';

/** A crop ready to be correlated with its inversion. */
export interface Plane {
  readonly rows: number;
  readonly cols: number;
  /** Masked, mean-subtracted values: `(value - mean) * mask`. */
  readonly x: Float32Array;
  /** The validity mask as 0/1. */
  readonly m: Float32Array;
  /** Number of valid pixels. */
  readonly valid: number;
  /** The subtracted mean (value = x + mean where valid). */
  readonly mean: number;
}

/** NCC over every shift: entry (i, j) is the shift (i - (rows - 1), j - (cols - 1)). */
export interface NccMap {
  readonly rows: number;
  readonly cols: number;
  /** Guarded NCC values (0 where the overlap is too small or flat). */
  readonly ncc: Float64Array;
}

/** Overlaps smaller than this fraction of the valid pixel count are ignored (scikit-image's default). */
export const OVERLAP_RATIO = 0.3;

/**
 * Arrays a plane's `x` and `m` are written into (at least rows x cols long), for a caller that
 * makes one plane after another (a series' tracked frames) and so reuses memory instead of
 * taking new memory each time. A plane made into them is overwritten by the next one.
 */
export interface PlaneBuffers {
  x: Float32Array;
  m: Float32Array;
}

/**
 * Make a plane from values and a 0/1 mask (values under the mask are ignored); its `x` and `m`
 * are new arrays, or views of `into` (see `PlaneBuffers`).
 */
export function makePlane(
  rows: number,
  cols: number,
  values: ArrayLike<number>,
  mask: ArrayLike<number>,
  into?: PlaneBuffers
): Plane {
  const size = rows * cols;
  const target = into && into.x.length >= size && into.m.length >= size ? into : null;
  // The same sums in the WebAssembly kernel (wasm-image.ts), for a 0/1 byte mask.
  if (mask instanceof Uint8Array) {
    const whole = { rows: { origin: 0, size: rows }, cols: { origin: 0, size: cols } };
    const compiled = wasmCropPlane(values, mask, cols, whole.rows, whole.cols, target ?? undefined);
    if (compiled) {
      return { rows, cols, ...compiled };
    }
  }
  let sum = 0;
  let valid = 0;
  for (let i = 0; i < size; i++) {
    if (mask[i]) {
      sum += values[i];
      valid++;
    }
  }
  const mean = valid > 0 ? sum / valid : 0;
  const x = target ? target.x.subarray(0, size).fill(0) : new Float32Array(size);
  const m = target ? target.m.subarray(0, size).fill(0) : new Float32Array(size);
  for (let i = 0; i < size; i++) {
    if (mask[i]) {
      x[i] = values[i] - mean;
      m[i] = 1;
    }
  }
  return { rows, cols, x, m, valid, mean };
}

/**
 * A plane from arrays the caller has just filled: `x` holds the values where `m` is 1 (and 0
 * elsewhere). The masked mean is subtracted in place; the arrays become the plane's own.
 */
export function planeOf(rows: number, cols: number, x: Float32Array, m: Float32Array): Plane {
  const size = rows * cols;
  let sum = 0;
  let valid = 0;
  for (let i = 0; i < size; i++) {
    if (m[i]) {
      sum += x[i];
      valid++;
    }
  }
  const mean = valid > 0 ? sum / valid : 0;
  for (let i = 0; i < size; i++) {
    if (m[i]) {
      x[i] -= mean;
    }
  }
  return { rows, cols, x, m, valid, mean };
}

/** The NCC value from the four sums, with the overlap and flatness guards. */
export function nccFromSums(p: number, s1: number, s2: number, n: number, minOverlap: number): number {
  if (n < minOverlap || n < 1) {
    return 0;
  }
  const centered = s1 * s1 / n;
  const variance = s2 - centered;
  if (!(variance > 1e-12 * Math.abs(s2)) || variance <= 0) {
    return 0;
  }
  const value = (p - centered) / variance;
  return value > 1 ? 1 : value < -1 ? -1 : value;
}

/** Smallest overlap (in pixels) an NCC value may rest on. */
export function minOverlapOf(plane: Plane): number {
  return Math.max(1, OVERLAP_RATIO * plane.valid);
}

/**
 * NCC of the plane with its inversion at one shift, by direct summation over the overlap.
 *
 * The overlap rectangle O is point-symmetric: pixel k pairs with its mirror q - k. Each pair is
 * visited once, which halves the number of iterations. Because x is 0 wherever m is, only the
 * product sum needs both values of a pair; the others follow from sums over O and a short
 * correction over the masked pixels u in O (found once per mask, see `maskedRuns`):
 *
 *   p  = sum_O x(k) x(q - k)
 *   s1 = sum_O x(k) m(q - k)   = sum_O x   - sum_u x(q - u)
 *   s2 = sum_O x(k)^2 m(q - k) = sum_O x^2 - sum_u x(q - u)^2
 *   n  = sum_O m(k) m(q - k)   = |O| - 2 |u| + |u with q - u masked too|
 *
 * The sums over O come from summed-area tables (`summedAreas`, once per plane), so the loop
 * over the pairs only multiplies. Only the summation order differs from the plain four sums.
 */
export function nccAt(plane: Plane, shiftRow: number, shiftCol: number): number {
  // The same sums in the WebAssembly kernel, on its copy of the plane (wasm.ts).
  const compiled = wasmNccAt(plane, shiftRow, shiftCol, minOverlapOf(plane));
  if (compiled === compiled) {
    return compiled;
  }
  const { rows, cols, x, m } = plane;
  const qr = rows - 1 + shiftRow;
  const qc = cols - 1 + shiftCol;
  const r0 = Math.max(0, qr - rows + 1);
  const r1 = Math.min(rows - 1, qr);
  const c0 = Math.max(0, qc - cols + 1);
  const c1 = Math.min(cols - 1, qc);
  if (r1 < r0 || c1 < c0) {
    return 0;
  }
  // Pairs (k, q - k) with k != q - k: p2 holds half their product sum (four interleaved
  // accumulators shorten the chains of dependent additions that bound this loop). The plain
  // sums of x and x^2 over O come from the plane's summed-area tables.
  let p2 = 0;
  let p2b = 0;
  let p2c = 0;
  let p2d = 0;
  // Rows strictly before the middle row pair with rows strictly after it.
  const rowEnd = Math.min(r1, (qr - 1) >> 1);
  const quadEnd = c0 + ((c1 - c0 + 1) & ~3);
  for (let r = r0; r <= rowEnd; r++) {
    const row = r * cols;
    const mirror = (qr - r) * cols + qc;
    let c = c0;
    for (; c < quadEnd; c += 4) {
      p2 += x[row + c] * x[mirror - c];
      p2b += x[row + c + 1] * x[mirror - c - 1];
      p2c += x[row + c + 2] * x[mirror - c - 2];
      p2d += x[row + c + 3] * x[mirror - c - 3];
    }
    for (; c <= c1; c++) {
      p2 += x[row + c] * x[mirror - c];
    }
  }
  let p = 2 * (p2 + p2b + (p2c + p2d));
  if ((qr & 1) === 0 && qr >= 2 * r0 && qr <= 2 * r1) {
    // The middle row maps onto itself: pair columns c and qc - c.
    const row = (qr >> 1) * cols;
    const colEnd = Math.min(c1, (qc - 1) >> 1);
    let pm = 0;
    for (let c = c0; c <= colEnd; c++) {
      pm += x[row + c] * x[row + qc - c];
    }
    p += 2 * pm;
    if ((qc & 1) === 0 && qc >= 2 * c0 && qc <= 2 * c1) {
      // The center pixel is its own mirror.
      const a = x[row + (qc >> 1)];
      p += a * a;
    }
  }
  const tables = summedAreas(plane);
  const w = cols + 1;
  const rect = (t: Float64Array): number =>
    t[(r1 + 1) * w + c1 + 1] - t[r0 * w + c1 + 1] - t[(r1 + 1) * w + c0] + t[r0 * w + c0];
  const sx = rect(tables.sum);
  const sxx = rect(tables.squares);
  // Corrections at the masked pixels of O, run by run (their mirrors form runs too).
  const masked = maskedRuns(plane);
  let cs1 = 0;
  let cs2 = 0;
  let count = 0;
  let both = 0;
  for (let r = r0; r <= r1; r++) {
    const mirror = (qr - r) * cols + qc;
    for (let k = masked.rowStart[r], end = masked.rowStart[r + 1]; k < end; k++) {
      const from = Math.max(c0, masked.start[k]);
      const to = Math.min(c1, masked.end[k]);
      if (from > to) {
        continue;
      }
      count += to - from + 1;
      for (let v = mirror - to, last = mirror - from; v <= last; v++) {
        const b = x[v];
        cs1 += b;
        cs2 += b * b;
        if (!m[v]) {
          both++;
        }
      }
    }
  }
  const area = (r1 - r0 + 1) * (c1 - c0 + 1);
  const n = area - 2 * count + both;
  return nccFromSums(p, sx - cs1, sxx - cs2, n, minOverlapOf(plane));
}

/** Summed-area tables of a plane's x and x^2: entry (r, c) of `(rows + 1) x (cols + 1)` sums rows < r, columns < c. */
export interface SummedAreas {
  readonly sum: Float64Array;
  readonly squares: Float64Array;
}

/** The summed-area tables of the plane's values, made once per values array and kept while it lives. */
export function summedAreas(plane: Plane): SummedAreas {
  let found = Private.tableCache.get(plane.x);
  if (!found) {
    const { rows, cols, x } = plane;
    const w = cols + 1;
    const sum = new Float64Array((rows + 1) * w);
    const squares = new Float64Array((rows + 1) * w);
    for (let r = 0; r < rows; r++) {
      let line = 0;
      let line2 = 0;
      const above = r * w;
      const here = above + w;
      for (let c = 0, i = r * cols; c < cols; c++, i++) {
        const v = x[i];
        line += v;
        line2 += v * v;
        sum[here + c + 1] = sum[above + c + 1] + line;
        squares[here + c + 1] = squares[above + c + 1] + line2;
      }
    }
    found = { sum, squares };
    Private.tableCache.set(plane.x, found);
  }
  return found;
}

/**
 * The masked pixels of a plane's mask as runs along rows: run k covers columns
 * `start[k] .. end[k]` (inclusive) of the row r with `rowStart[r] <= k < rowStart[r + 1]`.
 */
export interface MaskedRuns {
  readonly rowStart: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/**
 * The masked runs of the plane's mask, found once per mask array (planes of one crop in both
 * representations share their mask) and kept while the mask lives.
 */
export function maskedRuns(plane: Plane): MaskedRuns {
  const { rows, cols, m } = plane;
  let found = Private.runCache.get(m);
  if (!found) {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0, i = r * cols; c < cols; c++, i++) {
        if (!m[i] && (c === 0 || m[i - 1])) {
          total++;
        }
      }
    }
    const rowStart = new Int32Array(rows + 1);
    const start = new Int32Array(total);
    const end = new Int32Array(total);
    let k = 0;
    for (let r = 0; r < rows; r++) {
      rowStart[r] = k;
      for (let c = 0, i = r * cols; c < cols; c++, i++) {
        if (!m[i]) {
          if (c === 0 || m[i - 1]) {
            start[k] = c;
            k++;
          }
          end[k - 1] = c;
        }
      }
    }
    rowStart[rows] = k;
    found = { rowStart, start, end };
    Private.runCache.set(m, found);
  }
  return found;
}

/**
 * NCC at every shift, with FFTs (the full-resolution "reference" computation). Overlaps below
 * `overlapRatio` of the valid pixels are left at 0 (default OVERLAP_RATIO).
 */
export function nccMap(plane: Plane, overlapRatio = OVERLAP_RATIO): NccMap {
  return computeMap(plane, overlapRatio, false);
}

/**
 * `nccMap` for a caller that has read the map before it calls this function again: the
 * kernel's map is copied into an array kept between calls (maps of up to KEPT_MAP values)
 * instead of a fresh one. A fresh array of a coarse map's 123 KB was measured at 0.25-0.4 ms
 * (new memory), the copy at 0.004 ms; a call makes 2-4 such maps.
 */
export function nccMapTransient(plane: Plane, overlapRatio = OVERLAP_RATIO): NccMap {
  return computeMap(plane, overlapRatio, true);
}

/** Maps of up to this many values reuse one array in `nccMapTransient` (2 MB). */
export const KEPT_MAP = 512 * 512;

/** `nccMap`; with `transient`, the kernel's map is copied into `Private.mapArray`'s array. */
function computeMap(plane: Plane, overlapRatio: number, transient: boolean): NccMap {
  const { rows, cols, x, m } = plane;
  const outRows = 2 * rows - 1;
  const outCols = 2 * cols - 1;
  // Shift rows whose largest possible overlap, (rows - |shift|) * cols pixels, is below the
  // overlap guard are 0 whatever the sums: their inverse row transforms are skipped.
  const minOverlap = Math.max(1, overlapRatio * plane.valid);
  const minRows = Math.max(1, Math.ceil(minOverlap / cols));
  const firstRow = minRows - 1;
  const endRow = 2 * rows - minRows;
  // The same steps in the WebAssembly kernel (compiled before its first call; wasm.ts).
  const into = transient ? Private.mapArray(outRows * outCols) : null;
  const compiled = wasmNccMap(rows, cols, x, m, minOverlap, firstRow, endRow, into);
  if (compiled) {
    return { rows: outRows, cols: outCols, ncc: compiled };
  }
  const fr = nextPowerOfTwo(outRows);
  const fc = nextPowerOfTwo(outCols);
  const fft = createFft2d(fr, fc);

  // Forward: a = x + i m, b = x^2 (zero padded).
  const { a, b, u } = Private.workspace(2 * fr * fc);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const o = 2 * (r * fc + c);
      a[o] = x[i];
      a[o + 1] = m[i];
      b[o] = x[i] * x[i];
    }
  }
  fft.forward(a, rows);
  fft.forward(b, rows);

  // Unpack X and M from A = X + iM (Hermitian symmetry of real inputs), then form
  // u = X.X + i M.M  (-> p + i n) and v = X.M + i X2.M  (-> s1 + i s2), in place in a and b.
  for (let kr = 0; kr < fr; kr++) {
    const nr = (fr - kr) % fr;
    for (let kc = 0; kc < fc; kc++) {
      const nc = (fc - kc) % fc;
      const o = 2 * (kr * fc + kc);
      const on = 2 * (nr * fc + nc);
      const ar = a[o];
      const ai = a[o + 1];
      const cr = a[on];
      const ci = -a[on + 1];
      // X = (A + conj A(-k)) / 2, M = (A - conj A(-k)) / (2i)
      const xr = (ar + cr) / 2;
      const xi = (ai + ci) / 2;
      const mr = (ai - ci) / 2;
      const mi = -(ar - cr) / 2;
      const x2r = b[o];
      const x2i = b[o + 1];
      // X.X and M.M
      const pr = xr * xr - xi * xi;
      const pi = 2 * xr * xi;
      const nr2 = mr * mr - mi * mi;
      const ni = 2 * mr * mi;
      u[o] = pr - ni;
      u[o + 1] = pi + nr2;
      // X.M and X2.M
      const s1r = xr * mr - xi * mi;
      const s1i = xr * mi + xi * mr;
      const s2r = x2r * mr - x2i * mi;
      const s2i = x2r * mi + x2i * mr;
      b[o] = s1r - s2i;
      b[o + 1] = s1i + s2r;
    }
  }
  fft.inverse(u, firstRow, endRow);
  fft.inverse(b, firstRow, endRow);

  const ncc = new Float64Array(outRows * outCols);
  for (let qr = firstRow; qr < endRow; qr++) {
    for (let qc = 0; qc < outCols; qc++) {
      const o = 2 * (qr * fc + qc);
      const n = Math.round(u[o + 1]);
      ncc[qr * outCols + qc] = nccFromSums(u[o], b[o], b[o + 1], n, minOverlap);
    }
  }
  return { rows: outRows, cols: outCols, ncc };
}

namespace Private {
  let keptMap: Float64Array | null = null;

  /** The kept array for a map of `size` values (null when larger than KEPT_MAP). */
  export function mapArray(size: number): Float64Array | null {
    if (size > KEPT_MAP) {
      return null;
    }
    if (!keptMap || keptMap.length < size) {
      keptMap = new Float64Array(Math.max(size, 128 * 128));
    }
    return keptMap.subarray(0, size);
  }

  /** Transforms up to this many values (512 x 512 complex) keep their work arrays. */
  const KEPT_WORKSPACE = 2 * 512 * 512;
  let kept: { a: Float64Array; b: Float64Array; u: Float64Array } | null = null;

  /**
   * Work arrays of `nccMap`: a and b zeroed (their padding must be 0), u to be overwritten.
   * The coarse maps of every call have the same few sizes; re-using their arrays (zeroing is
   * several times cheaper than the page faults of fresh memory) keeps at most 12 MB alive.
   */
  export function workspace(length: number): { a: Float64Array; b: Float64Array; u: Float64Array } {
    if (length > KEPT_WORKSPACE) {
      return { a: new Float64Array(length), b: new Float64Array(length), u: new Float64Array(length) };
    }
    if (!kept || kept.a.length !== length) {
      kept = { a: new Float64Array(length), b: new Float64Array(length), u: new Float64Array(length) };
    } else {
      kept.a.fill(0);
      kept.b.fill(0);
    }
    return kept;
  }

  /** `summedAreas` by values array. */
  export const tableCache = new WeakMap<Float32Array, SummedAreas>();

  /** `maskedRuns` by mask array. */
  export const runCache = new WeakMap<Float32Array, MaskedRuns>();
}
