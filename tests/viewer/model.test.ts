/**
 * The viewer model (src/viewer/model.ts), DOM-free: defaults from the schema, the one
 * validator, state transitions of display and view, and the save / restore round trip the
 * layout restorer relies on (issue 11; issue 12 item 2 for the restored view).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ViewerModel } from '../../src/viewer/model.js';

const schema = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'schema/viewer.json'), 'utf8'));

/** A model showing a `height` × `width` image on a 400 × 300 stage. */
function modelWith(height = 100, width = 200, defaults: Partial<ViewerModel.IDefaults> = {}): ViewerModel {
  const m = new ViewerModel({ defaults });
  m.setClientSize(400, 300);
  m.setShape(height, width);
  return m;
}

/** The changes a model emits while `fn` runs. */
function changesOf(m: ViewerModel, fn: () => void): ViewerModel.Change[] {
  const seen: ViewerModel.Change[] = [];
  const record = (_: ViewerModel, change: ViewerModel.Change) => void seen.push(change);
  m.changed.connect(record);
  fn();
  m.changed.disconnect(record);
  return seen;
}

describe('ViewerModel defaults', () => {
  it('are the defaults of schema/viewer.json, key for key', () => {
    const fromSchema = Object.fromEntries(
      Object.entries(schema.properties as Record<string, { default: unknown }>)
        .filter(([key]) => key !== 'toolbar')
        .map(([key, p]) => [key, p.default])
    );
    expect({ ...ViewerModel.DEFAULTS }).toEqual(fromSchema);
  });

  it('offers every scale of the schema, "auto" included, and starts from them', () => {
    expect(schema.properties.scale.enum).toEqual(['auto', 'linear', 'log', 'sqrt', 'gamma']);
    const m = new ViewerModel();
    expect(m.gamma).toBe(schema.properties.gamma.default);
    expect(m.colormap).toBe(schema.properties.colormap.default);
    expect(m.percentiles).toEqual([schema.properties.lowPercentile.default, schema.properties.highPercentile.default]);
    expect(m.scaleFromData).toBe(true);
  });

  it('defaultsFrom keeps valid values and replaces each invalid one by the schema default', () => {
    const d = ViewerModel.defaultsFrom({
      colormap: 'viridis',
      scale: 'cubic',
      gamma: -2,
      invert: 'yes',
      lowPercentile: 5,
      highPercentile: 95,
      invalidColor: 'red',
      pollInterval: -1
    } as any);
    expect(d).toEqual({
      ...ViewerModel.DEFAULTS,
      colormap: 'viridis',
      lowPercentile: 5,
      highPercentile: 95
    });
    // Percentiles are a pair: one valid alone does not make a valid pair.
    expect(ViewerModel.defaultsFrom({ lowPercentile: 60, highPercentile: 40 })).toMatchObject({
      lowPercentile: ViewerModel.DEFAULTS.lowPercentile,
      highPercentile: ViewerModel.DEFAULTS.highPercentile
    });
  });
});

describe('ViewerModel.validate', () => {
  const v = ViewerModel.validate;
  it('percentiles: finite, 0 ≤ low < high ≤ 100', () => {
    expect(v.percentiles(0, 100)).toBe(true);
    expect(v.percentiles(0.175, 99.825)).toBe(true);
    for (const [low, high] of [
      [-1, 50],
      [10, 101],
      [50, 50],
      [60, 40],
      [NaN, 50],
      [1, Infinity],
      ['1', 50]
    ]) {
      expect(v.percentiles(low, high)).toBe(false);
    }
  });
  it('limits: finite, vmax > vmin', () => {
    expect(v.limits(-5, 5)).toBe(true);
    expect(v.limits(5, 5)).toBe(false);
    expect(v.limits(0, NaN)).toBe(false);
    expect(v.limits(-Infinity, 0)).toBe(false);
  });
  it('gamma, zoom, frame and color', () => {
    expect(v.gamma(0.5)).toBe(true);
    expect(v.gamma(0)).toBe(false);
    expect(v.zoom(Infinity)).toBe(false);
    expect(v.frame(3)).toBe(true);
    expect(v.frame(1.5)).toBe(false);
    expect(v.frame(-1)).toBe(false);
    expect(v.color('#00c8ff')).toBe(true);
    expect(v.color('#00c8ff80')).toBe(true);
    expect(v.color('cyan')).toBe(false);
  });
});

