/** Scheduling a series on a pool: its size, the order tracks are taken in, the progress. */
import {
  formatDuration,
  poolSize,
  runQueue,
  SeriesProgress,
  splitTracks,
  trackedFrameMs,
  workersFor,
  WORKER_START_MS
} from '../../src/series/index.js';

describe('poolSize', () => {
  it('follows the cores, capped, never more than the tracks, at least one', () => {
    expect(poolSize(2, 10)).toBe(2);
    expect(poolSize(16, 10)).toBe(8);
    expect(poolSize(16, 10, 4)).toBe(4);
    expect(poolSize(8, 3)).toBe(3);
    expect(poolSize(undefined, 10)).toBe(2);
    expect(poolSize(0, 10)).toBe(2);
    expect(poolSize(4, 0)).toBe(1);
  });
});

describe('workersFor', () => {
  it('starts no more Workers than the warm work pays for, within poolSize', () => {
    // The tracking window: the whole of a small frame, at most 256² (or a quarter of the side).
    expect(trackedFrameMs(128, 128)).toBeCloseTo(trackedFrameMs(256, 256) / 4);
    expect(trackedFrameMs(1024, 1024)).toBe(trackedFrameMs(256, 256));
    expect(trackedFrameMs(2048, 2048)).toBeCloseTo(4 * trackedFrameMs(1024, 1024));
    // 40 frames of 128² (two tracks): one Worker, however many cores.
    expect(workersFor(8, 2, 40 * trackedFrameMs(128, 128))).toBe(1);
    // Enough work for two, three, ... Workers; never more than poolSize allows.
    expect(workersFor(8, 100, WORKER_START_MS + 1)).toBe(2);
    expect(workersFor(8, 100, 2 * WORKER_START_MS + 1)).toBe(3);
    expect(workersFor(2, 100, 100 * WORKER_START_MS)).toBe(2);
    expect(workersFor(16, 3, 100 * WORKER_START_MS)).toBe(3);
    expect(workersFor(16, 100, 100 * WORKER_START_MS)).toBe(8);
    expect(workersFor(4, 0, 0)).toBe(1);
  });
});

describe('runQueue', () => {
  /** A run whose tasks finish when the test says, recording who took what. */
  function controlled() {
    const taken: Array<{ task: number; worker: number }> = [];
    const finish = new Map<number, () => void>();
    const run = (task: number, worker: number) =>
      new Promise<void>(resolve => {
        taken.push({ task, worker });
        finish.set(task, resolve);
      });
    return { taken, finish, run };
  }
  const tick = () => new Promise(resolve => setTimeout(resolve, 0));

  it('gives each worker the next track when it is free, in order', async () => {
    const { taken, finish, run } = controlled();
    const done = runQueue([0, 1, 2, 3, 4], 2, run);
    await tick();
    expect(taken).toEqual([
      { task: 0, worker: 0 },
      { task: 1, worker: 1 }
    ]);
    finish.get(1)!(); // worker 1 is free first: it takes track 2
    await tick();
    expect(taken[2]).toEqual({ task: 2, worker: 1 });
    finish.get(0)!();
    await tick();
    expect(taken[3]).toEqual({ task: 3, worker: 0 });
    finish.get(2)!();
    finish.get(3)!();
    await tick();
    expect(taken[4]).toEqual({ task: 4, worker: 1 });
    finish.get(4)!();
    await done;
    expect(taken.map(t => t.task)).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops taking tracks at the first failure (a cancel) and rejects with it', async () => {
    const started: number[] = [];
    const run = async (task: number) => {
      started.push(task);
      await Promise.resolve();
      if (task === 1) {
        throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
      }
    };
    await expect(runQueue([0, 1, 2, 3, 4, 5], 2, run)).rejects.toMatchObject({ code: 'cancelled' });
    expect(started).toEqual([0, 1, 2]);
  });

  it('runs the tracks splitTracks cuts, each exactly once, whatever the pool size', async () => {
    const tracks = splitTracks(Array.from({ length: 47 }, (_, i) => i), 20);
    for (const size of [1, 2, 3, 8]) {
      const seen: number[] = [];
      await runQueue(tracks, size, async track => {
        await new Promise(resolve => setTimeout(resolve, track[0] % 3));
        seen.push(...track);
      });
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 47 }, (_, i) => i));
    }
  });
});

describe('SeriesProgress', () => {
  it('gives frames per second and the time left from a clock', () => {
    let now = 1000;
    const progress = new SeriesProgress(40, () => now);
    expect(progress.rate).toBeNull();
    expect(progress.eta).toBeNull();
    now = 3000;
    for (let i = 0; i < 10; i++) progress.tick();
    expect(progress.done).toBe(10);
    expect(progress.rate).toBeCloseTo(5);
    expect(progress.eta).toBeCloseTo(6);
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(5.4)).toBe('0:05');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
