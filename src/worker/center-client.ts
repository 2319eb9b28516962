/**
 * Main-thread side of the center Worker: one request at a time, cancellable.
 */
import type { DiffractionImage } from '../io/image.js';
import type {
  CenterRequestOptions,
  CenterSuccess,
  CenterWorkerRequest,
  CenterWorkerResponse
} from './center-protocol.js';

/** The result the Worker sends back. */
export type CenterResult = CenterSuccess['result'];

/** An error from the engine (or the Worker), with the engine's code. */
export class CenterWorkerError extends Error {
  constructor(
    message: string,
    readonly code: string
  ) {
    super(message);
    this.name = 'CenterWorkerError';
  }
}

/**
 * Runs the engine in a dedicated Worker. The Worker is started with the client (and again
 * after a cancel), so that it warms the engine up while idle before the first request.
 */
export class CenterClient {
  constructor() {
    if (typeof Worker !== 'undefined') {
      this._ensureWorker();
    }
  }

  /**
   * Find the center of `image`. The image and mask are copied into buffers that are
   * transferred to the Worker, so the caller keeps its own arrays.
   */
  run(
    image: DiffractionImage,
    mask: Uint8Array | null,
    options: CenterRequestOptions,
    onProgress?: (stage: string, fraction: number) => void
  ): Promise<CenterResult> {
    this.cancel();
    const id = ++this._id;
    const worker = this._ensureWorker();
    const data = image.data.slice().buffer as ArrayBuffer;
    const maskBuffer = mask ? (mask.slice().buffer as ArrayBuffer) : null;
    const request: CenterWorkerRequest = {
      type: 'center',
      id,
      height: image.height,
      width: image.width,
      sampleType: image.sampleType,
      data,
      mask: maskBuffer,
      options
    };
    return new Promise<CenterResult>((resolve, reject) => {
      this._pending = { id, resolve, reject, onProgress };
      worker.postMessage(request, maskBuffer ? [data, maskBuffer] : [data]);
    });
  }

  /** Whether a request is running. */
  get busy(): boolean {
    return this._pending !== null;
  }

  /** Cancel the running request (its promise rejects with code 'cancelled'). */
  cancel(): void {
    const pending = this._pending;
    if (!pending) {
      return;
    }
    this._pending = null;
    this._worker?.terminate();
    this._worker = null;
    pending.reject(new CenterWorkerError('Find center was cancelled.', 'cancelled'));
    if (!this._disposed) {
      // A fresh Worker warms up for the next request.
      this._ensureWorker();
    }
  }

  /** Stop the Worker for good. */
  dispose(): void {
    this._disposed = true;
    this.cancel();
    this._worker?.terminate();
    this._worker = null;
  }

  private _ensureWorker(): Worker {
    if (!this._worker) {
      const worker = new Worker(new URL('./center-worker.js', import.meta.url), {
        type: 'module'
      });
      worker.onmessage = (event: MessageEvent<CenterWorkerResponse>) => this._onMessage(event.data);
      worker.onerror = (event: ErrorEvent) => {
        const pending = this._pending;
        this._pending = null;
        this._worker?.terminate();
        this._worker = null;
        pending?.reject(
          new CenterWorkerError(`The center Worker failed: ${event.message || 'unknown error'}`, 'worker')
        );
      };
      this._worker = worker;
    }
    return this._worker;
  }

  private _onMessage(message: CenterWorkerResponse): void {
    const pending = this._pending;
    if (!pending || message.id !== pending.id) {
      return;
    }
    if (message.type === 'ready') {
      return;
    }
    if (message.type === 'progress') {
      pending.onProgress?.(message.stage, message.fraction);
      return;
    }
    this._pending = null;
    if (message.type === 'result') {
      pending.resolve(message.result);
    } else {
      pending.reject(new CenterWorkerError(message.message, message.code));
    }
  }

  private _id = 0;
  private _disposed = false;
  private _worker: Worker | null = null;
  private _pending: {
    id: number;
    resolve: (result: CenterResult) => void;
    reject: (reason: Error) => void;
    onProgress?: (stage: string, fraction: number) => void;
  } | null = null;
}
