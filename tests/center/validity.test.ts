/**
 * The one pixel-validity rule (src/center/validity.ts), as the engine's automatic mask and the
 * viewer's contrast statistics apply it: the two must agree on every array.
 */
import { invalidPixelMask } from '../../src/center/masking.js';
import { isValidPixel, pixelValidity, saturationValue } from '../../src/center/validity.js';
import type { PixelArray } from '../../src/io/image.js';
import { applyColorMap, type DisplayParams, packRGBA } from '../../src/viewer/lut.js';

const DISPLAY: DisplayParams = {
  colormap: 'gray',
  scale: 'linear',
  gamma: 1,
  invert: false,
  vmin: 0,
  vmax: 1,
  maskNegative: true,
  invalidColor: [0, 200, 255, 255]
};
import { frameStats, histogram, isValidValue, validityOf, valueRange } from '../../src/viewer/contrast.js';

/** The engine's valid pixels of a 1-row image. */
function engineValid(data: PixelArray): boolean[] {
  return Array.from(invalidPixelMask({ height: 1, width: data.length, data }), v => v === 1);
}

/** The viewer's valid pixels, one value at a time, under the frame's rule. */
function viewerValid(data: PixelArray): boolean[] {
  const rule = validityOf(data);
  return Array.from(data, v => isValidValue(v, rule));
}

/** A float64 simulation with round-off negatives (-1e-16) beside real intensities. */
function simulated(): Float64Array {
  const data = new Float64Array(64);
  for (let i = 0; i < data.length; i++) {
    data[i] = i % 5 === 0 ? -1e-16 * (1 + (i % 3)) : 10 + Math.sin(i) * 5;
  }
  return data;
}

/** A 12-bit detector stored as uint16, saturating at 4095. */
function twelveBit(): Uint16Array {
  const data = new Uint16Array(64);
  for (let i = 0; i < data.length; i++) {
    data[i] = i % 7 === 0 ? 4095 : 100 + i * 13;
  }
  return data;
}

describe('one pixel-validity rule', () => {
  it('the painting (LUT) marks exactly the pixels the engine finds invalid, on every sample type', () => {
    const invalidColor = [1, 2, 3, 4] as const;
    const arrays: PixelArray[] = [
      simulated(),
      twelveBit(),
      Uint16Array.from([4095, 5000, 65535, 0]),
      Int32Array.from([-1, -2, 5, 2147483647, 0]),
      Int16Array.from([-1, 32767, 7]),
      Int8Array.from([-1, 127, 7]),
      Uint8Array.from([255, 254, 0]),
      Uint32Array.from([4294967295, 1]),
      Float32Array.from([NaN, Infinity, -Infinity, -5, 1e30, -1e-16])
    ];
    for (const data of arrays) {
      const stats = frameStats(data);
      const params = { ...DISPLAY, vmin: -10, vmax: 10, invalidColor };
      const invalid = packRGBA(...invalidColor);
      // With the statistics' rule (as the viewer paints) and the rule worked out from the data.
      for (const out of [applyColorMap(data, params, undefined, stats.rule), applyColorMap(data, params)]) {
        expect(Array.from(out, c => c !== invalid)).toEqual(engineValid(data));
      }
      expect(viewerValid(data)).toEqual(engineValid(data));
    }
  });

  it('keeps float round-off negatives valid in the engine mask and the viewer contrast', () => {
    const data = simulated();
    expect(engineValid(data).every(v => v)).toBe(true);
    expect(viewerValid(data).every(v => v)).toBe(true);
    const range = valueRange(data);
    expect(range.invalid).toBe(0);
    expect(range.min).toBeCloseTo(-3e-16, 30);
    expect(frameStats(data).range.valid).toBe(data.length);
    // Exact negative integers in float data are values too (a dark-subtracted frame).
    const dark = new Float32Array([-1, -2, 3, 0.5]);
    expect(engineValid(dark)).toEqual([true, true, true, true]);
    expect(valueRange(dark)).toEqual({ min: -2, max: 3, valid: 4, invalid: 0 });
  });

  it('masks 12-bit saturation (4095) of uint16 data whose maximum is 4095', () => {
    const data = twelveBit();
    const saturated = Array.from(data, v => v === 4095);
    expect(saturated.filter(v => v).length).toBe(10);
    expect(engineValid(data)).toEqual(saturated.map(s => !s));
    expect(viewerValid(data)).toEqual(saturated.map(s => !s));
    const stats = frameStats(data);
    expect(stats.range.invalid).toBe(10);
    expect(stats.range.max).toBe(100 + 62 * 13);
    expect(valueRange(data)).toEqual(stats.range);
    // A uint16 frame that reaches above 4095 is 16-bit: 4095 is a value there, 65535 saturation.
    const wide = Uint16Array.from([4095, 5000, 65535, 0]);
    expect(engineValid(wide)).toEqual([true, true, false, true]);
    expect(frameStats(wide).range).toEqual({ min: 0, max: 5000, valid: 3, invalid: 1 });
  });

  it('negative sentinels only in signed integer data; saturation at the type maximum', () => {
    expect(engineValid(Int32Array.from([-1, -2, 5, 2147483647, 0]))).toEqual([false, false, true, false, true]);
    expect(engineValid(Int16Array.from([-1, 32767, 7]))).toEqual([false, false, true]);
    expect(engineValid(Uint8Array.from([255, 254, 0]))).toEqual([false, true, true]);
    expect(engineValid(Uint32Array.from([4294967295, 1]))).toEqual([false, true]);
    expect(engineValid(Float32Array.from([NaN, Infinity, -Infinity, -5, 1e30]))).toEqual([false, false, false, true, true]);
    expect(saturationValue(new Float64Array(2))).toBeNaN();
    expect(pixelValidity(new Int16Array(1), { maskNegative: false }).negativeInvalid).toBe(false);
    expect(isValidPixel(-1, pixelValidity(new Float64Array(1)))).toBe(true);
  });

  it('the engine and the viewer agree on the same arrays', () => {
    const arrays: PixelArray[] = [
      simulated(),
      twelveBit(),
      Float32Array.from([1, NaN, Infinity, -1, -2, -0.5, 0, 7, -Infinity]),
      Int32Array.from([3, -1, -2, 2147483647, 0, 9]),
      Int16Array.from([-32768, -1, 32767, 12, 13]),
      Int8Array.from([-1, 127, 5]),
      Uint16Array.from([0, 65535, 12, 65534]),
      Uint8Array.from([0, 255, 17]),
      Uint32Array.from([4294967295, 8, 9])
    ];
    for (const data of arrays) {
      const engine = engineValid(data);
      expect(viewerValid(data)).toEqual(engine);
      const valid = engine.filter(v => v).length;
      expect(valueRange(data).valid).toBe(valid);
      expect(frameStats(data).range.valid).toBe(valid);
      const values = Array.from(data).filter((_, i) => engine[i]);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const counts = histogram(data, lo, hi, 4);
      expect(counts.reduce((s, c) => s + c, 0)).toBe(valid);
    }
  });
});
