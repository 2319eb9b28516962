import { MaskModel, type MaskShape } from '../../src/masks/model.js';
import { maskShapeFrom, maskStepFrom, maskToJSON, savedMaskFrom } from '../../src/masks/saved.js';

const rect: MaskShape = { kind: 'rect', mode: 'exclude', r0: 1, c0: 1, r1: 3, c1: 4 };
const circle: MaskShape = { kind: 'circle', mode: 'include', row: 5, col: 5, radius: 2 };
const polygon: MaskShape = { kind: 'polygon', mode: 'exclude', points: [[0, 0], [0, 6], [6, 0]] };

describe('saved masks', () => {
  it('a mask that masks nothing saves as null', () => {
    expect(maskToJSON(new MaskModel(8, 8))).toBeNull();
  });

  it('round-trips shapes, inversion and the base-layer steps (not its pixels) through JSON', () => {
    const mask = new MaskModel(8, 10);
    mask.setBase(new Uint8Array(80).fill(1), {
      kind: 'auto',
      description: 'm.tif + invalid pixels',
      steps: [
        { kind: 'file', path: 'm.tif' },
        { kind: 'auto', invalidOnly: true, threshold: 0.1, frame: 2 }
      ]
    });
    mask.addShape(rect);
    mask.addShape(circle);
    mask.addShape(polygon);
    mask.invert();
    const json = JSON.parse(JSON.stringify(maskToJSON(mask)));
    expect(json).toEqual({
      height: 8,
      width: 10,
      source: {
        kind: 'auto',
        description: 'm.tif + invalid pixels',
        steps: [
          { kind: 'file', path: 'm.tif' },
          { kind: 'auto', invalidOnly: true, threshold: 0.1, frame: 2 }
        ]
      },
      shapes: [rect, circle, polygon],
      inverted: true
    });
    expect(savedMaskFrom(json)).toEqual(json);
  });

  it('a base layer without steps is saved as one that cannot be made again', () => {
    const mask = new MaskModel(4, 4);
    mask.setBase(new Uint8Array(16).fill(1), { kind: 'file', description: 'old.tif' });
    expect(maskToJSON(mask)!.source).toEqual({ kind: 'file', description: 'old.tif', steps: null });
    mask.setBase(null, { kind: 'none', description: null });
    mask.addShape(rect);
    expect(maskToJSON(mask)!.source).toEqual({ kind: 'none', description: null, steps: [] });
  });

  it('refuses what is not a saved mask and drops invalid shapes and steps', () => {
    expect(savedMaskFrom(null)).toBeNull();
    expect(savedMaskFrom({ height: 0, width: 4, source: { kind: 'none' } })).toBeNull();
    expect(savedMaskFrom({ height: 4, width: 4, source: { kind: 'magic' } })).toBeNull();
    const saved = savedMaskFrom({
      height: 4,
      width: 4,
      source: { kind: 'file', description: 'x', steps: [{ kind: 'file', path: '' }] },
      shapes: [rect, { kind: 'circle', mode: 'exclude', row: 1, col: 1, radius: -1 }, { kind: 'blob' }],
      inverted: 'yes'
    })!;
    expect(saved.shapes).toEqual([rect]);
    expect(saved.source.steps).toBeNull();
    expect(saved.inverted).toBe(false);
    expect(maskShapeFrom({ kind: 'polygon', mode: 'exclude', points: [[0, 0], [1, 1]] })).toBeNull();
    expect(maskShapeFrom({ ...rect, mode: 'paint' })).toBeNull();
    expect(maskStepFrom({ kind: 'auto', invalidOnly: false, threshold: 0.1, frame: -1 })).toBeNull();
  });

  it('MaskModel.load sets everything in one edit that Undo takes back', () => {
    const mask = new MaskModel(4, 4);
    let changes = 0;
    mask.changed.connect(() => changes++);
    mask.load({ base: null, source: { kind: 'none', description: null }, shapes: [rect], inverted: true });
    expect(changes).toBe(1);
    expect(mask.shapes).toEqual([rect]);
    expect(mask.inverted).toBe(true);
    expect(() =>
      mask.load({ base: new Uint8Array(3), source: { kind: 'file', description: 'x' }, shapes: [], inverted: false })
    ).toThrow(/3 pixels/);
    expect(mask.undo()).toBe(true);
    expect(mask.isEmpty).toBe(true);
  });
});
