/**
 * A small pool of `worker_threads` for the CLI: each worker runs one `TrackTask` at a time
 * (center-worker.ts) and streams a message per frame; a worker takes the next task when it has
 * finished one. A worker that dies fails only the frames of its task not yet reported (as
 * error records) and is replaced.
 *
 * (piscina would schedule the tasks as well, but the per-frame streaming back to the main
 * thread needs a port per task there; this is the few lines the CLI needs.)
 */
import { Worker } from 'node:worker_threads';
import { errorRecord, type FrameRecord, type TrackTask } from './run-track.js';

/** Message from center-worker.ts. */
export type WorkerMessage = { type: 'frame'; record: FrameRecord } | { type: 'done'; id: number };

/** Run `tasks` on `size` workers, handing every frame record to `emit`. */
export async function runPool(
  tasks: readonly TrackTask[],
  size: number,
  emit: (record: FrameRecord) => void
): Promise<void> {
  const queue = [...tasks];
  const workers = Math.max(1, Math.min(size, queue.length));
  await Promise.all(Array.from({ length: workers }, () => Private.serve(queue, emit)));
}

namespace Private {
  const script = new URL('./center-worker.js', import.meta.url);

  /** One worker's life: take tasks until the queue is empty (a new worker after a crash). */
  export async function serve(queue: TrackTask[], emit: (record: FrameRecord) => void): Promise<void> {
    let worker: Worker | null = null;
    try {
      for (let task = queue.shift(); task; task = queue.shift()) {
        if (worker && exited.has(worker)) {
          worker = null;
        }
        worker ??= spawn();
        const survived = await runOn(worker, task, emit);
        if (!survived) {
          worker = null;
        }
      }
    } finally {
      await worker?.terminate();
    }
  }

  /** Workers that have exited (an idle worker may die between tasks). */
  const exited = new WeakSet<Worker>();

  function spawn(): Worker {
    const worker = new Worker(script);
    // Between tasks nobody else listens: an idle worker's failure only retires it.
    worker.on('error', () => undefined);
    worker.once('exit', () => exited.add(worker));
    return worker;
  }

  /** Run one task on `worker`; false when the worker died on the way. */
  function runOn(worker: Worker, task: TrackTask, emit: (record: FrameRecord) => void): Promise<boolean> {
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
