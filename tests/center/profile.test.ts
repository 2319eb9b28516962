/**
 * The radial profile against independent references: pyFAI's AzimuthalIntegrator.integrate1d
 * (Debian python3-pyfai, run through /usr/bin/python3 by scripts/fixtures/pyfai_profile.py) and
 * numpy on the real images of ../shared/data with the same center, mask and bins; and analytic
 * patterns. Also its peaks.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CenterError } from '../../src/center/index.js';
import { profilePeaks } from '../../src/center/peaks.js';
import { maxRadius, radialProfile } from '../../src/center/profile.js';
import { openTiff } from '../../src/io/index.js';
import { Rng } from '../synth/rng.js';

const dataDir = path.resolve(process.cwd(), '../shared/data');
const script = path.resolve(process.cwd(), 'scripts/fixtures/pyfai_profile.py');

interface Reference {
  pyfai: { radius: number[]; intensity: number[]; count: number[]; sum: number[] };
  numpy: { count: number[]; mean: (number | null)[]; median: (number | null)[] };
}

async function load(name: string): Promise<{ height: number; width: number; data: ArrayLike<number> }> {
  const bytes = readFileSync(path.join(dataDir, name));
  const tiff = await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return tiff.readFrame(0);
}

function reference(name: string, row: number, col: number, bins: number, binWidth: number): Reference {
  const out = execFileSync(
    '/usr/bin/python3',
    [script, path.join(dataDir, `${name}.tif`), path.join(dataDir, `${name}_mask.tif`), String(row), String(col), String(bins), String(binWidth)],
    { maxBuffer: 1 << 26 }
  );
  return JSON.parse(out.toString()) as Reference;
}

/**
 * Per bin: how many valid pixels lie within `eps` px of the bin's edges, and the sum of their
 * |values|. pyFAI computes radii in float32 (relative error ~6e-8, i.e. < 1e-4 px here), so
 * only these pixels may land in a neighbouring bin there.
 */
function edgePixels(
  image: { height: number; width: number; data: ArrayLike<number> },
  mask: Uint8Array,
  row: number,
  col: number,
  bins: number,
  binWidth: number,
  eps: number
): { count: Uint32Array; abs: Float64Array } {
  const count = new Uint32Array(bins);
  const abs = new Float64Array(bins);
  for (let r = 0; r < image.height; r++) {
    for (let c = 0; c < image.width; c++) {
      const i = r * image.width + c;
      if (!mask[i]) continue;
      const q = Math.hypot(r - row, c - col) / binWidth;
      const k = Math.round(q);
      if (Math.abs(q - k) * binWidth < eps) {
        // Near the edge between bins k - 1 and k: both may differ.
        for (const b of [k - 1, k]) {
          if (b >= 0 && b < bins) {
            count[b]++;
            abs[b] += Math.abs(image.data[i]);
          }
        }
      }
    }
  }
  return { count, abs };
}

const haveData = existsSync(path.join(dataDir, 'graphite.tif')) && existsSync(path.join(dataDir, 'ewald_walkoff_mask.tif'));
let havePyfai = false;
try {
  execFileSync('/usr/bin/python3', ['-c', 'import pyFAI, tifffile'], { stdio: 'pipe' });
  havePyfai = true;
} catch {
  havePyfai = false;
}

