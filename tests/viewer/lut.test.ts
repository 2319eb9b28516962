import { colormapTable } from '../../src/viewer/colormaps.js';
import {
  applyColorMap,
  colorIndex,
  type DisplayParams,
  LITTLE_ENDIAN,
  makeColorMapper,
  packRGBA,
  stretch
} from '../../src/viewer/lut.js';

const base: DisplayParams = {
  colormap: 'gray',
  scale: 'linear',
  gamma: 1,
  invert: false,
  vmin: 0,
  vmax: 255,
  maskNegative: true,
  invalidColor: [255, 0, 255, 255]
};

/** Unpack a color word into [r, g, b, a]. */
function rgba(word: number): number[] {
  const bytes = new Uint8Array(new Uint32Array([word]).buffer);
  return Array.from(bytes);
}

describe('stretch', () => {
  it('maps [0, 1] onto [0, 1] for every scale, clipping outside', () => {
    for (const scale of ['linear', 'log', 'sqrt', 'gamma'] as const) {
      expect(stretch(0, scale, 2)).toBe(0);
      expect(stretch(1, scale, 2)).toBeCloseTo(1, 12);
      expect(stretch(-3, scale, 2)).toBe(0);
      expect(stretch(7, scale, 2)).toBeCloseTo(1, 12);
      let previous = -1;
      for (let t = 0; t <= 1; t += 0.01) {
        const s = stretch(t, scale, 2);
        expect(s).toBeGreaterThan(previous);
        previous = s;
      }
    }
  });

  it('has the documented shapes', () => {
    expect(stretch(0.25, 'sqrt')).toBeCloseTo(0.5, 12);
    expect(stretch(0.5, 'gamma', 2)).toBeCloseTo(0.25, 12);
    expect(stretch(0.5, 'gamma', 0.5)).toBeCloseTo(Math.SQRT1_2, 12);
    // log(1000·0.1 + 1) / log(1001)
    expect(stretch(0.1, 'log')).toBeCloseTo(Math.log(101) / Math.log(1001), 12);
    // log lifts faint values far more than sqrt
    expect(stretch(0.01, 'log')).toBeGreaterThan(stretch(0.01, 'sqrt'));
  });
});

describe('colorIndex', () => {
  it('maps vmin to 0, vmax to 255, clipping outside, linear in between', () => {
    const p = { ...base, vmin: 100, vmax: 356 };
    expect(colorIndex(100, p)).toBe(0);
    expect(colorIndex(50, p)).toBe(0);
    expect(colorIndex(356, p)).toBe(255);
    expect(colorIndex(1e9, p)).toBe(255);
    expect(colorIndex(228, p)).toBe(128);
    expect(colorIndex(227.9, p)).toBe(127);
  });

  it('inverts', () => {
    const p = { ...base, invert: true };
    expect(colorIndex(0, p)).toBe(255);
    expect(colorIndex(255, p)).toBe(0);
  });
});

describe('packRGBA', () => {
  it('uses ImageData byte order', () => {
    expect(LITTLE_ENDIAN).toBe(true);
    expect(rgba(packRGBA(1, 2, 3, 4))).toEqual([1, 2, 3, 4]);
  });
});

