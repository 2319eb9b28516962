/**
 * Tracking the center through a series: refine a frame's center from its neighbour's.
 *
 * A thin layer outside the engine (`autocenter` has no starting-point option): the engine's
 * own pieces are run on a window about the seed. The window is the largest crop symmetric about
 * the seed, trimmed symmetrically to at most `side` pixels per axis; its masks (invalid and hot
 * pixels) are computed on the window alone; the masked NCC of the window with its inversion is
 * climbed from the seed's shift at full resolution (`searchLocal`) and fitted to sub-pixel
 * precision. When the answer lies more than one pixel from the window's center the window is
 * cut again about it (at most MAX_PASSES times), so a slow drift costs one pass per frame.
 *
 * What the coarse global search of `autocenter` does (the lattice-tie candidates, the choice of
 * representation) is not repeated here: the caller starts each track with a full search and
 * falls back to one when the tracked score drops or the center jumps (see `series.ts`).
 */
import { backgroundModel } from '../center/blur.js';
import {
  beginWork,
  capAxis,
  centerSigma,
  cropAxis,
  hotPixelMask,
  invalidPixelMask,
  makePlane,
  MIN_CROP,
  searchLocal,
  type CropAxis,
  type ImageLike,
  type Plane,
  type PlaneBuffers
} from '../center/index.js';

/** Re-cut the window at most this many times per frame. */
export const MAX_PASSES = 3;
/** Background blur sigma as a fraction of the window's shorter side (as the engine's). */
const BACKGROUND_SIGMA_FRACTION = 1 / 25;

/** Options of `refineFromSeed`. */
export interface RefineOptions {
  /** Largest window side in pixels (per axis). */
  side: number;
  /** The given mask of the whole frame (1 = valid), or null. */
  mask: Uint8Array | null;
  /** Mask hot pixels in the window as the engine does (default true). */
  autoMask?: boolean;
  /** Divide the window by its wide background first (the representation the full search chose). */
  normalize: boolean;
  /** Also compute the center's standard uncertainty on the last window (`centerSigma`). */
  sigma?: boolean;
  /**
   * Memory reused from frame to frame (`TrackBuffers`, kept by the caller): the window's copy
   * and its plane. Without it, each frame takes new memory (costly here: see docs/benchmarks.md).
   */
  buffers?: TrackBuffers;
}

/** Arrays a track's frames reuse (grown when a window needs more); see `RefineOptions.buffers`. */
export class TrackBuffers {
  /** A plane's x and m for `pixels` pixels (the plane made last with them is overwritten). */
  plane(pixels: number): PlaneBuffers {
    if (!this._plane || this._plane.x.length < pixels) {
      this._plane = { x: new Float32Array(pixels), m: new Float32Array(pixels) };
    }
    return this._plane;
  }

  /** An array like `like` (same type) of at least `pixels` entries, for the window's copy. */
  window<T extends ArrayLike<number>>(like: T, pixels: number): T | null {
    const typed = like as unknown as Float64Array;
    if (!ArrayBuffer.isView(like) || like instanceof DataView) {
      return null;
    }
    const type = typed.constructor as Float64ArrayConstructor;
    if (!this._window || this._window.constructor !== type || this._window.length < pixels) {
      this._window = new type(pixels);
    }
    return this._window.subarray(0, pixels) as unknown as T;
  }

  private _plane: PlaneBuffers | null = null;
  private _window: Float64Array | null = null;
}

/** A center refined from a seed. */
export interface Refined {
  row: number;
  col: number;
  /** Peak NCC in the last window (comparable between frames of one track, not with the engine's). */
  score: number;
  passes: number;
  /** Standard uncertainty (row, col) in pixels, when `sigma` was asked for. */
  sigma?: [number, number];
}

