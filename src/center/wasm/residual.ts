/** uncertainty.ts `residualStats` on a resident plane (AssemblyScript; see index.ts). */
import { maskAt, valuesAt } from './layout';

/**
 * uncertainty.ts `residualStats` on the plane at `at`: the residual e(k) = x(k) - x~(q - k)
 * (x~ bilinear) over the overlap at the sub-pixel shift; returns the correlation area of e, and
 * stores the count of valid pairs at `scratch` (f64). One pass over the overlap: the residual of
 * only the previous row is kept (two rows from `scratch + 16`, f64, NaN where a pixel it reads is
 * masked), and the statistics about the mean come from plain sums (sum of products minus the
 * mean times the sums of both sides of each lag pair), where the JavaScript route stores the
 * whole residual and passes over it again: the same values to rounding (relative 1e-12 on the
 * bench's planes), without writing and reading back 8 bytes a pixel.
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
  let previous = scratch + 16;
  let current = previous + (<usize>w << 3);
  let count = 0;
  let sum = 0.0;
  let squares = 0.0;
  // Lag pairs along rows (k, k + one column) and along columns (k, k + one row): the sums of
  // their products, of their first and second members, and their number.
  let pCol = 0.0;
  let aCol = 0.0;
  let bCol = 0.0;
  let nCol = 0;
  let pRow = 0.0;
  let aRow = 0.0;
  let bRow = 0.0;
  let nRow = 0;
  for (let r = r0; r <= r1; r++) {
    const row = r * cols;
    const mr = qr0 - r;
    const up = mr * cols;
    const down = mr + 1 < rows ? up + cols : up;
    let left = NaN;
    for (let c = c0; c <= c1; c++) {
      const mc = qc0 - c;
      const right = mc + 1 < cols ? 1 : 0;
      const a = up + mc;
      const b = down + mc;
      let d = NaN;
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
        d = <f64>load<f32>(x + (<usize>(row + c) << 2)) - mirror;
        sum += d;
        squares += d * d;
        count++;
        if (left == left) {
          pCol += left * d;
          aCol += left;
          bCol += d;
          nCol++;
        }
        if (r > r0) {
          const above = load<f64>(previous + (<usize>(c - c0) << 3));
          if (above == above) {
            pRow += above * d;
            aRow += above;
            bRow += d;
            nRow++;
          }
        }
      }
      store<f64>(current + (<usize>(c - c0) << 3), d);
      left = d;
    }
    const t = previous;
    previous = current;
    current = t;
  }
  store<f64>(scratch, <f64>count);
  if (count < 2) {
    return 1;
  }
  const mean = sum / <f64>count;
  const variance = (squares - sum * mean) / <f64>count;
  if (!(variance > 0)) {
    return 1;
  }
  const lagCol = pCol - mean * (aCol + bCol) + <f64>nCol * mean * mean;
  const lagRow = pRow - mean * (aRow + bRow) + <f64>nRow * mean * mean;
  return lagFactor(lagRow, nRow, variance) * lagFactor(lagCol, nCol, variance);
}

function lagFactor(lag: f64, n: i32, variance: f64): f64 {
  const a = n > 0 ? Math.min(0.99, Math.max(0, lag / <f64>n / variance)) : 0;
  return (1 + a) / (1 - a);
}

/** Bytes `residualStats` writes from `scratch` for a plane of rows x cols (at most). */
export function residualBytes(rows: i32, cols: i32): f64 {
  return 16.0 + 16.0 * <f64>cols;
}
