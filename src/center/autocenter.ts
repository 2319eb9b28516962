/**
 * `autocenter`: the center of a diffraction pattern from its inversion symmetry.
 *
 * Pipeline (after L. P. René de Cotret's write-up and scikit-ued's `autocenter`, corrected):
 * 1. mask: the given mask AND invalid pixels (NaN/Inf, negative sentinels, saturated) AND hot
 *    pixels (masking.ts);
 * 2. rough center: masked intensity center of mass, in floating point (com.ts);
 * 3. the largest crop symmetric about the estimate (crop.ts), optionally divided by its wide
 *    Gaussian background (blur.ts); 'auto' keeps whichever of the two correlates better (see
 *    Private.runTracks and Private.choose);
 * 4. masked NCC of the crop with its 180-degree rotation (ncc.ts), peak located coarse to fine
 *    (search.ts) and fitted to sub-pixel precision (subpixel.ts); center = crop center + shift / 2;
 * 5. repeat 3-4 about the new estimate until the crop no longer changes, so the answer does not
 *    depend on where the field of view started;
 * 6. (option `edgeSearch`, default on) the whole image correlated with its rotation at low
 *    resolution (global.ts), independent of the center of mass: when its map prefers another
 *    place, 3-5 run from there too, held near it, and the better-correlating answer wins (a
 *    center near an edge is invisible to the crop about the center of mass; edge.ts).
 * Synchronous and pure: the same call runs in a Web Worker and in Node.
 */
import { centerOfMassAndCount } from './com.js';
import { capAxis, cropAxis, cropPlane, type CropAxis } from './crop.js';
import { CenterError } from './errors.js';
import { edgeCheck, edgeWarning } from './edge.js';
import { beginWork, wasmAvailable } from './kernel.js';
import { hotPixelMask, invalidPixelMask } from './masking.js';
import type { Plane } from './ncc.js';
import { nccAtMemo } from './ncc-memo.js';
import { normalizedPlane } from './normalize.js';
import { reduceWindow } from './pyramid.js';
import {
  candidateGap,
  COARSE_SIDE,
  DECISIVE_MARGIN,
  LARGE_LEVEL_CANDIDATES,
  MAX_HALVINGS,
  refineCandidates,
  searchFast,
  searchLocal,
  searchReference,
  type Peak
} from './search.js';
import type { AutocenterOptions, AutocenterResult, ImageLike } from './types.js';
import { centerSigma } from './uncertainty.js';

/** Crops narrower than this (per axis) are refused. */
export const MIN_CROP = 8;
/** Background blur sigma as a fraction of the crop's shorter side (scikit-ued's choice). */
export const BACKGROUND_SIGMA_FRACTION = 1 / 25;
/**
 * Full-resolution passes of the fast route use at most max(MAX_FINE_SIDE, a quarter of the
 * image's larger side) pixels per axis about the estimate (the coarse pass sees the whole
 * symmetric crop). This bounds the cost of the final sub-pixel passes on images up to 2048 px
 * and makes them independent of small changes of the field of view; on larger images the window
 * grows with the pattern so that a beam block or sparse spots do not fill it (a fixed 512 window
 * was mostly beam block on a 4096^2 pattern).
 */
export const MAX_FINE_SIDE = 512;
/**
 * The coarse pass climbs at most this many times coarser than the crop (its answer only chooses
 * the next crop; the lattice-tie candidates are compared there).
 */
export const COARSE_FACTOR = 4;
/** Peak NCC below which the result comes with a warning. */
export const LOW_SCORE = 0.2;