describe('applyColorMap', () => {
  it('colors uint8 data through the colormap (255, saturation, is invalid)', () => {
    const data = new Uint8Array([0, 64, 254, 255]);
    const out = applyColorMap(data, { ...base, colormap: 'viridis', vmax: 254 });
    const viridis = colormapTable('viridis');
    expect(rgba(out[0])).toEqual([...viridis.slice(0, 3), 255]);
    expect(rgba(out[1])).toEqual([...viridis.slice(3 * 64, 3 * 64 + 3), 255]);
    expect(rgba(out[2])).toEqual([...viridis.slice(765, 768), 255]);
    expect(rgba(out[3])).toEqual([255, 0, 255, 255]);
  });

  it('paints NaN and infinities in the invalid color; negative floats are values', () => {
    const data = new Float32Array([NaN, Infinity, -1, 0, 10, -1e-16]);
    const out = applyColorMap(data, { ...base, vmin: -1, vmax: 10 });
    expect(rgba(out[0])).toEqual([255, 0, 255, 255]);
    expect(rgba(out[1])).toEqual([255, 0, 255, 255]);
    expect(rgba(out[2])).toEqual([0, 0, 0, 255]);
    expect(rgba(out[4])).toEqual([255, 255, 255, 255]);
    expect(rgba(out[5])).not.toEqual([255, 0, 255, 255]);
  });

  it('paints negative sentinels of signed integers and saturated values in the invalid color', () => {
    const int16 = applyColorMap(new Int16Array([-2, 5, 32767]), { ...base, vmin: 0, vmax: 10 });
    expect(rgba(int16[0])).toEqual([255, 0, 255, 255]);
    expect(rgba(int16[1])).toEqual([128, 128, 128, 255]);
    expect(rgba(int16[2])).toEqual([255, 0, 255, 255]);
    const unmasked = applyColorMap(new Int16Array([-2, 5]), { ...base, vmin: -2, vmax: 10, maskNegative: false });
    expect(rgba(unmasked[0])).toEqual([0, 0, 0, 255]);
    const int32 = applyColorMap(new Int32Array([-1, -2, 5, 2147483647]), { ...base, vmin: 0, vmax: 10 });
    expect([0, 1, 3].map(i => rgba(int32[i]))).toEqual(Array(3).fill([255, 0, 255, 255]));
    expect(rgba(int32[2])).toEqual([128, 128, 128, 255]);
    // A 12-bit detector in 16-bit words saturates at 4095 (when that is the frame's largest value).
    const twelve = applyColorMap(new Uint16Array([0, 4000, 4095]), { ...base, vmin: 0, vmax: 4094 });
    expect(rgba(twelve[2])).toEqual([255, 0, 255, 255]);
    const sixteen = applyColorMap(new Uint16Array([0, 4095, 5000]), { ...base, vmin: 0, vmax: 5000 });
    expect(rgba(sixteen[1])).not.toEqual([255, 0, 255, 255]);
  });

  it('the table path (uint16) and the quantised path (float) agree with colorIndex', () => {
    for (const scale of ['linear', 'log', 'sqrt', 'gamma'] as const) {
      const p: DisplayParams = { ...base, scale, gamma: 2.2, vmin: 100, vmax: 40000, colormap: 'gray' };
      const n = 4000;
      const u16 = new Uint16Array(n);
      const f32 = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        u16[i] = Math.floor((i * 45000) / n);
        f32[i] = u16[i];
      }
      const a = applyColorMap(u16, p);
      const b = applyColorMap(f32, p);
      let differ = 0;
      for (let i = 0; i < n; i++) {
        const exact = colorIndex(u16[i], p);
        expect(rgba(a[i])[0]).toBe(exact);
        const q = rgba(b[i])[0];
        expect(Math.abs(q - exact)).toBeLessThanOrEqual(1);
        if (q !== exact) differ++;
      }
      // Quantisation moves only values right at a color boundary.
      expect(differ).toBeLessThan(n / 100);
    }
  });

  it('applies in ranges (for chunked rendering)', () => {
    const data = new Uint16Array([0, 255, 0, 255]);
    const out = new Uint32Array(4);
    const mapper = makeColorMapper(data, base);
    mapper.apply(data, out, 1, 3);
    expect(out[0]).toBe(0);
    expect(rgba(out[1])).toEqual([255, 255, 255, 255]);
    expect(rgba(out[2])).toEqual([0, 0, 0, 255]);
    expect(out[3]).toBe(0);
  });
});

describe('integer tables', () => {
  it('agree with colorIndex for every valid 8-bit value under non-integer limits', () => {
    for (const scale of ['linear', 'log', 'sqrt', 'gamma'] as const) {
      const p: DisplayParams = { ...base, scale, gamma: 0.5, vmin: 10.5, vmax: 200.25 };
      const data = new Uint8Array(256).map((_, i) => i);
      const out = applyColorMap(data, p);
      // (255 and 127, the saturation values, are invalid: tested above.)
      for (let v = 0; v < 255; v++) expect(rgba(out[v])[0]).toBe(colorIndex(v, p));
      const signed = new Int8Array(256).map((_, i) => i - 128);
      const outSigned = applyColorMap(signed, { ...p, maskNegative: false });
      for (let i = 0; i < 255; i++) expect(rgba(outSigned[i])[0]).toBe(colorIndex(signed[i], p));
    }
  });
});
