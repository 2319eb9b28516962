import { CenterStateMachine, type SessionCenter } from '../../src/centering/state.js';
import { parseRingRadii, centerSettingsFrom, DEFAULT_CENTER_SETTINGS } from '../../src/centering/settings.js';

const engine = { row: 10, col: 20, score: 0.9, ms: 5, warnings: [] } as unknown as SessionCenter['engine'];
const found: SessionCenter = { row: 10, col: 20, frame: 0, method: 'autocenter', engine, options: {}, mask: null };
const fallback = { frame: 3, options: {}, mask: 'm.tif' };

describe('CenterStateMachine', () => {
  it('goes idle → running → found and emits on each transition', () => {
    const m = new CenterStateMachine();
    const seen: string[] = [];
    m.changed.connect(() => seen.push(m.state));
    expect(m.state).toBe('idle');
    m.start();
    m.found(found);
    expect(seen).toEqual(['running', 'found']);
    expect(m.center).toBe(found);
    expect(m.error).toBeNull();
  });

  it('keeps the engine result when the center is placed by hand, and resets to it', () => {
    const m = new CenterStateMachine();
    m.found(found);
    m.placed(11.5, 19, fallback);
    expect(m.state).toBe('manual');
    expect(m.center).toMatchObject({ row: 11.5, col: 19, method: 'manual', frame: 0, engine });
    expect(m.reset()).toBe(true);
    expect(m.state).toBe('found');
    expect(m.center).toMatchObject({ row: 10, col: 20, method: 'autocenter' });
  });

  it('places a first center by hand with the fallback frame and mask; cannot reset it', () => {
    const m = new CenterStateMachine();
    m.placed(1, 2, fallback);
    expect(m.center).toMatchObject({ row: 1, col: 2, frame: 3, mask: 'm.tif', engine: null });
    expect(m.reset()).toBe(false);
    expect(m.state).toBe('manual');
  });

  it('keeps the center through an error or a cancellation, and settles back to it', () => {
    const m = new CenterStateMachine();
    m.found(found);
    m.start();
    m.fail('the mask masks every pixel');
    expect(m.state).toBe('error');
    expect(m.error).toBe('the mask masks every pixel');
    expect(m.center).toBe(found);
    m.settle();
    expect(m.state).toBe('found');
    expect(m.error).toBeNull();
    m.placed(3, 4, fallback);
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
