/**
 * The image Worker entry: opens files of every format through `openImage` (src/io) and decodes
 * frames off the main thread. Requests of one file are answered in order (one decode at a time).
 */
import { FormatError, openImage, TiffError, type ImageFile } from '../io/index.js';
import type { TiffWorkerRequest, TiffWorkerResponse } from './tiff-protocol.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<TiffWorkerRequest>) => void) | null;
  postMessage(message: TiffWorkerResponse, transfer?: Transferable[]): void;
};

const files = new Map<number, Promise<ImageFile>>();
let queue: Promise<void> = Promise.resolve();

function fail(id: number, error: unknown, frame?: number): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TiffError) {
    scope.postMessage({ type: 'error', id, frame, error: 'TiffError', code: error.code, message });
  } else if (error instanceof FormatError) {
    const { code, format, linkedFile } = error;
    scope.postMessage({ type: 'error', id, frame, error: 'FormatError', code, format, linkedFile, message });
  } else {
    scope.postMessage({ type: 'error', id, frame, error: 'internal', code: 'internal', message });
  }
}

async function handle(request: TiffWorkerRequest): Promise<void> {
  switch (request.type) {
    case 'open': {
      const opening = openImage(request.buffer, request.name ?? '', {
        maxBytes: request.maxBytes,
        dataset: request.dataset,
        linkedFile: name => {
          const bytes = request.linked?.[name.replace(/^.*[\\/]/, '')];
          return bytes ? new Uint8Array(bytes) : undefined;
        }
      });
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
    case 'close': {
      const opening = files.get(request.id);
      files.delete(request.id);
      opening?.then(file => file.close?.()).catch(() => undefined);
      return;
    }
  }
}

scope.onmessage = event => {
  const request = event.data;
  queue = queue.then(() => handle(request));
};
