import { createFft2d, nextPowerOfTwo } from '../../src/center/fft.js';
import { Rng } from '../synth/rng.js';

/** Direct 2-D DFT, numpy's sign convention. */
function dft2(rows: number, cols: number, data: Float64Array, inverse: boolean): Float64Array {
  const out = new Float64Array(data.length);
  const sign = inverse ? 1 : -1;
  for (let kr = 0; kr < rows; kr++) {
    for (let kc = 0; kc < cols; kc++) {
      let re = 0;
      let im = 0;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const phase = sign * 2 * Math.PI * ((kr * r) / rows + (kc * c) / cols);
          const xr = data[2 * (r * cols + c)];
          const xi = data[2 * (r * cols + c) + 1];
          re += xr * Math.cos(phase) - xi * Math.sin(phase);
          im += xr * Math.sin(phase) + xi * Math.cos(phase);
        }
      }
      const scale = inverse ? 1 / (rows * cols) : 1;
      out[2 * (kr * cols + kc)] = re * scale;
      out[2 * (kr * cols + kc) + 1] = im * scale;
    }
  }
  return out;
}

function random(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
}

describe('fft', () => {
  it('nextPowerOfTwo', () => {
    expect(nextPowerOfTwo(1)).toBe(2);
    expect(nextPowerOfTwo(2)).toBe(2);
    expect(nextPowerOfTwo(3)).toBe(4);
    expect(nextPowerOfTwo(511)).toBe(512);
    expect(nextPowerOfTwo(513)).toBe(1024);
  });

  it.each([
    [4, 8],
    [8, 8],
    [16, 4],
    [2, 32]
  ])('forward and inverse match a direct DFT (%i x %i)', (rows, cols) => {
    const data = random(2 * rows * cols, rows * 100 + cols);
    const fft = createFft2d(rows, cols);
    const forward = Float64Array.from(data);
    fft.forward(forward);
    const expected = dft2(rows, cols, data, false);
    for (let i = 0; i < data.length; i++) {
      expect(forward[i]).toBeCloseTo(expected[i], 9);
    }
    const back = Float64Array.from(forward);
    fft.inverse(back);
    for (let i = 0; i < data.length; i++) {
      expect(back[i]).toBeCloseTo(data[i], 12);
    }
    const inverse = Float64Array.from(data);
    fft.inverse(inverse);
    const expectedInverse = dft2(rows, cols, data, true);
    for (let i = 0; i < data.length; i++) {
      expect(inverse[i]).toBeCloseTo(expectedInverse[i], 12);
    }
  });

  it('skips zero rows without changing the result', () => {
    const rows = 8;
    const cols = 8;
    const data = random(2 * rows * cols, 7);
    data.fill(0, 2 * 3 * cols);
    const full = Float64Array.from(data);
    const partial = Float64Array.from(data);
    const fft = createFft2d(rows, cols);
    fft.forward(full);
    fft.forward(partial, 3);
    expect(Array.from(partial)).toEqual(Array.from(full));
  });

  it('refuses sizes that are not powers of two and wrong lengths', () => {
    expect(() => createFft2d(6, 8)).toThrow(RangeError);
    expect(() => createFft2d(8, 8).forward(new Float64Array(10))).toThrow(RangeError);
  });
});