describe('ViewerModel display state', () => {
  it('manual limits turn auto-contrast off; invalid ones change nothing', () => {
    const m = modelWith();
    expect(m.autoContrast).toBe(true);
    expect(changesOf(m, () => expect(m.setLimits(10, 20)).toBe(true))).toContain('display');
    expect(m.autoContrast).toBe(false);
    expect(m.limits).toEqual([10, 20]);
    expect(changesOf(m, () => expect(m.setLimits(30, 30)).toBe(false))).toEqual([]);
    expect(m.limits).toEqual([10, 20]);
  });

  it('setAuto turns auto-contrast on and keeps only valid percentiles', () => {
    const m = modelWith();
    m.setLimits(1, 2);
    m.setAuto(2, 98);
    expect(m.autoContrast).toBe(true);
    expect(m.percentiles).toEqual([2, 98]);
    m.setAuto(-3, 98);
    expect(m.percentiles).toEqual([2, 98]);
    // Limits computed from the percentiles leave auto-contrast on.
    m.setAutoLimits(0, 287);
    expect(m.autoContrast).toBe(true);
    expect(m.limits).toEqual([0, 287]);
  });

  it('a gamma of zero or NaN is refused', () => {
    const m = modelWith();
    m.gamma = 0;
    m.gamma = NaN;
    expect(m.gamma).toBe(ViewerModel.DEFAULTS.gamma);
    m.gamma = 2;
    expect(m.gamma).toBe(2);
  });

  it('new defaults apply only what changed in them (the user\'s choices survive)', () => {
    const m = modelWith();
    m.colormap = 'gray';
    m.setDefaults({ invert: true });
    expect(m.colormap).toBe('gray');
    expect(m.invert).toBe(true);
    m.setDefaults({ colormap: 'magma' });
    expect(m.colormap).toBe('magma');
    expect(m.setDefaults({ colormap: 'magma' })).toEqual([]);
  });

  it('an "auto" default scale waits for the data; the user\'s choice is final and announced', () => {
    const m = modelWith();
    expect(m.scaleFromData).toBe(true);
    m.chooseScale('log');
    expect(m.scale).toBe('log');
    expect(m.scaleFromData).toBe(false);
    m.chooseScale('linear');
    expect(m.scale).toBe('log');

    const n = modelWith();
    const chosen: string[] = [];
    n.scaleChosen.connect((_, s) => void chosen.push(s));
    n.scale = 'sqrt';
    n.chooseScale('log');
    expect(n.scale).toBe('sqrt');
    expect(chosen).toEqual(['sqrt']);
    // A fixed default scale is not chosen from the data.
    expect(modelWith(10, 10, { scale: 'gamma' }).scaleFromData).toBe(false);
  });
});

