/**
 * Typed messages between the main thread and the check Worker, which computes the polar view and
 * the radial profile of one frame about a center that may change many times a second (the
 * crosshair being dragged). The frame and the mask are sent once (transferred) and kept by the
 * Worker; each request then carries only the center and the options.
 */
import type { ProfilePeak } from '../center/peaks.js';
import type { RingStraightness } from '../check/straightness.js';
import type { SampleType } from '../io/image.js';

/** Main thread → Worker: keep this frame for the requests that follow (replaces the last one). */
export interface CheckFrameMessage {
  type: 'frame';
  height: number;
  width: number;
  sampleType: SampleType;
  /** The pixel buffer (typed array of `sampleType`), transferred. */
  data: ArrayBuffer;
}

/** Main thread → Worker: keep this mask (1 = valid; null = none) for the requests that follow. */
export interface CheckMaskMessage {
  type: 'mask';
  /** Leave out hot pixels too, as Find Center's automatic mask (setting `autoMask`). */
  autoMask: boolean;
  /** Length height * width, transferred; null = every pixel valid. */
  data: ArrayBuffer | null;
}

/** What a check request asks for. */
export interface CheckOptions {
  statistic: 'mean' | 'median';
  /** Profile bin width and polar radial step, px. */
  binWidth: number;
  /** Azimuths of the polar view over the full circle; 0 = no polar view. */
  azimuths: number;
}

/** Main thread → Worker: the polar view and the profile about `center`. */
export interface CheckRequest {
  type: 'check';
  id: number;
  center: { row: number; col: number };
  options: CheckOptions;
}

/** Worker → main thread: the answer to a request. */
export interface CheckResult {
  type: 'result';
  id: number;
  center: { row: number; col: number };
  statistic: 'mean' | 'median';
  binWidth: number;
  radius: Float64Array;
  value: Float64Array;
  count: Uint32Array;
  peaks: ProfilePeak[];
  /** The polar view (azimuths rows x radii columns; NaN = masked or outside), or null. */
  polar: { height: number; width: number; radialStep: number; data: Float32Array } | null;
  /** How straight the most prominent ring is in the polar view (null without one). */
  straightness: RingStraightness | null;
  /** Engine time of this request (ms). */
  ms: number;
}

/** Worker → main thread: the request failed (bad center, no frame …). */
export interface CheckFailure {
  type: 'error';
  id: number;
  code: string;
  message: string;
}

export type CheckWorkerRequest = CheckFrameMessage | CheckMaskMessage | CheckRequest;
export type CheckWorkerResponse = CheckResult | CheckFailure;
