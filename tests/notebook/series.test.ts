/** The series in a notebook's metadata: per-frame arrays beside the single-frame centers. */
import { YNotebook } from '@jupyter/ydoc';
import {
  MetadataError,
  readCenters,
  seriesAsPython,
  seriesEntry,
  seriesFit,
  writeCenter,
  listSeries,
  writeSeries,
  type CenterEntry
} from '../../src/notebook/index.js';
import { fitDrift, type SeriesCenter } from '../../src/series/index.js';

const created: YNotebook[] = [];
afterEach(() => created.splice(0).forEach(nb => nb.dispose()));
function notebook(metadata: Record<string, unknown> = {}): YNotebook {
  const nb = YNotebook.create();
  created.push(nb);
  nb.setMetadata(metadata as any);
  return nb;
}

const paths = { path: '../data/stack.tif', serverPath: 'data/stack.tif' };
const about = { mask: null, options: { route: 'fast' }, created: '2026-12-02T07:00:00Z', version: '0.1.0' };

function centers(n: number): SeriesCenter[] {
  return Array.from({ length: n }, (_, f) => ({
    frame: f,
    row: 60 + 0.5 * f,
    col: 64 - 0.25 * f,
    score: 0.9,
    sigma: f === 1 ? null : [0.01, 0.02],
    method: f === 0 ? 'full' : 'tracked',
    reason: f === 0 ? 'start' : null,
    jump: false,
    outlier: false,
    warnings: [],
    ...(f === 3 ? { row: NaN, col: NaN, score: null, sigma: null, error: 'unreadable frame' } : {})
  }));
}

function single(frame: number, row: number): CenterEntry {
  return {
    row,
    col: 1,
    frame,
    shape: [128, 128],
    mask: null,
    method: 'manual',
    score: null,
    options: {},
    created: '2026-12-02T06:00:00Z',
    version: '0.1.0'
  };
}

describe('seriesEntry', () => {
  it('turns the centers into per-frame arrays, null where a value is missing', () => {
    const e = seriesEntry(centers(5).reverse(), about);
    expect(e.frame).toEqual([0, 1, 2, 3, 4]);
    expect(e.row).toEqual([60, 60.5, 61, null, 62]);
    expect(e.sigma_row).toEqual([0.01, null, 0.01, null, 0.01]);
    expect(e.score[3]).toBeNull();
    expect(e.method).toEqual(['full', 'tracked', 'tracked', 'tracked', 'tracked']);
    expect(e.errors).toEqual({ '3': 'unreadable frame' });
    // JSON-safe (no NaN) as notebook metadata must be.
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe('writeSeries', () => {
  it('stores the arrays and the fit, folds the single-frame centers it covers, keeps the others', () => {
    const nb = notebook({ lab_notes: 'keep me' });
    writeCenter(nb, paths, single(2, 10));
    writeCenter(nb, paths, single(40, 11));
    const list = centers(5);
    const fit = seriesFit(fitDrift(list, 'linear'));
    writeSeries(nb, paths, [128, 128], seriesEntry(list, about), fit);
    const stored = readCenters(nb)['../data/stack.tif'];
    expect(stored.serverPath).toBe('data/stack.tif');
    expect(Object.keys(stored.frames)).toEqual(['40']);
    expect(stored.series!.row).toEqual([60, 60.5, 61, null, 62]);
    expect(stored.fit!.kind).toBe('linear');
    expect(stored.fit!.description).toMatch(/^linear: row = 60 \+ 0\.5 × frame/);
    expect(nb.getMetadata('lab_notes')).toBe('keep me');
  });

  it('is kept when one frame is written after it (that frame then comes first for readers)', () => {
    const nb = notebook();
    writeSeries(nb, paths, [128, 128], seriesEntry(centers(5), about), null);
    writeCenter(nb, paths, single(2, 99));
    const stored = readCenters(nb)['../data/stack.tif'];
    expect(stored.series!.frame).toEqual([0, 1, 2, 3, 4]);
    expect(stored.frames['2'].row).toBe(99);
    expect(stored.fit).toBeUndefined();
  });

  it('starts afresh for an image of another shape, and refuses ragged arrays', () => {
    const nb = notebook();
    writeCenter(nb, paths, single(7, 5));
    writeSeries(nb, paths, [256, 256], seriesEntry(centers(2), about), null);
    expect(readCenters(nb)['../data/stack.tif'].frames).toEqual({});
    const ragged = { ...seriesEntry(centers(3), about), col: [1, 2] };
    expect(() => writeSeries(nb, paths, [256, 256], ragged, null)).toThrow(MetadataError);
  });
});

describe('listSeries', () => {
  it('sums up each image’s series (frames, ranges, methods, flags, fit) and skips images without one', () => {
    const nb = notebook({ lab_notes: 'keep me' });
    writeCenter(nb, { path: 'single.tif', serverPath: 'single.tif' }, single(0, 3));
    const list = centers(6);
    list[4] = { ...list[4], jump: true, outlier: true, method: 'manual' };
    writeSeries(nb, paths, [128, 128], seriesEntry(list, about), seriesFit(fitDrift(list, 'linear')));
    expect(listSeries(nb)).toEqual([
      {
        image: '../data/stack.tif',
        serverPath: 'data/stack.tif',
        frames: 6,
        centered: 5,
        rowRange: [60, 62.5],
        colRange: [62.75, 64],
        methods: { full: 1, tracked: 4, manual: 1 },
        jumps: 1,
        outliers: 1,
        fit: expect.stringMatching(/^linear: row = /),
        created: about.created
      }
    ]);
  });

  it('is empty for a notebook with single centers only, or with none', () => {
    const nb = notebook();
    expect(listSeries(nb)).toEqual([]);
    writeCenter(nb, paths, single(1, 2));
    expect(listSeries(nb)).toEqual([]);
  });
});

describe('seriesAsPython', () => {
  it('loads the sidecar with numpy, the path as the kernel opens it', () => {
    const code = seriesAsPython('centers', "../data/o'brien_centers.csv", '../data/o\'brien.tif', 30);
    expect(code.split('\n')[0]).toBe('import numpy as np');
    expect(code).toContain(
      "centers = np.genfromtxt('../data/o\\'brien_centers.csv', delimiter=',', names=True, dtype=None, encoding='utf-8')"
    );
    expect(code).toContain('# Centers of the 30 frames of ../data/o\'brien.tif');
    expect(() => seriesAsPython('class', 'a.csv', 'a.tif', 1)).toThrow(/not a valid Python variable/);
  });
});
