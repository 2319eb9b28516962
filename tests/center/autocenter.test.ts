import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { autocenter, CenterError } from '../../src/center/index.js';
import { cropAxis, cropWindow } from '../../src/center/crop.js';
import { makePlane } from '../../src/center/ncc.js';
import { searchFast, searchReference } from '../../src/center/search.js';
import { openTiff } from '../../src/io/index.js';
import { generatePattern, type SynthOptions } from '../synth/index.js';

const dataDir = path.resolve(process.cwd(), '../shared/data');

function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CenterError);
    return (error as CenterError).code;
  }
  throw new Error('expected a CenterError');
}

describe('reflection bookkeeping: center = crop center + shift / 2', () => {
  // Odd and even crop sizes on both axes, true centers at integer, half and quarter positions.
  it.each([
    [64.0, 64.0],
    [64.5, 64.0],
    [64.0, 64.5],
    [64.25, 63.75],
    [63.6, 64.4]
  ])('true center (%f, %f)', (row, col) => {
    const p = generatePattern({ kind: 'rings', height: 129, width: 130, center: { row, col }, noise: false, seed: 5 });
    const mask = new Uint8Array(p.image.data.length).fill(1);
    for (const [er, ec] of [
      [63.0, 63.0],
      [63.5, 65.5],
      [65.0, 62.5],
      [62.5, 63.5]
    ]) {
      const rows = cropAxis(er, 129);
      const cols = cropAxis(ec, 130);
      const w = cropWindow(p.image.data, mask, 130, rows, cols);
      const plane = makePlane(rows.size, cols.size, w.values, w.mask);
      for (const peak of [searchReference(plane), searchFast(plane)]) {
        expect(rows.center + peak.shiftRow / 2).toBeCloseTo(row, 1);
        expect(cols.center + peak.shiftCol / 2).toBeCloseTo(col, 1);
        expect(Math.abs(rows.center + peak.shiftRow / 2 - row)).toBeLessThan(0.03);
        expect(Math.abs(cols.center + peak.shiftCol / 2 - col)).toBeLessThan(0.03);
      }
    }
  });
});