// Skipped only where the shared data or Debian's python3-pyfai (scripts/apt-packages.txt) is missing.
(haveData && havePyfai ? describe : describe.skip)('radial profile vs pyFAI integrate1d and numpy (real images)', () => {
  // Centers as the engine finds them (sub-pixel, so few pixels sit exactly on bin edges).
  it.each([
    ['graphite', 556.37, 505.42, 1],
    ['graphite', 556.37, 505.42, 2.5],
    ['ewald_walkoff', 322.61, 134.42, 1]
  ] as const)('%s about (%f, %f), bin width %f', async (name, row, col, binWidth) => {
    const image = await load(`${name}.tif`);
    const maskImage = await load(`${name}_mask.tif`);
    const mask = Uint8Array.from(maskImage.data, v => (v ? 1 : 0));
    const bins = Math.ceil(maxRadius(image.height, image.width, { row, col }) / binWidth) + 1;
    const mean = radialProfile(image, { row, col }, { mask, binWidth, bins });
    const median = radialProfile(image, { row, col }, { mask, binWidth, bins, statistic: 'median' });
    const ref = reference(name, row, col, bins, binWidth);
    const edges = edgePixels(image, mask, row, col, bins, binWidth, 1e-4);
    expect(ref.pyfai.radius).toHaveLength(bins);
    let valid = 0;
    let exactBins = 0;
    for (let k = 0; k < bins; k++) {
      // numpy, float64 like ours: identical counts, means to rounding, identical medians.
      expect(mean.count[k]).toBe(ref.numpy.count[k]);
      const npMean = ref.numpy.mean[k];
      const npMedian = ref.numpy.median[k];
      if (npMean === null) {
        expect(mean.value[k]).toBeNaN();
        expect(median.value[k]).toBeNaN();
      } else {
        expect(Math.abs(mean.value[k] - npMean)).toBeLessThanOrEqual(1e-9 * Math.abs(npMean) + 1e-12);
        expect(median.value[k]).toBe(npMedian);
      }
      // pyFAI: bin middles to float32 precision (1e-4 px).
      expect(Math.abs(mean.radius[k] - ref.pyfai.radius[k])).toBeLessThan(1e-4);
      // Counts and sums differ only by the pixels within 1e-4 px of a bin edge.
      const dCount = Math.abs(mean.count[k] - ref.pyfai.count[k]);
      expect(dCount).toBeLessThanOrEqual(edges.count[k]);
      const sum = mean.count[k] > 0 ? mean.value[k] * mean.count[k] : 0;
      expect(Math.abs(sum - ref.pyfai.sum[k])).toBeLessThanOrEqual(edges.abs[k] + 1e-5 * Math.abs(sum) + 1e-9);
      // Bins without such pixels: the same mean within 1e-4 (relative; pyFAI sums in float32).
      if (mean.count[k] > 0) {
        valid++;
        if (edges.count[k] === 0) {
          exactBins++;
          const py = ref.pyfai.intensity[k];
          expect(Math.abs(mean.value[k] - py)).toBeLessThanOrEqual(1e-4 * Math.abs(py) + 1e-9);
        }
      }
    }
    // The exact comparison is not vacuous: a good share of the bins has no edge pixel.
    expect(exactBins).toBeGreaterThan(0.25 * valid);
  }, 300_000); // python3 + pyFAI start-up and a 1024² loop: seconds alone, minutes on a loaded machine
});

describe('radial profile on analytic patterns', () => {
  it('bins pixels by the distance of their centers (bin k: k w <= r < (k + 1) w)', () => {
    // The image holds each pixel's own radius: every bin's values lie inside the bin, and
    // the mean is close to the middle where the bin is a full annulus.
    const height = 201;
    const width = 180;
    const center = { row: 100.3, col: 89.6 };
    const data = new Float64Array(height * width);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        data[r * width + c] = Math.hypot(r - center.row, c - center.col);
      }
    }
    for (const binWidth of [1, 0.5, 3]) {
      const p = radialProfile({ height, width, data }, center, { binWidth, statistic: 'mean' });
      const m = radialProfile({ height, width, data }, center, { binWidth, statistic: 'median' });
      expect(p.radius.length).toBe(Math.ceil(maxRadius(height, width, center) / binWidth) + 1);
      let total = 0;
      for (let k = 0; k < p.radius.length; k++) {
        total += p.count[k];
        expect(p.radius[k]).toBeCloseTo((k + 0.5) * binWidth, 12);
        if (p.count[k] === 0) continue;
        expect(p.value[k]).toBeGreaterThanOrEqual(k * binWidth);
        expect(p.value[k]).toBeLessThan((k + 1) * binWidth);
        expect(m.value[k]).toBeGreaterThanOrEqual(k * binWidth);
        expect(m.value[k]).toBeLessThan((k + 1) * binWidth);
        const r = p.radius[k];
        if (r > 20 && r < 85) {
          // A full annulus: the mean radius of its pixels is near the bin's middle (the
          // pixels' radii spread over the bin: standard error 0.29 w / sqrt(count), 3.5x here).
          expect(Math.abs(p.value[k] - r)).toBeLessThan(binWidth / Math.sqrt(p.count[k]) + 0.01 * binWidth);
        }
      }
      expect(total).toBe(height * width);
    }
  });

  it('leaves out masked pixels and NaN/Inf, and reports empty bins as NaN with count 0', () => {
    const height = 64;
    const width = 64;
    const center = { row: 31.5, col: 31.5 };
    const data = new Float32Array(height * width).fill(2);
    const mask = new Uint8Array(height * width).fill(1);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const d = Math.hypot(r - center.row, c - center.col);
        if (d >= 10 && d < 12) mask[r * width + c] = 0; // an empty annulus
        if (d >= 20 && d < 21) data[r * width + c] = c < 32 ? 1000 : NaN; // half NaN, half high
        if (c === 0) data[r * width + c] = Infinity;
      }
    }
    const p = radialProfile({ height, width, data }, center, { mask });
    expect(p.count[10]).toBe(0);
    expect(p.count[11]).toBe(0);
    expect(p.value[10]).toBeNaN();
    expect(p.value[20]).toBe(1000);
    expect(p.value[15]).toBe(2);
    const m = radialProfile({ height, width, data }, center, { mask, statistic: 'median' });
    expect(m.value[20]).toBe(1000);
    expect(m.value[11]).toBeNaN();
  });

  it('takes the median of even and odd counts as numpy does', () => {
    // Radii 0, 1, 1.41, 2, ...: bin 1 (1 <= r < 2) of a 3 x 3 image about its middle holds the
    // 8 neighbours.
    const data = new Float64Array([5, 1, 7, 3, 100, 2, 8, 4, 6]);
    const p = radialProfile({ height: 3, width: 3, data }, { row: 1, col: 1 }, { statistic: 'median', bins: 2 });
    expect(Array.from(p.count)).toEqual([1, 8]);
    expect(p.value[0]).toBe(100);
    expect(p.value[1]).toBe((4 + 5) / 2); // sorted 1 2 3 4 5 6 7 8
    const odd = new Uint8Array(9).fill(1);
    odd[0] = 0; // drop the 5: 1 2 3 4 6 7 8 -> 4
    const q = radialProfile({ height: 3, width: 3, data }, { row: 1, col: 1 }, { statistic: 'median', bins: 2, mask: odd });
    expect(q.value[1]).toBe(4);
  });

  it('refuses bad input with typed errors', () => {
    const image = { height: 4, width: 4, data: new Float32Array(16) };
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CenterError);
        return (e as CenterError).code;
      }
      return 'none';
    };
    expect(code(() => radialProfile(image, { row: NaN, col: 1 }))).toBe('invalid-input');
    expect(code(() => radialProfile(image, { row: 1, col: 1 }, { binWidth: 0 }))).toBe('invalid-input');
    expect(code(() => radialProfile(image, { row: 1, col: 1 }, { bins: 2.5 }))).toBe('invalid-input');
    expect(code(() => radialProfile(image, { row: 1, col: 1 }, { mask: new Uint8Array(3) }))).toBe('mask-shape');
    expect(code(() => radialProfile({ height: 4, width: 4, data: new Float32Array(15) }, { row: 1, col: 1 }))).toBe('invalid-input');
  });
});