/** Find the center (row, col) of a diffraction pattern. See the module comment. */
export function autocenter(image: ImageLike, options: AutocenterOptions = {}): AutocenterResult {
  const started = Private.now();
  const route = options.route ?? 'fast';
  const maxIterations = Math.max(2, Math.floor(options.maxIterations ?? 5));
  const progress = options.onProgress ?? (() => undefined);
  const check = (): void => {
    if (options.signal?.aborted) {
      throw new CenterError('cancelled', 'centering was cancelled');
    }
  };
  const warnings: string[] = [];

  Private.validate(image, options.mask);
  beginWork();
  check();
  progress('mask', 0);

  // 1. Mask.
  let mask = invalidPixelMask(image);
  if (options.autoMask ?? true) {
    mask = hotPixelMask(image, mask, true);
  } else {
    Private.keepOnlyNonFinite(image, mask);
  }
  // The given mask, the count of valid pixels and the rough center (masked intensity center of
  // mass), in one pass.
  const { center: rough, valid } = centerOfMassAndCount(image, mask, options.mask ?? null);
  if (valid === 0) {
    throw new CenterError('all-masked', 'every pixel is masked');
  }
  const maskedPixels = mask.length - valid;
  if (maskedPixels > 0.75 * mask.length) {
    warnings.push(`${Math.round((100 * maskedPixels) / mask.length)} % of the pixels are masked`);
  }
  check();
  progress('center-of-mass', 0.1);

  // 2. Rough center.
  if (!rough) {
    throw new CenterError('no-signal', 'the valid pixels hold no positive intensity');
  }

  // 3-5. Crop, correlate, re-center: once per representation ('auto' runs the coarse passes of
  // both, raw and background-normalized, then goes on with raw alone or with both; see
  // Private.runTracks and Private.choose).
  const choices =
    options.normalizeBackground === 'auto' || options.normalizeBackground === undefined
      ? [false, true]
      : [options.normalizeBackground];
  const context: Private.Context = {
    image,
    mask,
    route,
    maxIterations,
    check,
    reduced: new Map(),
    planes: new Map(),
    fineSide: Math.max(MAX_FINE_SIDE, Math.round(Math.max(image.height, image.width) / 4)),
    branches: []
  };
  const tracks = Private.runTracks(context, rough, choices, progress);
  let best = Private.choose(context, tracks);
  // 6. A center the crop about the center of mass cannot see (near an edge): the maxima of the
  // whole image's coarse map (global.ts) that lie elsewhere are followed too (edge.ts).
  // (The reference route stays the plain full-resolution computation it is compared with: on
  // one bench case its full-crop NCC preferred a wrong restart answer.)
  if (route === 'fast' && (options.edgeSearch ?? true)) {
    check();
    const found = best;
    best = edgeCheck(
      {
        image,
        mask,
        restart: (start, radius) => Private.restartNear(context, choices, start, radius),
        note: branch => Private.note(context, branch)
      },
      best
    );
    if (best !== found) {
      warnings.push(edgeWarning(image, best.estimate));
    }
  }
  if (!best.converged) {
    warnings.push(`did not converge in ${maxIterations} iterations`);
  }
  if (best.score < LOW_SCORE) {
    warnings.push(`low symmetry score (${best.score.toFixed(3)}): the center may be wrong`);
  }
  const sigma = Private.sigmaOf(context, best);
  progress('done', 1);
  return {
    row: best.estimate.row,
    col: best.estimate.col,
    score: best.score,
    roughRow: rough.row,
    roughCol: rough.col,
    iterations: best.passes,
    ms: Private.now() - started,
    warnings,
    normalizedBackground: best.normalize,
    maskedPixels,
    route,
    sigma,
    branches: context.branches,
    kernel: wasmAvailable() ? 'webassembly' : 'javascript'
  };
}

namespace Private {
  export interface Context {
    image: ImageLike;
    mask: Uint8Array;
    route: 'fast' | 'reference';
    maxIterations: number;
    check: () => void;
    /**
     * Reduced raw planes of coarse crops: `levels[k]` is `factor / 2^k` times coarser than the
     * crop (finer levels made when first needed), shared by both representations, and the
     * same levels background-normalized.
     */
    reduced: Map<string, { levels: Plane[]; normalized: Plane[]; factor: number }>;
    /**
     * Full-resolution planes of the fine passes by crop and representation: both tracks (and
     * the final comparison) usually visit the same crops, which are then cut out only once.
     */
    planes: Map<string, Plane>;
    /** Largest side of the full-resolution windows of the fast route. */
    fineSide: number;
    /** The branches that ran (AutocenterResult.branches). */
    branches: string[];
  }

  export interface Track {
    normalize: boolean;
    estimate: { row: number; col: number };
    score: number;
    passes: number;
    converged: boolean;
  }

