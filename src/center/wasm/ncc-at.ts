/** ncc.ts `nccAt` on planes kept in the kernel's memory (AssemblyScript; see index.ts). */
import { align16, maskAt, nccFromSums, valuesAt } from './layout';

/*
 * Planes resident in the kernel's memory, for `nccAt` (the direct sum at one shift, called many
 * times per plane). Layout of a plane at `at` (ncc.ts `summedAreas` and `maskedRuns`, here):
 *   x f32[rows * cols], m f32[rows * cols] (written by the caller),
 *   sum, squares f64[(rows + 1) * (cols + 1)] (summed-area tables of x and x^2),
 *   rowStart i32[rows + 1], runs i32[2 * count] (start, end of each masked run, row by row).
 */

function planeTables(at: usize, rows: i32, cols: i32): usize {
  return maskAt(at, rows, cols) + align16(<usize>(rows * cols) << 2);
}

function planeRowStart(at: usize, rows: i32, cols: i32): usize {
  return planeTables(at, rows, cols) + (<usize>((rows + 1) * (cols + 1)) << 4);
}

/** Bytes a plane of rows x cols takes from its offset (at most: every other pixel a run). */
export function planeBytes(rows: i32, cols: i32): f64 {
  const runs = <f64>rows * <f64>((cols + 1) >> 1) * 8.0;
  return <f64>(planeRowStart(0, rows, cols)) + 4.0 * <f64>(rows + 1) + runs + 16.0;
}

/** Make the tables of the plane whose x and m the caller has written at `at`. */
export function planeLoad(at: usize, rows: i32, cols: i32): void {
  const x = valuesAt(at);
  const m = maskAt(at, rows, cols);
  const w = cols + 1;
  const sum = planeTables(at, rows, cols);
  const squares = sum + (<usize>((rows + 1) * w) << 3);
  memory.fill(sum, 0, <usize>w << 3);
  memory.fill(squares, 0, <usize>w << 3);
  for (let r = 0; r < rows; r++) {
    let line = 0.0;
    let line2 = 0.0;
    const above = <usize>(r * w);
    const here = above + <usize>w;
    store<f64>(sum + (here << 3), 0);
    store<f64>(squares + (here << 3), 0);
    for (let c = 0; c < cols; c++) {
      const v = <f64>load<f32>(x + (<usize>(r * cols + c) << 2));
      line += v;
      line2 += v * v;
      const o = <usize>(c + 1) << 3;
      store<f64>(sum + (here << 3) + o, load<f64>(sum + (above << 3) + o) + line);
      store<f64>(squares + (here << 3) + o, load<f64>(squares + (above << 3) + o) + line2);
    }
  }
  const rowStart = planeRowStart(at, rows, cols);
  const runs = rowStart + (<usize>(rows + 1) << 2);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    store<i32>(rowStart + (<usize>r << 2), k);
    for (let c = 0; c < cols; c++) {
      const i = <usize>(r * cols + c);
      if (load<f32>(m + (i << 2)) == 0) {
        if (c == 0 || load<f32>(m + ((i - 1) << 2)) != 0) {
          store<i32>(runs + (<usize>k << 3), c);
          k++;
        }
        store<i32>(runs + (<usize>(k - 1) << 3) + 4, c);
      }
    }
  }
  store<i32>(rowStart + (<usize>rows << 2), k);
}

/**
 * ncc.ts `nccAt` on the plane at `at` (made by `planeLoad`): the pairs (k, q - k) of the overlap
 * visited once for the product sum, the plain sums from the summed-area tables, corrections at
 * the masked runs. Products of two f32 values are exact in f64, as in JavaScript; only the
 * order of the additions differs.
 */
