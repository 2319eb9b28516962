/**
 * The sidecar CSV of a series: what numpy.genfromtxt and read_centers (Debian's python3, as
 * `npm test` runs the Python tests) read back from it is what was written.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { centersCsv, fitDrift, sidecarPath, type SeriesCenter } from '../../src/series/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function center(frame: number, extra: Partial<SeriesCenter> = {}): SeriesCenter {
  return {
    frame,
    row: 61.123456789 + 0.25 * frame,
    col: 64.5 - 0.1 * frame,
    score: 0.9 - 0.01 * frame,
    sigma: [0.011, 0.012],
    method: frame % 20 === 0 ? 'full' : 'tracked',
    reason: frame % 20 === 0 ? 'start' : null,
    jump: false,
    outlier: false,
    warnings: [],
    ...extra
  };
}

describe('sidecarPath', () => {
  it('puts NAME_centers.csv beside NAME.ext', () => {
    expect(sidecarPath('data/run 1/stack.tif')).toBe('data/run 1/stack_centers.csv');
    expect(sidecarPath('stack.ome.tiff')).toBe('stack.ome_centers.csv');
    expect(sidecarPath('noext')).toBe('noext_centers.csv');
    expect(sidecarPath('.hidden')).toBe('.hidden_centers.csv');
  });
});

describe('centersCsv', () => {
  const info = { image: 'data/stack.tif', shape: [128, 128] as [number, number], version: '0.1.0', created: '2026-12-02T07:00:00Z' };

  it('writes the header first, comments after it, one line per frame in frame order', () => {
    const text = centersCsv([center(2), center(0), center(1, { error: 'cannot read, "frame" 1', row: NaN, col: NaN, score: null, sigma: null })], info);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('frame,row,col,score,sigma_row,sigma_col,method,jump,outlier');
    expect(lines[1]).toMatch(/^# centers of data\/stack\.tif \(128 x 128\)/);
    expect(lines).toContain('# frame 1 failed: cannot read, "frame" 1');
    const data = lines.filter(l => !l.startsWith('#')).slice(1);
    expect(data).toEqual([
      `0,${center(0).row},64.5,0.9,0.011,0.012,full,0,0`,
      '1,,,,,,tracked,0,0',
      `2,${center(2).row},${center(2).col},${center(2).score},0.011,0.012,tracked,0,0`
    ]);
  });

  it('reads back exactly with numpy.genfromtxt and read_centers, fit columns included', () => {
    const centers = Array.from({ length: 25 }, (_, f) => center(f, f === 9 ? { outlier: true, row: 80 } : f === 20 ? { jump: true } : {}));
    const fit = fitDrift(centers, 'linear');
    const dir = mkdtempSync(path.join(tmpdir(), 'centers-'));
    try {
      const file = path.join(dir, 'stack_centers.csv');
      writeFileSync(file, centersCsv(centers, info, fit));
      const script = [
        'import json, sys',
        `sys.path.insert(0, ${JSON.stringify(ROOT)})`,
        'import numpy as np',
        'from jupyterlab_diffraction import read_centers',
        `a = np.genfromtxt(${JSON.stringify(file)}, delimiter=',', names=True, dtype=None, encoding='utf-8')`,
        `t = read_centers(${JSON.stringify(path.join(dir, 'stack.tif'))})`,
        'print(json.dumps({"names": list(a.dtype.names), "row": a["row"].tolist(), "col": a["col"].tolist(),',
        '  "method": a["method"].tolist(), "jump": a["jump"].tolist(), "outlier": a["outlier"].tolist(),',
        '  "fit_row": a["fit_row"].tolist(), "rc_row": t["row"].tolist(), "rc_frame": t["frame"].tolist()}))'
      ].join('\n');
      const run = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf-8' });
      expect(run.stderr).toBe('');
      const got = JSON.parse(run.stdout);
      expect(got.names).toEqual(['frame', 'row', 'col', 'score', 'sigma_row', 'sigma_col', 'method', 'jump', 'outlier', 'fit_row', 'fit_col']);
      expect(got.row).toEqual(centers.map(c => c.row));
      expect(got.col).toEqual(centers.map(c => c.col));
      expect(got.rc_row).toEqual(centers.map(c => c.row));
      expect(got.rc_frame).toEqual(centers.map(c => c.frame));
      expect(got.method).toEqual(centers.map(c => c.method));
      expect(got.outlier.indexOf(1)).toBe(9);
      expect(got.jump.indexOf(1)).toBe(20);
      // The fit ignores the outlier: its row at frame 9 is on the line.
      expect(got.fit_row[9]).toBeCloseTo(61.123456789 + 0.25 * 9, 6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
