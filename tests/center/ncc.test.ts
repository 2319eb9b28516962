import { makePlane, nccAt, nccMap, nccMapTransient, OVERLAP_RATIO } from '../../src/center/ncc.js';
import { nccAtMemo } from '../../src/center/ncc-memo.js';
import { withoutKernel } from './routes.js';
import { Rng } from '../synth/rng.js';

/**
 * NCC by the textbook definition, written independently of the engine: rotate the image and
 * mask by 180 degrees, shift the rotated copy by s, and correlate over the common valid pixels.
 */
function bruteForce(
  rows: number,
  cols: number,
  values: Float64Array,
  mask: Uint8Array,
  sr: number,
  sc: number
): { ncc: number; n: number } {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // moving(r, c) = rotated(r - sr, c - sc) = image(rows - 1 - r + sr, cols - 1 - c + sc)
      const rr = rows - 1 - r + sr;
      const cc = cols - 1 - c + sc;
      if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) {
        continue;
      }
      if (mask[r * cols + c] && mask[rr * cols + cc]) {
        a.push(values[r * cols + c]);
        b.push(values[rr * cols + cc]);
      }
    }
  }
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return { ncc: num / Math.sqrt(va * vb), n };
}

function randomCase(rows: number, cols: number, seed: number) {
  const rng = new Rng(seed);
  const values = Float64Array.from({ length: rows * cols }, () => rng.uniform(0, 100));
  const mask = Uint8Array.from({ length: rows * cols }, () => (rng.next() < 0.8 ? 1 : 0));
  return { values, mask };
}

describe('masked NCC with the inverted image', () => {
  it.each([
    [7, 9],
    [8, 8],
    [6, 11]
  ])('direct sums match the definition (%i x %i, random mask)', (rows, cols) => {
    const { values, mask } = randomCase(rows, cols, rows * cols);
    const plane = makePlane(rows, cols, values, mask);
    for (let sr = -(rows - 1); sr <= rows - 1; sr++) {
      for (let sc = -(cols - 1); sc <= cols - 1; sc++) {
        const expected = bruteForce(rows, cols, values, mask, sr, sc);
        const got = nccAt(plane, sr, sc);
        if (expected.n >= OVERLAP_RATIO * plane.valid && expected.n > 1) {
          expect(got).toBeCloseTo(expected.ncc, 5);
        } else {
          expect(got).toBe(0);
        }
      }
    }
  });

  it.each([
    [7, 9],
    [8, 8],
    [13, 6]
  ])('the FFT map matches the direct sums at every shift (%i x %i)', (rows, cols) => {
    const { values, mask } = randomCase(rows, cols, 1000 + rows * cols);
    const plane = makePlane(rows, cols, values, mask);
    const map = nccMap(plane);
    expect(map.rows).toBe(2 * rows - 1);
    expect(map.cols).toBe(2 * cols - 1);
    for (let qr = 0; qr < map.rows; qr++) {
      for (let qc = 0; qc < map.cols; qc++) {
        const direct = nccAt(plane, qr - (rows - 1), qc - (cols - 1));
        expect(map.ncc[qr * map.cols + qc]).toBeCloseTo(direct, 4);
      }
    }
  });

  it('peaks at 1 for zero shift on a point-symmetric image', () => {
    const rows = 9;
    const cols = 8;
    const rng = new Rng(3);
    const values = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const j = (rows - 1 - r) * cols + (cols - 1 - c);
        if (j >= i) {
          values[i] = values[j] = rng.uniform(0, 10);
        }
      }
    }
    const plane = makePlane(rows, cols, values, new Uint8Array(rows * cols).fill(1));
    expect(nccAt(plane, 0, 0)).toBeCloseTo(1, 6);
    expect(nccAt(plane, 1, 0)).toBeLessThan(0.99);
  });

  it('the transient map holds the map of its last call; the remembered NCC is the NCC', () => {
    const a = randomCase(7, 9, 4242);
    const b = randomCase(8, 6, 4343);
    const planeA = makePlane(7, 9, a.values, a.mask);
    const planeB = makePlane(8, 6, b.values, b.mask);
    for (const plane of [planeA, planeB, planeA]) {
      const fresh = nccMap(plane);
      const transient = nccMapTransient(plane);
      expect(transient.rows).toBe(fresh.rows);
      expect(transient.cols).toBe(fresh.cols);
      expect(Array.from(transient.ncc)).toEqual(Array.from(fresh.ncc));
    }
    // A fresh map is its caller's own: a later transient map of another plane leaves it alone.
    const kept = nccMap(planeA);
    const copy = Array.from(kept.ncc);
    nccMapTransient(planeB);
    expect(Array.from(kept.ncc)).toEqual(copy);
    for (let sr = -6; sr <= 6; sr++) {
      for (let sc = -8; sc <= 8; sc++) {
        expect(nccAtMemo(planeA, sr, sc)).toBe(nccAt(planeA, sr, sc));
        expect(nccAtMemo(planeA, sr, sc)).toBe(nccAt(planeA, sr, sc));
      }
    }
  });
});

describe('makePlane into reused buffers', () => {
  it.each([
    ['kernel', (run: () => void) => run()],
    ['JavaScript', (run: () => void) => withoutKernel(run)]
  ] as const)('writes over the given arrays and gives the plane a new array would (%s route)', (_route, route) => {
    const rng = new Rng(5);
    const into = { x: new Float32Array(40 * 40).fill(7), m: new Float32Array(40 * 40).fill(7) };
    for (const [rows, cols] of [
      [40, 40],
      [23, 31]
    ]) {
      const values = Float64Array.from({ length: rows * cols }, () => rng.uniform(0, 100));
      const mask = Uint8Array.from({ length: rows * cols }, () => (rng.uniform(0, 1) < 0.8 ? 1 : 0));
      route(() => {
        const fresh = makePlane(rows, cols, values, mask);
        const reused = makePlane(rows, cols, values, mask, into);
        expect(reused.x.buffer).toBe(into.x.buffer);
        expect(reused.m.buffer).toBe(into.m.buffer);
        expect([reused.valid, reused.mean]).toEqual([fresh.valid, fresh.mean]);
        expect(Array.from(reused.x)).toEqual(Array.from(fresh.x));
        expect(Array.from(reused.m)).toEqual(Array.from(fresh.m));
        // The reused plane correlates as the fresh one (a resident copy of the earlier plane made
        // into the same arrays is not taken for it).
        expect(nccAt(reused, 2, -3)).toBe(nccAt(fresh, 2, -3));
      });
    }
  });
});
