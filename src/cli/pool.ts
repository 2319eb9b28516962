/**
 * A small pool of `worker_threads` for the CLI. `size` workers share one queue of `TrackTask`s:
 * `size - 1` worker threads (center-worker.ts) and the main thread itself, which has the engine
 * loaded already and is otherwise idle. Each worker runs one task at a time and reports every
 * frame as soon as it is done. The threads are started when the pool is made, so that they load
 * while the main thread is still loading the engine and opening the files (this module loads
 * the engine only when the pool runs). A thread that dies fails only the frames of
 * its task not yet reported (as error records) and is replaced.
 *
 * (piscina would schedule the tasks as well, but the per-frame streaming back to the main
 * thread needs a port per task there; this is the few lines the CLI needs.)
 */
import { Worker } from 'node:worker_threads';
import type { errorRecord as ErrorRecord, FrameRecord, TrackTask } from './run-track.js';

/** Message from center-worker.ts. */
export type WorkerMessage = { type: 'frame'; record: FrameRecord } | { type: 'done'; id: number };

export class WorkerPool {
  /** Start `size - 1` worker threads (the main thread is the last worker). */
  constructor(readonly size: number) {
    for (let k = 1; k < size; k++) {
      this.threads.push(Private.spawn());
    }
  }

  /**
   * Run `tasks` on at most `limit` workers (the main thread one of them), handing every frame
   * record to `emit`; the threads end when the queue is empty.
   */
  async run(tasks: readonly TrackTask[], emit: (record: FrameRecord) => void, limit = this.size): Promise<void> {
    const queue = [...tasks];
    const { runTrack, errorRecord } = await import('./run-track.js');
    // No more threads than tasks that the main thread leaves over.
    const spare = this.threads.splice(Math.max(0, Math.min(queue.length, limit) - 1));
    await Promise.all(spare.map(t => t.terminate()));
    const inline = async (): Promise<void> => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        await runTrack(task, emit);
      }
    };
    await Promise.all([inline(), ...this.threads.map(t => Private.serve(t, queue, emit, errorRecord))]);
    this.threads = [];
  }

  private threads: Worker[] = [];
}

namespace Private {
  const script = new URL('./center-worker.js', import.meta.url);

  /** Workers that have exited (an idle worker may die between tasks). */
  const exited = new WeakSet<Worker>();

  export function spawn(): Worker {
    const worker = new Worker(script);
    // Between tasks nobody else listens: an idle worker's failure only retires it.
    worker.on('error', () => undefined);
    worker.once('exit', () => exited.add(worker));
    return worker;
  }

  /** One thread's life: take tasks until the queue is empty (a new thread after a crash). */
  export async function serve(
    first: Worker,
    queue: TrackTask[],
    emit: (record: FrameRecord) => void,
    errorRecord: typeof ErrorRecord
  ): Promise<void> {
    let worker: Worker | null = first;
    try {
      for (let task = queue.shift(); task; task = queue.shift()) {
        if (worker && exited.has(worker)) {
          worker = null;
        }
        worker ??= spawn();
        const survived = await runOn(worker, task, emit, errorRecord);
        if (!survived) {
          worker = null;
        }
      }
    } finally {
      await worker?.terminate();
    }
  }

  /** Run one task on `worker`; false when the worker died on the way. */
  function runOn(
    worker: Worker,
    task: TrackTask,
    emit: (record: FrameRecord) => void,
    errorRecord: typeof ErrorRecord
  ): Promise<boolean> {
    const reported = new Set<number>();
    return new Promise(resolve => {
      const finish = (survived: boolean): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(survived);
      };
      const onMessage = (message: WorkerMessage): void => {
        if (message.type === 'frame') {
          if (message.record.frame !== null) {
            reported.add(message.record.frame);
          }
          emit(message.record);
        } else if (message.id === task.id) {
          finish(true);
        }
      };
      const fail = (error: unknown): void => {
        for (const frame of task.frames) {
          if (!reported.has(frame)) {
            emit(errorRecord(task.file, frame, error));
          }
        }
        finish(false);
      };
      const onError = (error: Error): void => fail(error);
      const onExit = (code: number): void => fail(new Error(`the worker thread exited (status ${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(task);
    });
  }
}