/** Refine the center of `image` from `seed` (see the module comment); null when no window fits. */
export function refineFromSeed(
  image: ImageLike,
  seed: { row: number; col: number },
  options: RefineOptions
): Refined | null {
  let estimate = seed;
  let score = -1;
  let passes = 0;
  let last: { plane: Plane; shiftRow: number; shiftCol: number } | null = null;
  // The kernel's memory of earlier frames is reused (see beginWork).
  beginWork();
  while (passes < MAX_PASSES) {
    const rows = capAxis(cropAxis(estimate.row, image.height), options.side);
    const cols = capAxis(cropAxis(estimate.col, image.width), options.side);
    if (rows.size < MIN_CROP || cols.size < MIN_CROP) {
      return null;
    }
    const plane = Private.windowPlane(image, rows, cols, options);
    if (plane.valid === 0) {
      return null;
    }
    const peak = searchLocal(
      plane,
      Math.round(2 * (estimate.row - rows.center)),
      Math.round(2 * (estimate.col - cols.center))
    );
    passes++;
    estimate = { row: rows.center + peak.shiftRow / 2, col: cols.center + peak.shiftCol / 2 };
    score = peak.score;
    last = { plane, shiftRow: peak.shiftRow, shiftCol: peak.shiftCol };
    if (Math.abs(estimate.row - rows.center) <= 1 && Math.abs(estimate.col - cols.center) <= 1) {
      break;
    }
  }
  // The uncertainty of the last window only (the one the center comes from).
  const sigma = options.sigma && last ? centerSigma(last.plane, last.shiftRow, last.shiftCol).sigma : undefined;
  return { row: estimate.row, col: estimate.col, score, passes, ...(sigma ? { sigma } : {}) };
}

namespace Private {
  /** The window's plane: its pixels, masked as the engine masks a frame, maybe normalized. */
  export function windowPlane(
    image: ImageLike,
    rows: CropAxis,
    cols: CropAxis,
    options: RefineOptions
  ): Plane {
    const window = cut(image, rows, cols, options.buffers);
    let mask = invalidPixelMask(window);
    if (options.autoMask ?? true) {
      mask = hotPixelMask(window, mask);
    }
    if (options.mask) {
      const given = options.mask;
      for (let r = 0; r < rows.size; r++) {
        const src = (rows.origin + r) * image.width + cols.origin;
        for (let c = 0, i = r * cols.size; c < cols.size; c++, i++) {
          if (!given[src + c]) {
            mask[i] = 0;
          }
        }
      }
    }
    const into = options.buffers?.plane(rows.size * cols.size);
    if (!options.normalize) {
      return makePlane(rows.size, cols.size, window.data, mask, into);
    }
    const sigma = Math.max(1, Math.min(rows.size, cols.size) * BACKGROUND_SIGMA_FRACTION);
    const model = backgroundModel(rows.size, cols.size, window.data, mask, sigma);
    const floor = Math.max(1e-12, 0.01 * model.meanMagnitude);
    const line = new Float64Array(cols.size);
    const values = new Float32Array(rows.size * cols.size);
    for (let r = 0; r < rows.size; r++) {
      model.row(r, line);
      for (let c = 0, i = r * cols.size; c < cols.size; c++, i++) {
        if (mask[i]) {
          values[i] = window.data[i] / Math.max(line[c], floor);
        }
      }
    }
    return makePlane(rows.size, cols.size, values, mask, into);
  }

  /**
   * A copy of the window in the frame's own array type (so that the saturation value of an
   * integer type is still known to `invalidPixelMask`), into the track's buffer if given.
   */
  export function cut(image: ImageLike, rows: CropAxis, cols: CropAxis, buffers?: TrackBuffers): ImageLike {
    const source = image.data;
    const size = rows.size * cols.size;
    if (ArrayBuffer.isView(source) && !(source instanceof DataView)) {
      const typed = source as unknown as Float64Array;
      const data = buffers?.window(typed, size) ?? new (typed.constructor as Float64ArrayConstructor)(size);
      for (let r = 0; r < rows.size; r++) {
        const src = (rows.origin + r) * image.width + cols.origin;
        data.set(typed.subarray(src, src + cols.size), r * cols.size);
      }
      return { height: rows.size, width: cols.size, data };
    }
    const data = new Float64Array(size);
    for (let r = 0; r < rows.size; r++) {
      const src = (rows.origin + r) * image.width + cols.origin;
      for (let c = 0, i = r * cols.size; c < cols.size; c++, i++) {
        data[i] = source[src + c];
      }
    }
    return { height: rows.size, width: cols.size, data };
  }
}
