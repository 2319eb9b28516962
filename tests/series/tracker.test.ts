/**
 * Tracking through a series: tracked frames agree with the full search, follow a drift, and fall
 * back to a full search (flagging a jump) when the beam jumps.
 */
import { autocenter } from '../../src/center/index.js';
import { refineFromSeed, Tracker, TrackBuffers } from '../../src/series/index.js';
import { withoutKernel } from '../center/routes.js';
import { generatePattern } from '../synth/index.js';
import { driftingStack } from '../../bench/series-stack.js';

describe('Tracker', () => {
  it('follows a drifting stack: a full search first, then tracked frames as accurate as full ones', () => {
    const stack = driftingStack({ kind: 'hexagonal', frames: 8, size: 192, seed: 2 });
    const tracker = new Tracker();
    const results = stack.frames.map(frame => tracker.center(frame));
    expect(results.map(r => r.method)).toEqual(['full', ...Array(7).fill('tracked')]);
    expect(results[0].reason).toBe('start');
    results.forEach((r, k) => {
      const full = autocenter(stack.frames[k]);
      expect(Math.hypot(r.row - stack.centers[k].row, r.col - stack.centers[k].col)).toBeLessThan(0.05);
      expect(Math.hypot(r.row - full.row, r.col - full.col)).toBeLessThan(0.02);
      expect(r.jump).toBe(false);
    });
  });

  it('makes a full search when the center jumps, and flags the jump', () => {
    const centers = [
      { row: 95.2, col: 101.7 },
      { row: 95.4, col: 101.6 },
      { row: 104.1, col: 93.3 },
      { row: 104.3, col: 93.2 }
    ];
    const frames = centers.map((center, k) =>
      generatePattern({ kind: 'square', height: 192, width: 192, center, seed: 7 + k, spacing: 19, sigma: 1.5, angle: 0.4 }).image
    );
    const tracker = new Tracker();
    const results = frames.map(frame => tracker.center(frame));
    expect(results.map(r => r.method)).toEqual(['full', 'tracked', 'full', 'tracked']);
    expect(results.map(r => r.jump)).toEqual([false, false, true, false]);
    expect(['moved', 'score-drop']).toContain(results[2].reason);
    results.forEach((r, k) => expect(Math.hypot(r.row - centers[k].row, r.col - centers[k].col)).toBeLessThan(0.05));
  });

  it('gives each center its standard uncertainty on request (the engine σ for a full search)', () => {
    const stack = driftingStack({ kind: 'hexagonal', frames: 6, size: 192, seed: 4 });
    const plain = new Tracker().center(stack.frames[0]);
    expect(plain.sigma).toBeUndefined();
    const tracker = new Tracker({ sigma: true });
    const results = stack.frames.map(frame => tracker.center(frame));
    expect(results.map(r => r.method)).toEqual(['full', ...Array(5).fill('tracked')]);
    expect(results[0].sigma).toEqual(autocenter(stack.frames[0]).sigma);
    results.forEach((r, k) => {
      const [sr, sc] = r.sigma!;
      expect(sr).toBeGreaterThan(0);
      expect(sc).toBeGreaterThan(0);
      expect(sr).toBeLessThan(0.2);
      // The error stays within a few sigma (the calibration's 95 % at 3 sigma, with room).
      expect(Math.abs(r.row - stack.centers[k].row)).toBeLessThan(5 * sr + 0.005);
      expect(Math.abs(r.col - stack.centers[k].col)).toBeLessThan(5 * sc + 0.005);
    });
  });

  it('reset() starts a new track', () => {
    const stack = driftingStack({ kind: 'rings', frames: 3, size: 128, seed: 1 });
    const tracker = new Tracker();
    tracker.center(stack.frames[0]);
    tracker.reset();
    expect(tracker.center(stack.frames[1])).toMatchObject({ method: 'full', reason: 'start' });
  });
});

describe('refineFromSeed', () => {
  it('climbs from a seed a few pixels off to the center, re-cutting the window about it', () => {
    const p = generatePattern({ kind: 'rings', height: 256, width: 256, center: { row: 120.4, col: 133.7 }, seed: 3 });
    const r = refineFromSeed(p.image, { row: 117, col: 136 }, { side: 256, mask: null, normalize: false })!;
    expect(Math.hypot(r.row - 120.4, r.col - 133.7)).toBeLessThan(0.05);
    expect(r.passes).toBeGreaterThan(1);
  });

  it('refines with the given mask (a beam block) on a background-normalized window', () => {
    const p = generatePattern({ kind: 'hexagonal', height: 256, width: 256, center: { row: 126.3, col: 129.6 }, seed: 4, beamBlock: { side: 'left', width: 14 } });
    const seed = { row: 126.5, col: 129.5 };
    const masked = refineFromSeed(p.image, seed, { side: 256, mask: p.mask, normalize: true })!;
    expect(Math.hypot(masked.row - 126.3, masked.col - 129.6)).toBeLessThan(0.05);
  });

  it.each([
    ['kernel', (run: () => unknown) => run()],
    ['JavaScript', withoutKernel]
  ] as const)('reuses the buffers it is given from frame to frame, with the same centers (%s route)', (_route, route) => {
    // Frames of changing window sizes and both representations, each refined with and without
    // buffers: identical answers; the buffers' arrays are the ones reused.
    const buffers = new TrackBuffers();
    const plane = buffers.plane(1);
    let reused = 0;
    for (const [k, size, normalize] of [[0, 256, false], [1, 200, true], [2, 256, true], [3, 180, false]] as const) {
      const p = generatePattern({ kind: 'hexagonal', height: size, width: size, center: { row: size / 2 - 3.2, col: size / 2 + 2.7 }, seed: 20 + k });
      const seed = { row: size / 2 - 2, col: size / 2 + 2 };
      const options = { side: 256, mask: null, normalize, sigma: true };
      route(() => {
        const plain = refineFromSeed(p.image, seed, options)!;
        const before = buffers.plane(1);
        const kept = refineFromSeed(p.image, seed, { ...options, buffers })!;
        expect(kept).toEqual(plain);
        reused += buffers.plane(1) === before ? 1 : 0;
      });
    }
    // Grown once (the first 256² window), then reused for every later frame.
    expect(buffers.plane(1)).not.toBe(plane);
    expect(reused).toBe(3);
  });

  it('gives up (null) when no window fits about the seed', () => {
    const p = generatePattern({ kind: 'rings', height: 64, width: 64, seed: 1 });
    expect(refineFromSeed(p.image, { row: 1, col: 30 }, { side: 256, mask: null, normalize: false })).toBeNull();
  });
});
