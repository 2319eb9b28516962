/**
 * Automatic masks (1 = valid pixel):
 * - `invalidPixelMask`: NaN/Inf, negative integer sentinels (Pilatus-type module gaps hold -1,
 *   defective pixels -2), and pixels at the maximum of an integer sample type (saturated).
 * - `hotPixelMask`: hot pixels and cosmic-ray hits, by robust outlier detection against the
 *   3 x 3 local median with a MAD-based noise scale.
 * - `autoMask`: both, plus scikit-ued's `auto_masking` rule (pixels not above `threshold` times
 *   the median of the non-negative image are masked: beam blocks, dark edges).
 */
import type { ImageLike } from './types.js';

/** Options of `autoMask`. */
export interface AutoMaskOptions {
  /** Fraction of the median below which pixels are masked as dark (scikit-ued's default 0.1). */
  threshold?: number;
  /** Apply the dark-pixel rule (default true). */
  dark?: boolean;
  /** Mask hot pixels (default true). */
  hot?: boolean;
}

/** Residual / noise-scale ratio above which a pixel is an outlier. */
export const HOT_SIGMAS = 12;
/** ... and it must also exceed its local median by this factor of that median. */
export const HOT_RATIO = 2;

/** Valid (1) unless NaN/Inf, a negative integer sentinel, or saturated. */
export function invalidPixelMask(image: ImageLike): Uint8Array {
  const { data } = image;
  const size = image.height * image.width;
  const saturated = Private.saturationOf(data);
  const mask = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const v = data[i];
    const bad = !Number.isFinite(v) || (v <= -1 && Number.isInteger(v)) || v === saturated;
    mask[i] = bad ? 0 : 1;
  }
  return mask;
}

/**
 * Valid (1) unless the pixel is a positive outlier against its 3 x 3 median:
 * value - median > max(HOT_SIGMAS * noise, HOT_RATIO * |median|), where noise is 1.4826 times the
 * median absolute residual over the image. Pixels already invalid in `valid` stay invalid and
 * do not take part.
 */
export function hotPixelMask(image: ImageLike, valid: Uint8Array | null = null): Uint8Array {
  const { height, width } = image;
  const size = height * width;
  const values = Private.workingCopy(image, valid);
  const mask = valid ? Uint8Array.from(valid) : new Uint8Array(size).fill(1);
  if (height < 3 || width < 3) {
    return mask;
  }
  const noise = Private.noiseScale(values, height, width, mask);
  const floor = HOT_SIGMAS * noise;
  const window = new Float64Array(9);
  for (let r = 0; r < height; r++) {
    const interiorRow = r > 0 && r < height - 1;
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      if (!mask[i]) {
        continue;
      }
      const v = values[i];
      // Quick accept: the median of 9 values is >= the smallest of any 5 of them.
      let lower: number;
      if (interiorRow && c > 0 && c < width - 1) {
        lower = v;
        const up = values[i - width];
        const down = values[i + width];
        const left = values[i - 1];
        const right = values[i + 1];
        if (up < lower) lower = up;
        if (down < lower) lower = down;
        if (left < lower) lower = left;
        if (right < lower) lower = right;
      } else {
        lower = Private.lowerBoundOfMedian(values, height, width, r, c);
      }
      if (v - lower <= floor) {
        continue;
      }
      const median = Private.median3x3(values, height, width, r, c, window);
      const residual = v - median;
      if (residual > floor && residual > HOT_RATIO * Math.abs(median)) {
        mask[i] = 0;
      }
    }
  }
  return mask;
}

/** scikit-ued's `auto_masking` plus invalid and hot pixels (1 = valid). */
export function autoMask(image: ImageLike, options: AutoMaskOptions = {}): Uint8Array {
  const threshold = options.threshold ?? 0.1;
  let mask = invalidPixelMask(image);
  if (options.hot ?? true) {
    mask = hotPixelMask(image, mask);
  }
  if (options.dark ?? true) {
    const { data } = image;
    const size = image.height * image.width;
    const positives: number[] = [];
    const step = Math.max(1, Math.floor(size / 200000));
    // As scikit-ued: the median of max(image, 0) over the whole (finite) image.
    for (let i = 0; i < size; i += step) {
      if (Number.isFinite(data[i])) {
        positives.push(Math.max(data[i], 0));
      }
    }
    const lowerLimit = threshold * Private.median(positives);
    for (let i = 0; i < size; i++) {
      if (mask[i] && !(data[i] > lowerLimit)) {
        mask[i] = 0;
      }
    }
  }
  return mask;
}

