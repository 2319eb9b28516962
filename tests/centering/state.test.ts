import {
  CenterStateMachine,
  foundRecord,
  placedRecord,
  resetRecord,
  sessionCenter,
  type SessionCenter
} from '../../src/centering/state.js';
import { parseRingRadii, centerSettingsFrom, DEFAULT_CENTER_SETTINGS } from '../../src/centering/settings.js';

const engine = { row: 10, col: 20, score: 0.9, ms: 5, warnings: [] } as SessionCenter['engine'];
const found: SessionCenter = { row: 10, col: 20, frame: 0, method: 'autocenter', engine, options: {}, mask: null };
const manual: SessionCenter = { ...found, row: 3, col: 4, method: 'manual' };

describe('CenterStateMachine', () => {
  it('goes idle → running → found and emits on each transition', () => {
    const m = new CenterStateMachine();
    const seen: string[] = [];
    m.changed.connect(() => seen.push(m.state));
    expect(m.state).toBe('idle');
    m.start();
    m.show(found);
    expect(m.state).toBe('running'); // a new center shown during a run: the run goes on
    m.finished();
    expect(seen).toEqual(['running', 'running', 'found']);
    expect(m.center).toBe(found);
    expect(m.error).toBeNull();
  });

  it('follows the center shown: found, manual, none', () => {
    const m = new CenterStateMachine();
    m.show(found);
    expect(m.state).toBe('found');
    m.show(manual);
    expect(m.state).toBe('manual');
    m.show(null);
    expect(m.state).toBe('idle');
    expect(m.center).toBeNull();
  });

  it('keeps the center through an error or a cancellation, and settles back to it', () => {
    const m = new CenterStateMachine();
    m.show(found);
    m.start();
    m.fail('the mask masks every pixel');
    expect(m.state).toBe('error');
    expect(m.error).toBe('the mask masks every pixel');
    expect(m.center).toBe(found);
    m.show(manual); // e.g. another helper's results arrive: the error stays shown
    expect(m.error).toBe('the mask masks every pixel');
    m.settle();
    expect(m.state).toBe('manual');
    expect(m.error).toBeNull();
    m.start();
    m.cancelled();
    m.settle();
    expect(m.state).toBe('manual');
  });

  it('settles to idle without a center, and leaves other states alone', () => {
    const m = new CenterStateMachine();
    m.fail('bad');
    m.settle();
    expect(m.state).toBe('idle');
    m.start();
    m.settle();
    expect(m.state).toBe('running');
  });
});

describe('center records', () => {
  const result = { row: 10, col: 20, score: 0.9, ms: 5, warnings: ['low'], sigma: [0.1, 0.2] as [number, number] };

  it('records a found center with its score, sigma, options and mask', () => {
    const r = foundRecord(result, { route: 'fast' }, 'm.tif');
    expect(r).toEqual({
      row: 10,
      col: 20,
      source: 'found',
      score: 0.9,
      sigma: [0.1, 0.2],
      mask: 'm.tif',
      options: { route: 'fast' },
      warnings: ['low'],
      ms: 5
    });
    expect(sessionCenter(2, r)).toEqual({
      row: 10,
      col: 20,
      frame: 2,
      method: 'autocenter',
      engine: { row: 10, col: 20, score: 0.9, ms: 5, warnings: ['low'], sigma: [0.1, 0.2] },
      options: { route: 'fast' },
      mask: 'm.tif'
    });
  });

  it('keeps the found center under a manual adjustment, and resets to it', () => {
    const r = foundRecord(result, {}, null);
    const moved = placedRecord(r, 11.5, 19, { mask: 'other', options: {} });
    expect(moved).toMatchObject({ row: 11.5, col: 19, source: 'manual', score: 0.9, found: { row: 10, col: 20 }, mask: null });
    const again = placedRecord(moved, 12, 18, { mask: null, options: {} });
    expect(again.found).toEqual({ row: 10, col: 20 });
    expect(sessionCenter(0, again)).toMatchObject({ method: 'manual', engine: { row: 10, col: 20, score: 0.9 } });
    const back = resetRecord(again)!;
    expect(back).toMatchObject({ row: 10, col: 20, source: 'found', score: 0.9 });
    expect(back.found).toBeUndefined();
    expect(resetRecord(back)).toBeNull();
  });

  it('places a first center by hand with the fallback mask; it cannot be reset', () => {
    const r = placedRecord(null, 1, 2, { mask: 'm.tif', options: {} });
    expect(r).toEqual({ row: 1, col: 2, source: 'manual', score: null, mask: 'm.tif', options: {} });
    expect(resetRecord(r)).toBeNull();
    expect(sessionCenter(3, r)).toMatchObject({ frame: 3, method: 'manual', engine: null, mask: 'm.tif' });
  });
});

describe('find-center settings', () => {
  it('parses guide-ring radii, refusing non-positive or non-numbers', () => {
    expect(parseRingRadii('12, 24.5 30')).toEqual([12, 24.5, 30]);
    expect(parseRingRadii('  ')).toEqual([]);
    expect(parseRingRadii('12, -3')).toBeNull();
    expect(parseRingRadii('12, x')).toBeNull();
    expect(parseRingRadii('0')).toBeNull();
  });

  it('reads the composite settings over the defaults, copying the radii', () => {
    const radii = [5, 6];
    const s = centerSettingsFrom({ ringRadii: radii, copyFormat: 'json' });
    expect(s.center).toEqual({ ...DEFAULT_CENTER_SETTINGS, ringRadii: [5, 6] });
    expect(s.center.ringRadii).not.toBe(radii);
    expect(s.bridge.copyFormat).toBe('json');
  });
});
