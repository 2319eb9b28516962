import type { CropAxis } from '../../src/center/crop.js';
import { makePlane, type Plane } from '../../src/center/ncc.js';
import { reducePlane, reduceWindow } from '../../src/center/pyramid.js';
import { wasmAvailable } from '../../src/center/kernel.js';
import { wasmReduce } from '../../src/center/wasm-image.js';
import { generatePattern } from '../synth/index.js';
import { expectSameCenter, withoutKernel } from './routes.js';
import { Rng } from '../synth/rng.js';

/**
 * pyramid.ts's reductions in the WebAssembly kernel (src/center/wasm/pyramid.ts) against the
 * JavaScript route (the kernel disabled): the same planes, for every sample type the image may
 * come in, odd and even windows away from the image's origin, masks with runs and holes.
 */

type SampleType = 'Uint16Array' | 'Float32Array' | 'Float64Array' | 'number[]';

/** An image of `height` x `width` in the given sample type and its 0/1 mask. */
function randomImage(
  height: number,
  width: number,
  type: SampleType,
  seed: number
): { data: ArrayLike<number>; mask: Uint8Array } {
  const rng = new Rng(seed);
  const values = Array.from({ length: height * width }, (_, i) => {
    const r = Math.floor(i / width) - height / 2;
    const c = (i % width) - width / 3;
    return 3000 * Math.exp(-(r * r + c * c) / 400) + rng.uniform(0, 900);
  });
  // Masked runs of 1-20 pixels, a rectangular hole and a masked column.
  const mask = new Uint8Array(height * width).fill(1);
  for (let i = 0; i < mask.length; i++) {
    if (rng.next() < 0.03) {
      mask.fill(0, i, Math.min(mask.length, i + 1 + Math.floor(rng.next() * 20)));
    }
  }
  for (let r = Math.floor(height / 3); r < Math.floor(height / 3) + 7; r++) {
    mask.fill(0, r * width + Math.floor(width / 4), r * width + Math.floor(width / 4) + 11);
  }
  for (let r = 0; r < height; r++) {
    mask[r * width + Math.floor(width / 2)] = 0;
  }
  const data =
    type === 'Uint16Array'
      ? Uint16Array.from(values, v => Math.round(v))
      : type === 'Float32Array'
        ? Float32Array.from(values, (v, i) => (mask[i] ? v : NaN))
        : type === 'Float64Array'
          ? Float64Array.from(values, (v, i) => (mask[i] ? v : NaN))
          : values;
  return { data, mask };
}

function axis(origin: number, size: number): CropAxis {
  return { origin, size, center: origin + (size - 1) / 2 };
}

/** Largest |x| difference relative to the values' scale; masks, counts and means must agree. */
function expectSamePlane(compiled: Plane, script: Plane): void {
  expect([compiled.rows, compiled.cols]).toEqual([script.rows, script.cols]);
  expect(Array.from(compiled.m)).toEqual(Array.from(script.m));
  expect(compiled.valid).toBe(script.valid);
  // Not a trivial plane: mostly valid pixels, values that vary.
  expect(script.valid).toBeGreaterThan(0.5 * script.x.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < script.x.length; i++) {
    scale = Math.max(scale, Math.abs(script.x[i]));
    worst = Math.max(worst, Math.abs(compiled.x[i] - script.x[i]));
  }
  expect(scale).toBeGreaterThan(1);
  expect(worst).toBeLessThan(1e-6 * scale);
  expect(Math.abs(compiled.mean - script.mean)).toBeLessThan(1e-9 * Math.abs(script.mean));
}

describe('the WebAssembly kernel reduces like pyramid.ts', () => {
  it('is available here', () => {
    expect(wasmAvailable()).toBe(true);
  });

  const cases: [number, number, number, number, number][] = [];
  // rows, cols, row origin, col origin, times: even, odd and mixed sizes.
  for (const times of [1, 2, 3]) {
    cases.push([64, 48, 7, 3, times], [61, 77, 0, 11, times], [50, 33, 13, 0, times], [39, 40, 5, 9, times]);
  }
  const types: SampleType[] = ['Uint16Array', 'Float32Array', 'Float64Array', 'number[]'];

  it.each(types)('reduceWindow equals the JavaScript route on %s samples', type => {
    const height = 90;
    const width = 100;
    const { data, mask } = randomImage(height, width, type, types.indexOf(type) + 1);
    for (const [rows, cols, r0, c0, times] of cases) {
      const rowAxis = axis(r0, rows);
      const colAxis = axis(c0, cols);
      const script = withoutKernel(() => reduceWindow(data, mask, width, rowAxis, colAxis, times));
      // The kernel itself (not the fallback) computed it.
      const kernel = wasmReduce(data, mask, width, r0, rows, c0, cols, times);
      expect(kernel).not.toBeNull();
      expectSamePlane(kernel!, script);
      expectSamePlane(reduceWindow(data, mask, width, rowAxis, colAxis, times), script);
      if (times === 1) {
        // The hole and the runs leave masked pixels after one reduction.
        expect(script.valid).toBeLessThan(script.x.length);
      }
    }
  });

  it('treats any non-zero mask entry as valid, as the JavaScript does (masks wider than a byte)', () => {
    const height = 40;
    const width = 45;
    const { data, mask } = randomImage(height, width, 'Float64Array', 11);
    // 256 would wrap to 0 as a byte, 0.5 truncate to 0.
    const wide = Float64Array.from(mask, (v, i) => (v ? [1, 256, 0.5, -3][i % 4] : 0));
    const rowAxis = axis(2, 37);
    const colAxis = axis(1, 42);
    const script = withoutKernel(() => reduceWindow(data, wide, width, rowAxis, colAxis, 2));
    expectSamePlane(reduceWindow(data, wide, width, rowAxis, colAxis, 2), script);
    expectSamePlane(withoutKernel(() => reduceWindow(data, mask, width, rowAxis, colAxis, 2)), script);
  });

  it.each([
    [64, 64],
    [33, 50],
    [25, 19]
  ])('reducePlane equals the JavaScript route (%i x %i)', (rows, cols) => {
    const { data, mask } = randomImage(rows, cols, 'Float64Array', rows * cols);
    const plane = makePlane(rows, cols, data, mask);
    const script = withoutKernel(() => reducePlane(plane));
    expect(wasmReduce(plane.x, plane.m, cols, 0, rows, 0, cols, 1, plane.mean, true)).not.toBeNull();
    expectSamePlane(reducePlane(plane), script);
    expect(script.valid).toBeLessThan(script.x.length);
  });

  it('leaves a reduction larger than its memory cap to the JavaScript route', () => {
    // One row pair 9 M pixels wide: its 4.5 M output pixels alone take 36 MB.
    const cols = 9_000_000;
    const data = new Uint8Array(2 * cols);
    const mask = new Uint8Array(2 * cols).fill(1);
    expect(wasmReduce(data, mask, cols, 0, 2, 0, cols, 1)).toBeNull();
    expect(wasmReduce(data, mask, cols, 0, 2, 0, 1000, 1)).not.toBeNull();
  });

  it('finds the same center as the JavaScript route', () => {
    const p = generatePattern({
      kind: 'rings',
      height: 420,
      width: 460,
      seed: 21,
      center: { row: 201.7, col: 240.2 },
      noise: true,
      hotPixels: 12,
      beamBlock: { side: 'top' }
    });
    expectSameCenter(p, 0.2);
  });
});