  /** A track in progress: crop, correlate and re-center in one representation. */
  export interface TrackState {
    normalize: boolean;
    estimate: { row: number; col: number };
    visited: Visit[];
    /** Area of the last coarse pass's crop (0 before the first). */
    coarseArea: number;
    /** Score and scale factor of the last coarse pass. */
    coarseScore: number;
    coarseFactor: number;
    /** The last coarse pass needed no finer comparison of its candidates. */
    coarseDecisive: boolean;
    /** A coarse pass left an undecided comparison out (`allowRefine` false). */
    refinementSkipped: boolean;
    /** Coarse passes follow only peaks within this distance (shift, pixels) of the estimate. */
    near: number;
    passes: number;
    iteration: number;
    converged: boolean;
    done: boolean;
  }

  /**
   * The tracks of `choices`, each run until its crop stops changing.
   *
   * With both representations on the fast route, both first run their coarse passes. When the
   * raw one is decisive (see `coarsePass`), they agree (within one coarse pixel) and the raw
   * data correlate at least as well as the normalized data, normalization has nothing to
   * correct and only the raw track goes on to the full-resolution passes. Otherwise both run
   * to the end and `choose` decides.
   */
  export function runTracks(
    context: Context,
    start: { row: number; col: number },
    choices: boolean[],
    progress: (stage: string, fraction: number) => void,
    near = Infinity
  ): Track[] {
    const states = choices.map(normalize => newTrack(start, normalize, near));
    // Progress runs from 0.15 to 0.95: the coarse passes of both tracks fill its first half
    // when they run first, the rest the remainder (track after track).
    let from = 0.15;
    const report =
      (k: number, count: number, span: number) =>
      (stage: string, f: number): void =>
        progress(stage, from + (span * (k + Math.min(1, f))) / count);
    if (states.length === 2 && context.route === 'fast') {
      // The normalized coarse pass first runs without the finer comparison of undecided
      // candidates: it is only needed if the normalized track goes on.
      const [raw, normalized] = states;
      advance(context, raw, report(0, 2, 0.4), true);
      advance(context, normalized, report(1, 2, 0.4), true, false);
      from = 0.55;
      const apart = Math.hypot(
        raw.estimate.row - normalized.estimate.row,
        raw.estimate.col - normalized.estimate.col
      );
      const agree =
        !raw.done &&
        !normalized.done &&
        apart < Math.max(raw.coarseFactor, normalized.coarseFactor);
      if (raw.coarseDecisive && agree && raw.coarseScore >= normalized.coarseScore) {
        note(context, 'raw-only');
        advance(context, raw, report(0, 1, 0.4), false);
        return [finish(raw)];
      }
      if (normalized.refinementSkipped) {
        // Start the normalized track again, comparing undecided candidates this time.
        states[1] = newTrack(start, true, near);
      }
    }
    if (states.length === 2) {
      note(context, 'both-tracks');
    }
    const span = 0.95 - from;
    states.forEach((t, k) => advance(context, t, report(k, states.length, span), false));
    return states.map(finish);
  }

  function newTrack(start: { row: number; col: number }, normalize: boolean, near: number): TrackState {
    return {
      normalize,
      estimate: { row: start.row, col: start.col },
      visited: [],
      coarseArea: 0,
      coarseScore: -Infinity,
      coarseFactor: 1,
      coarseDecisive: false,
      refinementSkipped: false,
      near,
      passes: 0,
      iteration: 0,
      converged: false,
      done: false
    };
  }

