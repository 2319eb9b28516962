/**
 * What the fuzz tests share: a seeded random source and a runner that sends one mutated file at
 * a time to a worker thread (tests/io/fuzz-*worker.mjs, which loads the TypeScript sources through
 * tsx) under a watchdog, so even a runaway synchronous loop is caught: the worker is terminated,
 * the case reported as a hang and a new worker started.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { repoRoot } from './fixtures.js';

/** xorshift32: deterministic, seeded, in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

/** What the worker answers for a case ('hang' when the watchdog stopped it). */
export interface FuzzOutcome {
  outcome: string;
  code?: string;
  message?: string;
  ms: number;
}

/** Options of a runner: its worker script (in tests/io), extra workerData, a heap limit. */
export interface IFuzzRunnerOptions {
  script: string;
  workerData?: Record<string, unknown>;
  maxOldGenerationSizeMb?: number;
}

/** Runs cases one by one in a worker thread with a watchdog. */
export class FuzzRunner {
  constructor(private readonly _options: IFuzzRunnerOptions) {
    this._start();
  }

  /** Send `message` (with `id` added) and wait for its answer, at most `bound` ms. */
  async run(id: number, message: Record<string, unknown>, bound: number): Promise<FuzzOutcome> {
    await this._ready;
    return new Promise(resolve => {
      let settled = false;
      const finish = (o: FuzzOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this._worker.off('message', onMessage);
        this._worker.off('error', onError);
        resolve(o);
      };
      const timer = setTimeout(() => {
        void this._worker.terminate();
        this._start();
        finish({ outcome: 'hang', ms: bound });
      }, bound);
      const onMessage = (m: FuzzOutcome & { id: number }): void => {
        if (m.id === id) finish(m);
      };
      const onError = (e: Error): void => {
        this._start();
        finish({ outcome: 'other', message: `worker died: ${e.message}`, ms: 0 });
      };
      this._worker.on('message', onMessage);
      this._worker.on('error', onError);
      this._worker.postMessage({ ...message, id });
    });
  }

  stop(): Promise<number> {
    return this._worker.terminate();
  }

  private _start(): void {
    const { script, workerData, maxOldGenerationSizeMb } = this._options;
    this._worker = new Worker(join(repoRoot, 'tests/io', script), {
      workerData: { module: join(repoRoot, 'src/io/index.ts'), ...workerData },
      resourceLimits: maxOldGenerationSizeMb ? { maxOldGenerationSizeMb } : undefined
    });
    this._ready = new Promise(resolve => {
      const onReady = (m: { ready?: boolean }): void => {
        if (m.ready) {
          this._worker.off('message', onReady);
          resolve();
        }
      };
      this._worker.on('message', onReady);
    });
  }

  private _worker!: Worker;
  private _ready!: Promise<void>;
}
