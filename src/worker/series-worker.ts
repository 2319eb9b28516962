/**
 * A series Worker: centers the frames of one track after the other with the series room's
 * `Tracker` (each frame seeded with the previous one; a full search when that fails). The
 * engine is synchronous: the pool cancels by terminating the Worker.
 */
import { CenterError } from '../center/index.js';
import { typedArrayOf } from '../io/typed.js';
import { Tracker } from '../series/tracker.js';
import type { SeriesWorkerRequest, SeriesWorkerResponse } from './series-protocol.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<SeriesWorkerRequest>) => void) | null;
  postMessage(message: SeriesWorkerResponse): void;
};

let tracker = new Tracker();

scope.onmessage = (event: MessageEvent<SeriesWorkerRequest>) => {
  const request = event.data;
  if (request.type === 'track') {
    tracker = new Tracker({ ...request.options, mask: request.mask ? new Uint8Array(request.mask) : null });
    return;
  }
  const { id, frame } = request;
  try {
    const image = {
      height: request.height,
      width: request.width,
      sampleType: request.sampleType,
      data: typedArrayOf(request.sampleType, request.data)
    };
    const center = tracker.center(image);
    scope.postMessage({ type: 'center', id, frame, center: { ...center, warnings: [...center.warnings] } });
  } catch (error) {
    // The next frame starts afresh with a full search, as the CLI's tracks do.
    tracker.reset();
    const code = error instanceof CenterError ? String(error.code) : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ type: 'error', id, frame, code, message });
  }
};
