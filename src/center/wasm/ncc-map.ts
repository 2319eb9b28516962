/**
 * The masked NCC map of a plane with its inversion, by FFT: ncc.ts `nccMap` (AssemblyScript;
 * see index.ts).
 *
 * Memory layout from `heap` (all set by `nccMapBytes`'s rule; the caller writes x and m):
 *   x  f32[rows * cols]   masked, mean-subtracted values
 *   m  f32[rows * cols]   mask, 0/1
 *   a, b, u  f64x2[fr * fc]  transforms (fr, fc: powers of two >= 2 rows - 1, 2 cols - 1)
 *   out f64[(2 rows - 1) * (2 cols - 1)]  the NCC map (row-major; shifts as in ncc.ts)
 *   twiddles of fr, then of fc (n / 2 complex each: written by the caller, `twiddlesAt`),
 *   bit-reversal tables (fr + fc i32), one row.
 */
import { bitReversal, conjugate, fftColumns, fftRow } from './fft';
import { align16, maskAt, nccFromSums, nextPowerOfTwo, valuesAt } from './layout';

/** Bytes from `heap` that `nccMap` uses for a plane of rows x cols. */
export function nccMapBytes(rows: i32, cols: i32): f64 {
  const fr = nextPowerOfTwo(2 * rows - 1);
  const fc = nextPowerOfTwo(2 * cols - 1);
  const planes = <f64>(2 * align16(<usize>(4 * rows * cols)));
  const transforms = 48.0 * <f64>fr * <f64>fc;
  const out = <f64>align16(<usize>(8 * (2 * rows - 1) * (2 * cols - 1)));
  const scratch = <f64>(8 * (fr + fc) + 4 * (fr + fc) + 16 * fc + 64);
  return planes + transforms + out + scratch + 16;
}

/** Byte offset of the forward twiddles of fr (then those of fc, fr * 8 bytes further). */
export function twiddlesAt(heap: usize, rows: i32, cols: i32): usize {
  const fr = nextPowerOfTwo(2 * rows - 1);
  const fc = nextPowerOfTwo(2 * cols - 1);
  const out = maskAt(heap, rows, cols) + align16(<usize>(rows * cols) << 2) + 3 * (<usize>(fr * fc) << 4);
  return out + align16(<usize>((2 * rows - 1) * (2 * cols - 1)) << 3);
}

/**
 * The NCC map of the plane (x, m) written at `heap` (see the module comment) with its inversion;
 * returns the byte offset of the map. Shift rows outside [firstRow, endRow) are 0 (the caller's
 * overlap guard). Same steps as ncc.ts `nccMap`: A = x + i m and B = x^2 forward; unpack X, M;
 * u = X.X + i M.M, v = X.M + i X2.M; inverse; NCC from the four sums.
 */
export function nccMap(heap: usize, rows: i32, cols: i32, minOverlap: f64, firstRow: i32, endRow: i32): usize {
  const fr = nextPowerOfTwo(2 * rows - 1);
  const fc = nextPowerOfTwo(2 * cols - 1);
  const outRows = 2 * rows - 1;
  const outCols = 2 * cols - 1;
  const size = <usize>(rows * cols);
  const x = valuesAt(heap);
  const m = maskAt(heap, rows, cols);
  const a = m + align16(size << 2);
  const span = <usize>(fr * fc) << 4;
  const b = a + span;
  const u = b + span;
  const out = u + span;
  const twr = twiddlesAt(heap, rows, cols);
  const twc = twr + (<usize>fr << 3);
  const revr = twc + (<usize>fc << 3);
  const revc = revr + (<usize>fr << 2);
  const temp = align16(revc + (<usize>fc << 2));

  // Pack A = x + i m and B = x^2 (zero padded).
  memory.fill(a, 0, span << 1);
  for (let r = 0; r < rows; r++) {
    const row = <usize>(r * cols);
    const ao = a + (<usize>(r * fc) << 4);
    const bo = b + (<usize>(r * fc) << 4);
    for (let c = 0; c < cols; c++) {
      const v = <f64>load<f32>(x + ((row + <usize>c) << 2));
      const mv = <f64>load<f32>(m + ((row + <usize>c) << 2));
      store<f64>(ao + (<usize>c << 4), v);
      store<f64>(ao + (<usize>c << 4) + 8, mv);
      store<f64>(bo + (<usize>c << 4), v * v);
    }
  }
  // Forward transforms: rows (only the non-zero ones), then columns.
  bitReversal(fr, revr);
  bitReversal(fc, revc);
  for (let r = 0; r < rows; r++) {
    fftRow(a + (<usize>(r * fc) << 4), fc, twc, revc);
    fftRow(b + (<usize>(r * fc) << 4), fc, twc, revc);
  }
  fftColumns(a, fr, fc, twr, revr, temp);
  fftColumns(b, fr, fc, twr, revr, temp);

  // Unpack X and M from A (Hermitian symmetry of real inputs); u and v (in b) in place.
  for (let kr = 0; kr < fr; kr++) {
    const nr = (fr - kr) % fr;
    for (let kc = 0; kc < fc; kc++) {
      const nc = (fc - kc) % fc;
      const o = <usize>(kr * fc + kc) << 4;
      const on = <usize>(nr * fc + nc) << 4;
      const ar = load<f64>(a + o);
      const ai = load<f64>(a + o + 8);
      const cr = load<f64>(a + on);
      const ci = -load<f64>(a + on + 8);
      const xr = (ar + cr) / 2;
      const xi = (ai + ci) / 2;
      const mr = (ai - ci) / 2;
      const mi = -(ar - cr) / 2;
      const x2r = load<f64>(b + o);
      const x2i = load<f64>(b + o + 8);
      const pr = xr * xr - xi * xi;
      const pi = 2 * xr * xi;
      const nr2 = mr * mr - mi * mi;
      const ni = 2 * mr * mi;
      store<f64>(u + o, pr - ni);
      store<f64>(u + o + 8, pi + nr2);
      const s1r = xr * mr - xi * mi;
      const s1i = xr * mi + xi * mr;
      const s2r = x2r * mr - x2i * mi;
      const s2i = x2r * mi + x2i * mr;
      store<f64>(b + o, s1r - s2i);
      store<f64>(b + o + 8, s1i + s2r);
    }
  }

  // Inverse transforms: columns, then the rows [firstRow, endRow); 1 / (fr fc) applied below.
  conjugate(twr, fr);
  conjugate(twc, fc);
  fftColumns(u, fr, fc, twr, revr, temp);
  fftColumns(b, fr, fc, twr, revr, temp);
  for (let r = firstRow; r < endRow; r++) {
    fftRow(u + (<usize>(r * fc) << 4), fc, twc, revc);
    fftRow(b + (<usize>(r * fc) << 4), fc, twc, revc);
  }

  const scale = 1.0 / <f64>(fr * fc);
  memory.fill(out, 0, <usize>(outRows * outCols) << 3);
  for (let qr = firstRow; qr < endRow; qr++) {
    for (let qc = 0; qc < outCols; qc++) {
      const o = <usize>(qr * fc + qc) << 4;
      const n = Math.floor(load<f64>(u + o + 8) * scale + 0.5);
      const value = nccFromSums(
        load<f64>(u + o) * scale,
        load<f64>(b + o) * scale,
        load<f64>(b + o + 8) * scale,
        n,
        minOverlap
      );
      store<f64>(out + (<usize>(qr * outCols + qc) << 3), value);
    }
  }
  return out;
}
