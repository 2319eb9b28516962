/**
 * AssemblyScript source of the engine's WebAssembly kernel: `nccMap` of ncc.ts (the masked NCC
 * of a plane with its inversion at every shift, by FFT) in one call. Compiled ahead of time by
 * `npm run build:wasm` (scripts/build-wasm.mjs) into ../wasm-binary.ts; loaded by ../wasm.ts.
 * Not compiled by tsc: this is AssemblyScript (f64, i32, usize, load/store, v128).
 *
 * Why WebAssembly: V8 runs JavaScript in its interpreter until a function is hot, so the first
 * call of the engine in a fresh process or Worker ran these loops 5-10x slower than the later
 * calls (issue 13); WebAssembly is compiled before it runs. The arithmetic is that of the JS
 * route (ncc.ts, fft.ts): same formulas, same guards; the FFT is a radix-2 one with complex
 * numbers as f64x2 vectors, so values differ from the JS route's by rounding only.
 *
 * Memory layout from `heap` (all set by `nccMapBytes`'s rule; the caller writes x and m):
 *   x  f32[rows * cols]   masked, mean-subtracted values
 *   m  f32[rows * cols]   mask, 0/1
 *   a, b, u  f64x2[fr * fc]  transforms (fr, fc: powers of two >= 2 rows - 1, 2 cols - 1)
 *   out f64[(2 rows - 1) * (2 cols - 1)]  the NCC map (row-major; shifts as in ncc.ts)
 *   scratch: twiddles (fr / 2 + fc / 2 complex), bit-reversal tables (fr + fc i32), one row.
 */

function nextPowerOfTwo(n: i32): i32 {
  let p = 2;
  while (p < n) {
    p <<= 1;
  }
  return p;
}

function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

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

/** Byte offset of the plane's values (f32, rows x cols) for `nccMap(heap, ...)`. */
export function valuesAt(heap: usize): usize {
  return align16(heap);
}

/** Byte offset of the plane's mask (f32, rows x cols) for `nccMap(heap, ...)`. */
export function maskAt(heap: usize, rows: i32, cols: i32): usize {
  return valuesAt(heap) + align16(<usize>(rows * cols) << 2);
}

/** Twiddles w_k = exp(sign * 2 pi i k / n), k < n / 2, at `tw`; bit-reversal permutation at `rev`. */
function plan(n: i32, sign: f64, tw: usize, rev: usize): void {
  const half = n >> 1;
  for (let k = 0; k < half; k++) {
    const angle = (2.0 * Math.PI * <f64>k) / <f64>n;
    store<f64>(tw + (<usize>k << 4), Math.cos(angle));
    store<f64>(tw + (<usize>k << 4) + 8, sign * Math.sin(angle));
  }
  let bits = 0;
  while ((1 << bits) < n) {
    bits++;
  }
  for (let i = 0; i < n; i++) {
    let r = 0;
    let v = i;
    for (let b = 0; b < bits; b++) {
      r = (r << 1) | (v & 1);
      v >>= 1;
    }
    store<i32>(rev + (<usize>i << 2), r);
  }
}

/** Complex product of a with w, both (re, im) in f64x2. */
// @ts-ignore: decorator
@inline
function cmul(a: v128, wr: v128, wiSigned: v128): v128 {
  // (ar wr - ai wi, ai wr + ar wi): a * (wr, wr) + swap(a) * (-wi, wi)
  return f64x2.add(f64x2.mul(a, wr), f64x2.mul(v128.shuffle<f64>(a, a, 1, 0), wiSigned));
}

/** In-place radix-2 FFT of one contiguous row of n complex values at `p`. */
function fftRow(p: usize, n: i32, tw: usize, rev: usize): void {
  for (let i = 0; i < n; i++) {
    const j = load<i32>(rev + (<usize>i << 2));
    if (j > i) {
      const pi = p + (<usize>i << 4);
      const pj = p + (<usize>j << 4);
      const t = v128.load(pi);
      v128.store(pi, v128.load(pj));
      v128.store(pj, t);
    }
  }
  // First stage: twiddle 1.
  for (let k = 0; k < n; k += 2) {
    const pa = p + (<usize>k << 4);
    const a = v128.load(pa);
    const b = v128.load(pa + 16);
    v128.store(pa, f64x2.add(a, b));
    v128.store(pa + 16, f64x2.sub(a, b));
  }
  for (let size = 4; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let k = 0; k < half; k++) {
      const w = tw + (<usize>(k * step) << 4);
      const wr = f64x2.splat(load<f64>(w));
      const wi = load<f64>(w + 8);
      const wis = f64x2.replace_lane(f64x2.splat(wi), 0, -wi);
      for (let start = 0; start < n; start += size) {
        const pa = p + (<usize>(start + k) << 4);
        const pb = pa + (<usize>half << 4);
        const a = v128.load(pa);
        const b = cmul(v128.load(pb), wr, wis);
        v128.store(pa, f64x2.add(a, b));
        v128.store(pb, f64x2.sub(a, b));
      }
    }
  }
}

/**
 * In-place radix-2 FFT along the columns of an n x c array (rows of c complex at `p`): the
 * butterflies act on whole rows, so the inner loops run along contiguous memory.
 */
function fftColumns(p: usize, n: i32, c: i32, tw: usize, rev: usize, temp: usize): void {
  const rowBytes = <usize>c << 4;
  for (let i = 0; i < n; i++) {
    const j = load<i32>(rev + (<usize>i << 2));
    if (j > i) {
      const pi = p + <usize>i * rowBytes;
      const pj = p + <usize>j * rowBytes;
      memory.copy(temp, pi, rowBytes);
      memory.copy(pi, pj, rowBytes);
      memory.copy(pj, temp, rowBytes);
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let k = 0; k < half; k++) {
      const w = tw + (<usize>(k * step) << 4);
      const wr = f64x2.splat(load<f64>(w));
      const wi = load<f64>(w + 8);
      const wis = f64x2.replace_lane(f64x2.splat(wi), 0, -wi);
      const unit = k == 0;
      for (let start = 0; start < n; start += size) {
        let pa = p + <usize>(start + k) * rowBytes;
        let pb = pa + <usize>half * rowBytes;
        const end = pa + rowBytes;
        if (unit) {
          for (; pa < end; pa += 16, pb += 16) {
            const a = v128.load(pa);
            const b = v128.load(pb);
            v128.store(pa, f64x2.add(a, b));
            v128.store(pb, f64x2.sub(a, b));
          }
        } else {
          for (; pa < end; pa += 16, pb += 16) {
            const a = v128.load(pa);
            const b = cmul(v128.load(pb), wr, wis);
            v128.store(pa, f64x2.add(a, b));
            v128.store(pb, f64x2.sub(a, b));
          }
        }
      }
    }
  }
}

function nccFromSums(p: f64, s1: f64, s2: f64, n: f64, minOverlap: f64): f64 {
  if (n < minOverlap || n < 1) {
    return 0;
  }
  const centered = (s1 * s1) / n;
  const variance = s2 - centered;
  if (!(variance > 1e-12 * Math.abs(s2)) || variance <= 0) {
    return 0;
  }
  const value = (p - centered) / variance;
  return value > 1 ? 1 : value < -1 ? -1 : value;
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
  const twr = out + align16(<usize>(outRows * outCols) << 3);
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
  plan(fr, -1.0, twr, revr);
  plan(fc, -1.0, twc, revc);
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
  plan(fr, 1.0, twr, revr);
  plan(fc, 1.0, twc, revc);
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
