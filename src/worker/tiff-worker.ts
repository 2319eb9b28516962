/**
 * The TIFF Worker entry: opens files and decodes frames with `src/io`, off the main thread.
 * Requests of one file are answered in order (one decode at a time).
 */
import { openTiff, TiffError, type TiffFile } from '../io/index.js';
import type { TiffWorkerRequest, TiffWorkerResponse } from './tiff-protocol.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<TiffWorkerRequest>) => void) | null;
  postMessage(message: TiffWorkerResponse, transfer?: Transferable[]): void;
};

const files = new Map<number, Promise<TiffFile>>();
let queue: Promise<void> = Promise.resolve();

function fail(id: number, error: unknown, frame?: number): void {
  const code = error instanceof TiffError ? error.code : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  scope.postMessage({ type: 'error', id, frame, code, message });
}

async function handle(request: TiffWorkerRequest): Promise<void> {
  switch (request.type) {
    case 'open': {
      const opening = openTiff(request.buffer, { maxBytes: request.maxBytes });
      files.set(request.id, opening);
      try {
        const file = await opening;
        scope.postMessage({ type: 'opened', id: request.id, info: file.info });
      } catch (error) {
        files.delete(request.id);
        fail(request.id, error);
      }
      return;
    }
    case 'read': {
      const opening = files.get(request.id);
      if (!opening) {
        fail(request.id, new Error(`file ${request.id} is not open`), request.frame);
        return;
      }
      try {
        const frame = await (await opening).readFrame(request.frame);
        const data = frame.data.buffer as ArrayBuffer;
        scope.postMessage(
          {
            type: 'frame',
            id: request.id,
            frame: request.frame,
            height: frame.height,
            width: frame.width,
            sampleType: frame.sampleType,
            data
          },
          [data]
        );
      } catch (error) {
        fail(request.id, error, request.frame);
      }
      return;
    }
    case 'close':
      files.delete(request.id);
      return;
  }
}

scope.onmessage = event => {
  const request = event.data;
  queue = queue.then(() => handle(request));
};
