/**
 * Main-thread side of the series Workers: a pool that centers the tracks of a series on `size`
 * Web Workers (series-worker.ts), each track on one Worker, frames in order. Frames are read
 * by the caller (`read`, e.g. the viewer's image Worker) one ahead of the Worker that needs
 * them, so reading and centering overlap and at most two frames per Worker are in memory.
 * Cancel terminates the Workers (the engine cannot be interrupted from inside).
 */
import type { DiffractionImage } from '../io/image.js';
import { runQueue } from '../series/schedule.js';
import type { FrameCenter, TrackerOptions } from '../series/tracker.js';
import { CenterWorkerError } from './center-client.js';
import type { SeriesWorkerRequest, SeriesWorkerResponse } from './series-protocol.js';

/** A frame's outcome: its center, or why it has none. */
export type SeriesOutcome = { center: FrameCenter } | { error: string; code: string };

/** What `SeriesPool.run` needs. */
export interface ISeriesRun {
  /** The tracks (frame indices, in order); each starts with a full search. */
  tracks: readonly (readonly number[])[];
  /** Read (decode) one frame; the pool owns (and transfers) the returned pixels. */
  read(frame: number): Promise<DiffractionImage>;
  /** The mask of every frame (1 = valid), or null. */
  mask: Uint8Array | null;
  options: Omit<TrackerOptions, 'mask'>;
  /** Called once per frame, as soon as it is done. */
  onFrame(frame: number, outcome: SeriesOutcome): void;
}

export class SeriesPool {
  /** A pool of `size` Workers, started on first use. */
  constructor(readonly size: number) {}

  /** Whether a run is going on. */
  get busy(): boolean {
    return this._running;
  }

  /** Center every frame of `run.tracks`; rejects with code 'cancelled' when cancelled. */
  async run(run: ISeriesRun): Promise<void> {
    if (this._running) {
      throw new CenterWorkerError('Find Centers of All Frames is already running.', 'busy');
    }
    this._running = true;
    this._cancelled = false;
    try {
      await runQueue(run.tracks, this.size, (track, slot) => this._track(slot, track, run));
    } finally {
      this._running = false;
    }
  }

  /** Stop the run: the Workers are terminated, the frames not done yet get no outcome. */
  cancel(): void {
    if (!this._running || this._cancelled) {
      return;
    }
    this._cancelled = true;
    this._stopWorkers(new CenterWorkerError('Find Centers of All Frames was cancelled.', 'cancelled'));
  }

  dispose(): void {
    this.cancel();
    this._stopWorkers(new CenterWorkerError('The series Workers were stopped.', 'cancelled'));
  }

  /** One track on Worker `slot`: a fresh tracker, then its frames in order. */
  private async _track(slot: number, track: readonly number[], run: ISeriesRun): Promise<void> {
    const start = () =>
      this._post(slot, { type: 'track', options: run.options, mask: run.mask ? (run.mask.slice().buffer as ArrayBuffer) : null });
    start();
    // Read one frame ahead; a failed read is an outcome, not an unhandled rejection.
    const read = (frame: number) =>
      run.read(frame).then(
        image => ({ image }),
        (error: Error) => ({ error: error?.message ?? String(error), code: (error as { code?: string })?.code ?? 'read' })
      );
    let next = track.length ? read(track[0]) : null;
    for (let k = 0; k < track.length; k++) {
      const frame = track[k];
      const got = await next!;
      this._throwIfCancelled();
      next = k + 1 < track.length ? read(track[k + 1]) : null;
      if ('error' in got) {
        run.onFrame(frame, got);
        start();
        continue;
      }
      const answer = await this._center(slot, frame, got.image);
      this._throwIfCancelled();
      run.onFrame(frame, answer.type === 'center' ? { center: answer.center } : { error: answer.message, code: answer.code });
    }
  }

  private _throwIfCancelled(): void {
    if (this._cancelled) {
      throw new CenterWorkerError('Find Centers of All Frames was cancelled.', 'cancelled');
    }
  }

  private _center(slot: number, frame: number, image: DiffractionImage): Promise<SeriesWorkerResponse> {
    const id = ++this._id;
    // The pixels were decoded for the pool: move them, unless they are a view into a larger buffer.
    const whole = image.data.byteOffset === 0 && image.data.byteLength === image.data.buffer.byteLength;
    const data = (whole ? image.data.buffer : image.data.slice().buffer) as ArrayBuffer;
    return new Promise<SeriesWorkerResponse>((resolve, reject) => {
      this._pending.set(id, { slot, resolve, reject });
      this._post(
        slot,
        { type: 'frame', id, frame, height: image.height, width: image.width, sampleType: image.sampleType, data },
        [data]
      );
    });
  }

  private _post(slot: number, message: SeriesWorkerRequest, transfer: Transferable[] = []): void {
    if (message.type === 'track' && message.mask) {
      transfer = [message.mask];
    }
    this._worker(slot).postMessage(message, transfer);
  }

  private _worker(slot: number): Worker {
    let worker = this._workers.get(slot);
    if (!worker) {
      worker = new Worker(new URL('./series-worker.js', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<SeriesWorkerResponse>) => {
        const pending = this._pending.get(event.data.id);
        if (pending) {
          this._pending.delete(event.data.id);
          pending.resolve(event.data);
        }
      };
      const failed = worker;
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        failed.terminate();
        if (this._workers.get(slot) === failed) {
          this._workers.delete(slot);
        }
        const error = new CenterWorkerError(`A series Worker failed: ${event.message || 'unknown error'}`, 'worker');
        for (const [id, pending] of this._pending) {
          if (pending.slot === slot) {
            this._pending.delete(id);
            pending.reject(error);
          }
        }
      };
      this._workers.set(slot, worker);
    }
    return worker;
  }

  private _stopWorkers(error: Error): void {
    this._workers.forEach(worker => worker.terminate());
    this._workers.clear();
    const pending = [...this._pending.values()];
    this._pending.clear();
    pending.forEach(p => p.reject(error));
  }

  private _id = 0;
  private _running = false;
  private _cancelled = false;
  private _workers = new Map<number, Worker>();
  private _pending = new Map<
    number,
    { slot: number; resolve: (answer: SeriesWorkerResponse) => void; reject: (error: Error) => void }
  >();
}