describe('autocenter on synthetic patterns with known sub-pixel centers', () => {
  const cases: [string, SynthOptions][] = [
    ['rings, clean', { kind: 'rings', height: 200, width: 211, center: { row: 97.3, col: 110.8 }, noise: false }],
    ['rings, Poisson', { kind: 'rings', height: 256, center: { row: 140.5, col: 120.25 } }],
    ['hexagonal, Poisson', { kind: 'hexagonal', height: 256, center: { row: 120.1, col: 131.6 } }],
    ['square, Poisson', { kind: 'square', height: 240, width: 256, center: { row: 118.0, col: 129.5 } }],
    [
      'hexagonal, beam block from the left, 16 hot pixels, gaps',
      {
        kind: 'hexagonal',
        height: 256,
        center: { row: 131.4, col: 125.7 },
        beamBlock: { side: 'left' },
        hotPixels: 16,
        gaps: { module: 60, width: 3 }
      }
    ],
    [
      'rings, far off-center, walk-off',
      { kind: 'rings', height: 256, center: { row: 80.2, col: 170.9 }, walkOff: 0.4 }
    ]
  ];

  it.each(cases)('%s', (_name, options) => {
    const p = generatePattern({ seed: 21, ...options });
    const fast = autocenter(p.image, { mask: p.mask });
    expect(Math.abs(fast.row - p.center.row)).toBeLessThan(0.1);
    expect(Math.abs(fast.col - p.center.col)).toBeLessThan(0.1);
    expect(fast.score).toBeGreaterThan(0.5);
    expect(fast.route).toBe('fast');
    expect(fast.iterations).toBeGreaterThanOrEqual(1);
    expect(fast.ms).toBeGreaterThan(0);
    const reference = autocenter(p.image, { mask: p.mask, route: 'reference' });
    expect(reference.route).toBe('reference');
    expect(Math.abs(reference.row - fast.row)).toBeLessThan(0.02);
    expect(Math.abs(reference.col - fast.col)).toBeLessThan(0.02);
  });

  it('masks hot pixels by itself (a single 60000-count pixel does not move the center)', () => {
    const p = generatePattern({ kind: 'rings', height: 256, seed: 3, hotPixels: 1, center: { row: 130.3, col: 125.6 } });
    const r = autocenter(p.image);
    expect(r.maskedPixels).toBeGreaterThanOrEqual(1);
    expect(Math.abs(r.row - p.center.row)).toBeLessThan(0.1);
    expect(Math.abs(r.col - p.center.col)).toBeLessThan(0.1);
  });

  it('masks detector gaps (-1 in signed integer data, as Pilatus writes them) by itself', () => {
    const p = generatePattern({ kind: 'square', height: 256, seed: 8, sampleType: 'int32', gaps: { module: 50, width: 4 }, center: { row: 127.7, col: 129.2 } });
    const r = autocenter(p.image);
    expect(Math.abs(r.row - p.center.row)).toBeLessThan(0.1);
    expect(Math.abs(r.col - p.center.col)).toBeLessThan(0.1);
  });

  it('does not depend on the field of view', () => {
    const p = generatePattern({ kind: 'hexagonal', height: 300, seed: 9, center: { row: 151.2, col: 148.7 } });
    const found: { row: number; col: number }[] = [];
    for (const [dr, dc] of [
      [0, 0],
      [13, 0],
      [0, 21],
      [27, 9],
      [5, 33]
    ]) {
      const height = 300 - 40;
      const width = 300 - 40;
      const data = new Float32Array(height * width);
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          data[r * width + c] = p.image.data[(r + dr) * 300 + c + dc];
        }
      }
      const r = autocenter({ height, width, data });
      found.push({ row: r.row + dr, col: r.col + dc });
    }
    for (const f of found) {
      expect(Math.abs(f.row - p.center.row)).toBeLessThan(0.1);
      expect(Math.abs(f.col - p.center.col)).toBeLessThan(0.1);
    }
    const spread = Math.max(...found.map(f => f.row)) - Math.min(...found.map(f => f.row));
    expect(spread).toBeLessThan(0.1);
  });

  it('reports progress and can be cancelled', () => {
    const p = generatePattern({ kind: 'rings', height: 128, seed: 1 });
    const fractions: number[] = [];
    autocenter(p.image, { onProgress: (_stage, f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions[fractions.length - 1]).toBe(1);
    for (let i = 1; i < fractions.length; i++) {
      expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    }
    const signal = { aborted: false };
    expect(
      errorCode(() =>
        autocenter(p.image, {
          signal,
          onProgress: stage => {
            if (stage === 'correlate') {
              signal.aborted = true;
            }
          }
        })
      )
    ).toBe('cancelled');
  });

  it('honours normalizeBackground on/off and reports it', () => {
    const p = generatePattern({ kind: 'rings', height: 128, seed: 2 });
    expect(autocenter(p.image, { normalizeBackground: true }).normalizedBackground).toBe(true);
    expect(autocenter(p.image, { normalizeBackground: false }).normalizedBackground).toBe(false);
  });

  it("'auto' keeps the raw data when both representations find the same center and raw correlates better", () => {
    // A clean hexagonal lattice without background: normalization has nothing to correct.
    const p = generatePattern({ kind: 'hexagonal', height: 700, seed: 12, center: { row: 340.3, col: 362.8 } });
    const auto = autocenter(p.image);
    const raw = autocenter(p.image, { normalizeBackground: false });
    expect(auto.normalizedBackground).toBe(false);
    expect([auto.row, auto.col, auto.score]).toEqual([raw.row, raw.col, raw.score]);
    expect(Math.hypot(auto.row - 340.3, auto.col - 362.8)).toBeLessThan(0.05);
  });

  it("'auto' normalizes a walk-off background (the normalized data correlate better)", () => {
    const p = generatePattern({ kind: 'hexagonal', height: 600, seed: 5, center: { row: 280.6, col: 310.2 }, walkOff: 0.8 });
    const auto = autocenter(p.image);
    const normalized = autocenter(p.image, { normalizeBackground: true });
    expect(auto.normalizedBackground).toBe(true);
    expect([auto.row, auto.col]).toEqual([normalized.row, normalized.col]);
    expect(Math.hypot(auto.row - 280.6, auto.col - 310.2)).toBeLessThan(0.02);
  });
});