  /**
   * Crop, correlate and re-center until the crop stops changing (or, with `beforeFine`, until
   * the next pass would be a full-resolution one of the fast route).
   */
  function advance(
    context: Context,
    t: TrackState,
    progress: (stage: string, fraction: number) => void,
    beforeFine: boolean,
    allowRefine = true
  ): void {
    const { image, route, maxIterations, check } = context;
    const { height, width } = image;
    const { normalize, visited } = t;
    for (; !t.done && t.iteration < maxIterations; t.iteration++) {
      let rows = cropAxis(t.estimate.row, height);
      let cols = cropAxis(t.estimate.col, width);
      if (rows.size < MIN_CROP || cols.size < MIN_CROP) {
        throw new CenterError(
          'too-small',
          `the estimated center (${t.estimate.row.toFixed(1)}, ${t.estimate.col.toFixed(1)}) is ` +
            `too close to the edge: only a ${rows.size} x ${cols.size} symmetric crop fits`
        );
      }
      const area = rows.size * cols.size;
      // The fast route starts with a coarse pass (global search at reduced resolution) and
      // repeats it if the crop grew a lot; then full-resolution passes climb locally from the
      // expected shift (near 0, since the crop is centered on the estimate).
      const coarse = route === 'fast' && area > 2 * t.coarseArea;
      if (route === 'fast' && !coarse) {
        if (beforeFine) {
          return;
        }
        rows = capAxis(rows, context.fineSide);
        cols = capAxis(cols, context.fineSide);
      }
      check();
      progress('correlate', t.iteration / maxIterations);
      const guess = {
        row: Math.round(2 * (t.estimate.row - rows.center)),
        col: Math.round(2 * (t.estimate.col - cols.center))
      };
      let peak: Peak;
      if (route === 'reference') {
        peak = searchReference(plane(context, rows, cols, normalize));
      } else if (!coarse) {
        peak = searchLocal(plane(context, rows, cols, normalize), guess.row, guess.col);
      } else {
        const found = coarsePass(context, rows, cols, normalize, allowRefine, t.near);
        t.coarseDecisive = found.decisive;
        t.refinementSkipped ||= !found.decisive && !allowRefine;
        peak = found;
      }
      t.passes++;
      const next = {
        row: rows.center + peak.shiftRow / 2,
        col: cols.center + peak.shiftCol / 2
      };
      t.estimate = next;
      if (coarse) {
        t.coarseArea = area;
        t.coarseScore = peak.score;
        t.coarseFactor = 2 ** peak.level;
        if (peak.level > 0) {
          // A reduced-resolution answer only says where to crop next.
          continue;
        }
      }
      visited.push({ rows, cols, estimate: next, score: peak.score });
      const cap = route === 'fast' ? context.fineSide : Infinity;
      const nextRows = capAxis(cropAxis(next.row, height), cap);
      const nextCols = capAxis(cropAxis(next.col, width), cap);
      const repeat = visited.findIndex(
        v => sameAxis(v.rows, nextRows) && sameAxis(v.cols, nextCols)
      );
      if (repeat >= 0) {
        t.converged = true;
        t.done = true;
        if (repeat < visited.length - 1) {
          // A cycle between neighbouring crops (estimate on a rounding boundary): keep the
          // pass whose crop was centered closest to its own answer.
          const cycle = visited.slice(repeat);
          cycle.sort((a, b) => offCenter(a) - offCenter(b));
          t.estimate = cycle[0].estimate;
        }
      }
    }
    if (t.iteration >= maxIterations) {
      t.done = true;
    }
  }

  /**
   * Step 6 (edge.ts): the tracks run again from a center the whole image's coarse map prefers,
   * their coarse passes held within `radius` pixels of it.
   */
  export function restartNear(
    context: Context,
    choices: boolean[],
    start: { row: number; col: number },
    radius: number
  ): Track | null {
    try {
      return choose(context, runTracks(context, start, choices, () => undefined, 2 * radius));
    } catch (error) {
      if (error instanceof CenterError && error.code === 'too-small') {
        return null;
      }
      throw error;
    }
  }

  /** Record that a branch ran (once). */
  export function note(context: Context, branch: string): void {
    if (!context.branches.includes(branch)) {
      context.branches.push(branch);
    }
  }

  /** The result of a finished track. */
  function finish(t: TrackState): Track {
    const { visited, estimate } = t;
    if (visited.length === 0) {
      throw new CenterError('invalid-input', 'maxIterations leaves no full-resolution pass');
    }
    const final = visited.find(v => v.estimate === estimate) ?? visited[visited.length - 1];
    return {
      normalize: t.normalize,
      estimate,
      score: final.score,
      passes: t.passes,
      converged: t.converged
    };
  }

