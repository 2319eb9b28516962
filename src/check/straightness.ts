/**
 * How straight a ring is in the polar view: a ring about the right center is a vertical line
 * (one radius at every azimuth); about a center off by d it bends as r(phi) = r0 - d cos(phi -
 * phi_d), whose spread over the azimuths is d / sqrt(2). No DOM: the check Worker computes it,
 * the polar view shows it and tests read it.
 */
import type { ProfilePeak } from '../center/peaks.js';

/** The spread of one ring's radius over the azimuths. */
export interface RingStraightness {
  /** The ring followed (px): the profile peak it started from. */
  radius: number;
  /** Half-width (px) of the window searched about `radius` on each azimuth. */
  halfWidth: number;
  /** Root-mean-square deviation (px) of the ring's radius per azimuth from their mean. */
  spread: number;
  /** The mean of those radii (px). */
  mean: number;
  /** Azimuths that had the whole window valid (masked or outside ones are left out). */
  rows: number;
}

/** The polar image as `polarTransform` returns it (azimuth rows x radius columns). */
export interface PolarGrid {
  height: number;
  width: number;
  radialStep: number;
  data: ArrayLike<number>;
}

/** Window half-width bounds (px). */
const MIN_HALF_WIDTH = 3;
const MAX_HALF_WIDTH = 15;

/**
 * The straightness of the ring at `peaks`' most prominent peak, or null when the profile has no
 * peak or fewer than 8 azimuths see the ring whole. The window about the ring is 0.4 of the gap
 * to its neighbouring peaks (3 to 15 px), so that a neighbour is not taken for it.
 */
export function ringStraightness(polar: PolarGrid, peaks: readonly ProfilePeak[]): RingStraightness | null {
  if (!peaks.length) {
    return null;
  }
  let best = 0;
  for (let i = 1; i < peaks.length; i++) {
    if (peaks[i].prominence > peaks[best].prominence) {
      best = i;
    }
  }
  const radius = peaks[best].radius;
  let gap = Infinity;
  if (best > 0) gap = Math.min(gap, radius - peaks[best - 1].radius);
  if (best < peaks.length - 1) gap = Math.min(gap, peaks[best + 1].radius - radius);
  const halfWidth = Math.max(MIN_HALF_WIDTH, Math.min(MAX_HALF_WIDTH, 0.4 * gap));
  return ringSpread(polar, radius, halfWidth);
}

/** The spread of the maxima within `halfWidth` of `radius`, row by row (see `RingStraightness`). */
export function ringSpread(polar: PolarGrid, radius: number, halfWidth: number): RingStraightness | null {
  const { height, width, radialStep, data } = polar;
  // Column j samples the radius (j + 0.5) * radialStep.
  const first = Math.max(0, Math.ceil((radius - halfWidth) / radialStep - 0.5));
  const last = Math.min(width - 1, Math.floor((radius + halfWidth) / radialStep - 0.5));
  if (last - first < 2) {
    return null;
  }
  const found: number[] = [];
  for (let i = 0; i < height; i++) {
    const row = i * width;
    let at = -1;
    let max = -Infinity;
    let whole = true;
    for (let j = first; j <= last; j++) {
      const v = data[row + j];
      if (!Number.isFinite(v)) {
        whole = false;
        break;
      }
      if (v > max) {
        max = v;
        at = j;
      }
    }
    if (!whole || at < 0) {
      continue;
    }
    let offset = 0;
    if (at > first && at < last) {
      const a = data[row + at - 1];
      const c = data[row + at + 1];
      const curvature = a - 2 * max + c;
      if (curvature < 0) {
        offset = Math.max(-0.5, Math.min(0.5, (a - c) / (2 * curvature)));
      }
    }
    found.push((at + 0.5 + offset) * radialStep);
  }
  if (found.length < 8) {
    return null;
  }
  const mean = found.reduce((s, r) => s + r, 0) / found.length;
  const spread = Math.sqrt(found.reduce((s, r) => s + (r - mean) ** 2, 0) / found.length);
  return { radius, halfWidth, spread, mean, rows: found.length };
}
