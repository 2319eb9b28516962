import type { TranslationBundle } from '@jupyterlab/translation';
import { autoMask, invalidPixelMask } from '../../src/center/index.js';
import { savedCenteringFrom } from '../../src/centering/saved-state.js';
import { applyAutoStep, fileSource, replaySteps } from '../../src/centering/mask-steps.js';
import type { DiffractionImage } from '../../src/io/image.js';

const trans = { __: (s: string, ...a: unknown[]) => s.replace(/%(\d)/g, (_, i) => String(a[Number(i) - 1])) } as unknown as TranslationBundle;

/** A 4 × 4 int32 frame with a -1 sentinel at 5 and a bright value at 10. */
function frame(): DiffractionImage {
  const data = new Int32Array(16).fill(100);
  data[5] = -1;
  data[10] = 2147483647;
  return { height: 4, width: 4, data, sampleType: 'int32' } as DiffractionImage;
}

describe('saved centering state', () => {
  it('keeps valid centers and mask, drops the rest', () => {
    const saved = savedCenteringFrom({
      version: 1,
      modified: '2026-12-02T06:00:00Z',
      frames: { '0': { row: 1, col: 2, source: 'found', score: 0.5 }, '1': { row: 'x' } },
      mask: { height: 4, width: 4, source: { kind: 'none', description: null, steps: [] }, shapes: [], inverted: true }
    });
    expect(saved).toEqual({
      version: 1,
      modified: '2026-12-02T06:00:00Z',
      frames: { '0': { row: 1, col: 2, source: 'found', score: 0.5 } },
      mask: { height: 4, width: 4, source: { kind: 'none', description: null, steps: [] }, shapes: [], inverted: true }
    });
    expect(savedCenteringFrom({ version: 2 })).toBeNull();
    expect(savedCenteringFrom('x')).toBeNull();
    expect(savedCenteringFrom({ version: 1 })).toEqual({ version: 1, modified: null, frames: {}, mask: null });
  });
});

describe('mask steps', () => {
  it('an automatic mask on top of a base keeps its pixels masked and records the step', () => {
    const base = new Uint8Array(16).fill(1);
    base[0] = 0;
    const step = { kind: 'auto', invalidOnly: true, threshold: 0.1, frame: 0 } as const;
    const { base: out, source } = applyAutoStep(trans, frame(), step, base, fileSource('m.tif'));
    expect(Array.from(out).flatMap((v, i) => (v ? [] : [i]))).toEqual([0, 5, 10]);
    expect(source).toEqual({ kind: 'auto', description: 'm.tif + invalid pixels', steps: [{ kind: 'file', path: 'm.tif' }, step] });
    // On a base that cannot be made again, the result cannot either.
    expect(applyAutoStep(trans, frame(), step, base, { kind: 'file', description: 'old' }).source.steps).toBeUndefined();
  });

  it('replaying the steps makes the same base layer as the user made', async () => {
    const fileMask = new Uint8Array(16).fill(1);
    fileMask[15] = 0;
    const steps = [
      { kind: 'file', path: 'm.tif' },
      { kind: 'auto', invalidOnly: false, threshold: 0.2, frame: 3 }
    ] as const;
    const framesRead: number[] = [];
    const { base, source } = await replaySteps(trans, steps, {
      readMask: async path => (path === 'm.tif' ? fileMask : Promise.reject(new Error('no such file'))),
      readFrame: async index => {
        framesRead.push(index);
        return frame();
      }
    });
    expect(framesRead).toEqual([3]);
    const expected = autoMask(frame(), { threshold: 0.2 }).map((v, i) => (v && fileMask[i] ? 1 : 0));
    expect(Array.from(base!)).toEqual(Array.from(expected));
    expect(source.steps).toEqual(steps);
    expect(source.description).toBe('m.tif + auto mask (invalid, hot, < 0.2 × median)');
    await expect(
      replaySteps(trans, [{ kind: 'file', path: 'gone.tif' }], { readMask: () => Promise.reject(new Error('gone')), readFrame: async () => frame() })
    ).rejects.toThrow('gone');
    expect(invalidPixelMask(frame())[5]).toBe(0);
  });
});
