import { YNotebook } from '@jupyter/ydoc';
import {
  centerAsJson,
  centerAsPython,
  formatCoordinate,
  imagePathsFor,
  isPythonIdentifier,
  listCenters,
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
    expect(centers['data/graphite.tif'].frames['0'].row).toBeCloseTo(556.73, 10);
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
    // An entry of the first format, of another image, is left as it was.
    expect(section.centers['other.tif']).toEqual(entry(10, 20));
    expect(section.centers['data/graphite.tif'].frames['0'].col).toBe(2.5);
  });

  it('replaces the center of the same image and frame', () => {
    const nb = notebook();
    writeCenter(nb, 'a.tif', entry(1, 2));
    writeCenter(nb, 'a.tif', entry(3, 4, { method: 'manual', score: null }));
    const centers = readCenters(nb);
    expect(Object.keys(centers['a.tif'].frames)).toEqual(['0']);
    expect(centers['a.tif'].frames['0']).toMatchObject({ row: 3, col: 4, method: 'manual', score: null });
  });

  it('stores the uncertainty with the center', () => {
    const nb = notebook();
    writeCenter(nb, 'b.tif', entry(3, 4, { sigma: [0.02, 0.03] }));
    expect(readCenters(nb)['b.tif'].frames['0'].sigma).toEqual([0.02, 0.03]);
  });

  it('keeps every frame of a stack: frames 0, 1, 5, 10 and 19 (issue 12 item 4)', () => {
    const nb = notebook();
    const written = [0, 1, 5, 10, 19];
    for (const frame of written) {
      writeCenter(nb, 'stack.tif', entry(100 + frame, 200 - frame, { frame }));
    }
    const stored = readCenters(nb)['stack.tif'];
    expect(Object.keys(stored.frames).map(Number).sort((a, b) => a - b)).toEqual(written);
    for (const frame of written) {
      expect(stored.frames[String(frame)]).toMatchObject({ row: 100 + frame, col: 200 - frame });
      expect(stored.frames[String(frame)]).not.toHaveProperty('frame');
    }
    expect(listCenters(nb).map(c => [c.image, c.frame, c.row])).toEqual(written.map(f => ['stack.tif', f, 100 + f]));
    // Rewriting one frame leaves the others.
    writeCenter(nb, 'stack.tif', entry(7, 8, { frame: 5 }));
    expect(readCenters(nb)['stack.tif'].frames['5']).toMatchObject({ row: 7, col: 8 });
    expect(Object.keys(readCenters(nb)['stack.tif'].frames)).toHaveLength(5);
  });

  it('reads entries of the first format, and folds that image\'s old entry in when it gets a new frame', () => {
    const nb = notebook({
      diffraction: { centers: { 'data/s.tif': entry(5, 6, { frame: 2 }), 'b.tif': entry(1, 1) } }
    });
    expect(readCenters(nb)['data/s.tif']).toEqual({
      serverPath: 'data/s.tif',
      shape: [1024, 1024],
      frames: { '2': expect.objectContaining({ row: 5, col: 6 }) }
    });
    // The notebook sits in data/: the image's key becomes s.tif; its frame 2 moves along.
    writeCenter(nb, { path: 's.tif', serverPath: 'data/s.tif' }, entry(9, 9, { frame: 3 }));
    const centers = readCenters(nb);
    expect(Object.keys(centers).sort()).toEqual(['b.tif', 's.tif']);
    expect(centers['s.tif'].serverPath).toBe('data/s.tif');
    expect(Object.keys(centers['s.tif'].frames).sort()).toEqual(['2', '3']);
    expect((nb.getMetadata('diffraction') as any).centers['b.tif']).toEqual(entry(1, 1));
  });

  it('starts afresh when the image changed shape (another file under the same name)', () => {
    const nb = notebook();
    writeCenter(nb, 'a.tif', entry(1, 2, { frame: 1 }));
    writeCenter(nb, 'a.tif', entry(3, 4, { shape: [512, 512] }));
    expect(readCenters(nb)['a.tif']).toMatchObject({ shape: [512, 512], frames: { '0': { row: 3 } } });
    expect(Object.keys(readCenters(nb)['a.tif'].frames)).toEqual(['0']);
  });

  it('refuses to overwrite a foreign value under the key, leaving it intact', () => {
    const nb = notebook({ diffraction: 'not an object' });
    expect(() => writeCenter(nb, 'a.tif', entry(1, 2))).toThrow(MetadataError);
    expect(nb.getMetadata('diffraction')).toBe('not an object');
    const nb2 = notebook({ diffraction: { centers: [1, 2] } });
    expect(() => writeCenter(nb2, 'a.tif', entry(1, 2))).toThrow(/centers/);
    expect((nb2.getMetadata('diffraction') as any).centers).toEqual([1, 2]);
  });

  it('refuses non-finite centers, bad frames and empty paths', () => {
    const nb = notebook();
    expect(() => writeCenter(nb, 'a.tif', entry(NaN, 2))).toThrow(/not finite/);
    expect(() => writeCenter(nb, 'a.tif', entry(1, 2, { frame: -1 }))).toThrow(/frame/);
    expect(() => writeCenter(nb, '', entry(1, 2))).toThrow(/empty/);
    expect(readCenters(nb)).toEqual({});
  });

  it('removes one frame, or one image, only', () => {
    const nb = notebook({ diffraction: { centers: { 'a.tif': entry(1, 2), 'b.tif': entry(3, 4) } } });
    writeCenter(nb, 'b.tif', entry(5, 6, { frame: 1 }));
    expect(removeCenter(nb, 'b.tif', 0)).toBe(true);
    expect(removeCenter(nb, 'b.tif', 0)).toBe(false);
    expect(Object.keys(readCenters(nb)['b.tif'].frames)).toEqual(['1']);
    expect(removeCenter(nb, 'a.tif')).toBe(true);
    expect(removeCenter(nb, 'a.tif')).toBe(false);
    expect(Object.keys(readCenters(nb))).toEqual(['b.tif']);
  });
});

