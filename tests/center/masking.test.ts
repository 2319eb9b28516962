import {
  autoMask,
  HOT_RATIO,
  HOT_SIGMAS,
  hotPixelMask,
  invalidPixelMask
} from '../../src/center/masking.js';
import type { ImageLike } from '../../src/center/types.js';
import { setWasmEnabled } from '../../src/center/kernel.js';
import { generatePattern, Rng } from '../synth/index.js';

describe('automatic masks', () => {
  it('marks NaN, Inf, negative integer sentinels and saturated pixels invalid', () => {
    // Floats: only NaN/Inf (negative floats are values); signed integers: negatives are sentinels.
    const data = new Float32Array([1, NaN, Infinity, -1, -2, -0.5, 0, 7]);
    expect(Array.from(invalidPixelMask({ height: 2, width: 4, data }))).toEqual([1, 0, 0, 1, 1, 1, 1, 1]);
    const ints = Int32Array.from([1, -1, -2, 0, 7, 2147483647, 3, 4]);
    expect(Array.from(invalidPixelMask({ height: 2, width: 4, data: ints }))).toEqual([1, 0, 0, 1, 1, 0, 1, 1]);
    const counts = new Uint16Array([0, 65535, 12, 65534]);
    expect(Array.from(invalidPixelMask({ height: 2, width: 2, data: counts }))).toEqual([1, 0, 1, 1]);
  });

  it('finds hot pixels on a noisy spot pattern without touching Bragg spots', () => {
    const p = generatePattern({ kind: 'hexagonal', height: 256, seed: 11, hotPixels: 24, sigma: 1.3 });
    const mask = hotPixelMask(p.image);
    for (const i of p.hotPixels) {
      expect(mask[i]).toBe(0);
    }
    const flagged = mask.reduce((n, v) => n + (v ? 0 : 1), 0);
    // Only the hot pixels (a handful of extra single-pixel noise spikes at most).
    expect(flagged).toBeGreaterThanOrEqual(new Set(p.hotPixels).size);
    expect(flagged).toBeLessThan(new Set(p.hotPixels).size + 5);
  });

  it('leaves a clean, noise-free pattern alone', () => {
    const p = generatePattern({ kind: 'rings', height: 128, seed: 2, noise: false });
    const mask = hotPixelMask(p.image);
    expect(mask.every(v => v === 1)).toBe(true);
  });

  it('autoMask adds scikit-ued auto_masking (dark pixels) to invalid and hot pixels', () => {
    const p = generatePattern({
      kind: 'rings',
      height: 128,
      seed: 4,
      beamBlock: { side: 'top' },
      hotPixels: 3,
      gaps: { module: 40, width: 2 }
    });
    const mask = autoMask(p.image);
    const data = p.image.data;
    const sorted = Float64Array.from(data, v => Math.max(v, 0)).sort();
    const median = (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    const hot = new Set(p.hotPixels);
    const outliers = hotPixelMask(p.image, invalidPixelMask(p.image));
    for (let i = 0; i < mask.length; i++) {
      if (hot.has(i)) {
        expect(mask[i]).toBe(0);
      } else if (!outliers[i]) {
        expect(mask[i]).toBe(0); // other outliers
      } else if (data[i] < 0) {
        expect(mask[i]).toBe(0); // gap lines hold -1
      } else {
        expect(mask[i]).toBe(data[i] > 0.1 * median ? 1 : 0);
      }
    }
    // Most of the beam block (2 % transmission) falls under the dark rule.
    let blocked = 0;
    let caught = 0;
    for (let i = 0; i < mask.length; i++) {
      if (!p.mask[i] && data[i] >= 0) {
        blocked++;
        caught += 1 - mask[i];
      }
    }
    expect(caught / blocked).toBeGreaterThan(0.5);
    const dark = autoMask(p.image, { dark: false, hot: false });
    expect(dark.reduce((n, v) => n + v, 0)).toBeGreaterThan(mask.reduce((n, v) => n + v, 0));
  });
});

/**
 * Plain per-pixel implementations of the masks' definitions (as the module's doc comments give
 * them), to compare the optimized ones with.
 */
namespace Reference {
  /** The rule of src/center/validity.ts, written out per sample type. */
  export function saturationOf(data: ArrayLike<number>): number {
    if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) {
      return 255;
    }
    if (data instanceof Int8Array) {
      return 127;
    }
    if (data instanceof Uint16Array) {
      // 12-bit data in 16-bit words: saturation 4095 when that is the largest value.
      return Math.max(...data) === 4095 ? 4095 : 65535;
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

  export function invalidPixelMask(image: ImageLike): Uint8Array {
    const saturated = saturationOf(image.data);
    const signed =
      image.data instanceof Int8Array || image.data instanceof Int16Array || image.data instanceof Int32Array;
    return Uint8Array.from({ length: image.height * image.width }, (_, i) => {
      const v = image.data[i];
      const bad = !Number.isFinite(v) || (signed && v < 0) || v === saturated;
      return bad ? 0 : 1;
    });
  }

  /** Median as of a sorted copy (NaN last), 0 if empty. */
  export function median(values: number[]): number {
    if (values.length === 0) {
      return 0;
    }
    const sorted = Float64Array.from(values).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  export function hotPixelMask(image: ImageLike, valid: Uint8Array | null = null): Uint8Array {
    const { height, width, data } = image;
    const size = height * width;
    const mask = valid ? Uint8Array.from(valid) : new Uint8Array(size).fill(1);
    if (height < 3 || width < 3) {
      return mask;
    }
    // Values as float32; invalid and NaN/Inf pixels read as 0.
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const v = data[i];
      values[i] = (valid && !valid[i]) || !Number.isFinite(v) ? 0 : v;
    }
    // 3 x 3 medians, edges mirrored.
    const mirror = (k: number, n: number) => (k < 0 ? 1 : k >= n ? n - 2 : k);
    const medians = new Float64Array(size);
    const window = new Float64Array(9);
    for (let i = 0; i < size; i++) {
      const r = Math.floor(i / width);
      const c = i % width;
      let k = 0;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          window[k++] = values[mirror(r + dr, height) * width + mirror(c + dc, width)];
        }
      }
      medians[i] = window.sort()[4];
    }
    // Noise: 1.4826 * MAD over every step-th pixel; noise-free: 5 % of the typical magnitude.
    const step = Math.max(1, Math.floor(size / 20000)) | 1;
    const residuals: number[] = [];
    const magnitudes: number[] = [];
    for (let i = 0; i < size; i += step) {
      if (mask[i]) {
        residuals.push(Math.abs(values[i] - medians[i]));
        if (values[i] !== 0) {
          magnitudes.push(Math.abs(values[i]));
        }
      }
    }
    const mad = 1.4826 * median(residuals);
    const noise = mad > 0 ? mad : magnitudes.length > 0 ? 0.05 * median(magnitudes) : 0;
    const floor = HOT_SIGMAS * noise;
    for (let i = 0; i < size; i++) {
      const residual = values[i] - medians[i];
      if (mask[i] && residual > floor && residual > HOT_RATIO * Math.abs(medians[i])) {
        mask[i] = 0;
      }
    }
    return mask;
  }

  export function autoMask(image: ImageLike): Uint8Array {
    const mask = hotPixelMask(image, invalidPixelMask(image));
    const size = image.height * image.width;
    const step = Math.max(1, Math.floor(size / 200000));
    const positives: number[] = [];
    for (let i = 0; i < size; i += step) {
      if (Number.isFinite(image.data[i])) {
        positives.push(Math.max(image.data[i], 0));
      }
    }
    const lowerLimit = 0.1 * median(positives);
    return mask.map((m, i) => (m && !(image.data[i] > lowerLimit) ? 0 : m));
  }
}

