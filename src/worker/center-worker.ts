/**
 * The center Worker entry: runs the engine off the main thread.
 *
 * The engine is synchronous, so a running request cannot be interrupted from inside;
 * the client cancels by terminating this Worker and starting a fresh one. A fresh Worker warms
 * the engine up while idle (center-warmup.ts) and says `ready` when done; a request ends the
 * warm-up (it waits for at most the one small warm-up call under way).
 */
import { autocenter, CenterError } from '../center/index.js';
import { typedArrayOf } from '../io/typed.js';
import type { CenterWorkerRequest, CenterWorkerResponse } from './center-protocol.js';
import { warmUp } from './center-warmup.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CenterWorkerRequest>) => void) | null;
  postMessage(message: CenterWorkerResponse): void;
};

let requested = false;
warmUp(
  step => setTimeout(step, 0),
  () => requested,
  () => scope.postMessage({ type: 'ready', id: 0, warmedUp: !requested })
);

scope.onmessage = (event: MessageEvent<CenterWorkerRequest>) => {
  requested = true;
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
