import {
  autoContrast,
  frameStats,
  frameStatsSteps,
  histogram,
  isValidValue,
  validityOf,
  percentiles,
  valueRange
} from '../../src/viewer/contrast.js';

/** numpy's default ("linear") percentile, by sorting: the reference. */
function referencePercentile(values: number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('validity', () => {
  it('rejects NaN and infinities; negatives only of signed integer data (the frame\'s rule)', () => {
    const floats = validityOf(new Float32Array(1));
    expect(isValidValue(0, floats)).toBe(true);
    expect(isValidValue(3.5, floats)).toBe(true);
    expect(isValidValue(NaN, floats)).toBe(false);
    expect(isValidValue(Infinity, floats)).toBe(false);
    expect(isValidValue(-Infinity, floats)).toBe(false);
    expect(isValidValue(-1, floats)).toBe(true);
    expect(isValidValue(-1, validityOf(new Int32Array(1)))).toBe(false);
    expect(isValidValue(-1, validityOf(new Int32Array(1), { maskNegative: false }))).toBe(true);
  });

  it('valueRange skips invalid pixels and counts them', () => {
    // Negative floats are values; negative signed integers are sentinels (unless turned off).
    const data = new Float32Array([NaN, 2, -1, 7, Infinity, 0.5]);
    expect(valueRange(data)).toEqual({ min: -1, max: 7, valid: 4, invalid: 2 });
    const ints = new Int32Array([2, -1, 7, 0]);
    expect(valueRange(ints)).toEqual({ min: 0, max: 7, valid: 3, invalid: 1 });
    expect(valueRange(ints, { maskNegative: false })).toEqual({ min: -1, max: 7, valid: 4, invalid: 0 });
    const none = valueRange(new Float64Array([NaN, NaN]));
    expect(none.valid).toBe(0);
    expect(none.min).toBeNaN();
  });

  it('unsigned data: only the saturation value is invalid', () => {
    expect(valueRange(new Uint16Array([5, 65535, 0]))).toEqual({ min: 0, max: 5, valid: 2, invalid: 1 });
  });
});

describe('histogram', () => {
  it('bins valid values over [lo, hi], the top value in the last bin', () => {
    const data = new Float64Array([0, 0.1, 0.5, 0.99, 1, 2, NaN, -0.5]);
    expect(Array.from(histogram(data, 0, 1, 2))).toEqual([2, 3]);
    expect(Array.from(histogram(data, 0, 1, 2, { maskNegative: false }))).toEqual([2, 3]);
    expect(Array.from(histogram(data, -1, 1, 2, { maskNegative: false }))).toEqual([1, 5]);
  });
});

describe('percentiles', () => {
  it('are exact (numpy linear) for 16-bit integer data', () => {
    const next = rng(1);
    const values: number[] = [];
    const data = new Uint16Array(5001);
    for (let i = 0; i < data.length; i++) {
      data[i] = Math.floor(next() * next() * 60000);
      values.push(data[i]);
    }
    const ps = [0, 0.175, 1, 25, 50, 99.825, 100];
    const got = percentiles(data, ps);
    ps.forEach((p, i) => expect(got[i]).toBeCloseTo(referencePercentile(values, p), 9));
  });

  it('exclude sentinels of signed integer data', () => {
    const data = new Int32Array([-1, -2, 10, 20, 30, 40, -1]);
    expect(percentiles(data, [0, 50, 100])).toEqual([10, 25, 40]);
  });

  it('are within (max - min) / 65536 for float data, NaN excluded', () => {
    const next = rng(7);
    const values: number[] = [];
    const data = new Float64Array(20000);
    for (let i = 0; i < data.length; i++) {
      if (i % 97 === 0) {
        data[i] = NaN;
        continue;
      }
      data[i] = Math.exp(8 * next()) - 1;
      values.push(data[i]);
    }
    const { min, max } = valueRange(data);
    const tolerance = (max - min) / 65536;
    for (const p of [0.175, 5, 50, 95, 99.825]) {
      const [got] = percentiles(data, [p]);
      expect(Math.abs(got - referencePercentile(values, p))).toBeLessThanOrEqual(tolerance);
    }
  });

  it('are NaN when nothing is valid', () => {
    expect(percentiles(new Float32Array([NaN, Infinity]), [50])[0]).toBeNaN();
    expect(percentiles(new Int16Array([-1, -3]), [50])[0]).toBeNaN();
  });
});

describe('autoContrast', () => {
  it('saturates about 0.35 % of the pixels by default', () => {
    const data = new Uint16Array(100000);
    for (let i = 0; i < data.length; i++) data[i] = i % 1000;
    data[0] = 60000; // a hot pixel must not set vmax
    const { vmin, vmax } = autoContrast(data);
    expect(vmin).toBeGreaterThanOrEqual(1);
    expect(vmin).toBeLessThanOrEqual(2);
    expect(vmax).toBeGreaterThanOrEqual(997);
    expect(vmax).toBeLessThanOrEqual(998);
    let below = 0;
    let above = 0;
    for (const v of data) {
      if (v < vmin) below++;
      if (v > vmax) above++;
    }
    expect((below + above) / data.length).toBeLessThan(0.005);
  });

  it('never returns an empty range', () => {
    expect(autoContrast(new Float32Array([3, 3, 3]))).toEqual({ vmin: 3, vmax: 4 });
    expect(autoContrast(new Float32Array([NaN]))).toEqual({ vmin: 0, vmax: 1 });
  });
});

describe('frameStats', () => {
  it('gives the same range and percentiles as the generic path for 16-bit data', () => {
    const next = rng(3);
    const data = new Uint16Array(30000);
    for (let i = 0; i < data.length; i++) data[i] = 200 + Math.floor(next() * next() * 50000);
    const stats = frameStats(data);
    expect(stats.range).toEqual(valueRange(data));
    const ps = [0, 0.175, 50, 99.825, 100];
    expect(percentiles(data, ps, { stats })).toEqual(percentiles(data, ps));
  });

  it('masks negative sentinels of signed 16-bit data (or not), and its saturation', () => {
    const data = new Int16Array([-1, -2, 5, 7, 9, -32768, 32767]);
    const masked = frameStats(data);
    expect(masked.range).toEqual({ min: 5, max: 9, valid: 3, invalid: 4 });
    expect(percentiles(data, [0, 50], { stats: masked })).toEqual([5, 7]);
    const unmasked = frameStats(data, { maskNegative: false });
    expect(unmasked.range).toEqual({ min: -32768, max: 9, valid: 6, invalid: 1 });
    expect(percentiles(data, [50], { stats: unmasked, maskNegative: false })).toEqual([2]);
  });

  it('bins float data once for the percentiles', () => {
    const next = rng(11);
    const data = new Float32Array(10000).map(() => next() * 100);
    data[7] = NaN;
    const stats = frameStats(data);
    expect(stats.range).toEqual(valueRange(data));
    expect(stats.binned).toHaveLength(65536);
    const ps = [0.175, 50, 99.825];
    expect(percentiles(data, ps, { stats })).toEqual(percentiles(data, ps));
  });

  it('exact counts for 32-bit integer detectors with sentinels (Pilatus-like)', () => {
    const data = new Int32Array(5000).map((_, i) => (i % 7 === 0 ? -1 : i % 1000));
    const stats = frameStats(data);
    expect(stats.range).toEqual(valueRange(data));
    expect(stats.counts).toBeDefined();
    expect(percentiles(data, [0, 25, 50, 99], { stats })).toEqual(percentiles(data, [0, 25, 50, 99]));
  });

  it('gives the same result in small steps as at once', () => {
    const next = rng(5);
    const arrays = [
      new Uint16Array(7777).map(() => next() * 60000),
      new Int16Array(7777).map(() => next() * 60000 - 30000),
      new Int32Array(7777).map(() => (next() < 0.01 ? -2 : next() * 5e5)),
      new Float64Array(7777).map(() => (next() < 0.01 ? NaN : next() * 1e-3))
    ];
    for (const data of arrays) {
      const steps = frameStatsSteps(data, {}, 1000);
      let yields = 0;
      let r = steps.next();
      while (!r.done) {
        yields++;
        r = steps.next();
      }
      expect(yields).toBeGreaterThanOrEqual(7);
      expect(r.value).toEqual(frameStats(data));
    }
  });
});
