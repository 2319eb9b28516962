/**
 * The uncertainty of a center from the shape of its correlation peak and the data's noise.
 *
 * The center c minimizes D(s) = sum_k (x(k) - x(q - k))^2 over the crop's valid overlap (the
 * plane x compared with its inversion at shift s = 2 (c - crop center)); with S = sum_k x(k)^2,
 * D(s) = 2 S (1 - NCC(s)). Treating the N / 2 independent residuals e = x(k) - x(q - k) at the
 * optimum as noise of variance D_min / N (least squares, Gauss-Newton), the covariance of the
 * center is
 *
 *   Cov(c) = (1 - rho) / N_eff * (-H)^-1,
 *
 * with rho the peak NCC, H its Hessian in shift units (the quadratic fitted to the 3 x 3 NCC
 * samples about the integer peak, as subpixel.ts fits them) and N_eff the number of independent
 * residuals. Everything that breaks the inversion symmetry (Poisson noise, walk-off, an uneven
 * beam-block edge) makes 1 - rho larger, so the formula covers more than noise. Residuals are
 * rarely independent pixel to pixel (the noise is, the asymmetry of a smooth background is not):
 * N_eff = N / A, where A is the residual's correlation area, measured from its lag-1
 * autocorrelation along rows and columns (an AR(1) model per axis: A = prod (1 + a) / (1 - a)).
 * Finally the sub-pixel fit's own error (the 3 x 3 fit's bias, a few thousandths of a pixel) is
 * added in quadrature as `FIT_FLOOR` times the peak's width.
 *
 * Calibration (`npm run bench -- sigma`): SIGMA_SCALE and FIT_FLOOR were chosen on the 150
 * cases of seed 2024 (errors of 0.0005-0.05 px) for >= 95 % of cases within 3 sigma on both
 * axes with the smallest sigma; the bench checks them on a second seed too. Without the floor
 * and the scale (an exploration on the raw crops of seed 2024), rings were covered (98 % within
 * 3 sigma) but spot lattices were not (62-74 %).
 */
import type { Plane } from './ncc.js';
import { nccAtMemo } from './ncc-memo.js';
import { wasmResidualStats } from './wasm.js';
import { quadratic3x3 } from './subpixel.js';

/**
 * Added in quadrature: this fraction of the NCC peak's width (its 1/e half-width from the
 * Hessian, in center pixels, about 2 px on the bench), for the sub-pixel fit's bias.
 */
export const FIT_FLOOR = 0.0015;
/**
 * The statistical part is multiplied by this: the least-squares covariance assumes the residual
 * is the only error, while the lattice patterns of the bench show errors up to about 1.5x larger
 * (sub-pixel fit bias that varies with the peak's shape).
 */
export const SIGMA_SCALE = 1.5;

/** What `centerSigma` found, for benchmarks and tools. */
export interface CenterSigma {
  /** Standard uncertainty of the center (row, col) in pixels. */
  sigma: [number, number];
  /** Statistical part before the fit floor (row, col). */
  statistical: [number, number];
  /** Correlation area of the residual in pixels (1 = independent). */
  correlationArea: number;
  /** Valid pixels of the overlap. */
  overlap: number;
  /** The NCC peak's 1/e half-width (row, col) in center pixels. */
  peakWidth: [number, number];
}

/**
 * The uncertainty of a center found as the NCC peak of `plane` at the (sub-pixel) shift
 * (shiftRow, shiftCol). See the module comment. Infinity when the peak has no curvature.
 */
export function centerSigma(plane: Plane, shiftRow: number, shiftCol: number): CenterSigma {
  const ir = Math.round(shiftRow);
  const ic = Math.round(shiftCol);
  const v = new Float64Array(9);
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      v[(dr + 1) * 3 + dc + 1] = nccAtMemo(plane, ir + dr, ic + dc);
    }
  }
  const { hrr, hcc, hrc, peak } = Private.quadratic(v, shiftRow - ir, shiftCol - ic);
  const residual = Private.residualStats(plane, shiftRow, shiftCol);
  const rho = Math.min(1, Math.max(-1, peak));
  const det = hrr * hcc - hrc * hrc;
  const infinite: CenterSigma = {
    sigma: [Infinity, Infinity],
    statistical: [Infinity, Infinity],
    correlationArea: residual.area,
    overlap: residual.count,
    peakWidth: [Infinity, Infinity]
  };
  if (!(hrr < 0 && hcc < 0 && det > 0) || residual.count < 2) {
    return infinite;
  }
  // (-H)^-1 in shift units; the center moves half as far as the shift, but the 1/4 is already
  // in the least-squares derivation (see the module comment): Cov(c) = (1 - rho) / N_eff (-H)^-1.
  const nEff = residual.count / residual.area;
  const k = Math.max(1 - rho, 0) / nEff;
  const varRow = (k * -hcc) / det;
  const varCol = (k * -hrr) / det;
  // Peak width (1/e half-width of a Gaussian of the same curvature), in center pixels: in
  // shift units w^2 = 2 rho / -h, halved for the center.
  const width = (axisH: number): number => 0.5 * Math.sqrt((2 * Math.max(rho, 1e-3)) / -axisH);
  const statistical: [number, number] = [SIGMA_SCALE * Math.sqrt(varRow), SIGMA_SCALE * Math.sqrt(varCol)];
  const peakWidth: [number, number] = [width(hrr), width(hcc)];
  const sigma: [number, number] = [
    Math.hypot(statistical[0], FIT_FLOOR * peakWidth[0]),
    Math.hypot(statistical[1], FIT_FLOOR * peakWidth[1])
  ];
  return { sigma, statistical, correlationArea: residual.area, overlap: residual.count, peakWidth };
}

