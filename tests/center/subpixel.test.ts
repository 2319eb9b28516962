import { peakOffset3x3 } from '../../src/center/subpixel.js';

function sample(f: (dr: number, dc: number) => number): Float64Array {
  const v = new Float64Array(9);
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      v[(dr + 1) * 3 + dc + 1] = f(dr, dc);
    }
  }
  return v;
}

describe('sub-pixel peak fit', () => {
  it.each([
    [0.3, -0.2],
    [-0.45, 0.1],
    [0, 0],
    [0.5, 0.5]
  ])('is exact on a Gaussian peak at (%f, %f), even an elliptical rotated one', (y0, x0) => {
    const v = sample((dr, dc) => {
      const y = dr - y0;
      const x = dc - x0;
      return 0.9 * Math.exp(-(1.3 * y * y + 0.8 * x * x + 0.4 * x * y));
    });
    const fit = peakOffset3x3(v);
    expect(fit.model).toBe('gaussian');
    expect(fit.dRow).toBeCloseTo(y0, 10);
    expect(fit.dCol).toBeCloseTo(x0, 10);
  });

  it('is exact on a paraboloid with negative values', () => {
    const y0 = -0.3;
    const x0 = 0.25;
    const v = sample((dr, dc) => 0.2 - 2 * (dr - y0) ** 2 - (dc - x0) ** 2);
    const fit = peakOffset3x3(v);
    expect(fit.model).toBe('paraboloid');
    expect(fit.dRow).toBeCloseTo(y0, 10);
    expect(fit.dCol).toBeCloseTo(x0, 10);
  });

  it('gives no offset when the surface has no maximum', () => {
    const fit = peakOffset3x3(sample((dr, dc) => dr * dr - dc * dc));
    expect(fit.model).toBe('none');
    expect(fit.dRow).toBe(0);
    expect(fit.dCol).toBe(0);
  });
});
