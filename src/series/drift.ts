/**
 * The drift of the center through a series: frames that stand out from their neighbours
 * (outliers), and a robust fit of the center against the frame (a line in time, or a plane over
 * the scan grid of a 4D-STEM scan).
 *
 * - Outliers (`flagOutliers`): each frame's center is compared with what its neighbours predict:
 *   the line through the two frames before it, through the frames on either side, and through
 *   the two frames after it (whichever exist). Its distance from the nearest prediction counts
 *   as an outlier when it exceeds `OUTLIER_SIGMAS` robust standard deviations of all such
 *   distances and at least `MIN_OUTLIER_PX`. A steady drift is predicted by every line; a
 *   lasting jump of the beam by the lines on its own side (not an outlier); a frame (or two)
 *   off the path by none (an outlier).
 * - Fit (`fitDrift`): least squares reweighted (IRLS) with Huber's weights to convergence, then
 *   Tukey's bisquare, both on the residual's robust scale (1.4826 × its median absolute value).
 *   row and col are fitted with one weight per frame (the larger of its two scaled residuals),
 *   so a frame off the path is down-weighted on both axes. Frames whose residual exceeds
 *   `OUTLIER_SIGMAS` scales (and `MIN_OUTLIER_PX`) are the fit's outliers.
 *
 * Pure functions on plain arrays (no DOM), like the rest of src/series.
 */

/** A residual beyond this many robust standard deviations is an outlier… */
export const OUTLIER_SIGMAS = 5;
/** …and only if it is also at least this many pixels (a perfect drift has a tiny scale). */
export const MIN_OUTLIER_PX = 0.5;

/** One frame's center (NaN where there is none: a frame that failed). */
export interface DriftPoint {
  frame: number;
  row: number;
  col: number;
}

/** What a fit is made of. */
export type DriftFitKind = 'linear' | 'plane';

/** A robust fit of the center against the frame. */
export interface DriftFit {
  kind: DriftFitKind;
  /**
   * 'linear': row = row[0] + row[1] × frame (col alike). 'plane': over a scan grid of
   * `scanWidth` frames per scan row, frame = y × scanWidth + x: row = row[0] + row[1] × x + row[2] × y.
   */
  row: number[];
  col: number[];
  /** 'plane' only: frames per scan row. */
  scanWidth?: number;
  /** Robust standard deviation of the residuals (row, col) in pixels. */
  sigma: [number, number];
  /** Frames the fit rejects (residual beyond OUTLIER_SIGMAS × sigma and MIN_OUTLIER_PX). */
  outliers: number[];
  /** Number of frames fitted (with a center). */
  count: number;
}

/** Whether each point is an outlier (see the module comment); false for a frame without a center. */
export function flagOutliers(points: readonly DriftPoint[]): boolean[] {
  const valid = points.map((p, i) => ({ p, i })).filter(({ p }) => Number.isFinite(p.row) && Number.isFinite(p.col));
  const flags = new Array<boolean>(points.length).fill(false);
  const n = valid.length;
  if (n < 3) {
    return flags;
  }
  /** The line through points a and b of `valid`, at the frame of point k. */
  const predict = (a: number, b: number, k: number) => {
    const pa = valid[a].p;
    const pb = valid[b].p;
    const t = (valid[k].p.frame - pa.frame) / (pb.frame - pa.frame);
    return { row: pa.row + t * (pb.row - pa.row), col: pa.col + t * (pb.col - pa.col) };
  };
  const distance = valid.map(({ p }, k) => {
    const lines: Array<[number, number]> = [];
    if (k >= 2) lines.push([k - 2, k - 1]);
    if (k >= 1 && k + 1 < n) lines.push([k - 1, k + 1]);
    if (k + 2 < n) lines.push([k + 1, k + 2]);
    return Math.min(
      ...lines.map(([a, b]) => {
        const q = predict(a, b, k);
        return Math.hypot(p.row - q.row, p.col - q.col);
      })
    );
  });
  const limit = Math.max(MIN_OUTLIER_PX, OUTLIER_SIGMAS * robustScale(distance));
  distance.forEach((d, k) => (flags[valid[k].i] = d > limit));
  return flags;
}

/**
 * A robust fit of the points' centers (see the module comment). 'plane' needs `scanWidth`
 * (frames per scan row). Throws when there are too few frames with a center to fit.
 */
