import { boxWidths, estimateBackground, maskedGaussianBlur } from '../../src/center/blur.js';
import { centerOfMassAndCount, maskedCenterOfMass } from '../../src/center/com.js';
import { cropAxis, cropWindow } from '../../src/center/crop.js';
import { makePlane } from '../../src/center/ncc.js';
import { reducePlane, reduceWindow } from '../../src/center/pyramid.js';
import { Rng } from '../synth/rng.js';

describe('masked center of mass', () => {
  it('is a float weighted mean of row and column indices', () => {
    // 3 x 4 image with two pixels: (0, 1) weight 1 and (2, 3) weight 3.
    const data = new Float32Array(12);
    data[1] = 1;
    data[11] = 3;
    const com = maskedCenterOfMass({ height: 3, width: 4, data }, null)!;
    expect(com.row).toBeCloseTo((0 * 1 + 2 * 3) / 4, 12);
    expect(com.col).toBeCloseTo((1 * 1 + 3 * 3) / 4, 12);
  });

  it('ignores masked pixels, negative values and NaN', () => {
    const data = new Float32Array([5, 1, NaN, -7, 0, 2]);
    const mask = new Uint8Array([0, 1, 1, 1, 1, 1]);
    const com = maskedCenterOfMass({ height: 2, width: 3, data }, mask)!;
    // Remaining weights: (0, 1) = 1 and (1, 2) = 2.
    expect(com.row).toBeCloseTo(2 / 3, 12);
    expect(com.col).toBeCloseTo((1 + 2 * 2) / 3, 12);
  });

  it('applies a second mask, counts the valid pixels and finds the same center in one pass', () => {
    const data = new Float32Array([0, 1, 0, 5, 0, 0, 2, 0, 0, 0, 0, 3]);
    const mask = new Uint8Array(12).fill(1);
    mask[0] = 0;
    const given = new Uint8Array(12).fill(1);
    given[3] = 0;
    given[4] = 0;
    const { center, valid } = centerOfMassAndCount({ height: 3, width: 4, data }, mask, given);
    expect(Array.from(mask)).toEqual([0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(valid).toBe(9);
    // Weights 1 at (0, 1), 2 at (1, 2), 3 at (2, 3): the 5 at (0, 3) is masked by `given`.
    expect(center!.row).toBeCloseTo((0 * 1 + 1 * 2 + 2 * 3) / 6, 12);
    expect(center!.col).toBeCloseTo((1 * 1 + 2 * 2 + 3 * 3) / 6, 12);
    expect(maskedCenterOfMass({ height: 3, width: 4, data }, mask)).toEqual(center);
  });

  it('returns null without positive intensity', () => {
    expect(maskedCenterOfMass({ height: 2, width: 2, data: [0, 0, 0, 0] }, null)).toBeNull();
    expect(maskedCenterOfMass({ height: 1, width: 2, data: [3, 4] }, new Uint8Array(2))).toBeNull();
  });
});

describe('symmetric crop', () => {
  it.each([
    [10.2, 30, 10, 21],
    [10.3, 30, 10.5, 22],
    [10.74, 30, 10.5, 22],
    [10.76, 30, 11, 23],
    [25.5, 30, 25.5, 8],
    [0, 30, 0, 1]
  ])('estimate %f in %i pixels -> center %f, size %i', (estimate, length, center, size) => {
    const axis = cropAxis(estimate, length);
    expect(axis.center).toBe(center);
    expect(axis.size).toBe(size);
    expect(axis.origin + (axis.size - 1) / 2).toBe(axis.center);
    expect(axis.origin).toBeGreaterThanOrEqual(0);
    expect(axis.origin + axis.size).toBeLessThanOrEqual(length);
  });

  it('copies the window and its mask', () => {
    const data = Float32Array.from({ length: 20 }, (_, i) => i);
    const mask = new Uint8Array(20).fill(1);
    mask[7] = 0;
    const rows = { origin: 1, size: 2, center: 1.5 };
    const cols = { origin: 1, size: 3, center: 2 };
    const w = cropWindow(data, mask, 5, rows, cols);
    expect(Array.from(w.values)).toEqual([6, 0, 8, 11, 12, 13]);
    expect(Array.from(w.mask)).toEqual([1, 0, 1, 1, 1, 1]);
  });
});

describe('pyramid reduction', () => {
  it.each([
    [16, 16, 8, 8],
    [15, 17, 8, 9],
    [9, 10, 5, 5]
  ])('%i x %i -> %i x %i and keeps point symmetry', (rows, cols, outRows, outCols) => {
    const rng = new Rng(rows * cols);
    const values = new Float64Array(rows * cols);
    for (let i = 0; i < values.length; i++) {
      const j = values.length - 1 - i;
      if (j >= i) {
        values[i] = values[j] = rng.uniform(0, 10);
      }
    }
    const reduced = reducePlane(makePlane(rows, cols, values, new Uint8Array(rows * cols).fill(1)));
    expect(reduced.rows).toBe(outRows);
    expect(reduced.cols).toBe(outCols);
    const n = reduced.x.length;
    for (let i = 0; i < n; i++) {
      expect(reduced.x[i]).toBeCloseTo(reduced.x[n - 1 - i], 4);
    }
  });

  it('leaves masked pixels out of the averages', () => {
    const values = new Float64Array(16).fill(2);
    const mask = new Uint8Array(16).fill(1);
    values[5] = 1000;
    mask[5] = 0;
    const reduced = reducePlane(makePlane(4, 4, values, mask));
    for (let i = 0; i < reduced.x.length; i++) {
      expect(reduced.x[i] + reduced.mean).toBeCloseTo(2, 5);
    }
  });
});

describe('reduceWindow', () => {
  /** A straightforward 2x reduction (the module's definition), as a reference. */
  function referenceReduce(
    rows: number,
    cols: number,
    values: Float64Array,
    mask: Uint8Array
  ): { rows: number; cols: number; values: Float64Array; mask: Uint8Array } {
    const axis = (n: number) =>
      n % 2 === 0
        ? { length: n / 2, first: -1, taps: [1, 3, 3, 1] }
        : { length: (n + 1) / 2, first: -2, taps: [1, 4, 6, 4, 1] };
    const ra = axis(rows);
    const ca = axis(cols);
    const out = new Float64Array(ra.length * ca.length);
    const outMask = new Uint8Array(ra.length * ca.length);
    for (let k = 0; k < ra.length; k++) {
      for (let l = 0; l < ca.length; l++) {
        let sx = 0;
        let sm = 0;
        let total = 0;
        ra.taps.forEach((wr, t) => {
          const r = 2 * k + ra.first + t;
          ca.taps.forEach((wc, u) => {
            const c = 2 * l + ca.first + u;
            if (r >= 0 && r < rows && c >= 0 && c < cols) {
              total += wr * wc;
              if (mask[r * cols + c]) {
                sx += wr * wc * values[r * cols + c];
                sm += wr * wc;
              }
            }
          });
        });
        if (sm >= 0.5 * total && sm > 0) {
          out[k * ca.length + l] = sx / sm;
          outMask[k * ca.length + l] = 1;
        }
      }
    }
    return { rows: ra.length, cols: ca.length, values: out, mask: outMask };
  }

  it.each([
    [40, 40, 1],
    [41, 38, 1],
    [37, 53, 2],
    [64, 61, 2]
  ])('reduces a %i x %i window %i time(s) like the reference, ignoring NaN under the mask', (rows, cols, times) => {
    const rng = new Rng(rows * 100 + cols);
    const width = cols + 9;
    const height = rows + 5;
    const data = new Float32Array(height * width);
    const mask = new Uint8Array(height * width);
    for (let i = 0; i < data.length; i++) {
      const bad = rng.next() < 0.15;
      data[i] = bad ? NaN : rng.uniform(0, 100);
      mask[i] = bad ? 0 : 1;
    }
    const rowAxis = { origin: 3, size: rows, center: 3 + (rows - 1) / 2 };
    const colAxis = { origin: 5, size: cols, center: 5 + (cols - 1) / 2 };
    const got = reduceWindow(data, mask, width, rowAxis, colAxis, times);

    const window = cropWindow(data, mask, width, rowAxis, colAxis);
    let expected = referenceReduce(rows, cols, window.values, window.mask);
    for (let k = 1; k < times; k++) {
      expected = referenceReduce(expected.rows, expected.cols, expected.values, expected.mask);
    }
    expect([got.rows, got.cols]).toEqual([expected.rows, expected.cols]);
    expect(Array.from(got.m)).toEqual(Array.from(expected.mask));
    for (let i = 0; i < got.x.length; i++) {
      if (expected.mask[i]) {
        expect(got.x[i] + got.mean).toBeCloseTo(expected.values[i], 3);
      } else {
        expect(got.x[i]).toBe(0);
      }
    }
    // The same as reducing a plane of the window with reducePlane.
    let plane = makePlane(rows, cols, window.values, window.mask);
    for (let k = 0; k < times; k++) {
      plane = reducePlane(plane);
    }
    for (let i = 0; i < got.x.length; i++) {
      expect(got.x[i] + got.mean).toBeCloseTo(plane.x[i] + plane.mean, 3);
    }
  });
});

describe('Gaussian blur by box cascade', () => {
  it.each([3, 5, 17.5, 40])('the box widths have the variance of sigma = %f', sigma => {
    const widths = boxWidths(sigma);
    expect(widths).toHaveLength(3);
    const variance = widths.reduce((s, w) => s + (w * w - 1) / 12, 0);
    expect(Math.sqrt(variance)).toBeCloseTo(sigma, 0);
    expect(Math.abs(Math.sqrt(variance) - sigma) / sigma).toBeLessThan(0.08);
    widths.forEach(w => expect(w % 2).toBe(1));
  });

  it('spreads a point like a Gaussian of the right width, preserving a flat field', () => {
    const n = 101;
    const values = new Float64Array(n * n);
    values[50 * n + 50] = 1;
    // Normalized convolution of a point against a flat mask: divide by the blurred mask, which
    // is ~1 away from the edges, so the result is the kernel itself.
    const blurred = maskedGaussianBlur(n, n, values, new Uint8Array(n * n).fill(1), 6);
    let sum = 0;
    let second = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const v = blurred[r * n + c];
        sum += v;
        second += v * (r - 50) ** 2;
      }
    }
    expect(sum).toBeCloseTo(1, 3);
    expect(Math.sqrt(second / sum)).toBeCloseTo(6, 0);
    const flat = maskedGaussianBlur(20, 20, new Float64Array(400).fill(3), new Uint8Array(400).fill(1), 4);
    flat.forEach(v => expect(v).toBeCloseTo(3, 9));
  });

  it('fills masked holes from their surroundings', () => {
    const values = new Float64Array(400).fill(5);
    const mask = new Uint8Array(400).fill(1);
    for (let i = 150; i < 170; i++) {
      values[i] = 1e6;
      mask[i] = 0;
    }
    const blurred = maskedGaussianBlur(20, 20, values, mask, 3);
    blurred.forEach(v => expect(v).toBeCloseTo(5, 6));
  });

  it('estimates a smooth background at reduced resolution', () => {
    const rows = 200;
    const cols = 160;
    const values = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        values[r * cols + c] = 100 + 0.5 * r - 0.2 * c;
      }
    }
    const bg = estimateBackground(rows, cols, values, new Uint8Array(rows * cols).fill(1), 12);
    // Away from the edges (where a Gaussian of a linear ramp is the ramp itself).
    for (let r = 40; r < rows - 40; r += 7) {
      for (let c = 40; c < cols - 40; c += 5) {
        expect(Math.abs(bg[r * cols + c] - values[r * cols + c])).toBeLessThan(0.5);
      }
    }
  });
});