/** Logical AND of two masks of the same length (either may be null = all valid). */
export function combineMasks(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    out[i] = a[i] && b[i] ? 1 : 0;
  }
  return out;
}

namespace Private {
  export function saturationOf(data: ArrayLike<number>): number {
    if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) {
      return 255;
    }
    if (data instanceof Uint16Array) {
      return 65535;
    }
    if (data instanceof Uint32Array) {
      return 4294967295;
    }
    if (data instanceof Int16Array) {
      return 32767;
    }
    if (data instanceof Int32Array) {
      return 2147483647;
    }
    return NaN;
  }

  /** Float copy with invalid pixels set to 0 (they never become hot themselves). */
  export function workingCopy(image: ImageLike, valid: Uint8Array | null): Float32Array {
    const size = image.height * image.width;
    const out = new Float32Array(size);
    const { data } = image;
    for (let i = 0; i < size; i++) {
      const v = data[i];
      out[i] = (valid && !valid[i]) || !Number.isFinite(v) ? 0 : v;
    }
    return out;
  }

  export function lowerBoundOfMedian(
    v: Float32Array,
    height: number,
    width: number,
    r: number,
    c: number
  ): number {
    const i = r * width + c;
    const up = r > 0 ? v[i - width] : v[i + width];
    const down = r < height - 1 ? v[i + width] : v[i - width];
    const left = c > 0 ? v[i - 1] : v[i + 1];
    const right = c < width - 1 ? v[i + 1] : v[i - 1];
    return Math.min(v[i], up, down, left, right);
  }

  /** Median of the 3 x 3 neighbourhood, edges mirrored. */
  export function median3x3(
    v: Float32Array,
    height: number,
    width: number,
    r: number,
    c: number,
    window: Float64Array
  ): number {
    let k = 0;
    for (let dr = -1; dr <= 1; dr++) {
      let rr = r + dr;
      rr = rr < 0 ? 1 : rr >= height ? height - 2 : rr;
      for (let dc = -1; dc <= 1; dc++) {
        let cc = c + dc;
        cc = cc < 0 ? 1 : cc >= width ? width - 2 : cc;
        window[k++] = v[rr * width + cc];
      }
    }
    for (let i = 1; i < 9; i++) {
      const x = window[i];
      let j = i - 1;
      while (j >= 0 && window[j] > x) {
        window[j + 1] = window[j];
        j--;
      }
      window[j + 1] = x;
    }
    return window[4];
  }

  /** 1.4826 * median |value - local median| over a sample of valid pixels. */
  export function noiseScale(
    v: Float32Array,
    height: number,
    width: number,
    mask: Uint8Array
  ): number {
    const size = height * width;
    const step = Math.max(1, Math.floor(size / 20000)) | 1;
    const window = new Float64Array(9);
    const residuals: number[] = [];
    for (let i = 0; i < size; i += step) {
      if (!mask[i]) {
        continue;
      }
      const r = Math.floor(i / width);
      const c = i - r * width;
      residuals.push(Math.abs(v[i] - median3x3(v, height, width, r, c, window)));
    }
    const mad = 1.4826 * median(residuals);
    if (mad > 0) {
      return mad;
    }
    // Noise-free images: fall back to a small fraction of the typical magnitude.
    const magnitudes: number[] = [];
    for (let i = 0; i < size; i += step) {
      if (mask[i] && v[i] !== 0) {
        magnitudes.push(Math.abs(v[i]));
      }
    }
    return magnitudes.length > 0 ? 0.05 * median(magnitudes) : 0;
  }

  export function median(values: number[]): number {
    if (values.length === 0) {
      return 0;
    }
    const sorted = Float64Array.from(values).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
