/**
 * The center's sigma (uncertainty.ts). Its calibration against true errors is a benchmark
 * (`npm run bench -- sigma`), not a test; these check what it responds to.
 */
import { autocenter, cropAxis } from '../../src/center/index.js';
import { makePlane } from '../../src/center/ncc.js';
import { centerSigma } from '../../src/center/uncertainty.js';
import { generatePattern } from '../synth/index.js';
import { Rng } from '../synth/rng.js';

describe('center sigma', () => {
  it('comes with every autocenter result, finite and positive', () => {
    const p = generatePattern({ kind: 'hexagonal', height: 256, width: 256, seed: 4, center: { row: 130.3, col: 121.8 } });
    const r = autocenter(p.image);
    expect(r.sigma).toHaveLength(2);
    for (const s of r.sigma!) {
      expect(Number.isFinite(s)).toBe(true);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(0.5);
    }
  });

  it('grows with the noise: fewer counts give a larger sigma', () => {
    // (Above about 1000 counts sigma stops falling: the fit floor and the quadratic fit's own
    // misfit take over.)
    const sigmaAt = (intensity: number): number => {
      const p = generatePattern({ kind: 'rings', height: 256, width: 256, seed: 9, intensity, flat: 20, center: { row: 127.6, col: 129.2 } });
      const r = autocenter(p.image);
      return Math.hypot(...r.sigma!);
    };
    const weak = sigmaAt(30);
    const strong = sigmaAt(1000);
    expect(weak).toBeGreaterThan(2 * strong);
  });

  it('counts correlated residuals as fewer independent ones (correlation area)', () => {
    // A symmetric pattern plus independent noise: area near 1. The same plus smooth,
    // antisymmetric structure (a gradient): the residual is correlated, area well above 1.
    const n = 129;
    const c = (n - 1) / 2;
    const rng = new Rng(3);
    const base = new Float64Array(n * n);
    const tilted = new Float64Array(n * n);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < n; k++) {
        const d = Math.hypot(r - c, k - c);
        const v = 100 * Math.exp(-((d - 30) ** 2) / 8) + 10 * rng.normal();
        base[r * n + k] = v;
        tilted[r * n + k] = v + 0.3 * (k - c) + 5 * Math.sin((r - c) / 9);
      }
    }
    const mask = new Uint8Array(n * n).fill(1);
    expect(cropAxis(c, n).size).toBe(n);
    const plain = centerSigma(makePlane(n, n, base, mask), 0, 0);
    const correlated = centerSigma(makePlane(n, n, tilted, mask), 0, 0);
    expect(plain.correlationArea).toBeLessThan(1.3);
    expect(correlated.correlationArea).toBeGreaterThan(3);
    expect(correlated.statistical[1]).toBeGreaterThan(plain.statistical[1]);
  });

  it('is infinite when the correlation has no peak (a flat plane)', () => {
    const n = 33;
    const s = centerSigma(makePlane(n, n, new Float64Array(n * n).fill(7), new Uint8Array(n * n).fill(1)), 0, 0);
    expect(s.sigma).toEqual([Infinity, Infinity]);
  });
});
