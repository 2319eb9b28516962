/** uncertainty.ts `residualStats` on a resident plane (AssemblyScript; see index.ts). */
import { maskAt, valuesAt } from './layout';

/**
 * uncertainty.ts `residualStats` on the plane at `at`: the residual e(k) = x(k) - x~(q - k)
 * (x~ bilinear) over the overlap at the sub-pixel shift, written from `scratch + 16` (f64, NaN
 * where a pixel it reads is masked); returns the correlation area of e, and stores the count
 * of valid pairs at `scratch` (f64). Same arithmetic as the JavaScript.
 */
export function residualStats(at: usize, rows: i32, cols: i32, shiftRow: f64, shiftCol: f64, scratch: usize): f64 {
  const x = valuesAt(at);
  const m = maskAt(at, rows, cols);
  const qr = <f64>(rows - 1) + shiftRow;
  const qc = <f64>(cols - 1) + shiftCol;
  const qr0 = <i32>Math.floor(qr);
  const qc0 = <i32>Math.floor(qc);
  const fr = qr - <f64>qr0;
  const fc = qc - <f64>qc0;
  const w00 = (1 - fr) * (1 - fc);
  const w01 = (1 - fr) * fc;
  const w10 = fr * (1 - fc);
  const w11 = fr * fc;
  const r0 = max(0, qr0 + 1 - rows + 1);
  const r1 = min(rows - 1, qr0);
  const c0 = max(0, qc0 + 1 - cols + 1);
  const c1 = min(cols - 1, qc0);
  store<f64>(scratch, 0);
  if (r1 < r0 || c1 < c0) {
    return 1;
  }
  const w = c1 - c0 + 1;
  const h = r1 - r0 + 1;
  const e = scratch + 16;
  let count = 0;
  let sum = 0.0;
  for (let r = r0; r <= r1; r++) {
    const row = r * cols;
    const out = (r - r0) * w - c0;
    const mr = qr0 - r;
    const up = mr * cols;
    const down = mr + 1 < rows ? up + cols : up;
    for (let c = c0; c <= c1; c++) {
      const mc = qc0 - c;
      const right = mc + 1 < cols ? 1 : 0;
      const a = up + mc;
      const b = down + mc;
      if (
        load<f32>(m + (<usize>(row + c) << 2)) != 0 &&
        load<f32>(m + (<usize>a << 2)) != 0 &&
        load<f32>(m + (<usize>(a + right) << 2)) != 0 &&
        load<f32>(m + (<usize>b << 2)) != 0 &&
        load<f32>(m + (<usize>(b + right) << 2)) != 0
      ) {
        const mirror =
          w00 * <f64>load<f32>(x + (<usize>a << 2)) +
          w01 * <f64>load<f32>(x + (<usize>(a + right) << 2)) +
          w10 * <f64>load<f32>(x + (<usize>b << 2)) +
          w11 * <f64>load<f32>(x + (<usize>(b + right) << 2));
        const d = <f64>load<f32>(x + (<usize>(row + c) << 2)) - mirror;
        store<f64>(e + (<usize>(out + c) << 3), d);
        sum += d;
        count++;
      } else {
        store<f64>(e + (<usize>(out + c) << 3), NaN);
      }
    }
  }
  store<f64>(scratch, <f64>count);
  if (count < 2) {
    return 1;
  }
  const mean = sum / <f64>count;
  let s2 = 0.0;
  let lagRow = 0.0;
  let nRow = 0;
  let lagCol = 0.0;
  let nCol = 0;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const a = load<f64>(e + (<usize>(r * w + c) << 3)) - mean;
      if (a != a) {
        continue;
      }
      s2 += a * a;
      if (c + 1 < w) {
        const b = load<f64>(e + (<usize>(r * w + c + 1) << 3)) - mean;
        if (b == b) {
          lagCol += a * b;
          nCol++;
        }
      }
      if (r + 1 < h) {
        const b = load<f64>(e + (<usize>((r + 1) * w + c) << 3)) - mean;
        if (b == b) {
          lagRow += a * b;
          nRow++;
        }
      }
    }
  }
  const variance = s2 / <f64>count;
  if (!(variance > 0)) {
    return 1;
  }
  return lagFactor(lagRow, nRow, variance) * lagFactor(lagCol, nCol, variance);
}

function lagFactor(lag: f64, n: i32, variance: f64): f64 {
  const a = n > 0 ? Math.min(0.99, Math.max(0, lag / <f64>n / variance)) : 0;
  return (1 + a) / (1 - a);
}

/** Bytes `residualStats` writes from `scratch` for a plane of rows x cols (at most). */
export function residualBytes(rows: i32, cols: i32): f64 {
  return 16.0 + 8.0 * <f64>rows * <f64>cols;
}
