/**
 * Step 6 of `autocenter`: a center the crop about the center of mass cannot see.
 *
 * A center 12-18 % of the width from an edge lies outside the symmetric crop about the center
 * of mass, or so far from its middle that the mirror overlap falls below the search's guard; the
 * iterations then settle on another inversion center (a false lattice point, a ring fragment).
 * The whole image's coarse NCC map (global.ts, at most 64 pixels a side: a few ms) does not
 * depend on the center of mass. Its best maxima that lie elsewhere, whose crop is large enough
 * (MIN_SUPPORT) and that the map prefers to the answer's own position, are followed: the tracks
 * run again from each, their coarse passes held within one coarse pixel of it (a wide search in
 * the small crop of an edge center drifts to a neighbouring lattice point), and the answer with
 * the higher NCC wins, if it also does with the middle of both crops left out (CENTRAL_DISK).
 * When the map agrees with the answer, nothing more runs.
 */
import { capAxis, cropAxis } from './crop.js';
import { globalSearch } from './global.js';
import { makePlane, nccAt } from './ncc.js';
import type { ImageLike } from './types.js';

/** Maxima of the whole image's map that are looked at. */
export const EDGE_CANDIDATES = 4;
/** At most this many of them are followed (tracks run again). */
export const MAX_RESTARTS = 2;
/** A maximum within this many coarse pixels of the answer is the answer. */
export const EDGE_AGREEMENT = 1.5;
/**
 * A center found by step 6 is kept (and a maximum followed) only if its symmetric crop covers
 * at least this fraction of the image: a center 12 % of the width from one edge and 30 % from
 * another covers 14.4 %. Near corners the coarse map's maxima were false lattice points (0.12
 * let the speed table's hexagonal and square 256² patterns run a second search for nothing).
 */
export const MIN_SUPPORT = 0.14;
/**
 * ... and spans at least this fraction of the image's height and of its width (a center 10 %
 * of the width from an edge): a mirror region only a few dozen rows thin can correlate better
 * by chance than the whole pattern (a false center 18 px from the edge of a 256² square lattice
 * with walk-off and gaps did, 0.96 against the true center's NCC).
 */
export const MIN_SPAN = 0.2;
/**
 * A center found by step 6 must also correlate better than the answer with a central disk of
 * this fraction of its crop's shorter side left out: an isolated spot is symmetric about itself,
 * and a crop about it correlated at 0.97 on a real frame (extra/hotspots.tif) against 0.05 with
 * the spot left out (the answer it replaced: 0.15 either way).
 */
export const CENTRAL_DISK = 0.1;
/** The crops of that comparison are cut to at most this many pixels a side about the center. */
export const CENTRAL_WINDOW = 512;
/** Below this NCC the answer is checked against the best maximum however close. */
export const DOUBTFUL_SCORE = 0.5;

/** What step 6 needs of a track: its center and its NCC. */
export interface EdgeTrack {
  estimate: { row: number; col: number };
  score: number;
}

/** What step 6 needs of the engine. */
export interface EdgeSteps<T extends EdgeTrack> {
  image: ImageLike;
  /** The engine's mask (1 = valid). */
  mask: Uint8Array;
  /**
   * The tracks run again from `start`, following only peaks whose center lies within `radius`
   * pixels of it; null when no crop fits there.
   */
  restart(start: { row: number; col: number }, radius: number): T | null;
  /** Record that a branch ran. */
  note(branch: string): void;
}

