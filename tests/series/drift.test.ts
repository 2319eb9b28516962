/** The drift of a series: Hampel outliers and the robust line / plane fits. */
import { evaluateFit, fitDrift, flagOutliers, type DriftPoint } from '../../src/series/index.js';

/** A linear drift with small deterministic wobble. */
function drift(n: number, wobble = 0.02): DriftPoint[] {
  return Array.from({ length: n }, (_, f) => ({
    frame: f,
    row: 60 + 0.25 * f + wobble * Math.sin(1.7 * f),
    col: 64 - 0.1 * f + wobble * Math.cos(2.3 * f)
  }));
}

describe('flagOutliers', () => {
  it('flags a single frame off the path, not the frames about it', () => {
    const points = drift(30);
    points[12] = { ...points[12], row: points[12].row + 4 };
    const flags = flagOutliers(points);
    expect(flags.map((f, i) => (f ? i : -1)).filter(i => i >= 0)).toEqual([12]);
  });

  it('does not flag a lasting jump of the beam, nor a failed frame', () => {
    const points = drift(30).map(p => (p.frame >= 15 ? { ...p, row: p.row + 6, col: p.col - 5 } : p));
    points[4] = { frame: 4, row: NaN, col: NaN };
    expect(flagOutliers(points).some(Boolean)).toBe(false);
  });

  it('flags nothing in a smooth drift (the half-pixel floor)', () => {
    expect(flagOutliers(drift(40, 0.2)).some(Boolean)).toBe(false);
  });
});

describe('fitDrift', () => {
  it('fits a line through a drift with two wild frames, and rejects those frames', () => {
    const points = drift(40, 0.01);
    points[7] = { ...points[7], row: points[7].row + 8 };
    points[30] = { ...points[30], col: points[30].col - 12 };
    const fit = fitDrift(points, 'linear');
    expect(fit.row[0]).toBeCloseTo(60, 1);
    expect(fit.row[1]).toBeCloseTo(0.25, 3);
    expect(fit.col[0]).toBeCloseTo(64, 1);
    expect(fit.col[1]).toBeCloseTo(-0.1, 3);
    expect(fit.outliers).toEqual([7, 30]);
    expect(fit.count).toBe(40);
    expect(fit.sigma[0]).toBeLessThan(0.05);
    // Ordinary least squares would be pulled by the wild frames: the robust fit is not.
    const at = evaluateFit(fit, 7);
    expect(Math.abs(at.row - (60 + 0.25 * 7))).toBeLessThan(0.05);
  });

  it('fits a plane over a scan grid (4D-STEM descan), frame = y * width + x', () => {
    const width = 8;
    const points: DriftPoint[] = Array.from({ length: 48 }, (_, f) => {
      const x = f % width;
      const y = Math.floor(f / width);
      return { frame: f, row: 30 + 0.5 * x - 0.2 * y, col: 31 - 0.1 * x + 0.3 * y };
    });
    points[20] = { ...points[20], row: 99 };
    const fit = fitDrift(points, 'plane', width);
    expect(fit.scanWidth).toBe(width);
    expect(fit.row.map(v => Number(v.toFixed(6)))).toEqual([30, 0.5, -0.2]);
    expect(fit.col.map(v => Number(v.toFixed(6)))).toEqual([31, -0.1, 0.3]);
    expect(fit.outliers).toEqual([20]);
    expect(evaluateFit(fit, 20).row).toBeCloseTo(30 + 0.5 * 4 - 0.2 * 2, 6);
  });

  it('says what is missing: a scan width, or enough frames', () => {
    expect(() => fitDrift(drift(10), 'plane')).toThrow(/scan width/);
    expect(() => fitDrift(drift(2), 'linear')).toThrow(/at least 3 frames/);
    expect(() => fitDrift([...drift(2), { frame: 2, row: NaN, col: NaN }], 'linear')).toThrow(/not 2/);
  });
});
