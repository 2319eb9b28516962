/**
 * The center Worker entry: runs the engine off the main thread.
 *
 * The engine is synchronous, so a running request cannot be interrupted from inside;
 * the client cancels by terminating this Worker and starting a fresh one.
 */
import { autocenter, CenterError } from '../center/index.js';
import { typedArrayOf } from '../io/typed.js';
import type { CenterWorkerRequest, CenterWorkerResponse } from './center-protocol.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CenterWorkerRequest>) => void) | null;
  postMessage(message: CenterWorkerResponse): void;
};

scope.onmessage = (event: MessageEvent<CenterWorkerRequest>) => {
  const request = event.data;
  if (request.type !== 'center') {
    return;
  }
  const { id } = request;
  try {
    const image = {
      height: request.height,
      width: request.width,
      sampleType: request.sampleType,
      data: typedArrayOf(request.sampleType, request.data)
    };
    const result = autocenter(image, {
      ...request.options,
      mask: request.mask ? new Uint8Array(request.mask) : null,
      onProgress: (stage: string, fraction: number) =>
        scope.postMessage({ type: 'progress', id, stage, fraction })
    });
    scope.postMessage({ type: 'result', id, result: { ...result, warnings: [...result.warnings] } });
  } catch (error) {
    const code = error instanceof CenterError ? String(error.code) : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ type: 'error', id, code, message });
  }
};
