/**
 * Main-thread side of the image Worker: `openImageInWorker` gives the same `info` and
 * `readFrame` as `openImage` (any format), `openUrlInWorker` the same for a file the Worker
 * reads from the server by ranges, `openTiffInWorker` as `openTiff`, with the decoding done in
 * a Worker so the page never freezes.
 */
import type { IDisposable } from '@lumino/disposable';
import {
  FormatError,
  TiffError,
  type DiffractionImage,
  type FormatErrorCode,
  type ImageFileInfo,
  type TiffErrorCode,
  type TiffInfo
} from '../io/index.js';
import { typedArrayOf } from '../io/typed.js';
import type { TiffWorkerRequest, TiffWorkerResponse } from './tiff-protocol.js';

/** An opened file of any format whose frames are decoded in the Worker. */
export interface RemoteImage extends IDisposable {
  readonly info: ImageFileInfo;
  readFrame(index: number): Promise<DiffractionImage>;
  /** Opened from a URL: whether frames are read by ranges (false: read whole; undefined: from a buffer). */
  readonly byRanges?: boolean;
  /** Opened from a URL: bytes read from the server so far (after the last answer). */
  readonly bytesRead?: number;
}

/** An opened TIFF whose frames are decoded in the Worker. */
export interface RemoteTiff extends RemoteImage {
  readonly info: ImageFileInfo & TiffInfo;
}

/**
 * Open an image file of any format `openImage` reads in the shared Worker. `name` (the file's
 * path) picks the reader when the magic bytes do not; `dataset` is an HDF5 dataset path.
 * `buffer` is transferred (the caller's copy is detached). Errors are the readers' typed errors
 * (`TiffError` for TIFF files, `FormatError` for the others) with their codes and messages.
 */
export function openImageInWorker(
  buffer: ArrayBuffer,
  name: string,
  options: { maxBytes?: number; dataset?: string; linked?: Record<string, ArrayBuffer> } = {}
): Promise<RemoteImage> {
  return Private.connection().open(buffer, options.maxBytes, name, options.dataset, options.linked);
}

/**
 * Open the file at `url` in the shared Worker, which reads it by HTTP Range requests (the
 * header, then each frame when asked for) where the format's layout allows, else whole (see
 * `openImageUrl` in src/io). `headers` go with every request (authorization). Errors are the
 * readers' typed errors, or a `FormatError` 'fetch-failed' when the server does not answer.
 */
export function openUrlInWorker(
  url: string,
  name: string,
  options: { maxBytes?: number; dataset?: string; linked?: Record<string, ArrayBuffer>; headers?: Record<string, string> } = {}
): Promise<RemoteImage> {
  const { linked, ...rest } = options;
  return Private.connection().request({ type: 'open-url', id: 0, url, name, linked, ...rest }, Object.values(linked ?? {}));
}

/**
 * Open a TIFF in the shared Worker. `buffer` is transferred (the caller's copy is detached).
 * Errors are `TiffError`s with the reader's codes and messages.
 */
export function openTiffInWorker(buffer: ArrayBuffer, maxBytes?: number): Promise<RemoteTiff> {
  return Private.connection().open(buffer, maxBytes, 'file.tif') as Promise<RemoteTiff>;
}

namespace Private {
  type Waiter = { resolve: (value: any) => void; reject: (reason: Error) => void };

  class Connection {
    constructor() {
      this._worker = new Worker(new URL('./tiff-worker.js', import.meta.url), { type: 'module' });
      this._worker.onmessage = (event: MessageEvent<TiffWorkerResponse>) => this._receive(event.data);
      this._worker.onerror = (event: ErrorEvent) => {
        const error = new TiffError(`the image Worker failed: ${event.message || 'unknown error'}`, 'corrupt');
        this._waiters.forEach(list => list.forEach(w => w.reject(error)));
        this._waiters.clear();
      };
    }

    open(
      buffer: ArrayBuffer,
      maxBytes?: number,
      name?: string,
      dataset?: string,
      linked?: Record<string, ArrayBuffer>
    ): Promise<RemoteImage> {
      const request = { type: 'open' as const, id: 0, buffer, maxBytes, name, dataset, linked };
      return this.request(request, [buffer, ...Object.values(linked ?? {})]);
    }

    /** Send an open request (its id is assigned here) and wrap the answer. */
    request(request: TiffWorkerRequest & { type: 'open' | 'open-url' }, transfer: Transferable[]): Promise<RemoteImage> {
      const id = ++this._nextId;
      const opened = this._wait<{ info: ImageFileInfo; byRanges?: boolean; bytesRead?: number }>(id);
      this._send({ ...request, id }, transfer);
      return opened.then(({ info, byRanges, bytesRead }) => {
        let disposed = false;
        const counter = { bytesRead };
        this._counters.set(id, counter);
        return {
          info,
          byRanges,
          get bytesRead() {
            return counter.bytesRead;
          },
          readFrame: (frame: number) => {
            if (disposed) {
              return Promise.reject(new TiffError('the file was closed', 'corrupt'));
            }
            const read = this._wait<DiffractionImage>(id);
            this._send({ type: 'read', id, frame });
            return read;
          },
          get isDisposed() {
            return disposed;
          },
          dispose: () => {
            if (!disposed) {
              disposed = true;
              this._counters.delete(id);
              this._send({ type: 'close', id });
            }
          }
        };
      });
    }

    private _send(request: TiffWorkerRequest, transfer: Transferable[] = []): void {
      this._worker.postMessage(request, transfer);
    }

    /** Answers of one file come in request order: queue the waiters per file. */
    private _wait<T>(id: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const list = this._waiters.get(id) ?? [];
        list.push({ resolve, reject });
        this._waiters.set(id, list);
      });
    }

    private _receive(message: TiffWorkerResponse): void {
      const list = this._waiters.get(message.id);
      const waiter = list?.shift();
      if (list && list.length === 0) {
        this._waiters.delete(message.id);
      }
      if (!waiter) {
        return;
      }
      switch (message.type) {
        case 'opened':
          waiter.resolve(message);
          break;
        case 'frame':
          if (message.bytesRead !== undefined) {
            const counter = this._counters.get(message.id);
            if (counter) counter.bytesRead = message.bytesRead;
          }
          waiter.resolve({
            height: message.height,
            width: message.width,
            sampleType: message.sampleType,
            data: typedArrayOf(message.sampleType, message.data)
          });
          break;
        case 'error': {
          const code = message.code === 'internal' ? 'corrupt' : message.code;
          waiter.reject(
            message.error === 'FormatError'
              ? new FormatError(message.message, code as FormatErrorCode, message.format ?? 'unknown', {
                  linkedFile: message.linkedFile
                })
              : new TiffError(message.message, code as TiffErrorCode)
          );
          break;
        }
      }
    }

    private _worker: Worker;
    private _nextId = 0;
    private _waiters = new Map<number, Waiter[]>();
    private _counters = new Map<number, { bytesRead?: number }>();
  }

  let shared: Connection | null = null;

  /** One image Worker for all viewers, started on first use. */
  export function connection(): Connection {
    shared ??= new Connection();
    return shared;
  }
}
