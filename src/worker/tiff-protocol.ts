/**
 * Typed messages between the main thread and the TIFF Worker, which decodes files off the main
 * thread (an LZW 4096² frame takes most of a second). The file is transferred in once; each
 * decoded frame's pixel buffer is transferred out.
 */
import type { SampleType } from '../io/image.js';
import type { TiffErrorCode, TiffInfo } from '../io/index.js';

/** Main thread → Worker. */
export type TiffWorkerRequest =
  | { type: 'open'; id: number; buffer: ArrayBuffer; maxBytes?: number }
  | { type: 'read'; id: number; frame: number }
  | { type: 'close'; id: number };

/** Worker → main thread. */
export type TiffWorkerResponse =
  | { type: 'opened'; id: number; info: TiffInfo }
  | {
      type: 'frame';
      id: number;
      frame: number;
      height: number;
      width: number;
      sampleType: SampleType;
      data: ArrayBuffer;
    }
  | { type: 'error'; id: number; frame?: number; code: TiffErrorCode | 'internal'; message: string };
