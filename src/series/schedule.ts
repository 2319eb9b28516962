/**
 * Scheduling a series on a pool of workers, without the workers (the viewer's Web Workers and
 * any other pool use it): how many workers, which track each takes next, and the progress
 * (frames per second, time left). No DOM, no Node.
 */
import { MIN_TRACK_SIDE } from './tracker.js';

/** At most this many workers however many cores the machine says it has (memory: a frame each). */
export const MAX_SERIES_WORKERS = 8;

/**
 * How many workers to start: the machine's cores (`navigator.hardwareConcurrency`; 2 when it
 * does not say), at most `cap` and no more than there are tracks to run; at least 1.
 */
export function poolSize(cores: number | undefined, tracks: number, cap = MAX_SERIES_WORKERS): number {
  const machine = typeof cores === 'number' && Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 2;
  return Math.max(1, Math.min(cap, machine, tracks));
}

/**
 * What starting one more worker costs before it centers at full speed, in milliseconds of one
 * core: its script, and the engine's first full search in a fresh V8 isolate, which pays for
 * compiling the engine's hot loops (0.5-0.9 s whatever the frame size: bench/series-pool.ts).
 */
export const WORKER_START_MS = 600;

/** Pixels of a tracking window that a warm worker handles per millisecond (roughly). */
export const TRACKED_PIXELS_PER_MS = 8000;

/** Rough warm time of one tracked frame of `height` x `width` pixels (its window as `Tracker`'s default). */
export function trackedFrameMs(height: number, width: number): number {
  const side = Math.max(MIN_TRACK_SIDE, Math.round(Math.max(height, width) / 4));
  return (Math.min(height, side) * Math.min(width, side)) / TRACKED_PIXELS_PER_MS;
}

/**
 * How many workers a run pays for: `poolSize`, and no more than one per WORKER_START_MS of its
 * warm work (`workMs`: e.g. frames x `trackedFrameMs`), so that a small run does not wait for
 * workers that would each center a few frames after their cold start (40 frames of 128² are
 * about 0.1 s of warm work: one worker; the frames of one track never run in parallel anyway).
 */
export function workersFor(cores: number | undefined, tracks: number, workMs: number, cap = MAX_SERIES_WORKERS): number {
  return Math.max(1, Math.min(poolSize(cores, tracks, cap), Math.ceil(workMs / WORKER_START_MS)));
}

/**
 * Run `tasks` on `size` workers: each worker takes the next task of the queue when it has
 * finished its own, so tracks start in order and a slow track never holds the others up.
 * `run(task, worker)` gets the worker's index (0 … size - 1). The first failure stops the
 * queue (no new task starts; those running finish) and is what the promise rejects with.
 */
export async function runQueue<T>(
  tasks: readonly T[],
  size: number,
  run: (task: T, worker: number) => Promise<void>
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (index: number): Promise<void> => {
    while (!failure && next < tasks.length) {
      const task = tasks[next++];
      try {
        await run(task, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, size) }, (_, i) => worker(i)));
  if (failure) {
    throw (failure as { error: unknown }).error;
  }
}

/** Progress of a run: frames done of `total`, frames per second, seconds left. */
export class SeriesProgress {
  /** `now()` in milliseconds (`performance.now` by default; tests pass a clock). */
  constructor(
    readonly total: number,
    private readonly now: () => number = () => performance.now()
  ) {
    this.started = now();
  }

  /** Frames done (centered or failed). */
  get done(): number {
    return this._done;
  }

  /** One more frame is done. */
  tick(): void {
    this._done++;
  }

  /** Seconds since the start. */
  get elapsed(): number {
    return (this.now() - this.started) / 1000;
  }

  /** Frames per second since the start (null before the first frame). */
  get rate(): number | null {
    const seconds = this.elapsed;
    return this._done > 0 && seconds > 0 ? this._done / seconds : null;
  }

  /** Seconds left at the rate so far (null before the first frame). */
  get eta(): number | null {
    const rate = this.rate;
    return rate ? (this.total - this._done) / rate : null;
  }

  private readonly started: number;
  private _done = 0;
}

/** Seconds as `1:05` (m:ss) or `1:02:05` (h:mm:ss). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (v: number) => String(v).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
