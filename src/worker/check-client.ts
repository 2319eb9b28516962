/**
 * Main-thread side of the check Worker. The frame and mask go to the Worker once (copies,
 * transferred); `request` then sends only a center. While one request runs, newer ones replace
 * each other and only the last is sent when it answers (the crosshair dragged faster than the
 * Worker computes: no stale work queues up, every answer is shown, and the last position is
 * always computed).
 */
import type { DiffractionImage } from '../io/image.js';
import type { CheckFailure, CheckOptions, CheckResult, CheckWorkerRequest, CheckWorkerResponse } from './check-protocol.js';

export type { CheckOptions, CheckResult } from './check-protocol.js';

/** Runs the profile and the polar view in a dedicated Worker, latest request wins. */
export class CheckClient {
  /**
   * @param _onResult called with every answer (the answer to the latest request sent).
   * @param _onError called when a request fails.
   */
  constructor(
    private readonly _onResult: (result: CheckResult) => void,
    private readonly _onError: (failure: CheckFailure) => void
  ) {}

  /** Use this frame from now on (sent when it differs from the last one sent). */
  setFrame(frame: DiffractionImage): void {
    if (frame === this._frame) {
      return;
    }
    this._frame = frame;
    const data = frame.data.slice().buffer as ArrayBuffer;
    this._post(
      { type: 'frame', height: frame.height, width: frame.width, sampleType: frame.sampleType, data },
      [data]
    );
  }

  /** Use this mask (1 = valid; null = none) from now on (sent when it differs). */
  setMask(mask: Uint8Array | null, autoMask: boolean): void {
    if (mask === this._mask && autoMask === this._autoMask) {
      return;
    }
    this._mask = mask;
    this._autoMask = autoMask;
    const data = mask ? (mask.slice().buffer as ArrayBuffer) : null;
    this._post({ type: 'mask', data, autoMask }, data ? [data] : []);
  }

  /** Ask for the profile (and polar view) about `center`; replaces a request not yet sent. */
  request(center: { row: number; col: number }, options: CheckOptions): void {
    this._next = { center: { row: center.row, col: center.col }, options: { ...options } };
    if (this._running === null) {
      this._sendNext();
    }
  }

  /** Whether a request is being computed. */
  get busy(): boolean {
    return this._running !== null;
  }

  dispose(): void {
    this._worker?.terminate();
    this._worker = null;
    this._next = null;
    this._running = null;
  }

  private _sendNext(): void {
    const next = this._next;
    if (!next) {
      return;
    }
    this._next = null;
    const id = ++this._id;
    this._running = id;
    this._post({ type: 'check', id, center: next.center, options: next.options });
  }

  private _post(message: CheckWorkerRequest, transfer: Transferable[] = []): void {
    this._ensureWorker().postMessage(message, transfer);
  }

  private _ensureWorker(): Worker {
    if (!this._worker) {
      const worker = new Worker(new URL('./check-worker.js', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<CheckWorkerResponse>) => this._onMessage(event.data);
      worker.onerror = (event: ErrorEvent) => {
        const id = this._running ?? 0;
        // A fresh Worker holds nothing: send the frame and mask again with the next request.
        this._worker?.terminate();
        this._worker = null;
        this._running = null;
        const frame = this._frame;
        this._frame = null;
        this._mask = undefined;
        if (frame) {
          this.setFrame(frame);
        }
        this._onError({ type: 'error', id, code: 'worker', message: `The check Worker failed: ${event.message || 'unknown error'}` });
      };
      this._worker = worker;
    }
    return this._worker;
  }

  private _onMessage(message: CheckWorkerResponse): void {
    if (message.id !== this._running) {
      return;
    }
    this._running = null;
    // Shown even when a newer request waits (a long drag then still updates the view), and the
    // newer one goes out at once.
    this._sendNext();
    if (message.type === 'result') {
      this._onResult(message);
    } else {
      this._onError(message);
    }
  }

  private _worker: Worker | null = null;
  private _frame: DiffractionImage | null = null;
  /** undefined: nothing sent yet. */
  private _mask: Uint8Array | null | undefined = undefined;
  private _autoMask = true;
  private _id = 0;
  private _running: number | null = null;
  private _next: { center: { row: number; col: number }; options: CheckOptions } | null = null;
}
