/**
 * Candidate centers from the whole image, independent of the center of mass.
 *
 * The symmetric crop about the rough center (the intensity center of mass) leaves out, or sees
 * with too little overlap, a center that lies near an edge: 12-18 % of the width from it, the
 * mirror overlap of the whole image is only 14-36 % of its pixels, and the crop about the center
 * of mass sees less. Here the whole image is binned (block means of its valid pixels, one pass)
 * to at most GLOBAL_SIDE pixels a side and correlated with its 180-degree rotation (ncc.ts) with
 * a lower overlap guard (GLOBAL_OVERLAP); the best local maxima of that map are centers to start
 * from. The block grid is centered on the image, so a coarse shift `s` is the fine shift
 * `block * s` about the grid's center.
 */
import { nccMap, planeOf, type Plane } from './ncc.js';
import { reducePlane } from './pyramid.js';
import { localMaxima } from './search.js';
import type { ImageLike } from './types.js';
import { wasmBinnedPlane } from './wasm-image.js';

/** The whole image is binned until no side exceeds this. */
export const GLOBAL_SIDE = 64;
/** Binned to SMOOTHING times the final resolution, then reduced with anti-aliasing (pyramid.ts). */
export const SMOOTHING = 2;
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

/** The whole image's candidates and its coarse NCC at any position (see `globalSearch`). */
export interface GlobalSearch {
  /** The best local maxima of the coarse map, best first. */
  candidates: GlobalCandidate[];
  /** Size of one coarse pixel in image pixels. */
  factor: number;
  /** The best coarse NCC within one coarse pixel of (row, col) (image pixels); 0 outside. */
  scoreNear(row: number, col: number): number;
}

/** The best `count` candidate centers of the whole image (see the module comment). */
export function globalCandidates(image: ImageLike, mask: Uint8Array, count: number, side = GLOBAL_SIDE): GlobalCandidate[] {
  return globalSearch(image, mask, count, side)?.candidates ?? [];
}

/**
 * The whole image binned to at most `side` pixels a side, its NCC map and its best `count` local
 * maxima; null when the image is already that small or too little of it is valid.
 */
export function globalSearch(image: ImageLike, mask: Uint8Array, count: number, side = GLOBAL_SIDE): GlobalSearch | null {
  const { height, width } = image;
  if (Math.max(height, width) <= side) {
    return null;
  }
  const bin = Math.max(1, Math.ceil(Math.max(height, width) / (SMOOTHING * side)));
  const binned = binnedPlane(image, mask, bin);
  let plane = binned.plane;
  let block = bin;
  while (Math.max(plane.rows, plane.cols) > side) {
    plane = reducePlane(plane);
    block *= 2;
  }
  if (plane.valid < 16) {
    return null;
  }
  const { rowCenter, colCenter } = binned;
  const map = nccMap(plane, GLOBAL_OVERLAP);
  const position = (qr: number, qc: number) => ({
    row: rowCenter + (block * (qr - (plane.rows - 1))) / 2,
    col: colCenter + (block * (qc - (plane.cols - 1))) / 2
  });
  const candidates = localMaxima(map.ncc, map.rows, map.cols, count).map(i => {
    const qr = Math.floor(i / map.cols);
    const qc = i - qr * map.cols;
    return { ...position(qr, qc), score: map.ncc[i], factor: block };
  });
  const scoreNear = (row: number, col: number): number => {
    const qr = Math.round((2 * (row - rowCenter)) / block + plane.rows - 1);
    const qc = Math.round((2 * (col - colCenter)) / block + plane.cols - 1);
    let best = 0;
    for (let r = Math.max(0, qr - 1); r <= Math.min(map.rows - 1, qr + 1); r++) {
      for (let c = Math.max(0, qc - 1); c <= Math.min(map.cols - 1, qc + 1); c++) {
        best = Math.max(best, map.ncc[r * map.cols + c]);
      }
    }
    return best;
  };
  return { candidates, factor: block, scoreNear };
}

/**
 * The image binned in `block` x `block` blocks (the mean of each block's valid pixels; a block
 * is valid when at least half of its pixels are), on a grid centered on the image: the rows and
 * columns left over are split between both sides. Returns the plane and the image position of
 * its center.
 */
export function binnedPlane(
  image: ImageLike,
  mask: Uint8Array,
  block: number
): { plane: Plane; rowCenter: number; colCenter: number } {
  const { height, width, data } = image;
  const rows = Math.floor(height / block);
  const cols = Math.floor(width / block);
  const top = Math.floor((height - rows * block) / 2);
  const left = Math.floor((width - cols * block) / 2);
  const rowCenter = top + (rows * block - 1) / 2;
  const colCenter = left + (cols * block - 1) / 2;
  // The same sums in the WebAssembly kernel (wasm-image.ts); in JavaScript below otherwise.
  const compiled = wasmBinnedPlane(data, mask, width, block, { rows, cols, top, left });
  if (compiled) {
    return { plane: { rows, cols, ...compiled }, rowCenter, colCenter };
  }
  const sums = new Float64Array(rows * cols);
  const counts = new Float64Array(rows * cols);
  for (let br = 0; br < rows; br++) {
    const out = br * cols;
    for (let r = top + br * block, end = r + block; r < end; r++) {
      let i = r * width + left;
      for (let bc = 0; bc < cols; bc++) {
        let sum = 0;
        let count = 0;
        for (let k = 0; k < block; k++, i++) {
          if (mask[i]) {
            sum += data[i];
            count++;
          }
        }
        sums[out + bc] += sum;
        counts[out + bc] += count;
      }
    }
  }
  const x = new Float32Array(rows * cols);
  const m = new Float32Array(rows * cols);
  const enough = (block * block) / 2;
  for (let i = 0; i < x.length; i++) {
    if (counts[i] >= enough) {
      x[i] = sums[i] / counts[i];
      m[i] = 1;
    }
  }
  return { plane: planeOf(rows, cols, x, m), rowCenter, colCenter };
}

