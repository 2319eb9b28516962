import { autoMask, hotPixelMask, invalidPixelMask } from '../../src/center/masking.js';
import { generatePattern } from '../../src/synth/index.js';

describe('automatic masks', () => {
  it('marks NaN, Inf, negative integer sentinels and saturated pixels invalid', () => {
    const data = new Float32Array([1, NaN, Infinity, -1, -2, -0.5, 0, 7]);
    expect(Array.from(invalidPixelMask({ height: 2, width: 4, data }))).toEqual([1, 0, 0, 0, 0, 1, 1, 1]);
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
