import { YNotebook } from '@jupyter/ydoc';
import {
  centerAsJson,
  centerAsPython,
  formatCoordinate,
  isPythonIdentifier,
  MetadataError,
  readCenters,
  removeCenter,
  writeCenter,
  type CenterEntry
} from '../../src/notebook/index.js';

function entry(row: number, col: number, extra: Partial<CenterEntry> = {}): CenterEntry {
  return {
    row,
    col,
    frame: 0,
    shape: [1024, 1024],
    mask: 'data/graphite_mask.tif',
    method: 'autocenter',
    score: 0.93,
    options: { normalizeBackground: 'auto' },
    created: '2026-11-24T08:00:00.000Z',
    version: '0.1.0',
    ...extra
  };
}

/** The real shared notebook model that JupyterLab's NotebookModel delegates metadata to. */
const created: YNotebook[] = [];
afterEach(() => created.splice(0).forEach(nb => nb.dispose()));

function notebook(metadata: Record<string, unknown> = {}): YNotebook {
  const nb = YNotebook.create();
  created.push(nb);
  nb.setMetadata(metadata as any);
  return nb;
}

describe('notebook metadata', () => {
  it('writes a center and reads it back', () => {
    const nb = notebook();
    writeCenter(nb, 'data/graphite.tif', entry(556.73, 506.12));
    const centers = readCenters(nb);
    expect(Object.keys(centers)).toEqual(['data/graphite.tif']);
    expect(centers['data/graphite.tif'].row).toBeCloseTo(556.73, 10);
    expect(centers['data/graphite.tif'].shape).toEqual([1024, 1024]);
  });

  it('keeps other metadata keys, other keys under diffraction, and other images', () => {
    const nb = notebook({
      kernelspec: { name: 'python3', display_name: 'Python 3' },
      custom: { a: [1, 2, 3] },
      diffraction: { note: 'mine', centers: { 'other.tif': entry(10, 20) } }
    });
    writeCenter(nb, 'data/graphite.tif', entry(1.5, 2.5));
    expect(nb.getMetadata('kernelspec')).toEqual({ name: 'python3', display_name: 'Python 3' });
    expect(nb.getMetadata('custom')).toEqual({ a: [1, 2, 3] });
    const section = nb.getMetadata('diffraction') as any;
    expect(section.note).toBe('mine');
    expect(section.centers['other.tif'].row).toBe(10);
    expect(section.centers['data/graphite.tif'].col).toBe(2.5);
  });

  it('replaces the entry of the same image', () => {
    const nb = notebook();
    writeCenter(nb, 'a.tif', entry(1, 2));
    writeCenter(nb, 'a.tif', entry(3, 4, { method: 'manual', score: null }));
    const centers = readCenters(nb);
    expect(centers['a.tif']).toMatchObject({ row: 3, col: 4, method: 'manual', score: null });
  });

  it('refuses to overwrite a foreign value under the key, leaving it intact', () => {
    const nb = notebook({ diffraction: 'not an object' });
    expect(() => writeCenter(nb, 'a.tif', entry(1, 2))).toThrow(MetadataError);
    expect(nb.getMetadata('diffraction')).toBe('not an object');
    const nb2 = notebook({ diffraction: { centers: [1, 2] } });
    expect(() => writeCenter(nb2, 'a.tif', entry(1, 2))).toThrow(/centers/);
    expect((nb2.getMetadata('diffraction') as any).centers).toEqual([1, 2]);
  });

  it('refuses non-finite centers and empty paths', () => {
    const nb = notebook();
    expect(() => writeCenter(nb, 'a.tif', entry(NaN, 2))).toThrow(/not finite/);
    expect(() => writeCenter(nb, '', entry(1, 2))).toThrow(/empty/);
    expect(readCenters(nb)).toEqual({});
  });

  it('removes one entry only', () => {
    const nb = notebook({ diffraction: { centers: { 'a.tif': entry(1, 2), 'b.tif': entry(3, 4) } } });
    expect(removeCenter(nb, 'a.tif')).toBe(true);
    expect(removeCenter(nb, 'a.tif')).toBe(false);
    expect(Object.keys(readCenters(nb))).toEqual(['b.tif']);
  });
});

describe('center as code', () => {
  it('formats the issue example', () => {
    expect(centerAsPython('center', entry(556.7312, 506.1249), 'data/graphite.tif')).toBe(
      'center = (556.73, 506.12)  # (row, col) of data/graphite.tif, found with jupyterlab-diffraction'
    );
  });

  it('writes integers as floats and names the frame and manual method', () => {
    expect(formatCoordinate(557)).toBe('557.0');
    expect(formatCoordinate(-0.004)).toBe('0.0');
    expect(centerAsPython('c0', entry(10, 20, { frame: 3, method: 'manual' }), 's.tif')).toBe(
      'c0 = (10.0, 20.0)  # (row, col) of s.tif, frame 3, set by hand with jupyterlab-diffraction'
    );
  });

  it('validates the variable name', () => {
    expect(isPythonIdentifier('center_1')).toBe(true);
    expect(isPythonIdentifier('1center')).toBe(false);
    expect(isPythonIdentifier('lambda')).toBe(false);
    expect(() => centerAsPython('my center', entry(1, 2), 'a.tif')).toThrow(/not a valid Python variable/);
  });

  it('gives JSON with the image path', () => {
    const parsed = JSON.parse(centerAsJson(entry(1.25, 2.5), 'a.tif'));
    expect(parsed).toMatchObject({ image: 'a.tif', row: 1.25, col: 2.5, method: 'autocenter' });
  });
});