describe('image paths relative to the notebook (issue 12 item 5)', () => {
  it.each([
    ['heldout/analysis.ipynb', 'heldout/x.tif', 'x.tif'],
    ['analysis.ipynb', 'heldout/x.tif', 'heldout/x.tif'],
    ['notebooks/a/b.ipynb', 'data/x.tif', '../../data/x.tif'],
    ['notebooks/b.ipynb', 'notebooks/sub/x.tif', 'sub/x.tif'],
    ['b.ipynb', 'x.tif', 'x.tif']
  ])('notebook %s, image %s -> %s', (notebookPath, imagePath, relative) => {
    expect(imagePathsFor(notebookPath, imagePath)).toEqual({ path: relative, serverPath: imagePath });
  });

  it('the entry is keyed by the relative path and keeps the server path', () => {
    const nb = notebook();
    writeCenter(nb, imagePathsFor('heldout/analysis.ipynb', 'heldout/x.tif'), entry(1, 2));
    const section = nb.getMetadata('diffraction') as any;
    expect(Object.keys(section.centers)).toEqual(['x.tif']);
    expect(section.centers['x.tif']).toMatchObject({ serverPath: 'heldout/x.tif', shape: [1024, 1024] });
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

  it('carries the uncertainty in the comment', () => {
    expect(centerAsPython('center', entry(556.7312, 506.1249, { sigma: [0.03412, 0.0219] }), 'g.tif')).toBe(
      'center = (556.73, 506.12)  # (row, col) of g.tif, found with jupyterlab-diffraction, sigma (0.034, 0.022) px'
    );
    // A center set by hand has none.
    expect(centerAsPython('c', entry(1, 2, { method: 'manual', sigma: null }), 'g.tif')).not.toMatch(/sigma/);
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
