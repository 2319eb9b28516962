/**
 * Candidate centers from the whole image, independent of the center of mass.
 *
 * The symmetric crop about the rough center (the intensity center of mass) leaves out, or sees
 * with too little overlap, a center that lies near an edge: 12-18 % of the width from it, the
 * mirror overlap of the whole image is only 14-36 % of its pixels, and the crop about the center
 * of mass sees less. Here the whole image is reduced to at most GLOBAL_SIDE pixels a side
 * (pyramid.ts) and correlated with its 180-degree rotation (ncc.ts) with a lower overlap guard
 * (GLOBAL_OVERLAP); the best local maxima of that map are centers to start from.
 */
import type { CropAxis } from './crop.js';
import { nccMap } from './ncc.js';
import { reduceWindow } from './pyramid.js';
import { localMaxima } from './search.js';
import type { ImageLike } from './types.js';

/** The whole image is reduced until no side exceeds this. */
export const GLOBAL_SIDE = 128;
/** Overlaps below this fraction of the valid pixels are ignored in the global map. */
export const GLOBAL_OVERLAP = 0.1;

/** A center candidate of the whole image: position (image pixels) and coarse NCC. */
export interface GlobalCandidate {
  row: number;
  col: number;
  score: number;
  /** Size of one coarse pixel in image pixels. */
  factor: number;
}

/** The best `count` candidate centers of the whole image (see the module comment). */
export function globalCandidates(image: ImageLike, mask: Uint8Array, count: number): GlobalCandidate[] {
  const { height, width } = image;
  const rows = Private.wholeAxis(height);
  const cols = Private.wholeAxis(width);
  let times = 0;
  while (Math.max(height, width) / 2 ** times > GLOBAL_SIDE) {
    times++;
  }
  if (times === 0) {
    return [];
  }
  const plane = reduceWindow(image.data, mask, width, rows, cols, times);
  if (plane.valid < 16) {
    return [];
  }
  const factor = 2 ** times;
  const map = nccMap(plane, GLOBAL_OVERLAP);
  return localMaxima(map.ncc, map.rows, map.cols, count).map(i => {
    const qr = Math.floor(i / map.cols);
    const qc = i - qr * map.cols;
    return {
      row: rows.center + (factor * (qr - (plane.rows - 1))) / 2,
      col: cols.center + (factor * (qc - (plane.cols - 1))) / 2,
      score: map.ncc[i],
      factor
    };
  });
}

namespace Private {
  export function wholeAxis(length: number): CropAxis {
    return { origin: 0, size: length, center: (length - 1) / 2 };
  }
}