/** Same type, length and bytes; on a difference, the first differing pixel is reported. */
function expectSameMask(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual.length).toBe(expected.length);
  const i = actual.findIndex((v, k) => v !== expected[k]);
  expect(i < 0 ? null : { pixel: i, actual: actual[i], expected: expected[i] }).toBeNull();
}

/**
 * The masks against a plain per-pixel implementation of their definitions (as the module's doc
 * comments give them), bit for bit, on random images of several sample types and shapes.
 */
describe.each(['kernel', 'JavaScript'])('automatic masks match their plain definitions (%s route)', route => {
  // hotPixelMask runs in the WebAssembly kernel where it can (wasm.ts); both routes must agree.
  beforeAll(() => setWasmEnabled(route === 'kernel'));
  afterAll(() => setWasmEnabled(true));

  type Kind = 'float32' | 'float64' | 'uint16' | 'int32' | 'uint8' | 'int16' | 'array';

  /** Noisy background with a few spots, hot pixels and the awkward values the type allows. */
  function randomImage(rng: Rng, height: number, width: number, kind: Kind): ImageLike {
    const size = height * width;
    const level = rng.pick([0, 0.3, 5, 100, 1000]);
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      values[i] = kind === 'float64' ? level + 3 * rng.normal() : rng.poisson(level);
    }
    for (let k = rng.int(0, 4); k > 0; k--) {
      const r0 = rng.uniform(0, height);
      const c0 = rng.uniform(0, width);
      const peak = rng.uniform(50, 3000);
      for (let i = 0; i < size; i++) {
        const d2 = (Math.floor(i / width) - r0) ** 2 + ((i % width) - c0) ** 2;
        values[i] += Math.round(peak * Math.exp(-d2 / 3));
      }
    }
    const awkward: number[] = [50000, 60000, 1e4, -1, -2, 0];
    if (kind === 'float32' || kind === 'float64' || kind === 'array') {
      awkward.push(NaN, Infinity, -Infinity, -0, -1.5, 0.1, 16777217.5);
    }
    if (kind === 'float64' || kind === 'array') {
      awkward.push(1e39, -1e39, 3.4028235677973362e38, 1 + 2 ** -40);
    }
    if (kind === 'uint16') {
      awkward.push(65535);
    }
    if (kind === 'int32') {
      awkward.push(2147483647, 16777217, -2147483648);
    }
    for (let k = rng.int(0, Math.ceil(size / 20)); k > 0; k--) {
      values[rng.int(0, size - 1)] = rng.pick(awkward);
    }
    if (rng.next() < 0.5 && height > 4) {
      // A gap line of -1, as on module boundaries.
      const row = rng.int(0, height - 1);
      values.fill(-1, row * width, (row + 1) * width);
    }
    const data =
      kind === 'float32'
        ? Float32Array.from(values)
        : kind === 'float64'
          ? values
          : kind === 'uint16'
            ? Uint16Array.from(values, v => Math.min(v, 65535))
            : kind === 'int32'
              ? Int32Array.from(values)
              : kind === 'uint8'
                ? Uint8Array.from(values, v => Math.min(v, 255))
                : kind === 'int16'
                  ? Int16Array.from(values, v => Math.min(v, 32767))
                  : Array.from(values);
    return { height, width, data };
  }

  const shapes: [number, number][] = [
    [3, 3],
    [3, 17],
    [17, 3],
    [1, 25],
    [25, 1],
    [2, 9],
    [4, 5],
    [31, 29],
    [64, 48],
    [203, 211], // more than 20000 pixels: the noise scale samples every 3rd
    [240, 430] // every 5th (the samples of a row are not aligned with its start)
  ];
  // (The first four also on the large image.)
  const kinds: Kind[] = ['float32', 'float64', 'uint16', 'int32', 'uint8', 'int16', 'array'];

  it('invalidPixelMask, hotPixelMask and autoMask on random images', () => {
    const rng = new Rng(20240611);
    let hotFound = 0;
    for (const [height, width] of shapes) {
      const large = height * width > 20000;
      for (const kind of large ? kinds.slice(0, 4) : kinds) {
        for (let round = large ? 1 : 0; round < 2; round++) {
          const image = randomImage(rng, height, width, kind);
          const invalid = Reference.invalidPixelMask(image);
          expectSameMask(invalidPixelMask(image), invalid);
          // Valid flags other than 0/1 are kept as they are.
          const random = Uint8Array.from(invalid, () => rng.pick([0, 1, 1, 1, 7]));
          for (const valid of [null, invalid, random]) {
            const expected = Reference.hotPixelMask(image, valid);
            expectSameMask(hotPixelMask(image, valid), expected);
            if (valid) {
              // In place: the same mask, written into (and returned as) the given array.
              const own = valid.slice();
              const inPlace = hotPixelMask(image, own, true);
              expect(inPlace).toBe(own);
              expectSameMask(inPlace, expected);
            }
            hotFound += expected.filter((v, i) => !v && (valid ? valid[i] : 1)).length;
          }
          expectSameMask(autoMask(image), Reference.autoMask(image));
        }
      }
    }
    // Not vacuous: plenty of pixels were found hot.
    expect(hotFound).toBeGreaterThan(100);
  });

  it('hotPixelMask on noise-free and sparse images (the noise scale falls back)', () => {
    const rng = new Rng(7);
    for (const level of [0, 1, 100]) {
      for (const sparse of [false, true]) {
        const data = new Float32Array(40 * 37).fill(level);
        for (let k = 0; k < 60; k++) {
          data[rng.int(0, data.length - 1)] = sparse ? rng.int(1, 3) : rng.pick([level + 1, 5000]);
        }
        const image = { height: 40, width: 37, data };
        expectSameMask(hotPixelMask(image), Reference.hotPixelMask(image));
        const valid = Uint8Array.from(data, () => (rng.next() < 0.9 ? 1 : 0));
        expectSameMask(hotPixelMask(image, valid), Reference.hotPixelMask(image, valid));
      }
    }
  });

  it('hotPixelMask on synthetic patterns with gaps, beam blocks and hot pixels', () => {
    for (const sampleType of ['float32', 'uint16', 'int32'] as const) {
      const p = generatePattern({
        kind: 'hexagonal',
        height: 181,
        width: 243,
        seed: 5,
        sampleType,
        hotPixels: 30,
        beamBlock: { side: 'right' },
        gaps: { module: 60, width: 2 }
      });
      const valid = invalidPixelMask(p.image);
      expectSameMask(valid, Reference.invalidPixelMask(p.image));
      expectSameMask(hotPixelMask(p.image, valid), Reference.hotPixelMask(p.image, valid));
      expectSameMask(hotPixelMask(p.image, p.mask), Reference.hotPixelMask(p.image, p.mask));
    }
  });
});