  /**
   * The coarse pass: a global search (searchFast) whose finest level is COARSE_FACTOR times
   * coarser than the crop. Its answer only says where to crop next; the full-resolution passes
   * that follow climb from there. When its best two candidates (distinct lattice points, say)
   * are closer than DECISIVE_MARGIN, the best few are compared again one level finer, where the
   * Friedel intensities separate them better. Small crops are searched at full resolution.
   */
  function coarsePass(
    context: Context,
    rows: CropAxis,
    cols: CropAxis,
    normalize: boolean,
    allowRefine: boolean,
    near: number
  ): Peak & { decisive: boolean } {
    const key = cropKey(rows, cols);
    let base = context.reduced.get(key);
    const { image, mask } = context;
    if (!base) {
      base = { levels: [], normalized: [], factor: 1 };
      const side = Math.max(rows.size, cols.size);
      if (side > 2 * COARSE_SIDE) {
        // Halve until the crop is COARSE_FACTOR times coarser or small enough. The
        // full-resolution crop is never needed as a plane: the rows stream from the image
        // through every halving (both tracks share the result).
        let times = 1;
        while (2 ** times < COARSE_FACTOR && side / 2 ** times > 2 * COARSE_SIDE) {
          times++;
        }
        base.levels = [reduceWindow(image.data, mask, image.width, rows, cols, times)];
        base.factor = 2 ** times;
      }
      context.reduced.set(key, base);
    }
    if (base.levels.length === 0) {
      return searchFast(plane(context, rows, cols, normalize), context.check, 0, allowRefine, MAX_HALVINGS, near);
    }
    const sigma = backgroundSigma(rows.size, cols.size);
    const level = (k: number): Plane => {
      const b = base!;
      const times = Math.log2(b.factor) - k;
      if (times === 0) {
        // Full resolution: the crop itself.
        return plane(context, rows, cols, normalize);
      }
      if (!b.levels[k]) {
        // A finer level, reduced from the image when first needed.
        b.levels[k] = reduceWindow(image.data, mask, image.width, rows, cols, times);
      }
      if (!normalize) {
        return b.levels[k];
      }
      // Both passes of a restarted normalized track (and a finer comparison) share these.
      b.normalized[k] ??= normalizedPlane(b.levels[k], sigma / 2 ** times);
      return b.normalized[k];
    };
    let factor = base.factor;
    const first = searchFast(
      level(0),
      context.check,
      0,
      allowRefine,
      MAX_HALVINGS - Math.log2(factor),
      near / factor
    );
    let found: Peak = first;
    const candidates = first.candidates ?? [];
    // `first.decisive` also covers these candidates: undecided, they are compared one level finer.
    if (candidateGap(candidates) < DECISIVE_MARGIN && allowRefine) {
      context.check();
      found = refineCandidates(level(1), candidates, LARGE_LEVEL_CANDIDATES);
      note(context, 'coarse-refine');
      factor /= 2;
    }
    return {
      ...found,
      shiftRow: factor * found.shiftRow,
      shiftCol: factor * found.shiftCol,
      level: Math.log2(factor),
      decisive: first.decisive
    };
  }

  /**
   * The better of the tracks. When they agree (within half a pixel) the one with the higher NCC.
   * When they found different centers, their NCCs are not comparable: a smooth background
   * inflates the raw NCC (walk-off can make a false lattice point win), while normalization
   * can amplify noise on clean patterns. Each center is then scored in both representations
   * and the one with the higher sum wins.
   */
  export function choose(context: Context, tracks: Track[]): Track {
    if (tracks.length === 1) {
      return tracks[0];
    }
    const [a, b] = tracks;
    const apart = Math.hypot(a.estimate.row - b.estimate.row, a.estimate.col - b.estimate.col);
    if (apart < 0.5) {
      return b.score > a.score ? b : a;
    }
    const total = (t: Track, other: Track): number =>
      t.score + scoreAt(context, t.estimate, other.normalize);
    return total(b, a) > total(a, b) ? b : a;
  }

  /** σ (row, col) of a track's center, on the full-resolution plane of its final crop. */
  export function sigmaOf(context: Context, t: Track): [number, number] {
    const { image, route } = context;
    const cap = route === 'fast' ? context.fineSide : Infinity;
    const rows = capAxis(cropAxis(t.estimate.row, image.height), cap);
    const cols = capAxis(cropAxis(t.estimate.col, image.width), cap);
    const p = plane(context, rows, cols, t.normalize);
    const shiftRow = 2 * (t.estimate.row - rows.center);
    const shiftCol = 2 * (t.estimate.col - cols.center);
    return centerSigma(p, shiftRow, shiftCol).sigma;
  }

