import { FrameCenters, frameCenterFrom, type FrameCenterRecord } from '../../src/centering/frame-centers.js';

const found = (row: number, col: number, score = 0.9): FrameCenterRecord => ({ row, col, source: 'found', score });

describe('FrameCenters', () => {
  it('keeps one center per frame: setting frame 5 leaves frame 0 alone', () => {
    const store = new FrameCenters();
    store.set(0, found(10, 20));
    store.set(5, found(11, 21));
    expect(store.size).toBe(2);
    expect(store.get(0)).toMatchObject({ row: 10, col: 20 });
    expect(store.get(5)).toMatchObject({ row: 11, col: 21 });
    expect(store.get(1)).toBeNull();
    expect(store.has(5)).toBe(true);
    expect(store.frames()).toEqual([0, 5]);
  });

  it('sets many frames with one change that lists them', () => {
    const store = new FrameCenters();
    const changes: number[][] = [];
    store.changed.connect((_, change) => changes.push(change.frames));
    store.setMany([
      [3, found(1, 1)],
      [1, found(2, 2)],
      [2, found(3, 3)]
    ]);
    expect(changes).toEqual([[3, 1, 2]]);
    expect(store.entries().map(([f]) => f)).toEqual([1, 2, 3]);
  });

  it('refuses invalid frames and records without changing anything', () => {
    const store = new FrameCenters();
    expect(() => store.set(-1, found(1, 1))).toThrow(/frame index/);
    expect(() => store.set(1.5, found(1, 1))).toThrow(/frame index/);
    expect(() => store.set(0, { ...found(1, 1), row: NaN })).toThrow(/center record/);
    expect(() =>
      store.setMany([
        [0, found(1, 1)],
        [1, { row: 1, col: 1, source: 'guess', score: null } as unknown as FrameCenterRecord]
      ])
    ).toThrow(/frame 1/);
    expect(store.size).toBe(0);
  });

  it('gives the nearest frame with a center as the stand-in, saying which frame it is', () => {
    const store = new FrameCenters();
    expect(store.nearest(3)).toBeNull();
    store.set(0, found(10, 20));
    store.set(10, found(12, 22));
    expect(store.nearest(10)).toEqual({ frame: 10, center: store.get(10) });
    expect(store.nearest(3)!.frame).toBe(0);
    expect(store.nearest(7)!.frame).toBe(10);
    expect(store.nearest(5)!.frame).toBe(0); // a tie goes to the lower frame
    expect(store.nearest(40)!.frame).toBe(10);
  });

  it('deletes and clears with a change naming the frames', () => {
    const store = new FrameCenters();
    store.setMany([
      [0, found(1, 1)],
      [4, found(2, 2)]
    ]);
    const changes: number[][] = [];
    store.changed.connect((_, change) => changes.push(change.frames));
    expect(store.delete(4)).toBe(true);
    expect(store.delete(4)).toBe(false);
    store.clear();
    store.clear();
    expect(changes).toEqual([[4], [0]]);
    expect(store.size).toBe(0);
  });

  it('round-trips through JSON (as the state database keeps it), dropping invalid entries', () => {
    const store = new FrameCenters();
    const manual: FrameCenterRecord = {
      row: 5.5,
      col: 6.25,
      source: 'manual',
      score: 0.8,
      sigma: [0.01, 0.02],
      found: { row: 5, col: 6 },
      mask: 'img_mask.tif + 2 drawn shapes',
      options: { route: 'fast' },
      warnings: ['low score'],
      ms: 12
    };
    store.set(2, manual);
    store.set(7, { row: 1, col: 2, source: 'manual', score: null });
    const json = JSON.parse(JSON.stringify(store));
    expect(Object.keys(json)).toEqual(['2', '7']);
    const back = FrameCenters.fromJSON({ ...json, '-1': found(1, 1), x: found(1, 1), '3': { row: 'a' }, '4': null });
    expect(back.entries()).toEqual(store.entries());
    expect(FrameCenters.fromJSON('nonsense').size).toBe(0);
  });

  it('restore replaces every center and names old and new frames in one change', () => {
    const store = new FrameCenters();
    store.set(1, found(1, 1));
    const changes: number[][] = [];
    store.changed.connect((_, change) => changes.push(change.frames));
    store.restore({ '3': found(3, 3) });
    expect(store.frames()).toEqual([3]);
    expect(changes).toEqual([[1, 3]]);
  });

  it('copies records: unknown fields are dropped and a later edit of the input does not leak in', () => {
    const input = { ...found(1, 2), extra: 'x', options: { a: 1 } } as FrameCenterRecord & { extra: string };
    const record = frameCenterFrom(input)!;
    expect(record).toEqual({ row: 1, col: 2, source: 'found', score: 0.9, options: { a: 1 } });
    input.options!.a = 2;
    expect(record.options).toEqual({ a: 1 });
    expect(frameCenterFrom({ row: 1, col: 2, source: 'found', score: 'high' })).toBeNull();
  });
});
