/**
 * The polar transform ("cake", as pyFAI's `integrate2d` and Dioptas show it): the image
 * resampled on a radius x azimuth grid about a center. A ring about the right center is a
 * straight line at constant radius; about a center off by d it bends as
 * r(phi) ~ r0 - |d| cos(phi - phi_d) (phi_d: direction of the offset).
 *
 * Layout (pyFAI's): `azimuths` rows by `radii` columns, row-major. Column j samples the radius
 * `(j + 0.5) * radialStep` (the middles of `radialProfile`'s bins of the same width); row i the
 * azimuth `phi_i = -pi + (i + 0.5) * 2 pi / azimuths`, measured as atan2(row - centerRow,
 * col - centerCol) (0 along +col, pi / 2 along +row, like pyFAI's chi). The sample at (r, phi)
 * is the bilinear interpolation of the image at (centerRow + r sin phi, centerCol + r cos phi),
 * pixel centers at integers. It is NaN when the point falls outside the image or when any of the
 * (up to four) pixels it reads with a non-zero weight is masked or not finite.
 */
import { CenterError } from './errors.js';
import { maxRadius, validateImageAndCenter } from './profile.js';
import type { ImageLike } from './types.js';

/** Options of `polarTransform`; every one has a default. */
export interface PolarOptions {
  /** 1 = valid pixel; null/undefined = all valid. */
  mask?: Uint8Array | null;
  /** Radial sampling step in pixels (default 1). */
  radialStep?: number;
  /** Number of radii (default: up to the farthest image corner, `ceil(maxRadius / radialStep)`). */
  radii?: number;
  /** Number of azimuths over the full circle (default 360). */
  azimuths?: number;
  /** Write into this array (length azimuths x radii) instead of a new one (e.g. while dragging). */
  out?: Float32Array;
}

/** A polar image. */
export interface PolarImage {
  center: { row: number; col: number };
  /** Rows: azimuths. */
  height: number;
  /** Columns: radii. */
  width: number;
  radialStep: number;
  /** `data[i * width + j]`: azimuth i, radius j; NaN where masked or outside the image. */
  data: Float32Array;
}

/** The radius sampled by column j. */
export function polarRadius(polar: { radialStep: number }, j: number): number {
  return (j + 0.5) * polar.radialStep;
}

/** The azimuth (radians, in (-pi, pi)) sampled by row i of a polar image with `azimuths` rows. */
export function polarAzimuth(azimuths: number, i: number): number {
  return -Math.PI + ((i + 0.5) * 2 * Math.PI) / azimuths;
}

/** Resample `image` on a radius x azimuth grid about `center`. See the module comment. */
export function polarTransform(
  image: ImageLike,
  center: { row: number; col: number },
  options: PolarOptions = {}
): PolarImage {
  const { height, width, data } = image;
  const mask = options.mask ?? null;
  const radialStep = options.radialStep ?? 1;
  const azimuths = options.azimuths ?? 360;
  validateImageAndCenter(image, center, mask);
  if (!(radialStep > 0) || !Number.isFinite(radialStep)) {
    throw new CenterError('invalid-input', `radialStep must be a positive number, got ${radialStep}`);
  }
  const radii = options.radii ?? Math.max(1, Math.ceil(maxRadius(height, width, center) / radialStep));
  for (const [name, n] of [
    ['radii', radii],
    ['azimuths', azimuths]
  ] as const) {
    if (!Number.isInteger(n) || n < 1) {
      throw new CenterError('invalid-input', `${name} must be a positive integer, got ${n}`);
    }
  }
  const size = radii * azimuths;
  const out = options.out ?? new Float32Array(size);
  if (out.length !== size) {
    throw new CenterError('invalid-input', `out holds ${out.length} values, expected ${azimuths} x ${radii}`);
  }
  const maxRow = height - 1;
  const maxCol = width - 1;
  for (let i = 0; i < azimuths; i++) {
    const phi = polarAzimuth(azimuths, i);
    const sin = Math.sin(phi);
    const cos = Math.cos(phi);
    const start = i * radii;
    for (let j = 0; j < radii; j++) {
      const r = (j + 0.5) * radialStep;
      const y = center.row + r * sin;
      const x = center.col + r * cos;
      if (!(y >= 0 && y <= maxRow && x >= 0 && x <= maxCol)) {
        out[start + j] = NaN;
        continue;
      }
      let r0 = Math.floor(y);
      let c0 = Math.floor(x);
      // On the last row/column the far neighbour has weight 0: read the one before instead.
      if (r0 === maxRow && maxRow > 0) r0--;
      if (c0 === maxCol && maxCol > 0) c0--;
      const fy = y - r0;
      const fx = x - c0;
      const i00 = r0 * width + c0;
      const i01 = c0 < maxCol ? i00 + 1 : i00;
      const i10 = r0 < maxRow ? i00 + width : i00;
      const i11 = i10 + (i01 - i00);
      const w00 = (1 - fy) * (1 - fx);
      const w01 = (1 - fy) * fx;
      const w10 = fy * (1 - fx);
      const w11 = fy * fx;
      const v00 = data[i00];
      const v01 = data[i01];
      const v10 = data[i10];
      const v11 = data[i11];
      let bad =
        (w00 > 0 && (v00 - v00 !== 0 || (mask !== null && !mask[i00]))) ||
        (w01 > 0 && (v01 - v01 !== 0 || (mask !== null && !mask[i01]))) ||
        (w10 > 0 && (v10 - v10 !== 0 || (mask !== null && !mask[i10]))) ||
        (w11 > 0 && (v11 - v11 !== 0 || (mask !== null && !mask[i11])));
      let value = 0;
      if (!bad) {
        // Zero-weight neighbours may be NaN: leave them out of the sum.
        if (w00 > 0) value += w00 * v00;
        if (w01 > 0) value += w01 * v01;
        if (w10 > 0) value += w10 * v10;
        if (w11 > 0) value += w11 * v11;
        bad = !Number.isFinite(value);
      }
      out[start + j] = bad ? NaN : value;
    }
  }
  return { center: { row: center.row, col: center.col }, height: azimuths, width: radii, radialStep, data: out };
}
