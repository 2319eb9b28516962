/**
 * Automatic masks (1 = valid pixel):
 * - `invalidPixelMask`: the one pixel-validity rule (validity.ts): NaN/Inf, negative values of
 *   signed integer data (sentinels: Pilatus-type module gaps hold -1, defective pixels -2), and
 *   saturated integer values (the sample type's maximum; 4095 for 12-bit data in 16-bit words).
 * - `hotPixelMask`: hot pixels and cosmic-ray hits, by robust outlier detection against the
 *   3 x 3 local median with a MAD-based noise scale.
 * - `autoMask`: both, plus scikit-ued's `auto_masking` rule (pixels not above `threshold` times
 *   the median of the non-negative image are masked: beam blocks, dark edges).
 */
import type { ImageLike } from './types.js';
import { isValidPixel, pixelValidity } from './validity.js';
import { median9, median9Int } from './median9.js';
import { wasmHotPixels } from './wasm-image.js';

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

/**
 * Valid (1) unless invalid by the project's one pixel-validity rule (validity.ts): NaN/Inf,
 * negative values of signed integer data (detector sentinels), saturated integer values.
 */
export function invalidPixelMask(image: ImageLike): Uint8Array {
  const { data } = image;
  const size = image.height * image.width;
  const rule = pixelValidity(data);
  const saturated = rule.saturation;
  const mask = new Uint8Array(size).fill(1);
  // One loop per kind of sample type, doing only the tests that kind needs and seeing few array
  // types (a loop that meets many becomes several times slower).
  if (data.length >= size) {
    if (
      data instanceof Uint8Array ||
      data instanceof Uint8ClampedArray ||
      data instanceof Uint16Array ||
      data instanceof Uint32Array
    ) {
      Private.markSaturated(data, size, saturated, mask);
      return mask;
    }
    if (data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array) {
      Private.markNegativeOrSaturated(data, size, saturated, mask);
      return mask;
    }
    if (data instanceof Float32Array || data instanceof Float64Array) {
      Private.markNonFinite(data, size, mask);
      return mask;
    }
  }
  for (let i = 0; i < size; i++) {
    if (!isValidPixel(data[i], rule)) {
      mask[i] = 0;
    }
  }
  return mask;
}

/**
 * Valid (1) unless the pixel is a positive outlier against its 3 x 3 median:
 * value - median > max(HOT_SIGMAS * noise, HOT_RATIO * |median|), where noise is 1.4826 times the
 * median absolute residual over the image. Pixels already invalid in `valid` stay invalid and
 * do not take part.
 *
 * Values are taken as float32, invalid and NaN/Inf pixels as 0, edges mirrored. The median of
 * 9 values is >= the smallest of any 5 of them, here the pixel and its 4 nearest neighbours, so
 * only a pixel that exceeds one of those neighbours by more than HOT_SIGMAS * noise can be hot;
 * the 3 x 3 median is computed for such pixels alone.
 *
 * With `inPlace` (and `valid` given), the hot pixels are cleared in `valid` itself, which is
 * returned (a caller that no longer needs the input saves an image-sized copy); the same mask.
 */
