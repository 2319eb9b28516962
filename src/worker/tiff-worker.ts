/**
 * The image Worker entry: opens files of every format through `openImage` (src/io) and decodes
 * frames off the main thread. Requests of one file are answered in order (one decode at a time).
 */
import { type ByteSource, FormatError, openImage, openImageUrl, TiffError, type ImageFile } from '../io/index.js';
import type { TiffWorkerRequest, TiffWorkerResponse } from './tiff-protocol.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<TiffWorkerRequest>) => void) | null;
  postMessage(message: TiffWorkerResponse, transfer?: Transferable[]): void;
};

const files = new Map<number, Promise<ImageFile>>();
/** The sources of files opened from a URL (their bytes read so far). */
const sources = new Map<number, ByteSource>();
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
    case 'open':
    case 'open-url': {
      const options = {
        maxBytes: request.maxBytes,
        dataset: request.dataset,
        linkedFile: (name: string) => {
          const bytes = request.linked?.[name.replace(/^.*[\\/]/, '')];
          return bytes ? new Uint8Array(bytes) : undefined;
        }
      };
      let byRanges: boolean | undefined;
      const opening =
        request.type === 'open'
          ? openImage(request.buffer, request.name ?? '', options)
          : openImageUrl(request.url, request.name ?? '', { ...options, headers: request.headers }).then(opened => {
              byRanges = opened.byRanges;
              sources.set(request.id, opened.source);
              return opened.file;
            });
      files.set(request.id, opening);
      try {
        const file = await opening;
        const bytesRead = sources.get(request.id)?.bytesRead;
        scope.postMessage({ type: 'opened', id: request.id, info: file.info, byRanges, bytesRead });
      } catch (error) {
        files.delete(request.id);
        sources.delete(request.id);
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
            data,
            bytesRead: sources.get(request.id)?.bytesRead
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
      sources.delete(request.id);
      opening?.then(file => file.close?.()).catch(() => undefined);
      return;
    }
  }
}

scope.onmessage = event => {
  const request = event.data;
  queue = queue.then(() => handle(request));
};