namespace Private {
  /**
   * The least-squares quadratic f = a + by y + bx x + (hrr y^2 + hcc x^2) / 2 + hrc x y on the
   * 3 x 3 samples (y: rows), its Hessian, and its value at (y, x).
   */
  export function quadratic(
    v: Float64Array,
    y: number,
    x: number
  ): { hrr: number; hcc: number; hrc: number; peak: number } {
    const { a, by, bx, eyy, dxx, g } = quadratic3x3(v);
    const peak = a + by * y + bx * x + eyy * y * y + dxx * x * x + g * x * y;
    return { hrr: 2 * eyy, hcc: 2 * dxx, hrc: g, peak };
  }

  /**
   * Valid pairs of the overlap at the sub-pixel shift (shiftRow, shiftCol), and the correlation
   * area of their residual e(k) = x(k) - x~(q - k), x~ bilinearly interpolated (the residual at
   * the integer shift would hold the sub-pixel offset times the image gradient, a structure
   * correlated over the whole crop).
   */
  export function residualStats(
    plane: Plane,
    shiftRow: number,
    shiftCol: number
  ): { count: number; area: number } {
    // The same sums in the WebAssembly kernel, on its copy of the plane (wasm.ts).
    const compiled = wasmResidualStats(plane, shiftRow, shiftCol);
    if (compiled) {
      return compiled;
    }
    const { rows, cols, x, m } = plane;
    // Mirror of k is q - k with q = (rows - 1 + shiftRow, cols - 1 + shiftCol); write
    // q - k = (qr0 - r + fr, qc0 - c + fc) with 0 <= f < 1 and read 2 x 2 pixels there.
    const qr = rows - 1 + shiftRow;
    const qc = cols - 1 + shiftCol;
    const qr0 = Math.floor(qr);
    const qc0 = Math.floor(qc);
    const fr = qr - qr0;
    const fc = qc - qc0;
    const w00 = (1 - fr) * (1 - fc);
    const w01 = (1 - fr) * fc;
    const w10 = fr * (1 - fc);
    const w11 = fr * fc;
    // k such that q0 - k and q0 - k + 1 are both inside the plane.
    const r0 = Math.max(0, qr0 + 1 - rows + 1);
    const r1 = Math.min(rows - 1, qr0);
    const c0 = Math.max(0, qc0 + 1 - cols + 1);
    const c1 = Math.min(cols - 1, qc0);
    if (r1 < r0 || c1 < c0) {
      return { count: 0, area: 1 };
    }
    const w = c1 - c0 + 1;
    const h = r1 - r0 + 1;
    // Residual over the overlap (NaN where a pixel it reads is masked).
    const e = new Float64Array(h * w);
    let count = 0;
    let sum = 0;
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
        if (m[row + c] && m[a] && m[a + right] && m[b] && m[b + right]) {
          const mirror = w00 * x[a] + w01 * x[a + right] + w10 * x[b] + w11 * x[b + right];
          const d = x[row + c] - mirror;
          e[out + c] = d;
          sum += d;
          count++;
        } else {
          e[out + c] = NaN;
        }
      }
    }
    if (count < 2) {
      return { count, area: 1 };
    }
    const mean = sum / count;
    let s2 = 0;
    let lagRow = 0;
    let nRow = 0;
    let lagCol = 0;
    let nCol = 0;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const a = e[r * w + c] - mean;
        if (a !== a) {
          continue;
        }
        s2 += a * a;
        if (c + 1 < w) {
          const b = e[r * w + c + 1] - mean;
          if (b === b) {
            lagCol += a * b;
            nCol++;
          }
        }
        if (r + 1 < h) {
          const b = e[(r + 1) * w + c] - mean;
          if (b === b) {
            lagRow += a * b;
            nRow++;
          }
        }
      }
    }
    const variance = s2 / count;
    if (!(variance > 0)) {
      return { count, area: 1 };
    }
    const factor = (lag: number, n: number): number => {
      const a = n > 0 ? Math.min(0.99, Math.max(0, lag / n / variance)) : 0;
      return (1 + a) / (1 - a);
    };
    return { count, area: factor(lagRow, nRow) * factor(lagCol, nCol) };
  }
}
