/** Public types of the centering engine. */

/** Anything shaped like an image: row-major values, `data[row * width + col]`. */
export interface ImageLike {
  readonly height: number;
  readonly width: number;
  readonly data: ArrayLike<number>;
}

/** Options of `autocenter`; every one has a parameter-free default. */
export interface AutocenterOptions {
  /** 1 = valid pixel, same length as the image; null/undefined = all valid. */
  mask?: Uint8Array | null;
  /** Divide by a wide Gaussian blur first; 'auto' (default) decides by the peak NCC of both. */
  normalizeBackground?: 'auto' | boolean;
  /** Re-crop about the estimate at most this many times (default 5). */
  maxIterations?: number;
  /** Mask invalid pixels automatically: NaN/Inf, negative sentinels, saturated and hot pixels (default true). */
  autoMask?: boolean;
  /** 'fast' (default): coarse-to-fine; 'reference': full-resolution FFT NCC. */
  route?: 'fast' | 'reference';
  /**
   * Also search the whole image for a center near an edge (global.ts, edge.ts; fast route
   * only), which the crop about the center of mass cannot see (default true). It finds all 24
   * near-edge cases of the engine bench (the crop alone 11); on centered patterns it costs the
   * whole-image coarse map (a few ms), and a second search when that map prefers another place.
   */
  edgeSearch?: boolean;
  /** Checked between stages; when `aborted` the engine throws `CenterError('cancelled')`. */
  signal?: { aborted: boolean };
  /** Called between stages with a stage name and an overall fraction in [0, 1]. */
  onProgress?: (stage: string, fraction: number) => void;
}

/** What `autocenter` found, and how. Coordinates are (row, col), pixel centers at integers. */
export interface AutocenterResult {
  /** Center row (sub-pixel). */
  row: number;
  /** Center column (sub-pixel). */
  col: number;
  /** Peak masked normalized cross-correlation between the crop and its inversion, in [-1, 1]. */
  score: number;
  /** Masked intensity center of mass (the starting point). */
  roughRow: number;
  roughCol: number;
  /** Number of crop-and-correlate passes that were run. */
  iterations: number;
  /** Engine wall time in milliseconds. */
  ms: number;
  /** Human-readable caveats (low score, no convergence, heavy masking, ...). */
  warnings: string[];
  /** Whether the background was divided out before correlating. */
  normalizedBackground: boolean;
  /** Number of pixels excluded (given mask and automatic mask together). */
  maskedPixels: number;
  /** Which search route produced the result. */
  route: 'fast' | 'reference';
  /**
   * Standard uncertainty of (row, col) in pixels, from the correlation peak's shape and the
   * residual asymmetry (uncertainty.ts; calibrated by `npm run bench -- sigma`).
   */
  sigma?: [number, number];
  /**
   * The branches of the engine that ran, in order (for benchmarks and curious users):
   * 'raw-only' (the normalized track stopped after its coarse pass), 'both-tracks',
   * 'coarse-refine' (undecided coarse candidates compared one level finer), 'global' (the
   * whole-image candidate search), 'global-restart' (tracks run again from its candidate),
   * 'global-won' (and that answer was kept).
   */
  branches: string[];
  /**
   * Where the heavy passes ran: 'webassembly' (the engine's kernel, kernel.ts) or 'javascript'
   * (where the kernel cannot be loaded, e.g. a browser's main thread).
   */
  kernel?: 'webassembly' | 'javascript';
}