export function nccAt(at: usize, rows: i32, cols: i32, shiftRow: i32, shiftCol: i32, minOverlap: f64): f64 {
  const x = valuesAt(at);
  const m = maskAt(at, rows, cols);
  const qr = rows - 1 + shiftRow;
  const qc = cols - 1 + shiftCol;
  const r0 = max(0, qr - rows + 1);
  const r1 = min(rows - 1, qr);
  const c0 = max(0, qc - cols + 1);
  const c1 = min(cols - 1, qc);
  if (r1 < r0 || c1 < c0) {
    return 0;
  }
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let tail = 0.0;
  const rowEnd = min(r1, (qr - 1) >> 1);
  const quadEnd = c0 + ((c1 - c0 + 1) & ~3);
  for (let r = r0; r <= rowEnd; r++) {
    const row = x + (<usize>(r * cols) << 2);
    // x[mirror - c] for c = c0.. runs backwards from here.
    const mirror = x + (<usize>((qr - r) * cols + qc) << 2);
    let c = c0;
    for (; c < quadEnd; c += 4) {
      const a = v128.load(row + (<usize>c << 2));
      // x[mirror - c - 3 .. mirror - c], reversed to pair with a.
      const b = v128.load(mirror - (<usize>(c + 3) << 2));
      const br = v128.shuffle<f32>(b, b, 3, 2, 1, 0);
      acc0 = f64x2.add(acc0, f64x2.mul(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(br)));
      const ah = v128.shuffle<f32>(a, a, 2, 3, 0, 1);
      const bh = v128.shuffle<f32>(br, br, 2, 3, 0, 1);
      acc1 = f64x2.add(acc1, f64x2.mul(f64x2.promote_low_f32x4(ah), f64x2.promote_low_f32x4(bh)));
    }
    for (; c <= c1; c++) {
      tail += <f64>load<f32>(row + (<usize>c << 2)) * <f64>load<f32>(mirror - (<usize>c << 2));
    }
  }
  const sumPairs = f64x2.add(acc0, acc1);
  let p = 2 * (f64x2.extract_lane(sumPairs, 0) + f64x2.extract_lane(sumPairs, 1) + tail);
  if ((qr & 1) == 0 && qr >= 2 * r0 && qr <= 2 * r1) {
    const row = x + (<usize>((qr >> 1) * cols) << 2);
    const colEnd = min(c1, (qc - 1) >> 1);
    let pm = 0.0;
    for (let c = c0; c <= colEnd; c++) {
      pm += <f64>load<f32>(row + (<usize>c << 2)) * <f64>load<f32>(row + (<usize>(qc - c) << 2));
    }
    p += 2 * pm;
    if ((qc & 1) == 0 && qc >= 2 * c0 && qc <= 2 * c1) {
      const a = <f64>load<f32>(row + (<usize>(qc >> 1) << 2));
      p += a * a;
    }
  }
  const w = cols + 1;
  const sum = planeTables(at, rows, cols);
  const squares = sum + (<usize>((rows + 1) * w) << 3);
  const i11 = <usize>((r1 + 1) * w + c1 + 1) << 3;
  const i01 = <usize>(r0 * w + c1 + 1) << 3;
  const i10 = <usize>((r1 + 1) * w + c0) << 3;
  const i00 = <usize>(r0 * w + c0) << 3;
  const sx = load<f64>(sum + i11) - load<f64>(sum + i01) - load<f64>(sum + i10) + load<f64>(sum + i00);
  const sxx =
    load<f64>(squares + i11) - load<f64>(squares + i01) - load<f64>(squares + i10) + load<f64>(squares + i00);
  const rowStart = planeRowStart(at, rows, cols);
  const runs = rowStart + (<usize>(rows + 1) << 2);
  let cs1 = 0.0;
  let cs2 = 0.0;
  let count = 0;
  let both = 0;
  for (let r = r0; r <= r1; r++) {
    const mirror = (qr - r) * cols + qc;
    const end = load<i32>(rowStart + (<usize>(r + 1) << 2));
    for (let k = load<i32>(rowStart + (<usize>r << 2)); k < end; k++) {
      const from = max(c0, load<i32>(runs + (<usize>k << 3)));
      const to = min(c1, load<i32>(runs + (<usize>k << 3) + 4));
      if (from > to) {
        continue;
      }
      count += to - from + 1;
      for (let v = mirror - to, last = mirror - from; v <= last; v++) {
        const b = <f64>load<f32>(x + (<usize>v << 2));
        cs1 += b;
        cs2 += b * b;
        if (load<f32>(m + (<usize>v << 2)) == 0) {
          both++;
        }
      }
    }
  }
  const area = <f64>(r1 - r0 + 1) * <f64>(c1 - c0 + 1);
  const n = area - 2 * <f64>count + <f64>both;
  return nccFromSums(p, sx - cs1, sxx - cs2, n, minOverlap);
}
