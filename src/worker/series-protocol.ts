/**
 * Typed messages between the main thread and a series Worker (one of the pool of "Find Centers
 * of All Frames"). A Worker runs one track at a time: `track` starts it (a new `Tracker` with
 * the options and mask), then each `frame` of the track is centered seeded with the previous
 * one. Pixel and mask buffers are transferred (moved, not copied).
 */
import type { SampleType } from '../io/image.js';
import type { FrameCenter, TrackerOptions } from '../series/tracker.js';

/** Main thread → Worker. */
export type SeriesWorkerRequest =
  | {
      type: 'track';
      /** The tracker's options (its mask travels as `mask`). */
      options: Omit<TrackerOptions, 'mask'>;
      /** 1 = valid, 0 = masked, length height*width, transferred; null = no mask. */
      mask: ArrayBuffer | null;
    }
  | {
      type: 'frame';
      /** Request id, echoed in the answer. */
      id: number;
      frame: number;
      height: number;
      width: number;
      sampleType: SampleType;
      data: ArrayBuffer;
    };

/** Worker → main thread: one frame's center, or why it has none (the track then starts afresh). */
export type SeriesWorkerResponse =
  | { type: 'center'; id: number; frame: number; center: FrameCenter }
  | { type: 'error'; id: number; frame: number; code: string; message: string };
