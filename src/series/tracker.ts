/**
 * `Tracker`: the centers of consecutive frames of a series, each seeded with its neighbour's.
 *
 * The first frame of a track gets a full search (`autocenter`). Every later frame is refined
 * from the previous frame's center on a window about it (`refineFromSeed`), which costs a few
 * milliseconds instead of the full search's global coarse pass. A frame gets a full search
 * again when tracking cannot be trusted:
 * - 'lost': no window fits about the seed (the center ran to the edge);
 * - 'score-drop': its window's NCC fell below `drop` times the previous frame's;
 * - 'moved': the tracked center lies more than `jump` pixels from the seed.
 * `jump` is set on a frame whose center (after the full search) lies more than `jump` pixels
 * from the previous frame's: the beam jumped.
 *
 * Synchronous and pure like the engine; no DOM, no Node (the viewer's Workers can use it too).
 */
import { LOW_SCORE } from '../center/autocenter.js';
import { autocenter, autoMask, combineMasks, type AutocenterOptions, type ImageLike } from '../center/index.js';
import { refineFromSeed, TrackBuffers } from './track.js';

/** Options of a `Tracker`; every one has a default. */
export interface TrackerOptions {
  /** The given mask of every frame (1 = valid), or null. */
  mask?: Uint8Array | null;
  /** Also mask dark pixels of each frame (scikit-ued's `auto_masking`), as `centerFile`'s `darkMask`. */
  darkMask?: boolean;
  /** Options of the full searches (and `autoMask` of the tracked windows too). */
  engine?: Pick<AutocenterOptions, 'normalizeBackground' | 'maxIterations' | 'autoMask' | 'route'>;
  /** Largest side of the tracking window (default: max(256, a quarter of the larger image side)). */
  side?: number;
  /** Distance in pixels from the previous center that counts as a jump (default 2). */
  jump?: number;
  /** A window NCC below this fraction of the previous frame's triggers a full search (default 0.8). */
  drop?: number;
  /** Give each center its standard uncertainty (`sigma`; the engine's for a full search). */
  sigma?: boolean;
}

/** Why a frame got a full search. */
export type FullSearchReason = 'start' | 'lost' | 'score-drop' | 'moved';

/** The center of one frame of a series. */
export interface FrameCenter {
  row: number;
  col: number;
  /**
   * Peak NCC: the engine's for a full search, the tracking window's for a tracked frame (both
   * in [-1, 1]; a tracked window is smaller, so its score is not the engine's).
   */
  score: number;
  /** Centering time in milliseconds (reading the frame not included). */
  ms: number;
  /** 'full': `autocenter`; 'tracked': refined from the previous frame's center. */
  method: 'full' | 'tracked';
  /** Why a full search was made (null for a tracked frame). */
  reason: FullSearchReason | null;
  /** The center lies more than `jump` px from the previous frame's. */
  jump: boolean;
  /** Caveats (the engine's, or a low tracked score). */
  warnings: string[];
  /** Standard uncertainty (row, col) in pixels; only with the `sigma` option. */
  sigma?: [number, number];
}

/** Defaults of `TrackerOptions`. */
export const TRACK_JUMP = 2;
export const TRACK_DROP = 0.8;
export const MIN_TRACK_SIDE = 256;

/** Follows the center through the frames it is given, in order (see the module comment). */
export class Tracker {
  constructor(private readonly options: TrackerOptions = {}) {}

  /** Forget the previous frame: the next one gets a full search ('start'). */
  reset(): void {
    this.seed = null;
  }

  /** The center of the next frame of the track. Throws `CenterError` like `autocenter`. */
  center(image: ImageLike): FrameCenter {
    const started = Private.now();
    const options = this.options;
    const mask = options.darkMask
      ? combineMasks(options.mask ?? null, autoMask(image))
      : (options.mask ?? null);
    const seed = this.seed;
    if (!seed) {
      return this.full(image, mask, 'start', started);
    }
    const jump = options.jump ?? TRACK_JUMP;
    const refined = refineFromSeed(image, seed, this.refineOptions(image, mask, seed.normalize));
    if (!refined) {
      return this.full(image, mask, 'lost', started);
    }
    if (refined.score < (options.drop ?? TRACK_DROP) * seed.score) {
      return this.full(image, mask, 'score-drop', started);
    }
    if (Math.hypot(refined.row - seed.row, refined.col - seed.col) > jump) {
      return this.full(image, mask, 'moved', started);
    }
    this.seed = { row: refined.row, col: refined.col, score: refined.score, normalize: seed.normalize };
    return {
      row: refined.row,
      col: refined.col,
      score: refined.score,
      ms: Private.now() - started,
      method: 'tracked',
      reason: null,
      jump: false,
      warnings:
        refined.score < LOW_SCORE
          ? [`low symmetry score (${refined.score.toFixed(3)}): the center may be wrong`]
          : [],
      ...(refined.sigma ? { sigma: refined.sigma } : {})
    };
  }

  private full(
    image: ImageLike,
    mask: Uint8Array | null,
    reason: FullSearchReason,
    started: number
  ): FrameCenter {
    const previous = this.seed;
    this.seed = null;
    const result = autocenter(image, { ...this.options.engine, mask });
    // The window's score at the full search's center: what the next tracked frame compares with.
    const normalize = result.normalizedBackground;
    const here = refineFromSeed(image, result, { ...this.refineOptions(image, mask, normalize), sigma: false });
    this.seed = { row: result.row, col: result.col, score: here?.score ?? result.score, normalize };
    const jump =
      previous !== null &&
      Math.hypot(result.row - previous.row, result.col - previous.col) > (this.options.jump ?? TRACK_JUMP);
    return {
      row: result.row,
      col: result.col,
      score: result.score,
      ms: Private.now() - started,
      method: 'full',
      reason,
      jump,
      warnings: result.warnings,
      ...(this.options.sigma && result.sigma ? { sigma: result.sigma } : {})
    };
  }

  private refineOptions(image: ImageLike, mask: Uint8Array | null, normalize: boolean) {
    return {
      side: this.options.side ?? Math.max(MIN_TRACK_SIDE, Math.round(Math.max(image.height, image.width) / 4)),
      mask,
      autoMask: this.options.engine?.autoMask,
      normalize,
      sigma: this.options.sigma,
      buffers: this.buffers
    };
  }

  /** Memory the track's frames reuse. */
  private readonly buffers = new TrackBuffers();

  private seed: { row: number; col: number; score: number; normalize: boolean } | null = null;
}

namespace Private {
  export function now(): number {
    return typeof performance !== 'undefined' ? performance.now() : Date.now();
  }
}