export function hotPixelMask(image: ImageLike, valid: Uint8Array | null = null, inPlace = false): Uint8Array {
  const { height, width } = image;
  const own = inPlace && valid !== null;
  const mask = valid ? (own ? valid : new Uint8Array(valid)) : new Uint8Array(height * width).fill(1);
  if (height < 3 || width < 3) {
    return mask;
  }
  // The same mask from the WebAssembly kernel (wasm-image.ts; it reads all of `valid` before
  // it writes the mask); in JavaScript below otherwise.
  if (wasmHotPixels(image, valid, mask, Private.sampleStep(height * width), HOT_SIGMAS, HOT_RATIO)) {
    return mask;
  }
  // The JavaScript scan reads `valid` while it clears pixels: it clears them in a copy.
  const work = own ? new Uint8Array(valid) : mask;
  const floor = HOT_SIGMAS * Private.noiseScale(image, valid, work);
  // (An infinite floor leaves nothing hot.)
  if (floor < Infinity) {
    Private.scanHotPixels(image, valid, floor, work);
  }
  if (own) {
    mask.set(work);
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
    const lowerLimit = threshold * Private.median(Float64Array.from(positives));
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
  /** Unsigned integers: only saturation applies. */
  export function markSaturated(
    data: Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array,
    size: number,
    saturated: number,
    mask: Uint8Array
  ): void {
    for (let i = 0; i < size; i++) {
      if (data[i] === saturated) {
        mask[i] = 0;
      }
    }
  }

  /** Signed integers: negative (<= -1) or saturated. */
  export function markNegativeOrSaturated(
    data: Int8Array | Int16Array | Int32Array,
    size: number,
    saturated: number,
    mask: Uint8Array
  ): void {
    for (let i = 0; i < size; i++) {
      const v = data[i];
      if (v < 0 || v === saturated) {
        mask[i] = 0;
      }
    }
  }

  /** Floats: only NaN and ±Infinity are invalid (negative floats are values). */
  export function markNonFinite(
    data: Float32Array | Float64Array,
    size: number,
    mask: Uint8Array
  ): void {
    for (let i = 0; i < size; i++) {
      const v = data[i];
      if (!(v > -Infinity && v < Infinity)) {
        mask[i] = 0;
      }
    }
  }

  /**
   * Pixel `i` as the hot-pixel test sees it: rounded to float32 (as a Float32Array stores it),
   * 0 where `valid` is 0 or the value is NaN/Inf.
   */
  export function workingValue(
    data: ArrayLike<number>,
    valid: Uint8Array | null,
    i: number
  ): number {
    const v = data[i];
    return (valid !== null && !valid[i]) || !Number.isFinite(v) ? 0 : Math.fround(v);
  }

  /** The noise scale samples every this many-th pixel (odd, about 20 000 of them). */
  export function sampleStep(size: number): number {
    return Math.max(1, Math.floor(size / 20000)) | 1;
  }

  /**
   * 1.4826 * median |value - local median| (working values, see `workingValue`) over a sample
   * of the pixels valid in `mask`.
   */
  export function noiseScale(image: ImageLike, valid: Uint8Array | null, mask: Uint8Array): number {
    const { data, height, width } = image;
    const size = height * width;
    const step = sampleStep(size);
    const sample = new Float64Array(Math.ceil(size / step));
    const scan = step <= ROW_SAMPLING_STEP ? scanOf(image, valid, 0) : null;
    let n =
      scan?.typed
        ? sampleResidualsByRows(scan, height, step, mask, sample)
        : sampleResidualsByPixels(image, valid, step, mask, sample);
    const mad = 1.4826 * median(sample.subarray(0, n));
    if (mad > 0) {
      return mad;
    }
    // Noise-free images: fall back to a small fraction of the typical magnitude.
    n = 0;
    for (let i = 0; i < size; i += step) {
      const v = workingValue(data, valid, i);
      if (mask[i] && v !== 0) {
        sample[n++] = Math.abs(v);
      }
    }
    return n > 0 ? 0.05 * median(sample.subarray(0, n)) : 0;
  }

  /** `noiseScale`'s residuals (see `sampleResidualsByRows`), one neighbourhood at a time. */
  function sampleResidualsByPixels(
    image: ImageLike,
    valid: Uint8Array | null,
    step: number,
    mask: Uint8Array,
    sample: Float64Array
  ): number {
    const { data, height, width } = image;
    const size = height * width;
    let n = 0;
    for (let i = 0; i < size; i += step) {
      if (!mask[i]) {
        continue;
      }
      const r = Math.floor(i / width);
      const c = i - r * width;
      // Mirrored edges.
      const up = r > 0 ? i - width : i + width;
      const down = r < height - 1 ? i + width : i - width;
      const left = c > 0 ? -1 : 1;
      const right = c < width - 1 ? 1 : -1;
      const v = workingValue(data, valid, i);
      const localMedian = median9(
        workingValue(data, valid, up + left),
        workingValue(data, valid, up),
        workingValue(data, valid, up + right),
        workingValue(data, valid, i + left),
        v,
        workingValue(data, valid, i + right),
        workingValue(data, valid, down + left),
        workingValue(data, valid, down),
        workingValue(data, valid, down + right)
      );
      sample[n++] = Math.abs(v - localMedian);
    }
    return n;
  }

  /**
   * The median a sorted copy of `values` gives (NaN sorting last; 0 if empty), found by
   * selection rather than a full sort. Reorders `values`. (Callers pass values >= 0 or NaN, so
   * the order of -0 and 0 does not arise.)
   */
  export function median(values: Float64Array): number {
    const n = values.length;
    if (n === 0) {
      return 0;
    }
    let end = n;
    for (let i = 0; i < end; ) {
      if (Number.isNaN(values[i])) {
        end--;
        values[i] = values[end];
        values[end] = NaN;
      } else {
        i++;
      }
    }
    const mid = n >> 1;
    if (mid >= end) {
      return NaN;
    }
    const upper = select(values, end, mid);
    if (n % 2) {
      return upper;
    }
    // The value sorted just before it: the largest of those the selection left below it.
    let lower = values[0];
    for (let i = 1; i < mid; i++) {
      if (values[i] > lower) {
        lower = values[i];
      }
    }
    return (lower + upper) / 2;
  }

  /**
   * The k-th smallest of values[0, end) (no NaN), by quickselect (Hoare partitions about a
   * median of 3); leaves the smaller values before index k. Sorts what is left of the range if
   * partitioning does not converge (adversarial orders).
   */
  function select(a: Float64Array, end: number, k: number): number {
    let lo = 0;
    let hi = end - 1;
    for (let rounds = 0; lo < hi; rounds++) {
      if (rounds === 64) {
        a.subarray(lo, hi + 1).sort();
        break;
      }
      const x = a[lo];
      const y = a[(lo + hi) >> 1];
      const z = a[hi];
      const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          const t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      // Now a[lo..j] <= pivot <= a[i..hi], and whatever lies between equals the pivot.
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        break;
      }
    }
    return a[k];
  }


  /** Typed arrays of numbers, whose rows can be `set` into a Float32Array in native code. */
  type NumberArray =
    | Int8Array
    | Uint8Array
    | Uint8ClampedArray
    | Int16Array
    | Uint16Array
    | Int32Array
    | Uint32Array
    | Float32Array
    | Float64Array;

  /** What the row-by-row scan of `hotPixelMask` works with. */
  interface Scan {
    readonly data: ArrayLike<number>;
    readonly valid: Uint8Array | null;
    readonly width: number;
    readonly floor: number;
    /** `data` if a typed array of numbers (then converted a row at a time in native code). */
    readonly typed: NumberArray | null;
    /** `typed` holds integers of at most 16 bits: their working values take `median9Int` directly. */
    readonly smallInts: boolean;
    /** `valid` as bytes to read 4 at a time (when a Uint8Array covering the image). */
    readonly validBytes: DataView | null;
    /** Scratch for `flagSteps`: columns with a large step to the right or down. */
    readonly steep: Int32Array;
    /** Pixels of the current row, and of the next one, to give the full test. */
    flagged: Flagged;
    flaggedBelow: Flagged;
  }

  /** The state of a row-by-row pass over `image` (see `Scan`). */
  function scanOf(image: ImageLike, valid: Uint8Array | null, floor: number): Scan {
    const { data, height, width } = image;
    const size = height * width;
    const typed =
      ArrayBuffer.isView(data) &&
      !(data instanceof DataView) &&
      typeof data[0] === 'number' &&
      data.length >= size;
    return {
      data,
      valid,
      width,
      floor,
      typed: typed ? (data as NumberArray) : null,
      smallInts:
        data instanceof Uint8Array ||
        data instanceof Uint8ClampedArray ||
        data instanceof Int8Array ||
        data instanceof Uint16Array ||
        data instanceof Int16Array,
      validBytes:
        valid instanceof Uint8Array && valid.length >= size
          ? new DataView(valid.buffer, valid.byteOffset, valid.byteLength)
          : null,
      steep: new Int32Array(width),
      flagged: new Flagged(width),
      flaggedBelow: new Flagged(width)
    };
  }

  /**
   * `noiseScale` samples every pixel of this many or fewer row by row (each row converted to
   * working values once, in native code); a sparser sample reads its few neighbourhoods alone.
   */
  const ROW_SAMPLING_STEP = 16;

  /**
   * `noiseScale`'s residuals |value - 3 x 3 median| at every `step`-th pixel valid in `mask`,
   * into `sample` in pixel order; their count. The same working values (`workingValue`) and
   * mirrored edges as the pixel-by-pixel loop, read a whole row at a time (`scan.typed` set).
   */
  function sampleResidualsByRows(
    scan: Scan,
    height: number,
    step: number,
    mask: Uint8Array,
    sample: Float64Array
  ): number {
    const width = scan.width;
    let above = new Float32Array(width);
    let here = new Float32Array(width);
    let below = new Float32Array(width);
    readWorkingRow(scan, 0, here);
    readWorkingRow(scan, 1, below);
    let n = 0;
    for (let r = 0; r < height; r++) {
      const last = r === height - 1;
      // Mirrored edges: row -1 reads as row 1, row `height` as row `height - 2`.
      const up = r === 0 ? below : above;
      const down = last ? above : below;
      const start = r * width;
      for (let c = (step - (start % step)) % step; c < width; c += step) {
        if (!mask[start + c]) {
          continue;
        }
        const left = c > 0 ? c - 1 : 1;
        const right = c < width - 1 ? c + 1 : width - 2;
        const v = here[c];
        const localMedian = (scan.smallInts ? median9Int : median9)(
          up[left],
          up[c],
          up[right],
          here[left],
          v,
          here[right],
          down[left],
          down[c],
          down[right]
        );
        sample[n++] = Math.abs(v - localMedian);
      }
      const spare = above;
      above = here;
      here = below;
      below = spare;
      if (r + 2 < height) {
        readWorkingRow(scan, r + 2, below);
      }
    }
    return n;
  }

  /** Row `r` as working values (`workingValue`): `readRow`, with NaN/Inf made 0 too. */
  function readWorkingRow(scan: Scan, r: number, out: Float32Array): void {
    readRow(scan, r, out);
    if (scan.typed instanceof Float32Array || scan.typed instanceof Float64Array) {
      for (let c = 0; c < out.length; c++) {
        const v = out[c];
        if (v - v !== 0) {
          out[c] = 0;
        }
      }
    }
  }

  /**
   * The bulk of `hotPixelMask`: streams the image through three rows of working values (see
   * `workingValue`), flags the pixels that exceed a 4-neighbour by more than `floor`, and sets
   * those of them that pass the full test (against the 3 x 3 median) to 0 in `mask`.
   */
  export function scanHotPixels(
    image: ImageLike,
    valid: Uint8Array | null,
    floor: number,
    mask: Uint8Array
  ): void {
    const { height, width } = image;
    const scan = scanOf(image, valid, floor);
    let above = new Float32Array(width);
    let here = new Float32Array(width);
    let below = new Float32Array(width);
    readRow(scan, 0, here);
    readRow(scan, 1, below);
    for (let r = 0; r < height; r++) {
      const last = r === height - 1;
      flagSteps(scan, r, here, last ? null : below);
      // Mirrored edges: row -1 reads as row 1, row `height` as row `height - 2`.
      testFlagged(scan, r, r === 0 ? below : above, here, last ? above : below, mask);
      const tested = scan.flagged;
      scan.flagged = scan.flaggedBelow;
      scan.flaggedBelow = tested;
      const spare = above;
      above = here;
      here = below;
      below = spare;
      if (r + 2 < height) {
        readRow(scan, r + 2, below);
      }
    }
  }

  /**
   * Row `r` into `out`, invalid pixels 0. NaN/Inf values are left to `flagSteps`, which meets
   * every value before a median needs it and fixes them then.
   */
  function readRow(scan: Scan, r: number, out: Float32Array): void {
    const { data, valid, width, typed } = scan;
    const start = r * width;
    if (typed === null) {
      for (let c = 0; c < width; c++) {
        out[c] = workingValue(data, valid, start + c);
      }
      return;
    }
    // Native conversion, rounding as a store into a Float32Array does.
    out.set(typed.subarray(start, start + width));
    if (valid === null) {
      return;
    }
    let c = 0;
    const bytes = scan.validBytes;
    if (bytes !== null) {
      // Almost all pixels are valid: look at 4 flags at a time. (x - 0x01010101) & ~x &
      // 0x80808080 is nonzero exactly when a byte of x is 0.
      for (; c + 4 <= width; c += 4) {
        const four = bytes.getInt32(start + c);
        if (((four - 0x01010101) & ~four & 0x80808080) !== 0) {
          for (let k = c; k < c + 4; k++) {
            if (!valid[start + k]) {
              out[k] = 0;
            }
          }
        }
      }
    }
    for (; c < width; c++) {
      if (!valid[start + c]) {
        out[c] = 0;
      }
    }
  }

  /**
   * Flag the upper end of every step larger than the floor between 4-neighbours: along row `r`
   * (`here`) and down to row r + 1 (`below`, null for the last row). Each pair of neighbours is
   * looked at once. A first pass notes the pixels with a large step to the right or down (or a
   * NaN/Inf one: a NaN/Inf value is involved); `flagPixel` then looks at those exactly.
   */
  function flagSteps(scan: Scan, r: number, here: Float32Array, below: Float32Array | null): void {
    const { floor, steep } = scan;
    const width = here.length;
    let count = 0;
    let a = here[0];
    if (below === null) {
      for (let c = 1; c < width; c++) {
        const b = here[c];
        const across = a - b;
        if (!(across <= floor && across >= -floor)) {
          steep[count++] = c - 1;
        }
        a = b;
      }
    } else {
      for (let c = 1; c < width; c++) {
        const b = here[c];
        const across = a - b;
        const down = a - below[c - 1];
        if (!(across <= floor && across >= -floor && down <= floor && down >= -floor)) {
          steep[count++] = c - 1;
        }
        a = b;
      }
      const down = a - below[width - 1];
      if (!(down <= floor && down >= -floor)) {
        steep[count++] = width - 1;
      }
    }
    for (let k = 0; k < count; k++) {
      flagPixel(scan, r, steep[k], here, below);
    }
  }

  /**
   * The steps from pixel (r, c) to its right and lower neighbours, exactly: NaN/Inf values are
   * replaced by their working values first, then whichever end of a step exceeds the other by
   * more than the floor is flagged (fl(b - a) is exactly -fl(a - b)).
   */
  function flagPixel(
    scan: Scan,
    r: number,
    c: number,
    here: Float32Array,
    below: Float32Array | null
  ): void {
    const floor = scan.floor;
    fixValue(scan, here, r, c);
    if (c + 1 < here.length) {
      fixValue(scan, here, r, c + 1);
      const across = here[c] - here[c + 1];
      if (across > floor) {
        scan.flagged.add(c);
      } else if (-across > floor) {
        scan.flagged.add(c + 1);
      }
    }
    if (below !== null) {
      fixValue(scan, below, r + 1, c);
      const down = here[c] - below[c];
      if (down > floor) {
        scan.flagged.add(c);
      } else if (-down > floor) {
        scan.flaggedBelow.add(c);
      }
    }
  }

  /** A NaN/Inf value of row `r` replaced by its working value (0, or Inf from a huge float64). */
  function fixValue(scan: Scan, row: Float32Array, r: number, c: number): void {
    const x = row[c];
    if (x - x !== 0) {
      row[c] = workingValue(scan.data, scan.valid, r * scan.width + c);
    }
  }

  /** The full test for the flagged pixels of row `r`, with the rows around it; clears the flags. */
  function testFlagged(
    scan: Scan,
    r: number,
    up: Float32Array,
    here: Float32Array,
    down: Float32Array,
    mask: Uint8Array
  ): void {
    const { floor, width, flagged } = scan;
    const start = r * width;
    for (let k = 0; k < flagged.count; k++) {
      const c = flagged.columns[k];
      // Invalid pixels (read as 0, which is never hot) stay as they are.
      if (!mask[start + c]) {
        continue;
      }
      const left = c > 0 ? c - 1 : 1;
      const right = c < width - 1 ? c + 1 : width - 2;
      const v = here[c];
      // The median is one of the nine values, and v - x falls as x grows: if the pixel is hot,
      // the five smallest values x (v itself never) all have v - x > floor. Most flagged pixels
      // (an edge, a ring) fail this count, which is cheaper than the median.
      const low =
        (v - up[left] > floor ? 1 : 0) +
        (v - up[c] > floor ? 1 : 0) +
        (v - up[right] > floor ? 1 : 0) +
        (v - here[left] > floor ? 1 : 0) +
        (v - here[right] > floor ? 1 : 0) +
        (v - down[left] > floor ? 1 : 0) +
        (v - down[c] > floor ? 1 : 0) +
        (v - down[right] > floor ? 1 : 0);
      if (low < 5) {
        continue;
      }
      const median = (scan.smallInts ? median9Int : median9)(
        up[left],
        up[c],
        up[right],
        here[left],
        v,
        here[right],
        down[left],
        down[c],
        down[right]
      );
      const residual = v - median;
      if (residual > floor && residual > HOT_RATIO * Math.abs(median)) {
        mask[start + c] = 0;
      }
    }
    flagged.clear();
  }

  /** Columns of one row flagged for the full test, each listed once. */
  class Flagged {
    constructor(width: number) {
      this.columns = new Int32Array(width);
      this._marked = new Uint8Array(width);
    }

    readonly columns: Int32Array;
    count = 0;

    add(c: number): void {
      if (!this._marked[c]) {
        this._marked[c] = 1;
        this.columns[this.count++] = c;
      }
    }

    clear(): void {
      for (let k = 0; k < this.count; k++) {
        this._marked[this.columns[k]] = 0;
      }
      this.count = 0;
    }

    private readonly _marked: Uint8Array;
  }
}
