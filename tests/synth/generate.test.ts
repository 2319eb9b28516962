import { generatePattern, Rng } from './index.js';

describe('Rng', () => {
  it('is deterministic per seed and roughly uniform', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs).not.toEqual(Array.from({ length: 1000 }, () => c.next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('draws Poisson counts with the right mean and variance', () => {
    const rng = new Rng(1);
    for (const lambda of [3, 80]) {
      const draws = Array.from({ length: 20000 }, () => rng.poisson(lambda));
      const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
      const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
      expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.03);
      expect(Math.abs(variance - lambda) / lambda).toBeLessThan(0.08);
      draws.forEach(d => expect(Number.isInteger(d) && d >= 0).toBe(true));
    }
  });
});

describe('generatePattern', () => {
  it('is deterministic and honours size, sample type and center', () => {
    const options = { kind: 'square' as const, height: 96, width: 80, seed: 7, center: { row: 50.25, col: 39.5 } };
    const a = generatePattern(options);
    const b = generatePattern(options);
    expect(a.image.height).toBe(96);
    expect(a.image.width).toBe(80);
    expect(a.image.data).toBeInstanceOf(Float32Array);
    expect(a.image.data.length).toBe(96 * 80);
    expect(a.center).toEqual({ row: 50.25, col: 39.5 });
    expect(Array.from(a.image.data)).toEqual(Array.from(b.image.data));
    const counts = generatePattern({ ...options, sampleType: 'uint16' });
    expect(counts.image.data).toBeInstanceOf(Uint16Array);
    expect(counts.image.sampleType).toBe('uint16');
  });

  it.each(['rings', 'hexagonal', 'square'] as const)(
    'a noise-free %s pattern is point-symmetric about its center',
    kind => {
      const size = 101;
      const p = generatePattern({ kind, height: size, seed: 3, noise: false, center: { row: 50, col: 50 } });
      const d = p.image.data;
      let maxDiff = 0;
      let maxValue = 0;
      for (let i = 0; i < d.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(d[i] - d[d.length - 1 - i]));
        maxValue = Math.max(maxValue, d[i]);
      }
      expect(maxDiff / maxValue).toBeLessThan(1e-4);
    }
  );

  it('lattice spot intensities are uneven, so other lattice points are not inversion centers', () => {
    const size = 201;
    const p = generatePattern({ kind: 'hexagonal', height: size, seed: 4, noise: false, center: { row: 100, col: 100 }, spacing: 30, angle: 0 });
    const d = p.image.data;
    // Symmetric about the true center...
    const at = (r: number, c: number) => d[Math.round(r) * size + Math.round(c)];
    // ...but not about the neighbouring lattice point (100, 130): compare spots mirrored there.
    const mirroredDiffs: number[] = [];
    for (const [r, c] of [
      [100, 160],
      [100 + 30 * Math.sin(Math.PI / 3), 100 + 30 * Math.cos(Math.PI / 3)],
      [100 - 30 * Math.sin(Math.PI / 3), 100 + 30 * Math.cos(Math.PI / 3)]
    ]) {
      const mirror = [200 - r, 260 - c];
      mirroredDiffs.push(Math.abs(at(r, c) - at(mirror[0], mirror[1])) / Math.max(at(r, c), at(mirror[0], mirror[1])));
    }
    expect(Math.max(...mirroredDiffs)).toBeGreaterThan(0.1);
  });

  it('adds beam block, gaps (-1) and hot pixels, with the mask', () => {
    const p = generatePattern({
      kind: 'rings',
      height: 128,
      seed: 5,
      beamBlock: { side: 'bottom', width: 10, radius: 12 },
      gaps: { module: 40, width: 3 },
      hotPixels: 5,
      hotValue: 50000
    });
    const { data } = p.image;
    const cr = Math.round(p.center.row);
    const cc = Math.round(p.center.col);
    // Center (disk) and straight below it (bar) are blocked, above it is not.
    expect(p.mask[cr * 128 + cc]).toBe(0);
    expect(p.mask[120 * 128 + cc]).toBe(0);
    expect(p.mask[(cr - 30) * 128 + cc]).toBe(1);
    // Gap lines: rows/cols 40..42 of every 43.
    expect(data[41 * 128 + 10]).toBe(-1);
    expect(p.mask[41 * 128 + 10]).toBe(0);
    expect(data[10 * 128 + 84]).toBe(-1);
    expect(p.hotPixels).toHaveLength(5);
    for (const i of p.hotPixels) {
      expect(data[i]).toBe(50000);
    }
  });

  it('walk-off makes Friedel pairs unequal', () => {
    const base = { kind: 'rings' as const, height: 101, seed: 6, noise: false, center: { row: 50, col: 50 } };
    const p = generatePattern({ ...base, walkOff: 0.5, walkOffAngle: 0 });
    const d = p.image.data;
    // Right half brighter than the left mirror image.
    let right = 0;
    let left = 0;
    for (let r = 0; r < 101; r++) {
      for (let c = 60; c < 101; c++) {
        right += d[r * 101 + c];
        left += d[(100 - r) * 101 + (100 - c)];
      }
    }
    expect(right / left).toBeGreaterThan(1.2);
  });
});