describe('lattice ties', () => {
  // Cases of further benchmark seeds that ended on false lattice points before undecided
  // candidates (best two within DECISIVE_MARGIN) were compared again one level finer.
  const cases: {
    name: string;
    options: SynthOptions;
    representations: readonly ('auto' | boolean)[];
  }[] = [
    {
      // Decided at 4x reduction alone: 47.7 px away (best two coarse candidates 0.883 and 0.840).
      // Background-normalized alone it still lands on the false point; 'auto' keeps raw.
      name: 'coarse pass at 4x: square lattice, beam block, far off-center',
      options: {
        kind: 'square',
        height: 1024,
        width: 1024,
        center: { row: 720.1626499891281, col: 270.21754574775696 },
        seed: 836,
        noise: true,
        intensity: 4604.8,
        beamBlock: { side: 'top' },
        hotPixels: 38,
        gaps: { module: 174, width: 3, value: -1 }
      },
      representations: ['auto', false]
    },
    {
      // Decided at 2x reduction alone: 225.7 px away.
      name: 'coarse pass at 2x, compared again at full resolution: square lattice, strong walk-off',
      options: {
        kind: 'square',
        height: 640,
        width: 640,
        center: { row: 264.3027650564909, col: 189.00788396596909 },
        seed: 848,
        noise: true,
        intensity: 2585.211055004038,
        beamBlock: { side: 'right' },
        walkOff: 0.45843628942966463,
        hotPixels: 4
      },
      representations: ['auto', false, true]
    },
    {
      // At 4x the true center was only the 19th of 40 near-equal map maxima (0.750 vs 0.797), so
      // the 10 candidates kept missed it: 101.8 px away. The map is now made again at 2x.
      name: 'undecided coarse map made again one level finer: hexagonal, walk-off',
      options: {
        kind: 'hexagonal',
        height: 448,
        width: 448,
        center: { row: 186.047731526196, col: 318.53409446775913 },
        seed: 4243,
        noise: true,
        intensity: 4350.0084368744865,
        beamBlock: { side: 'right' },
        walkOff: 0.15924790659919383,
        hotPixels: 14
      },
      representations: ['auto', false, true]
    }
  ];

  cases.push({
    // Coarse maps at most 16x coarser than the crop: from a map 32x coarser the raw track
    // ended 942 px away (seed 4242 of the benchmark cases, #124), and 'auto' kept it.
    name: 'coarsest map at most 16x below the crop: hexagonal 2048², walk-off',
    options: {
      kind: 'hexagonal',
      height: 2048,
      width: 2048,
      center: { row: 730.8694794178009, col: 1155.6522452831268 },
      seed: 4366,
      noise: true,
      intensity: 1484.082704805769,
      beamBlock: { side: 'top' },
      walkOff: 0.31771989315748217,
      hotPixels: 2
    },
    representations: ['auto', false]
  });

  it.each(cases)('$name', ({ options, representations }) => {
    const p = generatePattern(options);
    for (const normalizeBackground of representations) {
      const r = autocenter(p.image, { mask: p.mask, normalizeBackground });
      expect(Math.hypot(r.row - p.center.row, r.col - p.center.col)).toBeLessThan(0.05);
    }
  });
});

describe('autocenter error paths', () => {
  const ok = generatePattern({ kind: 'rings', height: 64, seed: 1 }).image;

  it('all masked', () => {
    expect(errorCode(() => autocenter(ok, { mask: new Uint8Array(64 * 64) }))).toBe('all-masked');
  });
  it('all zero', () => {
    expect(errorCode(() => autocenter({ height: 32, width: 32, data: new Float32Array(1024) }))).toBe('no-signal');
  });
  it('mask shape mismatch', () => {
    expect(errorCode(() => autocenter(ok, { mask: new Uint8Array(10) }))).toBe('mask-shape');
  });
  it('1 x 1', () => {
    expect(errorCode(() => autocenter({ height: 1, width: 1, data: [5] }))).toBe('too-small');
  });
  it('NaN only', () => {
    expect(errorCode(() => autocenter({ height: 16, width: 16, data: new Float64Array(256).fill(NaN) }))).toBe('all-masked');
  });
  it('empty', () => {
    expect(errorCode(() => autocenter({ height: 0, width: 0, data: [] }))).toBe('empty-image');
  });
  it('data of the wrong length', () => {
    expect(errorCode(() => autocenter({ height: 4, width: 4, data: [1, 2, 3] }))).toBe('invalid-input');
  });
  it('a pattern in a corner', () => {
    const data = new Float32Array(64 * 64);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        data[r * 64 + c] = 100;
      }
    }
    expect(errorCode(() => autocenter({ height: 64, width: 64, data }))).toBe('too-small');
  });
});

describe('real images (../shared/data)', () => {
  async function load(name: string) {
    const file = path.join(dataDir, name);
    if (!existsSync(file)) {
      throw new Error(`missing test data ${file}: the shared data folder must be present`);
    }
    const bytes = readFileSync(file);
    const tiff = await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    return tiff.readFrame(0);
  }

  it.each([
    ['graphite', 557.0, 506.0, 1.5],
    ['ewald_walkoff', 323.0, 135.0, 2]
  ])('%s + mask lands within tolerance of the reference', async (name, row, col, tolerance) => {
    const image = await load(`${name}.tif`);
    const maskImage = await load(`${name}_mask.tif`);
    const mask = Uint8Array.from(maskImage.data as ArrayLike<number>, v => (v ? 1 : 0));
    const r = autocenter(image, { mask });
    expect(Math.hypot(r.row - row, r.col - col)).toBeLessThan(tolerance);
    if (image.width > 512) {
      return; // the full-resolution reference route is compared in the benchmark
    }
    const reference = autocenter(image, { mask, route: 'reference' });
    expect(Math.abs(reference.row - r.row)).toBeLessThan(0.05);
    expect(Math.abs(reference.col - r.col)).toBeLessThan(0.05);
  });
});