export function fitDrift(points: readonly DriftPoint[], kind: DriftFitKind, scanWidth?: number): DriftFit {
  if (kind === 'plane' && !(Number.isInteger(scanWidth) && scanWidth! >= 1)) {
    throw new Error(`a plane fit needs the scan width (frames per scan row), not ${scanWidth}`);
  }
  const valid = points.filter(p => Number.isFinite(p.row) && Number.isFinite(p.col));
  const basis = (frame: number): number[] => Private.basis(kind, frame, scanWidth);
  const terms = basis(0).length;
  if (valid.length < terms + 1) {
    throw new Error(`a ${kind} fit needs at least ${terms + 1} frames with a center, not ${valid.length}`);
  }
  const x = valid.map(p => basis(p.frame));
  const rows = valid.map(p => p.row);
  const cols = valid.map(p => p.col);
  let weights = new Array<number>(valid.length).fill(1);
  let fit = { row: Private.solve(x, rows, weights), col: Private.solve(x, cols, weights) };
  let scale: [number, number] = [0, 0];
  const residuals = () => {
    const rr = x.map((b, i) => rows[i] - Private.dot(b, fit.row));
    const rc = x.map((b, i) => cols[i] - Private.dot(b, fit.col));
    return { rr, rc };
  };
  for (const [rule, iterations] of [['huber', 30], ['tukey', 10]] as const) {
    for (let it = 0; it < iterations; it++) {
      const { rr, rc } = residuals();
      scale = [robustScale(rr.map(Math.abs)), robustScale(rc.map(Math.abs))];
      const next = rr.map((r, i) => {
        // A floor of a thousandth of a pixel: most frames exactly on the path would make the
        // scale 0 and every other frame infinitely far.
        const u = Math.max(Math.abs(r) / Math.max(scale[0], 1e-3), Math.abs(rc[i]) / Math.max(scale[1], 1e-3));
        return Private.weight(rule, u);
      });
      const change = next.reduce((m, w, i) => Math.max(m, Math.abs(w - weights[i])), 0);
      weights = next;
      if (weights.reduce((s, w) => s + (w > 0 ? 1 : 0), 0) < terms + 1) {
        break;
      }
      fit = { row: Private.solve(x, rows, weights), col: Private.solve(x, cols, weights) };
      if (change < 1e-6) {
        break;
      }
    }
  }
  const { rr, rc } = residuals();
  scale = [robustScale(rr.map(Math.abs)), robustScale(rc.map(Math.abs))];
  const outliers = valid
    .filter((_, i) => {
      const limitRow = Math.max(MIN_OUTLIER_PX, OUTLIER_SIGMAS * scale[0]);
      const limitCol = Math.max(MIN_OUTLIER_PX, OUTLIER_SIGMAS * scale[1]);
      return Math.abs(rr[i]) > limitRow || Math.abs(rc[i]) > limitCol;
    })
    .map(p => p.frame);
  return {
    kind,
    row: fit.row,
    col: fit.col,
    ...(kind === 'plane' ? { scanWidth } : {}),
    sigma: scale,
    outliers,
    count: valid.length
  };
}

/** The fitted center of `frame`. */
export function evaluateFit(fit: DriftFit, frame: number): { row: number; col: number } {
  const b = Private.basis(fit.kind, frame, fit.scanWidth);
  return { row: Private.dot(b, fit.row), col: Private.dot(b, fit.col) };
}

/** The median of the values (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 1.4826 × the median of absolute values: a Gaussian's standard deviation, robustly. */
export function robustScale(absolute: readonly number[]): number {
  return 1.4826 * median(absolute);
}

namespace Private {
  export function basis(kind: DriftFitKind, frame: number, scanWidth?: number): number[] {
    if (kind === 'linear') {
      return [1, frame];
    }
    const w = scanWidth!;
    return [1, frame % w, Math.floor(frame / w)];
  }

  export function dot(a: readonly number[], b: readonly number[]): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Huber (k = 1.345) or Tukey bisquare (c = 4.685) weight of a scaled residual. */
  export function weight(rule: 'huber' | 'tukey', u: number): number {
    if (rule === 'huber') {
      return u <= 1.345 ? 1 : 1.345 / u;
    }
    const t = u / 4.685;
    return t >= 1 ? 0 : (1 - t * t) ** 2;
  }

  /** Weighted least squares: the coefficients minimizing sum w (y - x·c)² (normal equations). */
  export function solve(x: readonly number[][], y: readonly number[], w: readonly number[]): number[] {
    const m = x[0].length;
    const a = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
    for (let i = 0; i < x.length; i++) {
      for (let j = 0; j < m; j++) {
        for (let k = 0; k < m; k++) {
          a[j][k] += w[i] * x[i][j] * x[i][k];
        }
        a[j][m] += w[i] * x[i][j] * y[i];
      }
    }
    // Gaussian elimination with partial pivoting; a singular system (all frames in one scan row
    // of a plane) keeps the unknown terms at 0.
    for (let col = 0; col < m; col++) {
      let pivot = col;
      for (let r = col + 1; r < m; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      [a[col], a[pivot]] = [a[pivot], a[col]];
      if (Math.abs(a[col][col]) < 1e-12) {
        a[col].fill(0);
        continue;
      }
      for (let r = 0; r < m; r++) {
        if (r !== col) {
          const f = a[r][col] / a[col][col];
          for (let k = col; k <= m; k++) {
            a[r][k] -= f * a[col][k];
          }
        }
      }
    }
    return a.map((rowOf, j) => (rowOf[j] === 0 ? 0 : rowOf[m] / rowOf[j]));
  }
}
