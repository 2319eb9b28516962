/**
 * The mask tools' pointer logic, driven with plain event objects through a fake host (the
 * viewer's input-handler hook calls them the same way, with image and stage coordinates).
 */
import { MaskModel } from '../../src/masks/model.js';
import { createMaskTool, MIN_DRAG_PX, type IMaskToolHost, type MaskToolName } from '../../src/masks/tools/index.js';

/** A viewer at zoom 2: image (row, col) ↔ stage (x = 2·col, y = 2·row). */
function setup(name: MaskToolName) {
  const mask = new MaskModel(50, 50);
  let redraws = 0;
  const viewer = {
    stage: { setPointerCapture: () => undefined },
    node: { focus: () => undefined },
    imageToClient: (row: number, col: number) => ({ x: 2 * col, y: 2 * row })
  };
  const host = { viewer, mask, redraw: () => redraws++ } as unknown as IMaskToolHost;
  const tool = createMaskTool(name, host);
  const at = (row: number, col: number) => ({ row, col, x: 2 * col, y: 2 * row });
  const send = (type: string, row: number, col: number, extra: Partial<MouseEvent> = {}) =>
    tool.pointer!({ type, button: 0, altKey: false, pointerId: 1, ...extra } as unknown as PointerEvent, at(row, col));
  return { mask, tool, send, redraws: () => redraws };
}

describe('rectangle and circle tools', () => {
  it.each(['rect', 'circle'] as const)('%s: a drag adds one shape, excluding (Alt: including)', name => {
    const { mask, send } = setup(name);
    expect(send('pointerdown', 10, 10)).toBe(true);
    send('pointermove', 15, 18);
    send('pointerup', 20, 20);
    send('pointerdown', 30, 30, { altKey: true });
    send('pointerup', 40, 40, { altKey: true });
    expect(mask.shapes.map(s => [s.kind, s.mode])).toEqual([
      [name, 'exclude'],
      [name, 'include']
    ]);
  });

  it.each(['rect', 'circle'] as const)('%s: a plain click (or a jitter below MIN_DRAG_PX) adds nothing', name => {
    const { mask, send } = setup(name);
    send('pointerdown', 10, 10);
    send('pointerup', 10, 10);
    // Less than MIN_DRAG_PX stage pixels on both axes (0.5 image px = 1 stage px here).
    send('pointerdown', 10, 10);
    send('pointermove', 10.5, 10.5);
    send('pointerup', 10.5, 10.5);
    expect(MIN_DRAG_PX).toBeGreaterThan(1);
    expect(mask.shapes).toEqual([]);
    expect(mask.canUndo).toBe(false);
  });

  it('leaves other buttons to the viewer and keeps the shape in progress as a draft', () => {
    const { mask, send, tool } = setup('rect');
    expect(send('pointerdown', 10, 10, { button: 2 })).toBe(false);
    send('pointerdown', 10, 10);
    send('pointermove', 20, 30);
    expect(tool.draft).toEqual({ kind: 'rect', mode: 'exclude', r0: 10, c0: 10, r1: 20, c1: 30 });
    expect(tool.cancelDraft()).toBe(true);
    send('pointerup', 20, 30);
    expect(tool.draft).toBeNull();
    expect(mask.shapes).toEqual([]);
  });
});

describe('polygon tool', () => {
  it('adds a polygon closed by a double click, without the rubber-band vertex', () => {
    const { mask, send } = setup('polygon');
    send('pointerdown', 0, 0);
    send('pointerdown', 0, 20);
    send('pointerdown', 20, 20);
    send('pointermove', 25, 5);
    send('dblclick', 25, 5);
    expect(mask.shapes).toEqual([{ kind: 'polygon', mode: 'exclude', points: [[0, 0], [0, 20], [20, 20]] }]);
  });

  it('closes on a click near the first vertex, on Enter, and drops fewer than three vertices', () => {
    const { mask, send, tool } = setup('polygon');
    send('pointerdown', 0, 0);
    send('pointerdown', 0, 20);
    send('pointerdown', 20, 20);
    send('pointerdown', 1, 1); // within 8 stage px of (0, 0)
    expect(mask.shapes).toHaveLength(1);
    send('pointerdown', 30, 30);
    send('pointerdown', 30, 40);
    send('pointerdown', 40, 40);
    expect(tool.key!({ key: 'Enter' } as KeyboardEvent)).toBe(true);
    expect(mask.shapes).toHaveLength(2);
    send('pointerdown', 5, 5);
    send('pointerdown', 5, 9);
    tool.key!({ key: 'Enter' } as KeyboardEvent);
    expect(mask.shapes).toHaveLength(2);
  });
});

describe('erase tool', () => {
  it('removes the most recent shape under the pointer', () => {
    const { mask, send } = setup('erase');
    mask.addShape({ kind: 'rect', mode: 'exclude', r0: 0, c0: 0, r1: 10, c1: 10 });
    mask.addShape({ kind: 'circle', mode: 'exclude', row: 5, col: 5, radius: 3 });
    send('pointerdown', 5, 5);
    expect(mask.shapes.map(s => s.kind)).toEqual(['rect']);
    send('pointerdown', 40, 40);
    expect(mask.shapes.map(s => s.kind)).toEqual(['rect']);
  });
});
