import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { centerOfMassAndCount } from '../../src/center/com.js';
import { cropPlane } from '../../src/center/crop.js';
import { binnedPlane } from '../../src/center/global.js';
import { hotPixelMask, invalidPixelMask } from '../../src/center/masking.js';
import { makePlane, nccAt, nccMap, type Plane } from '../../src/center/ncc.js';
import { normalizedPlane } from '../../src/center/normalize.js';
import { centerSigma } from '../../src/center/uncertainty.js';
import { PLANES_BYTES, wasmAvailable } from '../../src/center/kernel.js';
import { generatePattern } from '../synth/index.js';
import { expectSameCenter, withoutKernel } from './routes.js';
import { Rng } from '../synth/rng.js';

/**
 * The WebAssembly kernel (src/center/wasm/) against the JavaScript route it replaces
 * (the same functions with the kernel disabled): same values up to rounding, on planes with
 * masked runs of every shape, odd and even sizes, and every shift.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function randomPlane(rows: number, cols: number, seed: number, masked = 0.2): Plane {
  const rng = new Rng(seed);
  const values = Float64Array.from({ length: rows * cols }, () => rng.uniform(-50, 400));
  // Masked runs of 1-12 pixels, and a few whole masked rows.
  const mask = new Uint8Array(rows * cols).fill(1);
  for (let i = 0; i < rows * cols; i++) {
    if (rng.next() < masked / 6) {
      const run = 1 + Math.floor(rng.next() * 12);
      mask.fill(0, i, Math.min(rows * cols, i + run));
    }
  }
  mask.fill(0, cols * Math.floor(rows / 3), cols * Math.floor(rows / 3) + cols);
  return makePlane(rows, cols, values, mask);
}

describe('the WebAssembly kernel', () => {
  it('loads in Node (and so in jest and a Worker)', () => {
    expect(wasmAvailable()).toBe(true);
    expect(withoutKernel(() => wasmAvailable())).toBe(false);
  });

  it('is the compile of its AssemblyScript source (src/center/wasm-binary.ts is not stale)', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'scripts/build-wasm.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8'
    });
    expect(out).toMatch(/matches src\/center\/wasm\/index\.ts \(\d+ bytes\)/);
  });

  it.each([
    [5, 7],
    [16, 16],
    [33, 20],
    [64, 64],
    [97, 130]
  ])('nccMap equals the JavaScript route (%i x %i)', (rows, cols) => {
    const plane = randomPlane(rows, cols, rows * 1000 + cols);
    const compiled = nccMap(plane);
    const script = withoutKernel(() => nccMap(plane));
    expect(compiled.rows).toBe(script.rows);
    expect(compiled.cols).toBe(script.cols);
    let worst = 0;
    let nonZero = 0;
    for (let i = 0; i < script.ncc.length; i++) {
      worst = Math.max(worst, Math.abs(compiled.ncc[i] - script.ncc[i]));
      nonZero += script.ncc[i] !== 0 ? 1 : 0;
    }
    // The overlap guard leaves about the central quarter of the shifts non-zero.
    expect(nonZero).toBeGreaterThan(script.ncc.length / 5);
    expect(worst).toBeLessThan(1e-9);
  });

  it.each([
    [6, 9],
    [12, 12],
    [21, 17]
  ])('nccAt equals the JavaScript route at every shift (%i x %i)', (rows, cols) => {
    const plane = randomPlane(rows, cols, rows + cols, 0.4);
    let worst = 0;
    let compared = 0;
    for (let sr = -(rows - 1); sr <= rows - 1; sr++) {
      for (let sc = -(cols - 1); sc <= cols - 1; sc++) {
        const script = withoutKernel(() => nccAt(plane, sr, sc));
        const compiled = nccAt(plane, sr, sc);
        worst = Math.max(worst, Math.abs(compiled - script));
        compared += script !== 0 ? 1 : 0;
      }
    }
    expect(compared).toBeGreaterThan(10);
    expect(worst).toBeLessThan(1e-12);
  });

  it.each([
    [0.3, -0.45],
    [-2.5, 1.25],
    [4.9, 0]
  ])('centerSigma (residual statistics) equals the JavaScript route at shift (%f, %f)', (sr, sc) => {
    // A smooth pattern with noise, so that the residual has a correlation length to measure.
    const rows = 61;
    const cols = 54;
    const rng = new Rng(3);
    const values = Float64Array.from({ length: rows * cols }, (_, i) => {
      const r = Math.floor(i / cols) - 30.2;
      const c = (i % cols) - 26.7;
      return 100 * Math.exp(-(r * r + c * c) / 200) + rng.uniform(0, 5);
    });
    const mask = new Uint8Array(rows * cols).fill(1);
    mask.fill(0, 5 * cols + 3, 5 * cols + 20);
    const plane = makePlane(rows, cols, values, mask);
    const compiled = centerSigma(plane, sr, sc);
    const script = withoutKernel(() => centerSigma(plane, sr, sc));
    expect(compiled.overlap).toBe(script.overlap);
    expect(script.overlap).toBeGreaterThan(1000);
    expect(script.correlationArea).toBeGreaterThan(1);
    expect(Math.abs(compiled.correlationArea / script.correlationArea - 1)).toBeLessThan(1e-9);
    for (const k of [0, 1]) {
      expect(Math.abs(compiled.sigma[k] / script.sigma[k] - 1)).toBeLessThan(1e-9);
    }
  });

  it.each([
    [40, 33, 2.5],
    [90, 120, 6],
    [257, 200, 10.3],
    [300, 300, 40]
  ])('normalizedPlane equals the JavaScript route (%i x %i, sigma %f)', (rows, cols, sigma) => {
    // A walk-off-like gradient under the values, so that the background matters.
    const base = randomPlane(rows, cols, rows + 7, 0.3);
    const values = Float64Array.from(base.x, (v, i) => v + base.mean + 3 * (i % cols) + 2 * Math.floor(i / cols));
    const plane = makePlane(rows, cols, values, base.m);
    const compiled = normalizedPlane(plane, sigma);
    const script = withoutKernel(() => normalizedPlane(plane, sigma));
    expect(compiled.valid).toBe(script.valid);
    expect(compiled.m).toBe(plane.m);
    expect(Math.abs(compiled.mean - script.mean)).toBeLessThan(1e-9 * Math.max(1, Math.abs(script.mean)));
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < script.x.length; i++) {
      scale = Math.max(scale, Math.abs(script.x[i]));
      worst = Math.max(worst, Math.abs(compiled.x[i] - script.x[i]));
    }
    expect(scale).toBeGreaterThan(0.1);
    // Both store float32: at most a rounding step of the largest value apart.
    expect(worst).toBeLessThanOrEqual(scale * 2 ** -22);
  });

  /** An image of `kind` samples with NaN, infinities, negatives and zeros among them. */
  function sampleImage(kind: string, height: number, width: number, seed: number) {
    const rng = new Rng(seed);
    const values = Array.from({ length: height * width }, () => {
      const u = rng.next();
      return u < 0.01 ? NaN : u < 0.015 ? Infinity : u < 0.05 ? -3 : u < 0.1 ? 0 : Math.round(rng.uniform(0, 4000));
    });
    const integer = values.map(v => (Number.isFinite(v) && v > 0 ? v : 0));
    const data =
      kind === 'uint16'
        ? Uint16Array.from(integer)
        : kind === 'float32'
          ? Float32Array.from(values)
          : kind === 'float64'
            ? Float64Array.from(values)
            : values;
    const mask = Uint8Array.from({ length: height * width }, () => (rng.next() < 0.85 ? 1 : 0));
    const given = Uint8Array.from({ length: height * width }, () => (rng.next() < 0.9 ? 1 : 0));
    return { image: { height, width, data }, mask, given };
  }

  it.each([
    ['uint16', 37, 29],
    ['float32', 700, 500],
    ['float64', 64, 64],
    ['plain array', 20, 45]
  ])('centerOfMassAndCount equals the JavaScript route (%s, %i x %i)', (kind, height, width) => {
    // 700 x 500 spans two chunks of rows, the second shorter.
    const { image, mask, given } = sampleImage(kind, height, width, height + width);
    for (const [m, g] of [
      [mask, given],
      [mask, null],
      [null, given],
      [null, null]
    ] as [Uint8Array | null, Uint8Array | null][]) {
      const mc = m && m.slice();
      const ms = m && m.slice();
      const compiled = centerOfMassAndCount(image, mc, g);
      const script = withoutKernel(() => centerOfMassAndCount(image, ms, g));
      expect(compiled.valid).toBe(script.valid);
      expect(script.center).not.toBeNull();
      expect(compiled.center!.row).toBeCloseTo(script.center!.row, 9);
      expect(compiled.center!.col).toBeCloseTo(script.center!.col, 9);
      expect(mc).toEqual(ms);
      if (m && g) {
        expect(mc).not.toEqual(m);
      }
    }
  });

  it.each([
    ['uint16', { origin: 3, size: 21 }, { origin: 0, size: 17 }],
    ['float64', { origin: 10, size: 40 }, { origin: 7, size: 31 }],
    ['plain array', { origin: 0, size: 37 }, { origin: 8, size: 20 }]
  ])('cropPlane equals the JavaScript route (%s)', (kind, rowAxis, colAxis) => {
    const { image, mask } = sampleImage(kind, 60, 50, 11);
    // Masked where not finite, as the engine's automatic mask does.
    const valid = mask.map((v, i) => (v && Number.isFinite(image.data[i]) ? 1 : 0));
    const rows = { ...rowAxis, center: rowAxis.origin + (rowAxis.size - 1) / 2 };
    const cols = { ...colAxis, center: colAxis.origin + (colAxis.size - 1) / 2 };
    const compiled = cropPlane(image.data, valid, image.width, rows, cols);
    const script = withoutKernel(() => cropPlane(image.data, valid, image.width, rows, cols));
    expect(compiled.valid).toBe(script.valid);
    expect(compiled.valid).toBeGreaterThan(rowAxis.size * colAxis.size * 0.5);
    expect(compiled.mean).toBe(script.mean);
    expect(compiled.x).toEqual(script.x);
    expect(compiled.m).toEqual(script.m);
  });

  it('hotPixelMask equals the JavaScript route on an image read in several chunks', () => {
    // 600 x 500 pixels: the kernel converts them in two chunks (the second shorter).
    const p = generatePattern({ kind: 'rings', height: 600, width: 500, seed: 4, hotPixels: 40, sampleType: 'uint16' });
    const valid = invalidPixelMask(p.image);
    const compiled = hotPixelMask(p.image, valid);
    const script = withoutKernel(() => hotPixelMask(p.image, valid));
    expect(compiled).toEqual(script);
    const hot = script.reduce((n, v, i) => n + (valid[i] && !v ? 1 : 0), 0);
    expect(hot).toBeGreaterThanOrEqual(30);
  });

  it('makePlane equals the JavaScript route (byte masks go to the kernel)', () => {
    const { image, mask } = sampleImage('float32', 33, 41, 8);
    const valid = mask.map((v, i) => (v && Number.isFinite(image.data[i]) ? (i % 5 === 0 ? 7 : 1) : 0));
    const compiled = makePlane(33, 41, image.data, valid);
    const script = withoutKernel(() => makePlane(33, 41, image.data, valid));
    expect(compiled.valid).toBe(script.valid);
    expect(compiled.valid).toBeGreaterThan(33 * 41 * 0.6);
    expect(compiled.mean).toBe(script.mean);
    expect(compiled.x).toEqual(script.x);
    expect(compiled.m).toEqual(script.m);
  });

  it.each([
    ['uint16', 2],
    ['float64', 5],
    ['plain array', 3]
  ])('binnedPlane equals the JavaScript route (%s, blocks of %i)', (kind, block) => {
    const { image, mask } = sampleImage(kind, 61, 47, block);
    const valid = mask.map((v, i) => (v && Number.isFinite(image.data[i]) ? 1 : 0));
    const compiled = binnedPlane(image, valid, block);
    const script = withoutKernel(() => binnedPlane(image, valid, block));
    expect(compiled.rowCenter).toBe(script.rowCenter);
    expect(compiled.colCenter).toBe(script.colCenter);
    expect(compiled.plane.rows).toBe(Math.floor(61 / block));
    expect(compiled.plane.valid).toBe(script.plane.valid);
    expect(compiled.plane.valid).toBeGreaterThan(0.5 * compiled.plane.rows * compiled.plane.cols);
    expect(compiled.plane.mean).toBe(script.plane.mean);
    expect(compiled.plane.x).toEqual(script.plane.x);
    expect(compiled.plane.m).toEqual(script.plane.m);
  });

  it('keeps planes resident until its plane space is full, then makes them again', () => {
    // Each 512 x 512 plane takes about 7 MB of the kernel's plane space: six overflow it.
    const planes = Array.from({ length: 6 }, (_, k) => randomPlane(512, 512, 77 + k, 0.1));
    const shifts = [
      [0, 0],
      [-37, 12],
      [101, -250]
    ];
    const first = shifts.map(([sr, sc]) => nccAt(planes[0], sr, sc));
    for (const plane of planes) {
      for (const [sr, sc] of shifts) {
        expect(Math.abs(nccAt(plane, sr, sc) - withoutKernel(() => nccAt(plane, sr, sc)))).toBeLessThan(1e-12);
      }
    }
    // planes[0] was dropped and is made again from its arrays: the same values.
    expect(shifts.map(([sr, sc]) => nccAt(planes[0], sr, sc))).toEqual(first);
  });

  it('leaves planes larger than its plane space to the JavaScript route', () => {
    const side = Math.ceil(Math.sqrt(PLANES_BYTES / 16));
    const plane = randomPlane(side, side, 5, 0.05);
    expect(nccAt(plane, 3, -4)).toBe(withoutKernel(() => nccAt(plane, 3, -4)));
  });

  it('finds the same center as the JavaScript route', () => {
    const p = generatePattern({
      kind: 'hexagonal',
      height: 300,
      width: 280,
      seed: 9,
      center: { row: 160.3, col: 131.8 },
      noise: true,
      hotPixels: 8,
      beamBlock: { side: 'left' }
    });
    expectSameCenter(p, 0.1);
  });
});