/**
 * Gaussian rings at `radii` (sigma 1.5 px) on a smooth falling background (or a flat one), with
 * Poisson-like noise.
 */
function rings(
  size: number,
  center: { row: number; col: number },
  radii: number[],
  amplitude: number,
  seed: number,
  flat = false
): Float64Array {
  const rng = new Rng(seed);
  const data = new Float64Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const d = Math.hypot(r - center.row, c - center.col);
      let v = flat ? 200 : 50 + 200 * Math.exp(-d / 80);
      for (const R of radii) v += amplitude * Math.exp(-((d - R) ** 2) / (2 * 1.5 ** 2));
      data[r * size + c] = v + Math.sqrt(v) * rng.normal();
    }
  }
  return data;
}

describe('profile peaks', () => {
  it('finds the rings of an analytic pattern at their radii, and nothing else', () => {
    const radii = [23.4, 41.0, 57.7, 80.2, 118.5];
    const center = { row: 127.2, col: 131.7 };
    for (const seed of [1, 2, 3]) {
      const data = rings(256, center, radii, 40, seed);
      const profile = radialProfile({ height: 256, width: 256, data }, center);
      const peaks = profilePeaks(profile);
      expect(peaks.map(p => p.radius)).toHaveLength(radii.length);
      peaks.forEach((p, i) => expect(Math.abs(p.radius - radii[i])).toBeLessThan(0.3));
    }
  });

  it('finds no peaks (or almost none) in pure noise', () => {
    let falsePeaks = 0;
    const seeds = 20;
    for (const flat of [false, true]) {
      for (let seed = 0; seed < seeds; seed++) {
        const data = rings(192, { row: 95.5, col: 96.2 }, [], 0, 100 + seed, flat);
        falsePeaks += profilePeaks(radialProfile({ height: 192, width: 192, data }, { row: 95.5, col: 96.2 })).length;
      }
    }
    // About 135 bins per profile, 40 profiles: at most one false peak in all of them.
    expect(falsePeaks).toBeLessThanOrEqual(1);
  });

  it('does not hide weak but real rings: a 10 % ring on a steep background is found', () => {
    const center = { row: 100, col: 100 };
    const data = rings(200, center, [60], 0, 7);
    // Add a ring of 10 % of the local background (144 counts, falling 1.2 counts/px) at 60 px,
    // sigma 1.5 px; the per-bin noise is about 0.6 counts.
    for (let r = 0; r < 200; r++) {
      for (let c = 0; c < 200; c++) {
        const d = Math.hypot(r - center.row, c - center.col);
        data[r * 200 + c] += 14 * Math.exp(-((d - 60) ** 2) / (2 * 1.5 ** 2));
      }
    }
    const peaks = profilePeaks(radialProfile({ height: 200, width: 200, data }, center));
    expect(peaks.some(p => Math.abs(p.radius - 60) < 1)).toBe(true);
  });
});
