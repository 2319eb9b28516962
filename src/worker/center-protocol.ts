/**
 * Typed messages between the main thread and the center Worker.
 *
 * Image and mask buffers travel as transferables (moved, not copied): the sender gives up
 * its copy, so callers pass buffers they own (`slice()` a frame the viewer still needs).
 */
import type { AutocenterResult } from '../center/types.js';
import type { SampleType } from '../io/image.js';

/** Options the user can set; mirrors the engine's options minus callbacks. */
export interface CenterRequestOptions {
  normalizeBackground?: 'auto' | boolean;
  maxIterations?: number;
  autoMask?: boolean;
  route?: 'fast' | 'reference';
}

/** Main thread → Worker: find the center of one frame. */
export interface CenterRequest {
  type: 'center';
  /** Request id, echoed in every answer. */
  id: number;
  height: number;
  width: number;
  sampleType: SampleType;
  /** The pixel buffer (typed array of `sampleType`), transferred. */
  data: ArrayBuffer;
  /** 1 = valid, 0 = masked, length height*width, transferred; null = no mask. */
  mask: ArrayBuffer | null;
  options: CenterRequestOptions;
}

/** Worker → main thread: progress of a request. */
export interface CenterProgress {
  type: 'progress';
  id: number;
  stage: string;
  fraction: number;
}

/** Worker → main thread: the result. */
export interface CenterSuccess {
  type: 'result';
  id: number;
  result: AutocenterResult;
}

/** Worker → main thread: the engine refused the input or failed. */
export interface CenterFailure {
  type: 'error';
  id: number;
  /** The engine's error code when it is a `CenterError`, else 'internal'. */
  code: string;
  message: string;
}

/**
 * Worker → main thread: the warm-up of a fresh Worker ended (`warmedUp` false when a request
 * cut it short). Its id, 0, is no request's.
 */
export interface CenterReady {
  type: 'ready';
  id: 0;
  warmedUp: boolean;
}

export type CenterWorkerRequest = CenterRequest;
export type CenterWorkerResponse = CenterProgress | CenterSuccess | CenterFailure | CenterReady;