  /** The best NCC of the 3 x 3 shifts about `estimate` in one representation (full resolution). */
  function scoreAt(
    context: Context,
    estimate: { row: number; col: number },
    normalize: boolean
  ): number {
    const { image, route } = context;
    const cap = route === 'fast' ? context.fineSide : Infinity;
    const rows = capAxis(cropAxis(estimate.row, image.height), cap);
    const cols = capAxis(cropAxis(estimate.col, image.width), cap);
    if (rows.size < MIN_CROP || cols.size < MIN_CROP) {
      return -1;
    }
    const p = plane(context, rows, cols, normalize);
    const row = Math.round(2 * (estimate.row - rows.center));
    const col = Math.round(2 * (estimate.col - cols.center));
    let best = -1;
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        best = Math.max(best, nccAtMemo(p, row + dr, col + dc));
      }
    }
    return best;
  }

  export interface Visit {
    rows: CropAxis;
    cols: CropAxis;
    estimate: { row: number; col: number };
    score: number;
  }

  export function now(): number {
    return typeof performance !== 'undefined' ? performance.now() : Date.now();
  }

  export function validate(image: ImageLike, mask: Uint8Array | null | undefined): void {
    if (!image || typeof image !== 'object' || !image.data) {
      throw new CenterError('invalid-input', 'expected an image {height, width, data}');
    }
    const { height, width, data } = image;
    if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) {
      throw new CenterError('invalid-input', `invalid image shape ${height} x ${width}`);
    }
    if (data.length !== height * width) {
      throw new CenterError(
        'invalid-input',
        `image data holds ${data.length} values, expected ${height} x ${width}`
      );
    }
    if (height * width === 0) {
      throw new CenterError('empty-image', 'the image has no pixels');
    }
    if (mask && mask.length !== height * width) {
      throw new CenterError(
        'mask-shape',
        `the mask holds ${mask.length} values, the image ${height} x ${width} = ${height * width}`
      );
    }
    if (height < MIN_CROP || width < MIN_CROP) {
      throw new CenterError(
        'too-small',
        `a ${height} x ${width} image is too small (at least ${MIN_CROP} x ${MIN_CROP})`
      );
    }
  }

  /** With automatic masking off, still leave out what cannot be computed with (NaN/Inf). */
  export function keepOnlyNonFinite(image: ImageLike, mask: Uint8Array): void {
    for (let i = 0; i < mask.length; i++) {
      mask[i] = Number.isFinite(image.data[i]) ? 1 : 0;
    }
  }

  export function cropKey(rows: CropAxis, cols: CropAxis): string {
    return `${rows.origin},${rows.size},${cols.origin},${cols.size}`;
  }

  /** The crop as a raw plane (cut out of the image and its mask). */
  export function rawPlane(context: Context, rows: CropAxis, cols: CropAxis): Plane {
    const { image, mask } = context;
    return cropPlane(image.data, mask, image.width, rows, cols);
  }

  /** The crop's plane in one representation, cached in the context. */
  export function plane(
    context: Context,
    rows: CropAxis,
    cols: CropAxis,
    normalize: boolean
  ): Plane {
    const key = cropKey(rows, cols);
    const cached = context.planes.get(`${key},${normalize}`);
    if (cached) {
      return cached;
    }
    let raw = context.planes.get(`${key},false`);
    if (!raw) {
      raw = rawPlane(context, rows, cols);
      context.planes.set(`${key},false`, raw);
    }
    if (!normalize) {
      return raw;
    }
    const normalized = normalizedPlane(raw, backgroundSigma(rows.size, cols.size));
    context.planes.set(`${key},true`, normalized);
    return normalized;
  }

  export function backgroundSigma(rows: number, cols: number): number {
    return Math.max(1, Math.min(rows, cols) * BACKGROUND_SIGMA_FRACTION);
  }

  export function sameAxis(a: CropAxis, b: CropAxis): boolean {
    return a.origin === b.origin && a.size === b.size;
  }

  export function offCenter(v: Visit): number {
    return Math.hypot(v.estimate.row - v.rows.center, v.estimate.col - v.cols.center);
  }
}
