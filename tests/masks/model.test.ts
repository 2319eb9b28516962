import {
  MaskModel,
  rasterizeShape,
  shapeContains,
  type MaskShape
} from '../../src/masks/model.js';

function raster(h: number, w: number, shape: MaskShape): Uint8Array {
  const m = new Uint8Array(h * w).fill(1);
  rasterizeShape(m, h, w, shape, 0);
  return m;
}

function rows(m: Uint8Array, w: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < m.length; i += w) {
    out.push(Array.from(m.subarray(i, i + w)).join(''));
  }
  return out;
}

describe('rasterizeShape', () => {
  it('masks the pixel centers inside a rectangle, corners in any order', () => {
    expect(rows(raster(4, 5, { kind: 'rect', mode: 'exclude', r0: 2.2, c0: 3, r1: 0.6, c1: 1 }), 5)).toEqual([
      '11111',
      '10001',
      '10001',
      '11111'
    ]);
  });

  it('masks a disk of radius 1 as a plus sign', () => {
    expect(rows(raster(5, 5, { kind: 'circle', mode: 'exclude', row: 2, col: 2, radius: 1 }), 5)).toEqual([
      '11111',
      '11011',
      '10001',
      '11011',
      '11111'
    ]);
  });

  it('clips shapes at the image border', () => {
    const m = raster(3, 3, { kind: 'rect', mode: 'exclude', r0: -10, c0: -10, r1: 0, c1: 100 });
    expect(rows(m, 3)).toEqual(['000', '111', '111']);
  });

  it.each<MaskShape>([
    { kind: 'circle', mode: 'exclude', row: 17.3, col: 11.8, radius: 9.6 },
    {
      kind: 'polygon',
      mode: 'exclude',
      points: [
        [3.5, 2.2],
        [30.1, 8.7],
        [12.4, 37.9],
        [20.2, 15.5]
      ]
    },
    { kind: 'rect', mode: 'exclude', r0: 4.5, c0: 30.2, r1: 19.9, c1: 6.1 }
  ])('$kind agrees with the point-in-shape test on every pixel center', shape => {
    const h = 33;
    const w = 41;
    const m = raster(h, w, shape);
    let inside = 0;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const expected = shapeContains(shape, r, c) ? 0 : 1;
        expect([r, c, m[r * w + c]]).toEqual([r, c, expected]);
        inside += 1 - expected;
      }
    }
    expect(inside).toBeGreaterThan(20);
  });
});

describe('MaskModel', () => {
  it('is empty until something is masked', () => {
    const model = new MaskModel(2, 3);
    expect(model.compose()).toBeNull();
    expect(model.describe()).toBeNull();
  });

  it('composes base, exclude and include shapes, then inversion', () => {
    const model = new MaskModel(3, 4);
    let changes = 0;
    model.changed.connect(() => changes++);
    const base = new Uint8Array(12).fill(1);
    base[0] = 0;
    model.setBase(base, { kind: 'file', description: 'a_mask.tif' });
    model.addShape({ kind: 'rect', mode: 'exclude', r0: 1, c0: 0, r1: 2, c1: 3 });
    model.addShape({ kind: 'rect', mode: 'include', r0: 2, c0: 1, r1: 2, c1: 2 });
    expect(rows(model.compose()!, 4)).toEqual(['0111', '0000', '0110']);
    model.invert();
    expect(rows(model.compose()!, 4)).toEqual(['1000', '1111', '1001']);
    expect(model.describe()).toBe('a_mask.tif + 2 drawn shapes + inverted');
    expect(changes).toBe(4);
    expect(base[0]).toBe(0); // the base layer itself is never modified
    expect(base[4]).toBe(1);
  });

  it('erases the most recent shape under the cursor', () => {
    const model = new MaskModel(10, 10);
    model.addShape({ kind: 'circle', mode: 'exclude', row: 5, col: 5, radius: 3 });
    model.addShape({ kind: 'rect', mode: 'exclude', r0: 4, c0: 4, r1: 6, c1: 6 });
    expect(model.eraseAt(0, 0)).toBe(false);
    expect(model.eraseAt(5, 5)).toBe(true);
    expect(model.shapes.map(s => s.kind)).toEqual(['circle']);
  });

  it('refuses a base layer of the wrong shape, naming both sizes', () => {
    const model = new MaskModel(4, 4);
    expect(() => model.setBase(new Uint8Array(15), { kind: 'file', description: 'x' })).toThrow(
      /15 pixels but the image has 4 × 4 = 16/
    );
    expect(model.base).toBeNull();
  });
});

describe('MaskModel undo / redo', () => {
  const rect: MaskShape = { kind: 'rect', mode: 'exclude', r0: 0, c0: 0, r1: 1, c1: 1 };
  const disk: MaskShape = { kind: 'circle', mode: 'exclude', row: 3, col: 3, radius: 1 };

  it('takes back and makes again drawn shapes, one edit at a time', () => {
    const m = new MaskModel(5, 5);
    expect(m.canUndo).toBe(false);
    m.addShape(rect);
    m.addShape(disk);
    expect(m.describe()).toBe('2 drawn shapes');
    expect(m.undo()).toBe(true);
    expect(m.shapes).toEqual([rect]);
    expect(m.undo()).toBe(true);
    expect(m.isEmpty).toBe(true);
    expect(m.compose()).toBeNull();
    expect(m.undo()).toBe(false);
    expect(m.redo()).toBe(true);
    expect(m.redo()).toBe(true);
    expect(m.shapes).toEqual([rect, disk]);
    expect(m.redo()).toBe(false);
    expect(m.compose()![0]).toBe(0);
  });

  it('takes back an automatic base layer, an erase, an inversion and a clear', () => {
    const m = new MaskModel(2, 2);
    const auto = Uint8Array.from([1, 0, 1, 1]);
    m.setBase(auto, { kind: 'auto', description: 'auto mask' });
    m.addShape(rect);
    m.eraseAt(0, 0);
    m.invert();
    m.reset();
    expect(m.isEmpty).toBe(true);
    m.undo(); // reset
    expect(m.inverted).toBe(true);
    m.undo(); // invert
    expect(m.inverted).toBe(false);
    m.undo(); // erase
    expect(m.shapes).toEqual([rect]);
    m.undo(); // shape
    expect(Array.from(m.compose()!)).toEqual([1, 0, 1, 1]);
    expect(m.source).toEqual({ kind: 'auto', description: 'auto mask' });
    m.undo(); // auto mask
    expect(m.base).toBeNull();
    expect(m.isEmpty).toBe(true);
  });

  it('forgets what was undone after a new edit, and emits changed on undo and redo', () => {
    const m = new MaskModel(5, 5);
    let changes = 0;
    m.changed.connect(() => changes++);
    m.addShape(rect);
    m.undo();
    m.addShape(disk);
    expect(m.canRedo).toBe(false);
    expect(m.redo()).toBe(false);
    expect(changes).toBe(3);
  });

  it('replace() makes a file the whole mask in one edit', () => {
    const m = new MaskModel(2, 2);
    m.addShape(rect);
    m.invert();
    m.replace(Uint8Array.from([0, 1, 1, 1]), { kind: 'file', description: 'a_mask.tif' });
    expect(m.shapes).toEqual([]);
    expect(m.inverted).toBe(false);
    expect(m.describe()).toBe('a_mask.tif');
    m.undo();
    expect(m.describe()).toBe('1 drawn shape + inverted');
  });
});