/** The answer `best`, or a better-correlating center near an edge (see the module comment). */
export function edgeCheck<T extends EdgeTrack>(steps: EdgeSteps<T>, best: T): T {
  const { image } = steps;
  const search = globalSearch(image, steps.mask, EDGE_CANDIDATES);
  if (!search) {
    return best;
  }
  steps.note('global');
  const radius = EDGE_AGREEMENT * search.factor;
  const here = search.scoreNear(best.estimate.row, best.estimate.col);
  // A doubtful answer (low NCC) is checked against the best maximum unless at the same pixel:
  // a ring pattern's climb can stop a few pixels off, within a coarse pixel of the maximum.
  const doubtful = best.score < DOUBTFUL_SCORE;
  const follow = search.candidates
    .filter((c, k) => {
      if (!Private.supported(image, c)) {
        return false;
      }
      const apart = Math.hypot(c.row - best.estimate.row, c.col - best.estimate.col);
      return apart > radius ? c.score > here : doubtful && k === 0 && apart > 1;
    })
    .slice(0, MAX_RESTARTS);
  let result = best;
  for (const candidate of follow) {
    steps.note('global-restart');
    const other = steps.restart(candidate, radius);
    if (
      other &&
      other.score > result.score &&
      Private.supported(image, other.estimate) &&
      Private.beyondCenter(image, steps.mask, other.estimate) >
        Private.beyondCenter(image, steps.mask, result.estimate)
    ) {
      steps.note('global-won');
      result = other;
    }
  }
  return result;
}

/**
 * The caveat of a center step 6 found: how near the edge it lies and how little of the image
 * its symmetric crop covers (few mirror pairs back it: worth a look in the polar view).
 */
export function edgeWarning(image: ImageLike, center: { row: number; col: number }): string {
  const { height, width } = image;
  const rows = cropAxis(center.row, height).size;
  const cols = cropAxis(center.col, width).size;
  const edge = Math.min(center.row, center.col, height - 1 - center.row, width - 1 - center.col);
  const cover = Math.round((100 * rows * cols) / (height * width));
  return `center near the edge (${Math.max(0, Math.round(edge))} px from it), found by the whole-image search: its symmetric region covers ${cover} % of the image; check it`;
}

namespace Private {
  /**
   * The best NCC of the 3 x 3 shifts about `center`'s own, on its symmetric crop (at most
   * CENTRAL_WINDOW a side, raw values) with a central disk of CENTRAL_DISK of its shorter side
   * masked.
   */
  export function beyondCenter(image: ImageLike, mask: Uint8Array, center: { row: number; col: number }): number {
    const rows = capAxis(cropAxis(center.row, image.height), CENTRAL_WINDOW);
    const cols = capAxis(cropAxis(center.col, image.width), CENTRAL_WINDOW);
    const radius = CENTRAL_DISK * Math.min(rows.size, cols.size);
    const values = new Float32Array(rows.size * cols.size);
    const valid = new Uint8Array(rows.size * cols.size);
    for (let r = 0; r < rows.size; r++) {
      const dr = rows.origin + r - center.row;
      for (let c = 0; c < cols.size; c++) {
        const i = (rows.origin + r) * image.width + cols.origin + c;
        if (mask[i] && Math.hypot(dr, cols.origin + c - center.col) > radius) {
          values[r * cols.size + c] = image.data[i];
          valid[r * cols.size + c] = 1;
        }
      }
    }
    const plane = makePlane(rows.size, cols.size, values, valid);
    const shiftRow = Math.round(2 * (center.row - rows.center));
    const shiftCol = Math.round(2 * (center.col - cols.center));
    let best = -1;
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        best = Math.max(best, nccAt(plane, shiftRow + dr, shiftCol + dc));
      }
    }
    return best;
  }

  /**
   * Whether the symmetric crop about `center` covers at least MIN_SUPPORT of the image and
   * MIN_SPAN of each side: a
   * center whose mirror region is a small corner is weakly supported, and a small crop of
   * smooth background can correlate better than the whole pattern (a corner of graphite did).
   */
  export function supported(image: ImageLike, center: { row: number; col: number }): boolean {
    const { height, width } = image;
    const rows = cropAxis(center.row, height).size;
    const cols = cropAxis(center.col, width).size;
    return rows * cols >= MIN_SUPPORT * height * width && rows >= MIN_SPAN * height && cols >= MIN_SPAN * width;
  }
}
