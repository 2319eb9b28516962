/**
 * Sub-pixel location of a correlation peak: a least-squares quadratic surface
 * f(x, y) = a + b x + c y + d x^2 + e y^2 + g x y fitted to the 3 x 3 neighbourhood of the
 * integer maximum. On the logarithm of the values (when all are positive) the same fit is a
 * 2-D Gaussian, which is exact for Gaussian-shaped peaks and much less biased than a plain
 * paraboloid on sharp peaks; otherwise the paraboloid is fitted to the values themselves.
 */

/** The offset of the fitted maximum from the center sample, each in [-1, 1]. */
export interface PeakOffset {
  dRow: number;
  dCol: number;
  /** 'gaussian' (log fit), 'paraboloid', or 'none' when the surface has no maximum. */
  model: 'gaussian' | 'paraboloid' | 'none';
}

/**
 * Fit the 3 x 3 samples `v` (row-major, v[4] the center, v[(dr + 1) * 3 + (dc + 1)] at offset
 * (dr, dc)) and return the offset of the maximum.
 */
export function peakOffset3x3(v: ArrayLike<number>): PeakOffset {
  let positive = true;
  for (let i = 0; i < 9; i++) {
    if (!(v[i] > 0)) {
      positive = false;
    }
  }
  if (positive) {
    const logs = Array.from({ length: 9 }, (_, i) => Math.log(v[i]));
    const fit = Private.fit(logs);
    if (fit) {
      return { ...fit, model: 'gaussian' };
    }
  }
  const fit = Private.fit(v);
  return fit ? { ...fit, model: 'paraboloid' } : { dRow: 0, dCol: 0, model: 'none' };
}

/**
 * The least-squares quadratic f = a + by·y + bx·x + eyy·y² + dxx·x² + g·x·y through the 3 × 3
 * samples `v` (row-major, y along rows, both from −1 to 1), in closed form: the normal equations
 * of the symmetric 3 × 3 design. Shared by the sub-pixel peak and its uncertainty.
 */
export function quadratic3x3(v: ArrayLike<number>): { a: number; by: number; bx: number; eyy: number; dxx: number; g: number } {
  let s0 = 0;
  let sy = 0;
  let sx = 0;
  let syy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      const f = v[(dr + 1) * 3 + (dc + 1)];
      s0 += f;
      sy += dr * f;
      sx += dc * f;
      syy += dr * dr * f;
      sxx += dc * dc * f;
      sxy += dr * dc * f;
    }
  }
  const sum2 = (syy + sxx - (4 / 3) * s0) / 2; // eyy + dxx
  const diff2 = (syy - sxx) / 2; // eyy - dxx
  return {
    a: (5 * s0 - 3 * (syy + sxx)) / 9,
    by: sy / 6,
    bx: sx / 6,
    eyy: (sum2 + diff2) / 2,
    dxx: (sum2 - diff2) / 2,
    g: sxy / 4
  };
}

namespace Private {
  /** Least-squares quadratic on the 3 x 3 grid (closed form) and its stationary point. */
  export function fit(v: ArrayLike<number>): { dRow: number; dCol: number } | null {
    const { by, bx, eyy, dxx, g } = quadratic3x3(v);
    // Maximum: [2e g; g 2d] [y; x] = -[by; bx], needs a negative definite Hessian.
    const h11 = 2 * eyy;
    const h22 = 2 * dxx;
    const det = h11 * h22 - g * g;
    if (!(h11 < 0 && h22 < 0 && det > 0)) {
      return null;
    }
    const y = (-by * h22 + bx * g) / det;
    const x = (-bx * h11 + by * g) / det;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      return null;
    }
    return { dRow: clamp(y), dCol: clamp(x) };
  }

  function clamp(t: number): number {
    return t > 1 ? 1 : t < -1 ? -1 : t;
  }
}