describe('ViewerModel view state', () => {
  it('starts fitted and stays fitted when the stage resizes', () => {
    const m = modelWith(100, 200);
    expect(m.fit).toBe(true);
    expect(m.view).toEqual({ zoom: 2, x0: 0, y0: 50 });
    m.setClientSize(100, 100);
    expect(m.fit).toBe(true);
    expect(m.view).toEqual({ zoom: 0.5, x0: 0, y0: 25 });
    // Hidden (no size): still fitted when shown again.
    m.setClientSize(0, 0);
    m.setClientSize(400, 300);
    expect(m.fit).toBe(true);
    expect(m.view.zoom).toBe(2);
  });

  it('zoom and pan leave fit mode and keep the image point under the cursor', () => {
    const m = modelWith(100, 200);
    const before = m.view;
    const under = { row: (120 - before.y0) / before.zoom - 0.5, col: (80 - before.x0) / before.zoom - 0.5 };
    expect(changesOf(m, () => m.zoomBy(2, 80, 120))).toContain('view');
    expect(m.fit).toBe(false);
    expect(m.zoom).toBe(4);
    const v = m.view;
    expect((120 - v.y0) / v.zoom - 0.5).toBeCloseTo(under.row, 9);
    expect((80 - v.x0) / v.zoom - 0.5).toBeCloseTo(under.col, 9);
    m.panBy(10, -5);
    expect(m.view.x0).toBeCloseTo(v.x0 + 10, 9);
    expect(m.view.y0).toBeCloseTo(v.y0 - 5, 9);
    m.fitToWindow();
    expect(m.view).toEqual({ zoom: 2, x0: 0, y0: 50 });
  });

  it('a resize keeps the image point at the middle of the stage', () => {
    const m = modelWith(100, 200);
    m.centerView(30, 40, 3);
    m.setClientSize(800, 600);
    expect(m.viewCenter).toEqual({ row: 30, col: 40 });
    const v = m.view;
    expect(v.x0 + 40.5 * 3).toBeCloseTo(400, 9);
    expect(v.y0 + 30.5 * 3).toBeCloseTo(300, 9);
  });

  it('actual size is zoom 1 about the same image point', () => {
    const m = modelWith(100, 200);
    m.centerView(20, 50, 4);
    m.actualSize();
    expect(m.zoom).toBe(1);
    expect(m.viewCenter).toEqual({ row: 20, col: 50 });
  });
});

describe('ViewerModel save / restore', () => {
  it('round-trips everything the layout restorer keeps', () => {
    const m = modelWith(100, 200);
    m.colormap = 'cividis';
    m.scale = 'gamma';
    m.gamma = 0.7;
    m.invert = true;
    m.setAuto(1, 99);
    m.setLimits(3, 40);
    m.frameIndex = 4;
    m.centerView(12.5, 150, 2.5);
    const saved = JSON.parse(JSON.stringify(m.toJSON()));

    const restored = new ViewerModel();
    restored.fromJSON(saved);
    restored.setClientSize(640, 480);
    restored.setShape(100, 200);
    expect(restored.toJSON()).toEqual(saved);
    expect(restored.display).toEqual(m.display);
  });

  it('a fitted view restores as fitted, whatever zoom it had then', () => {
    const m = modelWith(512, 512);
    const saved = m.toJSON();
    expect(saved.fit).toBe(true);
    const restored = new ViewerModel();
    restored.fromJSON(saved);
    restored.setClientSize(1000, 700);
    restored.setShape(512, 512);
    expect(restored.fit).toBe(true);
    expect(restored.view).toEqual({ zoom: 700 / 512, x0: (1000 - 700) / 2, y0: 0 });
  });

  it('a saved view center outside the image is clamped to it (before or after the shape is known)', () => {
    const early = new ViewerModel();
    early.fromJSON({ fit: false, zoom: 2, viewRow: 5000, viewCol: -3000 });
    early.setShape(512, 256);
    expect(early.viewCenter).toEqual({ row: 511.5, col: -0.5 });

    const late = modelWith(512, 256);
    late.fromJSON({ fit: false, zoom: 2, viewRow: -10, viewCol: 9e9 });
    expect(late.viewCenter).toEqual({ row: -0.5, col: 255.5 });
  });

  it('ignores invalid fields one by one', () => {
    const m = modelWith();
    const before = m.toJSON();
    m.fromJSON({ colormap: 'rainbow', scale: 'cubic', gamma: -1, low: 50, high: 10, auto: false, vmin: 5, vmax: 1, zoom: -2, fit: false, frame: -3 } as any);
    expect(m.toJSON()).toEqual(before);
    m.fromJSON(null);
    m.fromJSON('x' as any);
    expect(m.toJSON()).toEqual(before);
  });
});
