/**
 * Main-thread side of the TIFF Worker: `openTiffInWorker` gives the same `info` and
 * `readFrame` as `openTiff`, with the decoding done in a Worker so the page never freezes.
 */
import type { IDisposable } from '@lumino/disposable';
import { TiffError, type DiffractionImage, type TiffErrorCode, type TiffInfo } from '../io/index.js';
import { typedArrayOf } from '../io/typed.js';
import type { TiffWorkerRequest, TiffWorkerResponse } from './tiff-protocol.js';

/** An opened file whose frames are decoded in the Worker. */
export interface RemoteTiff extends IDisposable {
  readonly info: TiffInfo;
  readFrame(index: number): Promise<DiffractionImage>;
}

/**
 * Open a TIFF in the shared TIFF Worker. `buffer` is transferred (the caller's copy is
 * detached). Errors are `TiffError`s with the reader's codes and messages.
 */
export function openTiffInWorker(buffer: ArrayBuffer, maxBytes?: number): Promise<RemoteTiff> {
  return Private.connection().open(buffer, maxBytes);
}

namespace Private {
  type Waiter = { resolve: (value: any) => void; reject: (reason: Error) => void };

  class Connection {
    constructor() {
      this._worker = new Worker(new URL('./tiff-worker.js', import.meta.url), { type: 'module' });
      this._worker.onmessage = (event: MessageEvent<TiffWorkerResponse>) => this._receive(event.data);
      this._worker.onerror = (event: ErrorEvent) => {
        const error = new TiffError(`the TIFF Worker failed: ${event.message || 'unknown error'}`, 'corrupt');
        this._waiters.forEach(list => list.forEach(w => w.reject(error)));
        this._waiters.clear();
      };
    }

    open(buffer: ArrayBuffer, maxBytes?: number): Promise<RemoteTiff> {
      const id = ++this._nextId;
      const opened = this._wait<TiffInfo>(id);
      this._send({ type: 'open', id, buffer, maxBytes }, [buffer]);
      return opened.then(info => {
        let disposed = false;
        return {
          info,
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
          waiter.resolve(message.info);
          break;
        case 'frame':
          waiter.resolve({
            height: message.height,
            width: message.width,
            sampleType: message.sampleType,
            data: typedArrayOf(message.sampleType, message.data)
          });
          break;
        case 'error':
          waiter.reject(
            new TiffError(message.message, (message.code === 'internal' ? 'corrupt' : message.code) as TiffErrorCode)
          );
          break;
      }
    }

    private _worker: Worker;
    private _nextId = 0;
    private _waiters = new Map<number, Waiter[]>();
  }

  let shared: Connection | null = null;

  /** One TIFF Worker for all viewers, started on first use. */
  export function connection(): Connection {
    shared ??= new Connection();
    return shared;
  }
}
