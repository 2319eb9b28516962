/**
 * Anti-aliased 2x reduction of a plane, symmetric about its center so that the inversion
 * geometry survives: a shift `s` at the coarse level is the shift `2 s` at the finer one.
 *
 * Along an axis of even length N the coarse samples sit at fine positions 2k + 0.5 (binomial
 * taps 1 3 3 1 / 8); of odd length at 2k (taps 1 4 6 4 1 / 16). Both grids are mirror images of
 * themselves about the crop center (N - 1) / 2. Masked pixels are left out of the averages
 * (normalized convolution); a coarse pixel is valid when at least half of its weight was.
 */
import { makePlane, type Plane } from './ncc.js';

/** Reduce a plane by 2 on both axes (values re-centered on their own masked mean). */
export function reducePlane(plane: Plane): Plane {
  const rowAxis = Private.axis(plane.rows);
  const colAxis = Private.axis(plane.cols);
  const { rows, cols, x, m } = plane;
  const outRows = rowAxis.length;
  const outCols = colAxis.length;

  // Vertical pass: (rows x cols) -> (outRows x cols), numerator and mask weight. Each output
  // row is summed in registers over its taps (in tap order) and written once.
  const num = new Float64Array(outRows * cols);
  const den = new Float64Array(outRows * cols);
  const offsets = new Int32Array(5);
  const weights = new Float64Array(5);
  for (let k = 0; k < outRows; k++) {
    const { start, taps } = rowAxis.tapsOf(k);
    let total = 0;
    let count = 0;
    for (let t = 0; t < taps.length; t++) {
      const r = start + t;
      if (r < 0 || r >= rows) {
        continue;
      }
      total += taps[t];
      offsets[count] = r * cols;
      weights[count] = taps[t];
      count++;
    }
    const dst = k * cols;
    if (count === 4) {
      const [o0, o1, o2, o3] = offsets;
      const [w0, w1, w2, w3] = weights;
      for (let c = 0; c < cols; c++) {
        num[dst + c] =
          (0 + w0 * x[o0 + c] + w1 * x[o1 + c] + w2 * x[o2 + c] + w3 * x[o3 + c]) / total;
        den[dst + c] =
          (0 + w0 * m[o0 + c] + w1 * m[o1 + c] + w2 * m[o2 + c] + w3 * m[o3 + c]) / total;
      }
    } else if (count === 5) {
      const [o0, o1, o2, o3, o4] = offsets;
      const [w0, w1, w2, w3, w4] = weights;
      for (let c = 0; c < cols; c++) {
        num[dst + c] =
          (0 +
            w0 * x[o0 + c] +
            w1 * x[o1 + c] +
            w2 * x[o2 + c] +
            w3 * x[o3 + c] +
            w4 * x[o4 + c]) /
          total;
        den[dst + c] =
          (0 +
            w0 * m[o0 + c] +
            w1 * m[o1 + c] +
            w2 * m[o2 + c] +
            w3 * m[o3 + c] +
            w4 * m[o4 + c]) /
          total;
      }
    } else {
      for (let c = 0; c < cols; c++) {
        let sx = 0;
        let sm = 0;
        for (let t = 0; t < count; t++) {
          sx += weights[t] * x[offsets[t] + c];
          sm += weights[t] * m[offsets[t] + c];
        }
        num[dst + c] = sx / total;
        den[dst + c] = sm / total;
      }
    }
  }

  // Horizontal pass: (outRows x cols) -> (outRows x outCols), row by row.
  const values = new Float64Array(outRows * outCols);
  const mask = new Uint8Array(outRows * outCols);
  const colTaps = Array.from({ length: outCols }, (_, k) => colAxis.tapsOf(k));
  for (let r = 0; r < outRows; r++) {
    const src = r * cols;
    for (let k = 0; k < outCols; k++) {
      const { start, taps } = colTaps[k];
      let sx = 0;
      let sm = 0;
      let total = 0;
      for (let t = 0; t < taps.length; t++) {
        const c = start + t;
        if (c < 0 || c >= cols) {
          continue;
        }
        const w = taps[t];
        total += w;
        sx += w * num[src + c];
        sm += w * den[src + c];
      }
      const o = r * outCols + k;
      if (sm >= 0.5 * total && sm > 0) {
        values[o] = sx / sm + plane.mean;
        mask[o] = 1;
      }
    }
  }
  return makePlane(outRows, outCols, values, mask);
}

namespace Private {
  const EVEN_TAPS = [1 / 8, 3 / 8, 3 / 8, 1 / 8];
  const ODD_TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

  export interface Axis {
    length: number;
    tapsOf(k: number): { start: number; taps: number[] };
  }

  export function axis(n: number): Axis {
    if (n % 2 === 0) {
      return { length: n / 2, tapsOf: k => ({ start: 2 * k - 1, taps: EVEN_TAPS }) };
    }
    return { length: (n + 1) / 2, tapsOf: k => ({ start: 2 * k - 2, taps: ODD_TAPS }) };
  }
}
