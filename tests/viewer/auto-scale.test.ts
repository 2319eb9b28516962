/**
 * The automatic default scale and the remembered last scale (issue 12, item 11).
 */
import fs from 'node:fs';
import { automaticScale } from '../../src/viewer/auto-scale.js';
import { autoContrast, frameStats } from '../../src/viewer/contrast.js';
import { ViewerModel } from '../../src/viewer/model.js';
import { LAST_SCALE_KEY, ScaleMemory } from '../../src/viewer/scale-memory.js';
import { openTiff } from '../../src/io/index.js';

function scaleOf(data: Float32Array | Uint16Array): string {
  const stats = frameStats(data);
  return automaticScale(data, autoContrast(data, 0.175, 99.825, { stats }), { stats });
}

describe('automaticScale', () => {
  it('is log when most pixels sit at the bottom of the limits (faint rings, bright beam)', () => {
    const size = 128;
    const data = new Float32Array(size * size);
    for (let i = 0; i < data.length; i++) {
      const r = Math.hypot(Math.floor(i / size) - 64, (i % size) - 64);
      data[i] = 1 + 50000 * Math.exp(-(r * r) / 72) + 40 * Math.exp(-((r - 40) ** 2) / 8);
    }
    expect(scaleOf(data)).toBe('log');
  });

  it('is linear when the values spread over the limits', () => {
    expect(scaleOf(new Float32Array(4096).map((_, i) => i))).toBe('linear');
    // A flat image (no range) stays linear.
    expect(scaleOf(new Uint16Array(100).fill(7))).toBe('linear');
  });

  it('is log for graphite.tif (median 2 of the limits [0, 287])', async () => {
    const bytes = fs.readFileSync('../shared/data/graphite.tif');
    const tiff = await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const frame = await tiff.readFrame(0);
    expect(scaleOf(frame.data as Uint16Array)).toBe('log');
  });
});

describe('ScaleMemory', () => {
  /** An in-memory state database with the two methods the memory uses. */
  function stateDB(initial: Record<string, unknown> = {}) {
    const data = new Map(Object.entries(initial));
    return {
      data,
      fetch: async (id: string) => data.get(id),
      save: async (id: string, value: unknown) => void data.set(id, value),
      remove: async (id: string) => void data.delete(id)
    };
  }

  it('remembers the scale chosen in a viewer, saves it, and forgets it when asked', async () => {
    const db = stateDB();
    const seen: (string | null)[] = [];
    const memory = new ScaleMemory(db as any, s => void seen.push(s));
    await memory.ready;
    const model = new ViewerModel();
    memory.watch(model);
    model.chooseScale('log'); // automatic: not a choice of the user
    expect(memory.value).toBeNull();
    model.scale = 'sqrt';
    expect(memory.value).toBe('sqrt');
    await Promise.resolve();
    expect(db.data.get(LAST_SCALE_KEY)).toBe('sqrt');
    memory.forget();
    await Promise.resolve();
    expect(memory.value).toBeNull();
    expect(db.data.has(LAST_SCALE_KEY)).toBe(false);
    expect(seen).toEqual(['sqrt', null]);
  });

  it('reads the remembered scale back (after a reload) and ignores anything else', async () => {
    const memory = new ScaleMemory(stateDB({ [LAST_SCALE_KEY]: 'gamma' }) as any, () => undefined);
    await memory.ready;
    expect(memory.value).toBe('gamma');
    const bad = new ScaleMemory(stateDB({ [LAST_SCALE_KEY]: 'cubic' }) as any, () => undefined);
    await bad.ready;
    expect(bad.value).toBeNull();
  });
});
